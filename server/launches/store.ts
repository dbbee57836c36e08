import type { Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';
import type { NotificationTables } from '../notifications/index.ts';

export type LaunchLevel = 'global' | 'asia' | 'china' | 'shanghai';
export const LAUNCH_LEVELS: readonly LaunchLevel[] = ['global', 'asia', 'china', 'shanghai'];

export type LaunchRow = {
  id: string;
  brand_org_id: string;
  product_id: string;
  sku_id: string;
  session_id: string;
  level: LaunchLevel;
  title: string;
  description: string;
  launch_at: string;
  teaser_url: string | null;
  cover_url: string | null;
  flash_sale_id: string;
  created_by: string;
  created_at: string;
};
export type ReservationRow = { id: string; user_id: string; target_kind: 'launch' | 'live'; target_id: string; created_at: string };
export type ReminderRunRow = { key: string; queued: number; covered_until: string; created_at: string };

/** The launch tables (migration 0023), kept beside their domain rather than in the shared db-types.ts. */
export type LaunchTables = { launches: LaunchRow; reservations: ReservationRow; reminder_runs: ReminderRunRow };
export type LaunchesDb = Kysely<Database & LaunchTables & NotificationTables>;

export function launchesDb(base: Db): LaunchesDb {
  return base.withTables<LaunchTables & NotificationTables>() as unknown as LaunchesDb;
}

export function createLaunchesStore(db: LaunchesDb) {
  return {
    async launch(id: string) {
      return db.selectFrom('launches').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** With the product, brand and live facts a page shows. */
    async launchDetails(ids: string[]) {
      if (!ids.length) return [];
      return db
        .selectFrom('launches')
        .innerJoin('products', 'products.id', 'launches.product_id')
        .innerJoin('skus', 'skus.id', 'launches.sku_id')
        .innerJoin('organisations', 'organisations.id', 'launches.brand_org_id')
        .innerJoin('live_sessions', 'live_sessions.id', 'launches.session_id')
        .innerJoin('flash_sales', 'flash_sales.id', 'launches.flash_sale_id')
        .selectAll('launches')
        .select([
          'products.title as product_title',
          'products.images as product_images',
          'skus.spec as sku_spec',
          'skus.price_fen as sku_price_fen',
          'organisations.name as brand_name',
          'live_sessions.title as session_title',
          'live_sessions.status as session_status',
          'live_sessions.scheduled_at as session_scheduled_at',
          'live_sessions.streamer_id as streamer_id',
          'flash_sales.price_fen as first_price_fen',
          'flash_sales.stock as first_stock',
          'flash_sales.remaining as first_remaining',
          'flash_sales.per_user_limit as per_user_limit',
          'flash_sales.ends_at as sale_ends_at',
        ])
        .where('launches.id', 'in', ids)
        .execute();
    },
    async upcomingIds(from: string, limit: number) {
      const rows = await db.selectFrom('launches').select('id').where('launch_at', '>', from).orderBy('launch_at').limit(limit).execute();
      return rows.map((r) => r.id);
    },
    async brandIds(orgId: string) {
      const rows = await db.selectFrom('launches').select('id').where('brand_org_id', '=', orgId).orderBy('launch_at', 'desc').limit(200).execute();
      return rows.map((r) => r.id);
    },
    async insertLaunch(row: LaunchRow) {
      await db.insertInto('launches').values(row).execute();
    },
    async reservationCounts(kind: 'launch' | 'live', ids: string[]) {
      if (!ids.length) return new Map<string, number>();
      const rows = await db
        .selectFrom('reservations')
        .select(['target_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('target_kind', '=', kind)
        .where('target_id', 'in', ids)
        .groupBy('target_id')
        .execute();
      return new Map(rows.map((r) => [r.target_id, Number(r.n)]));
    },
    async reservedBy(userId: string, kind: 'launch' | 'live', ids: string[]) {
      if (!ids.length) return new Set<string>();
      const rows = await db.selectFrom('reservations').select('target_id').where('user_id', '=', userId).where('target_kind', '=', kind).where('target_id', 'in', ids).execute();
      return new Set(rows.map((r) => r.target_id));
    },
    /** Inserts unless the user already reserved it; false when they had. */
    async reserve(row: ReservationRow): Promise<boolean> {
      const result = await db.insertInto('reservations').values(row).onConflict((oc) => oc.columns(['user_id', 'target_kind', 'target_id']).doNothing()).executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    async cancel(userId: string, kind: 'launch' | 'live', targetId: string): Promise<boolean> {
      const result = await db.deleteFrom('reservations').where('user_id', '=', userId).where('target_kind', '=', kind).where('target_id', '=', targetId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async mine(userId: string) {
      return db.selectFrom('reservations').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').limit(200).execute();
    },
    async session(id: string) {
      return db.selectFrom('live_sessions').select(['id', 'title', 'status', 'scheduled_at', 'brand_org_id', 'streamer_id']).where('id', '=', id).executeTakeFirst();
    },
    /** A brand's own public lives that are on air or still to come (practice lives are never listed). */
    async brandLives(orgId: string) {
      return db
        .selectFrom('live_sessions')
        .innerJoin('users', 'users.id', 'live_sessions.streamer_id')
        .select(['live_sessions.id', 'live_sessions.title', 'live_sessions.status', 'live_sessions.scheduled_at', 'live_sessions.started_at', 'live_sessions.streamer_id', 'users.display_name'])
        .where('live_sessions.brand_org_id', '=', orgId)
        .where('live_sessions.mode', '=', 'public')
        .where('live_sessions.status', 'in', ['scheduled', 'live'])
        .orderBy('live_sessions.scheduled_at')
        .limit(500)
        .execute();
    },
    async sessionsByIds(ids: string[]) {
      if (!ids.length) return [];
      return db.selectFrom('live_sessions').select(['id', 'title', 'status', 'scheduled_at']).where('id', 'in', ids).execute();
    },
  };
}

export type LaunchesStore = ReturnType<typeof createLaunchesStore>;
