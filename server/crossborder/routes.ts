import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../platform/access.ts';
import { parseInput } from '../platform/validate.ts';
import type { CrossBorder } from './index.ts';
import { CrossBorderProductBody, IdentityBody, OrgOrderMessageParams, OrgOrderParams, OrgParams, OrgProductParams, ProductParams } from './schema.ts';

const tags = ['crossborder'];
const user = { access: { kind: 'user' } } as const;
// The customs messages carry the buyer's name and ID number: the brand's owner, admins and staff only.
const brandDesk = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'] } } as const;
const brandEditors = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'], operators: false } } as const;
// Verifying an identity is limited per account: an ID number cannot be guessed at speed.
const identityLimit = { max: 10, timeWindow: 60_000, keyGenerator: (request: { cookies: Record<string, string | undefined>; ip: string }) => request.cookies[SESSION_COOKIE] ?? request.ip };

/** 直播+跨境电商 (docs/CROSSBORDER.md). */
export function crossBorderRoutes(app: FastifyInstance, crossBorder: CrossBorder) {
  // The buyer.
  app.get('/api/crossborder/identity', { schema: { tags, summary: 'My real-name identity for cross-border orders and my annual total' }, config: user }, async (request) => crossBorder.identity(request.user!.id));
  app.put('/api/crossborder/identity', { schema: { tags, summary: 'Verify my real name and ID number (GB 11643)', body: IdentityBody }, config: { ...user, rateLimit: identityLimit } }, async (request) => {
    const body = parseInput(IdentityBody, request.body, request.locale);
    return crossBorder.verify(request.user!.id, body);
  });
  app.get('/api/crossborder/products/:productId', { schema: { tags, summary: "A cross-border product's origin, mode and tax class", params: ProductParams }, config: { access: { kind: 'public' } } }, async (request) => {
    const { productId } = parseInput(ProductParams, request.params, request.locale);
    return { product: await crossBorder.product(productId) };
  });

  // The brand.
  app.get('/api/orgs/:orgId/crossborder/products', { schema: { tags, summary: "The brand's cross-border products", params: OrgParams }, config: brandDesk }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { products: await crossBorder.brandProducts(orgId) };
  });
  app.put('/api/orgs/:orgId/crossborder/products/:productId', { schema: { tags, summary: 'Make a product cross-border: origin, mode, tax class', params: OrgProductParams, body: CrossBorderProductBody }, config: brandEditors }, async (request) => {
    const { orgId, productId } = parseInput(OrgProductParams, request.params, request.locale);
    const body = parseInput(CrossBorderProductBody, request.body, request.locale);
    return { product: await crossBorder.setProduct(orgId, productId, body) };
  });
  app.get('/api/orgs/:orgId/crossborder/declarations', { schema: { tags, summary: "The brand's paid cross-border orders with customs messages", params: OrgParams }, config: brandDesk }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { declarations: await crossBorder.declarations(orgId) };
  });
  app.get('/api/orgs/:orgId/crossborder/orders/:orderId/messages', { schema: { tags, summary: "An order's CEB311, CEB411 and CEB511 messages, validated against their XSDs", params: OrgOrderParams }, config: brandDesk }, async (request) => {
    const { orgId, orderId } = parseInput(OrgOrderParams, request.params, request.locale);
    return { messages: await crossBorder.messages(orgId, orderId) };
  });
  app.get('/api/orgs/:orgId/crossborder/orders/:orderId/messages/:type', { schema: { tags, summary: 'Download one customs message (XML)', params: OrgOrderMessageParams }, config: brandDesk }, async (request, reply) => {
    const { orgId, orderId, type } = parseInput(OrgOrderMessageParams, request.params, request.locale);
    const message = (await crossBorder.messages(orgId, orderId)).find((m) => m.type === type)!;
    reply.header('content-type', 'application/xml; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${type}-${orderId}.xml"`);
    return message.xml;
  });
}
