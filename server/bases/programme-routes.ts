import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import type { Bases } from './service.ts';
import { ProgrammeBody, ProgrammeParams } from './schema.ts';

/**
 * City programmes (docs/BASES.md, "City programmes"): any logged-in user lists those in force (a base checks its
 * report against them and applies); platform operators list them all, with retired ones and their applications,
 * and add, edit and retire them. The commission's read-only role is refused every write before it runs
 * (COMMISSION_READ_ONLY, server/platform/access.ts); any other role gets FORBIDDEN.
 */
export function baseProgrammeRoutes(app: FastifyInstance, deps: { bases: Bases }) {
  const { bases } = deps;
  const tags = ['bases'];
  const operator = { access: { kind: 'platform', roles: ['operator'] } } as const;

  app.get('/api/base-programmes', { schema: { tags, summary: 'City programmes in force and their criteria' }, config: { access: { kind: 'user' } } }, async () => ({ programmes: await bases.store.programmes() }));
  app.get('/api/admin/base-programmes', { schema: { tags, summary: 'Every city programme, retired ones too, with its applications by status (operator)' }, config: operator }, async () => ({
    programmes: await bases.programmes.list(),
  }));
  app.post('/api/admin/base-programmes', { schema: { tags, summary: 'Add a city programme (operator)', body: ProgrammeBody }, config: operator }, async (request, reply) => {
    const body = parseInput(ProgrammeBody, request.body, request.locale);
    const programme = await bases.programmes.add(body, request.user!.id);
    reply.code(201);
    return { programme };
  });
  app.put('/api/admin/base-programmes/:programmeId', { schema: { tags, summary: "Edit a city programme's name, region, year and criteria (operator)", params: ProgrammeParams, body: ProgrammeBody }, config: operator }, async (request) => {
    const { programmeId } = parseInput(ProgrammeParams, request.params, request.locale);
    const body = parseInput(ProgrammeBody, request.body, request.locale);
    return { programme: await bases.programmes.update(programmeId, body, request.user!.id) };
  });
  app.post('/api/admin/base-programmes/:programmeId/retire', { schema: { tags, summary: 'Retire a city programme: no new applications; its applications stay (operator)', params: ProgrammeParams }, config: operator }, async (request) => {
    const { programmeId } = parseInput(ProgrammeParams, request.params, request.locale);
    return { programme: await bases.programmes.retire(programmeId, request.user!.id) };
  });
}
