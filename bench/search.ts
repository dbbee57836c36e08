// Search at volume (docs/SEARCH.md): 100,000 products and 10,000 live sessions with realistic Chinese
// titles (brands × adjectives × product names × specs, from word lists), 1,000 streamers, 222 brands
// and 8 小黄车 links per session are loaded into a fresh SQLite file and a fresh PostgreSQL schema
// (bulk inserts in transactions; the search triggers index every row as it lands). Then a mix of
// queries (2 characters, 3, 4 or more, Latin, no hit) goes through the real HTTP API (buildApp and
// fastify inject, GET /api/search?q=…, every section) one at a time, and the latency of each is
// recorded. Every query's plan is checked for a full read of a table.
//
//   npm run bench:search                       # both databases, the figures the docs quote
//   npm run bench:search -- --products 20000 --sessions 2000 --rounds 5
//
// Prints one JSON line. Other benches call runSearchBench() and merge its figures.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/platform/config.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle, type Dialect } from '../server/platform/db.ts';
import { newId } from '../server/platform/ids.ts';
import { normaliseQuery } from '../server/search/schema.ts';
import { createSearchStore, isTableScan, type SearchSection } from '../server/search/store.ts';

export type SearchBenchOptions = {
  products?: number;
  sessions?: number;
  /** How many times the query mix is run per database (after one warm-up round). */
  rounds?: number;
  databases?: Dialect[];
  pgUrl?: string;
  /** Only these queries of the mix (default: all of it). */
  queries?: string[];
  /**
   * PostgreSQL: load into this schema and keep it (a later run with the same name skips the ~65 s load).
   * Default: a fresh schema, dropped at the end.
   */
  schema?: string;
  log?: (...args: unknown[]) => void;
};

export type SearchBenchResult = {
  bench: 'search';
  search_p50_ms_sqlite?: number;
  search_p99_ms_sqlite?: number;
  search_p50_ms_postgres?: number;
  search_p99_ms_postgres?: number;
  products: number;
  sessions: number;
  queries: number;
  /** Plan lines that read a whole table, over every query of the mix and every section (0 is the goal). */
  table_scans_sqlite?: number;
  table_scans_postgres?: number;
  load_s_sqlite?: number;
  load_s_postgres?: number;
};

/** The query mix: what viewers type. */
export const QUERY_MIX = {
  two: ['月饼', '口红', '面霜', '咖啡', '面膜', '耳机', '粽子', '羽绒', '零食', '茶叶'],
  three: ['蝴蝶酥', '精华液', '保温杯', '螺蛳粉', '老字号', '防晒霜', '运动鞋', '充电宝'],
  long: ['鲜肉月饼', '空气炸锅', '蓝牙耳机', '敏感肌可用', '限时秒杀', '德兴斋鲜肉月饼', '冷链配送'],
  latin: ['lily', 'Coco', 'SPF50', 'pro', 'nordic', 'SunnyBee', 'max', 'K-Beauty'],
  none: ['不存在的宝贝', 'xyzzy', '量子纠缠', '火星土豆', '无此商品名'],
};

