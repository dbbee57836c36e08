// Live auctions (docs/AUCTIONS.md), on SQLite and PostgreSQL: creating an auction holds its one unit;
// the proxy rule (second-highest maximum plus the increment, capped at the leader's, ties to the
// earlier maximum); each bad bid refused with its own code and nothing stored; a bid in the last
// seconds extends the close up to the cap, sudden death never; the close driven by the sweep writes
// the winner's order at the hammer price; a winner who never pays loses the lot to the next bidder;
// concurrent bids are each decided once and the stored bids replay to the stored price.
import { beforeAll, expect, it } from 'vitest';
import { applyBid, DEFAULT_INCREMENTS, type Standing } from '../server/auctions/rules.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import type { TestClient, TestServer } from './helpers/server.ts';
import { newBuyer, payInSandbox, shop, stockOf, tag, waitFor } from './helpers/shop.ts';

type Shop = Awaited<ReturnType<typeof shop>>;
type Buyer = Awaited<ReturnType<typeof newBuyer>>;

let keys = 0;
const key = () => `k-${tag()}-${(keys++).toString(36)}`;

describeEachDatabase('auctions', ({ server: current }) => {
  let server: TestServer;
  let s: Shop;
  let a: Buyer;
  let b: Buyer;
  let c: Buyer;

  /** A one-off lot: a product of the shop's brand with one unit. */
  async function lot(title = '限量签名款手表') {
    const product = (await s.owner.post(`/api/orgs/${s.orgId}/products`, { title, category: '饰品', returnPolicy: 'standard', skus: [{ spec: { 编号: tag() }, priceFen: 99_900, stock: 1 }] })).json().product;
    return product.skus[0].id as string;
  }
  async function createAuction(body: Record<string, unknown>, client: TestClient = s.owner) {
    return client.post(`/api/rooms/${s.sessionId}/auctions`, { startingPriceFen: 5_000, durationSeconds: 120, ...body });
  }
  const bid = (client: TestClient, auctionId: string, kind: 'bid' | 'proxy', amountFen: number, clientKey = key()) => client.post(`/api/auctions/${auctionId}/bids`, { kind, amountFen, clientKey });
  const auction = async (id: string) => (await server.client().get(`/api/auctions/${id}`)).json().auction;
  const bidRows = (id: string) => server.database.db.selectFrom('auction_bids').selectAll().where('auction_id', '=', id).orderBy('seq').execute();
  async function closeNow(id: string) {
    await server.services.auctions.sweep();
    return waitFor(async () => {
      const v = await auction(id);
      return v.status !== 'open' && v.status !== 'closing' ? v : null;
    });
  }

  beforeAll(async () => {
    server = current();
    s = await shop(server);
    [a, b, c] = [await newBuyer(server), await newBuyer(server), await newBuyer(server)];
  });

  it('lets the brand or the streamer create an auction, holding its one unit; refuses a bad increment table, a lot out of stock and a viewer', async () => {
    const sku = await lot();
    expect((await createAuction({ skuId: sku }, a.client)).status).toBe(403);
    const bad = await createAuction({ skuId: sku, increments: [{ belowFen: 10_000, stepFen: 500 }, { belowFen: 5_000, stepFen: 1_000 }, { belowFen: null, stepFen: 2_000 }] });
    expect(bad.status).toBe(400);
    expect(bad.json().error.code).toBe('AUCTION_INCREMENTS_INVALID');
    const shrinking = await createAuction({ skuId: sku, increments: [{ belowFen: 10_000, stepFen: 500 }, { belowFen: null, stepFen: 100 }] });
    expect(shrinking.json().error.code).toBe('AUCTION_INCREMENTS_INVALID');
    expect(await stockOf(server, sku)).toBe(1);
    const made = await createAuction({ skuId: sku, title: '1 号拍品：签名款' }, s.host.client);
    expect(made.status, made.body).toBe(201);
    expect(made.json().auction).toMatchObject({ title: '1 号拍品：签名款', status: 'open', priceFen: null, minNextFen: 5_000, increments: DEFAULT_INCREMENTS });
    expect(await stockOf(server, sku)).toBe(0);
    const again = await createAuction({ skuId: sku });
    expect(again.status).toBe(409);
    expect(again.json().error.code).toBe('AUCTION_LOT_UNAVAILABLE');
    const listed = (await server.client().get(`/api/rooms/${s.sessionId}/auctions`)).json().auctions;
    expect(listed.map((x: { id: string }) => x.id)).toContain(made.json().auction.id);
  });

  it('refuses an auction in a live that has ended, and holds nothing', async () => {
    const { session } = (await s.host.client.post('/api/streamer/live-sessions', { title: '已结束的专场', scheduledAt: new Date(server.clock.now().getTime() + 60_000).toISOString(), brandOrgId: s.orgId })).json();
    const ended = await s.host.client.post(`/api/streamer/live-sessions/${session.id}/end`, {});
    expect(ended.status, ended.body).toBe(200);
    const sku = await lot('已结束专场的拍品');
    const refused = await s.owner.post(`/api/rooms/${session.id}/auctions`, { skuId: sku, startingPriceFen: 5_000, durationSeconds: 120 });
    expect(refused.status).toBe(409);
    expect(refused.json().error.code).toBe('LIVE_ENDED');
    expect(await stockOf(server, sku)).toBe(1);
    expect((await server.client().get(`/api/rooms/${session.id}/auctions`)).json().auctions).toEqual([]);
  });

  it('prices by the proxy rule, refuses each bad bid with its code and stores nothing for it, and answers a repeated key with the same bid', async () => {
    const { auction: made } = (await createAuction({ skuId: await lot() })).json();
    const id = made.id as string;
    // A: proxy maximum ¥200 → leads at the starting price.
    const first = await bid(a.client, id, 'proxy', 20_000);
    expect(first.status, first.body).toBe(201);
    expect(first.json().bid).toMatchObject({ priceFen: 5_000, leading: true });
    // B bids ¥60 → A's proxy answers one step over (<¥100: ¥5): ¥65, A still leads.
    const second = await bid(b.client, id, 'bid', 6_000);
    expect(second.json().bid).toMatchObject({ priceFen: 6_500, leading: false });
    let v = await auction(id);
    expect(v).toMatchObject({ priceFen: 6_500, minNextFen: 7_000, bidCount: 2, leader: { id: a.id, name: '王**' } });
    expect(JSON.stringify(v)).not.toContain('20000');

    const low = await bid(b.client, id, 'bid', 6_900);
    expect(low.status).toBe(409);
    expect(low.json().error.code).toBe('AUCTION_BID_TOO_LOW');
    expect(low.json().error.message).toContain('70.00');
    const lowProxy = await bid(c.client, id, 'proxy', 6_000);
    expect(lowProxy.status).toBe(409);
    expect(lowProxy.json().error.code).toBe('AUCTION_PROXY_TOO_LOW');
    for (const seller of [s.owner, s.host.client]) {
      const refused = await bid(seller, id, 'bid', 50_000);
      expect(refused.status).toBe(403);
      expect(refused.json().error.code).toBe('AUCTION_SELLER_BID');
    }
    expect((await bidRows(id)).length).toBe(2);
    expect((await auction(id)).priceFen).toBe(6_500);

    // C's maximum equals A's: the earlier maximum keeps the lead, at that maximum.
    const tie = await bid(c.client, id, 'proxy', 20_000);
    expect(tie.json().bid).toMatchObject({ priceFen: 20_000, leading: false });
    // C goes higher: leads at one step (≥¥100: ¥20) over A's maximum.
    const k = key();
    const over = await bid(c.client, id, 'proxy', 30_000, k);
    expect(over.status).toBe(201);
    expect(over.json().bid).toMatchObject({ priceFen: 22_000, leading: true });
    const repeat = await bid(c.client, id, 'proxy', 30_000, k);
    expect(repeat.status).toBe(200);
    expect(repeat.json().bid.id).toBe(over.json().bid.id);
    const reused = await bid(c.client, id, 'proxy', 31_000, k);
    expect(reused.status).toBe(422);
    expect(reused.json().error.code).toBe('AUCTION_BID_KEY_REUSED');
    // The leader raising its own maximum does not move the price.
    expect((await bid(c.client, id, 'proxy', 40_000)).json().bid).toMatchObject({ priceFen: 22_000, leading: true });
    v = await auction(id);
    expect(v).toMatchObject({ priceFen: 22_000, bidCount: 5, leader: { id: c.id } });
    expect((await c.client.get(`/api/auctions/${id}/me`)).json().me).toMatchObject({ maxFen: 40_000, leading: true });
    // Only the seller sees bidders' maximums.
    expect((await a.client.get(`/api/auctions/${id}/bids`)).status).toBe(404);
    expect((await s.owner.get(`/api/auctions/${id}/bids`)).json().bids).toHaveLength(5);
  });

  it('extends the close on a late bid up to the cap, never under sudden death; refuses a bid after the close; the sweep writes the winner’s order', async () => {
    const sku = await lot();
    const { auction: made } = (await createAuction({ skuId: sku, durationSeconds: 120, extendSeconds: 30, maxExtensionSeconds: 60, paySeconds: 600 })).json();
    const { auction: sudden } = (await createAuction({ skuId: await lot('孤品'), durationSeconds: 120, suddenDeath: true })).json();
    const start = server.clock.now().getTime();
    const at = (s: number) => new Date(start + s * 1000).toISOString();
    expect((await bid(a.client, made.id, 'bid', 5_000)).status).toBe(201);
    server.clock.advance(100_000); // t = 100 s: within the last 30 s of 120
    expect((await bid(b.client, made.id, 'proxy', 9_000)).json().closesAt).toBe(at(130));
    expect((await bid(a.client, sudden.id, 'bid', 5_000)).json().closesAt).toBe(at(120));
    server.clock.advance(25_000); // t = 125 s
    expect((await bid(a.client, made.id, 'bid', 9_500)).json().closesAt).toBe(at(155));
    const tooLate = await bid(b.client, sudden.id, 'bid', 10_000);
    expect(tooLate.status).toBe(409);
    expect(tooLate.json().error.code).toBe('AUCTION_CLOSED');
    server.clock.advance(25_000); // t = 150 s
    const late = await bid(b.client, made.id, 'proxy', 20_000);
    expect(late.json()).toMatchObject({ closesAt: at(180), bid: { leading: true, priceFen: 10_000 } });
    server.clock.advance(20_000); // t = 170 s: 170 + 30 would pass the cap of 120 + 60
    const capped = await bid(a.client, made.id, 'bid', 12_000);
    expect(capped.json()).toMatchObject({ closesAt: at(180), bid: { leading: false, priceFen: 14_000 } });

    server.clock.advance(10_000); // t = 180 s
    const after = await bid(c.client, made.id, 'bid', 50_000);
    expect(after.status).toBe(409);
    expect(after.json().error.code).toBe('AUCTION_CLOSED');
    const closed = await closeNow(made.id);
    expect(closed).toMatchObject({ status: 'awaiting_payment', winner: { id: b.id, priceFen: 14_000 } });
    expect((await closeNow(sudden.id)).winner.id).toBe(a.id);
    const me = (await b.client.get(`/api/auctions/${made.id}/me`)).json().me;
    expect(me.offer).toMatchObject({ priceFen: 14_000, rank: 1, status: 'pending' });
    const order = (await b.client.get(`/api/orders/${me.offer.orderId}`)).json().order;
    expect(order).toMatchObject({ status: 'pending_payment', totalFen: 14_000, sessionId: s.sessionId, kindData: { auctionId: made.id, rank: 1 }, payDeadline: new Date(start + 780_000).toISOString() });
    expect(order.items).toMatchObject([{ skuId: sku, quantity: 1, unitPriceFen: 14_000 }]);
    expect(await stockOf(server, sku)).toBe(0);
    const events = await server.database.db.selectFrom('business_events').select(['type']).where('subject_id', '=', made.id).orderBy('seq').execute();
    expect(events.map((e) => e.type)).toEqual(['auction.closed', 'auction.won']);
    // The winner pays: the auction is sold.
    await payInSandbox(server, b.client, order.id);
    await server.services.auctions.sweep();
    expect((await waitFor(async () => ((await auction(made.id)).status === 'sold' ? auction(made.id) : null))).status).toBe('sold');
  });

  it('offers the lot to the next bidder when the winner never pays, at the price the proxy rule gives without the winner; an auction without bids ends unsold', async () => {
    const sku = await lot();
    const { auction: made } = (await createAuction({ skuId: sku, durationSeconds: 60, paySeconds: 300 })).json();
    await bid(a.client, made.id, 'proxy', 8_000); // A max ¥80
    await bid(b.client, made.id, 'bid', 6_000); // B ¥60 → ¥65
    await bid(c.client, made.id, 'proxy', 30_000); // C leads at ¥85
    const { auction: empty } = (await createAuction({ skuId: await lot('无人出价') })).json();
    server.clock.advance(130_000);
    const closed = await closeNow(made.id);
    expect(closed.winner).toMatchObject({ id: c.id, priceFen: 8_500 });
    expect((await closeNow(empty.id)).status).toBe('unsold');
    expect(await stockOf(server, (await auction(empty.id)).skuId)).toBe(1);
    const first = (await c.client.get(`/api/auctions/${made.id}/me`)).json().me.offer;

    server.clock.advance(301_000);
    await server.services.commerce.orders.sweepExpired();
    await server.services.auctions.sweep();
    const next = await waitFor(async () => {
      const v = await auction(made.id);
      return v.winner?.id === a.id ? v : null;
    });
    // Without C: A (max ¥80) over B (¥60): one step over B, ¥65.
    expect(next).toMatchObject({ status: 'awaiting_payment', winner: { id: a.id, priceFen: 6_500 } });
    const lapsed = (await c.client.get(`/api/auctions/${made.id}/me`)).json().me.offer;
    expect(lapsed).toMatchObject({ orderId: first.orderId, status: 'lapsed' });
    const pay = await c.client.post(`/api/orders/${first.orderId}/pay`);
    expect(pay.status).toBe(409);
    expect(pay.json().error.code).toBe('ORDER_NOT_PAYABLE');
    expect(await stockOf(server, sku)).toBe(0);
    const offer = (await a.client.get(`/api/auctions/${made.id}/me`)).json().me.offer;
    expect(offer).toMatchObject({ rank: 2, priceFen: 6_500, status: 'pending' });
    expect((await a.client.get(`/api/orders/${offer.orderId}`)).json().order.totalFen).toBe(6_500);
    const events = await server.database.db.selectFrom('business_events').select(['type']).where('subject_id', '=', made.id).orderBy('seq').execute();
    expect(events.map((e) => e.type)).toEqual(['auction.closed', 'auction.won', 'auction.lapsed', 'auction.won']);

    // A does not pay either; then B; then nobody is left: unsold, the unit back in stock.
    for (const who of [a, b]) {
      const mine = (await who.client.get(`/api/auctions/${made.id}/me`)).json().me.offer;
      expect(mine.status).toBe('pending');
      server.clock.advance(301_000);
      await server.services.commerce.orders.sweepExpired();
      await server.services.auctions.sweep();
      await waitFor(async () => (await who.client.get(`/api/auctions/${made.id}/me`)).json().me.offer.status === 'lapsed');
    }
    expect((await waitFor(async () => ((await auction(made.id)).status === 'unsold' ? auction(made.id) : null))).winner).toBeNull();
    expect(await stockOf(server, sku)).toBe(1);
  });

  it('decides concurrent bids once each, publishes them to the room, and the stored bids replay to the stored price', async () => {
    const { auction: made } = (await createAuction({ skuId: await lot(), durationSeconds: 600 })).json();
    const seen: unknown[] = [];
    // This room also carries the earlier tests' auctions (their closes publish too): only this one's events count.
    const unsubscribe = await server.services.bus.subscribe(s.sessionId, (event) => {
      if (event.type === 'auction' && (event as { auction?: { id?: string } }).auction?.id === made.id) seen.push(event);
    });
    const bidders = [a, b, c, ...(await Promise.all(Array.from({ length: 5 }, () => newBuyer(server, false))))];
    const sent = bidders.flatMap((who, i) => [0, 1, 2].map((j) => ({ who, kind: (i + j) % 3 === 0 ? ('proxy' as const) : ('bid' as const), amountFen: 5_000 + (i * 7 + j * 13) * 500, clientKey: key() })));
    const answers = await Promise.all(sent.map((x) => bid(x.who.client, made.id, x.kind, x.amountFen, x.clientKey)));
    for (const r of answers) expect([201, 409], r.body).toContain(r.status);
    const accepted = answers.filter((r) => r.status === 201).map((r) => r.json().bid.id as string);
    // A repeat of every request: no bid twice.
    const repeats = await Promise.all(sent.map((x) => bid(x.who.client, made.id, x.kind, x.amountFen, x.clientKey)));
    expect(repeats.filter((r) => r.status === 200).map((r) => r.json().bid.id).sort()).toEqual([...accepted].sort());
    const rows = await bidRows(made.id);
    expect(rows.map((r) => r.id).sort()).toEqual([...accepted].sort());
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    let standing: Standing = { startFen: 5_000, increments: DEFAULT_INCREMENTS, priceFen: null, leaderId: null, leaderMaxFen: null };
    for (const r of rows) {
      const next = applyBid(standing, r.user_id, r.kind, r.amount_fen);
      expect('refused' in next).toBe(false);
      standing = next as Standing;
      expect(standing.priceFen).toBe(r.price_after_fen);
    }
    const v = await auction(made.id);
    expect(v).toMatchObject({ priceFen: standing.priceFen, leader: { id: standing.leaderId }, bidCount: rows.length });
    await waitFor(async () => seen.length > 0);
    expect(seen.at(-1)).toMatchObject({ type: 'auction', auction: { id: made.id } });
    await unsubscribe();
  });
}, { listen: true, timeoutMs: 60_000 });
