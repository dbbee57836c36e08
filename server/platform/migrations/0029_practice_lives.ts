import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Practice lives (实训) as real live sessions (docs/TRAINING.md, "Practice lives"): a session in
// `practice` mode is seen only by its trainee and the centre's trainers and is left out of every
// public listing; a practice record points at its session; `sim_second` is the last second of the
// simulated audience published into the room (claimed with a conditional UPDATE, so one node publishes it).
export async function up(db: Kysely<unknown>): Promise<void> {
  /** public | practice */
  await db.schema.alterTable('live_sessions').addColumn('mode', 'text', (c) => c.notNull().defaultTo('public')).execute();
  await db.schema.alterTable('training_practices').addColumn('session_id', 'text').execute();
  await db.schema.alterTable('training_practices').addColumn('sim_second', 'integer', (c) => c.notNull().defaultTo(-1)).execute();
  await db.schema.createIndex('training_practices_session').on('training_practices').column('session_id').execute();
  await db.schema.createIndex('training_practices_running').on('training_practices').column('ended_at').execute();
  // Search (0010_search) keeps a search_docs row per session, its `visible` computed by triggers: a
  // practice session's row is kept hidden, whatever those triggers compute on each change.
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function practice_search_hide() returns trigger language plpgsql set search_path from current as $$
      begin
        if new.kind = 'session' and new.visible = 1 and exists (select 1 from live_sessions s where s.id = new.ref_id and s.mode = 'practice') then
          new.visible := 0;
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger practice_search_hide before insert or update on search_docs for each row execute function practice_search_hide()`.execute(db);
  } else {
    for (const event of ['insert', 'update']) {
      await sql
        .raw(
          `create trigger practice_search_hide_${event} after ${event} on search_docs
           when new.kind = 'session' and new.visible = 1 and exists (select 1 from live_sessions s where s.id = new.ref_id and s.mode = 'practice')
           begin update search_docs set visible = 0 where kind = 'session' and ref_id = new.ref_id; end`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop trigger if exists practice_search_hide on search_docs`.execute(db);
    await sql`drop function if exists practice_search_hide()`.execute(db);
  } else {
    for (const event of ['insert', 'update']) await sql.raw(`drop trigger if exists practice_search_hide_${event}`).execute(db);
  }
  await db.schema.dropIndex('training_practices_running').execute();
  await db.schema.dropIndex('training_practices_session').execute();
  await db.schema.alterTable('training_practices').dropColumn('sim_second').execute();
  await db.schema.alterTable('training_practices').dropColumn('session_id').execute();
  await db.schema.alterTable('live_sessions').dropColumn('mode').execute();
}
