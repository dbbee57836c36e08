import { sql, type Transaction } from 'kysely';
import type { Database } from '../platform/db-types.ts';
import type { Dialect } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';

/**
 * Business events: facts other domains act on (the ledger, the big screen, webhooks, metrics),
 * written to the `business_events` table in the same transaction as the change they describe, so a
 * fact is recorded exactly when it becomes true. Consumers read them in `seq` order (see runner.ts).
 * The catalogue of types and their payloads is in docs/EVENTS.md.
 */
export type EventType =
  | 'order.paid'
  | 'order.shipped'
  | 'order.delivered'
  | 'order.completed'
  | 'order.cancelled'
  | 'order.refunded'
  // life-service vouchers (server/vouchers, docs/VOUCHERS.md)
  | 'voucher.redeemed'
  // MCN contracts (server/mcn, docs/MCN.md)
  | 'contract.offered'
  | 'contract.accepted'
  | 'contract.declined'
  | 'contract.cancelled'
  | 'contract.terminated'
  | 'contract.renewed'
  // cooperation (server/cooperation, docs/COOPERATION.md)
  | 'offer.listed'
  | 'offer.updated'
  | 'application.submitted'
  | 'application.approved'
  | 'application.rejected'
  | 'application.revoked'
  | 'sample.requested'
  | 'sample.approved'
  | 'sample.rejected'
  | 'sample.shipped'
  | 'sample.received'
  | 'sample.return_shipped'
  | 'sample.returned'
  | 'sample.kept'
  | 'slotfee.proposed'
  | 'slotfee.accepted'
  | 'slotfee.rejected'
  | 'slotfee.settled'
  // B2B, origin certification and exhibitions (server/b2b, server/origin, server/exhibitions; docs/EVENTS.md)
  | 'b2b.licence.reviewed'
  | 'b2b.rfq.quoted'
  | 'b2b.lead.captured'
  | 'origin.proceeds.posted'
  | 'exhibition.inquiry.received'
  // live auctions (server/auctions, docs/AUCTIONS.md)
  | 'auction.closed'
  | 'auction.won'
  | 'auction.lapsed'
  // 定金预售 (server/presale, docs/PRESALE.md)
  | 'presale.deposit_kept'
  | 'presale.seller_failed';

export type NewEvent = { type: EventType; subjectId: string; payload: Record<string, unknown>; occurredAt: string; id?: string };

export type BusinessEvent = { seq: number; id: string; type: EventType; subjectId: string; payload: Record<string, unknown>; occurredAt: string };

export type Outbox = {
  /** Appends events inside the caller's transaction: they exist if, and only if, it commits. */
  record(trx: Transaction<Database>, events: NewEvent[]): Promise<void>;
};

export function createOutbox(dialect: Dialect): Outbox {
  return {
    async record(trx, events) {
      if (!events.length) return;
      if (dialect === 'postgres') {
        // Consumers read by seq, so a seq must never become visible after a larger one: event writers
        // take this lock (held to their commit) before drawing a seq, so they commit in seq order.
        // SQLite has one writer at a time already. The lock is per schema, for deployments sharing a database.
        await sql`select pg_advisory_xact_lock(hashtext(current_schema() || '.business_events'))`.execute(trx);
      }
      await trx
        .insertInto('business_events')
        .values(events.map((e) => ({ id: e.id ?? newId(), type: e.type, subject_id: e.subjectId, payload: JSON.stringify(e.payload), occurred_at: e.occurredAt })))
        .execute();
    },
  };
}

export function toBusinessEvent(row: { seq: number; id: string; type: string; subject_id: string; payload: string; occurred_at: string }): BusinessEvent {
  return { seq: Number(row.seq), id: row.id, type: row.type as EventType, subjectId: row.subject_id, payload: JSON.parse(row.payload) as Record<string, unknown>, occurredAt: row.occurred_at };
}
