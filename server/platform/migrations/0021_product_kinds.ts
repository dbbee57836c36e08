import type { Kysely } from 'kysely';

// Product kinds (docs/VERTICALS.md): the 直播+ verticals share the catalogue, the room, checkout and
// orders. A product has a kind ('goods' is a parcel sent to the buyer, as before); each other kind
// brings its own rules to checkout through server/commerce/kinds.ts. An order holds products of one
// kind, records that kind, a tax added to its total (cross-border retail import) and the kind's own
// facts as JSON (the tax breakdown, the verified buyer …).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('products').addColumn('kind', 'text', (c) => c.notNull().defaultTo('goods')).execute();
  await db.schema.alterTable('orders').addColumn('kind', 'text', (c) => c.notNull().defaultTo('goods')).execute();
  await db.schema.alterTable('orders').addColumn('tax_fen', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('orders').addColumn('kind_data', 'text').execute();
  await db.schema.createIndex('products_kind').on('products').columns(['kind', 'status']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('products_kind').execute();
  await db.schema.alterTable('orders').dropColumn('kind_data').execute();
  await db.schema.alterTable('orders').dropColumn('tax_fen').execute();
  await db.schema.alterTable('orders').dropColumn('kind').execute();
  await db.schema.alterTable('products').dropColumn('kind').execute();
}
