import type { Services } from '../app.ts';
import { createAccountsStore } from '../accounts/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';
import { chinaTime } from './rules.ts';
import { withVoucherTables } from './store.ts';

/** The demo store staff account (password: the demo password), bound to 德兴斋's two stores. */
export const DEMO_STORE_STAFF = { login: '13600000001', name: '德兴斋·店员小李' } as const;

const DAY = 86_400_000;

/**
 * 直播+生活服务 in the demo (docs/VOUCHERS.md): 德兴斋 has two Shanghai stores and a store staff
 * account; its 本帮面馆双人套餐 voucher is in 小林说吃's first live; the demo viewer bought two, one
 * redeemed yesterday at 静安店 and one unused. 玉兰凝肌 announces its 全球首店 on 淮海中路 with a
 * free in-store gift, linked to its 唇釉 launch live.
 */
export async function seedVouchersDemo(
  services: Services,
  db: Db,
  clock: Clock,
  ids: { foodBrand: string; foodBrandUser: string; beautyBrand: string; viewerId: string; passwordHash: string },
) {
  const v = services.vouchers.service;
  const now = clock.now();
  const iso = now.toISOString();
  await createAccountsStore(db).insertUser({
    id: newId(),
    phone: DEMO_STORE_STAFF.login,
    email: null,
    password_hash: ids.passwordHash,
    display_name: DEMO_STORE_STAFF.name,
    platform_role: 'viewer',
    locale: 'zh-CN',
    failed_logins: 0,
    locked_until: null,
    created_at: iso,
    updated_at: iso,
  });
  const jingan = await v.createStore(ids.foodBrand, { name: '德兴斋静安店', city: '上海', address: '静安区南京西路 1038 号' });
  const huangpu = await v.createStore(ids.foodBrand, { name: '德兴斋豫园店', city: '上海', address: '黄浦区福佑路 168 号' });
  for (const store of [jingan, huangpu]) await v.addStaff(ids.foodBrand, store.id, DEMO_STORE_STAFF.login, ids.foodBrandUser);
  // Valid from yesterday for 90 days, China-time midnights.
  const today = Date.parse(`${chinaTime(now).day}T00:00:00+08:00`);
  const meal = await v.createVoucher(ids.foodBrand, {
    title: '德兴斋本帮面馆双人套餐',
    description: '虾仁爆鳝面 ×2、红烧肉、油爆虾、酒酿圆子。到店出示券码核销，不另收服务费。',
    category: 'set_meal',
    priceFen: 16_800,
    stock: 500,
    validFrom: new Date(today - DAY).toISOString(),
    validTo: new Date(today + 90 * DAY).toISOString(),
    storeIds: [jingan.id, huangpu.id],
    days: [1, 2, 3, 4, 5, 6, 7],
    slots: [
      { from: '11:00', to: '14:00' },
      { from: '17:00', to: '21:00' },
    ],
  });
  // In 小林说吃's first 德兴斋 live, at a live price.
  const live = await db.selectFrom('live_sessions').select('id').where('brand_org_id', '=', ids.foodBrand).orderBy('scheduled_at').executeTakeFirstOrThrow();
  const last = await db.selectFrom('session_products').select((eb) => eb.fn.max('link').as('link')).where('session_id', '=', live.id).executeTakeFirst();
  await db
    .insertInto('session_products')
    .values({ session_id: live.id, product_id: meal.productId, link: Number(last?.link ?? 0) + 1, live_prices: JSON.stringify({ [meal.skuId]: 12_800 }), added_at: iso, commission_bps: 1500 })
    .execute();

  // The demo viewer bought two in that live and paid in the sandbox.
  const viewer = { id: ids.viewerId, displayName: '观众小王', platformRole: 'viewer' as const, locale: 'zh-CN' as const, sessionId: '' };
  const { order } = await services.commerce.orders.create(viewer, { items: [{ productId: meal.productId, skuId: meal.skuId, quantity: 2 }], sessionId: live.id });
  await services.commerce.orders.pay(viewer, order.id);
  const payment = await db.selectFrom('payments').selectAll().where('order_id', '=', order.id).executeTakeFirstOrThrow();
  await services.commerce.sandbox.pay(payment.provider_trade_no!);
  await services.commerce.orders.settlePaid(payment, payment.provider_trade_no, iso, null);
  // One was redeemed yesterday at lunch at 静安店 (history for the console's report).
  const vdb = withVoucherTables(db);
  const [first] = await vdb.selectFrom('voucher_codes').select('id').where('order_id', '=', order.id).orderBy('id').execute();
  const yesterdayLunch = new Date(today - DAY + 12 * 3600_000);
  const staff = await db.selectFrom('users').select('id').where('phone', '=', DEMO_STORE_STAFF.login).executeTakeFirstOrThrow();
  await vdb
    .updateTable('voucher_codes')
    .set({ status: 'redeemed', redeemed_at: yesterdayLunch.toISOString(), redeemed_day: chinaTime(yesterdayLunch).day, redeemed_store_id: jingan.id, redeemed_by: staff.id })
    .where('id', '=', first!.id)
    .execute();

  // 首店: 玉兰凝肌's global first store, with a free in-store gift, linked to its 唇釉 launch live.
  const flagship = await v.createStore(ids.beautyBrand, { name: '玉兰凝肌淮海中路旗舰店', city: '上海', address: '黄浦区淮海中路 300 号' });
  const launch = await db.selectFrom('live_sessions').select('id').where('brand_org_id', '=', ids.beautyBrand).orderBy('scheduled_at', 'desc').executeTakeFirst();
  const opensOn = chinaTime(new Date(now.getTime() + 14 * DAY)).day;
  const firstStore = await services.vouchers.firstStores.create(ids.beautyBrand, {
    storeId: flagship.id,
    level: 'global',
    title: '玉兰凝肌全球首店 · 上海淮海中路',
    description: '品牌全球首家线下体验店：肌肤检测、白玉兰香氛工坊、唇釉新色首发专区。',
    opensOn,
    sessionId: launch?.id,
    coupon: { title: '到店礼：玉兰精华小样 + 肌肤检测', total: 500, validTo: new Date(Date.parse(`${opensOn}T00:00:00+08:00`) + 30 * DAY).toISOString(), days: [1, 2, 3, 4, 5, 6, 7], slots: [{ from: '10:00', to: '22:00' }], category: 'beauty' },
  });
  return { voucherProductId: meal.productId, orderId: order.id, stores: [jingan.id, huangpu.id], firstStoreId: firstStore.id, sessionId: live.id };
}
