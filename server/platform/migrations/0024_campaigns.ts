import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Festival campaigns (docs/CAMPAIGNS.md): a campaign (五五购物节 2027) with its brands and live sessions,
// shared coupons paid by the platform, and the subsidy each order carries into the ledger.
//
// - coupons.campaign_id: a coupon of a campaign instead of a brand. Its brand_org_id is null, so the
//   column loses its NOT NULL (PostgreSQL: ALTER COLUMN; SQLite cannot, so the table is rebuilt the way
//   https://sqlite.org/lang_altertable.html#otheralter says, with the same columns, keys and index).
// - orders.subsidy_fen: the part of the order's discount the platform pays (a campaign coupon's).
// - ledger_orders.subsidy_fen / subsidy_returned_fen: the subsidy in clearing, and what refunds gave back.
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('theme', 'text', (c) => c.notNull())
    .addColumn('banner_url', 'text')
    .addColumn('cover_url', 'text')
    .addColumn('warmup_at', 'text')
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaigns_ends').on('campaigns').columns(['ends_at', 'starts_at']).execute();

  await db.schema
    .createTable('campaign_brands')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('brand_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('applied_by', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addPrimaryKeyConstraint('campaign_brands_pk', ['campaign_id', 'brand_org_id'])
    .execute();
  await db.schema.createIndex('campaign_brands_brand').on('campaign_brands').columns(['brand_org_id', 'status']).execute();

  await db.schema
    .createTable('campaign_sessions')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('session_id', 'text', (c) => c.notNull().references('live_sessions.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_sessions_pk', ['campaign_id', 'session_id'])
    .execute();

  await db.schema.alterTable('orders').addColumn('subsidy_fen', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('ledger_orders').addColumn('subsidy_fen', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('ledger_orders').addColumn('subsidy_returned_fen', 'bigint', (c) => c.notNull().defaultTo(0)).execute();

  if (postgres) {
    await sql`alter table coupons alter column brand_org_id drop not null`.execute(db);
    await db.schema.alterTable('coupons').addColumn('campaign_id', 'text', (c) => c.references('campaigns.id')).execute();
  } else {
    // Foreign keys off while the table is swapped (user_coupons refers to it); outside a transaction
    // this pragma takes effect, and SQLite migrations run outside one (Kysely).
    await sql`pragma foreign_keys = off`.execute(db);
    try {
      await sql`begin`.execute(db);
      try {
        await sql`create table coupons_new (
          id text primary key,
          brand_org_id text references organisations(id),
          session_id text,
          drop_id text unique,
          title text not null,
          kind text not null,
          amount_off_fen bigint,
          threshold_fen bigint,
          percent_off integer,
          cap_fen bigint,
          scope text not null,
          product_ids text not null default '[]',
          starts_at text not null,
          ends_at text not null,
          per_user_limit integer not null,
          total integer not null,
          issued integer not null default 0,
          created_at text not null,
          campaign_id text references campaigns(id)
        )`.execute(db);
        await sql`insert into coupons_new (id, brand_org_id, session_id, drop_id, title, kind, amount_off_fen, threshold_fen, percent_off, cap_fen, scope, product_ids, starts_at, ends_at, per_user_limit, total, issued, created_at)
          select id, brand_org_id, session_id, drop_id, title, kind, amount_off_fen, threshold_fen, percent_off, cap_fen, scope, product_ids, starts_at, ends_at, per_user_limit, total, issued, created_at from coupons`.execute(db);
        await sql`drop table coupons`.execute(db);
        await sql`alter table coupons_new rename to coupons`.execute(db);
        await sql`create index coupons_brand on coupons (brand_org_id)`.execute(db);
        const broken = await sql`pragma foreign_key_check`.execute(db);
        if (broken.rows.length) throw new Error(`0024_campaigns: foreign keys broken after rebuilding coupons: ${JSON.stringify(broken.rows.slice(0, 3))}`);
        await sql`commit`.execute(db);
      } catch (error) {
        await sql`rollback`.execute(db);
        throw error;
      }
    } finally {
      await sql`pragma foreign_keys = on`.execute(db);
    }
  }
  await db.schema.createIndex('coupons_campaign').on('coupons').column('campaign_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('coupons_campaign').execute();
  await db.schema.alterTable('coupons').dropColumn('campaign_id').execute();
  await db.schema.alterTable('ledger_orders').dropColumn('subsidy_returned_fen').execute();
  await db.schema.alterTable('ledger_orders').dropColumn('subsidy_fen').execute();
  await db.schema.alterTable('orders').dropColumn('subsidy_fen').execute();
  await db.schema.dropTable('campaign_sessions').execute();
  await db.schema.dropTable('campaign_brands').execute();
  await db.schema.dropTable('campaigns').execute();
}
