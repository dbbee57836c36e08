import type { Kysely } from 'kysely';

// Live numbers (docs/ANALYTICS.md): the room's counts sampled per minute while a live is on (they
// live in memory or Redis, which forget), and who clicked which product in the 小黄车. Orders, chat,
// follows, pins and promotions are read from their own tables.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('live_minutes')
    .addColumn('session_id', 'text', (c) => c.notNull())
    /** UTC minute, 'YYYY-MM-DDTHH:MM' (an ISO timestamp's first 16 characters). */
    .addColumn('minute', 'text', (c) => c.notNull())
    /** Most viewers online at one sample in the minute. */
    .addColumn('online_max', 'integer', (c) => c.notNull().defaultTo(0))
    /** Sum of the online counts sampled in the minute, and how many samples: their ratio is the minute's average. */
    .addColumn('online_sum', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('samples', 'integer', (c) => c.notNull().defaultTo(0))
    /** Cumulative since the live began, at the minute's last sample. */
    .addColumn('uv', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('likes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('comments', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('live_minutes_pk', ['session_id', 'minute'])
    .execute();

  await db.schema
    .createTable('live_product_clicks')
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_product_clicks_pk', ['session_id', 'product_id', 'visitor_id'])
    .execute();

  // New followers during a live: follows of the streamer since it began.
  await db.schema.createIndex('follows_streamer_time').on('follows').columns(['streamer_id', 'created_at']).execute();
  // The review compares with lives that ended recently.
  await db.schema.createIndex('live_sessions_ended').on('live_sessions').columns(['status', 'ended_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('live_sessions_ended').execute();
  await db.schema.dropIndex('follows_streamer_time').execute();
  await db.schema.dropTable('live_product_clicks').execute();
  await db.schema.dropTable('live_minutes').execute();
}
