import { z } from 'zod';

/** What an API key may do (docs/WEBHOOKS.md). */
export const API_KEY_SCOPES = ['events:read', 'orders:read', 'products:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** The events an organisation can receive: those about its own orders (docs/EVENTS.md). */
export const WEBHOOK_EVENT_TYPES = ['order.paid', 'order.shipped', 'order.delivered', 'order.completed', 'order.cancelled', 'order.refunded'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);

export const CreateApiKeyBody = z.strictObject({
  name: text(60),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(API_KEY_SCOPES.length),
});

export const ApiKeyParams = z.strictObject({ orgId: z.string().min(1).max(64), keyId: z.string().min(1).max(64) });

export const CreateEndpointBody = z.strictObject({
  url: z.string().trim().min(1).max(2000),
  description: z.string().trim().max(200).optional(),
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length),
});

export const UpdateEndpointBody = z.strictObject({
  url: z.string().trim().min(1).max(2000).optional(),
  description: z.string().trim().max(200).optional(),
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length).optional(),
  enabled: z.boolean().optional(),
});

export const EndpointParams = z.strictObject({ orgId: z.string().min(1).max(64), endpointId: z.string().min(1).max(64) });
export const DeliveryParams = z.strictObject({ orgId: z.string().min(1).max(64), deliveryId: z.string().min(1).max(64) });

export const DeliveryListQuery = z.strictObject({
  endpointId: z.string().min(1).max(64).optional(),
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const OpenSkuParams = z.strictObject({ productId: z.string().min(1).max(64), skuId: z.string().min(1).max(64) });

export const OpenEventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const OpenOrdersQuery = z.strictObject({
  status: z.enum(['pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled']).optional(),
  /** The `next` cursor of the previous page. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
