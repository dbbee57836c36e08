// Settlement survives a crash: a real server process is killed with SIGKILL in the middle of a
// settlement run of a few thousand due orders, started again on the same database, and the run
// resumes: every order settles exactly once and the books balance.
//
// The kill lands mid-run whatever the machine's speed: the test holds a lock every settlement batch
// needs most of the time (SQLite's write lock; on PostgreSQL an exclusive lock on the runs table, which
// each batch updates before it commits) and lets the server through only for moments, checking the
// settled count each time it holds the lock; once some (not all) orders are settled, it kills the
// server while still holding the lock. Runs on SQLite and on PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createEventRunner } from '../server/events/runner.ts';
import { createLedger } from '../server/ledger/index.ts';
import { settle } from '../server/ledger/postings.ts';
import { toLedgerOrder, termsOf } from '../server/ledger/orders.ts';
import { createSandboxProvider } from '../server/commerce/payments/sandbox.ts';
import { migrateToLatest, openDatabase, type Dialect } from '../server/platform/db.ts';
import { newId } from '../server/platform/ids.ts';
import { Secrets } from '../server/platform/secrets.ts';
import { requireService, TEST_PG_URL } from './helpers/env.ts';
import { startZhibo, type ZhiboProcess } from './helpers/process.ts';
import { pgSchema } from './helpers/server.ts';

const postgres = await requireService('postgres');

/** The test's hold on what every settlement batch needs, and the settled count read while holding it. */
type Gate = { hold(): Promise<void>; release(): Promise<void>; settled(): Promise<number>; runs(): Promise<{ finished_at: string | null; orders: number }[]>; close(): Promise<void> };

function sqliteGate(file: string): Gate {
  const watcher = new SQLite(file);
  watcher.pragma('busy_timeout = 10000');
  return {
    hold: async () => void watcher.exec('begin immediate'),
    release: async () => void watcher.exec('rollback'),
    settled: async () => (watcher.prepare(`select count(*) as n from ledger_orders where status = 'settled'`).get() as { n: number }).n,
    runs: async () => watcher.prepare('select * from ledger_settlement_runs').all() as { finished_at: string | null; orders: number }[],
    close: async () => void watcher.close(),
  };
}

async function postgresGate(schema: string): Promise<Gate> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  return {
    hold: async () => {
      await client.query('begin');
      // Conflicts with the run's insert and with every batch's update of its counters.
      await client.query('lock table ledger_settlement_runs in exclusive mode');
    },
    release: async () => void (await client.query('rollback')),
    settled: async () => Number((await client.query(`select count(*) as n from ledger_orders where status = 'settled'`)).rows[0].n),
    runs: async () => (await client.query('select * from ledger_settlement_runs')).rows.map((r) => ({ ...r, orders: Number(r.orders) })),
    close: () => client.end(),
  };
}

const ORDERS = 3000;
const BATCH = 50;
const SECRET_KEY = 'ledger-crash-test-secret-0123456789abcdef';

