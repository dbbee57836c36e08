import { sql, type Kysely } from 'kysely';

// Refunds of a charged studio booking (docs/BASES.md, "Refunds"): the base gives back part or all of what
// a booking was charged (its studio time or its late-cancellation fee), each refund a transfer
// `studio-refund:<bookingId>:<seq>` from `base:<orgId>` to the account that paid. `refunded_fen` on the
// booking is the sum of its refunds; each refund is a row, unique by its number within the booking and
// by the Idempotency-Key the request carried (a retried request finds its refund instead of making another).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('studio_bookings').addColumn('refunded_fen', 'bigint', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('studio_booking_refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('booking_id', 'text', (c) => c.notNull().references('studio_bookings.id'))
    .addColumn('base_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    /** 1, 2, … within the booking: the <n> of the transfer key studio-refund:<bookingId>:<n>. */
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    /** The ledger account credited: the one the booking's charge was taken from. */
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('refunded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('studio_booking_refunds_amount', sql`amount_fen > 0`)
    .execute();
  await db.schema.createIndex('studio_booking_refunds_seq').on('studio_booking_refunds').columns(['booking_id', 'seq']).unique().execute();
  await db.schema.createIndex('studio_booking_refunds_key').on('studio_booking_refunds').columns(['booking_id', 'idempotency_key']).unique().execute();
  await db.schema.createIndex('studio_booking_refunds_base').on('studio_booking_refunds').columns(['base_org_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('studio_booking_refunds').execute();
  await db.schema.alterTable('studio_bookings').dropColumn('refunded_fen').execute();
}
