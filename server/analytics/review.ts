import type { Clock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import type { AnalyticsSession, Viewer } from './access.ts';
import { explainedSeconds } from './curve.ts';
import { ratio, type ScreenFigures } from './screen.ts';
import type { AnalyticsStore } from './store.ts';

/** Lives of the same category that ended within this many days make the platform median. */
export const MEDIAN_WINDOW_DAYS = 90;
/**
 * The platform median is shown only when it is taken over at least this many other lives of the
 * category: over one or two it would be another streamer's (or brand's) own figures, shown to anyone
 * who opens a review. Fewer, and the review says there are too few lives to compare (docs/ANALYTICS.md).
 */
export const MEDIAN_MIN_LIVES = 5;
/**
 * ... and over the lives of at least this many other streamers: five lives of one other streamer would be
 * that streamer's own median. The asking live's streamer's own lives never count (they would let a
 * streamer who knows four of five figures work out the fifth).
 */
export const MEDIAN_MIN_STREAMERS = 3;
const MEDIAN_SAMPLE = 500;
const PREVIOUS_LIVES = 5;

type LifeSummary = { netFen: number; uv: number; conversion: number; gpmFen: number };

/**
 * The median of the category's lives by other streamers, or only how many lives and streamers there are
 * when fewer than MEDIAN_MIN_LIVES lives or MEDIAN_MIN_STREAMERS streamers (no figures).
 */
export function platformMedian(peers: (LifeSummary & { streamerId: string })[]) {
  const streamers = new Set(peers.map((p) => p.streamerId)).size;
  const head = { lives: peers.length, streamers, windowDays: MEDIAN_WINDOW_DAYS, minLives: MEDIAN_MIN_LIVES, minStreamers: MEDIAN_MIN_STREAMERS };
  if (peers.length < MEDIAN_MIN_LIVES || streamers < MEDIAN_MIN_STREAMERS) return { ...head, tooFew: true as const };
  return {
    ...head,
    tooFew: false as const,
    netFen: median(peers.map((s) => s.netFen)),
    uv: median(peers.map((s) => s.uv)),
    conversion: Math.round(median(peers.map((s) => s.conversion * 10_000))) / 10_000,
    gpmFen: median(peers.map((s) => s.gpmFen)),
  };
}

export function median(values: number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/**
 * The post-live review (复盘, docs/ANALYTICS.md): the big screen's figures at the end, a row per
 * product, the funnel, and how the live compares with the streamer's previous lives and with the
 * platform's median live of its category. Only for a live that has ended.
 */
export function createReview(deps: { store: AnalyticsStore; clock: Clock }) {
  const { store, clock } = deps;

  /** Net GMV, unique viewers, conversion and GPM of other lives (sales of one brand's orders, given `brandOrgId`). */
  async function summaries(ids: string[], brandOrgId: string | null = null) {
    const [sales, uvs] = await Promise.all([store.salesOf(ids, brandOrgId), store.uvOf(ids)]);
    return new Map(
      ids.map((id) => {
        const s = sales.get(id) ?? { netFen: 0, buyers: 0 };
        const uv = uvs.get(id) ?? 0;
        return [id, { netFen: s.netFen, uv, conversion: ratio(s.buyers, uv), gpmFen: uv > 0 ? Math.round((s.netFen * 1000) / uv) : 0 }];
      }),
    );
  }

  return {
    async review(session: AnalyticsSession, viewer: Viewer, figures: ScreenFigures) {
      if (session.status !== 'ended' || !session.started_at) throw new AppError('ANALYTICS_NOT_ENDED', { status: session.status });
      const end = session.ended_at ?? clock.now().toISOString();
      const scope = { sessionId: session.id, brandOrgId: viewer.brandOrgId };
      const [totals, sold, linked, pins, clicks] = await Promise.all([
        store.orderTotals(scope),
        store.productSales(scope),
        store.sessionProducts(session.id, viewer.brandOrgId),
        store.pins(session.id),
        store.clicks(session.id, viewer.brandOrgId),
      ]);
      const explained = explainedSeconds(pins, end);

      // One row per product linked in the 小黄车 or sold in the live.
      const rows = new Map<string, { productId: string; title: string; image: string | null }>();
      for (const p of linked) rows.set(p.id, { productId: p.id, title: p.title, image: (JSON.parse(p.images) as string[])[0] ?? null });
      for (const p of sold) if (!rows.has(p.productId)) rows.set(p.productId, { productId: p.productId, title: p.title, image: p.image });
      const soldBy = new Map(sold.map((p) => [p.productId, p]));
      const products = [...rows.values()]
        .map((r) => {
          const s = soldBy.get(r.productId);
          const c = clicks.perProduct.get(r.productId) ?? { clicks: 0, clickers: 0 };
          return {
            ...r,
            explainedSeconds: Math.round(explained.get(r.productId) ?? 0),
            clicks: c.clicks,
            clickers: c.clickers,
            orders: s?.orders ?? 0,
            units: s?.units ?? 0,
            buyers: s?.buyers ?? 0,
            gmvFen: s?.gmvFen ?? 0,
            refundedFen: s?.refundedFen ?? 0,
            /** Buyers of the product ÷ viewers who opened its card. */
            conversion: ratio(s?.buyers ?? 0, c.clickers),
          };
        })
        .sort((a, b) => b.gmvFen - a.gmvFen || b.explainedSeconds - a.explainedSeconds || a.title.localeCompare(b.title));

      const views = figures.viewers.unique;
      const funnel = [
        { step: 'view', count: views },
        { step: 'click', count: clicks.clickers },
        { step: 'order', count: totals.placers },
        { step: 'paid', count: totals.buyers },
      ].map((s, i, all) => ({ ...s, rate: i === 0 ? 1 : ratio(s.count, all[i - 1]!.count) }));

      // The streamer's previous lives (a brand: its own sales in them), and the platform median of lives in the same category.
      const previous = await store.previousLives(session.streamer_id, session.started_at, PREVIOUS_LIVES);
      const prevSummaries = await summaries(previous.map((p) => p.id), viewer.brandOrgId);
      const since = new Date(clock.now().getTime() - MEDIAN_WINDOW_DAYS * 86_400_000).toISOString();
      const recent = await store.endedSince(since, MEDIAN_SAMPLE);
      const categories = await store.categories([session.id, ...recent.map((r) => r.id)]);
      const category = categories.get(session.id) ?? null;
      const peers = category ? recent.filter((r) => r.streamer_id !== session.streamer_id && categories.get(r.id) === category) : [];
      const peerFigures = await summaries(peers.map((r) => r.id));
      const peerSummaries = peers.map((r) => ({ ...peerFigures.get(r.id)!, streamerId: r.streamer_id }));
      const durationOf = (s: { started_at: string | null; ended_at: string | null }) => (s.started_at && s.ended_at ? Math.round((Date.parse(s.ended_at) - Date.parse(s.started_at)) / 1000) : 0);

      return {
        figures,
        durationSeconds: durationOf(session),
        products,
        funnel,
        comparison: {
          previous: previous.map((p) => ({ id: p.id, title: p.title, startedAt: p.started_at, durationSeconds: durationOf(p), ...prevSummaries.get(p.id)! })),
          category,
          platformMedian: platformMedian(peerSummaries),
        },
      };
    },
  };
}

export type Review = Awaited<ReturnType<ReturnType<typeof createReview>['review']>>;
