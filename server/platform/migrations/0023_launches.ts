import { sql, type Kysely } from 'kysely';

// Launches (首发), reservations (预约), reminders and the notification centre (docs/LAUNCHES.md,
// docs/NOTIFICATIONS.md). Times are ISO-8601 UTC text; money is integer fen.
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per notification to one user. The unique dedupe_key makes queuing idempotent; the sweep
  // claims due rows with a conditional UPDATE (state pending → sending, a claim token and a deadline)
  // and marks them sent, so each is delivered once even with several nodes and restarts.
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('link', 'text', (c) => c.notNull().defaultTo(''))
    /** Comma-separated: site, email, sms. */
    .addColumn('channels', 'text', (c) => c.notNull().defaultTo('site'))
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('claim_token', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('read_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('notifications_state', sql`state in ('pending', 'sending', 'sent')`)
    .execute();
  await db.schema.createIndex('notifications_due').on('notifications').columns(['state', 'due_at']).execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'sent_at']).execute();

  // What the sandbox e-mail/SMS provider "sent": one row per notification and channel, never two.
  await db.schema
    .createTable('sandbox_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notification_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sandbox_messages_once', ['notification_id', 'channel'])
    .execute();
  await db.schema.createIndex('sandbox_messages_sent').on('sandbox_messages').column('sent_at').execute();

  await db.schema
    .createTable('launches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('sku_id', 'text', (c) => c.notNull().references('skus.id'))
    .addColumn('session_id', 'text', (c) => c.notNull().references('live_sessions.id'))
    /** global | asia | china | shanghai (全球首发 / 亚洲首发 / 中国首发 / 上海首发) */
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('launch_at', 'text', (c) => c.notNull())
    .addColumn('teaser_url', 'text')
    .addColumn('cover_url', 'text')
    /** The flash sale (server/commerce/flash.ts) that sells the first-release stock from launch_at. */
    .addColumn('flash_sale_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('launches_level', sql`level in ('global', 'asia', 'china', 'shanghai')`)
    .execute();
  await db.schema.createIndex('launches_at').on('launches').column('launch_at').execute();
  await db.schema.createIndex('launches_brand').on('launches').columns(['brand_org_id', 'launch_at']).execute();
  await db.schema.createIndex('launches_session').on('launches').column('session_id').execute();

  await db.schema
    .createTable('reservations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    /** launch | live */
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('reservations_once', ['user_id', 'target_kind', 'target_id'])
    .addCheckConstraint('reservations_kind', sql`target_kind in ('launch', 'live')`)
    .execute();
  await db.schema.createIndex('reservations_target').on('reservations').columns(['target_kind', 'target_id', 'created_at']).execute();

  // One row per reminder round (a launch's "10 minutes before", a live's "followers: live now"): the node
  // that inserts it (or moves covered_until on, conditionally) queues that round's notifications in the
  // same transaction; reservations made after a round was queued are queued by a later sweep.
  await db.schema
    .createTable('reminder_runs')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('queued', 'integer', (c) => c.notNull().defaultTo(0))
    /** Reservations created up to this time are queued (it trails the sweep's time by a margin). */
    .addColumn('covered_until', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['reminder_runs', 'reservations', 'launches', 'sandbox_messages', 'notifications']) {
    await db.schema.dropTable(table).execute();
  }
}
