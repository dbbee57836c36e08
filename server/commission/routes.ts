import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import type { Talent } from '../talent/index.ts';
import { originOf } from '../talent/routes.ts';
import { FormatQuery, RegistryParams, StatusQuery } from '../talent/schema.ts';
import { applicationsCsv, nominationsCsv, registryCsv } from './csv.ts';

const tags = ['commission'];
/** The commission reads; operators see the same pages. Writes by the commission are refused centrally (server/platform/access.ts). */
const reader = { access: { kind: 'platform', roles: ['commission', 'operator'] } } as const;

/** The commission's portal (docs/TALENT.md): read-only views and CSV exports. */
export function commissionRoutes(app: FastifyInstance, talent: Talent) {
  const { service, registries } = talent;

  app.get('/api/commission/base-applications', { schema: { tags, summary: "Bases' programme applications with their evidence (JSON or CSV)", querystring: StatusQuery }, config: reader }, async (request, reply) => {
    const { status, format } = parseInput(StatusQuery, request.query, request.locale);
    const list = await service.applications({ status });
    if (format === 'json') return { applications: list };
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', 'attachment; filename="zhibo-base-applications.csv"');
    return applicationsCsv(list, request.locale);
  });
  app.get('/api/commission/registries/:kind', { schema: { tags, summary: 'A registry: mcn, base, brand, training or talent (certified) (JSON or CSV)', params: RegistryParams, querystring: FormatQuery }, config: reader }, async (request, reply) => {
    const { kind } = parseInput(RegistryParams, request.params, request.locale);
    const { format } = parseInput(FormatQuery, request.query, request.locale);
    if (format === 'json') return { kind, rows: await registries[kind]() };
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="zhibo-registry-${kind}.csv"`);
    return registryCsv(kind, registries, request.locale, originOf(request));
  });
  app.get('/api/commission/talent', { schema: { tags, summary: 'Talent-catalogue nominations (every status) with their evidence (JSON or CSV)', querystring: StatusQuery }, config: reader }, async (request, reply) => {
    const { status, format } = parseInput(StatusQuery, request.query, request.locale);
    const list = await service.nominations({ status });
    if (format === 'json') return { criteria: await service.criteria(), nominations: list };
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', 'attachment; filename="zhibo-talent-nominations.csv"');
    return nominationsCsv(list, request.locale, originOf(request));
  });
  // Campaigns come with issue 13: the section exists and says so.
  app.get('/api/commission/campaigns', { schema: { tags, summary: 'Campaign statistics (none yet: campaigns come with issue 13)' }, config: reader }, async () => ({ available: false, campaigns: [] as never[] }));
}
