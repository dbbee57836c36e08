// 直播+生活服务 (docs/VOUCHERS.md), on SQLite and PostgreSQL: voucher products sold in a live through the
// shared checkout (no address, no shipping), one code per unit issued on payment, redemption once by
// a store's staff inside the validity, stores, days and time slots (China time), every refusal the
// issue names, two phones at the same instant, 随时退 and 过期退 through after-sales, the merchant's
// report by store and day, and first stores' O2O coupons redeemed on the same staff page.
import { expect, it } from 'vitest';
import { normalizeCode, describeHours, withinHours, luhnDigit } from '../server/vouchers/rules.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import type { TestClient, TestServer } from './helpers/server.ts';
import { newBuyer, payInSandbox, shop, tag, waitFor } from './helpers/shop.ts';

type Code = { id: string; code: string | null; title: string; status: string; qr: string | null; amountFen: number; orderId: string | null };

async function brandWithStores(server: TestServer, s?: Awaited<ReturnType<typeof shop>>) {
  const base = s ?? (await shop(server));
  const storeA = (await base.owner.post(`/api/orgs/${base.orgId}/stores`, { name: '静安店', city: '上海', address: '南京西路 1 号' })).json().store;
  const storeB = (await base.owner.post(`/api/orgs/${base.orgId}/stores`, { name: '徐汇店', city: '上海', address: '衡山路 2 号' })).json().store;
  const staff = async (storeId: string) => {
    const client = server.client();
    const login = `staff-${tag()}@example.com`;
    const user = await client.register(login, 'Secret123x', '店员');
    const bound = await base.owner.post(`/api/orgs/${base.orgId}/stores/${storeId}/staff`, { login });
    expect(bound.status).toBe(201);
    return { client, id: user.id as string };
  };
  return { ...base, storeA, storeB, staffA: await staff(storeA.id), staffA2: await staff(storeA.id), staffB: await staff(storeB.id) };
}

async function codesOf(client: TestClient, orderId?: string): Promise<Code[]> {
  return (await client.get(`/api/me/vouchers${orderId ? `?orderId=${orderId}` : ''}`)).json().vouchers;
}

async function codeRow(server: TestServer, id: string) {
  return server.database.db.selectFrom('voucher_codes' as never).selectAll().where('id' as never, '=', id as never).executeTakeFirstOrThrow() as Promise<{ status: string; redeemed_store_id: string | null; after_sale_id: string | null }>;
}

it('codes carry a Luhn check digit; hours are China time; descriptions read as on the card', () => {
  const body = '123456789012345';
  const code = body + luhnDigit(body);
  expect(normalizeCode(code.replace(/(\d{4})/g, '$1 '))).toBe(code);
  expect(normalizeCode(body + ((luhnDigit(body) + 1) % 10))).toBeNull();
  // 2026-11-27 is a Friday: 03:30Z is 11:30 in Shanghai.
  expect(withinHours(new Date('2026-11-27T03:30:00Z'), [1, 2, 3, 4, 5], [{ from: '11:00', to: '14:00' }])).toBe(true);
  expect(withinHours(new Date('2026-11-27T06:00:00Z'), [1, 2, 3, 4, 5], [{ from: '11:00', to: '14:00' }])).toBe(false);
  expect(withinHours(new Date('2026-11-28T03:30:00Z'), [1, 2, 3, 4, 5], [{ from: '11:00', to: '14:00' }])).toBe(false);
  expect(describeHours([1, 2, 3, 4, 5], [{ from: '11:00', to: '14:00' }], 'zh-CN')).toBe('周一至周五 11:00–14:00');
});

