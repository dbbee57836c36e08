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
