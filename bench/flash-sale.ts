// 秒杀 under load: B logged-in buyers each make K attempts at one flash sale with C requests in flight,
// against a real Zhibo process (embedded SQLite, or PostgreSQL + Redis). The load generator
// (bench/flash-sale-load.ts) is a separate process on the same two cores. Afterwards the database is
// checked (no oversell, no buyer over the limit, stock adds up), and in the same run the raw store is
// timed without HTTP: the conditional update + purchase upsert transaction on SQLite (embedded), or
// the Redis Lua reservation (redis-postgres), for ratio = attempts/s ÷ raw store ops/s.
//
//   npm run bench:flash-sale -- --mode embedded --buyers 5000 --stock 1000
//   npm run bench:flash-sale -- --mode redis-postgres --buyers 5000 --stock 1000
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import { RESERVE } from '../server/commerce/flash-redis.ts';
import { openDatabase, type DatabaseHandle } from '../server/platform/db.ts';
import { newId } from '../server/platform/ids.ts';
import { createBuyers, prepareRoom } from './flash-setup.ts';
import { ROOT, startZhibo, type ZhiboProcess } from './lib.ts';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'embedded' },
    buyers: { type: 'string', default: '5000' },
    stock: { type: 'string', default: '1000' },
    'attempts-per-buyer': { type: 'string', default: '3' },
    // 200 simultaneous buyers: the reference point for "high concurrency". --concurrency 500 is the stress run.
    concurrency: { type: 'string', default: '200' },
    'per-user-limit': { type: 'string', default: '2' },
    'raw-seconds': { type: 'string', default: '2' },
  },
});
const mode = values.mode as 'embedded' | 'redis-postgres';
if (mode !== 'embedded' && mode !== 'redis-postgres') throw new Error('--mode is embedded or redis-postgres');
const B = Number(values.buyers);
const S = Number(values.stock);
const K = Number(values['attempts-per-buyer']);
const C = Number(values.concurrency);
const LIMIT = Number(values['per-user-limit']);
const RAW_SECONDS = Number(values['raw-seconds']);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const tag = crypto.randomBytes(4).toString('hex');
const schema = `zb_flash_${tag}`;
const prefix = `zbflash_${tag}:`;
const cleanups: (() => Promise<void>)[] = [];

async function pgAdmin(query: string) {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(query);
  } finally {
    await admin.end();
  }
}

type LoadResult = {
  attempts: number; wall_s: number; attempts_per_s: number; p50_ms: number; p99_ms: number; max_ms: number; created_p50_ms: number | null; created_p99_ms: number | null;
  status_counts: Record<string, number>; error_codes: Record<string, number>; net_errors: number; server_cpu_pct: number; loadgen_cpu_pct: number; order_ids: string[];
};

