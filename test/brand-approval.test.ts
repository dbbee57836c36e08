import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/each-database.ts';
import { joinOrg, operator, streamer } from './helpers/people.ts';
import type { TestClient, TestServer } from './helpers/server.ts';
import { newBuyer, orderCount, stockOf, tag } from './helpers/shop.ts';

/**
 * A brand the operator has not approved sells nothing (server/orgs/approval.ts, docs/COMMERCE.md):
 * it prepares its catalogue, but checkout, the 小黄车, a pin and a coupon claim refuse with
 * BRAND_NOT_APPROVED, and public listings leave its products out, until the operator approves it.
 */

async function pendingBrand(server: TestServer) {
  const owner = server.client();
  await owner.register(`pending-${tag()}@example.com`);
  const org = (await owner.post('/api/orgs', { kind: 'brand', name: `待审品牌${tag()}` })).json().org;
  expect(org.status).toBe('pending');
  const title = `待审酥饼${tag()}`;
  const created = await owner.post(`/api/orgs/${org.id}/products`, { title, category: '食品', returnPolicy: 'standard', skus: [{ spec: { 规格: '250g' }, priceFen: 6800, stock: 50 }] });
  // Preparing the catalogue is allowed while pending.
  expect(created.status, created.body).toBe(201);
  const product = created.json().product as { id: string; title: string; status: string; skus: { id: string }[] };
  expect(product.status).toBe('on_sale');
  const edited = await owner.patch(`/api/orgs/${org.id}/products/${product.id}/skus/${product.skus[0]!.id}`, { priceFen: 6600 });
  expect(edited.status, edited.body).toBe(200);
  return { owner, orgId: org.id as string, product, title, skuId: product.skus[0]!.id };
}

async function newLive(server: TestServer, host: TestClient, brandOrgId?: string) {
  const response = await host.post('/api/streamer/live-sessions', { title: '购物直播', scheduledAt: new Date(server.clock.now().getTime() + 60_000).toISOString(), ...(brandOrgId && { brandOrgId }) });
  expect(response.status, response.body).toBe(201);
  return response.json().session.id as string;
}

async function searchedProducts(server: TestServer, q: string) {
  const response = await server.client().get(`/api/search?q=${encodeURIComponent(q)}&type=products`);
  expect(response.status, response.body).toBe(200);
  return (response.json().products as { id: string }[]).map((p) => p.id);
}

