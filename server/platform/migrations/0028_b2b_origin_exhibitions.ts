import type { Kysely } from 'kysely';

// Three 直播+ verticals (issue 14 items 2–4):
// - 产业供应链 (docs/B2B.md): buyers' business licences, wholesale terms of 'wholesale' products
//   (quantity tiers, MOQ, samples), sample counts, requests for quotation, and leads (留资).
// - 消费帮扶 (docs/ORIGIN.md): designated areas, producers, origin certifications of products, and
//   the certified lines sold, with the producer's proceeds posted to the ledger at settlement.
// - 会展 (docs/EXHIBITIONS.md): exhibitions, halls, booths, the booths' lives, followers, inquiries.
export async function up(db: Kysely<unknown>): Promise<void> {
  // --- B2B ---
  await db.schema
    .createTable('b2b_licences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('company_name', 'text', (c) => c.notNull())
    /** The unified social credit code (统一社会信用代码, GB 32100-2015), 18 characters, check character verified. */
    .addColumn('credit_code', 'text', (c) => c.notNull())
    /** pending | approved | rejected */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('b2b_licences_user').on('b2b_licences').column('user_id').unique().execute();
  await db.schema.createIndex('b2b_licences_status').on('b2b_licences').columns(['status', 'created_at']).execute();
  await db.schema
    .createTable('b2b_terms')
    .addColumn('product_id', 'text', (c) => c.primaryKey().references('products.id'))
    .addColumn('brand_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    /** JSON [{ minQty, unitPriceFen }] ascending by minQty, the first at minQty 1. */
    .addColumn('tiers', 'text', (c) => c.notNull())
    .addColumn('moq', 'integer', (c) => c.notNull())
    /** null: no samples. */
    .addColumn('sample_price_fen', 'bigint')
    .addColumn('sample_limit', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('b2b_terms_org').on('b2b_terms').column('brand_org_id').execute();
  await db.schema
    .createTable('b2b_sample_counts')
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('taken', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('b2b_sample_counts_pk', ['product_id', 'buyer_id'])
    .execute();
  await db.schema
    .createTable('b2b_rfqs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('brand_org_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('target_price_fen', 'bigint')
    .addColumn('note', 'text', (c) => c.notNull())
    /** open | quoted | ordered | declined */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('quote_price_fen', 'bigint')
    .addColumn('quote_note', 'text')
    .addColumn('quote_valid_until', 'text')
    .addColumn('quoted_at', 'text')
    .addColumn('order_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('b2b_rfqs_org').on('b2b_rfqs').columns(['brand_org_id', 'created_at']).execute();
  await db.schema.createIndex('b2b_rfqs_buyer').on('b2b_rfqs').columns(['buyer_id', 'created_at']).execute();
  await db.schema
    .createTable('b2b_leads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_org_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('company', 'text', (c) => c.notNull())
    .addColumn('need', 'text', (c) => c.notNull())
    /** When the viewer ticked the consent (a lead is never stored without it). */
    .addColumn('consented_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('b2b_leads_org').on('b2b_leads').columns(['brand_org_id', 'created_at']).execute();

  // --- origin (消费帮扶) ---
  await db.schema
    .createTable('origin_areas')
    /** The county's administrative division code (6 digits). */
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('province', 'text', (c) => c.notNull())
    .addColumn('designation', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('origin_producers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('area_code', 'text', (c) => c.notNull().references('origin_areas.code'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('origin_producers_org').on('origin_producers').columns(['brand_org_id', 'created_at']).execute();
  await db.schema
    .createTable('origin_certs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('brand_org_id', 'text', (c) => c.notNull())
    .addColumn('producer_id', 'text', (c) => c.notNull().references('origin_producers.id'))
    .addColumn('area_code', 'text', (c) => c.notNull())
    .addColumn('certifier', 'text', (c) => c.notNull())
    .addColumn('certificate_no', 'text', (c) => c.notNull())
    .addColumn('batch_no', 'text', (c) => c.notNull())
    .addColumn('produced_on', 'text', (c) => c.notNull())
    /** The producer's share of each certified line's net sale, in basis points. */
    .addColumn('share_bps', 'integer', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    /** 1 for the product's current batch (the one whose sales are recorded), 0 for earlier ones. */
    .addColumn('current', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('origin_certs_product').on('origin_certs').columns(['product_id', 'created_at']).execute();
  await db.schema.createIndex('origin_certs_batch').on('origin_certs').columns(['product_id', 'batch_no']).unique().execute();
  await db.schema
    .createTable('origin_sales')
    .addColumn('item_id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('cert_id', 'text', (c) => c.notNull())
    .addColumn('producer_id', 'text', (c) => c.notNull())
    .addColumn('area_code', 'text', (c) => c.notNull())
    .addColumn('brand_org_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('paid_fen', 'bigint', (c) => c.notNull())
    .addColumn('refunded_fen', 'bigint', (c) => c.notNull())
    .addColumn('share_bps', 'integer', (c) => c.notNull())
    /** pending (until its order settles in the ledger) | posted */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('proceeds_fen', 'bigint', (c) => c.notNull())
    .addColumn('paid_at', 'text', (c) => c.notNull())
    .addColumn('posted_at', 'text')
    .execute();
  await db.schema.createIndex('origin_sales_order').on('origin_sales').column('order_id').execute();
  await db.schema.createIndex('origin_sales_pending').on('origin_sales').columns(['status', 'paid_at']).execute();
  await db.schema.createIndex('origin_sales_org').on('origin_sales').columns(['brand_org_id', 'paid_at']).execute();

  // --- exhibitions (会展) ---
  await db.schema
    .createTable('exhibitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('venue', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('exhibition_halls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exhibition_id', 'text', (c) => c.notNull().references('exhibitions.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exhibition_halls_exhibition').on('exhibition_halls').columns(['exhibition_id', 'position']).execute();
  await db.schema
    .createTable('exhibition_booths')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exhibition_id', 'text', (c) => c.notNull().references('exhibitions.id'))
    .addColumn('hall_id', 'text', (c) => c.notNull().references('exhibition_halls.id'))
    .addColumn('booth_no', 'text', (c) => c.notNull())
    .addColumn('exhibitor_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('intro', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exhibition_booths_no').on('exhibition_booths').columns(['exhibition_id', 'booth_no']).unique().execute();
  await db.schema.createIndex('exhibition_booths_org').on('exhibition_booths').column('exhibitor_org_id').execute();
  await db.schema
    .createTable('exhibition_booth_lives')
    .addColumn('booth_id', 'text', (c) => c.notNull().references('exhibition_booths.id'))
    .addColumn('session_id', 'text', (c) => c.notNull().references('live_sessions.id'))
    .addPrimaryKeyConstraint('exhibition_booth_lives_pk', ['booth_id', 'session_id'])
    .execute();
  await db.schema
    .createTable('exhibition_follows')
    .addColumn('booth_id', 'text', (c) => c.notNull().references('exhibition_booths.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('exhibition_follows_pk', ['booth_id', 'user_id'])
    .execute();
  await db.schema.createIndex('exhibition_follows_user').on('exhibition_follows').column('user_id').execute();
  await db.schema
    .createTable('exhibition_inquiries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('booth_id', 'text', (c) => c.notNull().references('exhibition_booths.id'))
    .addColumn('exhibitor_org_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('company', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('consented_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exhibition_inquiries_org').on('exhibition_inquiries').columns(['exhibitor_org_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'exhibition_inquiries',
    'exhibition_follows',
    'exhibition_booth_lives',
    'exhibition_booths',
    'exhibition_halls',
    'exhibitions',
    'origin_sales',
    'origin_certs',
    'origin_producers',
    'origin_areas',
    'b2b_leads',
    'b2b_rfqs',
    'b2b_sample_counts',
    'b2b_terms',
    'b2b_licences',
  ])
    await db.schema.dropTable(table).execute();
}
