import type { LiveMinutesTable } from '../platform/db-types.ts';
import type { AnalyticsStore } from './store.ts';
import type { Viewer } from './access.ts';

/** One minute of a live: paid orders and GMV that minute, viewers online (most at once), and the cumulative room counts. */
export type CurvePoint = { minute: string; gmvFen: number; orders: number; online: number; uv: number; likes: number; comments: number };

export type Marker = { at: string; kind: 'pin' | 'flash_sale' | 'coupon' | 'lucky_bag'; label: string; productId: string | null };

const MINUTE_MS = 60_000;
const minuteOf = (iso: string) => iso.slice(0, 16);

/**
 * Every minute from the live's start to its end (or now), gaps filled: orders with zero, the
 * cumulative counts carried forward from the last sample.
 */
export function buildCurve(range: { from: string; to: string }, minutes: LiveMinutesTable[], orders: { minute: string; orders: number; gmvFen: number }[]): CurvePoint[] {
  const sampled = new Map(minutes.map((m) => [m.minute, m]));
  const sold = new Map(orders.map((o) => [o.minute, o]));
  const out: CurvePoint[] = [];
  let last = { uv: 0, likes: 0, comments: 0 };
  const start = Date.parse(`${minuteOf(range.from)}:00.000Z`);
  const end = Date.parse(`${minuteOf(range.to)}:00.000Z`);
  // A live longer than a day still gives one point a minute; the bound only guards bad clocks.
  for (let t = start, i = 0; t <= end && i < 24 * 60 * 2; t += MINUTE_MS, i++) {
    const minute = new Date(t).toISOString().slice(0, 16);
    const m = sampled.get(minute);
    if (m) last = { uv: Math.max(last.uv, Number(m.uv)), likes: Math.max(last.likes, Number(m.likes)), comments: Math.max(last.comments, Number(m.comments)) };
    const o = sold.get(minute);
    out.push({ minute, gmvFen: o?.gmvFen ?? 0, orders: o?.orders ?? 0, online: m ? Number(m.online_max) : 0, ...last });
  }
  return out;
}

/**
 * Viewer-seconds watched: each sampled minute's average online count times the seconds of that
 * minute the live was on. Divided by unique viewers, it is the average watch time.
 */
export function watchSeconds(minutes: LiveMinutesTable[], from: string, to: string): number {
  const start = Date.parse(from);
  const end = Date.parse(to);
  let total = 0;
  for (const m of minutes) {
    if (!Number(m.samples)) continue;
    const t0 = Date.parse(`${m.minute}:00.000Z`);
    const covered = Math.max(0, Math.min(t0 + MINUTE_MS, end) - Math.max(t0, start)) / 1000;
    total += (Number(m.online_sum) / Number(m.samples)) * covered;
  }
  return total;
}

/** Pins, flash sales, coupon drops and lucky-bag draws, in time order; a brand sees only its own products' and coupons. */
export async function markers(store: AnalyticsStore, sessionId: string, viewer: Viewer): Promise<Marker[]> {
  const mine = (brand: string | null) => viewer.scope === 'all' || brand === viewer.brandOrgId;
  const [pins, sales, coupons, bags] = await Promise.all([store.pins(sessionId), store.flashSales(sessionId), store.coupons(sessionId), store.luckyBags(sessionId)]);
  const out: Marker[] = [
    ...pins.filter((p) => mine(p.brand_org_id)).map((p) => ({ at: p.pinned_at, kind: 'pin' as const, label: p.title ?? '', productId: p.product_id })),
    ...sales.filter((s) => mine(s.brand_org_id)).map((s) => ({ at: s.starts_at, kind: 'flash_sale' as const, label: s.title, productId: s.product_id })),
    ...coupons.filter((c) => mine(c.brand_org_id)).map((c) => ({ at: c.created_at, kind: 'coupon' as const, label: c.title, productId: null })),
    ...bags.filter((b) => b.drawn_at).map((b) => ({ at: b.drawn_at!, kind: 'lucky_bag' as const, label: b.prize, productId: null })),
  ];
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** Seconds each product was pinned (讲解时长), clipped to the live. */
export function explainedSeconds(pins: { product_id: string; pinned_at: string; unpinned_at: string | null }[], end: string): Map<string, number> {
  const out = new Map<string, number>();
  const stop = Date.parse(end);
  for (const p of pins) {
    const s = Math.max(0, (Math.min(p.unpinned_at ? Date.parse(p.unpinned_at) : stop, stop) - Date.parse(p.pinned_at)) / 1000);
    out.set(p.product_id, (out.get(p.product_id) ?? 0) + s);
  }
  return out;
}
