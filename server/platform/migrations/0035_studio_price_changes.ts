import { sql, type Kysely } from 'kysely';

// A booking's price changed by its base before it is charged (docs/BASES.md, "Price changes"): a discount
// agreed with a tenant, say. `studio_bookings.price_fen` holds the new price (what the sweep charges once
// the booking ends); each change is a row here: who, when, the old and the new price, and why.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('studio_booking_price_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('booking_id', 'text', (c) => c.notNull().references('studio_bookings.id'))
    .addColumn('base_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('old_price_fen', 'bigint', (c) => c.notNull())
    .addColumn('new_price_fen', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('studio_booking_price_changes_prices', sql`old_price_fen >= 0 and new_price_fen >= 0`)
    .execute();
  await db.schema.createIndex('studio_booking_price_changes_booking').on('studio_booking_price_changes').columns(['booking_id', 'created_at']).execute();
  await db.schema.createIndex('studio_booking_price_changes_base').on('studio_booking_price_changes').columns(['base_org_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('studio_booking_price_changes').execute();
}
