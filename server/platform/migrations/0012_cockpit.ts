import { sql, type Kysely } from 'kysely';

// The streamer's cockpit (docs/COCKPIT.md): what each assistant (场控) may do, and the streamer's saved
// presets for one-tap flash sales, coupon drops and lucky bags.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Assistants made before rights existed keep doing everything they could (the streamer narrows it).
  await db.schema
    .alterTable('room_assistants')
    .addColumn('rights', 'text', (c) => c.notNull().defaultTo(sql.lit('["moderate","products","flash_sales","coupons","lucky_bags"]')))
    .execute();

  await db.schema
    .createTable('cockpit_presets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('streamer_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    /** JSON: the launch endpoint's body for this kind (validated with its limits). */
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('launched_at', 'text')
    .addColumn('launch_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('cockpit_presets_streamer').on('cockpit_presets').columns(['streamer_id', 'created_at']).execute();
  // The live numbers read a session's paid orders.
  await db.schema.createIndex('cockpit_orders_session').on('orders').columns(['session_id', 'paid_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('cockpit_orders_session').execute();
  await db.schema.dropTable('cockpit_presets').execute();
  await db.schema.alterTable('room_assistants').dropColumn('rights').execute();
}
