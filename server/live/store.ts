import type { Db } from '../platform/db.ts';
import type { LiveSessionsTable, LiveStatus } from '../platform/db-types.ts';

export function createLiveStore(db: Db) {
  const summaries = () =>
    db
      .selectFrom('live_sessions')
      .innerJoin('users', 'users.id', 'live_sessions.streamer_id')
      .leftJoin('organisations', 'organisations.id', 'live_sessions.brand_org_id')
      .select([
        'live_sessions.id',
        'live_sessions.title',
        'live_sessions.status',
        'live_sessions.scheduled_at',
        'live_sessions.started_at',
        'live_sessions.cover_url',
        'live_sessions.streamer_id',
        'users.display_name as streamer_name',
        'live_sessions.brand_org_id',
        'organisations.name as brand_name',
      ]);
  return {
    listByStatus(statuses: LiveStatus[], limit: number) {
      return summaries()
        .where('live_sessions.status', 'in', statuses)
        .orderBy('live_sessions.status')
        .orderBy('live_sessions.scheduled_at')
        .limit(limit)
        .execute();
    },
    listByStreamer(streamerId: string) {
      return summaries().where('live_sessions.streamer_id', '=', streamerId).orderBy('live_sessions.scheduled_at', 'desc').limit(200).execute();
    },
    async insert(row: LiveSessionsTable) {
      await db.insertInto('live_sessions').values(row).execute();
    },
  };
}

export type LiveStore = ReturnType<typeof createLiveStore>;
type SummaryRow = Awaited<ReturnType<LiveStore['listByStatus']>>[number];

export function toSummary(row: SummaryRow) {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    scheduledAt: row.scheduled_at,
    startedAt: row.started_at,
    coverUrl: row.cover_url,
    streamer: { id: row.streamer_id, displayName: row.streamer_name },
    brand: row.brand_org_id ? { id: row.brand_org_id, name: row.brand_name ?? '' } : null,
  };
}
