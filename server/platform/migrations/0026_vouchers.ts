import type { Kysely } from 'kysely';

// 直播+生活服务 (docs/VOUCHERS.md): a brand's physical stores and the store staff bound to them,
// voucher products' rules (validity, stores, days and time slots), the redemption codes issued on
// payment (one per unit) and redeemed once in a store, and first-store openings (首店) whose O2O
// coupon is a free voucher usable only at that store. Times are ISO text; days and slots are JSON.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('merchant_stores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('merchant_stores_org').on('merchant_stores').columns(['brand_org_id', 'created_at']).execute();
  await db.schema
    .createTable('store_staff')
    .addColumn('store_id', 'text', (c) => c.notNull().references('merchant_stores.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('brand_org_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('store_staff_pk', ['store_id', 'user_id'])
    .execute();
  await db.schema.createIndex('store_staff_user').on('store_staff').columns(['user_id']).execute();
  await db.schema
    .createTable('voucher_products')
    /** The voucher product's id; for a first store's O2O coupon (not a product: free, claimed, never sold), the first store's id. */
    .addColumn('product_id', 'text', (c) => c.primaryKey())
    .addColumn('brand_org_id', 'text', (c) => c.notNull())
    /** set_meal | hotel_night | beauty | ticket */
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text', (c) => c.notNull())
    /** JSON: the store ids where it can be used. */
    .addColumn('store_ids', 'text', (c) => c.notNull())
    /** JSON: ISO days of week 1 (Monday) … 7 (Sunday), China time. */
    .addColumn('days', 'text', (c) => c.notNull())
    /** JSON: [{from:'11:00', to:'14:00'}] China time (Asia/Shanghai). */
    .addColumn('slots', 'text', (c) => c.notNull())
    /** Set for a first store's O2O coupon (free, claimed, never sold). */
    .addColumn('first_store_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('voucher_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('brand_org_id', 'text', (c) => c.notNull())
    .addColumn('holder_id', 'text', (c) => c.notNull())
    /** null for a claimed first-store coupon */
    .addColumn('order_id', 'text')
    .addColumn('item_id', 'text')
    /** What this unit was paid (its share of the line), refunded when unused. */
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    /** unused | redeemed | refunding | refunded | void | expired */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text', (c) => c.notNull())
    .addColumn('redeemed_at', 'text')
    /** The China-time day of the redemption (YYYY-MM-DD), for the merchant's report by store and day. */
    .addColumn('redeemed_day', 'text')
    .addColumn('redeemed_store_id', 'text')
    .addColumn('redeemed_by', 'text')
    .addColumn('after_sale_id', 'text')
    /** When a refund claimed the code (a retry picks up a claim left behind by a crash). */
    .addColumn('claimed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('voucher_codes_due').on('voucher_codes').columns(['status', 'valid_to']).execute();
  await db.schema.createIndex('voucher_codes_holder').on('voucher_codes').columns(['holder_id', 'created_at']).execute();
  await db.schema.createIndex('voucher_codes_order').on('voucher_codes').columns(['order_id']).execute();
  await db.schema.createIndex('voucher_codes_redeemed').on('voucher_codes').columns(['brand_org_id', 'redeemed_day', 'redeemed_store_id']).execute();
  await db.schema
    .createTable('first_stores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_org_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull().references('merchant_stores.id'))
    /** global | asia | mainland | regional (全球首店, 亚洲首店, 内地首店, 区域首店) */
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    /** YYYY-MM-DD, China time */
    .addColumn('opens_on', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    /** The O2O coupon: its rules are the voucher_products row keyed by this first store's id. */
    .addColumn('coupon_title', 'text', (c) => c.notNull())
    .addColumn('coupons_total', 'integer', (c) => c.notNull())
    /** Taken by a claim with a conditional UPDATE (coupons_left >= 1). */
    .addColumn('coupons_left', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('first_stores_opens').on('first_stores').columns(['opens_on']).execute();
  await db.schema
    .createTable('first_store_claims')
    .addColumn('first_store_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('code_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('first_store_claims_pk', ['first_store_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['first_store_claims', 'first_stores', 'voucher_codes', 'voucher_products', 'store_staff', 'merchant_stores']) await db.schema.dropTable(t).execute();
}
