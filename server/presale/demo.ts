import type { Services } from '../app.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';

const DAY = 86_400_000;

/**
 * The 五五购物节 pre-sale (docs/PRESALE.md): 玉兰凝肌's gift box in its 五五购物节 warm-up live, ¥50 deposit
 * counting as ¥100 off a ¥399 final price (balance ¥299). The deposit window is open now, the balance
 * window opens in three days; the demo viewer has paid a deposit. Returns the live's id (the lead
 * attaches it to the 五五购物节 campaign).
 */
export async function seedPresaleDemo(services: Services, db: Db, clock: Clock, ids: { brandOrgId: string; brandUserId: string; viewerId: string; sessionId: string }): Promise<{ sessionId: string; presaleId: string }> {
  const now = clock.now().getTime();
  const iso = new Date(now).toISOString();
  const productId = newId();
  const skuId = newId();
  await services.catalog.insertProduct(
    { id: productId, brand_org_id: ids.brandOrgId, title: '玉兰凝肌五五焕亮礼盒', description: '焕亮精华液 30ml + 舒缓面霜 50g + 丝绒唇釉 #01，五五购物节限定礼盒。', category: '美妆/礼盒', images: '[]', return_policy: 'standard', status: 'on_sale', created_at: iso },
    [{ id: skuId, product_id: productId, spec: JSON.stringify({ 规格: '五五限定礼盒' }), price_fen: 49900, stock: 500, created_at: iso }],
  );
  const last = await db.selectFrom('session_products').select((eb) => eb.fn.max('link').as('link')).where('session_id', '=', ids.sessionId).executeTakeFirst();
  await db.insertInto('session_products').values({ session_id: ids.sessionId, product_id: productId, link: Number(last?.link ?? 0) + 1, live_prices: '{}', added_at: iso, commission_bps: 2000 }).execute();

  const brand = { id: ids.brandUserId, displayName: '', platformRole: 'viewer' as const, locale: 'zh-CN' as const, sessionId: '' };
  const presale = await services.presale.service.create(ids.brandOrgId, brand, {
    skuId,
    sessionId: ids.sessionId,
    title: '五五购物节 · 玉兰凝肌焕亮礼盒 定金预售',
    depositFen: 5000,
    expansionFen: 10000,
    finalPriceFen: 39900,
    depositStartsAt: new Date(now + 60_000).toISOString(),
    depositEndsAt: new Date(now + 3 * DAY).toISOString(),
    balanceStartsAt: new Date(now + 3 * DAY).toISOString(),
    balanceEndsAt: new Date(now + 5 * DAY).toISOString(),
    stock: 200,
    perBuyerLimit: 2,
    shipWithinDays: 5,
    rules: '1. 定金 ¥50 可抵 ¥100，尾款 ¥299。\n2. 定金支付后不退；商家未能履约（取消预售或尾款支付后 5 天内未发货）的，定金与尾款全额退还。\n3. 尾款未在尾款时间内支付的，订单关闭，定金不退。\n4. 礼盒拆封前享七天无理由退货（尾款订单）。',
  });
  // The deposit window has been open for a day (set up "yesterday").
  await db.updateTable('presales').set({ deposit_starts_at: new Date(now - DAY).toISOString(), created_at: new Date(now - DAY).toISOString() }).where('id', '=', presale.id).execute();

  // The demo viewer paid a deposit: an address, the deposit order, and its payment through the sandbox.
  const viewer = { id: ids.viewerId, displayName: '观众小王', platformRole: 'viewer' as const, locale: 'zh-CN' as const, sessionId: '' };
  const hasAddress = await db.selectFrom('addresses').select('id').where('user_id', '=', ids.viewerId).executeTakeFirst();
  if (!hasAddress) await db.insertInto('addresses').values({ id: newId(), user_id: ids.viewerId, name: '王小明', phone: '13900000001', region: '上海市 静安区', detail: '南京西路 1 号', is_default: 1, created_at: iso }).execute();
  const deposit = await services.presale.service.deposit(viewer, presale.id, { quantity: 1, acceptRules: true });
  const payment = await db.selectFrom('payments').selectAll().where('order_id', '=', deposit.orderId).executeTakeFirstOrThrow();
  // Paid on the sandbox cashier (so a later refund finds a paid trade), recorded at once rather than when its notification arrives.
  await services.commerce.sandbox.pay(payment.provider_trade_no!);
  await services.commerce.orders.settlePaid(payment, payment.provider_trade_no, iso, null);
  return { sessionId: ids.sessionId, presaleId: presale.id };
}
