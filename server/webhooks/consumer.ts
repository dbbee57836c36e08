import type { BusinessEvent } from '../events/outbox.ts';
import type { EventConsumer } from '../events/runner.ts';
import type { Clock } from '../platform/clock.ts';
import type { WebhookDeliveriesTable } from '../platform/db-types.ts';
import { newId } from '../platform/ids.ts';
import { WEBHOOK_EVENT_TYPES } from './schema.ts';

/**
 * What an event says to the outside: an allow-list of the order payload's fields (docs/EVENTS.md).
 * The buyer's id is left out, as is anything a later payload might carry about the buyer.
 */
const PUBLIC_FIELDS = ['orderId', 'brandOrgId', 'sessionId', 'flashSaleId', 'status', 'totalFen', 'refundedFen', 'paidAt', 'items', 'afterSaleId', 'kind', 'itemId', 'amountFen', 'cancelReason', 'wasPaid'];

export function redactPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of PUBLIC_FIELDS) if (key in payload) out[key] = payload[key];
  return out;
}

/** The body of a delivery and of an entry of /api/open/v1/events. */
export function publicEvent(event: { id: string; type: string; occurredAt: string; payload: Record<string, unknown> }) {
  return { id: event.id, type: event.type, createdAt: event.occurredAt, data: redactPayload(event.payload) };
}

/**
 * The open platform as a consumer of business events. In the transaction that moves its position it
 * indexes each order event under its brand (org_events, read by /api/open/v1/events) and records one
 * delivery per subscribed endpoint × event; the worker (worker.ts) sends them afterwards, outside
 * this transaction, so a slow receiver never holds the outbox. The unique (endpoint, event) makes a
 * batch handled twice record each delivery once.
 */
export function createWebhookConsumer(deps: { clock: Clock; onRecorded: () => void }): EventConsumer {
  return {
    name: 'webhooks',
    types: WEBHOOK_EVENT_TYPES,
    async handle(trx, events: BusinessEvent[]) {
      const owned = events
        .map((e) => ({ e, orgId: (e.payload as { brandOrgId?: unknown }).brandOrgId }))
        .filter((x): x is { e: BusinessEvent; orgId: string } => typeof x.orgId === 'string');
      if (!owned.length) return;
      for (let i = 0; i < owned.length; i += 200) {
        await trx
          .insertInto('org_events')
          .values(owned.slice(i, i + 200).map(({ e, orgId }) => ({ org_id: orgId, seq: e.seq, event_id: e.id, type: e.type })))
          .onConflict((oc) => oc.columns(['org_id', 'seq']).doNothing())
          .execute();
      }
      const orgIds = [...new Set(owned.map((x) => x.orgId))];
      const endpoints = [];
      for (let i = 0; i < orgIds.length; i += 1000) {
        endpoints.push(
          ...(await trx
            .selectFrom('webhook_endpoints')
            .select(['id', 'org_id', 'event_types', 'created_at'])
            .where('org_id', 'in', orgIds.slice(i, i + 1000))
            .where('enabled', '=', 1)
            .execute()),
        );
      }
      if (!endpoints.length) return;
      const at = deps.clock.now().toISOString();
      const deliveries: WebhookDeliveriesTable[] = [];
      for (const { e, orgId } of owned) {
        for (const endpoint of endpoints) {
          if (endpoint.org_id !== orgId) continue;
          // An endpoint hears of what happens after it was registered, not the organisation's history.
          if (e.occurredAt < endpoint.created_at) continue;
          if (!(JSON.parse(endpoint.event_types) as string[]).includes(e.type)) continue;
          deliveries.push({
            id: newId(),
            endpoint_id: endpoint.id,
            org_id: orgId,
            event_id: e.id,
            event_type: e.type,
            status: 'pending',
            attempts: 0,
            next_attempt_at: at,
            last_attempt_at: null,
            last_status_code: null,
            last_error: null,
            delivered_at: null,
            created_at: at,
          });
        }
      }
      for (let i = 0; i < deliveries.length; i += 200) {
        await trx
          .insertInto('webhook_deliveries')
          .values(deliveries.slice(i, i + 200))
          .onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).doNothing())
          .execute();
      }
      // The worker looks again shortly (after this transaction has committed); its own timer covers other nodes.
      if (deliveries.length) deps.onRecorded();
    },
  };
}
