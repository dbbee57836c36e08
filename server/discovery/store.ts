import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { Database, LiveStatus } from '../platform/db-types.ts';
import { approvedOrgIds } from '../orgs/approval.ts';
import type { ReplayCursor } from './schema.ts';

/**
 * Read-only queries behind the discovery pages. Each one starts from an index: live_sessions by
 * (status, scheduled_at) or by streamer_id, session_products by its (session_id, …) key, products by
 * id or brand_org_id, follows by its (user_id, …) key. None reads a whole table.
 */
export function createDiscoveryStore(db: Db) {
  const cards = () =>
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
        'live_sessions.ended_at',
        'live_sessions.cover_url',
        'live_sessions.replay_status',
        'live_sessions.peak_viewers',
        'live_sessions.streamer_id',
        'users.display_name as streamer_name',
        'live_sessions.brand_org_id',
        'organisations.name as brand_name',
      ])
      // Practice lives (实训) are never discovered.
      .where('live_sessions.mode', '=', 'public');

  /** Sessions carrying at least one product of this top-level category ("食品" matches "食品" and "食品/…"), of an approved brand. */
  const inCategory = (category: string) => (eb: ExpressionBuilder<Database, 'live_sessions'>) =>
    eb.exists(
      eb
        .selectFrom('session_products')
        .innerJoin('products', 'products.id', 'session_products.product_id')
        .select('session_products.product_id')
        .whereRef('session_products.session_id', '=', 'live_sessions.id')
        .where('products.brand_org_id', 'in', approvedOrgIds(db))
        .where((e) => e.or([e('products.category', '=', category), e('products.category', 'like', `${category}/%`)])),
    );

  return {
    /** Sessions in one status, the newest start first (live) or the soonest first (scheduled, from `since` on). */
    byStatus(status: Exclude<LiveStatus, 'ended'>, limit: number, options: { category?: string; since?: string } = {}) {
      const { category, since } = options;
      let query = cards().where('live_sessions.status', '=', status);
      if (since) query = query.where('live_sessions.scheduled_at', '>=', since);
      if (category) query = query.where(inCategory(category));
      return (status === 'live' ? query.orderBy('live_sessions.started_at', 'desc') : query.orderBy('live_sessions.scheduled_at'))
        .orderBy('live_sessions.id')
        .limit(limit)
        .execute();
    },

    /** Ended sessions with a replay, the most recently scheduled first, after `cursor`. */
    replays(limit: number, options: { category?: string; cursor?: ReplayCursor; brandId?: string } = {}) {
      let query = cards().where('live_sessions.status', '=', 'ended').where('live_sessions.replay_status', '=', 'ready');
      if (options.category) query = query.where(inCategory(options.category));
      if (options.brandId) query = query.where('live_sessions.brand_org_id', '=', options.brandId);
      const cursor = options.cursor;
      if (cursor) {
        query = query.where((eb) =>
          eb.or([eb('live_sessions.scheduled_at', '<', cursor.at), eb.and([eb('live_sessions.scheduled_at', '=', cursor.at), eb('live_sessions.id', '<', cursor.id)])]),
        );
      }
      return query.orderBy('live_sessions.scheduled_at', 'desc').orderBy('live_sessions.id', 'desc').limit(limit).execute();
    },

    /** Some streamers' sessions (the live_sessions_streamer index), newest first. */
    byStreamers(streamerIds: string[], statuses: LiveStatus[], limit: number) {
      if (!streamerIds.length) return Promise.resolve([]);
      let query = cards().where('live_sessions.streamer_id', 'in', streamerIds).where('live_sessions.status', 'in', statuses);
      if (statuses.length === 1 && statuses[0] === 'ended') query = query.where('live_sessions.replay_status', '=', 'ready');
      return query.orderBy('live_sessions.scheduled_at', 'desc').limit(limit).execute();
    },

    /** The categories of the products each session carries (the cards' tags, the tabs), of approved brands only. */
    categoriesOf(sessionIds: string[]) {
      if (!sessionIds.length) return Promise.resolve([]);
      return db
        .selectFrom('session_products')
        .innerJoin('products', 'products.id', 'session_products.product_id')
        .select(['session_products.session_id', 'products.category'])
        .where('session_products.session_id', 'in', sessionIds)
        .where('products.brand_org_id', 'in', approvedOrgIds(db))
        .execute();
    },

    /** The products on sale (of approved brands) in these sessions' 小黄车, with their brand, in link order. */
    productsOf(sessionIds: string[]) {
      if (!sessionIds.length) return Promise.resolve([]);
      return db
        .selectFrom('session_products')
        .innerJoin('products', 'products.id', 'session_products.product_id')
        .innerJoin('organisations', 'organisations.id', 'products.brand_org_id')
        .select([
          'session_products.session_id',
          'session_products.link',
          'products.id',
          'products.title',
          'products.category',
          'products.images',
          'products.brand_org_id',
          'organisations.name as brand_name',
        ])
        .where('session_products.session_id', 'in', sessionIds)
        .where('products.status', '=', 'on_sale')
        .where('organisations.status', '=', 'approved')
        .orderBy('session_products.link')
        .execute();
    },

    /** Which of these sessions carry which of these products. */
    carrying(sessionIds: string[], productIds: string[]) {
      if (!sessionIds.length || !productIds.length) return Promise.resolve([]);
      return db
        .selectFrom('session_products')
        .select(['session_id', 'product_id'])
        .where('session_id', 'in', sessionIds)
        .where('product_id', 'in', productIds)
        .execute();
    },

    brandProducts(brandId: string, limit: number) {
      return db
        .selectFrom('products')
        .innerJoin('organisations', 'organisations.id', 'products.brand_org_id')
        .select(['products.id', 'products.title', 'products.category', 'products.images', 'products.brand_org_id', 'organisations.name as brand_name'])
        .where('products.brand_org_id', '=', brandId)
        .where('products.status', '=', 'on_sale')
        .where('organisations.status', '=', 'approved')
        .orderBy('products.created_at')
        .orderBy('products.id')
        .limit(limit)
        .execute();
    },

    /** The lowest SKU price of each product (the "from ¥…" on a card). */
    async lowestPrices(productIds: string[]) {
      if (!productIds.length) return new Map<string, number>();
      const rows = await db
        .selectFrom('skus')
        .select(['product_id', (eb) => eb.fn.min<number>('price_fen').as('price')])
        .where('product_id', 'in', productIds)
        .groupBy('product_id')
        .execute();
      return new Map(rows.map((r) => [r.product_id, Number(r.price)]));
    },

    approvedStreamer(userId: string) {
      return db
        .selectFrom('streamer_profiles')
        .innerJoin('users', 'users.id', 'streamer_profiles.user_id')
        .select(['users.id', 'users.display_name'])
        .where('streamer_profiles.user_id', '=', userId)
        .where('streamer_profiles.status', '=', 'approved')
        .executeTakeFirst();
    },

    approvedBrand(orgId: string) {
      return db
        .selectFrom('organisations')
        .select(['id', 'name', 'description', 'licence_name', 'licence_no'])
        .where('id', '=', orgId)
        .where('kind', '=', 'brand')
        .where('status', '=', 'approved')
        .executeTakeFirst();
    },

    async followerCount(streamerId: string) {
      const row = await db.selectFrom('follows').select((eb) => eb.fn.countAll<number>().as('n')).where('streamer_id', '=', streamerId).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async isFollowing(userId: string, streamerId: string) {
      return Boolean(await db.selectFrom('follows').select('user_id').where('user_id', '=', userId).where('streamer_id', '=', streamerId).executeTakeFirst());
    },

    /** Whom a user follows, most recent first, with their names. */
    followed(userId: string, limit: number) {
      return db
        .selectFrom('follows')
        .innerJoin('users', 'users.id', 'follows.streamer_id')
        .select(['users.id', 'users.display_name'])
        .where('follows.user_id', '=', userId)
        .orderBy('follows.created_at', 'desc')
        .limit(limit)
        .execute();
    },
  };
}

export type DiscoveryStore = ReturnType<typeof createDiscoveryStore>;
export type CardRow = Awaited<ReturnType<DiscoveryStore['replays']>>[number];
export type ProductRow = Awaited<ReturnType<DiscoveryStore['brandProducts']>>[number];
