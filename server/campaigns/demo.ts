import type { Services } from '../app.ts';
import { orderPayload } from '../commerce/views.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';

const DAY = 86_400_000;
/** 2027-05-01 00:00 and 2027-06-01 00:00 in Shanghai (UTC+8): the festival's month. */
const FESTIVAL_START = '2027-04-30T16:00:00.000Z';
const FESTIVAL_END = '2027-05-31T16:00:00.000Z';

/**
 * 五五购物节 2027 (docs/CAMPAIGNS.md "Demo"): the demo brands, the lives passed in, a warm-up live held
 * yesterday with a few orders (some with the shared coupon, so the platform's subsidy and the
 * leaderboard have figures), and the shared 满300减30 coupon. The festival runs through May 2027; its
 * warm-up (预热) began a week before the seed, so a newcomer today sees it on the home page, claims the
 * coupon and buys. Once the clock is past April 2027 the dates move with it (starting tomorrow, 31 days).
 */
export async function seedCampaignDemo(
  services: Services,
  db: Db,
  clock: Clock,
  input: { operatorId: string; brandOrgIds: string[]; sessionIds: string[]; streamerIds: string[]; passwordHash: string },
) {
  const now = clock.now();
  const ago = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
  const startsAt = now.toISOString() < FESTIVAL_START ? FESTIVAL_START : new Date(now.getTime() + DAY).toISOString();
  const endsAt = now.toISOString() < FESTIVAL_START ? FESTIVAL_END : new Date(now.getTime() + 32 * DAY).toISOString();
  const operator = { id: input.operatorId } as Parameters<Services['campaigns']['create']>[0];

  // A warm-up live per brand, held yesterday, whose orders start the leaderboard.
  const warmups: { sessionId: string; brandOrgId: string }[] = [];
  for (const [i, brandOrgId] of input.brandOrgIds.slice(0, 2).entries()) {
    const streamerId = input.streamerIds[i % input.streamerIds.length]!;
    const sessionId = newId();
    const title = i === 0 ? '五五购物节预热 · 老字号糕点专场（回放）' : '五五购物节预热 · 国货美妆专场（回放）';
    await db.insertInto('live_sessions').values({ id: sessionId, streamer_id: streamerId, brand_org_id: brandOrgId, title, cover_url: null, status: 'ended', scheduled_at: ago(1), started_at: ago(1), ended_at: ago(1), created_at: ago(2) }).execute();
    const products = await db.selectFrom('products').select(['id']).where('brand_org_id', '=', brandOrgId).where('status', '=', 'on_sale').orderBy('created_at').limit(3).execute();
    if (products.length) await db.insertInto('session_products').values(products.map((p, k) => ({ session_id: sessionId, product_id: p.id, link: k + 1, live_prices: '{}', added_at: ago(2), commission_bps: 2000 }))).execute();
    warmups.push({ sessionId, brandOrgId });
  }

  // The brands of the lives passed in take part too (a live of a brand outside a campaign cannot join it).
  const sessionIds = [...new Set([...warmups.map((w) => w.sessionId), ...input.sessionIds])];
  const sessionBrands = sessionIds.length ? await db.selectFrom('live_sessions').select('brand_org_id').where('id', 'in', sessionIds).execute() : [];
  const brandOrgIds = [...new Set([...input.brandOrgIds, ...sessionBrands.map((s) => s.brand_org_id).filter((b): b is string => b !== null)])];
  const campaign = await services.campaigns.create(operator, {
    name: '五五购物节 2027',
    theme: '上海“五五购物节”：老字号与国货新品直播首发，跨品牌满300减30平台补贴券，实时战报。',
    bannerUrl: undefined,
    coverUrl: undefined,
    warmupAt: ago(7),
    startsAt,
    endsAt,
    brandOrgIds,
    sessionIds,
  });
  const coupon = await services.campaigns.createCoupon(campaign.id, { title: '五五节满300减30', kind: 'threshold', thresholdFen: 30_000, amountOffFen: 3000, perUserLimit: 2, total: 100_000 });

  // Three shoppers' warm-up orders: paid, in the warm-up lives; two used the shared coupon (a platform subsidy).
  const address = JSON.stringify({ name: '李华', phone: '13912340000', region: '上海市 黄浦区', detail: '南京东路 100 号' });
  const buyers: string[] = [];
  for (const [k, name] of ['五五节买家·李华', '五五节买家·张悦', '五五节买家·陈晨'].entries()) {
    const id = newId();
    await db.insertInto('users').values({ id, phone: null, email: `festival-buyer-${k + 1}@zhibo.local`, password_hash: input.passwordHash, display_name: name, platform_role: 'viewer', locale: 'zh-CN', failed_logins: 0, locked_until: null, created_at: ago(8), updated_at: ago(8) }).execute();
    buyers.push(id);
  }
  const plan: { warmup: number; buyer: number; quantity: number; coupon: boolean; hoursAgo: number }[] = [
    { warmup: 0, buyer: 0, quantity: 3, coupon: true, hoursAgo: 26 },
    { warmup: 0, buyer: 1, quantity: 1, coupon: false, hoursAgo: 25 },
    { warmup: 1, buyer: 2, quantity: 2, coupon: true, hoursAgo: 25 },
  ];
  for (const p of plan) {
    const w = warmups[p.warmup];
    if (!w) continue;
    const sku = await db.selectFrom('skus').innerJoin('products', 'products.id', 'skus.product_id').select(['skus.id', 'skus.price_fen', 'skus.spec', 'products.id as product_id', 'products.title', 'products.return_policy']).where('products.brand_org_id', '=', w.brandOrgId).orderBy('skus.price_fen', 'desc').executeTakeFirst();
    if (!sku) continue;
    const items = Number(sku.price_fen) * p.quantity;
    const discount = p.coupon && items >= 30_000 ? 3000 : 0;
    const paidAt = new Date(now.getTime() - p.hoursAgo * 3_600_000).toISOString();
    const userCouponId = discount ? newId() : null;
    const row = {
      ...services.commerce.orders.newOrderRow({ id: newId(), buyer_id: buyers[p.buyer]!, brand_org_id: w.brandOrgId, session_id: w.sessionId, flash_sale_id: null, items_total_fen: items, discount_fen: discount, shipping_fen: 0, total_fen: items - discount, user_coupon_id: userCouponId, coupon_title: discount ? coupon.title : null, address, confirmed_no_return: 1, idempotency_key: null, request_hash: null, subsidy_fen: discount }),
      status: 'paid' as const,
      pay_deadline: paidAt,
      paid_at: paidAt,
      created_at: paidAt,
      updated_at: paidAt,
    };
    const item = { id: newId(), order_id: row.id, product_id: sku.product_id, sku_id: sku.id, title: sku.title, spec: sku.spec, image: null, unit_price_fen: Number(sku.price_fen), quantity: p.quantity, paid_fen: items - discount, refunded_fen: 0, return_policy: sku.return_policy };
    await db.transaction().execute(async (trx) => {
      if (userCouponId) {
        await trx.updateTable('coupons').set((eb) => ({ issued: eb('issued', '+', 1) })).where('id', '=', coupon.id).execute();
        await trx.insertInto('user_coupons').values({ id: userCouponId, coupon_id: coupon.id, user_id: row.buyer_id, status: 'used', order_id: row.id, claimed_at: ago(3), used_at: paidAt }).execute();
      }
      await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '-', p.quantity) })).where('id', '=', sku.id).where('stock', '>=', p.quantity).execute();
      await trx.insertInto('orders').values(row).execute();
      await trx.insertInto('order_items').values(item).execute();
      await trx.insertInto('business_events').values({ id: newId(), type: 'order.paid', subject_id: row.id, payload: JSON.stringify(orderPayload(row, [item])), occurred_at: paidAt }).execute();
    });
  }
  await services.events.drain();
  return { campaignId: campaign.id, couponId: coupon.id };
}