describe.each(['sqlite', 'postgres'] as Dialect[])('ledger settlement crash [%s]', { timeout: 180_000 }, (dialect) => {
  const skip = dialect === 'postgres' && !postgres.ok;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-ledger-crash-'));
  const file = path.join(dir, 'zhibo.db');
  const schema = pgSchema('crash_'); // dropped when the run ends (test/helpers/global-setup.ts)
  const serverUrl = () => {
    if (dialect === 'sqlite') return `sqlite:${file}`;
    const url = new URL(TEST_PG_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return url.toString();
  };
  const open = () => (dialect === 'sqlite' ? openDatabase({ url: `sqlite:${file}`, dataDir: dir }) : openDatabase({ url: TEST_PG_URL, dataDir: dir, schema, connectTimeoutMs: 30_000 }));
  let server: ZhiboProcess | null = null;
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)('a run killed mid-way resumes on restart; nothing is posted twice', async () => {
    // --- a brand, a streamer signed to an MCN, and ORDERS paid and completed 30 and 20 days ago ---
    if (dialect === 'postgres') {
      const admin = new pg.Client({ connectionString: TEST_PG_URL });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
    }
    const database = open();
    const { db } = database;
    await migrateToLatest(db, dialect);
    const at = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const [brand, mcn, streamer, session] = [newId(), newId(), newId(), newId()];
    const products = [newId(), newId()];
    await db.insertInto('organisations').values([brand, mcn].map((id, i) => ({ id, kind: i ? ('mcn' as const) : ('brand' as const), name: `机构${i}`, description: '', licence_name: null, licence_no: null, status: 'approved' as const, review_reason: null, reviewed_at: null, created_at: at }))).execute();
    await db.insertInto('users').values({ id: streamer, phone: '13700009999', email: null, password_hash: 'x', display_name: '主播', platform_role: 'streamer', locale: 'zh-CN', failed_logins: 0, locked_until: null, created_at: at, updated_at: at }).execute();
    await db.insertInto('products').values(products.map((id, i) => ({ id, brand_org_id: brand, title: `商品${i}`, description: '', category: '食品', images: '[]', return_policy: 'standard' as const, status: 'on_sale' as const, kind: 'goods' as const, created_at: at }))).execute();
    await db.insertInto('live_sessions').values({ id: session, streamer_id: streamer, brand_org_id: brand, title: '直播', cover_url: null, status: 'ended', scheduled_at: at, started_at: null, ended_at: null, created_at: at }).execute();
    await db.insertInto('session_products').values(products.map((product_id, i) => ({ session_id: session, product_id, link: i + 1, live_prices: '{}', added_at: at, commission_bps: 1500 + 1000 * i }))).execute();
    await db.insertInto('mcn_contracts').values({ id: newId(), mcn_org_id: mcn, streamer_id: streamer, split_bps: 3000, exclusive: 1, starts_at: at, ends_at: null, status: 'accepted', created_at: at, accepted_at: at }).execute();
    const paidAt = Date.now() - 30 * 86_400_000;
    const events = [];
    for (let n = 0; n < ORDERS; n++) {
      const orderId = newId();
      const items = products.map((productId, i) => ({ itemId: newId(), productId, skuId: productId, quantity: 1, paidFen: 1000 + ((n * 37 + i * 101) % 9000) }));
      const total = items.reduce((s, i) => s + i.paidFen, 0) + (n % 3 === 0 ? 800 : 0);
      const payload = { orderId, buyerId: 'x', brandOrgId: brand, sessionId: session, flashSaleId: null, status: 'paid', totalFen: total, refundedFen: 0, paidAt: new Date(paidAt).toISOString() };
      events.push({ id: newId(), type: 'order.paid', subject_id: orderId, payload: JSON.stringify({ ...payload, items }), occurred_at: payload.paidAt });
      events.push({ id: newId(), type: 'order.completed', subject_id: orderId, payload: JSON.stringify({ ...payload, status: 'completed' }), occurred_at: new Date(paidAt + 10 * 86_400_000).toISOString() });
    }
    for (let i = 0; i < events.length; i += 1000) await db.insertInto('business_events').values(events.slice(i, i + 1000)).execute();
    const logger = pino({ level: 'silent' });
    const clock = { now: () => new Date() };
    const sandbox = createSandboxProvider({ db, clock, secrets: new Secrets(SECRET_KEY), logger, appId: 'a', merchantId: 'm' });
    const ledger = createLedger({ db, dialect, sqlite: database.sqlite, clock, logger, config: { PLATFORM_FEE_BPS: 500, SETTLEMENT_DELAY_DAYS: 7, SETTLEMENT_BATCH_SIZE: BATCH }, provider: sandbox.provider });
    const runner = createEventRunner({ db, dialect, clock, logger });
    runner.register(ledger.consumer);
    await runner.drain();
    // What each order must settle to, from the terms captured when it was paid.
    const expected = new Map<string, number>();
    for (const row of await db.selectFrom('ledger_orders').selectAll().execute()) {
      const s = settle(termsOf(toLedgerOrder(row)));
      for (const p of s.transfer!.postings) expected.set(p.accountId, (expected.get(p.accountId) ?? 0) + p.amountFen);
    }
    expect(expected.get('clearing')).toBeLessThan(0);
    await database.close();

    // --- the server settles them in batches of BATCH; the test watches under the write lock ---
    const gate = dialect === 'sqlite' ? sqliteGate(file) : await postgresGate(schema);
    const env = { DATA_DIR: dir, DATABASE_URL: serverUrl(), DATABASE_CONNECT_TIMEOUT_MS: '30000', DEMO_DATA: 'false', SECRET_KEY, SETTLEMENT_BATCH_SIZE: String(BATCH), LOG_LEVEL: 'error' };
    // The server sweeps 5 s after start; from then on its batches go through only when the test lets go.
    server = await startZhibo(env);
    await gate.hold();
    let seen = 0;
    for (;;) {
      seen = await gate.settled();
      if (seen > 0) break;
      await gate.release();
      await new Promise((r) => setTimeout(r, 3)); // a moment for the server's next batch
      await gate.hold();
    }
    // Holding the lock: some orders are settled, not all, and the server is stuck before its next batch.
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(ORDERS);
    expect(seen % BATCH).toBe(0);
    server.child.kill('SIGKILL');
    expect((await server.exited).signal).toBe('SIGKILL');
    expect(await gate.settled()).toBe(seen);
    const interrupted = await gate.runs();
    await gate.release();
    expect(interrupted).toEqual([expect.objectContaining({ finished_at: null, orders: seen })]);

    // --- restarted: the run resumes at start-up and finishes ---
    server = await startZhibo(env);
    const deadline = Date.now() + 60_000;
    while ((await gate.settled()) < ORDERS) {
      if (Date.now() > deadline) throw new Error(`only ${await gate.settled()} of ${ORDERS} settled after the restart`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await server.stop();
    server = null;

    const check = open();
    const after = createLedger({ db: check.db, dialect, sqlite: check.sqlite, clock, logger, config: { PLATFORM_FEE_BPS: 500, SETTLEMENT_DELAY_DAYS: 7, SETTLEMENT_BATCH_SIZE: BATCH }, provider: sandbox.provider });
    const settlements = await check.db.selectFrom('ledger_transfers').select(['order_id']).where('kind', '=', 'settlement').execute();
    expect(settlements.length).toBe(ORDERS);
    expect(new Set(settlements.map((s) => s.order_id)).size).toBe(ORDERS);
    const v = await after.store.verify();
    expect(v).toMatchObject({ journalSum: 0, unbalancedTransfers: [], mismatches: [], orphanPostings: [] });
    // Every party got exactly what the orders settle to; clearing is empty.
    for (const [account, fen] of expected) {
      if (account === 'clearing') continue;
      expect(await after.store.balanceOf(account)).toBe(fen);
    }
    expect(await after.store.balanceOf('clearing')).toBe(0);
    const runs = await check.db.selectFrom('ledger_settlement_runs').selectAll().orderBy('started_at').execute();
    expect(runs.reduce((s, r) => s + Number(r.orders), 0)).toBe(ORDERS);
    expect(runs.at(-1)!.finished_at).not.toBeNull();
    await gate.close();
    await check.close();
  });
});