// --- word lists ---
const BRAND_FIRST = ['云', '锦', '华', '金', '瑞', '福', '嘉', '恒', '汇', '德', '杏', '稻', '知', '百', '良', '八'];
const BRAND_SECOND = ['香', '禾', '源', '泰', '丰', '茂', '顺', '和', '盛', '兴'];
const BRAND_SUFFIX = ['斋', '坊', '堂', '铺', '记', '号'];
const LATIN_BRANDS = ['Lumière', 'Nordic Oak', 'SunnyBee', 'GreenLeaf', 'Aurora', 'Moka House', 'K-Beauty Lab', 'Urban Tea', 'Maison Lin', 'Pure Skin', 'Coco Garden', 'Lily Home', 'Max Sport', 'Zen Coffee', 'Blue Harbor', 'Golden Wheat', 'Silk Road', 'Panda Kitchen', 'Bamboo Life', 'Jade Beauty'];
const NOUNS: Record<string, string[]> = {
  '食品/糕点': ['鲜肉月饼', '蛋黄酥', '蝴蝶酥', '凤梨酥', '绿豆糕', '八宝饭', '粽子', '汤圆', '桃酥', '麻花'],
  '食品/零食': ['牛肉干', '猪肉脯', '坚果礼盒', '每日坚果', '螺蛳粉', '酸辣粉', '火锅底料', '薯片', '海苔', '辣条零食'],
  '食品/茶饮': ['龙井茶叶', '铁观音', '普洱茶饼', '大红袍', '咖啡豆', '挂耳咖啡', '燕麦片', '蜂蜜', '阿胶糕', '花果茶'],
  '美妆/彩妆': ['口红', '唇釉', '粉底液', '气垫', '眉笔', '睫毛膏', '眼影盘', '腮红', '散粉', '香水'],
  '美妆/护肤': ['面霜', '精华液', '爽肤水', '乳液', '面膜', '眼霜', '防晒霜', '卸妆油', '洗面奶', '身体乳'],
  '家居/厨具': ['保温杯', '电饭煲', '空气炸锅', '破壁机', '炒锅', '不粘锅', '菜刀', '砧板', '电热水壶', '保鲜盒'],
  '家居/家纺': ['床上四件套', '乳胶枕', '羽绒被', '蚕丝被', '毛巾', '浴巾', '收纳箱', '拖鞋', '地垫', '窗帘'],
  '服饰/服装': ['羽绒服', '卫衣', '牛仔裤', '连衣裙', 'T恤', '衬衫', '羊毛衫', '风衣', '西装', '睡衣'],
  '服饰/鞋包': ['运动鞋', '帆布鞋', '马丁靴', '双肩包', '托特包', '钱包', '围巾', '袜子', '帽子', '腰带'],
  '数码/配件': ['蓝牙耳机', '充电宝', '数据线', '手机壳', '智能手表', '平板支架', '机械键盘', '鼠标', '音箱', '移动硬盘'],
};
const ADJECTIVES = ['新品', '爆款', '经典', '限定', '老字号', '手工', '进口', '有机', '低糖', '无添加', '国潮', '网红', '加厚', '轻薄', '大容量', '便携', '保湿', '控油', '温和', '敏感肌'];
const SPECS = ['礼盒装', '家庭装', '6只装', '500g', '1kg', '30ml', '50ml', '2件套', '旗舰款', '升级版', '组合装', 'Pro', 'Max', 'Mini', 'Plus', 'SPF50', 'V2', '限量版'];
const PHRASES = ['现烤现发，酥皮千层。', '冷链配送，坏单包赔。', '敏感肌可用，温和不刺激。', '官方正品，假一赔十。', '支持七天无理由退货。', '直播间专属价，限时秒杀。', '产地直发，新鲜到家。', '大牌同厂，品质保证。', '送礼自用两相宜。', '全国包邮，48 小时发货。'];
const STREAMER_FIRST = ['小林', '阿May', '大胖', '甜甜', '老王', 'Lily', 'Coco', '小鹿', '阿杰', '糖糖', '小雨', '阿强', '萌萌', '老陈', 'Max', '小七', '阿珍', '豆豆', '大飞', '安妮', '小美', '阿伟', '果果', '老李', 'Tony', '小乔', '阿福', '妞妞', '大鹏', '琳达', '小宇', '阿花', '乐乐', '老张', 'Kiki', '小白', '阿兰', '贝贝', '大山', '思思'];
const STREAMER_SECOND = ['说吃', '美妆', '好物', '严选', '的厨房', '穿搭', '爱分享', '测评', '带你逛', '种草', '探店', '家居', '数码控', '零食铺', '护肤课', '宝藏店', '优选', '生活馆', '爱美食', '小课堂', '日记', '工作室', '的衣橱', '茶话会', '健身房'];
const SESSION_TEMPLATES = [
  (s: string, n: string, a: string) => `${s}的${n}专场：${a}限时秒杀`,
  (s: string, n: string, a: string) => `${n}溯源直播 · ${a}好物`,
  (s: string, n: string, a: string) => `${a}${n}宠粉夜，${s}请客`,
  (s: string, n: string) => `周末${n}试用分享`,
  (s: string, n: string, a: string) => `${s}带你选${a}${n}`,
];

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rows = Record<string, Record<string, string | number | null>[]>;

