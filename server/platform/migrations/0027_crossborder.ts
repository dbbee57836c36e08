import type { Kysely } from 'kysely';

// 直播+跨境电商 (docs/CROSSBORDER.md): cross-border retail import. A product of kind 'crossborder'
// has its origin, mode and tax class; a buyer's real-name identity (实名认证, the ID number
// encrypted, a keyed hash to count the person's annual quota); the per-person, per-calendar-year
// quota of ¥26,000 taken with a conditional UPDATE in the order's transaction (and what each order
// took, given back once on cancel or full refund); and the GUIDs of the
// customs messages (三单) of each paid order.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('crossborder_products')
    .addColumn('product_id', 'text', (c) => c.primaryKey().references('products.id'))
    .addColumn('brand_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    /** ISO 3166-1 alpha-2, e.g. AU. */
    .addColumn('origin_country', 'text', (c) => c.notNull())
    /** bonded (保税备货, 1210) | direct (直购进口, 9610) */
    .addColumn('mode', 'text', (c) => c.notNull())
    /** Rates in basis points (1300 = 13 %). */
    .addColumn('vat_rate_bp', 'integer', (c) => c.notNull())
    .addColumn('consumption_tax_rate_bp', 'integer', (c) => c.notNull())
    /** The general-trade (MFN) tariff rate assumed for an item over the ¥5,000 limit. */
    .addColumn('tariff_rate_bp', 'integer', (c) => c.notNull())
    /** 1: a single indivisible item (单件不可分割商品). */
    .addColumn('indivisible', 'integer', (c) => c.notNull())
    /** HS code (10 digits) declared in the customs messages. */
    .addColumn('hs_code', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('crossborder_identities')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('real_name', 'text', (c) => c.notNull())
    .addColumn('id_number_enc', 'text', (c) => c.notNull())
    /** Keyed hash of the ID number: the person whose annual quota an order counts against. */
    .addColumn('id_number_hash', 'text', (c) => c.notNull())
    .addColumn('id_number_masked', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('crossborder_quotas')
    .addColumn('person', 'text', (c) => c.notNull())
    /** Calendar year in China time. */
    .addColumn('year', 'integer', (c) => c.notNull())
    /** Dutiable value (fen) of the person's paid and pending cross-border orders this year. */
    .addColumn('used_fen', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('crossborder_quotas_pk', ['person', 'year'])
    .execute();
  await db.schema
    .createTable('crossborder_order_quotas')
    .addColumn('order_id', 'text', (c) => c.primaryKey().references('orders.id'))
    .addColumn('person', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('fen', 'bigint', (c) => c.notNull())
    /** Set once the order's amount went back to the quota (cancelled, or refunded in full). */
    .addColumn('released_at', 'text')
    .execute();
  await db.schema
    .createTable('crossborder_declarations')
    .addColumn('order_id', 'text', (c) => c.primaryKey().references('orders.id'))
    .addColumn('brand_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('order_guid', 'text', (c) => c.notNull())
    .addColumn('payment_guid', 'text', (c) => c.notNull())
    .addColumn('waybill_guid', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('crossborder_declarations_brand').on('crossborder_declarations').columns(['brand_org_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('crossborder_declarations').execute();
  await db.schema.dropTable('crossborder_order_quotas').execute();
  await db.schema.dropTable('crossborder_quotas').execute();
  await db.schema.dropTable('crossborder_identities').execute();
  await db.schema.dropTable('crossborder_products').execute();
}
