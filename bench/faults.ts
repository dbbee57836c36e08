// Faults: PostgreSQL and Redis taken away from a running Zhibo (Redis + PostgreSQL mode) during a
// flash sale and a busy room, through TCP proxies this script controls (the machine's own servers
// are never stopped), and every Zhibo connection to PostgreSQL terminated with pg_terminate_backend.
//
//   npm run bench:faults [-- --outage-s=10 --buyers=300 --stock=200]
//
// Prints one JSON line: process exits, 500s, acknowledged orders lost, units oversold, the p99 time
// to answer a purchase during an outage, and the longest time from a restore to the next order.
// Needs PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) and Redis
// (TEST_REDIS_URL, default redis://127.0.0.1:6379).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openDatabase } from '../server/platform/db.ts';
import { createBuyers, demoStreamer, openFlashSale, saleBooks } from '../test/helpers/flash-sale.ts';
import { percentile, trickle, viewer, waitFor } from '../test/helpers/outage.ts';
import { startZhibo } from '../test/helpers/process.ts';
import { TcpProxy } from '../test/helpers/tcp-proxy.ts';

const { values: args } = parseArgs({
  options: {
    'outage-s': { type: 'string', default: '10' },
    buyers: { type: 'string', default: '300' },
    stock: { type: 'string', default: '200' },
  },
});
const OUTAGE_MS = Number(args['outage-s']) * 1000;
const BUYERS = Number(args.buyers);
const STOCK = Number(args.stock);
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const schema = `zb_faults_${crypto.randomBytes(4).toString('hex')}`;
const appName = `zhibo-bench-faults-${crypto.randomBytes(3).toString('hex')}`;
const prefix = `zbf-${crypto.randomBytes(4).toString('hex')}:`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-bench-faults-'));

const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`create schema ${schema}`);
const pgTarget = new URL(PG_URL);
const redisTarget = new URL(REDIS_URL);
const pgProxy = await TcpProxy.start({ host: pgTarget.hostname, port: Number(pgTarget.port || 5432) });
const redisProxy = await TcpProxy.start({ host: redisTarget.hostname, port: Number(redisTarget.port || 6379) });
const throughProxy = new URL(pgProxy.rewrite(PG_URL));
throughProxy.searchParams.set('options', `-c search_path=${schema}`);
throughProxy.searchParams.set('application_name', appName);
const node = await startZhibo({
  DATA_DIR: dataDir,
  DATABASE_URL: throughProxy.toString(),
  REDIS_URL: redisProxy.rewrite(REDIS_URL),
  REDIS_PREFIX: prefix,
  SECRET_KEY: 'bench-faults-secret-0123456789abcdef0123',
  LOGIN_RATE_LIMIT_PER_MIN: '100000',
});
const database = openDatabase({ url: PG_URL, dataDir, schema, poolSize: 2 });
await database.db.updateTable('skus').set({ stock: 100_000 }).execute();
const streamer = await demoStreamer(node.base);

type FaultResult = { fault: string; attempts: number; acked: number; refused503: number; status500: number; unanswered: number; ackedLost: number; oversold: number; outageMs: number[]; recoveredMs: number; chatDuringOutage: boolean; viewersKept: boolean };

