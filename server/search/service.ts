import { sql } from 'kysely';
import type { Db, Dialect } from '../platform/db.ts';
import { normaliseQuery, type SearchType } from './schema.ts';
import { createSearchStore, type SearchSection } from './store.ts';

/** Sessions shown under each product found. */
const LIVES_PER_PRODUCT = 3;

export function createSearchService(db: Db, dialect: Dialect) {
  const store = createSearchStore(db, dialect);

  /**
   * PostgreSQL only: pg_trgm takes CJK characters as word characters only under a UTF-8 LC_CTYPE
   * (C.UTF-8, zh_CN.UTF-8…). Under another one the answers are the same, but the trigram index cannot
   * narrow a Chinese query of 3+ characters. Returns the database's LC_CTYPE when it is not UTF-8, for a
   * start-up warning (docs/SEARCH.md), else null.
   */
  async function nonUtf8Ctype(): Promise<string | null> {
    if (dialect !== 'postgres') return null;
    const { rows } = await sql<{ ctype: string }>`select datctype as ctype from pg_database where datname = current_database()`.execute(db);
    const ctype = rows[0]?.ctype ?? '';
    return /utf-?8/i.test(ctype) ? null : ctype;
  }

  async function sessions(q: ReturnType<typeof normaliseQuery>, limit: number) {
    const rows = await store.sessions(q, limit);
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      status: row.status,
      streamerId: row.streamer_id,
      streamerName: row.streamer_name,
      brandId: row.brand_org_id,
      brandName: row.brand_org_id ? row.brand_name : null,
      scheduledAt: row.scheduled_at,
      startedAt: row.started_at,
      coverUrl: row.cover_url,
      hasReplay: row.replay_status === 'ready',
    }));
  }

  async function streamers(q: ReturnType<typeof normaliseQuery>, limit: number) {
    const rows = await store.streamers(q, limit);
    const live = new Map<string, { id: string; title: string }>();
    for (const row of await store.liveOf(rows.map((r) => r.id))) if (!live.has(row.streamer_id)) live.set(row.streamer_id, { id: row.id, title: row.title });
    return rows.map((row) => ({ id: row.id, displayName: row.display_name, followers: Number(row.followers), live: live.get(row.id) ?? null }));
  }

  async function brands(q: ReturnType<typeof normaliseQuery>, limit: number) {
    const rows = await store.brands(q, limit);
    return rows.map((row) => ({ id: row.id, name: row.name, licenceName: row.licence_name }));
  }

  async function products(q: ReturnType<typeof normaliseQuery>, limit: number) {
    const rows = await store.products(q, limit);
    const lives = new Map<string, { id: string; title: string; status: string }[]>();
    for (const row of await store.livesOf(rows.map((r) => r.id), LIVES_PER_PRODUCT)) {
      const list = lives.get(row.product_id) ?? [];
      list.push({ id: row.id, title: row.title, status: row.status });
      lives.set(row.product_id, list);
    }
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      category: row.category,
      image: firstImage(row.images),
      priceFen: Number(row.price_fen),
      brand: { id: row.brand_id, name: row.brand_name },
      lives: lives.get(row.id) ?? [],
    }));
  }

  const sections = { sessions, streamers, brands, products };

  return {
    store,
    nonUtf8Ctype,
    /** GET /api/search: every list the type asks for (the others empty), each at most `limit` long. */
    async search(rawQuery: string | undefined, type: SearchType, limit: number) {
      const q = normaliseQuery(rawQuery);
      const wanted: SearchSection[] = type === 'all' ? ['sessions', 'streamers', 'brands', 'products'] : [type];
      const found = await Promise.all(wanted.map(async (section) => [section, await sections[section](q, limit)] as const));
      return {
        query: q.display,
        sessions: [],
        streamers: [],
        brands: [],
        products: [],
        ...Object.fromEntries(found),
      } as {
        query: string;
        sessions: Awaited<ReturnType<typeof sessions>>;
        streamers: Awaited<ReturnType<typeof streamers>>;
        brands: Awaited<ReturnType<typeof brands>>;
        products: Awaited<ReturnType<typeof products>>;
      };
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;

function firstImage(images: string): string | null {
  try {
    const list = JSON.parse(images) as unknown;
    return Array.isArray(list) && typeof list[0] === 'string' ? list[0] : null;
  } catch {
    return null;
  }
}
