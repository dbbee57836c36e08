import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db, Dialect } from '../platform/db.ts';
import { brandTakesPart, brandTakesPartIn } from './takes-part.ts';

/**
 * The live numbers' reads. Every money figure is summed from `orders` / `order_items` at the moment
 * it is asked for, so the big screen agrees with the orders table to the fen (docs/ANALYTICS.md).
 * `brandOrgId` narrows orders to one brand's (all a brand may see of a live's sales, its own or another's).
 */
export type OrderScope = { sessionId: string; brandOrgId: string | null };

const n = (v: unknown) => Number(v ?? 0);

export function createAnalyticsStore(db: Db, dialect: Dialect) {
  const greatest = dialect === 'postgres' ? 'greatest' : 'max';

  function ordersOf(scope: OrderScope) {
    let q = db.selectFrom('orders').where('orders.session_id', '=', scope.sessionId);
    if (scope.brandOrgId) q = q.where('orders.brand_org_id', '=', scope.brandOrgId);
    return q;
  }
  const paid = sql<SqlBool>`orders.paid_at is not null` as Expression<SqlBool>;

  return {
    session(id: string) {
      return db
        .selectFrom('live_sessions')
        .innerJoin('users', 'users.id', 'live_sessions.streamer_id')
        .select(['live_sessions.id', 'live_sessions.title', 'live_sessions.status', 'live_sessions.mode', 'live_sessions.streamer_id', 'live_sessions.brand_org_id', 'live_sessions.scheduled_at', 'live_sessions.started_at', 'live_sessions.ended_at', 'live_sessions.cover_url', 'users.display_name as streamer_name'])
        .where('live_sessions.id', '=', id)
        .executeTakeFirst();
    },

    /** Placed (any status), paid (paid once, whatever happened since), refunded, buyers and coupon use. */
    async orderTotals(scope: OrderScope) {
      const row = await ordersOf(scope)
        .select([
          sql<number>`count(*)`.as('placed'),
          sql<number>`coalesce(sum(orders.total_fen), 0)`.as('placed_fen'),
          sql<number>`count(distinct orders.buyer_id)`.as('placers'),
          sql<number>`coalesce(sum(case when orders.paid_at is not null then 1 else 0 end), 0)`.as('paid'),
          sql<number>`coalesce(sum(case when orders.paid_at is not null then orders.total_fen else 0 end), 0)`.as('paid_fen'),
          sql<number>`coalesce(sum(case when orders.paid_at is not null then orders.refunded_fen else 0 end), 0)`.as('refunded_fen'),
          sql<number>`count(distinct case when orders.paid_at is not null then orders.buyer_id end)`.as('buyers'),
          sql<number>`coalesce(sum(case when orders.paid_at is not null and orders.user_coupon_id is not null then 1 else 0 end), 0)`.as('coupon_orders'),
          sql<number>`coalesce(sum(case when orders.paid_at is not null and orders.user_coupon_id is not null then orders.discount_fen else 0 end), 0)`.as('coupon_discount_fen'),
        ])
        .executeTakeFirstOrThrow();
      return {
        placed: n(row.placed),
        placedFen: n(row.placed_fen),
        placers: n(row.placers),
        paid: n(row.paid),
        paidFen: n(row.paid_fen),
        refundedFen: n(row.refunded_fen),
        buyers: n(row.buyers),
        couponOrders: n(row.coupon_orders),
        couponDiscountFen: n(row.coupon_discount_fen),
      };
    },

    /** Per product, from paid orders: units, orders, buyers, GMV (paid) and refunds, in fen. */
    async productSales(scope: OrderScope) {
      const rows = await ordersOf(scope)
        .innerJoin('order_items', 'order_items.order_id', 'orders.id')
        .where(paid)
        .select([
          'order_items.product_id',
          sql<string>`max(order_items.title)`.as('title'),
          sql<string | null>`max(order_items.image)`.as('image'),
          sql<number>`sum(order_items.quantity)`.as('units'),
          sql<number>`count(distinct orders.id)`.as('orders'),
          sql<number>`count(distinct orders.buyer_id)`.as('buyers'),
          sql<number>`sum(order_items.paid_fen)`.as('gmv_fen'),
          sql<number>`sum(order_items.refunded_fen)`.as('refunded_fen'),
        ])
        .groupBy('order_items.product_id')
        .execute();
      return rows
        .map((r) => ({ productId: r.product_id, title: r.title, image: r.image, units: n(r.units), orders: n(r.orders), buyers: n(r.buyers), gmvFen: n(r.gmv_fen), refundedFen: n(r.refunded_fen) }))
        .sort((a, b) => b.gmvFen - a.gmvFen || b.units - a.units || a.productId.localeCompare(b.productId));
    },

    /** Paid orders and paid GMV per UTC minute (by paid_at). */
    async ordersPerMinute(scope: OrderScope) {
      const minute = sql<string>`substr(orders.paid_at, 1, 16)`;
      const rows = await ordersOf(scope)
        .where(paid)
        .select([minute.as('minute'), sql<number>`count(*)`.as('orders'), sql<number>`sum(orders.total_fen)`.as('gmv_fen')])
        .groupBy(minute)
        .execute();
      return rows.map((r) => ({ minute: r.minute, orders: n(r.orders), gmvFen: n(r.gmv_fen) }));
    },

    /** Chat messages viewers saw (shown, or shown masked). */
    async comments(sessionId: string) {
      const row = await db
        .selectFrom('chat_messages')
        .select(sql<number>`count(*)`.as('n'))
        .where('session_id', '=', sessionId)
        .where('status', 'in', ['shown', 'masked'])
        .executeTakeFirstOrThrow();
      return n(row.n);
    },

    async newFollowers(streamerId: string, from: string, to: string | null) {
      let q = db.selectFrom('follows').select(sql<number>`count(*)`.as('n')).where('streamer_id', '=', streamerId).where('created_at', '>=', from);
      if (to) q = q.where('created_at', '<=', to);
      return n((await q.executeTakeFirstOrThrow()).n);
    },

    minutes(sessionId: string) {
      return db.selectFrom('live_minutes').selectAll().where('session_id', '=', sessionId).orderBy('minute').execute();
    },

    /** One sample of the room's counts into its minute (several nodes may sample the same room: sums and maxima stay right). */
    async addSample(sessionId: string, minute: string, s: { online: number; uv: number; likes: number; comments: number }) {
      await db
        .insertInto('live_minutes')
        .values({ session_id: sessionId, minute, online_max: s.online, online_sum: s.online, samples: 1, uv: s.uv, likes: s.likes, comments: s.comments })
        .onConflict((oc) =>
          oc.columns(['session_id', 'minute']).doUpdateSet({
            online_max: sql`${sql.raw(greatest)}(live_minutes.online_max, excluded.online_max)`,
            online_sum: sql`live_minutes.online_sum + excluded.online_sum`,
            samples: sql`live_minutes.samples + 1`,
            uv: sql`${sql.raw(greatest)}(live_minutes.uv, excluded.uv)`,
            likes: sql`${sql.raw(greatest)}(live_minutes.likes, excluded.likes)`,
            comments: sql`${sql.raw(greatest)}(live_minutes.comments, excluded.comments)`,
          }),
        )
        .execute();
    },

    liveSessionIds() {
      return db.selectFrom('live_sessions').select(['id', 'streamer_id', 'started_at']).where('status', '=', 'live').where('mode', '=', 'public').execute();
    },

    async addClick(sessionId: string, productId: string, visitorId: string, at: string) {
      await db
        .insertInto('live_product_clicks')
        .values({ session_id: sessionId, product_id: productId, visitor_id: visitorId, clicks: 1, first_at: at })
        .onConflict((oc) => oc.columns(['session_id', 'product_id', 'visitor_id']).doUpdateSet({ clicks: sql`live_product_clicks.clicks + 1` }))
        .execute();
    },

    /** Per product: clicks and distinct clickers; and the distinct clickers of any product (of one brand's products, given `brandOrgId`). */
    async clicks(sessionId: string, brandOrgId: string | null) {
      const clicksOf = () => {
        let q = db.selectFrom('live_product_clicks').where('live_product_clicks.session_id', '=', sessionId);
        if (brandOrgId) q = q.where('live_product_clicks.product_id', 'in', db.selectFrom('products').select('products.id').where('products.brand_org_id', '=', brandOrgId));
        return q;
      };
      const rows = await clicksOf()
        .select(['live_product_clicks.product_id', sql<number>`sum(live_product_clicks.clicks)`.as('clicks'), sql<number>`count(*)`.as('clickers')])
        .groupBy('live_product_clicks.product_id')
        .execute();
      const any = await clicksOf().select(sql<number>`count(distinct live_product_clicks.visitor_id)`.as('n')).executeTakeFirstOrThrow();
      return { perProduct: new Map(rows.map((r) => [r.product_id, { clicks: n(r.clicks), clickers: n(r.clickers) }])), clickers: n(any.n) };
    },

    /** The products linked in the session's 小黄车 (title, picture), whether or not they sold. */
    sessionProducts(sessionId: string, brandOrgId: string | null) {
      let q = db
        .selectFrom('session_products')
        .innerJoin('products', 'products.id', 'session_products.product_id')
        .select(['products.id', 'products.title', 'products.images', 'products.category', 'products.brand_org_id'])
        .where('session_products.session_id', '=', sessionId);
      if (brandOrgId) q = q.where('products.brand_org_id', '=', brandOrgId);
      return q.execute();
    },

    /** Does the brand take part in the live: its product in the 小黄车, or an order of it (server/analytics/takes-part.ts)? */
    brandTakesPart(sessionId: string, brandOrgId: string) {
      return brandTakesPart(db, sessionId, brandOrgId);
    },

    pins(sessionId: string) {
      return db
        .selectFrom('live_pins')
        .leftJoin('products', 'products.id', 'live_pins.product_id')
        .select(['live_pins.product_id', 'live_pins.pinned_at', 'live_pins.unpinned_at', 'products.title', 'products.brand_org_id'])
        .where('live_pins.session_id', '=', sessionId)
        .orderBy('live_pins.pinned_at')
        .execute();
    },

    flashSales(sessionId: string) {
      return db
        .selectFrom('flash_sales')
        .innerJoin('products', 'products.id', 'flash_sales.product_id')
        .select(['flash_sales.id', 'flash_sales.product_id', 'flash_sales.price_fen', 'flash_sales.stock', 'flash_sales.remaining', 'flash_sales.starts_at', 'flash_sales.ends_at', 'products.title', 'products.brand_org_id'])
        .where('flash_sales.session_id', '=', sessionId)
        .orderBy('flash_sales.starts_at')
        .execute();
    },

    coupons(sessionId: string) {
      return db.selectFrom('coupons').select(['id', 'title', 'brand_org_id', 'created_at', 'issued', 'total']).where('session_id', '=', sessionId).orderBy('created_at').execute();
    },

    luckyBags(sessionId: string) {
      return db.selectFrom('lucky_bags').select(['id', 'prize', 'winners', 'drawn_at', 'created_at', 'entrant_count']).where('session_id', '=', sessionId).orderBy('created_at').execute();
    },

    /** The streamer's lives that ended before this one, newest first. */
    previousLives(streamerId: string, before: string, limit: number) {
      return db
        .selectFrom('live_sessions')
        .select(['id', 'title', 'started_at', 'ended_at'])
        .where('streamer_id', '=', streamerId)
        .where('status', '=', 'ended')
        .where('mode', '=', 'public')
        .where('started_at', 'is not', null)
        .where('started_at', '<', before)
        .orderBy('started_at', 'desc')
        .limit(limit)
        .execute();
    },

    /** Lives that ended since `since`, for the platform median (newest first, at most `limit`). */
    endedSince(since: string, limit: number) {
      return db
        .selectFrom('live_sessions')
        .select(['id', 'streamer_id', 'started_at', 'ended_at'])
        .where('status', '=', 'ended')
        .where('mode', '=', 'public')
        .where('ended_at', '>=', since)
        .where('started_at', 'is not', null)
        .orderBy('ended_at', 'desc')
        .limit(limit)
        .execute();
    },

    /** Each session's main category: the category of most linked products (ties: alphabetical). */
    async categories(sessionIds: string[]) {
      const out = new Map<string, string>();
      if (!sessionIds.length) return out;
      const rows = await db
        .selectFrom('session_products')
        .innerJoin('products', 'products.id', 'session_products.product_id')
        .select(['session_products.session_id', 'products.category', sql<number>`count(*)`.as('n')])
        .where('session_products.session_id', 'in', sessionIds)
        .groupBy(['session_products.session_id', 'products.category'])
        .execute();
      const best = new Map<string, { category: string; n: number }>();
      for (const r of rows) {
        const cur = best.get(r.session_id);
        const count = n(r.n);
        if (!cur || count > cur.n || (count === cur.n && r.category < cur.category)) best.set(r.session_id, { category: r.category, n: count });
      }
      for (const [id, b] of best) out.set(id, b.category);
      return out;
    },

    /** Paid GMV (net of refunds) and buyers per session, for comparisons (of one brand's orders, given `brandOrgId`). */
    async salesOf(sessionIds: string[], brandOrgId: string | null = null) {
      const out = new Map<string, { netFen: number; buyers: number }>();
      if (!sessionIds.length) return out;
      let q = db
        .selectFrom('orders')
        .select(['session_id', sql<number>`sum(total_fen - refunded_fen)`.as('net_fen'), sql<number>`count(distinct buyer_id)`.as('buyers')])
        .where('session_id', 'in', sessionIds)
        .where(paid);
      if (brandOrgId) q = q.where('orders.brand_org_id', '=', brandOrgId);
      const rows = await q.groupBy('session_id').execute();
      for (const r of rows) out.set(r.session_id!, { netFen: n(r.net_fen), buyers: n(r.buyers) });
      return out;
    },

    /** The largest cumulative unique-viewer count sampled per session. */
    async uvOf(sessionIds: string[]) {
      const out = new Map<string, number>();
      if (!sessionIds.length) return out;
      const rows = await db.selectFrom('live_minutes').select(['session_id', sql<number>`max(uv)`.as('uv')]).where('session_id', 'in', sessionIds).groupBy('session_id').execute();
      for (const r of rows) out.set(r.session_id, n(r.uv));
      return out;
    },

    /** Sessions a viewer of the analytics may list: by streamer, by brand taking part, or by MCN. */
    sessionsOfStreamers(streamerIds: string[], limit: number) {
      if (!streamerIds.length) return Promise.resolve([]);
      return db
        .selectFrom('live_sessions')
        .innerJoin('users', 'users.id', 'live_sessions.streamer_id')
        .select(['live_sessions.id', 'live_sessions.title', 'live_sessions.status', 'live_sessions.scheduled_at', 'live_sessions.started_at', 'live_sessions.ended_at', 'users.display_name as streamer_name'])
        .where('live_sessions.streamer_id', 'in', streamerIds)
        .where('live_sessions.status', 'in', ['live', 'ended'])
        .where('live_sessions.mode', '=', 'public')
        .orderBy('live_sessions.scheduled_at', 'desc')
        .limit(limit)
        .execute();
    },

    sessionsOfBrand(brandOrgId: string, limit: number) {
      return db
        .selectFrom('live_sessions')
        .innerJoin('users', 'users.id', 'live_sessions.streamer_id')
        .select(['live_sessions.id', 'live_sessions.title', 'live_sessions.status', 'live_sessions.scheduled_at', 'live_sessions.started_at', 'live_sessions.ended_at', 'users.display_name as streamer_name'])
        .where('live_sessions.status', 'in', ['live', 'ended'])
        .where('live_sessions.mode', '=', 'public')
        .where((eb) => eb.or([eb('live_sessions.brand_org_id', '=', brandOrgId), brandTakesPartIn(eb, brandOrgId)]))
        .orderBy('live_sessions.scheduled_at', 'desc')
        .limit(limit)
        .execute();
    },
  };
}

export type AnalyticsStore = ReturnType<typeof createAnalyticsStore>;
