import type { FastifyInstance } from 'fastify';
import { OrgIdParams } from '../orgs/schema.ts';
import { parseInput } from '../platform/validate.ts';
import type { CatalogStore } from './store.ts';

export function catalogRoutes(app: FastifyInstance, deps: { store: CatalogStore }) {
  app.get(
    '/api/orgs/:orgId/products',
    { config: { access: { kind: 'org', roles: 'any', orgKinds: ['brand'] } } },
    async (request) => {
      const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
      return { products: await deps.store.listProductsWithSkus(orgId) };
    },
  );
}
