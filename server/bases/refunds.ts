import { sql } from 'kysely';
import { ACCOUNTS } from '../ledger/postings.ts';
import type { LedgerStore, Trx } from '../ledger/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import type { StudioBookingRefundsTable, StudioBookingsTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { chargeKey } from './fees.ts';
import { bookingOut } from './store.ts';

export type RefundsDeps = { db: Db; dialect: Dialect; clock: Clock; ledger: Pick<LedgerStore, 'post' | 'lockedBalance'> };

export function refundOut(r: StudioBookingRefundsTable) {
  return {
    id: r.id,
    bookingId: r.booking_id,
    baseId: r.base_org_id,
    seq: Number(r.seq),
    amountFen: Number(r.amount_fen),
    reason: r.reason,
    accountId: r.account_id,
    refundedBy: r.refunded_by,
    createdAt: r.created_at,
    /** Its ledger transfer's key. */
    transferKey: refundKey(r.booking_id, Number(r.seq)),
  };
}
export type Refund = ReturnType<typeof refundOut>;

/** The ledger key of a booking's n-th refund. */
export const refundKey = (bookingId: string, seq: number) => `studio-refund:${bookingId}:${seq}`;

/**
 * Refunds of charged studio bookings (docs/BASES.md, "Refunds"): the base's owners and admins give back
 * part or all of what a booking was charged, with a reason. Each refund is a transfer
 * `studio-refund:<bookingId>:<n>` (kind `studio_refund`): base −R, the account that paid +R (read from the
 * charge's own postings). One transaction per refund, which first locks the booking's row (PostgreSQL:
 * `select … for update`; SQLite has one writer), so refunds of one booking take turns: of two that together
 * exceed what is left, the second finds the first's amount already counted and is refused. A request
 * carries an Idempotency-Key; the same key again finds its refund (200) instead of refunding twice.
 */
