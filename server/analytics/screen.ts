import { cached } from '../platform/cache.ts';
import type { Clock } from '../platform/clock.ts';
import type { RoomBus } from '../room/bus.ts';
import type { AnalyticsSession, Viewer } from './access.ts';
import { buildCurve, markers, watchSeconds } from './curve.ts';
import type { AnalyticsStore } from './store.ts';

/** How long one computation of a live's figures serves every screen asking (per node). */
export const SCREEN_CACHE_MS = 500;

/** Conversion and other ratios travel as numbers with four decimals. */
export const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : 0);

export type ScreenDeps = { store: AnalyticsStore; bus: RoomBus; clock: Clock };

/** One computation of a live's figures, as one viewer may see them. */
async function compute(deps: ScreenDeps, session: AnalyticsSession, viewer: Viewer) {
  const { store, bus, clock } = deps;
  const nowIso = clock.now().toISOString();
  const from = session.started_at ?? session.scheduled_at;
  const to = session.ended_at ?? nowIso;
  const scope = { sessionId: session.id, brandOrgId: viewer.brandOrgId };
  const [totals, products, comments, newFollowers, counts, minutes, perMinute, marks, sales] = await Promise.all([
    store.orderTotals(scope),
    store.productSales(scope),
    store.comments(session.id),
    session.started_at ? store.newFollowers(session.streamer_id, session.started_at, session.ended_at) : Promise.resolve(0),
    bus.counts(session.id),
    store.minutes(session.id),
    store.ordersPerMinute(scope),
    markers(store, session.id, viewer),
    store.flashSales(session.id),
  ]);
  const sampledUv = minutes.reduce((m, r) => Math.max(m, Number(r.uv)), 0);
  const sampledLikes = minutes.reduce((m, r) => Math.max(m, Number(r.likes)), 0);
  const live = session.status === 'live';
  const uv = Math.max(counts.uv, sampledUv);
  const netFen = totals.paidFen - totals.refundedFen;
  const watched = session.started_at ? watchSeconds(minutes, session.started_at, to) : 0;
  const units = products.reduce((s, p) => s + p.units, 0);
  return {
    session: { id: session.id, title: session.title, status: session.status, startedAt: session.started_at, endedAt: session.ended_at, streamer: { id: session.streamer_id, name: session.streamer_name } },
    scope: viewer.scope,
    at: nowIso,
    gmv: { placedFen: totals.placedFen, paidFen: totals.paidFen, refundedFen: totals.refundedFen, netFen },
    orders: { placed: totals.placed, paid: totals.paid },
    units,
    buyers: totals.buyers,
    viewers: { online: live ? counts.online : 0, peak: Math.max(counts.peak, minutes.reduce((m, r) => Math.max(m, Number(r.online_max)), 0)), unique: uv },
    newFollowers,
    likes: Math.max(counts.likes, sampledLikes),
    comments,
    conversion: ratio(totals.buyers, uv),
    /** Net GMV per thousand unique viewers, in fen. */
    gpmFen: uv > 0 ? Math.round((netFen * 1000) / uv) : 0,
    avgWatchSeconds: uv > 0 ? Math.round(watched / uv) : 0,
    topProducts: products.slice(0, 5),
    coupons: { orders: totals.couponOrders, discountFen: totals.couponDiscountFen },
    flashSales: sales
      .filter((s) => viewer.scope === 'all' || s.brand_org_id === viewer.brandOrgId)
      .map((s) => ({ id: s.id, productId: s.product_id, title: s.title, priceFen: s.price_fen, stock: s.stock, remaining: s.remaining, startsAt: s.starts_at, endsAt: s.ends_at, active: s.starts_at <= nowIso && nowIso < s.ends_at })),
    curve: buildCurve({ from, to }, minutes, perMinute),
    markers: marks,
  };
}

export type ScreenFigures = Awaited<ReturnType<typeof compute>>;

/**
 * The big screen's figures (直播大屏, docs/ANALYTICS.md). Money and orders are summed from the orders
 * table on every computation, so they agree with it to the fen; the room's counts come from the
 * room bus while live and from the per-minute samples afterwards. One computation per live (and
 * brand view) serves every screen for SCREEN_CACHE_MS.
 */
export function createScreen(deps: ScreenDeps) {
  // Shared with the room's session cache: a computation in flight serves everyone asking meanwhile.
  const cache = cached<ScreenFigures>(SCREEN_CACHE_MS);
  return {
    figures(session: AnalyticsSession, viewer: Viewer): Promise<ScreenFigures> {
      // The status is in the key: the first figures after a live ends are computed afresh.
      return cache.get(`${session.id}|${viewer.brandOrgId ?? ''}|${session.status}`, () => compute(deps, session, viewer));
    },
  };
}