/** One outage during a sale of STOCK units to BUYERS buyers trickling in, and a room with chat. */
async function runFault(fault: string, cut: () => Promise<void> | void, restore: () => void, holdMs = OUTAGE_MS): Promise<FaultResult> {
  const { saleId, sessionId } = await openFlashSale(streamer, { stock: STOCK, perUserLimit: 1 });
  const buyers = await createBuyers(database, node.base, BUYERS, true);
  const watcher = viewer(node, sessionId);
  const talker = viewer(node, sessionId, streamer.cookie());
  await Promise.all([watcher.ready, talker.ready]);
  let chatting = true;
  let n = 0;
  const chatter = (async () => {
    while (chatting) {
      talker.chat(`${fault} ${n++}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const sale = trickle(buyers, saleId, { workers: 4, gapMs: 100 });
  await waitFor(() => sale.acked().length >= 20, 30_000, '20 orders before the outage');
  const cutAt = Date.now();
  await cut();
  const chatMark = n;
  await new Promise((r) => setTimeout(r, Math.max(0, holdMs - (Date.now() - cutAt))));
  const chatDuringOutage = await waitFor(() => watcher.saw(`${fault} ${chatMark + 1}`), 2000, 'chat').then(() => true, () => false);
  const restoredAt = Date.now();
  restore();
  const firstAfter = await waitFor(() => sale.acked().find((a) => a.at >= restoredAt), 15_000, 'an order after the restore').catch(() => null);
  await new Promise((r) => setTimeout(r, 1000));
  await sale.stop();
  chatting = false;
  await chatter;
  const books = await saleBooks(database, saleId);
  const acked = sale.acked();
  const during = sale.attempts.filter((a) => a.at >= cutAt && a.at < restoredAt);
  const result: FaultResult = {
    fault,
    attempts: sale.attempts.length,
    acked: acked.length,
    refused503: sale.attempts.filter((a) => a.status === 503).length,
    status500: sale.attempts.filter((a) => a.status >= 500 && a.status !== 503).length,
    unanswered: sale.attempts.filter((a) => a.status === 0).length,
    ackedLost: acked.filter((a) => !books.orderIds.has(a.orderId!)).length,
    oversold: Math.max(0, books.units - STOCK) + (books.remaining + books.units !== STOCK ? Math.abs(books.remaining + books.units - STOCK) : 0) + (books.maxPerUser > 1 ? 1 : 0),
    outageMs: during.map((a) => a.ms),
    recoveredMs: firstAfter ? firstAfter.at + firstAfter.ms - restoredAt : Infinity,
    chatDuringOutage,
    viewersKept: watcher.closed() === null && talker.closed() === null,
  };
  watcher.ws.close();
  talker.ws.close();
  return result;
}

const results: FaultResult[] = [];
results.push(await runFault('postgres_cut', () => pgProxy.cut(), () => pgProxy.restore()));
results.push(await runFault('redis_cut', () => redisProxy.cut(), () => redisProxy.restore()));
results.push(
  await runFault(
    'pg_terminate_backend',
    async () => {
      // Every Zhibo connection, three times over the first second, so the replacements go too.
      for (let round = 0; round < 3; round++) {
        await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [appName]);
        await new Promise((r) => setTimeout(r, 300));
      }
    },
    () => undefined,
    // Over once the connections are gone: recovery counts from the last round.
    0,
  ),
);

const alive = node.alive();
const unhandled = (node.output().match(/unhandled promise rejection/g) ?? []).length;
await node.stop();
await database.close();
await pgProxy.close();
await redisProxy.close();
await admin.query(`drop schema if exists ${schema} cascade`);
await admin.end();
const redis = new Redis(REDIS_URL);
const keys = await redis.keys(`${prefix}*`);
if (keys.length) await redis.del(...keys);
redis.disconnect();
fs.rmSync(dataDir, { recursive: true, force: true });

const sum = (f: (r: FaultResult) => number) => results.reduce((s, r) => s + f(r), 0);
console.log(
  JSON.stringify({
    bench: 'faults',
    outage_s: OUTAGE_MS / 1000,
    buyers: BUYERS,
    stock: STOCK,
    process_exits: alive ? 0 : 1,
    unhandled_rejections: unhandled,
    status_500: sum((r) => r.status500),
    unanswered: sum((r) => r.unanswered),
    acked_lost: sum((r) => r.ackedLost),
    oversold: sum((r) => r.oversold),
    outage_answers: sum((r) => r.outageMs.length),
    outage_503: sum((r) => r.refused503),
    outage_answer_p99_ms: Math.round(percentile(results.flatMap((r) => r.outageMs), 99)),
    outage_answer_max_ms: Math.round(Math.max(0, ...results.flatMap((r) => r.outageMs))),
    recovered_s: Number((Math.max(...results.map((r) => r.recoveredMs)) / 1000).toFixed(2)),
    per_fault: results.map((r) => ({ fault: r.fault, acked: r.acked, refused_503: r.refused503, recovered_s: Number((r.recoveredMs / 1000).toFixed(2)), chat_during_outage: r.chatDuringOutage, viewers_kept: r.viewersKept })),
  }),
);
process.exit(0);