export function createStudioRefunds(deps: RefundsDeps) {
  const { db, dialect, clock, ledger } = deps;

  /** The charge's postings: what the base received and the account it came from; null when nothing was posted through Zhibo. */
  async function chargeOf(q: Trx | Db, b: Pick<StudioBookingsTable, 'id' | 'status' | 'base_org_id' | 'charged_at'>) {
    if (!b.charged_at) return null;
    const postings = await q
      .selectFrom('ledger_transfers as t')
      .innerJoin('ledger_postings as p', 'p.transfer_id', 't.id')
      .select(['p.account_id', 'p.amount_fen'])
      .where('t.key', '=', chargeKey(b))
      .execute();
    const toBase = postings.find((p) => p.account_id === ACCOUNTS.base(b.base_org_id) && Number(p.amount_fen) > 0);
    const payer = postings.find((p) => Number(p.amount_fen) < 0);
    if (!toBase || !payer) return null;
    return { chargedFen: Number(toBase.amount_fen), payerAccountId: payer.account_id };
  }

  return {
    /**
     * Refunds `amountFen` of a booking of `baseOrgId`. Refused, with nothing stored or posted: a booking of
     * another base (BOOKING_NOT_FOUND), one not charged through the ledger (BOOKING_NOT_CHARGED), more than
     * charged less already refunded (BOOKING_REFUND_EXCEEDS), more than the base's balance
     * (BOOKING_REFUND_BALANCE_LOW), the key of another refund (BOOKING_REFUND_KEY_REUSED).
     */
    async refund(baseOrgId: string, bookingId: string, userId: string, input: { amountFen: number; reason: string }, idempotencyKey: string) {
      return db.transaction().execute(async (trx) => {
        // The lock is its own statement: what follows reads the refunds committed while it waited.
        if (dialect === 'postgres') await trx.selectFrom('studio_bookings').select('id').where('id', '=', bookingId).forUpdate().execute();
        const b = await trx.selectFrom('studio_bookings').selectAll().where('id', '=', bookingId).executeTakeFirst();
        if (!b || b.base_org_id !== baseOrgId) throw new AppError('BOOKING_NOT_FOUND');
        const prior = await trx.selectFrom('studio_booking_refunds').selectAll().where('booking_id', '=', bookingId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
        if (prior) {
          if (Number(prior.amount_fen) !== input.amountFen || prior.reason !== input.reason) throw new AppError('BOOKING_REFUND_KEY_REUSED');
          return { refund: refundOut(prior), booking: bookingOut(b), created: false };
        }
        const charge = await chargeOf(trx, b);
        if (!charge) throw new AppError('BOOKING_NOT_CHARGED');
        const refundable = charge.chargedFen - Number(b.refunded_fen);
        if (input.amountFen > refundable) throw new AppError('BOOKING_REFUND_EXCEEDS', { refundableFen: refundable });
        const baseAccount = ACCOUNTS.base(baseOrgId);
        const balance = (await ledger.lockedBalance(trx, baseAccount)) ?? 0;
        if (input.amountFen > balance) throw new AppError('BOOKING_REFUND_BALANCE_LOW', { balanceFen: balance });

        const at = clock.now().toISOString();
        const last = await trx.selectFrom('studio_booking_refunds').select((eb) => eb.fn.max<number | null>('seq').as('seq')).where('booking_id', '=', bookingId).executeTakeFirst();
        const seq = Number(last?.seq ?? 0) + 1;
        const row: StudioBookingRefundsTable = {
          id: newId(),
          booking_id: bookingId,
          base_org_id: baseOrgId,
          seq,
          amount_fen: input.amountFen,
          reason: input.reason,
          account_id: charge.payerAccountId,
          refunded_by: userId,
          idempotency_key: idempotencyKey,
          created_at: at,
        };
        const updated = await trx
          .updateTable('studio_bookings')
          .set({ refunded_fen: sql<number>`refunded_fen + ${input.amountFen}` })
          .where('id', '=', bookingId)
          .where('refunded_fen', '=', Number(b.refunded_fen))
          .returningAll()
          .executeTakeFirst();
        // Cannot happen under the lock; a guard all the same.
        if (!updated) throw new AppError('BOOKING_STATE_CONFLICT', { status: b.status });
        await trx.insertInto('studio_booking_refunds').values(row).execute();
        const posted = await ledger.post(
          trx,
          [
            {
              key: refundKey(bookingId, seq),
              kind: 'studio_refund',
              orderId: null,
              eventId: null,
              memo: `直播间退款 studio refund: ${input.reason}`.slice(0, 240),
              postings: [
                { accountId: baseAccount, amountFen: -input.amountFen },
                { accountId: charge.payerAccountId, amountFen: input.amountFen },
              ],
            },
          ],
          at,
        );
        if (!posted.has(refundKey(bookingId, seq))) throw new Error(`bases: refund key ${refundKey(bookingId, seq)} was already posted`);
        return { refund: refundOut(row), booking: bookingOut(updated), created: true };
      });
    },

    /** The base's latest refunds, newest first, with the booking's title, studio and who paid it. */
    async list(baseOrgId: string, limit = 20) {
      const rows = await db
        .selectFrom('studio_booking_refunds as r')
        .innerJoin('studio_bookings as b', 'b.id', 'r.booking_id')
        .innerJoin('studios as s', 's.id', 'b.studio_id')
        .innerJoin('users as u', 'u.id', 'r.refunded_by')
        .selectAll('r')
        .select(['b.title', 'b.starts_at', 'b.ends_at', 's.name as studio_name', 'u.display_name as refunded_by_name'])
        .where('r.base_org_id', '=', baseOrgId)
        .orderBy('r.created_at', 'desc')
        .orderBy('r.id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...refundOut(r), title: r.title, studioName: r.studio_name, startsAt: r.starts_at, endsAt: r.ends_at, refundedByName: r.refunded_by_name }));
    },

    /**
     * The base's latest charged bookings (latest end first), each with what was charged through the ledger,
     * what was refunded and what can still be: the bookings the console offers to refund.
     */
    async charged(baseOrgId: string, limit = 30) {
      const rows = await db
        .selectFrom('studio_bookings as b')
        .innerJoin('studios as s', 's.id', 'b.studio_id')
        .selectAll('b')
        .select('s.name as studio_name')
        .where('b.base_org_id', '=', baseOrgId)
        .where('b.charged_at', 'is not', null)
        .orderBy('b.ends_at', 'desc')
        .orderBy('b.id', 'desc')
        .limit(limit)
        .execute();
      const keys = rows.map(chargeKey);
      const charges = keys.length
        ? await db
            .selectFrom('ledger_transfers as t')
            .innerJoin('ledger_postings as p', 'p.transfer_id', 't.id')
            .select(['t.key', 'p.amount_fen'])
            .where('t.key', 'in', keys)
            .where('p.account_id', '=', ACCOUNTS.base(baseOrgId))
            .execute()
        : [];
      const chargedOf = new Map(charges.map((c) => [c.key, Number(c.amount_fen)]));
      const ids = [...new Set(rows.flatMap((r) => [r.booker_org_id ?? r.booked_by]))];
      const orgs = ids.length ? await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute() : [];
      const users = ids.length ? await db.selectFrom('users').select(['id', 'display_name as name']).where('id', 'in', ids).execute() : [];
      const names = new Map([...orgs, ...users].map((n) => [n.id, n.name]));
      return rows.map((r) => {
        const chargedFen = chargedOf.get(chargeKey(r)) ?? 0;
        const refundedFen = Number(r.refunded_fen);
        return {
          ...bookingOut(r),
          studioName: r.studio_name,
          bookerName: names.get(r.booker_org_id ?? r.booked_by) ?? null,
          /** What the ledger charged (0 when it was settled outside Zhibo, before 0030, or cost nothing). */
          chargedFen,
          refundableFen: Math.max(0, chargedFen - refundedFen),
        };
      });
    },
  };
}

export type StudioRefunds = ReturnType<typeof createStudioRefunds>;
