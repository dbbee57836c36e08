// The open event WebSocket (docs/WEBHOOKS.md, "Open event WebSocket"): a live's events for third-party
// tools, authenticated with an organisation's API key. On SQLite and PostgreSQL with the in-process room
// bus, and on two nodes sharing PostgreSQL and the Redis bus.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { OPEN_WS_ATTEMPTS_PER_MIN } from '../server/webhooks/live-routes.ts';
import { createLocalBus } from '../server/room/bus.ts';
import { createLiveStreams, OPEN_CLOSE } from '../server/webhooks/live-stream.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { requireService, TEST_REDIS_URL } from './helpers/env.ts';
import { RoomSocket } from './helpers/room-client.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { payInSandbox, shop, tag, waitFor } from './helpers/shop.ts';

type Message = { v: number; type: string; at: string; data: any };

/** A tool's socket: records every message; `refused` holds the HTTP answer when the upgrade is refused. */
class OpenSocket {
  readonly messages: Message[] = [];
  closed: { code: number; reason: string } | null = null;
  raw: string[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.raw.push(data.toString());
      this.messages.push(JSON.parse(data.toString()) as Message);
    });
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  static url(server: TestServer, sessionId: string) {
    return `ws://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/open/v1/sessions/${sessionId}/events`;
  }

  /** Opens a socket; answers the socket, or the refusal's status and error body. */
  static async open(server: TestServer, sessionId: string, key?: string): Promise<OpenSocket | { status: number; error: { code: string; message: string } }> {
    const ws = new WebSocket(OpenSocket.url(server, sessionId), { headers: key ? { authorization: `Bearer ${key}` } : {} });
    return new Promise((resolve, reject) => {
      const socket = new OpenSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_request, response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, error: JSON.parse(Buffer.concat(chunks).toString('utf8')).error }));
      });
      ws.once('error', (error) => reject(error));
    });
  }

  static async connect(server: TestServer, sessionId: string, key: string) {
    const socket = await OpenSocket.open(server, sessionId, key);
    if (!(socket instanceof OpenSocket)) throw new Error(`refused: ${JSON.stringify(socket)}`);
    await socket.next('hello');
    return socket;
  }

  async next(type: string, match: (m: Message) => boolean = () => true, timeoutMs = 8000): Promise<Message> {
    return waitFor(async () => this.messages.find((m) => m.type === type && match(m)), timeoutMs);
  }

  of(type: string) {
    return this.messages.filter((m) => m.type === type);
  }

  closedWith(timeoutMs = 8000) {
    return waitFor(async () => this.closed, timeoutMs);
  }
}

async function refusal(server: TestServer, sessionId: string, key?: string) {
  const answer = await OpenSocket.open(server, sessionId, key);
  if (answer instanceof OpenSocket) {
    answer.ws.close();
    throw new Error('the socket was accepted');
  }
  return answer;
}

async function apiKey(s: Awaited<ReturnType<typeof shop>>, scopes: string[]) {
  const res = await s.owner.post(`/api/orgs/${s.orgId}/api-keys`, { name: `工具 ${tag()}`, scopes });
  expect(res.status, res.body).toBe(201);
  return res.json() as { apiKey: { id: string }; secret: string };
}

async function paidOrder(server: TestServer, s: Awaited<ReturnType<typeof shop>>) {
  const sku = s.butterfly.skus[0]!;
  const created = await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: sku.id, quantity: 2 }], sessionId: s.sessionId, addressId: s.buyer.addressId });
  expect(created.status, created.body).toBe(201);
  const order = created.json().order as { id: string };
  await payInSandbox(server, s.buyer.client, order.id);
  return order;
}

/** No trace of the buyer in a message: id, name, phone, address (test/helpers/shop.ts's buyer). */
function expectNoBuyer(raw: string, buyerId: string) {
  for (const personal of [buyerId, '王小明', '13912345678', '南京西路', 'buyer', 'address', 'phone']) expect(raw).not.toContain(personal);
}