/** The data set: every table's rows, in insertion order. */
export function generate(productCount: number, sessionCount: number, now: number): Rows {
  const rand = random(0x5ea2c4);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;
  const iso = (ms: number) => new Date(ms).toISOString();
  const day = 86_400_000;

  const organisations: Rows[string] = [];
  const brandNames: string[] = [];
  for (const a of BRAND_FIRST) for (const b of BRAND_SECOND) if (brandNames.length < 200) brandNames.push(`${a}${b}${BRAND_SUFFIX[brandNames.length % BRAND_SUFFIX.length]}`);
  brandNames.push('德兴斋', '玉兰凝肌', ...LATIN_BRANDS);
  brandNames.forEach((name, i) =>
    organisations.push({
      id: newId(),
      kind: 'brand',
      name,
      description: `${name}：${pick(PHRASES)}${pick(PHRASES)}`,
      licence_name: `上海${name}实业有限公司`,
      licence_no: null,
      // One brand in twenty is still waiting for review.
      status: i % 20 === 7 ? 'pending' : 'approved',
      review_reason: null,
      reviewed_at: null,
      created_at: iso(now - 400 * day + i * 60_000),
    }),
  );

  const users: Rows[string] = [];
  const streamerProfiles: Rows[string] = [];
  for (const first of STREAMER_FIRST) {
    for (const second of STREAMER_SECOND) {
      const id = newId();
      const n = users.length;
      users.push({ id, phone: `150${String(n).padStart(8, '0')}`, email: null, password_hash: 'x', display_name: `${first}${second}`, platform_role: 'streamer', locale: 'zh-CN', failed_logins: 0, locked_until: null, created_at: iso(now - 300 * day), updated_at: iso(now - 300 * day) });
      streamerProfiles.push({ user_id: id, real_name: '测试', id_number_enc: 'x', id_number_masked: '3101**********0000', id_number_hash: crypto.randomBytes(16).toString('hex'), birth_date: '1995-01-01', guardian_name: null, guardian_phone: null, guardian_relation: null, guardian_consent_at: null, status: n % 25 === 3 ? 'pending' : 'approved', review_reason: null, reviewed_by: null, reviewed_at: null, submitted_at: iso(now - 300 * day) });
    }
  }

  const categories = Object.keys(NOUNS);
  const products: Rows[string] = [];
  const skus: Rows[string] = [];
  for (let i = 0; i < productCount; i++) {
    const org = organisations[Math.floor(rand() * organisations.length)]!;
    const category = pick(categories);
    const id = newId();
    const created = now - Math.floor(rand() * 365 * day);
    products.push({
      id,
      brand_org_id: org.id as string,
      title: `${org.name}${rand() < 0.3 ? ' ' : ''}${pick(ADJECTIVES)}${pick(NOUNS[category]!)} ${pick(SPECS)}`,
      description: `${pick(PHRASES)}${pick(PHRASES)}`,
      category,
      images: '[]',
      return_policy: 'standard',
      // One product in twenty is off sale.
      status: i % 20 === 11 ? 'off_sale' : 'on_sale',
      created_at: iso(created),
    });
    skus.push({ id: newId(), product_id: id, spec: '{}', price_fen: 990 + Math.floor(rand() * 50_000), stock: 100, created_at: iso(created) });
  }

  const sessions: Rows[string] = [];
  const links: Rows[string] = [];
  for (let i = 0; i < sessionCount; i++) {
    const user = users[Math.floor(rand() * users.length)]!;
    const org = organisations[Math.floor(rand() * organisations.length)]!;
    const r = rand();
    // 2 % live, 30 % scheduled, the rest ended (one in ten of those with a replay).
    const status = r < 0.02 ? 'live' : r < 0.32 ? 'scheduled' : 'ended';
    const scheduled = status === 'scheduled' ? now + Math.floor(rand() * 30 * day) : now - Math.floor(rand() * 200 * day);
    const id = newId();
    sessions.push({
      id,
      streamer_id: user.id as string,
      brand_org_id: rand() < 0.7 ? (org.id as string) : null,
      title: pick(SESSION_TEMPLATES)(user.display_name as string, pick(NOUNS[pick(categories)]!), pick(ADJECTIVES)),
      cover_url: null,
      status,
      scheduled_at: iso(scheduled),
      started_at: status === 'scheduled' ? null : iso(scheduled + 60_000),
      ended_at: status === 'ended' ? iso(scheduled + 3 * 3_600_000) : null,
      created_at: iso(scheduled - 7 * day),
      replay_status: status === 'ended' && i % 10 === 0 ? 'ready' : 'none',
    });
    const chosen = new Set<number>();
    while (chosen.size < 8) chosen.add(Math.floor(rand() * products.length));
    let link = 1;
    for (const index of chosen) links.push({ session_id: id, product_id: products[index]!.id as string, link: link++, live_prices: '{}', added_at: iso(scheduled - day) });
  }
  return { organisations, users, streamer_profiles: streamerProfiles, products, skus, live_sessions: sessions, session_products: links };
}

