import { sql, type RawBuilder } from 'kysely';
import type { Db, Dialect } from '../platform/db.ts';
import type { LiveStatus } from '../platform/db-types.ts';
import type { NormalisedQuery } from './schema.ts';

/** What search_docs holds (migration 0010_search). */
type DocKind = 'product' | 'session' | 'streamer' | 'brand';
export type SearchSection = 'sessions' | 'streamers' | 'brands' | 'products';

/** Queries shorter than this go to the 1- and 2-character gram index; the rest to the trigram index. */
const TRIGRAM_MIN_CHARS = 3;

/**
 * The sessions section's two plans (docs/SEARCH.md, Plans), which give the same rows. Above this many
 * matched products (for `limit` rows), it walks the visible sessions in display order
 * (statements.sessionsWalk) instead of visiting every session of every matched product
 * (statements.sessions). The walk's cost grows with limit ÷ the share of sessions found, which grows
 * with the products matched; the other plan's with the products matched: they cost the same at about
 * 300 × √limit products on the benchmark's data (950 for 10 rows, 2,100 for 50).
 */
export const sessionWalkAbove = (limit: number) => Math.round(300 * Math.sqrt(limit));
/**
 * How many visible sessions the walk reads at most, per row asked for: when the first
 * 30 × limit sessions in display order hold fewer than `limit` found, the other plan answers.
 */
export const SESSION_WALK_WINDOW_PER_ROW = 30;

export type SessionRow = {
  id: string;
  title: string;
  status: LiveStatus;
  streamer_id: string;
  streamer_name: string;
  brand_org_id: string | null;
  brand_name: string | null;
  scheduled_at: string;
  started_at: string | null;
  cover_url: string | null;
  replay_status: string;
};
export type StreamerRow = { id: string; display_name: string; followers: number };
export type BrandRow = { id: string; name: string; licence_name: string | null };
export type ProductRow = { id: string; title: string; category: string; images: string; brand_id: string; brand_name: string; price_fen: number };

/**
 * The search queries. Each section is one statement (sessions: one of two plans, chosen by a count of
 * the matched products, with the same answer): the index finds the candidates (visible
 * search_docs rows whose text contains the query), they are ordered to the last tie (id) and cut to
 * the limit, and only then are the rows they refer to read, by primary key. Ids and times are compared
 * byte by byte on PostgreSQL (collate "C"), as SQLite compares them.
 */