describeEachDatabase(
  'the open event WebSocket',
  ({ server }) => {
    it('sends a key with events:read the live’s chat, pins, likes, follows, viewer counts, and paid orders without the buyer (orders:read only)', async () => {
      const s = await shop(server());
      const full = await apiKey(s, ['events:read', 'orders:read']);
      const eventsOnly = await apiKey(s, ['events:read']);
      const tool = await OpenSocket.connect(server(), s.sessionId, full.secret);
      const narrow = await OpenSocket.connect(server(), s.sessionId, eventsOnly.secret);

      const hello = tool.of('hello')[0]!;
      expect(hello).toMatchObject({ v: 1, type: 'hello', data: { sessionId: s.sessionId, orgId: s.orgId, access: 'brand', orders: 'own' } });
      expect(Date.parse(hello.at)).not.toBeNaN();
      expect(hello.data.omitted).toBeUndefined();
      // Without orders:read the hello says orders are left out, and why.
      expect(narrow.of('hello')[0]!.data).toMatchObject({ orders: 'none', omitted: [{ type: 'order', code: 'APIKEY_SCOPE_MISSING', scope: 'orders:read' }] });
      // A first viewer count comes with the hello.
      expect((await tool.next('viewers')).data).toMatchObject({ online: expect.any(Number), uv: expect.any(Number), likes: 0 });

      // Chat and a pin, from the streamer in the room.
      const host = await RoomSocket.open(server(), s.sessionId, { client: s.host.client });
      const ack = await host.chat('欢迎来到直播间');
      const chat = await tool.next('chat', (m) => m.data.id === ack.id);
      expect(chat.data).toMatchObject({ id: ack.id, text: '欢迎来到直播间', user: { role: 'streamer' } });
      expect((await narrow.next('chat', (m) => m.data.id === ack.id)).data.text).toBe('欢迎来到直播间');
      expect((await s.host.client.post(`/api/rooms/${s.sessionId}/pin`, { productId: s.butterfly.id })).status).toBe(200);
      expect((await tool.next('pin')).data.product).toMatchObject({ id: s.butterfly.id, title: '蝴蝶酥礼盒' });

      // Likes from a viewer, summed: one `like` message for the taps of a second, and the total.
      host.send({ t: 'like', n: 3 });
      const like = await tool.next('like');
      expect(like.data).toMatchObject({ count: 3, total: 3 });
      // Viewer counts every few seconds, from the bus: the streamer's room socket is online.
      const viewers = await tool.next('viewers', (m) => m.data.online >= 1 && m.data.likes === 3, 10_000);
      expect(viewers.data).toMatchObject({ online: 1, uv: 1, likes: 3 });

      // A follow during the live.
      await server().database.db.updateTable('live_sessions').set({ status: 'live' }).where('id', '=', s.sessionId).execute();
      expect((await s.buyer.client.post(`/api/streamers/${s.host.id}/follow`)).status).toBe(200);
      expect((await tool.next('follow')).data).toEqual({ user: { name: '王小明' }, followers: 1 });

      // A paid order: items, totals in fen and status; nothing about the buyer.
      const order = await paidOrder(server(), s);
      const paid = await tool.next('order', (m) => m.data.id === order.id);
      expect(paid.data).toMatchObject({
        id: order.id,
        status: 'paid',
        brandOrgId: s.orgId,
        itemsTotalFen: 2 * 6100,
        totalFen: expect.any(Number),
        items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 2, unitPriceFen: 6100, paidFen: expect.any(Number) }],
      });
      expect(Object.keys(paid.data).sort()).toEqual(['brandOrgId', 'createdAt', 'discountFen', 'flashSaleId', 'id', 'items', 'itemsTotalFen', 'paidAt', 'shippingFen', 'status', 'totalFen']);
      expectNoBuyer(tool.raw.find((r) => r.includes(order.id))!, s.buyer.id);
      // The purchase ticker of the room (a masked buyer name) is not an open event.
      expect(tool.raw.join('\n')).not.toContain('王**');

      // Without orders:read: no order, while everything else still arrives.
      await new Promise((r) => setTimeout(r, 500));
      expect(narrow.of('order')).toEqual([]);
      expect(narrow.of('pin')).toHaveLength(1);
      expect(narrow.of('follow')).toHaveLength(1);

      // What the tool sends: `ping` is answered, garbage is ignored and closes nothing.
      tool.ws.send('{"type":"ping"}');
      await tool.next('pong');
      tool.ws.send('not json at all');
      tool.ws.send(Buffer.from([1, 2, 3]));
      tool.ws.send(JSON.stringify({ type: 'chat', text: '我想发言' }));
      await new Promise((r) => setTimeout(r, 300));
      expect(tool.closed).toBeNull();
      expect(tool.of('error')).toEqual([]);

      host.close();
      tool.ws.close();
      narrow.ws.close();
    });

    it('refuses a missing, unknown or revoked key, a key without events:read, another organisation’s key, an unknown live, and a plain request, with their codes', async () => {
      const s = await shop(server());
      const other = await shop(server());
      const ordersOnly = await apiKey(s, ['orders:read']);
      const revoked = await apiKey(s, ['events:read']);
      const foreign = await apiKey(other, ['events:read', 'orders:read']);
      const good = await apiKey(s, ['events:read']);
      expect((await s.owner.post(`/api/orgs/${s.orgId}/api-keys/${revoked.apiKey.id}/revoke`)).status).toBe(200);

      expect(await refusal(server(), s.sessionId)).toMatchObject({ status: 401, error: { code: 'APIKEY_INVALID' } });
      expect(await refusal(server(), s.sessionId, `zb_live_${'A'.repeat(43)}`)).toMatchObject({ status: 401, error: { code: 'APIKEY_INVALID' } });
      expect(await refusal(server(), s.sessionId, revoked.secret)).toMatchObject({ status: 401, error: { code: 'APIKEY_REVOKED' } });
      expect(await refusal(server(), s.sessionId, ordersOnly.secret)).toMatchObject({ status: 403, error: { code: 'APIKEY_SCOPE_MISSING' } });
      const forbidden = await refusal(server(), s.sessionId, foreign.secret);
      expect(forbidden).toMatchObject({ status: 403, error: { code: 'OPEN_SESSION_FORBIDDEN' } });
      expect(forbidden.error.message).toContain('直播');
      expect(await refusal(server(), '00000000-0000-4000-8000-000000000000', good.secret)).toMatchObject({ status: 404, error: { code: 'LIVE_SESSION_NOT_FOUND' } });
      // The other organisation reads its own live with the same key.
      const own = await OpenSocket.connect(server(), other.sessionId, foreign.secret);
      own.ws.close();
      // A plain GET (no upgrade) is told to upgrade.
      const plain = await server().app.inject({ method: 'GET', url: `/api/open/v1/sessions/${s.sessionId}/events`, headers: { authorization: `Bearer ${good.secret}`, 'accept-language': 'en' } });
      expect(plain.statusCode).toBe(426);
      expect(plain.json().error).toMatchObject({ code: 'OPEN_WS_UPGRADE_REQUIRED', message: expect.stringContaining('WebSocket') });
      // Nothing was opened by the refusals.
      expect(server().services.liveStreams.openFor(good.apiKey.id)).toBe(0);
    });

    it('lets an organisation that sells in another brand’s live read it, with its own orders only', async () => {
      const s = await shop(server());
      const seller = await shop(server());
      // The live lists the seller's product too (as the product-selection square would).
      await server().database.db.insertInto('session_products').values({ session_id: s.sessionId, product_id: seller.butterfly.id, link: 9, live_prices: '{}', added_at: server().clock.now().toISOString() }).execute();
      const key = await apiKey(seller, ['events:read', 'orders:read']);
      const tool = await OpenSocket.connect(server(), s.sessionId, key.secret);
      expect(tool.of('hello')[0]!.data).toMatchObject({ access: 'seller', orders: 'own' });
      const brandTool = await OpenSocket.connect(server(), s.sessionId, (await apiKey(s, ['events:read', 'orders:read'])).secret);
      expect(brandTool.of('hello')[0]!.data).toMatchObject({ access: 'brand', orders: 'own' });
      // The live's brand's order goes to the brand, not to the seller.
      const order = await paidOrder(server(), s);
      await brandTool.next('order', (m) => m.data.id === order.id);
      await new Promise((r) => setTimeout(r, 300));
      expect(tool.of('order')).toEqual([]);
      // A live the organisation neither hosts nor sells in stays closed to it.
      expect(await refusal(server(), (await shop(server())).sessionId, key.secret)).toMatchObject({ status: 403, error: { code: 'OPEN_SESSION_FORBIDDEN' } });
      tool.ws.close();
      brandTool.ws.close();
    });

    it('closes a revoked key’s open sockets (4401), at once on this node and within seconds when revoked elsewhere; at most 5 sockets per key', async () => {
      const s = await shop(server());
      const key = await apiKey(s, ['events:read']);
      const tool = await OpenSocket.connect(server(), s.sessionId, key.secret);
      expect((await s.owner.post(`/api/orgs/${s.orgId}/api-keys/${key.apiKey.id}/revoke`)).status).toBe(200);
      expect(await tool.closedWith(3000)).toEqual({ code: OPEN_CLOSE.revoked, reason: 'APIKEY_REVOKED' });
      expect(tool.of('error')[0]!.data).toMatchObject({ code: 'APIKEY_REVOKED' });

      // Revoked by another node: only the database knows; the sweep finds it.
      const second = await apiKey(s, ['events:read']);
      const other = await OpenSocket.connect(server(), s.sessionId, second.secret);
      await server().database.db.updateTable('api_keys').set({ revoked_at: server().clock.now().toISOString() }).where('id', '=', second.apiKey.id).execute();
      const started = Date.now();
      expect((await other.closedWith(6000)).code).toBe(OPEN_CLOSE.revoked);
      expect(Date.now() - started).toBeLessThan(5000);

      const third = await apiKey(s, ['events:read']);
      const five = await Promise.all([...Array(5)].map(() => OpenSocket.connect(server(), s.sessionId, third.secret)));
      expect(await refusal(server(), s.sessionId, third.secret)).toMatchObject({ status: 429, error: { code: 'OPEN_WS_TOO_MANY' } });
      five[0]!.ws.close();
      await waitFor(async () => server().services.liveStreams.openFor(third.apiKey.id) === 4);
      const again = await OpenSocket.connect(server(), s.sessionId, third.secret);
      for (const socket of [...five, again]) socket.ws.close();
    });

    it('limits connection attempts per key (429 RATE_LIMITED past 30 a minute)', async () => {
      const s = await shop(server());
      const key = await apiKey(s, ['events:read']);
      const missing = '00000000-0000-4000-8000-000000000000';
      for (let i = 0; i < OPEN_WS_ATTEMPTS_PER_MIN; i++) expect((await refusal(server(), missing, key.secret)).status).toBe(404);
      expect(await refusal(server(), s.sessionId, key.secret)).toMatchObject({ status: 429, error: { code: 'RATE_LIMITED' } });
      // Another key has its own budget.
      const other = await OpenSocket.connect(server(), s.sessionId, (await apiKey(s, ['events:read'])).secret);
      other.ws.close();
    });
  },
  { listen: true, timeoutMs: 60_000, env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } },
);