export async function load(database: DatabaseHandle, rows: Rows) {
  for (const [table, list] of Object.entries(rows)) {
    const columns = Object.keys(list[0]!);
    if (database.sqlite) {
      const insert = database.sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
      for (let i = 0; i < list.length; i += 10_000) {
        database.sqlite.transaction(() => {
          for (const row of list.slice(i, i + 10_000)) insert.run(...columns.map((c) => row[c]));
        })();
      }
      continue;
    }
    // PostgreSQL: 1,000 rows a statement (≤ 65,535 parameters), 10,000 a transaction.
    for (let i = 0; i < list.length; i += 10_000) {
      await database.db.transaction().execute(async (trx) => {
        for (let j = i; j < Math.min(i + 10_000, list.length); j += 1000) {
          await trx
            .insertInto(table as 'products')
            .values(list.slice(j, j + 1000) as never)
            .execute();
        }
      });
    }
  }
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function benchOne(dialect: Dialect, rows: Rows, options: Required<Pick<SearchBenchOptions, 'rounds' | 'pgUrl' | 'log'>> & Pick<SearchBenchOptions, 'queries' | 'schema'>) {
  const { log } = options;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-bench-search-'));
  let url: string;
  let schema: string | undefined;
  let loaded = false;
  if (dialect === 'postgres') {
    url = options.pgUrl;
    schema = options.schema ?? `zb_search_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema if not exists ${schema}`);
    if (options.schema) {
      const found = await admin.query(`select 1 from information_schema.tables where table_schema = $1 and table_name = 'search_docs'`, [schema]);
      if (found.rowCount) loaded = Number((await admin.query(`select count(*) as n from ${schema}.products`)).rows[0].n) === rows.products!.length;
    }
    await admin.end();
  } else {
    url = `sqlite:${path.join(dataDir, 'zhibo.db')}`;
  }
  const database = openDatabase({ url, dataDir, schema, queryTimeoutMs: 0 });
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'silent', PORT: '0', RTMP_PORT: '0', DEMO_DATA: 'false', WEB_DIST_DIR: path.join(dataDir, 'no-web') }, dataDir);
  try {
    await migrateToLatest(database.db, database.dialect);
    const loadStart = performance.now();
    if (loaded) log(`${dialect}: schema ${schema} already loaded, kept`);
    else await load(database, rows);
    // What autovacuum would have done by the time anyone searches (PostgreSQL): statistics, and the
    // visibility map that a freshly loaded table lacks (autovacuum vacuums a table after inserts too,
    // since PostgreSQL 13). Without it, every index-only probe of session_products, one per matched
    // product, also reads the table's page. SQLite's planner uses its FTS5 costs.
    if (dialect === 'postgres') {
      for (const table of [...Object.keys(rows), 'search_docs']) await sql`vacuum ${sql.table(table)}`.execute(database.db);
      await sql`analyze`.execute(database.db);
    }
    const loadS = (performance.now() - loadStart) / 1000;
    log(`${dialect}: loaded in ${loadS.toFixed(1)} s`);

    const { app } = await buildApp({ config, database, clock: { now: () => new Date() }, secret: 'bench-secret-0123456789-0123456789-abcdef', logger: pino({ level: 'silent' }), ffmpeg: null });
    await app.ready();
    try {
      const mix = options.queries ?? Object.values(QUERY_MIX).flat();
      const timings: number[] = [];
      const perQuery = new Map<string, number[]>();
      for (let round = 0; round <= options.rounds; round++) {
        for (const q of mix) {
          const start = performance.now();
          const response = await app.inject({ method: 'GET', url: `/api/search?q=${encodeURIComponent(q)}` });
          const ms = performance.now() - start;
          if (response.statusCode !== 200) throw new Error(`${q}: ${response.statusCode} ${response.body}`);
          if (round > 0) timings.push(ms);
          if (round > 0) perQuery.set(q, [...(perQuery.get(q) ?? []), ms]);
        }
      }
      timings.sort((a, b) => a - b);
      // The slowest queries, by their median: where the p99 comes from.
      const medians = [...perQuery].map(([q, list]) => [q, list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!] as const).sort((a, b) => b[1] - a[1]);
      log(`${dialect}: slowest medians ${medians.slice(0, 6).map(([q, ms]) => `${q} ${ms.toFixed(1)} ms`).join(', ')}`);

      // Plans: any full read of a table, for every query and section.
      const store = createSearchStore(database.db, dialect);
      let scans = 0;
      const scanned = new Map<string, number>();
      for (const q of mix) {
        for (const section of ['sessions', 'streamers', 'brands', 'products'] as SearchSection[]) {
          const plan = await store.plan(section, normaliseQuery(q));
          for (const line of plan.filter((l) => isTableScan(l, dialect))) {
            const table = /(?:Seq Scan on|SCAN) (\S+)/.exec(line)?.[1] ?? line.trim();
            scanned.set(table, (scanned.get(table) ?? 0) + 1);
            scans++;
          }
        }
      }
      if (scans) log(`${dialect}: plan steps reading a whole table: ${[...scanned].map(([table, n]) => `${table} ×${n}`).join(', ')}`);
      if (process.env.BENCH_SEARCH_PLANS) {
        for (const q of ['月饼', '蝴蝶酥', 'pro']) for (const section of ['sessions', 'sessionsWalk', 'products'] as const) log(`${dialect} ${q} ${section}\n  ${(await store.plan(section, normaliseQuery(q))).join('\n  ')}`);
      }
      const round2 = (n: number) => Number(n.toFixed(2));
      log(`${dialect}: ${timings.length} searches, p50 ${round2(percentile(timings, 50))} ms, p99 ${round2(percentile(timings, 99))} ms, max ${round2(timings.at(-1)!)} ms`);
      return { p50: round2(percentile(timings, 50)), p99: round2(percentile(timings, 99)), queries: timings.length, scans, loadS: round2(loadS) };
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (schema && !options.schema) {
      const admin = new pg.Client({ connectionString: options.pgUrl });
      await admin.connect();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  }
}

/** Loads the data set into each database and measures GET /api/search over it. */
export async function runSearchBench(options: SearchBenchOptions = {}): Promise<SearchBenchResult> {
  const products = options.products ?? 100_000;
  const sessions = options.sessions ?? 10_000;
  const log = options.log ?? ((...args: unknown[]) => console.error('[bench:search]', ...args));
  const rows = generate(products, sessions, Date.now());
  const result: SearchBenchResult = { bench: 'search', products, sessions, queries: 0 };
  for (const dialect of options.databases ?? (['sqlite', 'postgres'] as Dialect[])) {
    const measured = await benchOne(dialect, rows, { rounds: options.rounds ?? 10, queries: options.queries, schema: options.schema, pgUrl: options.pgUrl ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', log });
    result[`search_p50_ms_${dialect}`] = measured.p50;
    result[`search_p99_ms_${dialect}`] = measured.p99;
    result[`table_scans_${dialect}`] = measured.scans;
    result[`load_s_${dialect}`] = measured.loadS;
    result.queries += measured.queries;
  }
  return result;
}

/** What bench/room-open.ts calls: the whole bench with its defaults, figures returned rather than printed. */
export const measureSearch = (options: SearchBenchOptions = {}) => runSearchBench(options);

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      products: { type: 'string', default: '100000' },
      sessions: { type: 'string', default: '10000' },
      rounds: { type: 'string', default: '10' },
      db: { type: 'string', default: 'sqlite,postgres' },
      // Comma-separated: only these queries of the mix.
      queries: { type: 'string' },
      // PostgreSQL: a schema to load once and keep (reused when it already holds this many products).
      schema: { type: 'string' },
    },
  });
  const result = await runSearchBench({
    products: Number(values.products),
    sessions: Number(values.sessions),
    rounds: Number(values.rounds),
    databases: (values.db === 'both' ? 'sqlite,postgres' : values.db).split(',') as Dialect[],
    queries: values.queries?.split(','),
    schema: values.schema,
  });
  console.log(JSON.stringify(result));
}
