import type { Kysely } from 'kysely';

// Live video: stream keys, publishing state, health, stream events and recordings.
export async function up(db: Kysely<unknown>): Promise<void> {
  const liveColumns: [string, 'text' | 'integer', ((c: any) => any)?][] = [
    ['description', 'text', (c) => c.notNull().defaultTo('')],
    ['stream_key_enc', 'text'],
    ['stream_key_hash', 'text'],
    ['ended_reason', 'text'],
    ['cut_off_by', 'text'],
    ['cut_off_reason', 'text'],
    ['ingest_node', 'text'],
    ['publishing', 'integer', (c) => c.notNull().defaultTo(0)],
    ['heartbeat_at', 'text'],
    ['health', 'text'],
    ['reconnects', 'integer', (c) => c.notNull().defaultTo(0)],
    ['peak_viewers', 'integer', (c) => c.notNull().defaultTo(0)],
    ['replay_status', 'text', (c) => c.notNull().defaultTo('none')],
  ];
  for (const [name, type, build] of liveColumns) {
    await db.schema.alterTable('live_sessions').addColumn(name, type, build ?? ((c) => c)).execute();
  }
  await db.schema.createIndex('live_sessions_stream_key').on('live_sessions').column('stream_key_hash').unique().execute();

  await db.schema
    .createTable('stream_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stream_events_session').on('stream_events').columns(['session_id', 'created_at']).execute();

  await db.schema
    .createTable('recordings')
    .addColumn('session_id', 'text', (c) => c.primaryKey().references('live_sessions.id'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retain_until', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'text')
    .addColumn('delete_reason', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('recordings').execute();
  await db.schema.dropTable('stream_events').execute();
  await db.schema.dropIndex('live_sessions_stream_key').execute();
  for (const name of ['description', 'stream_key_enc', 'stream_key_hash', 'ended_reason', 'cut_off_by', 'cut_off_reason', 'ingest_node', 'publishing', 'heartbeat_at', 'health', 'reconnects', 'peak_viewers', 'replay_status']) {
    await db.schema.alterTable('live_sessions').dropColumn(name).execute();
  }
}
