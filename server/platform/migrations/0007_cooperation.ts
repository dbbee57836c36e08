import { sql, type Kysely } from 'kysely';

// Brand–streamer cooperation (docs/COOPERATION.md): the product-selection square (选品广场) and its
// applications (带货申请), samples (寄样) and slot fees (坑位费). Money is integer fen (bigint); rates
// are basis points; times are ISO-8601 text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cooperation_offers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    // One offer per product: the brand edits it rather than listing it twice.
    .addColumn('product_id', 'text', (c) => c.notNull().unique().references('products.id'))
    .addColumn('commission_bps', 'integer', (c) => c.notNull().check(sql`commission_bps between 0 and 9000`))
    // The lowest live price (fen) a streamer may set in the 小黄车; null: no floor.
    .addColumn('price_floor_fen', 'bigint')
    .addColumn('samples_available', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sample_deposit_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('sample_max_per_streamer', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('min_followers', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON string[]: the streamer categories the brand looks for (shown; not enforced, see the docs).
    .addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cooperation_offers_brand').on('cooperation_offers').columns(['brand_org_id', 'created_at']).execute();
  await db.schema.createIndex('cooperation_offers_square').on('cooperation_offers').columns(['status', 'commission_bps']).execute();

  await db.schema
    .createTable('cooperation_applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('offer_id', 'text', (c) => c.notNull().references('cooperation_offers.id'))
    .addColumn('brand_org_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('streamer_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('applied_by', 'text', (c) => c.notNull())
    .addColumn('via_mcn_org_id', 'text')
    .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('followers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    // The agreed rate, fixed by the approval.
    .addColumn('commission_bps', 'integer', (c) => c.check(sql`commission_bps between 0 and 9000`))
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // At most one open (pending or approved) application per streamer and product, under any concurrency.
  await db.schema
    .createIndex('cooperation_applications_open')
    .on('cooperation_applications')
    .columns(['product_id', 'streamer_id'])
    .unique()
    .where(sql<boolean>`status in ('pending', 'approved')`)
    .execute();
  await db.schema.createIndex('cooperation_applications_brand').on('cooperation_applications').columns(['brand_org_id', 'created_at']).execute();
  await db.schema.createIndex('cooperation_applications_streamer').on('cooperation_applications').columns(['streamer_id', 'created_at']).execute();

  await db.schema
    .createTable('cooperation_samples')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('offer_id', 'text', (c) => c.notNull().references('cooperation_offers.id'))
    .addColumn('brand_org_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('streamer_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('via_mcn_org_id', 'text')
    .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
    // JSON { name, phone, region, detail }
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('deposit_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('deposit_status', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('carrier', 'text')
    .addColumn('tracking_no', 'text')
    .addColumn('return_carrier', 'text')
    .addColumn('return_tracking_no', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cooperation_samples_offer_streamer').on('cooperation_samples').columns(['offer_id', 'streamer_id']).execute();
  await db.schema.createIndex('cooperation_samples_brand').on('cooperation_samples').columns(['brand_org_id', 'created_at']).execute();
  await db.schema.createIndex('cooperation_samples_streamer').on('cooperation_samples').columns(['streamer_id', 'created_at']).execute();

  await db.schema
    .createTable('cooperation_slot_fees')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('streamer_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('session_id', 'text', (c) => c.notNull().references('live_sessions.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('fee_fen', 'bigint', (c) => c.notNull())
    .addColumn('gmv_target_fen', 'bigint', (c) => c.notNull())
    // The share of the fee refunded to the brand when the GMV falls short, basis points 0–10000.
    .addColumn('refund_bps', 'integer', (c) => c.notNull().check(sql`refund_bps between 0 and 10000`))
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposed_by_user', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // The MCN and its split in force when the fee was agreed (null: none).
    .addColumn('mcn_org_id', 'text')
    .addColumn('mcn_split_bps', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('gmv_fen', 'bigint')
    .addColumn('refund_fen', 'bigint')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('settled_at', 'text')
    .execute();
  // One open fee per session and product.
  await db.schema
    .createIndex('cooperation_slot_fees_open')
    .on('cooperation_slot_fees')
    .columns(['session_id', 'product_id'])
    .unique()
    .where(sql<boolean>`status in ('proposed', 'accepted', 'settled')`)
    .execute();
  await db.schema.createIndex('cooperation_slot_fees_brand').on('cooperation_slot_fees').columns(['brand_org_id', 'created_at']).execute();
  await db.schema.createIndex('cooperation_slot_fees_streamer').on('cooperation_slot_fees').columns(['streamer_id', 'created_at']).execute();
  await db.schema.createIndex('cooperation_slot_fees_due').on('cooperation_slot_fees').columns(['status', 'session_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['cooperation_slot_fees', 'cooperation_samples', 'cooperation_applications', 'cooperation_offers']) await db.schema.dropTable(table).execute();
}
