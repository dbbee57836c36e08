import type { Kysely } from 'kysely';

// Replays with product chapters (docs/VIDEO.md, Replay chapters): every time a product is pinned
// (讲解中) in a live, one row from the pin to the next pin, the unpin, or the end of the live. The
// replay's chapters are these intervals against the recording's start; analytics reads the same
// rows for the time each product was explained.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('live_pins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('live_sessions.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('pinned_at', 'text', (c) => c.notNull())
    /** null while the product is still pinned. */
    .addColumn('unpinned_at', 'text')
    /** The streamer, assistant or operator who pinned it. */
    .addColumn('pinned_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('live_pins_session').on('live_pins').columns(['session_id', 'pinned_at']).execute();
  await db.schema.createIndex('live_pins_product').on('live_pins').columns(['product_id', 'pinned_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('live_pins').execute();
}
