import type { FastifyInstance } from 'fastify';
import { OrgIdParams } from '../orgs/schema.ts';
import { parseInput } from '../platform/validate.ts';
import type { BasesStore } from './store.ts';

export function basesRoutes(app: FastifyInstance, deps: { store: BasesStore }) {
  app.get('/api/orgs/:orgId/studios', { config: { access: { kind: 'org', roles: 'any', orgKinds: ['base'] } } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { studios: await deps.store.listStudios(orgId) };
  });
}
