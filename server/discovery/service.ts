import type { Db } from '../platform/db.ts';
import type { Clock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import type { RoomBus } from '../room/bus.ts';
import { createReplays } from '../replays/chapters.ts';
import { encodeCursor, type ReplayCursor } from './schema.ts';
import { createDiscoveryStore, type CardRow, type ProductRow } from './store.ts';

/** How long a node reuses the category tabs and a brand's replays (they change rarely; the lists do not). */
const TABS_TTL_MS = 5000;
const BRAND_REPLAYS_TTL_MS = 30_000;
/** The tabs are the categories of the sessions live now, upcoming, and this many recent replays. */
const TAB_SESSIONS = 500;
/** The active set (live and scheduled) a brand page or a product's "lives" look at. */
const ACTIVE_LIMIT = 500;
/** A scheduled live that has not started this long after its time is left out of the lists (it was not held). */
const STALE_SCHEDULED_MS = 6 * 3_600_000;

export type SessionCard = {
  id: string;
  title: string;
  status: 'scheduled' | 'live' | 'ended';
  scheduledAt: string;
  startedAt: string | null;
  endedAt: string | null;
  coverUrl: string | null;
  hasReplay: boolean;
  /** Online now for a live, the peak for an ended session, null before it starts. */
  viewers: number | null;
  streamer: { id: string; displayName: string };
  brand: { id: string; name: string } | null;
  /** Top-level categories of the products it carries ("食品"), most carried first. */
  categories: string[];
};

export type ProductCard = {
  id: string;
  title: string;
  category: string;
  image: string | null;
  priceFen: number | null;
  brand: { id: string; name: string };
  /** The lives (live now or upcoming) that sell it. */
  lives: { id: string; title: string; status: 'scheduled' | 'live' }[];
  /** Its latest explanation in a replay (看讲解, docs/VIDEO.md Replay chapters), when there is one. */
  explanation?: { sessionId: string; startS: number };
};

/** "食品/糕点" → "食品". */
export function topLevel(category: string): string {
  return category.split('/')[0]!.trim();
}

function firstImage(images: string): string | null {
  try {
    const list = JSON.parse(images) as unknown;
    return Array.isArray(list) && typeof list[0] === 'string' ? list[0] : null;
  } catch {
    return null;
  }
}

export function createDiscovery(deps: { db: Db; bus: RoomBus; clock: Clock }) {
  const store = createDiscoveryStore(deps.db);
  const replays = createReplays(deps.db);
  const now = () => deps.clock.now().getTime();
  const since = () => new Date(now() - STALE_SCHEDULED_MS).toISOString();
  const notStale = (s: CardRow) => s.status !== 'scheduled' || s.scheduled_at >= since();
  let tabs: { at: number; value: Promise<string[]> } | null = null;
  const brandReplays = new Map<string, { at: number; value: Promise<CardRow[]> }>();

  async function toCards(rows: CardRow[]): Promise<SessionCard[]> {
    const categories = new Map<string, Map<string, number>>();
    for (const row of await store.categoriesOf(rows.map((r) => r.id))) {
      const counts = categories.get(row.session_id) ?? new Map<string, number>();
      const top = topLevel(row.category);
      if (top) counts.set(top, (counts.get(top) ?? 0) + 1);
      categories.set(row.session_id, counts);
    }
    return Promise.all(
      rows.map(async (row) => ({
        id: row.id,
        title: row.title,
        status: row.status,
        scheduledAt: row.scheduled_at,
        startedAt: row.started_at,
        endedAt: row.ended_at,
        coverUrl: row.cover_url,
        hasReplay: row.replay_status === 'ready',
        viewers: row.status === 'live' ? (await deps.bus.counts(row.id)).online : row.status === 'ended' ? row.peak_viewers : null,
        streamer: { id: row.streamer_id, displayName: row.streamer_name },
        brand: row.brand_org_id ? { id: row.brand_org_id, name: row.brand_name ?? '' } : null,
        categories: [...(categories.get(row.id) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name),
      })),
    );
  }

  /** Product cards, each with the lives (among `active`) that carry it. */
  async function toProducts(products: ProductRow[], active: CardRow[]): Promise<ProductCard[]> {
    const ids = products.map((p) => p.id);
    const [prices, carrying, explained] = await Promise.all([store.lowestPrices(ids), store.carrying(active.map((s) => s.id), ids), replays.latestExplanations(ids)]);
    const sessions = new Map(active.map((s) => [s.id, s]));
    return products.map((p) => ({
      id: p.id,
      title: p.title,
      category: p.category,
      image: firstImage(p.images),
      priceFen: prices.get(p.id) ?? null,
      brand: { id: p.brand_org_id, name: p.brand_name },
      lives: carrying
        .filter((c) => c.product_id === p.id)
        .map((c) => sessions.get(c.session_id)!)
        .sort((a, b) => (a.status === b.status ? a.scheduled_at.localeCompare(b.scheduled_at) : a.status === 'live' ? -1 : 1))
        .map((s) => ({ id: s.id, title: s.title, status: s.status as 'scheduled' | 'live' })),
      ...(explained.has(p.id) && { explanation: { sessionId: explained.get(p.id)!.sessionId, startS: explained.get(p.id)!.startS } }),
    }));
  }

  /** Live now and scheduled sessions, at most ACTIVE_LIMIT of each (the status index). */
  async function activeSessions() {
    const [live, scheduled] = await Promise.all([store.byStatus('live', ACTIVE_LIMIT), store.byStatus('scheduled', ACTIVE_LIMIT, { since: since() })]);
    return [...live, ...scheduled];
  }

  async function computeTabs(): Promise<string[]> {
    const [active, replays] = await Promise.all([activeSessions(), store.replays(TAB_SESSIONS)]);
    const sessionsPer = new Map<string, Set<string>>();
    for (const row of await store.categoriesOf([...active, ...replays].map((s) => s.id))) {
      const top = topLevel(row.category);
      if (!top) continue;
      const set = sessionsPer.get(top) ?? new Set<string>();
      set.add(row.session_id);
      sessionsPer.set(top, set);
    }
    return [...sessionsPer].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0])).map(([name]) => name);
  }

  function categoryTabs(): Promise<string[]> {
    if (!tabs || now() - tabs.at >= TABS_TTL_MS) {
      const value = computeTabs();
      tabs = { at: now(), value };
      // A failed read is not kept: the next request tries again.
      value.catch(() => {
        if (tabs?.value === value) tabs = null;
      });
    }
    return tabs.value;
  }

  function replaysOfBrand(brandId: string): Promise<CardRow[]> {
    const hit = brandReplays.get(brandId);
    if (hit && now() - hit.at < BRAND_REPLAYS_TTL_MS) return hit.value;
    if (brandReplays.size > 1000) brandReplays.clear();
    const value = store.replays(20, { brandId });
    brandReplays.set(brandId, { at: now(), value });
    value.catch(() => brandReplays.delete(brandId));
    return value;
  }

  const upcomingFirst = (a: CardRow, b: CardRow) => a.scheduled_at.localeCompare(b.scheduled_at);

  return {
    topLevel,

    /** The home page: tabs, then live now, upcoming and replays of one category (or all). */
    async discover(query: { category?: string; cursor?: ReplayCursor; limit: number }) {
      const { category, cursor, limit } = query;
      // A cursor asks for more replays only: live and upcoming were on the first page.
      const [categories, live, upcoming, replays] = await Promise.all([
        categoryTabs(),
        cursor ? [] : store.byStatus('live', limit, { category }),
        cursor ? [] : store.byStatus('scheduled', limit, { category, since: since() }),
        store.replays(limit + 1, { category, cursor }),
      ]);
      const more = replays.length > limit;
      const page = replays.slice(0, limit);
      const last = page.at(-1);
      return {
        category: category ?? null,
        categories,
        live: await toCards(live),
        upcoming: await toCards(upcoming),
        replays: await toCards(page),
        nextCursor: more && last ? encodeCursor({ at: last.scheduled_at, id: last.id }) : null,
      };
    },

    async streamerProfile(streamerId: string, viewerId: string | null) {
      const streamer = await store.approvedStreamer(streamerId);
      if (!streamer) throw new AppError('STREAMER_PROFILE_NOT_FOUND');
      const [followers, following, sessions] = await Promise.all([
        store.followerCount(streamerId),
        viewerId ? store.isFollowing(viewerId, streamerId) : null,
        store.byStreamers([streamerId], ['live', 'scheduled', 'ended'], 200),
      ]);
      const live = sessions.filter((s) => s.status === 'live');
      const upcoming = sessions.filter((s) => s.status === 'scheduled' && notStale(s)).sort(upcomingFirst);
      const replays = sessions.filter((s) => s.status === 'ended' && s.replay_status === 'ready').slice(0, 20);
      // What they sell: the products of their lives now and upcoming, then of their past ones.
      const productRows = await store.productsOf(sessions.map((s) => s.id));
      const order = new Map([...live, ...upcoming, ...sessions].map((s, i) => [s.id, i] as const).reverse());
      const seen = new Map<string, { row: ProductRow; rank: number }>();
      for (const row of productRows) {
        const rank = (order.get(row.session_id) ?? 0) * 1000 + row.link;
        const hit = seen.get(row.id);
        if (!hit || rank < hit.rank) seen.set(row.id, { row, rank });
      }
      const products = [...seen.values()].sort((a, b) => a.rank - b.rank).slice(0, 50).map((p) => p.row);
      return {
        streamer: { id: streamer.id, displayName: streamer.display_name, followers, following },
        live: await toCards(live),
        upcoming: await toCards(upcoming),
        replays: await toCards(replays),
        products: await toProducts(products, [...live, ...upcoming]),
      };
    },

    async brandProfile(brandId: string) {
      const brand = await store.approvedBrand(brandId);
      if (!brand) throw new AppError('ORG_NOT_FOUND');
      const [products, active, replays] = await Promise.all([store.brandProducts(brandId, 100), activeSessions(), replaysOfBrand(brandId)]);
      const productCards = await toProducts(products, active);
      // Its lives: the ones it is the brand of, and any other carrying its products (a streamer's mixed 小黄车).
      const selling = new Set(productCards.flatMap((p) => p.lives.map((l) => l.id)));
      const ours = active.filter((s) => s.brand_org_id === brandId || selling.has(s.id));
      return {
        brand: { id: brand.id, name: brand.name, description: brand.description, licenceName: brand.licence_name, licenceNo: brand.licence_no },
        live: await toCards(ours.filter((s) => s.status === 'live')),
        upcoming: await toCards(ours.filter((s) => s.status === 'scheduled').sort(upcomingFirst)),
        replays: await toCards(replays),
        products: productCards,
      };
    },

    /** Lives now and upcoming from the streamers a user follows, then their replays. */
    async followingFeed(userId: string) {
      const followed = await store.followed(userId, 500);
      const ids = followed.map((f) => f.id);
      const [all, replays] = await Promise.all([store.byStreamers(ids, ['live', 'scheduled'], 200), store.byStreamers(ids, ['ended'], 20)]);
      const active = all.filter(notStale);
      const liveIds = new Map(active.filter((s) => s.status === 'live').map((s) => [s.streamer_id, s.id]));
      return {
        streamers: followed.map((f) => ({ id: f.id, displayName: f.display_name, liveSessionId: liveIds.get(f.id) ?? null })),
        live: await toCards(active.filter((s) => s.status === 'live')),
        upcoming: await toCards(active.filter((s) => s.status === 'scheduled').sort(upcomingFirst)),
        replays: await toCards(replays),
      };
    },
  };
}

export type Discovery = ReturnType<typeof createDiscovery>;
