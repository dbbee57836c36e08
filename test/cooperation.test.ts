// Brand–streamer cooperation (docs/COOPERATION.md): the product-selection square, applications, the
// 小黄车 rules they unlock, samples with deposits and slot fees through the ledger, and who may see
// what. Every refusal is checked for its code and for changing nothing stored. On SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import { newId } from '../server/platform/ids.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator, streamer } from './helpers/people.ts';
import type { TestClient, TestServer } from './helpers/server.ts';
import { newBuyer, payInSandbox, shop, tag, waitFor } from './helpers/shop.ts';

const DAY = 86_400_000;

type Shop = Awaited<ReturnType<typeof shop>>;

async function offer(s: Shop, productId: string, body: Record<string, unknown> = {}) {
  const res = await s.owner.post(`/api/orgs/${s.orgId}/offers`, { productId, commissionBps: 2000, ...body });
  expect(res.status, res.body).toBe(201);
  return res.json().offer as { id: string; commissionBps: number; product: { id: string } };
}

async function newMcn(server: TestServer) {
  const owner = server.client();
  await owner.register(`mcn-${tag()}@example.com`);
  const org = (await owner.post('/api/orgs', { kind: 'mcn', name: `MCN${tag()}` })).json().org;
  const op = await operator(server);
  await op.client.post(`/api/admin/orgs/${org.id}/review`, { decision: 'approve' });
  return { owner, orgId: org.id as string };
}

/** Signs the streamer to the MCN as docs/MCN.md says: the MCN offers a contract with the rights, the streamer accepts. */
async function sign(server: TestServer, mcn: { owner: TestClient; orgId: string }, streamer: { client: TestClient; id: string }, rights = ['manage_products', 'request_samples']) {
  const startsAt = server.clock.now().toISOString();
  const endsAt = new Date(server.clock.now().getTime() + 365 * 86_400_000).toISOString();
  const offered = await mcn.owner.post(`/api/orgs/${mcn.orgId}/contracts`, { streamerId: streamer.id, startsAt, endsAt, splitBps: 3000, exclusive: true, rights });
  if (offered.status !== 201) throw new Error(`offering the contract failed: ${offered.body}`);
  const accepted = await streamer.client.post(`/api/me/mcn-contracts/${offered.json().contract.id}/accept`);
  if (accepted.status !== 200) throw new Error(`accepting the contract failed: ${accepted.body}`);
}