export function createSearchStore(db: Db, dialect: Dialect, options: { sessionWalkAbove?: number; sessionWalkWindow?: number } = {}) {
  const postgres = dialect === 'postgres';
  // Tests set these to use the walk on the demo's few rows.
  const walkAbove = (limit: number) => options.sessionWalkAbove ?? sessionWalkAbove(limit);
  const walkWindow = (limit: number) => options.sessionWalkWindow ?? SESSION_WALK_WINDOW_PER_ROW * limit;
  const byBytes = sql.raw(postgres ? ' collate "C"' : '');
  const position = (haystack: RawBuilder<unknown>, needle: string) => (postgres ? sql`strpos(${haystack}, ${needle})` : sql`instr(${haystack}, ${needle})`);
  const statusRank = (status: RawBuilder<unknown>) => sql`case ${status} when 'live' then 0 when 'scheduled' then 1 else 2 end`;
  const ref = (name: string) => sql.ref(name) as RawBuilder<unknown>;
  /** Sessions a viewer may see (as GET /api/live-sessions), as search_docs.visible has them: scheduled, live or ended, never cut off by an operator. */
  const visibleSession = (s: string) => sql.raw(`${s}.status in ('live', 'scheduled', 'ended') and (${s}.ended_reason is null or ${s}.ended_reason <> 'cut_off') and ${s}.mode = 'public'`);

  /**
   * The visible search_docs of one kind (or of every kind) whose text contains the query: `kind`, `id`
   * (ref_id), `name` (folded), `status_rank`, `sort_at`. An index lookup on both databases.
   */
  function matches(q: NormalisedQuery, kind?: DocKind): RawBuilder<unknown> {
    const long = q.chars >= TRIGRAM_MIN_CHARS;
    const columns = sql.raw('d.kind, d.ref_id as id, d.name, d.status_rank, d.sort_at');
    const where = kind ? sql`d.kind = ${sql.lit(kind)} and d.visible = 1` : sql`d.visible = 1`;
    if (postgres) {
      if (long) return sql`select ${columns} from search_docs d where d.text like ${likePattern(q.text)} and ${where}`;
      return sql`select ${columns} from search_docs d where d.grams @> array[${q.text}::text] and ${where}`;
    }
    // A quoted FTS5 string is one phrase of literal text: operators inside it mean nothing.
    if (long) {
      return sql`select ${columns} from search_trigrams t join search_docs d on d.doc_id = t.rowid
        where search_trigrams match ${ftsPhrase(q.text)} and ${where} and instr(d.text, ${q.text}) > 0`;
    }
    return sql`select ${columns} from search_grams g join search_docs d on d.doc_id = g.rowid
      where search_grams match ${`"${gramToken(q.text)}"`} and ${where}`;
  }

  /** 0: the name is the query; 1: the name contains it; 2: found elsewhere (description, a product, …). */
  const nameRank = (name: string, q: NormalisedQuery) => sql`case when ${sql.ref(name)} = ${q.text} then 0 when ${position(sql.ref(name) as RawBuilder<unknown>, q.text)} > 0 then 1 else 2 end`;

  /**
   * Joins the rows of `table` that `on` picks for each row found so far. PostgreSQL: a LATERAL subquery
   * that it cannot flatten (offset 0), so each match is looked up by index, one at a time: left to
   * itself, the planner reads session_products (80,000 rows in bench/search.ts) whole into a hash join
   * when a common word matches thousands of products, or small tables whole. SQLite: a plain join (its
   * planner already starts from the FTS5 matches).
   */
  const lookup = (table: string, alias: string, on: string, left = false) =>
    postgres
      ? sql.raw(`${left ? 'left' : 'cross'} join lateral (select * from ${table} ${alias} where ${on} offset 0) ${alias}${left ? ' on true' : ''}`)
      : sql.raw(`${left ? 'left ' : ''}join ${table} ${alias} on ${on}`);

  // Each section: the matches are ordered and cut to `limit` on search_docs alone (visibility and sort
  // keys are kept there by the triggers of 0010_search), and only those few rows are looked up.
  const statements = {
    products(q: NormalisedQuery, limit: number) {
      return sql<ProductRow>`select p.id, p.title, p.category, p.images, o.id as brand_id, o.name as brand_name,
          (select min(k.price_fen) from skus k where k.product_id = p.id) as price_fen
        from (select m.id, ${nameRank('m.name', q)} as name_rank, m.sort_at from (${matches(q, 'product')}) m
              order by name_rank, m.sort_at${byBytes} desc, m.id${byBytes} limit ${limit}) top
        ${lookup('products', 'p', 'p.id = top.id')}
        ${lookup('organisations', 'o', 'o.id = p.brand_org_id')}
        order by top.name_rank, top.sort_at${byBytes} desc, top.id${byBytes}`;
    },
    // A session matches on its title or description, its streamer's name, its brand's name, or a
    // product in its 小黄车 that the products list shows. PostgreSQL reads the index once for all
    // four kinds (`found`, materialized) and splits the result by kind: a common word's pg_trgm scan
    // costs ~1.5 ms, and four of them, each intersected with a bitmap of its kind, cost more. SQLite
    // keeps one FTS5 lookup per kind: from a materialized `found` its planner reads live_sessions and
    // session_products whole.
    sessions(q: NormalisedQuery, limit: number) {
      const found = (kind: DocKind) => (postgres ? sql`(select * from found where kind = ${sql.lit(kind)})` : sql`(${matches(q, kind)})`);
      return sql<SessionRow>`${postgres ? sql`with found as materialized (${matches(q)})` : sql``}
        select s.id, s.title, s.status, s.streamer_id, u.display_name as streamer_name, s.brand_org_id,
          o.name as brand_name, s.scheduled_at, s.started_at, s.cover_url, s.replay_status
        from (select sd.ref_id as id, sd.status_rank, ${nameRank('sd.name', q)} as name_rank, sd.sort_at
              from (
                select ms.id from ${found('session')} ms
                union select ls.id from ${found('streamer')} mu ${lookup('live_sessions', 'ls', 'ls.streamer_id = mu.id')}
                union select lb.id from ${found('brand')} mb ${lookup('live_sessions', 'lb', 'lb.brand_org_id = mb.id')}
                  where ${position(sql.ref('mb.name') as RawBuilder<unknown>, q.text)} > 0
                union select sp.session_id from ${found('product')} mp ${lookup('session_products', 'sp', 'sp.product_id = mp.id')}
              ) hit
              ${lookup('search_docs', 'sd', `sd.kind = 'session' and sd.ref_id = hit.id`)}
              where sd.visible = 1
              order by sd.status_rank, name_rank, sd.sort_at${byBytes} desc, sd.ref_id${byBytes} limit ${limit}) top
        ${lookup('live_sessions', 's', 's.id = top.id')}
        ${lookup('users', 'u', 'u.id = s.streamer_id')}
        ${lookup('organisations', 'o', 'o.id = s.brand_org_id', true)}
        order by top.status_rank, top.name_rank, top.sort_at${byBytes} desc, top.id${byBytes}`;
    },
    // The same rows as `sessions`, for a word that matches many products. A session found other than
    // by its own text has name_rank 2: its title (≤ 60 characters, inside the searched text) does not
    // contain the word, or its own text would. So the first `limit` rows are among (a) the sessions
    // whose title contains the word (name_rank 0 or 1, few: found through the text index and taken
    // whole) and (b) the first `limit` sessions found any way, in the order live, scheduled, ended,
    // newest first, id (`w`): any other session has `limit` rows before it in that order that also
    // come before it in the display order. (b) walks the visible sessions in that order (index
    // search_docs_walk, migration 0015) and keeps each found by its own text, its streamer, its brand
    // or a product of its 小黄车 (about 8 probes of session_products and search_docs), until it has
    // `limit`; each test of text is a substring test, which is what both indexes find. It reads at most
    // `window` sessions: `complete` is 0 when those held fewer than `limit` found and there were more
    // to read, and then the rows are not the answer (the caller runs `sessions`).
    sessionsWalk(q: NormalisedQuery, limit: number, window = walkWindow(limit)) {
      const has = (column: string) => sql`${position(ref(column), q.text)} > 0`;
      // PostgreSQL: offset 0 keeps each EXISTS a probe per session walked; without it, it becomes a
      // hashed subplan that first finds every session of every matched product (the work avoided here).
      const probe = sql.raw(postgres ? ' offset 0' : '');
      // SQLite: from the session's own rows outwards (cross join fixes the order); left to itself, with
      // no statistics, it read every visible product and probed the session's 小黄车 for each.
      const then = sql.raw(postgres ? 'join' : 'cross join');
      const visibleSessions = sql.raw(`search_docs sd where sd.kind = 'session' and sd.visible = 1`);
      return sql<SessionRow & { complete: number }>`with w as (
          select v.id, v.status_rank, v.name_rank, v.sort_at from (
            select sd.ref_id as id, sd.status_rank, ${nameRank('sd.name', q)} as name_rank, sd.sort_at, sd.text,
              sd.sort_at${byBytes} as sort_key, sd.ref_id${byBytes} as id_key
            from ${visibleSessions}
            order by sd.status_rank, sd.sort_at${byBytes} desc, sd.ref_id${byBytes} limit ${window}) v
          where ${has('v.text')}
            or exists (select 1 from live_sessions ws ${then} search_docs ud on ud.kind = 'streamer' and ud.ref_id = ws.streamer_id
              where ws.id = v.id and ud.visible = 1 and ${has('ud.text')}${probe})
            or exists (select 1 from live_sessions ws ${then} search_docs bd on bd.kind = 'brand' and bd.ref_id = ws.brand_org_id
              where ws.id = v.id and bd.visible = 1 and ${has('bd.text')} and ${has('bd.name')}${probe})
            or exists (select 1 from session_products sp ${then} search_docs pd on pd.kind = 'product' and pd.ref_id = sp.product_id
              where sp.session_id = v.id and pd.visible = 1 and ${has('pd.text')}${probe})
          order by v.status_rank, v.sort_key desc, v.id_key limit ${limit})
        select s.id, s.title, s.status, s.streamer_id, u.display_name as streamer_name, s.brand_org_id,
          o.name as brand_name, s.scheduled_at, s.started_at, s.cover_url, s.replay_status,
          case when (select count(*) from w) = ${limit}
            or (select count(*) from (select 1 as one from ${visibleSessions} limit ${window + 1}) n) <= ${window} then 1 else 0 end as complete
        from (select c.id, c.status_rank, c.name_rank, c.sort_at
              from (
                select m.id, m.status_rank, ${nameRank('m.name', q)} as name_rank, m.sort_at from (${matches(q, 'session')}) m
                  where ${has('m.name')}
                union select w.id, w.status_rank, w.name_rank, w.sort_at from w
              ) c
              order by c.status_rank, c.name_rank, c.sort_at${byBytes} desc, c.id${byBytes} limit ${limit}) top
        ${lookup('live_sessions', 's', 's.id = top.id')}
        ${lookup('users', 'u', 'u.id = s.streamer_id')}
        ${lookup('organisations', 'o', 'o.id = s.brand_org_id', true)}
        order by top.status_rank, top.name_rank, top.sort_at${byBytes} desc, top.id${byBytes}`;
    },
    /** How many products match, counted up to one more than `cap` (the index is read no further). */
    productCount(q: NormalisedQuery, cap: number) {
      return sql<{ n: number | string }>`select count(*) as n from (select 1 as one from (${matches(q, 'product')}) m limit ${cap + 1}) x`;
    },
    streamers(q: NormalisedQuery, limit: number) {
      return sql<StreamerRow>`select u.id, u.display_name, (select count(*) from follows f where f.streamer_id = u.id) as followers
        from (${matches(q, 'streamer')}) m
        ${lookup('users', 'u', 'u.id = m.id')}
        order by ${nameRank('m.name', q)},
          case when exists (select 1 from live_sessions ls where ls.streamer_id = u.id and ls.status = 'live') then 0 else 1 end,
          followers desc, u.id${byBytes}
        limit ${limit}`;
    },
    brands(q: NormalisedQuery, limit: number) {
      return sql<BrandRow>`select o.id, o.name, o.licence_name
        from (${matches(q, 'brand')}) m
        ${lookup('organisations', 'o', 'o.id = m.id')}
        order by ${nameRank('m.name', q)}, m.sort_at${byBytes} desc, m.id${byBytes}
        limit ${limit}`;
    },
  };

  /**
   * Runs search statements. PostgreSQL: with JIT compilation off, in a transaction of its own. A
   * common word's plan is priced above jit_above_cost (its nested loops over thousands of matches),
   * and compiling it costs more (tens of ms) than running it.
   */
  async function within<T>(work: (executor: Db) => Promise<T>): Promise<T> {
    if (!postgres) return work(db);
    return db.transaction().execute(async (trx) => {
      await sql`set local jit = off`.execute(trx);
      return work(trx);
    });
  }
  const run = <Row>(statement: RawBuilder<Row>) => within(async (executor) => (await statement.execute(executor)).rows);

  return {
    statements,
    products: (q: NormalisedQuery, limit: number) => run(statements.products(q, limit)),
    /** Sessions: by the matched products when they are few, else by walking the sessions in display order. */
    sessions: (q: NormalisedQuery, limit: number) =>
      within(async (executor) => {
        const cap = walkAbove(limit);
        if (Number((await statements.productCount(q, cap).execute(executor)).rows[0]!.n) > cap) {
          const walked = (await statements.sessionsWalk(q, limit).execute(executor)).rows;
          if (walked.length && walked[0]!.complete) return walked.map(({ complete: _, ...row }) => row);
        }
        return (await statements.sessions(q, limit).execute(executor)).rows;
      }),
    streamers: (q: NormalisedQuery, limit: number) => run(statements.streamers(q, limit)),
    brands: (q: NormalisedQuery, limit: number) => run(statements.brands(q, limit)),
    /** Up to `perProduct` visible sessions carrying each product: live, then scheduled, then ended; newest first. */
    async livesOf(productIds: string[], perProduct: number) {
      if (!productIds.length) return [];
      const result = await sql<{ product_id: string; id: string; title: string; status: LiveStatus }>`select x.product_id, x.id, x.title, x.status from (
          select sp.product_id, s.id, s.title, s.status,
            row_number() over (partition by sp.product_id order by ${statusRank(ref('s.status'))}, s.scheduled_at${byBytes} desc, s.id${byBytes}) as n
          from session_products sp join live_sessions s on s.id = sp.session_id
          where sp.product_id in (${sql.join(productIds)}) and ${visibleSession('s')}
        ) x where x.n <= ${perProduct} order by x.product_id, x.n`.execute(db);
      return result.rows;
    },
    /** Each streamer's session live now (the latest started when, oddly, there are two). */
    async liveOf(streamerIds: string[]) {
      if (!streamerIds.length) return [];
      const result = await sql<{ streamer_id: string; id: string; title: string }>`select s.streamer_id, s.id, s.title from live_sessions s
        where s.streamer_id in (${sql.join(streamerIds)}) and s.status = 'live' and s.mode = 'public'
        order by s.started_at${byBytes} desc, s.id${byBytes}`.execute(db);
      return result.rows;
    },
    /** The query plan of one section's statement (EXPLAIN on PostgreSQL, EXPLAIN QUERY PLAN on SQLite), one line per step. */
    async plan(section: SearchSection | 'sessionsWalk', q: NormalisedQuery, limit = 10, executor: Db = db): Promise<string[]> {
      const statement = statements[section](q, limit);
      if (postgres) {
        const result = await sql<{ 'QUERY PLAN': string }>`explain ${statement}`.execute(executor);
        return result.rows.map((row) => row['QUERY PLAN']);
      }
      const result = await sql<{ detail: string }>`explain query plan ${statement}`.execute(executor);
      return result.rows.map((row) => row.detail);
    },
  };
}

