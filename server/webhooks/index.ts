import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db.ts';
import type { WebhookDeliveryStatus } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { Secrets } from '../platform/secrets.ts';
import { createApiKeys } from './apikeys.ts';
import { createWebhookConsumer, publicEvent } from './consumer.ts';
import type { WebhookEventType } from './schema.ts';
import { checkWebhookUrl, type SelfAddress } from './urls.ts';
import { createDeliveryWorker } from './worker.ts';

export type WebhooksDeps = { db: Db; clock: Clock; logger: Logger; config: Config; secrets: Secrets };

type EndpointRow = { id: string; org_id: string; url: string; description: string; event_types: string; enabled: number; created_at: string; updated_at: string };

function toEndpoint(row: EndpointRow) {
  return { id: row.id, url: row.url, description: row.description, eventTypes: JSON.parse(row.event_types) as WebhookEventType[], enabled: row.enabled === 1, createdAt: row.created_at, updatedAt: row.updated_at };
}

/**
 * The open platform (docs/WEBHOOKS.md): API keys, webhook endpoints, the business-event consumer that
 * records deliveries, the worker that sends them, and the read side of /api/open/v1.
 */
export function createWebhooks(deps: WebhooksDeps) {
  const { db, clock, config, secrets } = deps;
  const apiKeys = createApiKeys({ db, clock });
  const worker = createDeliveryWorker({
    db,
    clock,
    logger: deps.logger,
    secrets,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    concurrency: config.WEBHOOK_CONCURRENCY,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
  });
  const consumer = createWebhookConsumer({ clock, onRecorded: () => worker.poke() });

  async function endpointOf(orgId: string, endpointId: string) {
    const row = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', endpointId).where('org_id', '=', orgId).executeTakeFirst();
    if (!row) throw new AppError('WEBHOOK_NOT_FOUND');
    return row;
  }

  const endpoints = {
    async create(orgId: string, input: { url: string; description?: string; eventTypes: WebhookEventType[] }, userId: string, self: SelfAddress) {
      const url = checkWebhookUrl(input.url, self, config.WEBHOOK_ALLOW_PRIVATE);
      const secret = `whsec_${crypto.randomBytes(32).toString('base64url')}`;
      const at = clock.now().toISOString();
      const row = {
        id: newId(),
        org_id: orgId,
        url,
        description: input.description ?? '',
        event_types: JSON.stringify([...new Set(input.eventTypes)].sort()),
        secret_enc: secrets.encrypt(secret),
        enabled: 1,
        created_by: userId,
        created_at: at,
        updated_at: at,
      };
      await db.insertInto('webhook_endpoints').values(row).execute();
      return { endpoint: toEndpoint(row), secret };
    },

    async list(orgId: string) {
      const rows = await db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').orderBy('id').execute();
      const counts = rows.length
        ? await db
            .selectFrom('webhook_deliveries')
            .select(['endpoint_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
            .where('endpoint_id', 'in', rows.map((r) => r.id))
            .groupBy(['endpoint_id', 'status'])
            .execute()
        : [];
      return rows.map((r) => {
        const of = (status: WebhookDeliveryStatus) => Number(counts.find((c) => c.endpoint_id === r.id && c.status === status)?.n ?? 0);
        return { ...toEndpoint(r), deliveries: { pending: of('pending'), delivered: of('delivered'), failed: of('failed') } };
      });
    },

    async update(orgId: string, endpointId: string, input: { url?: string; description?: string; eventTypes?: WebhookEventType[]; enabled?: boolean }, self: SelfAddress) {
      const row = await endpointOf(orgId, endpointId);
      const next = {
        url: input.url !== undefined ? checkWebhookUrl(input.url, self, config.WEBHOOK_ALLOW_PRIVATE) : row.url,
        description: input.description ?? row.description,
        event_types: input.eventTypes ? JSON.stringify([...new Set(input.eventTypes)].sort()) : row.event_types,
        enabled: input.enabled === undefined ? row.enabled : input.enabled ? 1 : 0,
        updated_at: clock.now().toISOString(),
      };
      await db.updateTable('webhook_endpoints').set(next).where('id', '=', endpointId).execute();
      return toEndpoint({ ...row, ...next });
    },

    async remove(orgId: string, endpointId: string) {
      await endpointOf(orgId, endpointId);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', endpointId).execute();
        await trx.deleteFrom('webhook_endpoints').where('id', '=', endpointId).execute();
      });
    },

    /** The signing secret, for an owner or admin who lost it. */
    async revealSecret(orgId: string, endpointId: string) {
      return secrets.decrypt((await endpointOf(orgId, endpointId)).secret_enc);
    },

    /** A new signing secret; the old one stops signing at once. */
    async rotateSecret(orgId: string, endpointId: string) {
      await endpointOf(orgId, endpointId);
      const secret = `whsec_${crypto.randomBytes(32).toString('base64url')}`;
      await db.updateTable('webhook_endpoints').set({ secret_enc: secrets.encrypt(secret), updated_at: clock.now().toISOString() }).where('id', '=', endpointId).execute();
      return secret;
    },
  };

  const deliveries = {
    async list(orgId: string, filter: { endpointId?: string; status?: WebhookDeliveryStatus; limit?: number }) {
      let q = db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
        .select(['d.id', 'd.endpoint_id', 'e.url', 'd.event_id', 'd.event_type', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.last_attempt_at', 'd.last_status_code', 'd.last_error', 'd.delivered_at', 'd.created_at'])
        .where('d.org_id', '=', orgId);
      if (filter.endpointId) q = q.where('d.endpoint_id', '=', filter.endpointId);
      if (filter.status) q = q.where('d.status', '=', filter.status);
      const rows = await q.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(filter.limit ?? 50).execute();
      return rows.map((r) => ({
        id: r.id,
        endpointId: r.endpoint_id,
        url: r.url,
        eventId: r.event_id,
        eventType: r.event_type,
        status: r.status,
        attempts: Number(r.attempts),
        // While an attempt is in flight its lease is not an attempt time the user should see.
        nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
        lastAttemptAt: r.last_attempt_at,
        lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
        lastError: r.last_error,
        deliveredAt: r.delivered_at,
        createdAt: r.created_at,
      }));
    },

    /** Sends a delivery again now, whatever its state (receivers de-duplicate by event id). */
    async resend(orgId: string, deliveryId: string) {
      const row = await db.selectFrom('webhook_deliveries').select('id').where('id', '=', deliveryId).where('org_id', '=', orgId).executeTakeFirst();
      if (!row) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND');
      await db.updateTable('webhook_deliveries').set({ status: 'pending', attempts: 0, next_attempt_at: clock.now().toISOString(), delivered_at: null }).where('id', '=', deliveryId).execute();
      worker.poke();
    },
  };

  const open = {
    /** The organisation's business events after `after` (a seq), redacted. */
    async events(orgId: string, after: number, limit: number) {
      const rows = await db
        .selectFrom('org_events as o')
        .innerJoin('business_events as b', 'b.seq', 'o.seq')
        .select(['b.seq', 'b.id', 'b.type', 'b.payload', 'b.occurred_at'])
        .where('o.org_id', '=', orgId)
        .where('o.seq', '>', after)
        .orderBy('o.seq')
        .limit(limit)
        .execute();
      const events = rows.map((r) => ({ seq: Number(r.seq), ...publicEvent({ id: r.id, type: r.type, occurredAt: r.occurred_at, payload: JSON.parse(r.payload) as Record<string, unknown> }) }));
      return { events, next: events.length ? events.at(-1)!.seq : after };
    },

    /** The organisation's orders, newest first, without the buyer: no buyer id, name, phone or address. */
    async orders(orgId: string, query: { status?: string; cursor?: string; limit?: number }) {
      const limit = query.limit ?? 50;
      let q = db
        .selectFrom('orders')
        .select([
          'id', 'status', 'session_id', 'flash_sale_id', 'items_total_fen', 'discount_fen', 'shipping_fen', 'total_fen', 'refunded_fen', 'coupon_title',
          'created_at', 'paid_at', 'shipped_at', 'carrier', 'tracking_no', 'delivered_at', 'completed_at', 'cancelled_at', 'cancel_reason',
        ])
        .where('brand_org_id', '=', orgId);
      if (query.status) q = q.where('status', '=', query.status as 'paid');
      if (query.cursor) {
        const [createdAt, id] = Buffer.from(query.cursor, 'base64url').toString('utf8').split('|');
        if (!createdAt || !id) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'cursor', code: 'CURSOR_INVALID', message: 'cursor' }]);
        q = q.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
      }
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      const items = page.length
        ? await db
            .selectFrom('order_items')
            .select(['id', 'order_id', 'product_id', 'sku_id', 'title', 'spec', 'unit_price_fen', 'quantity', 'paid_fen', 'refunded_fen'])
            .where('order_id', 'in', page.map((o) => o.id))
            .orderBy('id')
            .execute()
        : [];
      const last = page.at(-1);
      return {
        orders: page.map((o) => ({
          id: o.id,
          status: o.status,
          sessionId: o.session_id,
          flashSaleId: o.flash_sale_id,
          itemsTotalFen: o.items_total_fen,
          discountFen: o.discount_fen,
          shippingFen: o.shipping_fen,
          totalFen: o.total_fen,
          refundedFen: o.refunded_fen,
          couponTitle: o.coupon_title,
          createdAt: o.created_at,
          paidAt: o.paid_at,
          shippedAt: o.shipped_at,
          carrier: o.carrier,
          trackingNo: o.tracking_no,
          deliveredAt: o.delivered_at,
          completedAt: o.completed_at,
          cancelledAt: o.cancelled_at,
          cancelReason: o.cancel_reason,
          items: items
            .filter((i) => i.order_id === o.id)
            .map((i) => ({ id: i.id, productId: i.product_id, skuId: i.sku_id, title: i.title, spec: parseSpec(i.spec), unitPriceFen: i.unit_price_fen, quantity: i.quantity, paidFen: i.paid_fen, refundedFen: i.refunded_fen })),
        })),
        next: rows.length > limit && last ? Buffer.from(`${last.created_at}|${last.id}`).toString('base64url') : null,
      };
    },
  };

  return {
    apiKeys,
    endpoints,
    deliveries,
    open,
    consumer,
    worker,
    start: () => worker.start(),
    stop: () => worker.stop(),
  };
}

function parseSpec(spec: string): Record<string, string> {
  try {
    return JSON.parse(spec) as Record<string, string>;
  } catch {
    return {};
  }
}

export type Webhooks = ReturnType<typeof createWebhooks>;