describeEachDatabase(
  'cooperation',
  ({ server }) => {
    const db = () => server().database.db;
    const balance = (id: string) => server().services.ledger.store.balanceOf(id);
    const count = async (table: 'cooperation_offers' | 'cooperation_applications' | 'cooperation_samples' | 'cooperation_slot_fees' | 'business_events') =>
      Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    /** Everything the refusals must leave alone (the ledger's consumer caught up first, so only the request under test can move it). */
    const snapshot = async () => {
      await server().services.events.drain();
      return {
      offers: await db().selectFrom('cooperation_offers').selectAll().orderBy('id').execute(),
      applications: await db().selectFrom('cooperation_applications').selectAll().orderBy('id').execute(),
      samples: await db().selectFrom('cooperation_samples').selectAll().orderBy('id').execute(),
      slotFees: await db().selectFrom('cooperation_slot_fees').selectAll().orderBy('id').execute(),
      sessionProducts: await db().selectFrom('session_products').selectAll().orderBy('session_id').orderBy('product_id').execute(),
      events: await count('business_events'),
      transfers: Number((await db().selectFrom('ledger_transfers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
      };
    };
    const invariantsHold = async () => {
      const v = await server().services.ledger.store.verify();
      expect(v.journalSum).toBe(0);
      expect(v.unbalancedTransfers).toEqual([]);
      expect(v.mismatches).toEqual([]);
    };

    it('approval → the 小黄车 of another brand’s live at the agreed rate → bought, paid, settled: the streamer earns that commission', async () => {
      const a = await shop(server());
      const b = await shop(server());
      const butterfly = await offer(a, a.butterfly.id, { commissionBps: 2500, priceFloorFen: 5000 });
      const listB = (items: unknown[]) => b.host.client.put(`/api/rooms/${b.sessionId}/products`, { items });
      const ownItems = [{ productId: b.butterfly.id }, { productId: b.serum.id }];

      // Without an approval, brand A's product cannot go on brand B's live.
      let before = await snapshot();
      const refused = await listB([...ownItems, { productId: a.butterfly.id }]);
      expect(refused.status).toBe(403);
      expect(refused.errorCode).toBe('OFFER_NOT_APPROVED');
      expect(await snapshot()).toEqual(before);

      // B's streamer applies; A approves at 22 % (it may agree a rate other than the offer's).
      const applied = await b.host.client.post(`/api/offers/${butterfly.id}/applications`, { message: '我的粉丝爱吃甜点' });
      expect(applied.status, applied.body).toBe(201);
      expect(applied.json().application).toMatchObject({ status: 'pending', streamer: { id: b.host.id }, followers: 0 });
      // Still pending: still refused.
      expect((await listB([{ productId: a.butterfly.id }])).errorCode).toBe('OFFER_NOT_APPROVED');
      const approved = await a.owner.post(`/api/orgs/${a.orgId}/applications/${applied.json().application.id}/approve`, { commissionBps: 2200 });
      expect(approved.status, approved.body).toBe(200);
      expect(approved.json().application).toMatchObject({ status: 'approved', commissionBps: 2200 });

      // Applying again for an approved product: refused, nothing stored.
      before = await snapshot();
      const again = await b.host.client.post(`/api/offers/${butterfly.id}/applications`, {});
      expect(again.status).toBe(409);
      expect(again.errorCode).toBe('APPLICATION_ALREADY_APPROVED');
      expect(await snapshot()).toEqual(before);

      // A live price under the brand's floor: refused, nothing stored.
      const low = await listB([...ownItems, { productId: a.butterfly.id, livePrices: { [a.butterfly.skus[0]!.id]: 4999 } }]);
      expect(low.status).toBe(422);
      expect(low.errorCode).toBe('LIVE_PRICE_BELOW_FLOOR');
      expect(await snapshot()).toEqual(before);

      // The catalogue offers it; listed at 55.00, it carries the agreed 22 %; B's own products 0 %.
      const catalogue = (await b.host.client.get(`/api/rooms/${b.sessionId}/catalogue`)).json().products.map((p: { id: string }) => p.id);
      expect(catalogue).toContain(a.butterfly.id);
      const listed = await listB([...ownItems, { productId: a.butterfly.id, livePrices: { [a.butterfly.skus[0]!.id]: 5500 } }]);
      expect(listed.status, listed.body).toBe(200);
      const rows = await db().selectFrom('session_products').select(['product_id', 'commission_bps', 'link']).where('session_id', '=', b.sessionId).orderBy('link').execute();
      expect(rows.map((r) => [r.product_id, Number(r.commission_bps)])).toEqual([
        [b.butterfly.id, 0],
        [b.serum.id, 0],
        [a.butterfly.id, 2200],
      ]);

      // Two at 55.00 in B's live: the order goes to brand A; the ledger takes the session's streamer at 22 %.
      const buyer = await newBuyer(server());
      const mixed = await buyer.client.post('/api/orders', { items: [{ productId: a.butterfly.id, skuId: a.butterfly.skus[0]!.id, quantity: 1 }, { productId: b.butterfly.id, skuId: b.butterfly.skus[0]!.id, quantity: 1 }], sessionId: b.sessionId });
      expect(mixed.errorCode).toBe('ORDER_MIXED_BRANDS');
      const created = await buyer.client.post('/api/orders', { items: [{ productId: a.butterfly.id, skuId: a.butterfly.skus[0]!.id, quantity: 2 }], sessionId: b.sessionId });
      expect(created.status, created.body).toBe(201);
      const order = created.json().order;
      expect(order).toMatchObject({ totalFen: 11_000, shippingFen: 0 });
      expect((await db().selectFrom('orders').select('brand_org_id').where('id', '=', order.id).executeTakeFirstOrThrow()).brand_org_id).toBe(a.orgId);
      await payInSandbox(server(), buyer.client, order.id);
      await server().services.events.drain();
      const terms = await db().selectFrom('ledger_orders').selectAll().where('order_id', '=', order.id).executeTakeFirstOrThrow();
      expect(terms).toMatchObject({ brand_org_id: a.orgId, streamer_id: b.host.id, mcn_org_id: null });
      expect(JSON.parse(terms.lines)).toEqual([expect.objectContaining({ productId: a.butterfly.id, paidFen: 11_000, commissionBps: 2200 })]);

      // Completed and settled after T+7: the streamer of B's live earns 22 % of 110.00 from brand A.
      const streamerBefore = await balance(`streamer:${b.host.id}`);
      const brandBefore = await balance(`brand:${a.orgId}`);
      expect((await a.owner.post(`/api/orgs/${a.orgId}/orders/${order.id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF1000200030' })).status).toBe(200);
      expect((await a.owner.post(`/api/orgs/${a.orgId}/orders/${order.id}/deliver`)).status).toBe(200);
      expect((await buyer.client.post(`/api/orders/${order.id}/confirm-receipt`)).status).toBe(200);
      await server().services.events.drain();
      server().clock.advance(7 * DAY + 60_000);
      const op = await operator(server());
      const settled = await op.client.post('/api/admin/ledger/settlement-runs', { orderId: order.id });
      expect(settled.status, settled.body).toBe(201);
      expect(settled.json().settlement).toMatchObject({ settleFen: 11_000, commissionFen: 2420, feeFen: 550 });
      expect((await balance(`streamer:${b.host.id}`)) - streamerBefore).toBe(2420);
      expect((await balance(`brand:${a.orgId}`)) - brandBefore).toBe(11_000 - 2420 - 550);
      await invariantsHold();
    });

    it('refuses a commission outside 0–90 %, another brand’s product and a second offer of a product, storing nothing', async () => {
      const a = await shop(server());
      const b = await shop(server());
      const before = await snapshot();
      for (const commissionBps of [9001, -1, 12.5, 100_000]) {
        const res = await a.owner.post(`/api/orgs/${a.orgId}/offers`, { productId: a.butterfly.id, commissionBps });
        expect(res.status).toBe(422);
        expect(res.errorCode).toBe('COMMISSION_RATE_INVALID');
      }
      expect((await a.owner.post(`/api/orgs/${a.orgId}/offers`, { productId: b.butterfly.id, commissionBps: 1000 })).errorCode).toBe('PRODUCT_NOT_IN_BRAND');
      expect((await a.owner.post(`/api/orgs/${a.orgId}/offers`, { productId: a.butterfly.id, commissionBps: 1000, priceFloorFen: -5 })).errorCode).toBe('VALIDATION_FAILED');
      expect((await a.owner.post(`/api/orgs/${a.orgId}/offers`, { productId: a.butterfly.id, commissionBps: 1000, surprise: 1 })).errorCode).toBe('VALIDATION_FAILED');
      // Another brand cannot list on A's behalf.
      expect((await b.owner.post(`/api/orgs/${a.orgId}/offers`, { productId: a.butterfly.id, commissionBps: 1000 })).errorCode).toBe('FORBIDDEN');
      expect(await snapshot()).toEqual(before);

      // 0 % and 90 % are the bounds.
      const zero = await offer(a, a.mooncake.id, { commissionBps: 0 });
      const top = await offer(a, a.serum.id, { commissionBps: 9000 });
      expect([zero.commissionBps, top.commissionBps]).toEqual([0, 9000]);
      const listed = await snapshot();
      const twice = await a.owner.post(`/api/orgs/${a.orgId}/offers`, { productId: a.serum.id, commissionBps: 100 });
      expect(twice.status).toBe(409);
      expect(twice.errorCode).toBe('OFFER_ALREADY_LISTED');
      const patched = await a.owner.patch(`/api/orgs/${a.orgId}/offers/${top.id}`, { commissionBps: 9500 });
      expect(patched.errorCode).toBe('COMMISSION_RATE_INVALID');
      expect((await b.owner.patch(`/api/orgs/${b.orgId}/offers/${top.id}`, { commissionBps: 100 })).errorCode).toBe('OFFER_NOT_FOUND');
      expect(await snapshot()).toEqual(listed);

      // An approval at an invalid rate is refused and the application stays pending.
      const s = await streamer(server());
      const app = (await s.client.post(`/api/offers/${top.id}/applications`, {})).json().application;
      const pending = await snapshot();
      expect((await a.owner.post(`/api/orgs/${a.orgId}/applications/${app.id}/approve`, { commissionBps: 9001 })).errorCode).toBe('COMMISSION_RATE_INVALID');
      expect(await snapshot()).toEqual(pending);
      // The event of each listed offer is in the outbox.
      const types = (await db().selectFrom('business_events').select('type').where('subject_id', 'in', [zero.id, top.id]).execute()).map((e) => e.type);
      expect(types.sort()).toEqual(['offer.listed', 'offer.listed']);
    });

    it('the square: keyword, category, commission and price ranges, sort by commission, price, sales and newest, pages, compare', async () => {
      const a = await shop(server());
      const cream = (await a.owner.post(`/api/orgs/${a.orgId}/products`, { title: 'Yulan Cream 舒缓面霜', category: '美妆/护肤', skus: [{ spec: { 容量: '50g' }, priceFen: 19_900, stock: 10 }] })).json().product;
      const o = {
        butterfly: await offer(a, a.butterfly.id, { commissionBps: 2000 }),
        serum: await offer(a, a.serum.id, { commissionBps: 3000 }),
        mooncake: await offer(a, a.mooncake.id, { commissionBps: 1000 }),
        cream: await offer(a, cream.id, { commissionBps: 1500, requirements: { minFollowers: 10, categories: ['美妆'] }, samples: { available: true, depositFen: 2000, maxPerStreamer: 2 } }),
      };
      const s = await streamer(server());
      const search = async (query: string) => {
        const res = await s.client.get(`/api/offers?brandOrgId=${a.orgId}&${query}`);
        expect(res.status, res.body).toBe(200);
        return res.json() as { offers: { id: string; salesUnits: number; product: { priceFen: number } }[]; total: number };
      };
      const ids = async (query: string) => (await search(query)).offers.map((x) => x.id);
      expect(await ids('sort=commission')).toEqual([o.serum.id, o.butterfly.id, o.cream.id, o.mooncake.id]);
      expect(await ids('sort=commission&order=asc')).toEqual([o.mooncake.id, o.cream.id, o.butterfly.id, o.serum.id]);
      expect(await ids('sort=price')).toEqual([o.mooncake.id, o.butterfly.id, o.cream.id, o.serum.id]);
      // Newest first (the test clock stands still: listed later wins the tie).
      expect(await ids('sort=newest')).toEqual([o.cream.id, o.mooncake.id, o.serum.id, o.butterfly.id]);
      expect(await ids('commissionMin=1500&commissionMax=2500&sort=commission')).toEqual([o.butterfly.id, o.cream.id]);
      expect(await ids('priceMin=5000&priceMax=20000&sort=price')).toEqual([o.butterfly.id, o.cream.id]);
      expect(await ids(`category=${encodeURIComponent('美妆')}`)).toEqual([o.cream.id]);
      expect(await ids(`category=${encodeURIComponent('食品')}&sort=price`)).toEqual([o.mooncake.id, o.butterfly.id, o.serum.id]);
      expect(await ids(`q=${encodeURIComponent('蝴蝶')}`)).toEqual([o.butterfly.id]);
      expect(await ids('q=CREAM')).toEqual([o.cream.id]);
      expect(await ids(`q=${encodeURIComponent('%')}`)).toEqual([]);
      const page = await search('sort=commission&pageSize=2&page=2');
      expect(page.total).toBe(4);
      expect(page.offers.map((x) => x.id)).toEqual([o.cream.id, o.mooncake.id]);
      expect((await s.client.get('/api/offers?sort=loudest')).errorCode).toBe('VALIDATION_FAILED');
      expect((await s.client.get('/api/offers?pageSize=1000')).errorCode).toBe('VALIDATION_FAILED');

      // Sales: three 鲜肉月饼 paid put it first.
      const buyer = await newBuyer(server());
      const bought = (await buyer.client.post('/api/orders', { items: [{ productId: a.mooncake.id, skuId: a.mooncake.skus[0]!.id, quantity: 3 }] })).json().order;
      await payInSandbox(server(), buyer.client, bought.id);
      const bySales = await search('sort=sales');
      expect(bySales.offers[0]).toMatchObject({ id: o.mooncake.id, salesUnits: 3 });

      // Compare side by side, in the order asked.
      const compared = (await s.client.get(`/api/offers/compare?ids=${o.cream.id},${o.butterfly.id}`)).json().offers;
      expect(compared.map((x: { id: string }) => x.id)).toEqual([o.cream.id, o.butterfly.id]);
      expect(compared[0]).toMatchObject({ commissionBps: 1500, requirements: { minFollowers: 10, categories: ['美妆'] }, samples: { available: true, depositFen: 2000, maxPerStreamer: 2 }, product: { priceFen: 19_900, category: '美妆/护肤' } });
      const detail = (await s.client.get(`/api/offers/${o.butterfly.id}`)).json().offer;
      expect(detail.skus.map((k: { priceFen: number }) => k.priceFen)).toEqual([6800, 12_800]);

      // A paused offer leaves the square; its brand still sees it.
      expect((await a.owner.patch(`/api/orgs/${a.orgId}/offers/${o.serum.id}`, { status: 'paused' })).status).toBe(200);
      expect(await ids('sort=commission')).not.toContain(o.serum.id);
      expect((await s.client.get(`/api/offers/${o.serum.id}`)).errorCode).toBe('OFFER_NOT_FOUND');
      expect((await s.client.post(`/api/offers/${o.serum.id}/applications`, {})).errorCode).toBe('OFFER_PAUSED');
      const mine = (await a.owner.get(`/api/orgs/${a.orgId}/offers`)).json().offers;
      expect(mine.find((x: { id: string }) => x.id === o.serum.id).status).toBe('paused');
      // The square needs a login.
      expect((await server().client().get('/api/offers')).errorCode).toBe('AUTH_REQUIRED');
    });

    it('applications: requirements, one open at a time, MCNs for their own streamers, and nobody reads another party’s', async () => {
      const a = await shop(server());
      const b = await shop(server());
      const demanding = await offer(a, a.serum.id, { commissionBps: 3000, requirements: { minFollowers: 1, categories: ['美妆'] } });
      const open = await offer(a, a.butterfly.id);
      const s = await streamer(server());
      const other = await streamer(server());

      // Too few followers, or an unverified streamer: refused, nothing stored.
      let before = await snapshot();
      const few = await s.client.post(`/api/offers/${demanding.id}/applications`, {});
      expect(few.status).toBe(422);
      expect(few.errorCode).toBe('REQUIREMENT_FOLLOWERS');
      const unverified = await streamer(server(), { approved: false });
      expect((await unverified.client.post(`/api/offers/${open.id}/applications`, {})).errorCode).toBe('STREAMER_NOT_APPROVED');
      expect((await s.client.post(`/api/offers/${newId()}/applications`, {})).errorCode).toBe('OFFER_NOT_FOUND');
      expect(await snapshot()).toEqual(before);
      const fan = await newBuyer(server(), false);
      expect((await fan.client.post(`/api/streamers/${s.id}/follow`)).status).toBe(200);
      // Enough followers, but nothing sold in 美妆 yet (test/cooperation-rules.test.ts has the rest): refused, nothing stored.
      before = await snapshot();
      expect((await s.client.post(`/api/offers/${demanding.id}/applications`, {})).errorCode).toBe('REQUIREMENT_CATEGORIES');
      expect(await snapshot()).toEqual(before);
      expect((await a.owner.patch(`/api/orgs/${a.orgId}/offers/${demanding.id}`, { requirements: { minFollowers: 1, categories: [] } })).status).toBe(200);
      const first = await s.client.post(`/api/offers/${demanding.id}/applications`, { message: '粉丝 1 位' });
      expect(first.status, first.body).toBe(201);
      expect(first.json().application.followers).toBe(1);

      // One open application per product: a second while pending is refused.
      before = await snapshot();
      expect((await s.client.post(`/api/offers/${demanding.id}/applications`, {})).errorCode).toBe('APPLICATION_PENDING');
      expect(await snapshot()).toEqual(before);
      // Rejected with a reason, the streamer may apply again.
      const appId = first.json().application.id;
      expect((await a.owner.post(`/api/orgs/${a.orgId}/applications/${appId}/reject`, {})).errorCode).toBe('VALIDATION_FAILED');
      const rejected = await a.owner.post(`/api/orgs/${a.orgId}/applications/${appId}/reject`, { reason: '品类不符' });
      expect(rejected.json().application).toMatchObject({ status: 'rejected', reason: '品类不符' });
      expect((await a.owner.post(`/api/orgs/${a.orgId}/applications/${appId}/approve`, {})).errorCode).toBe('APPLICATION_STATE_CONFLICT');
      expect((await s.client.post(`/api/offers/${demanding.id}/applications`, {})).status).toBe(201);

      // Cross-tenant: brand B cannot list A's applications, nor reach one through its own org.
      before = await snapshot();
      const listA = await b.owner.get(`/api/orgs/${a.orgId}/applications`);
      expect(listA.status).toBe(403);
      expect(listA.errorCode).toBe('FORBIDDEN');
      const throughB = await b.owner.get(`/api/orgs/${b.orgId}/applications/${appId}`);
      expect(throughB.status).toBe(404);
      expect(throughB.errorCode).toBe('APPLICATION_NOT_FOUND');
      expect((await b.owner.post(`/api/orgs/${b.orgId}/applications/${appId}/approve`, {})).errorCode).toBe('APPLICATION_NOT_FOUND');
      expect((await b.owner.get(`/api/orgs/${b.orgId}/applications`)).json().applications).toEqual([]);
      // Another streamer cannot read it either.
      expect((await other.client.get(`/api/me/cooperation/applications/${appId}`)).errorCode).toBe('APPLICATION_NOT_FOUND');
      expect(await snapshot()).toEqual(before);
      expect((await s.client.get(`/api/me/cooperation/applications/${appId}`)).json().application.status).toBe('rejected');
      expect((await a.owner.get(`/api/orgs/${a.orgId}/applications?status=pending`)).json().applications).toHaveLength(1);

      // An MCN applies for a streamer signed to it, never for another.
      const mcn = await newMcn(server());
      const rival = await newMcn(server());
      await sign(server(), mcn, other);
      before = await snapshot();
      const notOurs = await mcn.owner.post(`/api/orgs/${mcn.orgId}/applications`, { offerId: open.id, streamerId: s.id });
      expect(notOurs.status).toBe(403);
      expect(notOurs.errorCode).toBe('MCN_NOT_STREAMERS_AGENT');
      expect((await a.owner.post(`/api/orgs/${a.orgId}/applications`, { offerId: open.id, streamerId: s.id })).errorCode).toBe('ORG_WRONG_KIND');
      expect(await snapshot()).toEqual(before);
      const forOther = await mcn.owner.post(`/api/orgs/${mcn.orgId}/applications`, { offerId: open.id, streamerId: other.id, message: '机构代申请' });
      expect(forOther.status, forOther.body).toBe(201);
      expect(forOther.json().application).toMatchObject({ viaMcnOrgId: mcn.orgId, streamer: { id: other.id }, status: 'pending' });
      const mcnList = (await mcn.owner.get(`/api/orgs/${mcn.orgId}/applications`)).json().applications;
      expect(mcnList.map((x: { id: string }) => x.id)).toEqual([forOther.json().application.id]);
      // Another MCN sees none of it.
      expect((await rival.owner.get(`/api/orgs/${mcn.orgId}/applications`)).errorCode).toBe('FORBIDDEN');
      expect((await rival.owner.get(`/api/orgs/${rival.orgId}/applications/${forOther.json().application.id}`)).errorCode).toBe('APPLICATION_NOT_FOUND');
      expect((await rival.owner.get(`/api/orgs/${rival.orgId}/applications`)).json().applications).toEqual([]);
      // The streamer sees the MCN's application as their own.
      expect((await other.client.get('/api/me/cooperation/applications')).json().applications.map((x: { id: string }) => x.id)).toContain(forOther.json().application.id);

      // Signed, but without the right to manage the streamer's products: refused, nothing stored.
      await sign(server(), rival, s, ['view_earnings']);
      before = await snapshot();
      const withoutRight = await rival.owner.post(`/api/orgs/${rival.orgId}/applications`, { offerId: open.id, streamerId: s.id });
      expect(withoutRight.errorCode).toBe('MCN_NOT_STREAMERS_AGENT');
      expect(await snapshot()).toEqual(before);
    });

    it('samples: the brand’s limit, shipping and return with the deposit held and refunded, or kept; invalid steps refused', async () => {
      const a = await shop(server());
      const b = await shop(server());
      const s = await streamer(server());
      const address = { name: '林晓', phone: '13812345678', region: '上海市 徐汇区', detail: '漕溪北路 88 号' };
      const withDeposit = await offer(a, a.butterfly.id, { samples: { available: true, depositFen: 5000, maxPerStreamer: 1 } });
      const noSamples = await offer(a, a.mooncake.id);
      const request = (offerId: string) => s.client.post(`/api/offers/${offerId}/samples`, { address, message: '想先试吃' });

      const first = await request(withDeposit.id);
      expect(first.status, first.body).toBe(201);
      const sample = first.json().sample;
      expect(sample).toMatchObject({ status: 'requested', deposit: { amountFen: 5000, status: 'none' } });

      // Beyond the brand's limit, or an offer without samples: refused, nothing stored.
      let before = await snapshot();
      const over = await request(withDeposit.id);
      expect(over.status).toBe(409);
      expect(over.errorCode).toBe('SAMPLE_LIMIT_REACHED');
      expect((await request(noSamples.id)).errorCode).toBe('SAMPLES_UNAVAILABLE');
      expect((await s.client.post(`/api/offers/${withDeposit.id}/samples`, { address: { ...address, phone: '123' } })).errorCode).toBe('VALIDATION_FAILED');
      // Out of order: the streamer cannot receive what was never shipped; the brand cannot ship before approving.
      expect((await s.client.post(`/api/me/cooperation/samples/${sample.id}/receive`)).errorCode).toBe('SAMPLE_STATE_CONFLICT');
      expect((await a.owner.post(`/api/orgs/${a.orgId}/samples/${sample.id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF2000300040' })).errorCode).toBe('SAMPLE_STATE_CONFLICT');
      // Brand B cannot touch it; another streamer cannot see it.
      expect((await b.owner.post(`/api/orgs/${b.orgId}/samples/${sample.id}/approve`)).errorCode).toBe('SAMPLE_NOT_FOUND');
      expect((await b.owner.get(`/api/orgs/${a.orgId}/samples`)).errorCode).toBe('FORBIDDEN');
      const nosy = await streamer(server());
      expect((await nosy.client.get(`/api/me/cooperation/samples/${sample.id}`)).errorCode).toBe('SAMPLE_NOT_FOUND');
      expect(await snapshot()).toEqual(before);

      // Approved: the brand holds the deposit (streamer −50.00, brand +50.00).
      const streamerStart = await balance(`streamer:${s.id}`);
      const brandStart = await balance(`brand:${a.orgId}`);
      const approved = await a.owner.post(`/api/orgs/${a.orgId}/samples/${sample.id}/approve`);
      expect(approved.status, approved.body).toBe(200);
      expect(approved.json().sample.deposit).toEqual({ amountFen: 5000, status: 'held' });
      expect((await balance(`streamer:${s.id}`)) - streamerStart).toBe(-5000);
      expect((await balance(`brand:${a.orgId}`)) - brandStart).toBe(5000);
      expect((await a.owner.post(`/api/orgs/${a.orgId}/samples/${sample.id}/approve`)).errorCode).toBe('SAMPLE_STATE_CONFLICT');

      const shipped = await a.owner.post(`/api/orgs/${a.orgId}/samples/${sample.id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF2000300040' });
      expect(shipped.json().sample).toMatchObject({ status: 'shipped', shipment: { carrier: '顺丰速运', trackingNo: 'SF2000300040' } });
      expect((await s.client.post(`/api/me/cooperation/samples/${sample.id}/receive`)).json().sample.status).toBe('received');
      // The brand cannot confirm a return that was never sent.
      expect((await a.owner.post(`/api/orgs/${a.orgId}/samples/${sample.id}/confirm-return`)).errorCode).toBe('SAMPLE_STATE_CONFLICT');
      const back = await s.client.post(`/api/me/cooperation/samples/${sample.id}/return`, { carrier: '中通快递', trackingNo: 'ZT5000600070' });
      expect(back.json().sample).toMatchObject({ status: 'returning', returnShipment: { carrier: '中通快递', trackingNo: 'ZT5000600070' } });
      const returned = await a.owner.post(`/api/orgs/${a.orgId}/samples/${sample.id}/confirm-return`);
      expect(returned.json().sample).toMatchObject({ status: 'returned', deposit: { amountFen: 5000, status: 'refunded' } });
      expect(await balance(`streamer:${s.id}`)).toBe(streamerStart);
      expect(await balance(`brand:${a.orgId}`)).toBe(brandStart);
      // The limit counts the returned sample too.
      expect((await request(withDeposit.id)).errorCode).toBe('SAMPLE_LIMIT_REACHED');

      // A kept sample: the brand keeps the deposit. A rejected one does not count toward the limit.
      const keepOffer = await offer(a, a.serum.id, { samples: { available: true, depositFen: 3000, maxPerStreamer: 1 } });
      const kept = (await request(keepOffer.id)).json().sample;
      expect((await a.owner.post(`/api/orgs/${a.orgId}/samples/${kept.id}/reject`, { reason: '库存紧张' })).json().sample.status).toBe('rejected');
      const second = (await request(keepOffer.id)).json().sample;
      await a.owner.post(`/api/orgs/${a.orgId}/samples/${second.id}/approve`);
      await a.owner.post(`/api/orgs/${a.orgId}/samples/${second.id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF3000400050' });
      await s.client.post(`/api/me/cooperation/samples/${second.id}/receive`);
      const keep = await s.client.post(`/api/me/cooperation/samples/${second.id}/keep`);
      expect(keep.json().sample).toMatchObject({ status: 'kept', deposit: { amountFen: 3000, status: 'kept' } });
      expect((await s.client.post(`/api/me/cooperation/samples/${second.id}/return`, { carrier: '中通快递', trackingNo: 'ZT5000600071' })).errorCode).toBe('SAMPLE_STATE_CONFLICT');
      expect((await balance(`streamer:${s.id}`)) - streamerStart).toBe(-3000);
      expect((await balance(`brand:${a.orgId}`)) - brandStart).toBe(3000);

      // An MCN requests for its streamer and sees the samples of its streamers only.
      const mcn = await newMcn(server());
      await sign(server(), mcn, s);
      const crate = await offer(a, (await a.owner.post(`/api/orgs/${a.orgId}/products`, { title: '八宝饭', category: '食品', skus: [{ spec: { 规格: '450g' }, priceFen: 5990, stock: 5 }] })).json().product.id, { samples: { available: true, depositFen: 0, maxPerStreamer: 3 } });
      const viaMcn = await mcn.owner.post(`/api/orgs/${mcn.orgId}/samples`, { offerId: crate.id, streamerId: s.id, address });
      expect(viaMcn.status, viaMcn.body).toBe(201);
      expect((await mcn.owner.post(`/api/orgs/${mcn.orgId}/samples`, { offerId: crate.id, streamerId: nosy.id, address })).errorCode).toBe('MCN_NOT_STREAMERS_AGENT');
      expect((await mcn.owner.get(`/api/orgs/${mcn.orgId}/samples`)).json().samples).toHaveLength(4);
      const events = (await db().selectFrom('business_events').select('type').where('subject_id', '=', sample.id).orderBy('seq').execute()).map((e) => e.type);
      expect(events).toEqual(['sample.requested', 'sample.approved', 'sample.shipped', 'sample.received', 'sample.return_shipped', 'sample.returned']);
      await invariantsHold();
    });

    it('slot fees: agreed and paid through the ledger with the MCN’s split, settled after the live with the GMV clause', async () => {
      const a = await shop(server());
      const b = await shop(server());
      const { db: database } = server().database;
      const mcn = await newMcn(server());
      const at = new Date(server().clock.now().getTime() - DAY).toISOString();
      await database.insertInto('mcn_contracts').values({ id: newId(), mcn_org_id: mcn.orgId, streamer_id: a.host.id, split_bps: 3000, exclusive: 1, starts_at: at, ends_at: null, status: 'accepted', created_at: at, accepted_at: at }).execute();
      const accounts = async () => ({ brand: await balance(`brand:${a.orgId}`), streamer: await balance(`streamer:${a.host.id}`), mcn: await balance(`mcn:${mcn.orgId}`) });
      const start = await accounts();

      // The brand proposes ¥200.00 for 蝴蝶酥 in its live, with half back below ¥500.00 GMV.
      const proposed = await a.owner.post(`/api/orgs/${a.orgId}/slot-fees`, { sessionId: a.sessionId, productId: a.butterfly.id, feeFen: 20_000, gmvTargetFen: 50_000, refundBps: 5000 });
      expect(proposed.status, proposed.body).toBe(201);
      const fee = proposed.json().slotFee;
      expect(fee).toMatchObject({ status: 'proposed', proposedBy: 'brand', streamer: { id: a.host.id } });
      let before = await snapshot();
      expect((await a.owner.post(`/api/orgs/${a.orgId}/slot-fees`, { sessionId: a.sessionId, productId: a.butterfly.id, feeFen: 1, gmvTargetFen: 0, refundBps: 0 })).errorCode).toBe('SLOT_FEE_EXISTS');
      expect((await a.owner.post(`/api/orgs/${a.orgId}/slot-fees`, { sessionId: a.sessionId, productId: a.serum.id, feeFen: 1000, gmvTargetFen: 0, refundBps: 10_001 })).errorCode).toBe('VALIDATION_FAILED');
      // The proposer cannot accept its own; brand B cannot see it; settling before it is agreed is refused.
      expect((await a.owner.post(`/api/orgs/${a.orgId}/slot-fees/${fee.id}/accept`)).errorCode).toBe('FORBIDDEN');
      expect((await b.owner.post(`/api/orgs/${b.orgId}/slot-fees/${fee.id}/accept`)).errorCode).toBe('SLOT_FEE_NOT_FOUND');
      expect((await b.host.client.post(`/api/me/cooperation/slot-fees/${fee.id}/accept`)).errorCode).toBe('SLOT_FEE_NOT_FOUND');
      expect((await a.owner.post(`/api/orgs/${a.orgId}/slot-fees/${fee.id}/settle`)).errorCode).toBe('SLOT_FEE_STATE_CONFLICT');
      // A streamer cannot ask a fee for another brand's product it was never approved for.
      expect((await b.host.client.post('/api/me/cooperation/slot-fees', { sessionId: b.sessionId, productId: a.serum.id, feeFen: 1000, gmvTargetFen: 0, refundBps: 0 })).errorCode).toBe('OFFER_NOT_APPROVED');
      expect(await snapshot()).toEqual(before);

      // The streamer accepts: brand −200.00, streamer +140.00, MCN +60.00.
      const accepted = await a.host.client.post(`/api/me/cooperation/slot-fees/${fee.id}/accept`);
      expect(accepted.status, accepted.body).toBe(200);
      expect(accepted.json().slotFee).toMatchObject({ status: 'accepted', mcnOrgId: mcn.orgId, mcnSplitBps: 3000 });
      expect(await accounts()).toEqual({ brand: start.brand - 20_000, streamer: start.streamer + 14_000, mcn: start.mcn + 6000 });
      expect((await a.host.client.post(`/api/me/cooperation/slot-fees/${fee.id}/accept`)).errorCode).toBe('SLOT_FEE_STATE_CONFLICT');

      // The streamer asks 精华液's fee (target ¥200.00); the brand accepts it.
      const asked = await a.host.client.post('/api/me/cooperation/slot-fees', { sessionId: a.sessionId, productId: a.serum.id, feeFen: 10_000, gmvTargetFen: 20_000, refundBps: 10_000 });
      expect(asked.status, asked.body).toBe(201);
      expect((await a.owner.post(`/api/orgs/${a.orgId}/slot-fees/${asked.json().slotFee.id}/accept`)).status).toBe(200);
      // A third, declined by the brand: nothing moves.
      const declined = (await a.host.client.post('/api/me/cooperation/slot-fees', { sessionId: a.sessionId, productId: a.mooncake.id, feeFen: 5000, gmvTargetFen: 0, refundBps: 0 })).json().slotFee;
      expect((await a.owner.post(`/api/orgs/${a.orgId}/slot-fees/${declined.id}/reject`, { reason: '预算不足' })).json().slotFee.status).toBe('rejected');
      const afterAgreed = await accounts();
      expect(afterAgreed).toEqual({ brand: start.brand - 30_000, streamer: start.streamer + 21_000, mcn: start.mcn + 9000 });

      // In the live: two 蝴蝶酥 at 61.00 (122.00 < 500.00) and one 精华液 (299.00 ≥ 200.00).
      const buyer = await newBuyer(server());
      const buy = async (items: unknown[], extra = {}) => {
        const order = (await buyer.client.post('/api/orders', { items, sessionId: a.sessionId, ...extra })).json().order;
        await payInSandbox(server(), buyer.client, order.id);
      };
      await buy([{ productId: a.butterfly.id, skuId: a.butterfly.skus[0]!.id, quantity: 2 }]);
      await buy([{ productId: a.serum.id, skuId: a.serum.skus[0]!.id, quantity: 1 }], { confirmNoReturn: true });
      before = await snapshot();
      expect((await a.owner.post(`/api/orgs/${a.orgId}/slot-fees/${fee.id}/settle`)).errorCode).toBe('SLOT_FEE_NOT_DUE');
      expect(await snapshot()).toEqual(before);
      expect((await a.host.client.post(`/api/streamer/live-sessions/${a.sessionId}/end`)).status).toBe(200);

      // Settled: GMV 122.00 is short of 500.00, so half the fee (100.00) goes back, split as it came.
      const settled = await a.owner.post(`/api/orgs/${a.orgId}/slot-fees/${fee.id}/settle`);
      expect(settled.status, settled.body).toBe(200);
      expect(settled.json().slotFee).toMatchObject({ status: 'settled', gmvFen: 12_200, refundFen: 10_000 });
      expect(await accounts()).toEqual({ brand: afterAgreed.brand + 10_000, streamer: afterAgreed.streamer - 7000, mcn: afterAgreed.mcn - 3000 });
      expect((await a.owner.post(`/api/orgs/${a.orgId}/slot-fees/${fee.id}/settle`)).errorCode).toBe('SLOT_FEE_STATE_CONFLICT');
      // The 精华液 met its target: settled by the sweep (after its delay), nothing back.
      server().clock.advance(DAY + 60_000);
      await server().services.cooperation.sweep();
      const serumFee = await waitFor(async () => (await a.host.client.get('/api/me/cooperation/slot-fees?status=settled')).json().slotFees.find((f: { productId: string }) => f.productId === a.serum.id));
      expect(serumFee).toMatchObject({ gmvFen: 29_900, refundFen: 0 });
      expect(await accounts()).toEqual({ brand: afterAgreed.brand + 10_000, streamer: afterAgreed.streamer - 7000, mcn: afterAgreed.mcn - 3000 });

      // The MCN sees its streamer's fees; the statements show the transfers; the facts are in the outbox.
      expect((await mcn.owner.get(`/api/orgs/${mcn.orgId}/slot-fees`)).json().slotFees).toHaveLength(3);
      const statement = (await a.host.client.get('/api/me/ledger')).json();
      expect(statement.entries.map((e: { kind: string }) => e.kind).sort()).toEqual(['slot_fee', 'slot_fee', 'slot_fee_refund']);
      const events = (await database.selectFrom('business_events').select('type').where('subject_id', '=', fee.id).orderBy('seq').execute()).map((e) => e.type);
      expect(events).toEqual(['slotfee.proposed', 'slotfee.accepted', 'slotfee.settled']);
      const op = await operator(server());
      expect((await op.client.post(`/api/admin/cooperation/slot-fees/${fee.id}/settle`)).errorCode).toBe('SLOT_FEE_STATE_CONFLICT');
      await invariantsHold();
    });

    it('two applications or two sample requests at once: exactly one is taken', async () => {
      const a = await shop(server());
      const s = await streamer(server());
      const o = await offer(a, a.butterfly.id, { samples: { available: true, depositFen: 0, maxPerStreamer: 1 } });
      const apps = await Promise.all([s.client.post(`/api/offers/${o.id}/applications`, {}), s.client.post(`/api/offers/${o.id}/applications`, {})]);
      expect(apps.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(apps.find((r) => r.status === 409)!.errorCode).toBe('APPLICATION_PENDING');
      const address = { name: '林晓', phone: '13812345678', region: '上海市', detail: '漕溪北路 88 号' };
      const samples = await Promise.all([0, 1, 2].map(() => s.client.post(`/api/offers/${o.id}/samples`, { address })));
      expect(samples.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      expect(samples.filter((r) => r.status === 409).map((r) => r.errorCode)).toEqual(['SAMPLE_LIMIT_REACHED', 'SAMPLE_LIMIT_REACHED']);
      const stored = await db().selectFrom('cooperation_samples').select('id').where('offer_id', '=', o.id).execute();
      expect(stored).toHaveLength(1);
    });
  },
  { listen: true, timeoutMs: 120_000, env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } },
);


// The demo's cooperation (docs/COOPERATION.md "Demo data"), as a newcomer sees it.
describeEachDatabase(
  'cooperation demo',
  ({ server }) => {
    it('has offers at several rates, an approved product in a 小黄车 at its rate, a pending application, a shipped sample and an agreed slot fee', async () => {
      const { DEMO_ACCOUNTS, DEMO_PASSWORD } = await import('../server/demo/seed.ts');
      const login = async (key: keyof typeof DEMO_ACCOUNTS) => {
        const client = server().client();
        await client.login(DEMO_ACCOUNTS[key].login, DEMO_PASSWORD);
        return client;
      };
      const food = await login('streamerFood');
      const square = (await food.get('/api/offers?sort=commission')).json();
      expect(square.total).toBe(6);
      expect(new Set(square.offers.map((o: { commissionBps: number }) => o.commissionBps)).size).toBeGreaterThanOrEqual(4);
      const approved = (await food.get('/api/me/cooperation/applications?status=approved')).json().applications;
      expect(approved).toHaveLength(1);
      // Her approval for the 唇釉 was revoked by 玉兰凝肌, with its reason.
      expect((await food.get('/api/me/cooperation/applications?status=revoked')).json().applications).toEqual([expect.objectContaining({ productTitle: '玉兰凝肌丝绒唇釉', status: 'revoked', reason: expect.stringContaining('唇釉') })]);
      // The square says which requirements she meets: she has sold 食品 (and the 直播+ demo's 生活服务 and 跨境), not 美妆.
      const serum = square.offers.find((o: { product: { title: string } }) => o.product.title === '玉兰凝肌焕亮精华液');
      expect(serum.eligibility).toMatchObject({ met: false, categories: { required: ['美妆'], met: false } });
      expect(serum.eligibility.categories.streamer).toContain('食品');
      expect(serum.eligibility.categories.streamer).not.toContain('美妆');
      const mooncake = square.offers.find((o: { product: { title: string } }) => o.product.title === '德兴斋鲜肉月饼');
      expect(mooncake.eligibility).toMatchObject({ met: true, categories: { required: ['食品'], met: true } });
      // The brand picker lists the demo's approved brands with their offer counts.
      const brands = (await food.get('/api/offers/brands')).json().brands as { name: string; offerCount: number }[];
      expect(brands.find((b) => b.name === '德兴斋')?.offerCount).toBe(3);
      expect(brands.find((b) => b.name === '玉兰凝肌')?.offerCount).toBe(3);
      // In one of 小林说吃's (德兴斋) lives, at the agreed rate.
      const rows = await server()
        .database.db.selectFrom('session_products')
        .innerJoin('live_sessions', 'live_sessions.id', 'session_products.session_id')
        .select(['session_products.commission_bps', 'live_sessions.brand_org_id'])
        .where('session_products.product_id', '=', approved[0].productId)
        .where('live_sessions.streamer_id', '=', approved[0].streamer.id)
        .execute();
      expect(rows).toHaveLength(1);
      expect(Number(rows[0]!.commission_bps)).toBe(approved[0].commissionBps);
      expect(rows[0]!.brand_org_id).not.toBe(approved[0].brandOrgId);
      const mcn = await login('mcn');
      const mcnOrg = (await mcn.get('/api/me/orgs')).json().memberships[0].org.id;
      expect((await mcn.get(`/api/orgs/${mcnOrg}/applications?status=pending`)).json().applications).toHaveLength(1);
      const beauty = await login('streamerBeauty');
      expect((await beauty.get('/api/me/cooperation/samples?status=shipped')).json().samples).toHaveLength(1);
      expect((await beauty.get('/api/me/cooperation/slot-fees?status=accepted')).json().slotFees).toEqual([expect.objectContaining({ feeFen: 30_000, refundBps: 5000 })]);
    });
  },
  { demo: true },
);
