import type { FastifyInstance } from 'fastify';
import { OrgIdParams } from '../orgs/schema.ts';
import { parseInput } from '../platform/validate.ts';
import type { McnStore } from './store.ts';

export function mcnRoutes(app: FastifyInstance, deps: { store: McnStore }) {
  app.get('/api/orgs/:orgId/streamers', { config: { access: { kind: 'org', roles: 'any', orgKinds: ['mcn'] } } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { streamers: await deps.store.listSignedStreamers(orgId) };
  });
}