const redisAvailable = await requireService('redis');
const postgresAvailable = await requireService('postgres');

describe.skipIf(!redisAvailable.ok || !postgresAvailable.ok)('the open event WebSocket on two nodes with the Redis bus', { timeout: 60_000 }, () => {
  const prefix = `zto${process.pid}${Date.now()}:`;
  let redis: Redis;
  let nodeA: TestServer;
  let nodeB: TestServer;

  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL);
    const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, LOGIN_RATE_LIMIT_PER_MIN: '100000' };
    nodeA = await startTestServer({ dialect: 'postgres', redis, env, listen: true });
    nodeB = await startTestServer({ dialect: 'postgres', redis, env, listen: true, shareDatabaseWith: nodeA });
  });

  afterAll(async () => {
    await nodeB?.close();
    await nodeA?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('a socket on one node gets chat, likes and paid orders from the other, and closes when its key is revoked there', async () => {
    const s = await shop(nodeA);
    const key = await apiKey(s, ['events:read', 'orders:read']);
    const tool = await OpenSocket.connect(nodeB, s.sessionId, key.secret);
    const host = await RoomSocket.open(nodeA, s.sessionId, { client: s.host.client });
    const ack = await host.chat('两台机器都听得到');
    expect((await tool.next('chat', (m) => m.data.id === ack.id)).data.text).toBe('两台机器都听得到');
    host.send({ t: 'like', n: 2 });
    expect((await tool.next('like')).data).toMatchObject({ count: 2, total: 2 });
    expect((await tool.next('viewers', (m) => m.data.online === 1, 10_000)).data.online).toBe(1);
    const order = await paidOrder(nodeA, s);
    const paid = await tool.next('order', (m) => m.data.id === order.id);
    expectNoBuyer(JSON.stringify(paid), s.buyer.id);
    expect((await s.owner.post(`/api/orgs/${s.orgId}/api-keys/${key.apiKey.id}/revoke`)).status).toBe(200);
    expect((await tool.closedWith(6000)).code).toBe(OPEN_CLOSE.revoked);
    host.close();
  });
});

