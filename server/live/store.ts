import type { Insertable, Transaction, Updateable } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { Database, LiveSessionsTable, LiveStatus, RecordingsTable, StreamEventKind } from '../platform/db-types.ts';
import { newId } from '../platform/ids.ts';

export function createLiveStore(db: Db) {
  const summaries = () =>
    db
      .selectFrom('live_sessions')
      .innerJoin('users', 'users.id', 'live_sessions.streamer_id')
      .leftJoin('organisations', 'organisations.id', 'live_sessions.brand_org_id')
      .select([
        'live_sessions.id',
        'live_sessions.title',
        'live_sessions.description',
        'live_sessions.status',
        'live_sessions.scheduled_at',
        'live_sessions.started_at',
        'live_sessions.ended_at',
        'live_sessions.cover_url',
        'live_sessions.streamer_id',
        'live_sessions.replay_status',
        'live_sessions.publishing',
        'live_sessions.peak_viewers',
        'users.display_name as streamer_name',
        'live_sessions.brand_org_id',
        'organisations.name as brand_name',
      ]);
  return {
    listByStatus(statuses: LiveStatus[], limit: number) {
      return summaries()
        .where('live_sessions.status', 'in', statuses)
        .where('live_sessions.mode', '=', 'public')
        .orderBy('live_sessions.status')
        .orderBy('live_sessions.scheduled_at')
        .limit(limit)
        .execute();
    },
    listByStreamer(streamerId: string) {
      return summaries().where('live_sessions.streamer_id', '=', streamerId).where('live_sessions.mode', '=', 'public').orderBy('live_sessions.scheduled_at', 'desc').limit(200).execute();
    },
    /** Several streamers' sessions scheduled in [from, to), soonest first (an MCN's calendar). */
    listScheduledFor(streamerIds: string[], statuses: LiveStatus[], from: string, to: string, limit = 1000) {
      if (!streamerIds.length) return Promise.resolve([]);
      return summaries()
        .where('live_sessions.streamer_id', 'in', streamerIds)
        .where('live_sessions.status', 'in', statuses)
        .where('live_sessions.mode', '=', 'public')
        .where('live_sessions.scheduled_at', '>=', from)
        .where('live_sessions.scheduled_at', '<', to)
        .orderBy('live_sessions.scheduled_at')
        .limit(limit)
        .execute();
    },
    // Practice lives (实训, mode 'practice') are left out of every listing above: only their trainee
    // and the centre's trainers see them, through server/training.
    findSummary(id: string) {
      return summaries().where('live_sessions.id', '=', id).executeTakeFirst();
    },
    findSession(id: string) {
      return db.selectFrom('live_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    },
    listLive() {
      return summaries().select(['live_sessions.health', 'live_sessions.ingest_node', 'live_sessions.reconnects']).where('live_sessions.status', '=', 'live').orderBy('live_sessions.started_at').execute();
    },
    /** Stores a new session; with `alongside`, in one transaction with what it writes (a refusal there stores nothing). */
    async insert(row: Insertable<LiveSessionsTable>, alongside?: (trx: Transaction<Database>, sessionId: string) => Promise<void>) {
      if (!alongside) {
        await db.insertInto('live_sessions').values(row).execute();
        return;
      }
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('live_sessions').values(row).execute();
        await alongside(trx, row.id);
      });
    },
    async update(id: string, patch: Updateable<LiveSessionsTable>) {
      await db.updateTable('live_sessions').set(patch).where('id', '=', id).execute();
    },
    /** Moves a session between states only from the expected one; returns whether it moved. */
    async transition(id: string, from: LiveStatus[], patch: Updateable<LiveSessionsTable>) {
      const result = await db.updateTable('live_sessions').set(patch).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    /** Live sessions whose ingest node has stopped reporting: their publisher is gone for good. */
    listStale(heartbeatBefore: string) {
      return db
        .selectFrom('live_sessions')
        .select(['id', 'ingest_node'])
        .where('status', '=', 'live')
        .where((eb) => eb.or([eb('heartbeat_at', '<', heartbeatBefore), eb('heartbeat_at', 'is', null)]))
        .execute();
    },
    async recordEvent(sessionId: string | null, kind: StreamEventKind, reason: string | null, detail: Record<string, unknown>, now: string) {
      await db
        .insertInto('stream_events')
        .values({ id: newId(), session_id: sessionId, kind, reason, detail: JSON.stringify(detail), created_at: now })
        .execute();
    },
    listEvents(sessionId: string, limit = 50) {
      return db.selectFrom('stream_events').selectAll().where('session_id', '=', sessionId).orderBy('id', 'desc').limit(limit).execute();
    },
    listRejections(limit = 100) {
      return db.selectFrom('stream_events').selectAll().where('kind', '=', 'rejected').orderBy('id', 'desc').limit(limit).execute();
    },
    async upsertRecording(row: RecordingsTable) {
      const existing = await db.selectFrom('recordings').select('session_id').where('session_id', '=', row.session_id).executeTakeFirst();
      if (!existing) await db.insertInto('recordings').values(row).execute();
    },
    findRecording(sessionId: string) {
      return db.selectFrom('recordings').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
    },
    async updateRecording(sessionId: string, patch: Updateable<RecordingsTable>) {
      await db.updateTable('recordings').set(patch).where('session_id', '=', sessionId).execute();
    },
    listExpiredRecordings(now: string) {
      return db.selectFrom('recordings').selectAll().where('retain_until', '<', now).where('deleted_at', 'is', null).execute();
    },
  };
}

export type LiveStore = ReturnType<typeof createLiveStore>;
type SummaryRow = NonNullable<Awaited<ReturnType<LiveStore['findSummary']>>>;

export function toSummary(row: SummaryRow) {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    scheduledAt: row.scheduled_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    coverUrl: row.cover_url,
    replay: row.replay_status,
    publishing: row.publishing === 1,
    peakViewers: row.peak_viewers,
    streamer: { id: row.streamer_id, displayName: row.streamer_name },
    brand: row.brand_org_id ? { id: row.brand_org_id, name: row.brand_name ?? '' } : null,
  };
}

export type LiveSessionSummary = ReturnType<typeof toSummary>;
