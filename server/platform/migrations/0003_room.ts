import type { Kysely } from 'kysely';

// The live room: chat kept as a record, moderation, follows, word filter, coupon drops, lucky bags.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('room_settings')
    .addColumn('session_id', 'text', (c) => c.primaryKey().references('live_sessions.id'))
    .addColumn('announcement', 'text')
    .addColumn('pinned_product_id', 'text')
    .addColumn('slow_mode_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('followers_only', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('chat_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('original_text', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('chat_messages_session').on('chat_messages').columns(['session_id', 'created_at']).execute();

  await db.schema
    .createTable('room_restrictions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('streamer_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('until', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('room_restrictions_user').on('room_restrictions').columns(['streamer_id', 'user_id']).execute();

  await db.schema
    .createTable('moderation_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_user_id', 'text')
    .addColumn('target_message_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('moderation_log_session').on('moderation_log').columns(['session_id', 'created_at']).execute();

  await db.schema
    .createTable('follows')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('streamer_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('follows_pk', ['user_id', 'streamer_id'])
    .execute();

  await db.schema
    .createTable('room_assistants')
    .addColumn('streamer_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('room_assistants_pk', ['streamer_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('sensitive_words')
    .addColumn('word', 'text', (c) => c.primaryKey())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('coupon_drops')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('amount_off_fen', 'bigint', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('claimed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('coupon_claims')
    .addColumn('drop_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('coupon_claims_pk', ['drop_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('lucky_bags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('prize', 'text', (c) => c.notNull())
    .addColumn('winners', 'integer', (c) => c.notNull())
    .addColumn('condition_kind', 'text', (c) => c.notNull())
    .addColumn('keyword', 'text')
    .addColumn('draw_at', 'text', (c) => c.notNull())
    .addColumn('seed_enc', 'text', (c) => c.notNull())
    .addColumn('commitment', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('revealed_seed', 'text')
    .addColumn('winner_ids', 'text')
    .addColumn('entrant_count', 'integer')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('drawn_at', 'text')
    .execute();
  await db.schema
    .createTable('lucky_bag_entries')
    .addColumn('bag_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lucky_bag_entries_pk', ['bag_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['lucky_bag_entries', 'lucky_bags', 'coupon_claims', 'coupon_drops', 'sensitive_words', 'room_assistants', 'follows', 'moderation_log', 'room_restrictions', 'chat_messages', 'room_settings']) {
    await db.schema.dropTable(table).execute();
  }
}
