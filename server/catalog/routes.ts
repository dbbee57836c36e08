import type { FastifyInstance } from 'fastify';
import { OrgIdParams } from '../orgs/schema.ts';
import { parseInput } from '../platform/validate.ts';
import { CreateProductBody, ProductParams, SkuParams, UpdateProductBody, UpdateSkuBody } from './schema.ts';
import type { CatalogService } from './service.ts';
import type { CatalogStore } from './store.ts';

/** Brand members read their catalogue; owners, admins and staff change it; operators read every brand's. */
export function catalogRoutes(app: FastifyInstance, deps: { store: CatalogStore; catalog: CatalogService }) {
  const editors = { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'], operators: false } as const;

  app.get('/api/orgs/:orgId/products', { schema: { tags: ['catalog'], summary: 'List products', params: OrgIdParams }, config: { access: { kind: 'org', roles: 'any', orgKinds: ['brand'] } } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { products: await deps.store.listProductsWithSkus(orgId) };
  });

  app.post('/api/orgs/:orgId/products', { schema: { tags: ['catalog'], summary: 'Create product', params: OrgIdParams, body: CreateProductBody }, config: { access: editors } }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(CreateProductBody, request.body, request.locale);
    reply.code(201);
    return { product: await deps.catalog.create(orgId, body) };
  });

  app.patch('/api/orgs/:orgId/products/:productId', { schema: { tags: ['catalog'], summary: 'Update product', params: ProductParams, body: UpdateProductBody }, config: { access: editors } }, async (request) => {
    const { orgId, productId } = parseInput(ProductParams, request.params, request.locale);
    const body = parseInput(UpdateProductBody, request.body, request.locale);
    return { product: await deps.catalog.update(orgId, productId, body) };
  });

  app.patch('/api/orgs/:orgId/products/:productId/skus/:skuId', { schema: { tags: ['catalog'], summary: 'Update SKU', params: SkuParams, body: UpdateSkuBody }, config: { access: editors } }, async (request) => {
    const { orgId, productId, skuId } = parseInput(SkuParams, request.params, request.locale);
    const body = parseInput(UpdateSkuBody, request.body, request.locale);
    return { product: await deps.catalog.updateSku(orgId, productId, skuId, body) };
  });
}