/** Runs the load generator: it prepares the buyers, then we open the sale, then it fires. */
async function runLoad(zhibo: ZhiboProcess, cookies: string[], openSale: () => Promise<{ id: string; startsAt: string }>): Promise<LoadResult> {
  const jobFile = path.join(zhibo.dataDir, 'flash-load-job.json');
  fs.writeFileSync(jobFile, JSON.stringify({ base: zhibo.base, serverPid: zhibo.child.pid, cookies, attemptsPerBuyer: K, concurrency: C }));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/flash-sale-load.ts'), jobFile], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines = readline.createInterface({ input: child.stdout! });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await iterator.next();
    if (done) throw new Error(`the load generator exited (${await exited}) without a result`);
    return JSON.parse(value as string);
  };
  try {
    const ready = await next();
    if (!ready.ready) throw new Error(`unexpected load generator output: ${JSON.stringify(ready)}`);
    const sale = await openSale();
    child.stdin!.write(`${JSON.stringify({ saleId: sale.id, startsAt: sale.startsAt })}\n`);
    const result = (await next()) as LoadResult;
    await exited;
    return result;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** Embedded: the flash transaction straight on better-sqlite3, on the server's own database file. */
function rawSqlite(file: string, template: { session_id: string; product_id: string; sku_id: string; created_by: string }) {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const id = newId();
  const at = new Date().toISOString();
  const ends = new Date(Date.now() + 3600_000).toISOString();
  db.prepare('insert into flash_sales (id, session_id, product_id, sku_id, price_fen, stock, remaining, per_user_limit, starts_at, ends_at, settled, created_by, created_at) values (?, ?, ?, ?, 990, 1000000000, 1000000000, ?, ?, ?, 0, ?, ?)').run(
    id, template.session_id, template.product_id, template.sku_id, LIMIT, at, ends, template.created_by, at,
  );
  // The same statements the embedded writer (server/commerce/flash-write-sqlite.ts) prepares.
  const take = db.prepare('update flash_sales set remaining = remaining - ? where id = ? and remaining >= ? and settled = 0 and starts_at <= ? and ends_at > ? returning remaining');
  const count = db.prepare('insert into flash_purchases (sale_id, user_id, quantity) values (?, ?, ?) on conflict (sale_id, user_id) do update set quantity = flash_purchases.quantity + excluded.quantity where flash_purchases.quantity <= ? returning quantity');
  const buy = db.transaction((user: string) => {
    const now = new Date().toISOString();
    if (!take.get(1, id, 1, now, now)) throw new Error('raw: sold out');
    if (!count.get(id, user, 1, LIMIT - 1)) throw new Error('raw: limit');
  });
  let n = 0;
  const t0 = performance.now();
  const until = t0 + RAW_SECONDS * 1000;
  while (performance.now() < until) for (let i = 0; i < 200; i++) buy(`raw-${n++}`);
  const perS = Math.round(n / ((performance.now() - t0) / 1000));
  db.prepare('delete from flash_purchases where sale_id = ?').run(id);
  db.prepare('delete from flash_sales where id = ?').run(id);
  db.close();
  return perS;
}

/** redis-postgres: the server's RESERVE Lua script (server/commerce/flash-redis.ts), called as the server calls it (one connection). */
async function rawRedis() {
  const r = new Redis(REDIS_URL) as Redis & { benchReserve(...args: (string | number)[]): Promise<number> };
  r.defineCommand('benchReserve', { numberOfKeys: 4, lua: RESERVE });
  const base = `${prefix}raw:`;
  const k = { stock: `${base}stock`, users: `${base}users`, res: `${base}res`, meta: `${base}meta` };
  await r.set(k.stock, 1_000_000_000);
  await r.hset(k.meta, 'start', 0, 'end', 9e15, 'limit', LIMIT);
  let n = 0;
  let refused = 0;
  const t0 = performance.now();
  const until = t0 + RAW_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (performance.now() < until) {
        const i = n++;
        if ((await r.benchReserve(k.stock, k.users, k.res, k.meta, `raw-${i}`, 1, Date.now(), `res-${i}`)) < 0) refused++;
      }
    }),
  );
  const perS = Math.round(n / ((performance.now() - t0) / 1000));
  await r.del(k.stock, k.users, k.res, k.meta);
  r.disconnect();
  if (refused) throw new Error(`raw Redis reservations refused: ${refused}`);
  return perS;
}

/** redis-postgres, for reference: the durable half (the same transaction, via Kysely) on the server's pool size. */
async function rawPostgres(database: DatabaseHandle, template: { session_id: string; product_id: string; sku_id: string; created_by: string }) {
  const { db } = database;
  const id = newId();
  const at = new Date().toISOString();
  await db.insertInto('flash_sales').values({ id, ...template, price_fen: 990, stock: 1e9, remaining: 1e9, per_user_limit: LIMIT, starts_at: at, ends_at: new Date(Date.now() + 3600_000).toISOString(), settled: 0, created_at: at }).execute();
  let n = 0;
  const t0 = performance.now();
  const until = t0 + RAW_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (performance.now() < until) {
        const user = `raw-${n++}`;
        await db.transaction().execute(async (trx) => {
          const now = new Date().toISOString();
          await trx.updateTable('flash_sales').set((eb) => ({ remaining: eb('remaining', '-', 1) })).where('id', '=', id).where('remaining', '>=', 1).where('settled', '=', 0).where('starts_at', '<=', now).where('ends_at', '>', now).returning('remaining').executeTakeFirstOrThrow();
          await trx
            .insertInto('flash_purchases')
            .values({ sale_id: id, user_id: user, quantity: 1 })
            .onConflict((oc) => oc.columns(['sale_id', 'user_id']).doUpdateSet((eb) => ({ quantity: eb('flash_purchases.quantity', '+', eb.ref('excluded.quantity')) })).where('flash_purchases.quantity', '<=', LIMIT - 1))
            .returning('quantity')
            .executeTakeFirstOrThrow();
        });
      }
    }),
  );
  const perS = Math.round(n / ((performance.now() - t0) / 1000));
  await db.deleteFrom('flash_purchases').where('sale_id', '=', id).execute();
  await db.deleteFrom('flash_sales').where('id', '=', id).execute();
  return perS;
}

