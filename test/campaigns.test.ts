// Festival campaigns (docs/CAMPAIGNS.md): an operator's campaign with brands (added, or applied and
// approved) and lives, a shared coupon paid by the platform, the subsidy the order carries into the
// ledger (the brand settled on the undiscounted price, platform:subsidies debited, refunds giving it
// back in proportion), the live leaderboard, and every refusal the issue names. SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import { toBusinessEvent } from '../server/events/outbox.ts';
import { subsidyReturned } from '../server/ledger/postings.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator } from './helpers/people.ts';
import type { TestServer } from './helpers/server.ts';
import { newBuyer, payInSandbox, shop, waitFor } from './helpers/shop.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

async function world(server: TestServer) {
  const a = await shop(server);
  const b = await shop(server); // a second brand that never joins
  const op = (await operator(server)).client;
  // 20 % commission on brand A's 小黄车, so the subsidy's effect on commission shows.
  await server.database.db.updateTable('session_products').set({ commission_bps: 2000 }).where('session_id', '=', a.sessionId).execute();
  const t = server.clock.now().getTime();
  const created = await op.post('/api/admin/campaigns', {
    name: '五五购物节 2027',
    theme: '上海购物 · 首发新品 · 直播狂欢',
    warmupAt: new Date(t - HOUR).toISOString(),
    startsAt: new Date(t + DAY).toISOString(),
    endsAt: new Date(t + 10 * DAY).toISOString(),
    brandOrgIds: [a.orgId],
    sessionIds: [a.sessionId],
  });
  expect(created.status, created.body).toBe(201);
  const campaign = created.json().campaign as { id: string; phase: string };
  const coupon = await op.post(`/api/admin/campaigns/${campaign.id}/coupons`, { title: '五五节满300减30', kind: 'threshold', thresholdFen: 30_000, amountOffFen: 3000, perUserLimit: 1, total: 1000 });
  expect(coupon.status, coupon.body).toBe(201);
  return { a, b, op, campaign, couponId: coupon.json().coupon.id as string };
}
type World = Awaited<ReturnType<typeof world>>;

/** Three 500g 蝴蝶酥 of brand A (3 × 128.00 = 384.00) in its live, with the shared coupon: 354.00 paid, 30.00 subsidy. */
async function campaignOrder(server: TestServer, w: World, buyer = w.a.buyer) {
  const claimed = await buyer.client.post(`/api/campaigns/${w.campaign.id}/coupons/${w.couponId}/claim`);
  expect(claimed.status, claimed.body).toBe(201);
  const sku = w.a.butterfly.skus[1]!;
  const body = { items: [{ productId: w.a.butterfly.id, skuId: sku.id, quantity: 3 }], sessionId: w.a.sessionId, userCouponId: claimed.json().userCoupon.id };
  const placed = await buyer.client.post('/api/orders', body);
  expect(placed.status, placed.body).toBe(201);
  const order = placed.json().order;
  await payInSandbox(server, buyer.client, order.id);
  await server.services.events.drain();
  return order as { id: string; totalFen: number; discountFen: number; subsidyFen: number };
}