describeEachDatabase('a brand the operator has not approved', ({ server }) => {
  it('cannot sell, cart, pin or show a product while pending, and can once approved', async () => {
    const s = server();
    const b = await pendingBrand(s);
    const buyer = await newBuyer(s);
    const host = await streamer(s);
    await joinOrg(s, b.orgId, host.id);
    const items = [{ productId: b.product.id, skuId: b.skuId, quantity: 1 }];
    const now = s.clock.now().getTime();
    const coupon = (await b.owner.post(`/api/orgs/${b.orgId}/coupons`, { title: '立减5元', kind: 'amount', amountOffFen: 500, scope: 'brand', startsAt: new Date(now - 1000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString(), perUserLimit: 1, total: 10 })).json().coupon;
    expect(coupon.id).toBeTruthy();

    // A live cannot name the pending brand; in a live without a brand, its product cannot go on the 小黄车.
    const plainLive = await newLive(s, host.client);
    const ordersBefore = await orderCount(s);
    const stockBefore = await stockOf(s, b.skuId);
    const refusals = [
      await buyer.client.post('/api/checkout/quote', { items }),
      await buyer.client.post('/api/orders', { items }, { 'idempotency-key': `pending-${tag()}` }),
      await host.client.put(`/api/rooms/${plainLive}/products`, { items: [{ productId: b.product.id }] }),
      await buyer.client.post(`/api/coupons/${coupon.id}/claim`),
    ];
    for (const r of refusals) {
      expect(r.status, r.body).toBe(403);
      expect(r.errorCode).toBe('BRAND_NOT_APPROVED');
    }
    expect((await buyer.client.post('/api/orders', { items })).json().error.message).toContain('审核');
    // Nothing was stored: no order, the stock and the coupon untouched, the live's list still empty.
    expect(await orderCount(s)).toBe(ordersBefore);
    expect(await stockOf(s, b.skuId)).toBe(stockBefore);
    expect((await s.client().get(`/api/coupons/${coupon.id}`)).json().coupon.issued).toBe(0);
    expect((await s.client().get(`/api/rooms/${plainLive}/products`)).json().products).toEqual([]);

    // A list written before the rule still carries it: viewers do not see it, and it cannot be pinned.
    await s.database.db.insertInto('session_products').values({ session_id: plainLive, product_id: b.product.id, link: 1, live_prices: '{}', added_at: s.clock.now().toISOString(), commission_bps: 0 }).execute();
    expect((await s.client().get(`/api/rooms/${plainLive}/products`)).json().products).toEqual([]);
    const pin = await host.client.post(`/api/rooms/${plainLive}/pin`, { productId: b.product.id });
    expect(pin.errorCode, pin.body).toBe('BRAND_NOT_APPROVED');
    // Not shown to the public: the product page, search, the brand's page.
    expect((await s.client().get(`/api/products/${b.product.id}`)).errorCode).toBe('PRODUCT_NOT_FOUND');
    expect(await searchedProducts(s, b.title)).toEqual([]);
    expect((await s.client().get(`/api/brands/${b.orgId}/profile`)).status).toBe(404);
    // The brand still sees and edits its own catalogue.
    expect((await b.owner.get(`/api/orgs/${b.orgId}/products`)).json().products.map((p: { id: string }) => p.id)).toEqual([b.product.id]);

    // The operator approves the brand: the same product sells, with no other step.
    const op = await operator(s);
    expect((await op.client.post(`/api/admin/orgs/${b.orgId}/review`, { decision: 'approve' })).json().org.status).toBe('approved');
    expect((await s.client().get(`/api/products/${b.product.id}`)).json().product).toMatchObject({ id: b.product.id, title: b.title });
    expect((await s.client().get(`/api/rooms/${plainLive}/products`)).json().products.map((p: { id: string }) => p.id)).toEqual([b.product.id]);
    expect((await host.client.post(`/api/rooms/${plainLive}/pin`, { productId: b.product.id })).json().pinned).toMatchObject({ id: b.product.id });
    const brandLive = await newLive(s, host.client, b.orgId);
    const carted = await host.client.put(`/api/rooms/${brandLive}/products`, { items: [{ productId: b.product.id }] });
    expect(carted.status, carted.body).toBe(200);
    expect(carted.json().products.map((p: { id: string }) => p.id)).toEqual([b.product.id]);
    expect(await searchedProducts(s, b.title)).toEqual([b.product.id]);
    expect((await s.client().get(`/api/brands/${b.orgId}/profile`)).status).toBe(200);
    const claimed = await buyer.client.post(`/api/coupons/${coupon.id}/claim`);
    expect(claimed.status, claimed.body).toBe(201);
    const quote = await buyer.client.post('/api/checkout/quote', { items, sessionId: brandLive });
    expect(quote.status, quote.body).toBe(200);
    expect(quote.json().quote).toMatchObject({ itemsTotalFen: 6600 });
    const order = await buyer.client.post('/api/orders', { items, sessionId: brandLive, addressId: buyer.addressId }, { 'idempotency-key': `approved-${tag()}` });
    expect(order.status, order.body).toBe(201);
    expect(await orderCount(s)).toBe(ordersBefore + 1);
    expect(await stockOf(s, b.skuId)).toBe(stockBefore - 1);
  });

  it('refuses a rejected brand the same way', async () => {
    const s = server();
    const b = await pendingBrand(s);
    const op = await operator(s);
    expect((await op.client.post(`/api/admin/orgs/${b.orgId}/review`, { decision: 'reject', reason: '资质不全' })).json().org.status).toBe('rejected');
    const buyer = await newBuyer(s);
    const host = await streamer(s);
    const live = await newLive(s, host.client);
    const items = [{ productId: b.product.id, skuId: b.skuId, quantity: 1 }];
    const ordersBefore = await orderCount(s);
    for (const r of [
      await buyer.client.post('/api/checkout/quote', { items }),
      await buyer.client.post('/api/orders', { items }),
      await host.client.put(`/api/rooms/${live}/products`, { items: [{ productId: b.product.id }] }),
    ])
      expect(r.errorCode, r.body).toBe('BRAND_NOT_APPROVED');
    expect((await buyer.client.patch('/api/me', { locale: 'en' })).status).toBe(200);
    const en = await buyer.client.post('/api/checkout/quote', { items });
    expect(en.json().error.message).toContain('not approved');
    expect(await orderCount(s)).toBe(ordersBefore);
    expect((await s.client().get(`/api/products/${b.product.id}`)).errorCode).toBe('PRODUCT_NOT_FOUND');
    expect(await searchedProducts(s, b.title)).toEqual([]);
  });
});

/** The brand's status set by hand: a sale or lot made before the rule, or a later state but approved. */
async function setOrgStatus(s: TestServer, orgId: string, status: 'approved' | 'pending') {
  await s.database.db.updateTable('organisations').set({ status }).where('id', '=', orgId).execute();
}

describeEachDatabase('a brand not approved, in a flash sale, an auction, origin, replays, discovery and the square', ({ server }) => {
  it('refuses buying in its flash sale and bidding in its auction, hides both, and approval releases them', async () => {
    const s = server();
    const b = await pendingBrand(s);
    const lot = (await b.owner.post(`/api/orgs/${b.orgId}/products`, { title: `孤品${tag()}`, category: '饰品', returnPolicy: 'standard', skus: [{ spec: { 编号: tag() }, priceFen: 99_900, stock: 1 }] })).json().product;
    const host = await streamer(s);
    await joinOrg(s, b.orgId, host.id);
    // Made while approved (the review is final today: a sale made before the rule is the same case).
    await setOrgStatus(s, b.orgId, 'approved');
    const live = await newLive(s, host.client, b.orgId);
    expect((await host.client.put(`/api/rooms/${live}/products`, { items: [{ productId: b.product.id }] })).status).toBe(200);
    const sale = await host.client.post(`/api/rooms/${live}/flash-sales`, { skuId: b.skuId, priceFen: 990, stock: 5, perUserLimit: 1, startsInSeconds: 0, durationSeconds: 300 });
    expect(sale.status, sale.body).toBe(201);
    const saleId = sale.json().flashSale.id as string;
    const made = await b.owner.post(`/api/rooms/${live}/auctions`, { skuId: lot.skus[0].id, startingPriceFen: 5_000, durationSeconds: 120 });
    expect(made.status, made.body).toBe(201);
    const auctionId = made.json().auction.id as string;
    await setOrgStatus(s, b.orgId, 'pending');

    const buyer = await newBuyer(s);
    const ordersBefore = await orderCount(s);
    const bought = await buyer.client.post(`/api/flash-sales/${saleId}/orders`, { quantity: 1, addressId: buyer.addressId }, { 'idempotency-key': `flash-${tag()}` });
    expect(bought.status, bought.body).toBe(403);
    expect(bought.errorCode).toBe('BRAND_NOT_APPROVED');
    const bid = await buyer.client.post(`/api/auctions/${auctionId}/bids`, { kind: 'bid', amountFen: 5_000, clientKey: `k-${tag()}` });
    expect(bid.status, bid.body).toBe(403);
    expect(bid.errorCode).toBe('BRAND_NOT_APPROVED');
    // Nothing stored: no order, the sale's units and the lot untouched, no bid.
    expect(await orderCount(s)).toBe(ordersBefore);
    expect((await s.database.db.selectFrom('flash_sales').select('remaining').where('id', '=', saleId).executeTakeFirstOrThrow()).remaining).toBe(5);
    expect(await s.database.db.selectFrom('auction_bids').select('id').where('auction_id', '=', auctionId).execute()).toEqual([]);
    // Not shown: the sale and the auction, alone or in the live's lists.
    expect((await s.client().get(`/api/flash-sales/${saleId}`)).errorCode).toBe('FLASH_NOT_FOUND');
    expect((await s.client().get(`/api/auctions/${auctionId}`)).errorCode).toBe('AUCTION_NOT_FOUND');
    expect((await s.client().get(`/api/rooms/${live}/auctions`)).json().auctions).toEqual([]);
    expect((await s.client().get(`/api/rooms/${live}/products`)).json().flashSales).toEqual([]);

    // The operator approves: the same sale sells and the same lot takes bids.
    const op = await operator(s);
    expect((await op.client.post(`/api/admin/orgs/${b.orgId}/review`, { decision: 'approve' })).json().org.status).toBe('approved');
    expect((await s.client().get(`/api/flash-sales/${saleId}`)).json().flashSale).toMatchObject({ id: saleId, remaining: 5 });
    expect((await s.client().get(`/api/rooms/${live}/products`)).json().flashSales.map((f: { id: string }) => f.id)).toEqual([saleId]);
    expect((await s.client().get(`/api/rooms/${live}/auctions`)).json().auctions.map((a: { id: string }) => a.id)).toEqual([auctionId]);
    const order = await buyer.client.post(`/api/flash-sales/${saleId}/orders`, { quantity: 1, addressId: buyer.addressId }, { 'idempotency-key': `flash-${tag()}` });
    expect(order.status, order.body).toBe(201);
    expect(await orderCount(s)).toBe(ordersBefore + 1);
    const accepted = await buyer.client.post(`/api/auctions/${auctionId}/bids`, { kind: 'bid', amountFen: 5_000, clientKey: `k-${tag()}` });
    expect(accepted.status, accepted.body).toBe(201);
    expect((await s.client().get(`/api/auctions/${auctionId}`)).json().auction).toMatchObject({ id: auctionId });
  });

  it('leaves its products out of origin pages, replay chapters, discovery tabs and tags, and opened or compared offers', async () => {
    const s = server();
    const b = await pendingBrand(s);
    const op = await operator(s);
    const category = `待审类${tag()}`;
    expect((await b.owner.patch(`/api/orgs/${b.orgId}/products/${b.product.id}`, { category })).status).toBe(200);

    // Origin: a pending brand may certify its batch (it prepares), but the public page does not show it.
    const code = String(100_000 + Math.floor(Math.random() * 899_999));
    expect((await op.client.post('/api/admin/origin/areas', { code, name: '待审县', province: '云南省', designation: '国家乡村振兴重点帮扶县' })).status).toBe(201);
    const producer = await b.owner.post(`/api/orgs/${b.orgId}/origin/producers`, { name: '待审合作社', areaCode: code });
    expect(producer.status, producer.body).toBe(201);
    const cert = await b.owner.post(`/api/orgs/${b.orgId}/origin/certifications`, { productId: b.product.id, producerId: producer.json().producer.id, certifier: '云南省农产品质量安全中心', certificateNo: `C-${tag()}`, batchNo: `B-${tag()}`, producedOn: '2026-03-28', shareBps: 5000 });
    expect(cert.status, cert.body).toBe(201);
    expect((await s.client().get(`/api/origin/products/${b.product.id}`)).errorCode).toBe('ORIGIN_NOT_CERTIFIED');

    // The square: an offer it prepared is neither opened nor compared, but its brand still sees it.
    const offer = await b.owner.post(`/api/orgs/${b.orgId}/offers`, { productId: b.product.id, commissionBps: 2000 });
    expect(offer.status, offer.body).toBe(201);
    const offerId = offer.json().offer.id as string;
    const viewer = await streamer(s);
    expect((await viewer.client.get(`/api/offers/${offerId}`)).errorCode).toBe('OFFER_NOT_FOUND');
    expect((await viewer.client.get(`/api/offers/compare?ids=${offerId}`)).json().offers).toEqual([]);
    expect((await b.owner.get(`/api/orgs/${b.orgId}/offers/${offerId}`)).json().offer).toMatchObject({ id: offerId });

    // A live and a replay carrying it from before the rule (the 小黄车 refuses it now), its pin a chapter.
    const host = await streamer(s);
    const live = await newLive(s, host.client);
    const at = s.clock.now().toISOString();
    await s.database.db.insertInto('session_products').values({ session_id: live, product_id: b.product.id, link: 1, live_prices: '{}', added_at: at, commission_bps: 0 }).execute();
    const replay = await newLive(s, host.client);
    await s.database.db.updateTable('live_sessions').set({ status: 'ended', started_at: at, ended_at: new Date(Date.parse(at) + 120_000).toISOString(), replay_status: 'ready' }).where('id', '=', replay).execute();
    await s.services.liveStore.upsertRecording({ session_id: replay, path: `/tmp/none-${replay}`, started_at: at, ended_at: new Date(Date.parse(at) + 120_000).toISOString(), duration_ms: 120_000, bytes: 0, retain_until: '2099-01-01T00:00:00.000Z', deleted_at: null, deleted_by: null, delete_reason: null });
    await s.database.db.insertInto('live_pins').values({ id: `pin-${tag()}`, session_id: replay, product_id: b.product.id, pinned_at: new Date(Date.parse(at) + 10_000).toISOString(), unpinned_at: new Date(Date.parse(at) + 60_000).toISOString(), pinned_by: host.id }).execute();
    expect((await s.client().get(`/api/sessions/${replay}/chapters`)).json().chapters).toEqual([]);
    expect((await s.client().get(`/api/products/${b.product.id}/explanation`)).errorCode).toBe('PRODUCT_NOT_FOUND');
    const discover = async (query = '') => (await s.client().get(`/api/discover${query}`)).json() as { categories: string[]; upcoming: { id: string; categories: string[] }[] };
    const home = await discover();
    expect(home.categories).not.toContain(category);
    expect(home.upcoming.find((c) => c.id === live)?.categories).toEqual([]);
    expect((await discover(`?category=${encodeURIComponent(category)}`)).upcoming).toEqual([]);

    // Approved: every one shows it, with no other step.
    expect((await op.client.post(`/api/admin/orgs/${b.orgId}/review`, { decision: 'approve' })).json().org.status).toBe('approved');
    expect((await s.client().get(`/api/origin/products/${b.product.id}`)).json().product).toMatchObject({ id: b.product.id });
    expect((await viewer.client.get(`/api/offers/${offerId}`)).json().offer).toMatchObject({ id: offerId });
    expect((await viewer.client.get(`/api/offers/compare?ids=${offerId}`)).json().offers.map((o: { id: string }) => o.id)).toEqual([offerId]);
    expect((await s.client().get(`/api/sessions/${replay}/chapters`)).json().chapters).toMatchObject([{ productId: b.product.id, startS: 10, endS: 60 }]);
    expect((await s.client().get(`/api/products/${b.product.id}/explanation`)).json()).toMatchObject({ explanation: { sessionId: replay } });
    s.clock.advance(6_000); // the tabs are kept 5 s
    const after = await discover();
    expect(after.categories).toContain(category);
    expect(after.upcoming.find((c) => c.id === live)?.categories).toEqual([category]);
    expect((await discover(`?category=${encodeURIComponent(category)}`)).upcoming.map((c) => c.id)).toEqual([live]);
  });
});
