import type { FastifyInstance } from 'fastify';
import { OrgIdParams } from '../orgs/schema.ts';
import { parseInput } from '../platform/validate.ts';
import { TenantParams } from './schema.ts';
import type { Bases } from './service.ts';

/**
 * An organisation's answers to the bases that list it as their tenant (docs/BASES.md, "Tenants and events"):
 * its owners and admins, of any kind of organisation, see the requests and confirm or decline each once.
 */
export function baseTenancyRoutes(app: FastifyInstance, deps: { bases: Bases }) {
  const { bases } = deps;
  const read = { kind: 'org', roles: ['owner', 'admin'] } as const;
  const write = { kind: 'org', roles: ['owner', 'admin'], operators: false } as const;

  app.get('/api/orgs/:orgId/base-tenancies', { schema: { tags: ['bases'], summary: 'Bases that list this organisation as their tenant, pending requests first', params: OrgIdParams }, config: { access: read } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { tenancies: await bases.tenancies.list(orgId) };
  });
  for (const [action, decision] of [['confirm', 'confirmed'], ['decline', 'declined']] as const) {
    app.post(`/api/orgs/:orgId/base-tenancies/:tenantId/${action}`, { schema: { tags: ['bases'], summary: action === 'confirm' ? "Confirm a base's tenancy request" : "Decline a base's tenancy request", params: TenantParams }, config: { access: write } }, async (request) => {
      const { orgId, tenantId } = parseInput(TenantParams, request.params, request.locale);
      return { tenancy: await bases.tenancies.decide(orgId, tenantId, request.user!.id, decision) };
    });
  }
}