describeEachDatabase('campaigns', ({ server }) => {
  const balance = (id: string) => server().services.ledger.store.balanceOf(id);
  const count = async (table: 'campaigns' | 'campaign_brands' | 'campaign_sessions' | 'coupons' | 'user_coupons' | 'orders') =>
    Number((await server().database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const invariantsHold = async () => {
    const v = await server().services.ledger.store.verify();
    expect(v.journalSum).toBe(0);
    expect(v.unbalancedTransfers).toEqual([]);
    expect(v.mismatches).toEqual([]);
  };

  it('refuses bad campaigns, applications and sessions, changing nothing', async () => {
    const w = await world(server());
    const t = server().clock.now().getTime();
    const before = await count('campaigns');
    const claimsBefore = await count('user_coupons');
    // End before start; warm-up after the start; already over.
    for (const dates of [
      { startsAt: new Date(t + 2 * DAY).toISOString(), endsAt: new Date(t + DAY).toISOString() },
      { warmupAt: new Date(t + 3 * DAY).toISOString(), startsAt: new Date(t + 2 * DAY).toISOString(), endsAt: new Date(t + 4 * DAY).toISOString() },
      { startsAt: new Date(t - 3 * DAY).toISOString(), endsAt: new Date(t - DAY).toISOString() },
    ]) {
      const res = await w.op.post('/api/admin/campaigns', { name: '坏活动', theme: '日期不对', ...dates });
      expect(res.status).toBe(422);
      expect(res.errorCode).toBe('CAMPAIGN_DATES_INVALID');
    }
    // Only operators create campaigns.
    const byBrand = await w.a.owner.post('/api/admin/campaigns', { name: '品牌自建', theme: 'x', startsAt: new Date(t + DAY).toISOString(), endsAt: new Date(t + 2 * DAY).toISOString() });
    expect(byBrand.status).toBe(403);
    expect(byBrand.errorCode).toBe('FORBIDDEN');
    expect(await count('campaigns')).toBe(before);

    // Brand B applies; twice is refused; the operator approves; a second decision finds nothing pending.
    const url = `/api/orgs/${w.b.orgId}/campaigns/${w.campaign.id}/apply`;
    expect((await w.b.owner.post(url, { note: '新品首发' })).status).toBe(201);
    const twice = await w.b.owner.post(url, {});
    expect(twice.status).toBe(409);
    expect(twice.errorCode).toBe('CAMPAIGN_BRAND_EXISTS');
    // Brand A's owner cannot apply on B's behalf.
    expect((await w.a.owner.post(url, {})).errorCode).toBe('FORBIDDEN');
    // B's own live cannot join before B is approved.
    const early = await w.b.owner.post(`/api/orgs/${w.b.orgId}/campaigns/${w.campaign.id}/sessions`, { sessionId: w.b.sessionId });
    expect(early.status).toBe(409);
    expect(early.errorCode).toBe('CAMPAIGN_SESSION_BRAND_NOT_IN');
    const reject = await w.op.post(`/api/admin/campaigns/${w.campaign.id}/brands/${w.b.orgId}/decision`, { approve: false });
    expect(reject.status).toBe(200);
    expect(reject.json().brands.find((x: { id: string }) => x.id === w.b.orgId).status).toBe('rejected');
    const again = await w.op.post(`/api/admin/campaigns/${w.campaign.id}/brands/${w.b.orgId}/decision`, { approve: true });
    expect(again.status).toBe(404);
    expect(again.errorCode).toBe('CAMPAIGN_APPLICATION_NOT_FOUND');
    // The landing page lists approved brands only.
    const landing = (await server().client().get(`/api/campaigns/${w.campaign.id}`)).json();
    expect(landing.brands.map((x: { id: string }) => x.id)).toEqual([w.a.orgId]);
    expect(landing.campaign.phase).toBe('warmup');
    expect(landing.next.map((s: { id: string }) => s.id)).toEqual([w.a.sessionId]);
    // A session of a brand not in the campaign; an unknown one; one already in.
    const sessions = await count('campaign_sessions');
    const notIn = await w.op.post(`/api/admin/campaigns/${w.campaign.id}/sessions`, { sessionId: w.b.sessionId });
    expect(notIn.status).toBe(409);
    expect(notIn.errorCode).toBe('CAMPAIGN_SESSION_BRAND_NOT_IN');
    expect((await w.op.post(`/api/admin/campaigns/${w.campaign.id}/sessions`, { sessionId: 'nope' })).errorCode).toBe('CAMPAIGN_SESSION_NOT_FOUND');
    const dup = await w.op.post(`/api/admin/campaigns/${w.campaign.id}/sessions`, { sessionId: w.a.sessionId });
    expect(dup.status).toBe(409);
    expect(dup.errorCode).toBe('CAMPAIGN_SESSION_EXISTS');
    expect(await count('campaign_sessions')).toBe(sessions);
    // A coupon valid beyond the campaign.
    const coupons = await count('coupons');
    const outside = await w.op.post(`/api/admin/campaigns/${w.campaign.id}/coupons`, { title: '超期券', kind: 'amount', amountOffFen: 500, endsAt: new Date(t + 11 * DAY).toISOString(), perUserLimit: 1, total: 10 });
    expect(outside.status).toBe(422);
    expect(outside.errorCode).toBe('CAMPAIGN_COUPON_OUTSIDE_DATES');
    expect(await count('coupons')).toBe(coupons);
    // An unknown campaign.
    expect((await server().client().get('/api/campaigns/nope')).errorCode).toBe('CAMPAIGN_NOT_FOUND');
    // Not an approved brand.
    const noBrand = await w.op.post(`/api/admin/campaigns/${w.campaign.id}/brands`, { brandOrgId: 'nope' });
    expect(noBrand.status).toBe(404);
    expect(noBrand.errorCode).toBe('CAMPAIGN_BRAND_NOT_FOUND');
    // A coupon that opens later cannot be claimed yet.
    const later = await w.op.post(`/api/admin/campaigns/${w.campaign.id}/coupons`, { title: '开幕券', kind: 'amount', amountOffFen: 500, startsAt: new Date(t + DAY).toISOString(), perUserLimit: 1, total: 10 });
    expect(later.status).toBe(201);
    const early2 = await w.a.buyer.client.post(`/api/campaigns/${w.campaign.id}/coupons/${later.json().coupon.id}/claim`);
    expect(early2.status).toBe(409);
    expect(early2.errorCode).toBe('CAMPAIGN_COUPON_NOT_OPEN');
    expect(await count('user_coupons')).toBe(claimsBefore);
    // Once it has ended, a campaign is not changed any more.
    server().clock.advance(11 * DAY);
    const ended = await w.op.post(`/api/admin/campaigns/${w.campaign.id}/brands`, { brandOrgId: w.b.orgId });
    expect(ended.status).toBe(409);
    expect(ended.errorCode).toBe('CAMPAIGN_ENDED');
    expect((await server().client().get(`/api/campaigns/${w.campaign.id}`)).json().campaign.phase).toBe('ended');
  });

  it('the shared coupon: one per person, refused on a brand outside the campaign, a platform subsidy on a brand in it', async () => {
    const w = await world(server());
    const buyer = w.a.buyer;
    const url = `/api/campaigns/${w.campaign.id}/coupons/${w.couponId}/claim`;
    const claimed = await buyer.client.post(url);
    expect(claimed.status).toBe(201);
    expect(claimed.json().userCoupon.coupon).toMatchObject({ campaignId: w.campaign.id, brandOrgId: null, thresholdFen: 30_000, amountOffFen: 3000 });
    const held = await count('user_coupons');
    const over = await buyer.client.post(url);
    expect(over.status).toBe(409);
    expect(over.errorCode).toBe('COUPON_LIMIT_REACHED');
    expect(await count('user_coupons')).toBe(held);
    expect((await server().database.db.selectFrom('coupons').select('issued').where('id', '=', w.couponId).executeTakeFirstOrThrow()).issued).toBe(1);
    // Another campaign's coupon id under this campaign: not found.
    expect((await buyer.client.post(`/api/campaigns/${w.campaign.id}/coupons/nope/claim`)).errorCode).toBe('COUPON_NOT_FOUND');

    const userCouponId = claimed.json().userCoupon.id as string;
    // Brand B is not in the campaign: refused, no order, the coupon still unused.
    const orders = await count('orders');
    const bSku = w.b.butterfly.skus[1]!;
    const outside = await buyer.client.post('/api/orders', { items: [{ productId: w.b.butterfly.id, skuId: bSku.id, quantity: 3 }], userCouponId });
    expect(outside.status).toBe(409);
    expect(outside.errorCode).toBe('CAMPAIGN_COUPON_BRAND_NOT_IN_CAMPAIGN');
    expect(await count('orders')).toBe(orders);
    expect((await server().database.db.selectFrom('user_coupons').select('status').where('id', '=', userCouponId).executeTakeFirstOrThrow()).status).toBe('unused');
    // The checkout sheet offers it for brand A only.
    const sku = w.a.butterfly.skus[1]!;
    const items = [{ productId: w.a.butterfly.id, skuId: sku.id, quantity: 3 }];
    const quoteB = (await buyer.client.post('/api/checkout/quote', { items: [{ productId: w.b.butterfly.id, skuId: bSku.id, quantity: 3 }] })).json().quote;
    expect(quoteB.usableCoupons.map((c: { id: string }) => c.id)).not.toContain(userCouponId);
    const quoteA = (await buyer.client.post('/api/checkout/quote', { items, sessionId: w.a.sessionId, userCouponId })).json().quote;
    expect(quoteA.usableCoupons.map((c: { id: string }) => c.id)).toContain(userCouponId);
    expect(quoteA).toMatchObject({ itemsTotalFen: 38_400, discountFen: 3000, subsidyFen: 3000, totalFen: 35_400 });

    const placed = await buyer.client.post('/api/orders', { items, sessionId: w.a.sessionId, userCouponId });
    expect(placed.status, placed.body).toBe(201);
    expect(placed.json().order).toMatchObject({ totalFen: 35_400, discountFen: 3000, subsidyFen: 3000, couponTitle: '五五节满300减30' });
    await payInSandbox(server(), buyer.client, placed.json().order.id);
    const events = (await server().database.db.selectFrom('business_events').selectAll().where('subject_id', '=', placed.json().order.id).execute()).map(toBusinessEvent);
    expect(events.find((e) => e.type === 'order.paid')!.payload).toMatchObject({ totalFen: 35_400, subsidyFen: 3000 });
  });

  it('ledger: the subsidy is paid by the platform, the brand settles on the undiscounted price, refunds return it in proportion, once', async () => {
    const w = await world(server());
    const accounts = { brand: `brand:${w.a.orgId}`, streamer: `streamer:${w.a.host.id}`, fees: 'platform:fees', subsidies: 'platform:subsidies', clearing: 'clearing', buyers: 'buyers' };
    const balances = async () => Object.fromEntries(await Promise.all(Object.entries(accounts).map(async ([k, id]) => [k, await balance(id)])));
    const diff = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(a).map((k) => [k, b[k]! - a[k]!]));
    const start = await balances();
    const order = await campaignOrder(server(), w);
    expect(order).toMatchObject({ totalFen: 35_400, subsidyFen: 3000 });
    // Paid: buyers −35 400, the platform −3 000, clearing holds 38 400.
    expect(diff(start, await balances())).toEqual({ brand: 0, streamer: 0, fees: 0, subsidies: -3000, clearing: 38_400, buyers: -35_400 });
    const account = (await w.op.get('/api/admin/ledger/accounts/platform:subsidies')).json();
    expect(account.account).toMatchObject({ kind: 'platform_subsidies' });

    // Half of what the buyer paid is refunded before settlement: half the subsidy goes back to the platform.
    const as = (await w.a.buyer.client.post(`/api/orders/${order.id}/after-sales`, { kind: 'refund_only', amountFen: 17_700, reason: '少发一盒' })).json().afterSale;
    await w.a.owner.post(`/api/orgs/${w.a.orgId}/after-sales/${as.id}/approve`, {});
    await waitFor(async () => (await server().database.db.selectFrom('after_sales').select('status').where('id', '=', as.id).executeTakeFirst())?.status === 'refunded');
    await server().services.events.drain();
    expect(diff(start, await balances())).toEqual({ brand: 0, streamer: 0, fees: 0, subsidies: -1500, clearing: 19_200, buyers: -17_700 });

    // The same events again post nothing.
    const { db } = server().database;
    const events = (await db.selectFrom('business_events').selectAll().where('subject_id', '=', order.id).orderBy('seq').execute()).map(toBusinessEvent);
    const mid = await balances();
    await db.transaction().execute((trx) => server().services.ledger.consumer.handle(trx, [...events, ...events]));
    expect(await balances()).toEqual(mid);

    // Completed and settled: S = 19 200 (38 400 − 17 700 − 1 500); commission 20 % = 3 840; fee 5 % = 960; brand 14 400.
    await w.a.owner.post(`/api/orgs/${w.a.orgId}/orders/${order.id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF1234567890' });
    await w.a.owner.post(`/api/orgs/${w.a.orgId}/orders/${order.id}/deliver`);
    await w.a.buyer.client.post(`/api/orders/${order.id}/confirm-receipt`);
    await server().services.events.drain();
    server().clock.advance(7 * DAY + 60_000);
    const settled = await w.op.post('/api/admin/ledger/settlement-runs', { orderId: order.id });
    expect(settled.status, settled.body).toBe(201);
    expect(settled.json().settlement).toMatchObject({ settleFen: 19_200, commissionFen: 3840, feeFen: 960 });
    expect(diff(start, await balances())).toEqual({ brand: 14_400, streamer: 3840, fees: 960, subsidies: -1500, clearing: 0, buyers: -17_700 });

    // The rest refunded after settlement: 17 700 from the buyer's side and the last 1 500 of subsidy clawed back
    // from the parties (14 400 : 3 840 : 960), which returns everything to zero.
    const last = (await w.a.buyer.client.post(`/api/orders/${order.id}/after-sales`, { kind: 'return_refund', amountFen: 17_700, reason: '七天无理由' })).json().afterSale;
    expect(last?.id).toBeTruthy();
    await w.a.owner.post(`/api/orgs/${w.a.orgId}/after-sales/${last.id}/approve`, {});
    await w.a.buyer.client.post(`/api/after-sales/${last.id}/return-shipment`, { carrier: '顺丰速运', trackingNo: 'SF9990001112' });
    await w.a.owner.post(`/api/orgs/${w.a.orgId}/after-sales/${last.id}/receive`);
    await waitFor(async () => (await db.selectFrom('after_sales').select('status').where('id', '=', last.id).executeTakeFirst())?.status === 'refunded');
    await server().services.events.drain();
    expect(diff(start, await balances())).toEqual({ brand: 0, streamer: 0, fees: 0, subsidies: 0, clearing: 0, buyers: 0 });
    await invariantsHold();
  });

  it('the subsidy returned by refunds sums to the subsidy exactly', () => {
    expect(subsidyReturned(3000, 35_400, 0, 17_700)).toBe(1500);
    expect(subsidyReturned(3000, 35_400, 17_700, 17_700)).toBe(1500);
    expect(subsidyReturned(0, 35_400, 0, 35_400)).toBe(0);
    // Odd amounts in several steps: the parts sum to D.
    let back = 0;
    let refunded = 0;
    for (const r of [1, 333, 7777, 10_000, 3289]) {
      back += subsidyReturned(1001, 21_400, refunded, r);
      refunded += r;
    }
    expect(refunded).toBe(21_400);
    expect(back).toBe(1001);
  });

  it('the leaderboard ranks sessions and brands by GMV (total − refunds + the subsidy kept) and moves with new orders', async () => {
    const w = await world(server());
    const first = await campaignOrder(server(), w);
    const board = async () => (await server().client().get(`/api/campaigns/${w.campaign.id}/leaderboard`)).json().leaderboard;
    const one = await board();
    expect(one.sessions).toEqual([expect.objectContaining({ rank: 1, sessionId: w.a.sessionId, gmvFen: 38_400, orders: 1 })]);
    expect(one.brands).toEqual([expect.objectContaining({ rank: 1, brandOrgId: w.a.orgId, gmvFen: 38_400, orders: 1 })]);
    expect(first.totalFen + first.subsidyFen).toBe(38_400);
    // A second buyer's order: the board moves within its cache's second.
    const other = await newBuyer(server());
    await campaignOrder(server(), w, other);
    const two = await waitFor(async () => {
      const b = await board();
      return b.sessions[0]?.gmvFen === 76_800 ? b : null;
    }, 3000);
    expect(two.brands[0]).toMatchObject({ gmvFen: 76_800, orders: 2 });
    // Orders of a brand outside the campaign, outside its lives, count nowhere.
    const bOrder = await w.b.buyer.client.post('/api/orders', { items: [{ productId: w.b.butterfly.id, skuId: w.b.butterfly.skus[1]!.id, quantity: 1 }], sessionId: w.b.sessionId });
    await payInSandbox(server(), w.b.buyer.client, bOrder.json().order.id);
    const landing = (await server().client().get(`/api/campaigns/${w.campaign.id}`)).json();
    expect(landing.leaderboard.brands.map((x: { brandOrgId: string }) => x.brandOrgId)).toEqual([w.a.orgId]);
    expect(landing.leaderboard.sessions.map((x: { sessionId: string }) => x.sessionId)).toEqual([w.a.sessionId]);
    // The public list shows the campaign in warm-up.
    const list = (await server().client().get('/api/campaigns')).json().campaigns;
    expect(list.find((c: { id: string }) => c.id === w.campaign.id)).toMatchObject({ name: '五五购物节 2027', phase: 'warmup' });
  });
}, { listen: true, timeoutMs: 60_000, env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } });
