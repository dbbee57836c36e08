// A brand reads only its own order lines of a live (docs/ANALYTICS.md "Who sees what", docs/WEBHOOKS.md
// "Which lives an organisation may read"): a live named for brand A whose 小黄车 also lists brand B's
// product, with orders of both. A's members and A's API key see only A's orders, GMV, products and
// buyers; B's only B's; the streamer (and the streamer's MCN) see both. On SQLite and PostgreSQL.
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { paidOrder as insertPaidOrder } from './helpers/bases.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { ordersTruth, setLiveStatus } from './helpers/orders-truth.ts';
import { joinOrg, operator } from './helpers/people.ts';
import type { TestClient, TestServer } from './helpers/server.ts';
import { newBuyer, payInSandbox, shop, tag, waitFor } from './helpers/shop.ts';

type Shop = Awaited<ReturnType<typeof shop>>;
type Message = { type: string; data: any };

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** The orders table's own sums for one brand's orders of a live (or all of them). */
async function truthOf(server: TestServer, sessionId: string, brandOrgId: string | null) {
  const { placedFen, paidFen, refundedFen, netFen } = await ordersTruth(server, sessionId, brandOrgId);
  return { placedFen, paidFen, refundedFen, netFen };
}

/** Brand A's live (its streamer a member of A, its 小黄车 A's three products) whose 小黄车 also lists brand B's 蝴蝶酥礼盒. */
async function twoBrandsLive(server: TestServer) {
  const a = await shop(server);
  const b = await shop(server);
  // As the product-selection square would link it (test/analytics.test.ts, test/open-events-ws.test.ts).
  await server.database.db.insertInto('session_products').values({ session_id: a.sessionId, product_id: b.butterfly.id, link: 9, live_prices: '{}', added_at: server.clock.now().toISOString() }).execute();
  return { a, b };
}

async function buy(server: TestServer, buyer: Awaited<ReturnType<typeof newBuyer>>, sessionId: string, product: Shop['butterfly'], quantity: number, pay = true) {
  const created = await buyer.client.post('/api/orders', { items: [{ productId: product.id, skuId: product.skus[0]!.id, quantity }], sessionId, addressId: buyer.addressId }, { 'idempotency-key': `bl-${tag()}` });
  expect(created.status, created.body).toBe(201);
  const order = created.json().order as { id: string; totalFen: number };
  return pay ? payInSandbox(server, buyer.client, order.id) : order;
}

/** An MCN whose contract with the streamer is in force now. */
async function mcnOf(server: TestServer, streamer: { client: TestClient; id: string }) {
  const owner = server.client();
  await owner.register(`mcn-${tag()}@example.com`);
  const org = (await owner.post('/api/orgs', { kind: 'mcn', name: `星火${tag()}` })).json().org;
  await (await operator(server)).client.post(`/api/admin/orgs/${org.id}/review`, { decision: 'approve' });
  const now = server.clock.now().getTime();
  const offered = await owner.post(`/api/orgs/${org.id}/contracts`, { streamerId: streamer.id, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 365 * 86_400_000).toISOString(), splitBps: 3000, exclusive: false, rights: ['manage_sessions'] });
  expect(offered.status, offered.body).toBe(201);
  expect((await streamer.client.post(`/api/me/mcn-contracts/${offered.json().contract.id}/accept`)).status).toBe(200);
  return { owner, orgId: org.id as string };
}

async function apiKey(owner: TestClient, orgId: string) {
  const res = await owner.post(`/api/orgs/${orgId}/api-keys`, { name: `ERP ${tag()}`, scopes: ['events:read', 'orders:read'] });
  expect(res.status, res.body).toBe(201);
  return res.json().secret as string;
}

