import type { FastifyInstance } from 'fastify';
import { OrgIdParams } from '../orgs/schema.ts';
import { parseInput } from '../platform/validate.ts';
import { TenantCandidatesQuery, TenantParams } from './schema.ts';
import type { Bases } from './service.ts';

/**
 * An organisation's answers to the bases that list it as their tenant (docs/BASES.md, "Tenants and events"):
 * its owners and admins, of any kind of organisation, see the requests, confirm or decline each once, and may
 * withdraw a confirmation later. And the base's side: its owners and admins search the organisations to link.
 */
export function baseTenancyRoutes(app: FastifyInstance, deps: { bases: Bases }) {
  const { bases } = deps;
  const read = { kind: 'org', roles: ['owner', 'admin'] } as const;
  const write = { kind: 'org', roles: ['owner', 'admin'], operators: false } as const;
  const baseWrite = { kind: 'org', roles: ['owner', 'admin'], orgKinds: ['base'], operators: false } as const;

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
  app.post('/api/orgs/:orgId/base-tenancies/:tenantId/withdraw', { schema: { tags: ['bases'], summary: "Withdraw a confirmation given to a base's tenancy: it no longer counts", params: TenantParams }, config: { access: write } }, async (request) => {
    const { orgId, tenantId } = parseInput(TenantParams, request.params, request.locale);
    return { tenancy: await bases.tenancies.withdraw(orgId, tenantId, request.user!.id) };
  });

  app.get('/api/orgs/:orgId/base/tenant-candidates', { schema: { tags: ['bases'], summary: 'Approved organisations whose name contains q (at most 20), to link as a tenant', params: OrgIdParams, querystring: TenantCandidatesQuery }, config: { access: baseWrite } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const { q } = parseInput(TenantCandidatesQuery, request.query, request.locale);
    return { organisations: await bases.tenancies.candidates(orgId, q) };
  });
}
