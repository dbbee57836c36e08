// Outages of PostgreSQL and Redis, on the real servers, against a real Zhibo process in the Redis +
// PostgreSQL mode. The test puts a TCP proxy it controls in front of each server and cuts it (the
// machine's shared servers are never stopped), and terminates Zhibo's PostgreSQL connections with
// pg_terminate_backend, during a flash sale and a busy room. After each: the process is alive, no
// answer was a 500, every acknowledged order is kept, stock + sold = the initial stock, requests
// during the outage got a 503 with a stable code in under 2 s, /readyz said not ready, and purchases
// succeed again within 5 s of the restore.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../server/platform/db.ts';
import { requireService, TEST_PG_URL, TEST_REDIS_URL } from './helpers/env.ts';
import { createBuyers, demoStreamer, openFlashSale, saleBooks } from './helpers/flash-sale.ts';
import { percentile, trickle, viewer, waitFor } from './helpers/outage.ts';
import { startZhibo, type HttpClient, type ZhiboProcess } from './helpers/process.ts';
import { pgSchema } from './helpers/server.ts';
import { TcpProxy } from './helpers/tcp-proxy.ts';

const postgres = await requireService('postgres');
const redisService = await requireService('redis');
const OUTAGE_MS = 4000;

describe.skipIf(!postgres.ok || !redisService.ok)('outages of PostgreSQL and Redis, Redis + PostgreSQL mode', { timeout: 120_000 }, () => {
  const schema = pgSchema('faults_'); // dropped when the run ends (test/helpers/global-setup.ts)
  const appName = `zhibo-faults-${crypto.randomBytes(3).toString('hex')}`;
  const prefix = `zf-${crypto.randomBytes(4).toString('hex')}:`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-faults-'));
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;
  let node: ZhiboProcess;
  let database: DatabaseHandle;
  let streamer: HttpClient;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const pgUrl = new URL(TEST_PG_URL);
    const redisUrl = new URL(TEST_REDIS_URL);
    pgProxy = await TcpProxy.start({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
    redisProxy = await TcpProxy.start({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
    const throughProxy = new URL(pgProxy.rewrite(TEST_PG_URL));
    throughProxy.searchParams.set('options', `-c search_path=${schema}`);
    throughProxy.searchParams.set('application_name', appName);
    node = await startZhibo({
      DATA_DIR: dataDir,
      DATABASE_URL: throughProxy.toString(),
      REDIS_URL: redisProxy.rewrite(TEST_REDIS_URL),
      REDIS_PREFIX: prefix,
      SECRET_KEY: 'faults-test-secret-0123456789abcdef0123',
      LOGIN_RATE_LIMIT_PER_MIN: '10000',
    });
    database = openDatabase({ url: TEST_PG_URL, dataDir, schema, poolSize: 2 });
    streamer = await demoStreamer(node.base);
    // Enough stock for every sale of the file.
    await database.db.updateTable('skus').set({ stock: 100_000 }).execute();
  });

  afterAll(async () => {
    await node?.stop();
    await database?.close();
    await pgProxy?.close();
    await redisProxy?.close();
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * Runs a sale through an outage made by `cut` and ended by `restore`, and checks what the issue
   * asks of every outage. Returns the attempts for the outage-specific checks.
   */
  async function saleThrough(outage: { cut: () => void | Promise<void>; restore: () => void; code: string; readyCheck?: 'database' | 'redis'; refusalsExpected?: boolean }) {
    const STOCK = 1000;
    const LIMIT = 5;
    const { saleId } = await openFlashSale(streamer, { stock: STOCK, perUserLimit: LIMIT });
    const buyers = await createBuyers(database, node.base, 200, true);
    const sale = trickle(buyers, saleId, { workers: 4, gapMs: 60 });
    try {
      await waitFor(() => sale.acked().length >= 20, 30_000, '20 orders before the outage');
      const cutAt = Date.now();
      await outage.cut();
      let notReady: any = null;
      if (outage.readyCheck) {
        notReady = await waitFor(
          async () => {
            const r = await fetch(`${node.base}/readyz`);
            return r.status === 503 ? ((await r.json()) as any) : null;
          },
          5000,
          '/readyz to report not ready',
        );
      }
      await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - cutAt))));
      const restoredAt = Date.now();
      outage.restore();
      // Purchases succeed again within 5 s of the restore (a purchase sent by then is acknowledged, checked
      // below), and the node says it is ready. The wait itself is longer: the answer to a purchase sent at
      // 4.9 s may arrive after 5 s on a busy machine, and that purchase still meets the 5 s.
      const firstAfter = await waitFor(() => sale.acked().find((a) => a.at >= restoredAt), 15_000, 'a purchase after the restore');
      await waitFor(async () => (await fetch(`${node.base}/readyz`)).status === 200, 5000, '/readyz to report ready again');
      await new Promise((r) => setTimeout(r, 500));
      await sale.stop();

      expect(node.alive(), node.output()).toBe(true);
      expect(node.output()).not.toContain('unhandled promise rejection');
      const answers = sale.attempts;
      const during = answers.filter((a) => a.at >= cutAt && a.at < restoredAt);
      expect(answers.filter((a) => a.status >= 500 && a.status !== 503), JSON.stringify(answers.filter((a) => a.status >= 500).slice(0, 3))).toEqual([]);
      expect(answers.filter((a) => a.status === 0), 'no request went unanswered').toEqual([]);
      const refused = during.filter((a) => a.status === 503);
      if (outage.refusalsExpected !== false) expect(refused.length, `503s during the outage (of ${during.length} attempts)`).toBeGreaterThan(0);
      // Every 503 names what is missing.
      for (const a of answers.filter((a) => a.status === 503)) expect(a.code).toBe(outage.code);
      // Nobody waits out the outage: before the fix a purchase hung 12 s. (The 2 s target for the p99 is
      // measured by bench:faults; this bound is loose so that a busy machine does not fail the test.)
      expect(Math.max(...during.map((a) => a.ms)), 'the slowest answer during the outage (ms)').toBeLessThanOrEqual(6000);
      expect(firstAfter.at - restoredAt).toBeLessThanOrEqual(5000);
      if (notReady) expect(notReady.checks[outage.readyCheck!]).not.toBe('ok');

      // The books: every acknowledged order is there, and the stock adds up.
      const books = await saleBooks(database, saleId);
      const acked = sale.acked();
      for (const a of acked) expect(books.orderIds.has(a.orderId!), `acknowledged order ${a.orderId}`).toBe(true);
      expect(books.remaining + books.units).toBe(STOCK);
      expect(books.purchased).toBe(books.units);
      expect(books.maxPerUser).toBeLessThanOrEqual(LIMIT);
      expect(books.units).toBeGreaterThanOrEqual(acked.length);
      return { answers, during, saleId, outageP99: percentile(during.map((a) => a.ms), 99) };
    } finally {
      await sale.stop();
      outage.restore();
    }
  }

  it('PostgreSQL unreachable: 503 DATABASE_UNAVAILABLE, not ready, nothing lost, selling again within 5 s', async () => {
    await saleThrough({ cut: () => pgProxy.cut(), restore: () => pgProxy.restore(), code: 'DATABASE_UNAVAILABLE', readyCheck: 'database' });
  });

  it('Redis unreachable: 503 CACHE_UNAVAILABLE for purchases; the room keeps its viewers, delivers locally, and resynchronises', async () => {
    const { sessionId } = await openFlashSale(streamer, { stock: 1, perUserLimit: 1 });
    const watcher = viewer(node, sessionId);
    const talker = viewer(node, sessionId, streamer.cookie());
    await Promise.all([watcher.ready, talker.ready]);
    let announcement = '';
    await saleThrough({
      cut: async () => {
        redisProxy.cut();
        // During the outage: chat still reaches the viewers on this node.
        await waitFor(async () => (await fetch(`${node.base}/readyz`)).status === 503, 5000, 'not ready');
        talker.chat('停电了也能聊');
        await waitFor(() => watcher.saw('停电了也能聊'), 5000, 'chat delivered locally during the Redis outage');
        announcement = `公告 ${crypto.randomBytes(3).toString('hex')}`;
        const posted = await streamer.call('POST', `/api/rooms/${sessionId}/announcement`, { text: announcement });
        expect(posted.status, JSON.stringify(posted.json)).toBeLessThan(300);
      },
      restore: () => redisProxy.restore(),
      code: 'CACHE_UNAVAILABLE',
      readyCheck: 'redis',
    });
    // After Redis is back: the viewers were never disconnected, get the room's state again, and chat flows through Redis.
    // The resync follows the room bus's own reconnect (up to 1 s after the restore); 10 s leaves room for a busy machine.
    await waitFor(() => watcher.events().some((e) => e.type === 'state' && e.state?.announcement === announcement), 10_000, 'the state resent after the outage').catch((error: Error) => {
      const states = watcher.events().filter((e) => e.type === 'state').map((e) => e.state?.announcement ?? null);
      throw new Error(`${error.message}\nstates seen (announcements): ${JSON.stringify(states)}\nserver log:\n${node.output().split('\n').slice(-30).join('\n')}`);
    });
    talker.chat('恢复了');
    await waitFor(() => watcher.saw('恢复了'), 5000, 'chat after the restore');
    expect(watcher.closed()).toBe(null);
    expect(talker.closed()).toBe(null);
    watcher.ws.close();
    talker.ws.close();
  });

  it("every Zhibo connection to PostgreSQL terminated (pg_terminate_backend) during a sale and a busy room", async () => {
    const { sessionId } = await openFlashSale(streamer, { stock: 1, perUserLimit: 1 });
    const watcher = viewer(node, sessionId);
    const talker = viewer(node, sessionId, streamer.cookie());
    await Promise.all([watcher.ready, talker.ready]);
    let chatting = true;
    let n = 0;
    const chatter = (async () => {
      while (chatting) {
        talker.chat(`消息 ${n++}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    try {
      let terminated = 0;
      await saleThrough({
        cut: async () => {
          // Three rounds, so connections opened after the first round are cut as well.
          for (let round = 0; round < 3; round++) {
            const result = await admin.query('select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1', [appName]);
            terminated += result.rowCount ?? 0;
            await new Promise((r) => setTimeout(r, 300));
          }
        },
        restore: () => undefined,
        code: 'DATABASE_UNAVAILABLE',
        // A terminated connection may be replaced before any request meets it: a 503 is allowed, not required.
        refusalsExpected: false,
      });
      expect(terminated).toBeGreaterThan(0);
    } finally {
      await admin.end();
      chatting = false;
      await chatter;
    }
    // The room went on, and every message the server acknowledged is in the chat record (a post that
    // met a lost connection was answered with an error instead, and is not).
    talker.chat('最后一条');
    await waitFor(() => watcher.saw('最后一条'), 10_000, 'the last chat message');
    expect(watcher.closed()).toBe(null);
    const acked = talker.frames.filter((f) => f.t === 'ack').map((f) => f.id as string);
    expect(acked.length).toBeGreaterThan(n / 2);
    await waitFor(
      async () => {
        const rows = await database.db.selectFrom('chat_messages').select('id').where('session_id', '=', sessionId).execute();
        const stored = new Set(rows.map((r) => r.id));
        return acked.every((id) => stored.has(id));
      },
      15_000,
      'every acknowledged chat message written to the database',
    );
    expect(node.alive()).toBe(true);
    watcher.ws.close();
    talker.ws.close();
  });
});