/** An open event socket that records its messages (test/open-events-ws.test.ts has the full client). */
async function openSocket(server: TestServer, sessionId: string, key: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/open/v1/sessions/${sessionId}/events`, { headers: { authorization: `Bearer ${key}` } });
  const messages: Message[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as Message));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const next = (type: string, match: (m: Message) => boolean = () => true) => waitFor(async () => messages.find((m) => m.type === type && match(m)));
  const hello = await next('hello');
  return { ws, messages, hello, next, orders: () => messages.filter((m) => m.type === 'order').map((m) => m.data.id as string) };
}

describeEachDatabase(
  'a brand reads only its own order lines of a live',
  ({ server }) => {
    it('shows brand A’s members only A’s orders, GMV, products and clicks on the big screen, the review and the CSV, and B’s only B’s; the streamer sees both', async () => {
      const { a, b } = await twoBrandsLive(server());
      // An earlier live of the same streamer that sold only B's product: the review's comparison.
      const earlier = (await a.host.client.post('/api/streamer/live-sessions', { title: '上一场', scheduledAt: new Date(server().clock.now().getTime() + 1000).toISOString() })).json().session;
      const earlierStart = new Date(server().clock.now().getTime() - 7_200_000).toISOString();
      await server().database.db.updateTable('live_sessions').set({ status: 'ended', started_at: earlierStart, ended_at: new Date(server().clock.now().getTime() - 3_600_000).toISOString() }).where('id', '=', earlier.id).execute();
      await insertPaidOrder(server(), { sessionId: earlier.id, buyerId: b.buyer.id, brandOrgId: b.orgId, totalFen: 5000, paidAt: earlierStart });

      await setLiveStatus(server(), a.sessionId, 'live');
      // Pins of both brands' products; each buyer opens the card of the product they buy.
      await a.host.client.post(`/api/rooms/${a.sessionId}/pin`, { productId: a.butterfly.id });
      await a.host.client.post(`/api/rooms/${a.sessionId}/pin`, { productId: b.butterfly.id });
      expect((await a.buyer.client.post(`/api/rooms/${a.sessionId}/products/${a.butterfly.id}/click`)).status).toBe(204);
      expect((await b.buyer.client.post(`/api/rooms/${a.sessionId}/products/${b.butterfly.id}/click`)).status).toBe(204);
      const second = await newBuyer(server());
      expect((await second.client.post(`/api/rooms/${a.sessionId}/products/${b.butterfly.id}/click`)).status).toBe(204);
      // A's order (2 units), B's orders (1 and 3 units, paid) and one of B's left unpaid.
      const orderA = await buy(server(), a.buyer, a.sessionId, a.butterfly, 2);
      const orderB = await buy(server(), b.buyer, a.sessionId, b.butterfly, 1);
      const orderB2 = await buy(server(), second, a.sessionId, b.butterfly, 3);
      await buy(server(), second, a.sessionId, b.butterfly, 1, false);

      const truthA = await truthOf(server(), a.sessionId, a.orgId);
      const truthB = await truthOf(server(), a.sessionId, b.orgId);
      const truthAll = await truthOf(server(), a.sessionId, null);
      expect(truthA.paidFen).toBe(orderA.totalFen);
      expect(truthB.paidFen).toBe(orderB.totalFen + orderB2.totalFen);
      expect(truthB.placedFen).toBeGreaterThan(truthB.paidFen);

      const screen = async (client: TestClient, prefix: string) => {
        const res = await client.get(`${prefix}/sessions/${a.sessionId}/screen`);
        expect(res.status, res.body).toBe(200);
        return res.json();
      };
      const productIds = (list: { productId: string }[]) => list.map((p) => p.productId).sort();
      const markerProducts = (f: { markers: { kind: string; productId: string }[] }) => f.markers.filter((m) => m.kind === 'pin').map((m) => m.productId).sort();

      // The streamer: everything, both brands.
      const all = await screen(a.host.client, '/api/analytics');
      expect(all).toMatchObject({ scope: 'all', gmv: truthAll, orders: { placed: 4, paid: 3 }, units: 6, buyers: 3 });
      expect(productIds(all.topProducts)).toEqual([a.butterfly.id, b.butterfly.id].sort());
      expect(markerProducts(all)).toEqual([a.butterfly.id, b.butterfly.id].sort());

      // A's owner, another member of A (staff), and the streamer as a member of A through A's organisation: A's orders only.
      const staff = server().client();
      const staffUser = await staff.register(`staff-${tag()}@example.com`);
      await joinOrg(server(), a.orgId, staffUser.id, 'staff');
      for (const client of [a.owner, staff, a.host.client]) {
        const f = await screen(client, `/api/orgs/${a.orgId}/analytics`);
        expect(f).toMatchObject({ scope: 'brand', gmv: truthA, orders: { placed: 1, paid: 1 }, units: 2, buyers: 1, viewers: all.viewers, comments: all.comments, likes: all.likes });
        expect(productIds(f.topProducts)).toEqual([a.butterfly.id]);
        expect(markerProducts(f)).toEqual([a.butterfly.id]);
        expect(f.curve.reduce((s: number, p: { gmvFen: number }) => s + p.gmvFen, 0)).toBe(truthA.paidFen);
        expect(JSON.stringify(f)).not.toContain(b.butterfly.id);
      }

      // B's owner: B's orders only, A's nowhere.
      const asB = await screen(b.owner, `/api/orgs/${b.orgId}/analytics`);
      expect(asB).toMatchObject({ scope: 'brand', gmv: truthB, orders: { placed: 3, paid: 2 }, units: 4, buyers: 2 });
      expect(productIds(asB.topProducts)).toEqual([b.butterfly.id]);
      expect(markerProducts(asB)).toEqual([b.butterfly.id]);
      expect(JSON.stringify(asB)).not.toContain(a.butterfly.id);

      // After the live: the review and its CSV follow the same rule.
      await setLiveStatus(server(), a.sessionId, 'ended');
      const review = async (client: TestClient, prefix: string) => {
        const res = await client.get(`${prefix}/sessions/${a.sessionId}/review`);
        expect(res.status, res.body).toBe(200);
        return res.json();
      };
      const step = (r: { funnel: { step: string; count: number }[] }) => Object.fromEntries(r.funnel.map((s) => [s.step, s.count]));
      const reviewAll = await review(a.host.client, '/api/analytics');
      expect(reviewAll.figures.gmv).toEqual(truthAll);
      expect(reviewAll.products.map((p: { productId: string }) => p.productId).sort()).toEqual([a.butterfly.id, a.serum.id, a.mooncake.id, b.butterfly.id].sort());
      expect(step(reviewAll)).toMatchObject({ click: 3, order: 3, paid: 3 });
      expect(reviewAll.comparison.previous.find((p: { id: string }) => p.id === earlier.id)).toMatchObject({ netFen: 5000 });

      const reviewA = await review(a.owner, `/api/orgs/${a.orgId}/analytics`);
      expect(reviewA.figures).toMatchObject({ scope: 'brand', gmv: truthA });
      expect(reviewA.products.map((p: { productId: string }) => p.productId).sort()).toEqual([a.butterfly.id, a.serum.id, a.mooncake.id].sort());
      expect(reviewA.products.find((p: { productId: string }) => p.productId === a.butterfly.id)).toMatchObject({ orders: 1, units: 2, gmvFen: orderA.totalFen, clickers: 1 });
      expect(step(reviewA)).toMatchObject({ view: reviewAll.figures.viewers.unique, click: 1, order: 1, paid: 1 });
      // Its own sales in the streamer's earlier live: none.
      expect(reviewA.comparison.previous.find((p: { id: string }) => p.id === earlier.id)).toMatchObject({ netFen: 0, conversion: 0, gpmFen: 0 });

      const reviewB = await review(b.owner, `/api/orgs/${b.orgId}/analytics`);
      expect(reviewB.figures).toMatchObject({ scope: 'brand', gmv: truthB });
      expect(reviewB.products.map((p: { productId: string }) => p.productId)).toEqual([b.butterfly.id]);
      expect(step(reviewB)).toMatchObject({ click: 2, order: 2, paid: 2 });
      expect(reviewB.comparison.previous.find((p: { id: string }) => p.id === earlier.id)).toMatchObject({ netFen: 5000 });

      const csvOf = async (client: TestClient, prefix: string) => {
        const res = await client.get(`${prefix}/sessions/${a.sessionId}/review.csv`);
        expect(res.status, res.body).toBe(200);
        return res.body;
      };
      const csvAll = await csvOf(a.host.client, '/api/analytics');
      expect(csvAll).toContain(`成交金额（元）,${yuan(truthAll.paidFen)}`);
      const csvA = await csvOf(a.owner, `/api/orgs/${a.orgId}/analytics`);
      expect(csvA).toContain(`成交金额（元）,${yuan(truthA.paidFen)}`);
      expect(csvA).toContain(`下单金额（元）,${yuan(truthA.placedFen)}`);
      expect(csvA).not.toContain(b.butterfly.id);
      const csvB = await csvOf(b.owner, `/api/orgs/${b.orgId}/analytics`);
      expect(csvB).toContain(`成交金额（元）,${yuan(truthB.paidFen)}`);
      expect(csvB).not.toContain(a.butterfly.id);
    });

    it('sends brand A’s API key only A’s orders of its own live, B’s key only B’s, and the streamer’s MCN both', async () => {
      const { a, b } = await twoBrandsLive(server());
      const mcn = await mcnOf(server(), a.host);
      const toolA = await openSocket(server(), a.sessionId, await apiKey(a.owner, a.orgId));
      const toolB = await openSocket(server(), a.sessionId, await apiKey(b.owner, b.orgId));
      const toolMcn = await openSocket(server(), a.sessionId, await apiKey(mcn.owner, mcn.orgId));
      expect(toolA.hello.data).toMatchObject({ access: 'brand', orders: 'own' });
      expect(toolB.hello.data).toMatchObject({ access: 'seller', orders: 'own' });
      expect(toolMcn.hello.data).toMatchObject({ access: 'mcn', orders: 'all' });

      const orderA = await buy(server(), a.buyer, a.sessionId, a.butterfly, 2);
      const orderB = await buy(server(), b.buyer, a.sessionId, b.butterfly, 1);
      // The MCN hears both; each brand its own, and only its own.
      await toolMcn.next('order', (m) => m.data.id === orderA.id);
      await toolMcn.next('order', (m) => m.data.id === orderB.id);
      const seenA = await toolA.next('order', (m) => m.data.id === orderA.id);
      expect(seenA.data).toMatchObject({ brandOrgId: a.orgId, totalFen: orderA.totalFen, items: [{ productId: a.butterfly.id, quantity: 2 }] });
      const seenB = await toolB.next('order', (m) => m.data.id === orderB.id);
      expect(seenB.data).toMatchObject({ brandOrgId: b.orgId, totalFen: orderB.totalFen, items: [{ productId: b.butterfly.id, quantity: 1 }] });
      await new Promise((r) => setTimeout(r, 500));
      expect(toolA.orders()).toEqual([orderA.id]);
      expect(toolB.orders()).toEqual([orderB.id]);
      expect(toolMcn.orders().sort()).toEqual([orderA.id, orderB.id].sort());
      for (const tool of [toolA, toolB, toolMcn]) tool.ws.close();

      // The open API's order list keeps to the key's own orders too.
      const listed = await server().app.inject({ method: 'GET', url: '/api/open/v1/orders', headers: { authorization: `Bearer ${await apiKey(a.owner, a.orgId)}` } });
      expect(listed.statusCode, listed.body).toBe(200);
      expect(listed.json().orders.map((o: { id: string }) => o.id)).toEqual([orderA.id]);
    });

    it('keeps a brand whose product left the 小黄车 after it sold in the live’s numbers, its list and its open event socket: one rule for both', async () => {
      const { a, b } = await twoBrandsLive(server());
      await setLiveStatus(server(), a.sessionId, 'live');
      const orderB = await buy(server(), b.buyer, a.sessionId, b.butterfly, 1);
      // The streamer takes B's product off the 小黄车 after it sold.
      const relisted = await a.host.client.put(`/api/rooms/${a.sessionId}/products`, { items: [a.butterfly, a.serum, a.mooncake].map((p) => ({ productId: p.id })) });
      expect(relisted.status, relisted.body).toBe(200);
      const linked = await server().database.db.selectFrom('session_products').select('product_id').where('session_id', '=', a.sessionId).execute();
      expect(linked.map((r) => r.product_id)).not.toContain(b.butterfly.id);

      // The live's numbers: B still gets in, with its own order only, and finds the live in its list.
      const screen = await b.owner.get(`/api/orgs/${b.orgId}/analytics/sessions/${a.sessionId}/screen`);
      expect(screen.status, screen.body).toBe(200);
      expect(screen.json()).toMatchObject({ scope: 'brand', gmv: { paidFen: orderB.totalFen }, orders: { paid: 1 } });
      expect((await b.owner.get(`/api/orgs/${b.orgId}/analytics/sessions`)).json().sessions.map((x: { id: string }) => x.id)).toContain(a.sessionId);
      // The open event socket: the same rule lets B's key in, as a seller with its own orders.
      const tool = await openSocket(server(), a.sessionId, await apiKey(b.owner, b.orgId));
      expect(tool.hello.data).toMatchObject({ access: 'seller', orders: 'own' });
      tool.ws.close();

      // A brand with neither a product in the 小黄车 nor an order in the live: refused on both, and not listed.
      const c = await shop(server());
      expect((await c.owner.get(`/api/orgs/${c.orgId}/analytics/sessions/${a.sessionId}/screen`)).errorCode).toBe('ANALYTICS_FORBIDDEN');
      expect((await c.owner.get(`/api/orgs/${c.orgId}/analytics/sessions`)).json().sessions.map((x: { id: string }) => x.id)).not.toContain(a.sessionId);
      await expect(openSocket(server(), a.sessionId, await apiKey(c.owner, c.orgId))).rejects.toThrow('refused: 403');
    });
  },
  { listen: true, timeoutMs: 60_000, env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } },
);