export type SearchStore = ReturnType<typeof createSearchStore>;

/**
 * Whether a plan line reads a whole table. PostgreSQL: a Seq Scan. SQLite: a SCAN of a table or of a whole
 * index; a SCAN of an FTS5 index (VIRTUAL TABLE INDEX), of a subquery's result (top, hit, m…) or a constant
 * row is not.
 */
export function isTableScan(line: string, dialect: Dialect) {
  if (dialect === 'postgres') return /Seq Scan/.test(line);
  const scan = /^SCAN (\S+)/.exec(line.trim());
  if (!scan) return false;
  if (/VIRTUAL TABLE INDEX|CONSTANT ROW/.test(line)) return false;
  return !/^(top|hit|found|m|ms|mu|mb|mp|c|w|v|n|x|\(subquery-\d+\))$/.test(scan[1]!);
}

/** LIKE '%q%' with q's own %, _ and \ taken literally (PostgreSQL's default escape is \). */
function likePattern(text: string) {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** An FTS5 string: the text in double quotes, its own double quotes doubled. */
function ftsPhrase(text: string) {
  return `"${text.replaceAll('"', '""')}"`;
}

/** A 1- or 2-character gram as the index spells it: the hex of its UTF-8 bytes (SQLite's hex(), lower-cased by unicode61). */
function gramToken(text: string) {
  return Buffer.from(text, 'utf8').toString('hex');
}
