import type { Kysely } from 'kysely';

// A payment that came in for an order it can no longer pay (docs/COMMERCE.md, "A payment too many"): the order
// was cancelled meanwhile, or another trade of the same order paid it first. Its money goes back in whole
// through an after-sale that names it in `payment_id`. Such a refund returns that payment, not part of the
// order: it leaves the order's `refunded_fen`, its refund limit and the ledger alone. Before, it was booked
// as a refund of the order, so a second payment of a paid order cancelled the order and marked it refunded
// in full while the first payment stayed with the platform.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('after_sales').addColumn('payment_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('after_sales').dropColumn('payment_id').execute();
}