describe('the open event WebSocket’s bounded memory', () => {
  it('closes a socket that does not read (4008 SLOW_CONSUMER) instead of queueing without bound', async () => {
    const bus = createLocalBus();
    const streams = createLiveStreams({ db: null as never, bus, clock: { now: () => new Date() }, logger: pino({ level: 'silent' }), options: { maxBufferedBytes: 1000, revocationSweepMs: 3_600_000 } });
    const sent: string[] = [];
    const closed: { code: number; reason: string }[] = [];
    const socket = Object.assign(new EventEmitter(), {
      readyState: 1,
      bufferedAmount: 0,
      send: (text: string) => sent.push(text),
      close: (code: number, reason: string) => closed.push({ code, reason }),
      terminate: () => undefined,
      ping: () => undefined,
    });
    await streams.attach(socket as never, { keyId: 'k', orgId: 'o', sessionId: 's', status: 'live', access: 'brand', orders: 'all', locale: 'en' });
    expect(sent.map((t) => JSON.parse(t).type)).toEqual(['hello', 'viewers']);
    await bus.publish('s', { type: 'chat', id: 'm1', user: { id: 'u', name: 'n', role: 'viewer' }, text: 'hi', at: new Date().toISOString() });
    expect(JSON.parse(sent.at(-1)!)).toMatchObject({ v: 1, type: 'chat', data: { id: 'm1', text: 'hi' } });
    socket.bufferedAmount = 5000;
    await bus.publish('s', { type: 'chat', id: 'm2', user: { id: 'u', name: 'n', role: 'viewer' }, text: 'hi', at: new Date().toISOString() });
    expect(sent).toHaveLength(3);
    expect(closed).toEqual([{ code: OPEN_CLOSE.slow, reason: 'SLOW_CONSUMER' }]);
    socket.emit('close');
    expect(streams.size).toBe(0);
    streams.closeAll();
  });
});
