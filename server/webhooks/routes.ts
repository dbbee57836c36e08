import type { FastifyInstance } from 'fastify';
import { UpdateSkuBody } from '../catalog/schema.ts';
import type { CatalogService } from '../catalog/service.ts';
import { OrgIdParams } from '../orgs/schema.ts';
import type { Config } from '../platform/config.ts';
import { parseInput } from '../platform/validate.ts';
import { rateLimitKey } from './apikeys.ts';
import type { Webhooks } from './index.ts';
import { ApiKeyParams, OpenSkuParams, CreateApiKeyBody, CreateEndpointBody, DeliveryListQuery, DeliveryParams, EndpointParams, OpenEventsQuery, OpenOrdersQuery, UpdateEndpointBody } from './schema.ts';
import type { SelfAddress } from './urls.ts';

/**
 * The open platform's routes (docs/WEBHOOKS.md): an organisation's owners and admins manage its API
 * keys and webhook endpoints (never an operator: keys and secrets are the organisation's own); third
 * parties call /api/open/v1 with a key.
 */
export function webhooksRoutes(app: FastifyInstance, webhooks: Webhooks, config: Config, catalog: CatalogService) {
  const manage = { kind: 'org', roles: ['owner', 'admin'], operators: false } as const;

  app.addHook('onReady', async () => webhooks.start());
  app.addHook('onClose', async () => webhooks.stop());

  /** Where this server is reached: a webhook must never point back at it. */
  const self = (): SelfAddress => {
    const bound = app.server.address();
    const ports = [config.PORT];
    if (bound && typeof bound === 'object') ports.push(bound.port);
    return {
      origins: [...config.ALLOWED_ORIGINS, ...(config.PAYMENT_NOTIFY_BASE_URL ? [config.PAYMENT_NOTIFY_BASE_URL] : []), ...(config.MEDIA_PLAY_BASE_URL ? [config.MEDIA_PLAY_BASE_URL] : [])],
      hosts: [config.HOST],
      ports,
    };
  };

  // --- API keys ---
  app.get('/api/orgs/:orgId/api-keys', { schema: { tags: ['webhooks'], summary: 'List API keys', params: OrgIdParams }, config: { access: manage } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { apiKeys: await webhooks.apiKeys.list(orgId) };
  });
  app.post('/api/orgs/:orgId/api-keys', { schema: { tags: ['webhooks'], summary: 'Create API key', params: OrgIdParams, body: CreateApiKeyBody }, config: { access: manage } }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(CreateApiKeyBody, request.body, request.locale);
    reply.code(201);
    // The key itself is in this answer only.
    return webhooks.apiKeys.create(orgId, body, request.user!.id);
  });
  app.post('/api/orgs/:orgId/api-keys/:keyId/revoke', { schema: { tags: ['webhooks'], summary: 'Revoke API key', params: ApiKeyParams }, config: { access: manage } }, async (request) => {
    const { orgId, keyId } = parseInput(ApiKeyParams, request.params, request.locale);
    return { apiKey: await webhooks.apiKeys.revoke(orgId, keyId, request.user!.id) };
  });

  // --- webhook endpoints and their deliveries ---
  app.get('/api/orgs/:orgId/webhooks', { schema: { tags: ['webhooks'], summary: 'List webhooks', params: OrgIdParams }, config: { access: manage } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { endpoints: await webhooks.endpoints.list(orgId) };
  });
  app.post('/api/orgs/:orgId/webhooks', { schema: { tags: ['webhooks'], summary: 'Create webhook', params: OrgIdParams, body: CreateEndpointBody }, config: { access: manage } }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(CreateEndpointBody, request.body, request.locale);
    reply.code(201);
    return webhooks.endpoints.create(orgId, body, request.user!.id, self());
  });
  app.patch('/api/orgs/:orgId/webhooks/:endpointId', { schema: { tags: ['webhooks'], summary: 'Update webhook', params: EndpointParams, body: UpdateEndpointBody }, config: { access: manage } }, async (request) => {
    const { orgId, endpointId } = parseInput(EndpointParams, request.params, request.locale);
    const body = parseInput(UpdateEndpointBody, request.body, request.locale);
    return { endpoint: await webhooks.endpoints.update(orgId, endpointId, body, self()) };
  });
  app.delete('/api/orgs/:orgId/webhooks/:endpointId', { schema: { tags: ['webhooks'], summary: 'Delete webhook', params: EndpointParams }, config: { access: manage } }, async (request, reply) => {
    const { orgId, endpointId } = parseInput(EndpointParams, request.params, request.locale);
    await webhooks.endpoints.remove(orgId, endpointId);
    reply.code(204);
  });
  app.post('/api/orgs/:orgId/webhooks/:endpointId/reveal-secret', { schema: { tags: ['webhooks'], summary: "Reveal a webhook's signing secret", params: EndpointParams }, config: { access: manage } }, async (request) => {
    const { orgId, endpointId } = parseInput(EndpointParams, request.params, request.locale);
    return { secret: await webhooks.endpoints.revealSecret(orgId, endpointId) };
  });
  app.post('/api/orgs/:orgId/webhooks/:endpointId/rotate-secret', { schema: { tags: ['webhooks'], summary: "Rotate a webhook's signing secret", params: EndpointParams }, config: { access: manage } }, async (request) => {
    const { orgId, endpointId } = parseInput(EndpointParams, request.params, request.locale);
    return { secret: await webhooks.endpoints.rotateSecret(orgId, endpointId) };
  });
  app.get('/api/orgs/:orgId/webhook-deliveries', { schema: { tags: ['webhooks'], summary: 'List webhook deliveries', params: OrgIdParams, querystring: DeliveryListQuery }, config: { access: manage } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const query = parseInput(DeliveryListQuery, request.query, request.locale);
    return { deliveries: await webhooks.deliveries.list(orgId, query) };
  });
  app.post('/api/orgs/:orgId/webhook-deliveries/:deliveryId/resend', { schema: { tags: ['webhooks'], summary: 'Resend webhook delivery', params: DeliveryParams }, config: { access: manage } }, async (request) => {
    const { orgId, deliveryId } = parseInput(DeliveryParams, request.params, request.locale);
    await webhooks.deliveries.resend(orgId, deliveryId);
    return { ok: true };
  });

  // --- the open API, authenticated with an API key and limited per key ---
  const rateLimit = {
    max: config.APIKEY_RATE_LIMIT_PER_MIN,
    timeWindow: 60_000,
    keyGenerator: (request: { headers: { authorization?: string }; ip: string }) => rateLimitKey(request.headers.authorization, request.ip),
  };
  app.get('/api/open/v1/orders', { schema: { tags: ['webhooks'], summary: "The organisation's orders (API key)", querystring: OpenOrdersQuery }, config: { access: { kind: 'apiKey', scope: 'orders:read' }, rateLimit } }, async (request) => {
    const query = parseInput(OpenOrdersQuery, request.query, request.locale);
    return webhooks.open.orders(request.apiKey!.orgId, query);
  });
  app.get('/api/open/v1/events', { schema: { tags: ['webhooks'], summary: "The organisation's business events (API key)", querystring: OpenEventsQuery }, config: { access: { kind: 'apiKey', scope: 'events:read' }, rateLimit } }, async (request) => {
    const query = parseInput(OpenEventsQuery, request.query, request.locale);
    return webhooks.open.events(request.apiKey!.orgId, query.after ?? 0, query.limit ?? 100);
  });
  // A change made with a key, not a browser session: no cookie is involved, so there is no CSRF to check.
  app.patch('/api/open/v1/products/:productId/skus/:skuId', { schema: { tags: ['webhooks'], summary: "Update a SKU's price or stock (API key)", params: OpenSkuParams, body: UpdateSkuBody }, config: { access: { kind: 'apiKey', scope: 'products:write' }, csrf: false, rateLimit } }, async (request) => {
    const { productId, skuId } = parseInput(OpenSkuParams, request.params, request.locale);
    const body = parseInput(UpdateSkuBody, request.body, request.locale);
    // Another brand's product answers PRODUCT_NOT_FOUND, as for a missing one.
    return { product: await catalog.updateSku(request.apiKey!.orgId, productId, skuId, body) };
  });
}