describeEachDatabase('life-service vouchers', ({ server }) => {
  let b: Awaited<ReturnType<typeof brandWithStores>>;
  let voucher: { productId: string; skuId: string };
  let early: { productId: string; skuId: string };
  let other: Awaited<ReturnType<typeof brandWithStores>>;
  let buyer: Awaited<ReturnType<typeof newBuyer>>;
  let order1: { id: string; totalFen: number };
  let order3: { id: string };
  let codes: Code[];
  let earlyCode: Code;
  const redeem = (client: TestClient, storeId: string, code: string) => client.post('/api/staff/redeem', { storeId, code });

  it('a brand creates a voucher for its stores with days and slots; bad rules and other brands’ stores are refused', async () => {
    b = await brandWithStores(server());
    other = await brandWithStores(server());
    const t0 = server().clock.now().getTime();
    const base = { title: '双人午市套餐', description: '两荤一素', category: 'set_meal', priceFen: 9900, stock: 100, validFrom: new Date(t0).toISOString(), validTo: new Date(t0 + 10 * 86_400_000).toISOString(), storeIds: [b.storeA.id], days: [1, 2, 3, 4, 5], slots: [{ from: '11:00', to: '14:00' }] };
    const badSlot = await b.owner.post(`/api/orgs/${b.orgId}/vouchers`, { ...base, slots: [{ from: '14:00', to: '11:00' }] });
    expect([badSlot.status, badSlot.errorCode]).toEqual([422, 'VOUCHER_RULES_INVALID']);
    const foreign = await b.owner.post(`/api/orgs/${b.orgId}/vouchers`, { ...base, storeIds: [other.storeA.id] });
    expect([foreign.status, foreign.errorCode]).toEqual([404, 'STORE_NOT_FOUND']);
    const created = await b.owner.post(`/api/orgs/${b.orgId}/vouchers`, base);
    expect(created.status).toBe(201);
    voucher = created.json().voucher;
    expect(created.json().voucher.stores.map((s: { name: string }) => s.name)).toEqual(['静安店']);
    early = (await b.owner.post(`/api/orgs/${b.orgId}/vouchers`, { ...base, title: '下周酒店房晚', category: 'hotel_night', validFrom: new Date(t0 + 5 * 86_400_000).toISOString(), validTo: new Date(t0 + 12 * 86_400_000).toISOString(), days: [1, 2, 3, 4, 5, 6, 7], slots: [{ from: '00:00', to: '24:00' }] })).json().voucher;
    // Store staff see none of the brand's console.
    expect((await b.staffA.client.get(`/api/orgs/${b.orgId}/vouchers`)).status).toBe(403);
    expect((await b.owner.get(`/api/orgs/${b.orgId}/vouchers`)).json().vouchers).toHaveLength(2);
  });

  it('is sold in a live: no address and no shipping; paying issues one code (a QR code) per unit, splitting the paid amount', async () => {
    const listed = await b.host.client.put(`/api/rooms/${b.sessionId}/products`, { items: [{ productId: voucher.productId, livePrices: { [voucher.skuId]: 8800 } }, { productId: early.productId }] });
    expect(listed.status).toBe(200);
    buyer = await newBuyer(server(), false);
    const items = [{ productId: voucher.productId, skuId: voucher.skuId, quantity: 2 }];
    const quote = (await buyer.client.post('/api/checkout/quote', { items, sessionId: b.sessionId })).json().quote;
    expect(quote).toMatchObject({ kind: 'voucher', ships: false, shippingFen: 0, itemsTotalFen: 17_600, totalFen: 17_600 });
    expect(quote.kindData.vouchers[0]).toMatchObject({ category: 'set_meal', days: [1, 2, 3, 4, 5], stores: ['静安店'] });
    const placed = await buyer.client.post('/api/orders', { items, sessionId: b.sessionId });
    expect(placed.status).toBe(201);
    order1 = placed.json().order;
    expect(await codesOf(buyer.client, order1.id)).toEqual([]);
    await payInSandbox(server(), buyer.client, order1.id);
    codes = await codesOf(buyer.client, order1.id);
    expect(codes).toHaveLength(2);
    expect(codes.every((c) => c.status === 'unused' && normalizeCode(c.code!) === c.code && c.qr!.startsWith('data:image/png;base64,'))).toBe(true);
    expect(codes.reduce((s, c) => s + c.amountFen, 0)).toBe(order1.totalFen);
    order3 = (await buyer.client.post('/api/orders', { items: [{ productId: voucher.productId, skuId: voucher.skuId, quantity: 1 }], sessionId: b.sessionId })).json().order;
    await payInSandbox(server(), buyer.client, order3.id);
    const earlyOrder = (await buyer.client.post('/api/orders', { items: [{ productId: early.productId, skuId: early.skuId, quantity: 1 }], sessionId: b.sessionId })).json().order;
    await payInSandbox(server(), buyer.client, earlyOrder.id);
    earlyCode = (await codesOf(buyer.client, earlyOrder.id))[0]!;
  });

  it('refuses a redemption outside its days and slots, before its validity, at another store, by staff of another store or merchant; nothing changes', async () => {
    const code = codes[0]!;
    // The test clock starts on Thursday 2026-11-26 at 16:00 in Shanghai: after the 11:00–14:00 slot.
    const late = await redeem(b.staffA.client, b.storeA.id, code.code!);
    expect([late.status, late.errorCode]).toEqual([409, 'VOUCHER_OUTSIDE_HOURS']);
    const notYet = await redeem(b.staffA.client, b.storeA.id, earlyCode.code!);
    expect([notYet.status, notYet.errorCode]).toEqual([409, 'VOUCHER_NOT_YET_VALID']);
    server().clock.advance(19.5 * 3600_000); // Friday 11:30 in Shanghai
    const malformed = await redeem(b.staffA.client, b.storeA.id, `${code.code!.slice(0, 15)}${(Number(code.code![15]) + 1) % 10}`);
    expect([malformed.status, malformed.errorCode]).toEqual([422, 'VOUCHER_CODE_MALFORMED']);
    const body = '999999999999999';
    const unknown = await redeem(b.staffA.client, b.storeA.id, body + luhnDigit(body));
    expect([unknown.status, unknown.errorCode]).toEqual([404, 'VOUCHER_CODE_NOT_FOUND']);
    const wrongStore = await redeem(b.staffB.client, b.storeB.id, code.code!);
    expect([wrongStore.status, wrongStore.errorCode]).toEqual([409, 'VOUCHER_WRONG_STORE']);
    const notHisStore = await redeem(b.staffB.client, b.storeA.id, code.code!);
    expect([notHisStore.status, notHisStore.errorCode]).toEqual([403, 'STORE_STAFF_NOT_ASSIGNED']);
    const otherMerchant = await redeem(other.staffA.client, other.storeA.id, code.code!);
    expect([otherMerchant.status, otherMerchant.errorCode]).toEqual([403, 'VOUCHER_OTHER_MERCHANT']);
    const buyerTries = await redeem(buyer.client, b.storeA.id, code.code!);
    expect(buyerTries.errorCode).toBe('STORE_STAFF_NOT_ASSIGNED');
    expect((await codeRow(server(), code.id)).status).toBe('unused');
  });

  it('two staff phones redeeming the same code at the same instant: exactly one succeeds, then it is refused for good', async () => {
    const code = codes[0]!;
    const [one, two] = await Promise.all([redeem(b.staffA.client, b.storeA.id, code.code!), redeem(b.staffA2.client, b.storeA.id, code.code!)]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    expect([one, two].find((r) => r.status === 409)!.errorCode).toBe('VOUCHER_ALREADY_REDEEMED');
    expect([one, two].find((r) => r.status === 200)!.json().redemption).toMatchObject({ storeName: '静安店', amountFen: code.amountFen });
    const again = await redeem(b.staffA.client, b.storeA.id, code.code!);
    expect([again.status, again.errorCode]).toEqual([409, 'VOUCHER_ALREADY_REDEEMED']);
    const refund = await buyer.client.post(`/api/me/vouchers/${code.id}/refund`, {});
    expect([refund.status, refund.errorCode]).toEqual([409, 'VOUCHER_NOT_REFUNDABLE']);
    expect((await codeRow(server(), code.id)).status).toBe('redeemed');
    const events = await server().database.db.selectFrom('business_events' as never).select('type' as never).where('subject_id' as never, '=', code.id as never).execute();
    expect(events).toEqual([{ type: 'voucher.redeemed' }]);
    const staffView = (await b.staffA.client.get('/api/staff/stores')).json().stores;
    expect(staffView).toEqual([expect.objectContaining({ id: b.storeA.id, redeemedToday: 1 })]);
  });

  it('随时退: an unused code is refunded on request through after-sales; the order completes when nothing is left; a refunded code cannot be redeemed', async () => {
    const code = codes[1]!;
    const stranger = await newBuyer(server(), false);
    const notHers = await stranger.client.post(`/api/me/vouchers/${code.id}/refund`, {});
    expect([notHers.status, notHers.errorCode]).toEqual([404, 'VOUCHER_NOT_FOUND']);
    const refund = await buyer.client.post(`/api/me/vouchers/${code.id}/refund`, {});
    expect(refund.status).toBe(200);
    expect(['refunding', 'refunded']).toContain(refund.json().voucher.status);
    const twice = await buyer.client.post(`/api/me/vouchers/${code.id}/refund`, {});
    expect([twice.status, twice.errorCode]).toEqual([409, 'VOUCHER_VOID']);
    const void_ = await redeem(b.staffA.client, b.storeA.id, code.code!);
    expect([void_.status, void_.errorCode]).toEqual([409, 'VOUCHER_VOID']);
    const order = await waitFor(async () => {
      const o = (await buyer.client.get(`/api/orders/${order1.id}`)).json().order;
      return o.refundedFen === code.amountFen ? o : null;
    });
    expect(order.afterSales).toEqual([expect.objectContaining({ kind: 'refund_only', amountFen: code.amountFen, status: 'refunded' })]);
    await server().services.vouchers.refunds.sweep();
    expect((await codeRow(server(), code.id)).status).toBe('refunded');
    expect((await buyer.client.get(`/api/orders/${order1.id}`)).json().order.status).toBe('completed');
  });

  it('the merchant sees redemptions by store and day (China time)', async () => {
    const report = (await b.owner.get(`/api/orgs/${b.orgId}/vouchers/redemptions?days=7`)).json();
    expect(report.lines).toEqual([{ day: '2026-11-27', storeId: b.storeA.id, storeName: '静安店', redeemed: 1, amountFen: codes[0]!.amountFen }]);
    expect((await other.owner.get(`/api/orgs/${b.orgId}/vouchers/redemptions`)).status).toBe(403);
  });

  it('首店: a first-store opening linked to its launch live; its O2O coupon is claimed once, free, and redeemed once at that store only', async () => {
    const t = server().clock.now().getTime();
    const create = (body: Record<string, unknown>) => b.owner.post(`/api/orgs/${b.orgId}/first-stores`, body);
    const firstStore = {
      storeId: b.storeB.id,
      level: 'mainland',
      title: '内地首店开业',
      opensOn: '2026-12-01',
      sessionId: b.sessionId,
      coupon: { title: '开业到店礼', total: 1, validTo: new Date(t + 30 * 86_400_000).toISOString(), days: [1, 2, 3, 4, 5, 6, 7], slots: [{ from: '10:00', to: '22:00' }] },
    };
    expect((await create({ ...firstStore, storeId: other.storeA.id })).errorCode).toBe('STORE_NOT_FOUND');
    const created = await create(firstStore);
    expect(created.status).toBe(201);
    const fs = created.json().firstStore;
    const listing = (await server().client().get('/api/first-stores')).json().firstStores;
    expect(listing).toEqual([expect.objectContaining({ id: fs.id, level: 'mainland', opensOn: '2026-12-01', store: expect.objectContaining({ name: '徐汇店' }), session: expect.objectContaining({ id: b.sessionId }), coupon: expect.objectContaining({ left: 1, claimed: false }) })]);
    const viewer = await newBuyer(server(), false);
    const claimed = await viewer.client.post(`/api/first-stores/${fs.id}/claim`, {});
    expect(claimed.status).toBe(201);
    const coupon = claimed.json().voucher as Code;
    expect(coupon).toMatchObject({ status: 'unused', amountFen: 0, orderId: null });
    const twice = await viewer.client.post(`/api/first-stores/${fs.id}/claim`, {});
    expect([twice.status, twice.errorCode]).toEqual([409, 'FIRST_STORE_COUPON_CLAIMED']);
    const late = await buyer.client.post(`/api/first-stores/${fs.id}/claim`, {});
    expect([late.status, late.errorCode]).toEqual([409, 'FIRST_STORE_COUPONS_GONE']);
    // Not a product: nothing of it is sold at checkout or listed in the brand's catalogue.
    expect((await buyer.client.post('/api/checkout/quote', { items: [{ productId: fs.id, skuId: fs.id, quantity: 1 }] })).errorCode).toBe('PRODUCT_NOT_FOUND');
    expect((await b.owner.get(`/api/orgs/${b.orgId}/vouchers`)).json().vouchers).toHaveLength(2);
    expect(coupon.title).toBe('开业到店礼');
    const wrong = await redeem(b.staffA.client, b.storeA.id, coupon.code!);
    expect([wrong.status, wrong.errorCode]).toEqual([409, 'VOUCHER_WRONG_STORE']);
    const refund = await viewer.client.post(`/api/me/vouchers/${coupon.id}/refund`, {});
    expect([refund.status, refund.errorCode]).toEqual([409, 'VOUCHER_NOT_REFUNDABLE']);
    expect((await redeem(b.staffB.client, b.storeB.id, coupon.code!)).status).toBe(200);
    expect((await redeem(b.staffB.client, b.storeB.id, coupon.code!)).errorCode).toBe('VOUCHER_ALREADY_REDEEMED');
    expect((await server().client().get('/api/first-stores')).json().firstStores[0].coupon.left).toBe(0);
  });

  it('过期退: after its validity a code is refused, no longer sold, and refunded by the sweep once even with two nodes sweeping', async () => {
    const [code] = await codesOf(buyer.client, order3.id);
    server().clock.advance(11 * 86_400_000);
    const expired = await redeem(b.staffA.client, b.storeA.id, code!.code!);
    expect([expired.status, expired.errorCode]).toEqual([409, 'VOUCHER_EXPIRED']);
    const buy = await buyer.client.post('/api/orders', { items: [{ productId: voucher.productId, skuId: voucher.skuId, quantity: 1 }], sessionId: b.sessionId });
    expect([buy.status, buy.errorCode]).toEqual([409, 'VOUCHER_SALE_ENDED']);
    await Promise.all([server().services.vouchers.refunds.sweep(), server().services.vouchers.refunds.sweep()]);
    const order = await waitFor(async () => {
      const o = (await buyer.client.get(`/api/orders/${order3.id}`)).json().order;
      return o.status === 'cancelled' ? o : null;
    });
    expect(order.afterSales).toHaveLength(1);
    expect(order.refundedFen).toBe(order.totalFen);
    await server().services.vouchers.refunds.sweep();
    expect((await codeRow(server(), code!.id)).status).toBe('refunded');
  });
}, { listen: true, timeoutMs: 60_000 });
