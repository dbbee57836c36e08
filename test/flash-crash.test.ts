// 秒杀 survives a crash: real server processes are killed with SIGKILL in the middle of the work and
// started again on the same database. Embedded: no acknowledged order is lost and the stock adds up.
// Redis + PostgreSQL: a reservation stranded between Redis and the database is given back by
// reconciliation, and a payment made just before the crash still lands.
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { openDatabase, type DatabaseHandle } from '../server/platform/db.ts';
import { newId } from '../server/platform/ids.ts';
import { requireService, TEST_PG_URL, TEST_REDIS_URL } from './helpers/env.ts';
import { pgSchema } from './helpers/server.ts';
import { freePort, spawnZhibo } from './helpers/spawn.ts';

const redisAvailable = await requireService('redis');
const postgresAvailable = await requireService('postgres');
const SECRET_KEY = 'flash-crash-test-secret-0123456789abcdef';

type Node = { child: ChildProcess; base: string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> };

/** `server/main.ts` as its own process; `port` is reused on a restart, as a real deployment would. */
async function startNode(port: number, env: Record<string, string>): Promise<Node> {
  const child = spawnZhibo(
    { PORT: String(port), RTMP_PORT: String(await freePort()), LOG_LEVEL: 'error', SECRET_KEY, HLS_ENABLED: 'false', RECORDING_ENABLED: 'false', ...env },
    { cwd: env.DATA_DIR!, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited during start-up (${child.exitCode ?? child.signalCode})`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { child, base, exited };
    } catch {
      // starting
    }
    if (Date.now() > deadline) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function kill(node: Node) {
  node.child.kill('SIGKILL');
  return node.exited;
}

/** A browser-like client: keeps cookies and sends the CSRF token. `base` may change between calls. */
class Client {
  readonly jar = new Map<string, string>();
  csrf = '';
  constructor(public base: string) {}

  async call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.base}${url}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body !== undefined && typeof body !== 'string' && { 'content-type': 'application/json' }),
        ...(method !== 'GET' && { 'x-csrf-token': this.csrf }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = pair!.split('=');
      this.jar.set(name!, value.join('='));
    }
    const text = await response.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, json, headers: response.headers };
  }

  async refreshCsrf() {
    const res = await this.call('GET', '/api/auth/session');
    this.csrf = res.json.csrfToken;
    return res.json.user as { id: string } | null;
  }

  async login(login: string) {
    await this.refreshCsrf();
    const res = await this.call('POST', '/api/auth/login', { login, password: DEMO_PASSWORD });
    if (res.status !== 200) throw new Error(`login ${login} failed: ${JSON.stringify(res.json)}`);
    await this.refreshCsrf();
  }
}

/** Buyers written straight into the database (as accounts does: the sessions row id is the token's SHA-256). */
async function createBuyers(database: DatabaseHandle, base: string, count: number, withAddress = false): Promise<{ id: string; client: Client }[]> {
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + 86_400_000).toISOString();
  const tag = crypto.randomBytes(3).toString('hex');
  const rows = Array.from({ length: count }, (_, i) => ({ id: newId(), token: crypto.randomBytes(32).toString('base64url'), i }));
  await database.db.transaction().execute(async (trx) => {
    await trx.insertInto('users').values(rows.map((r) => ({ id: r.id, phone: null, email: `crash-${tag}-${r.i}@example.com`, password_hash: 'scrypt$test', display_name: `买家${r.i}`, platform_role: 'viewer' as const, locale: 'zh-CN' as const, failed_logins: 0, locked_until: null, created_at: now, updated_at: now }))).execute();
    await trx.insertInto('sessions').values(rows.map((r) => ({ id: crypto.createHash('sha256').update(r.token).digest('hex'), user_id: r.id, created_at: now, expires_at: expires, last_seen_at: now, user_agent: null, ip: null }))).execute();
    if (withAddress)
      await trx.insertInto('addresses').values(rows.map((r) => ({ id: newId(), user_id: r.id, name: `买家${r.i}`, phone: '13912345678', region: '上海市 黄浦区', detail: `南京东路 ${r.i} 号`, is_default: 1, created_at: now }))).execute();
  });
  const buyers = rows.map((r) => {
    const client = new Client(base);
    client.jar.set('zhibo_session', r.token);
    return { id: r.id, client };
  });
  await Promise.all(buyers.map((b) => b.client.refreshCsrf()));
  return buyers;
}

/** The demo streamer's session (its 小黄车 lists every 德兴斋 product) and the 蝴蝶酥 250g SKU. */
async function openFlashSale(base: string, input: { stock: number; perUserLimit: number }) {
  const streamer = new Client(base);
  await streamer.login(DEMO_ACCOUNTS.streamerFood.login);
  const own = await streamer.call('GET', '/api/streamer/live-sessions');
  const session = (own.json.sessions as { id: string; brand: { id: string } | null; status: string }[]).find((s) => s.brand && s.status !== 'ended')!;
  const listed = await streamer.call('GET', `/api/rooms/${session.id}/products`);
  const product = (listed.json.products as { id: string; title: string; skus: { id: string }[] }[]).find((p) => p.title.includes('蝴蝶酥'))!;
  const created = await streamer.call('POST', `/api/rooms/${session.id}/flash-sales`, {
    skuId: product.skus[0]!.id,
    priceFen: 990,
    stock: input.stock,
    perUserLimit: input.perUserLimit,
    startsInSeconds: 0,
    durationSeconds: 600,
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return { saleId: created.json.flashSale.id as string, sessionId: session.id, productId: product.id, skuId: product.skus[0]!.id };
}

async function books(database: DatabaseHandle, saleId: string) {
  const { db } = database;
  const sale = await db.selectFrom('flash_sales').select(['remaining', 'stock']).where('id', '=', saleId).executeTakeFirstOrThrow();
  const orders = await db.selectFrom('orders').select('id').where('flash_sale_id', '=', saleId).execute();
  const units = await db.selectFrom('order_items').innerJoin('orders', 'orders.id', 'order_items.order_id').select((eb) => eb.fn.sum<number>('order_items.quantity').as('n')).where('orders.flash_sale_id', '=', saleId).executeTakeFirst();
  const purchases = await db.selectFrom('flash_purchases').select(['user_id', 'quantity']).where('sale_id', '=', saleId).execute();
  return {
    stock: sale.stock,
    remaining: sale.remaining,
    orderIds: new Set(orders.map((o) => o.id)),
    units: Number(units?.n ?? 0),
    purchased: purchases.reduce((s, p) => s + p.quantity, 0),
    maxPerUser: Math.max(0, ...purchases.map((p) => p.quantity)),
  };
}

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// The two crash tests run their own processes on their own databases and ports: they run side by side.
describe('flash sale, embedded: SIGKILL in the middle of a burst', { timeout: 90_000, concurrent: true }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-flash-crash-'));
  const env = { DATA_DIR: dataDir };
  let node: Node | undefined;
  let database: DatabaseHandle | undefined;

  afterAll(async () => {
    if (node && node.child.exitCode === null && node.child.signalCode === null) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged order, the stock adds up, and selling goes on after the restart without overselling', async ({ expect }) => {
    const STOCK = 200;
    const LIMIT = 2;
    const port = await freePort();
    node = await startNode(port, env);
    database = openDatabase({ url: `sqlite:${path.join(dataDir, 'zhibo.db')}`, dataDir });
    const { saleId } = await openFlashSale(node.base, { stock: STOCK, perUserLimit: LIMIT });
    const buyers = await createBuyers(database, node.base, 300);
    const attempts = [...buyers, ...buyers];

    // A steady burst: IN_FLIGHT purchases are always outstanding (each answer is followed at once by the
    // next purchase) until the process is seen dead, so the crash cannot fall after the work is done. The
    // kill is made at an observed point, the moment KILL_AT orders have been acknowledged: the other
    // IN_FLIGHT - 1 purchases are then sent and still unanswered, whatever the speed of the machine.
    const IN_FLIGHT = 32;
    const KILL_AT = 40;
    const acked: string[] = [];
    let sent = 0;
    let inFlight = 0;
    let inFlightAtKill = 0;
    let killed = false;
    let dead = false;
    let cutOff = 0;
    const victim = node;
    void victim.exited.then(() => (dead = true));
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (!dead) {
          const buyer = buyers[sent++ % buyers.length]!;
          inFlight++;
          let res;
          try {
            res = await buyer.client.call('POST', `/api/flash-sales/${saleId}/orders`, { quantity: 1 });
          } catch (error) {
            if (!killed) throw error;
            cutOff++; // the process died before answering it: no answer, so no promise was made
            continue;
          } finally {
            inFlight--;
          }
          expect(res.status, JSON.stringify(res.json)).toBeLessThan(500);
          if (res.status === 201) acked.push(res.json.order.id);
          else expect(['FLASH_LIMIT_EXCEEDED', 'FLASH_BUSY']).toContain(res.json.error.code);
          if (acked.length >= KILL_AT && !killed) {
            killed = true;
            inFlightAtKill = inFlight;
            victim.child.kill('SIGKILL');
          }
        }
      }),
    );
    expect(killed).toBe(true);
    expect((await victim.exited).signal).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AT);
    expect(acked.length).toBeLessThan(STOCK); // the kill landed mid-burst, with stock left
    expect(inFlightAtKill).toBe(IN_FLIGHT - 1); // with requests in flight
    expect(cutOff).toBeGreaterThan(0); // that died with the process, unanswered

    node = await startNode(port, env);
    const before = await books(database, saleId);
    for (const id of acked) expect(before.orderIds.has(id), `acknowledged order ${id} is missing`).toBe(true);
    expect(before.remaining + before.purchased).toBe(STOCK);
    expect(before.orderIds.size).toBe(before.purchased);
    expect(before.units).toBe(before.purchased);
    expect(before.maxPerUser).toBeLessThanOrEqual(LIMIT);
    expect(before.remaining).toBeGreaterThan(0);

    // After the restart: everyone tries twice more; exactly the rest sells, and no more.
    let created = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < attempts.length) {
          const res = await attempts[next++]!.client.call('POST', `/api/flash-sales/${saleId}/orders`, { quantity: 1 });
          expect(res.status, JSON.stringify(res.json)).toBeLessThan(500);
          if (res.status === 201) created++;
          else expect(['FLASH_SOLD_OUT', 'FLASH_LIMIT_EXCEEDED', 'FLASH_BUSY']).toContain(res.json.error.code);
        }
      }),
    );
    const after = await books(database, saleId);
    expect(created).toBe(before.remaining);
    expect(after.remaining).toBe(0);
    expect(after.purchased).toBe(STOCK);
    expect(after.units).toBe(STOCK);
    expect(after.orderIds.size).toBe(STOCK);
    expect(after.maxPerUser).toBeLessThanOrEqual(LIMIT);
    const view = await buyers[0]!.client.call('GET', `/api/flash-sales/${saleId}`);
    expect(view.json.flashSale.remaining).toBe(0);
  });
});

describe.skipIf(!redisAvailable.ok || !postgresAvailable.ok)('flash sale, Redis + PostgreSQL: SIGKILL between the reservation and the order', { timeout: 90_000, concurrent: true }, () => {
  const schema = pgSchema('flash_'); // dropped when the run ends (test/helpers/global-setup.ts)
  const prefix = `ztflash${crypto.randomBytes(4).toString('hex')}:`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-flash-crash-pg-'));
  let env: Record<string, string>;
  let node: Node | undefined;
  let database: DatabaseHandle | undefined;
  let redis: Redis | undefined;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const url = new URL(TEST_PG_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    // DATABASE_CONNECT_TIMEOUT_MS: a busy test machine can take seconds to open a PostgreSQL connection.
    env = { DATABASE_URL: url.toString(), DATABASE_CONNECT_TIMEOUT_MS: '30000', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, DATA_DIR: dataDir, FLASH_RESERVATION_TIMEOUT_SECONDS: '10' };
    redis = new Redis(TEST_REDIS_URL);
  });

  afterAll(async () => {
    if (node && node.child.exitCode === null && node.child.signalCode === null) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
    await database?.close();
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives the stranded reservation back, lets the buyer buy again, and a payment made before the crash lands', async ({ expect }) => {
    const STOCK = 5;
    const port = await freePort();
    node = await startNode(port, { ...env, ZHIBO_FAULT: 'flash-after-reserve' });
    database = openDatabase({ url: TEST_PG_URL, dataDir, schema, poolSize: 2, connectTimeoutMs: 30_000 });
    const { saleId, sessionId, productId, skuId } = await openFlashSale(node.base, { stock: STOCK, perUserLimit: 1 });
    const [buyer] = await createBuyers(database, node.base, 1, true);
    const k = (name: string) => `${prefix}flash:${saleId}:${name}`;
    expect(await redis!.get(k('stock'))).toBe(String(STOCK));

    // An ordinary order, paid at the sandbox cashier just before the crash.
    const order = await buyer!.client.call('POST', '/api/orders', { items: [{ productId, skuId, quantity: 1 }], sessionId });
    expect(order.status, JSON.stringify(order.json)).toBe(201);
    const orderId = order.json.order.id as string;
    const pay = await buyer!.client.call('POST', `/api/orders/${orderId}/pay`);
    expect(pay.status, JSON.stringify(pay.json)).toBe(200);
    const cashier = await buyer!.client.call('POST', pay.json.payUrl, '', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(cashier.status).toBe(303);

    // The flash purchase: Redis reserves, then the process kills itself before the order is written.
    const victim = node;
    await expect(buyer!.client.call('POST', `/api/flash-sales/${saleId}/orders`, { quantity: 1 })).rejects.toThrow();
    expect((await victim.exited).signal).toBe('SIGKILL');
    expect(await redis!.hlen(k('res'))).toBe(1);
    expect(await redis!.get(k('stock'))).toBe(String(STOCK - 1));
    expect(await redis!.hget(k('users'), buyer!.id)).toBe('1');
    let stored = await books(database, saleId);
    expect(stored.remaining).toBe(STOCK);
    expect(stored.orderIds.size).toBe(0);

    // Restarted without the fault: reconciliation (every ~5 s, reservations older than FLASH_RESERVATION_TIMEOUT_SECONDS = 10 s) gives the unit back.
    node = await startNode(port, env);
    await waitFor(async () => (await redis!.hlen(k('res'))) === 0 && (await redis!.get(k('stock'))) === String(STOCK), 30_000, 'the reservation to be released');
    stored = await books(database, saleId);
    expect(stored.remaining).toBe(STOCK);
    expect(Number(await redis!.get(k('stock')))).toBe(stored.remaining);
    expect(Number((await redis!.hget(k('users'), buyer!.id)) ?? 0)).toBe(0);

    // The crashed attempt did not use up the buyer's one unit: buying works, once.
    const again = await buyer!.client.call('POST', `/api/flash-sales/${saleId}/orders`, { quantity: 1 });
    expect(again.status, JSON.stringify(again.json)).toBe(201);
    const third = await buyer!.client.call('POST', `/api/flash-sales/${saleId}/orders`, { quantity: 1 });
    expect(third.status).toBe(409);
    expect(third.json.error.code).toBe('FLASH_LIMIT_EXCEEDED');
    stored = await books(database, saleId);
    expect(stored.remaining).toBe(STOCK - 1);
    expect(stored.purchased).toBe(1);
    expect(stored.orderIds.has(again.json.order.id)).toBe(true);
    expect(Number(await redis!.get(k('stock')))).toBe(stored.remaining);

    // The payment: the notification is redelivered (or the query sweep finds the paid trade).
    const paid = await waitFor(
      async () => {
        const res = await buyer!.client.call('GET', `/api/orders/${orderId}`);
        return res.json.order.status === 'paid' && res.json.order;
      },
      40_000,
      'the order to be paid',
    ).catch(async (error: Error) => {
      const notifications = await database!.db.selectFrom('sandbox_notifications').select(['attempts', 'next_attempt_at', 'acked_at', 'last_error']).execute();
      throw new Error(`${error.message}; the sandbox's notifications: ${JSON.stringify(notifications)}`);
    });
    expect(paid.paidAt).toBeTruthy();
  });
});
