import type { Kysely } from 'kysely';

// 定金预售 (docs/PRESALE.md): a brand's pre-sale of a SKU with a deposit window and a balance window,
// its own stock (taken from the SKU when it is set up), and per buyer one row per deposit that links
// the deposit order and the balance order (both ordinary orders of kind 'presale').
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('presales')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_org_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('deposit_fen', 'bigint', (c) => c.notNull())
    .addColumn('expansion_fen', 'bigint', (c) => c.notNull())
    .addColumn('final_price_fen', 'bigint', (c) => c.notNull())
    .addColumn('deposit_starts_at', 'text', (c) => c.notNull())
    .addColumn('deposit_ends_at', 'text', (c) => c.notNull())
    .addColumn('balance_starts_at', 'text', (c) => c.notNull())
    .addColumn('balance_ends_at', 'text', (c) => c.notNull())
    .addColumn('stock', 'integer', (c) => c.notNull())
    .addColumn('remaining', 'integer', (c) => c.notNull())
    .addColumn('per_buyer_limit', 'integer', (c) => c.notNull())
    .addColumn('ship_within_days', 'integer', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    // 'open' → 'settled' (deposit window over: unsold units back to the SKU) or 'cancelled' (by the brand).
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('presales_brand').on('presales').columns(['brand_org_id', 'created_at']).execute();
  await db.schema.createIndex('presales_session').on('presales').columns(['session_id']).execute();
  await db.schema.createIndex('presales_status').on('presales').columns(['status', 'deposit_ends_at']).execute();

  await db.schema
    .createTable('presale_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('presale_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('deposit_order_id', 'text', (c) => c.notNull().unique())
    .addColumn('balance_order_id', 'text')
    // deposit_pending → deposit_paid → balance_paid → completed; or cancelled (deposit never paid),
    // closed_unpaid (balance never paid: the deposit is kept), seller_failed (everything refunded).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rules_accepted_at', 'text', (c) => c.notNull())
    .addColumn('balance_starts_at', 'text', (c) => c.notNull())
    .addColumn('balance_ends_at', 'text', (c) => c.notNull())
    // The shipping promise: set when the balance is paid (paid_at + ship_within_days).
    .addColumn('ship_by', 'text')
    .addColumn('reminded_open_at', 'text')
    .addColumn('reminded_close_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('presale_orders_presale').on('presale_orders').columns(['presale_id', 'status']).execute();
  await db.schema.createIndex('presale_orders_buyer').on('presale_orders').columns(['buyer_id', 'created_at']).execute();
  await db.schema.createIndex('presale_orders_due').on('presale_orders').columns(['status', 'balance_ends_at']).execute();
  await db.schema.createIndex('presale_orders_ship_by').on('presale_orders').columns(['status', 'ship_by']).execute();

  // Units each buyer holds in a pre-sale: raised with a conditional update (the per-buyer limit).
  await db.schema
    .createTable('presale_buyers')
    .addColumn('presale_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('presale_buyers_pk', ['presale_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('presale_buyers').execute();
  await db.schema.dropTable('presale_orders').execute();
  await db.schema.dropTable('presales').execute();
}
