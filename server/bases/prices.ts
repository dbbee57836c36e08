import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import type { StudioBookingPriceChangesTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { bookingOut } from './store.ts';

export type PricesDeps = { db: Db; dialect: Dialect; clock: Clock };

export function priceChangeOut(r: StudioBookingPriceChangesTable & { changed_by_name?: string | null }) {
  return {
    id: r.id,
    bookingId: r.booking_id,
    baseId: r.base_org_id,
    oldPriceFen: Number(r.old_price_fen),
    newPriceFen: Number(r.new_price_fen),
    reason: r.reason,
    changedBy: r.changed_by,
    changedByName: r.changed_by_name ?? null,
    createdAt: r.created_at,
  };
}
export type PriceChange = ReturnType<typeof priceChangeOut>;

/**
 * A booking's price changed by its base before it is charged (docs/BASES.md, "Price changes"): a discount
 * agreed with a tenant, say. The new price is the booking's `price_fen`, so it is what the sweep charges once
 * the booking ends (server/bases/fees.ts) and what a late cancellation's fee is reckoned from; each change is
 * a row of `studio_booking_price_changes` (who, when, old, new, why) that the base and the booker see.
 *
 * One transaction per change, which first locks the booking's row (PostgreSQL: `select … for update`; SQLite
 * has one writer and Kysely one transaction at a time) and then checks it is still booked and uncharged: the
 * sweep claims bookings with `for update skip locked` and a conditional update of `charged_at`, so a booking
 * is either charged at its old price before the change (which is then refused) or at its new one after it.
 */
export function createBookingPrices(deps: PricesDeps) {
  const { db, dialect, clock } = deps;

  /** The changes of these bookings, oldest first, with the changer's display name. */
  async function ofBookings(bookingIds: string[]) {
    if (!bookingIds.length) return [];
    const rows = await db
      .selectFrom('studio_booking_price_changes as c')
      .innerJoin('users as u', 'u.id', 'c.changed_by')
      .selectAll('c')
      .select('u.display_name as changed_by_name')
      .where('c.booking_id', 'in', bookingIds)
      .orderBy('c.created_at')
      .orderBy('c.id')
      .execute();
    return rows.map(priceChangeOut);
  }

  return {
    ofBookings,

    /**
     * Sets the price of a booking of `baseOrgId`. Refused, with nothing stored: a booking of another base
     * or none (BOOKING_NOT_FOUND), a cancelled one (BOOKING_STATE_CONFLICT), one already charged
     * (BOOKING_ALREADY_CHARGED: a refund is the adjustment then). The same price again changes and records
     * nothing (`created: false`), so a retried request does not record a second change.
     */
    async change(baseOrgId: string, bookingId: string, userId: string, input: { priceFen: number; reason: string }) {
      return db.transaction().execute(async (trx) => {
        // The lock is its own statement: what follows reads the booking as the sweep or a cancel left it.
        if (dialect === 'postgres') await trx.selectFrom('studio_bookings').select('id').where('id', '=', bookingId).forUpdate().execute();
        const b = await trx.selectFrom('studio_bookings').selectAll().where('id', '=', bookingId).executeTakeFirst();
        if (!b || b.base_org_id !== baseOrgId) throw new AppError('BOOKING_NOT_FOUND');
        if (b.status !== 'booked') throw new AppError('BOOKING_STATE_CONFLICT', { status: b.status });
        if (b.charged_at) throw new AppError('BOOKING_ALREADY_CHARGED');
        const oldPrice = Number(b.price_fen);
        if (oldPrice === input.priceFen) return { booking: bookingOut(b), change: null, created: false };
        const updated = await trx
          .updateTable('studio_bookings')
          .set({ price_fen: input.priceFen })
          .where('id', '=', bookingId)
          .where('status', '=', 'booked')
          .where('charged_at', 'is', null)
          .where('price_fen', '=', oldPrice)
          .returningAll()
          .executeTakeFirst();
        // Cannot happen under the lock; a guard all the same.
        if (!updated) throw new AppError('BOOKING_STATE_CONFLICT', { status: b.status });
        const row: StudioBookingPriceChangesTable = {
          id: newId(),
          booking_id: bookingId,
          base_org_id: baseOrgId,
          old_price_fen: oldPrice,
          new_price_fen: input.priceFen,
          reason: input.reason,
          changed_by: userId,
          created_at: clock.now().toISOString(),
        };
        await trx.insertInto('studio_booking_price_changes').values(row).execute();
        const name = await trx.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
        return { booking: bookingOut(updated), change: priceChangeOut({ ...row, changed_by_name: name?.display_name ?? null }), created: true };
      });
    },

    /**
     * The base's price-change panel: its live bookings not charged yet (soonest first; the ones whose price
     * can still change) and its latest changes (newest first), each with the booking's studio and booker.
     */
    async overview(baseOrgId: string, limits = { bookings: 50, changes: 30 }) {
      const bookings = await db
        .selectFrom('studio_bookings as b')
        .innerJoin('studios as s', 's.id', 'b.studio_id')
        .selectAll('b')
        .select('s.name as studio_name')
        .where('b.base_org_id', '=', baseOrgId)
        .where('b.status', '=', 'booked')
        .where('b.charged_at', 'is', null)
        .orderBy('b.starts_at')
        .orderBy('b.id')
        .limit(limits.bookings)
        .execute();
      const changes = await db
        .selectFrom('studio_booking_price_changes as c')
        .innerJoin('studio_bookings as b', 'b.id', 'c.booking_id')
        .innerJoin('studios as s', 's.id', 'b.studio_id')
        .innerJoin('users as u', 'u.id', 'c.changed_by')
        .selectAll('c')
        .select(['b.title', 'b.starts_at', 'b.ends_at', 'b.booker_org_id', 'b.booked_by', 's.name as studio_name', 'u.display_name as changed_by_name'])
        .where('c.base_org_id', '=', baseOrgId)
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id', 'desc')
        .limit(limits.changes)
        .execute();
      const ids = [...new Set([...bookings, ...changes].map((r) => r.booker_org_id ?? r.booked_by))];
      const orgs = ids.length ? await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute() : [];
      const users = ids.length ? await db.selectFrom('users').select(['id', 'display_name as name']).where('id', 'in', ids).execute() : [];
      const names = new Map([...orgs, ...users].map((n) => [n.id, n.name]));
      const changed = await ofBookings(bookings.map((b) => b.id));
      return {
        bookings: bookings.map((b) => ({ ...bookingOut(b), studioName: b.studio_name, bookerName: names.get(b.booker_org_id ?? b.booked_by) ?? null, priceChanges: changed.filter((c) => c.bookingId === b.id) })),
        changes: changes.map((c) => ({ ...priceChangeOut(c), title: c.title, startsAt: c.starts_at, endsAt: c.ends_at, studioName: c.studio_name, bookerName: names.get(c.booker_org_id ?? c.booked_by) ?? null })),
      };
    },
  };
}

export type BookingPrices = ReturnType<typeof createBookingPrices>;