async function main() {
  let env: Record<string, string> = { LOGIN_RATE_LIMIT_PER_MIN: '100000', HLS_ENABLED: 'false', RECORDING_ENABLED: 'false' };
  if (mode === 'redis-postgres') {
    await pgAdmin(`create schema ${schema}`);
    cleanups.push(() => pgAdmin(`drop schema if exists ${schema} cascade`));
    cleanups.push(async () => {
      const r = new Redis(REDIS_URL);
      let cursor = '0';
      do {
        const [nextCursor, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length) await r.del(...keys);
        cursor = nextCursor;
      } while (cursor !== '0');
      r.disconnect();
    });
    const url = new URL(PG_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    env = { ...env, DATABASE_URL: url.toString(), REDIS_URL, REDIS_PREFIX: prefix };
  }
  const zhibo = await startZhibo(env);
  cleanups.unshift(() => zhibo.stop());
  const dbFile = path.join(zhibo.dataDir, 'zhibo.db');
  const database = mode === 'redis-postgres' ? openDatabase({ url: PG_URL, dataDir: zhibo.dataDir, schema, poolSize: 10 }) : openDatabase({ url: `sqlite:${dbFile}`, dataDir: zhibo.dataDir });
  cleanups.unshift(() => database.close());
  const { db } = database;

  const room = await prepareRoom(zhibo.base, S);
  const buyers = await createBuyers(db, B);
  const load = await runLoad(
    zhibo,
    buyers.map((b) => b.cookie),
    () => room.createSale({ stock: S, perUserLimit: LIMIT, startsInSeconds: 1, durationSeconds: 3600 }),
  );
  const saleId = (await db.selectFrom('flash_sales').select('id').where('sku_id', '=', room.skuId).executeTakeFirstOrThrow()).id;

  // --- the books, from the database ---
  const sale = await db.selectFrom('flash_sales').selectAll().where('id', '=', saleId).executeTakeFirstOrThrow();
  const orderRows = await db.selectFrom('orders').select(['id', 'buyer_id']).where('flash_sale_id', '=', saleId).execute();
  const units = Number((await db.selectFrom('order_items').innerJoin('orders', 'orders.id', 'order_items.order_id').select((eb) => eb.fn.sum<number>('order_items.quantity').as('n')).where('orders.flash_sale_id', '=', saleId).executeTakeFirst())?.n ?? 0);
  const purchased = Number((await db.selectFrom('flash_purchases').select((eb) => eb.fn.sum<number>('quantity').as('n')).where('sale_id', '=', saleId).executeTakeFirst())?.n ?? 0);
  const overLimitPurchases = Number((await db.selectFrom('flash_purchases').select((eb) => eb.fn.countAll<number>().as('n')).where('sale_id', '=', saleId).where('quantity', '>', LIMIT).executeTakeFirst())?.n ?? 0);
  const perBuyer = new Map<string, number>();
  for (const o of orderRows) perBuyer.set(o.buyer_id, (perBuyer.get(o.buyer_id) ?? 0) + 1);
  const overLimitOrders = [...perBuyer.values()].filter((n) => n > LIMIT).length;
  const known = new Set(orderRows.map((o) => o.id));
  const ackedMissing = load.order_ids.filter((id) => !known.has(id)).length;
  const orders = orderRows.length;
  const oversold = Math.max(0, units - S);
  const overLimit = Math.max(overLimitOrders, overLimitPurchases);
  const errors5xx = Object.entries(load.status_counts).filter(([s]) => Number(s) >= 500).reduce((sum, [, n]) => sum + n, 0);
  const demandExceedsStock = B * Math.min(K, LIMIT) >= S;

  let redisCheck: { redis_stock: number | null; redis_reservations: number } | null = null;
  if (mode === 'redis-postgres') {
    const r = new Redis(REDIS_URL);
    const base = `${prefix}flash:${saleId}:`;
    redisCheck = { redis_stock: Number(await r.get(`${base}stock`)), redis_reservations: await r.hlen(`${base}res`) };
    r.disconnect();
  }

  const failures: string[] = [];
  if (oversold > 0) failures.push(`oversold by ${oversold}`);
  if (overLimit > 0) failures.push(`${overLimit} buyers over the limit of ${LIMIT}`);
  if (errors5xx > 0) failures.push(`${errors5xx} answers 5xx`);
  if (load.net_errors > 0) failures.push(`${load.net_errors} connection errors`);
  if (units !== purchased) failures.push(`orders hold ${units} units but flash_purchases count ${purchased}`);
  if (sale.remaining + purchased !== S) failures.push(`remaining ${sale.remaining} + sold ${purchased} != stock ${S}`);
  if (demandExceedsStock && units !== S) failures.push(`demand exceeded stock but only ${units} of ${S} sold`);
  if (ackedMissing > 0) failures.push(`${ackedMissing} orders answered 201 are not in the database`);
  if ((load.status_counts['201'] ?? 0) !== orders) failures.push(`${load.status_counts['201'] ?? 0} answers 201 but ${orders} orders`);
  if (redisCheck && redisCheck.redis_stock !== sale.remaining) failures.push(`Redis stock ${redisCheck.redis_stock} != database remaining ${sale.remaining}`);
  if (redisCheck && redisCheck.redis_reservations !== 0) failures.push(`${redisCheck.redis_reservations} Redis reservations left open`);

  // --- the raw store, in the same run, with the server idle ---
  const template = { session_id: sale.session_id, product_id: sale.product_id, sku_id: sale.sku_id, created_by: sale.created_by };
  let rawStore: number;
  let rawDb: number;
  if (mode === 'embedded') {
    rawStore = rawSqlite(dbFile, template);
    rawDb = rawStore;
  } else {
    rawStore = await rawRedis();
    rawDb = await rawPostgres(database, template);
  }

  const statusCounts = load.status_counts;
  const result = {
    bench: 'flash-sale',
    mode,
    buyers: B,
    attempts: load.attempts,
    attempts_per_s: load.attempts_per_s,
    p50_ms: load.p50_ms,
    p99_ms: load.p99_ms,
    stock: S,
    orders,
    oversold,
    over_limit: overLimit,
    errors_5xx: errors5xx,
    raw_store_per_s: rawStore,
    ratio: Number((load.attempts_per_s / rawStore).toFixed(3)),
    max_ms: load.max_ms,
    created_p99_ms: load.created_p99_ms,
    queued_429: statusCounts['429'] ?? 0,
    status_counts: statusCounts,
    error_codes: load.error_codes,
    remaining: sale.remaining,
    sold_units: purchased,
    per_user_limit: LIMIT,
    concurrency: C,
    attempts_per_buyer: K,
    server_cpu_pct: load.server_cpu_pct,
    loadgen_cpu_pct: load.loadgen_cpu_pct,
    raw_db_txn_per_s: rawDb,
    ...(redisCheck ?? {}),
    failures,
  };
  console.log(JSON.stringify(result));
  if (failures.length) process.exitCode = 1;
}

try {
  await main();
} finally {
  for (const cleanup of cleanups) await cleanup().catch((err: unknown) => console.error('cleanup failed:', err));
}
