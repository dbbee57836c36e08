import { orderPayload } from '../commerce/views.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import type { OrdersTable } from '../platform/db-types.ts';
import { newId } from '../platform/ids.ts';
import type { OrderRowFields } from '../commerce/order-rows.ts';

type DemoProduct = { id: string; skuIds: string[]; prices: number[] };
type NewOrderRow = (fields: OrderRowFields) => OrdersTable;

export const DEMO_REVIEW_TITLE = '德兴斋年货节专场（复盘示例）';
const MINUTES = 120;
const BUYERS = 36;

/** A small deterministic generator, so every demo database shows the same live. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * The live numbers in the demo (docs/ANALYTICS.md): 小林说吃's two-hour 年货节 live for 德兴斋, ended
 * yesterday, with its per-minute samples (viewers, likes, comments), the chat, products explained in
 * turn, a flash sale and a coupon drop, viewers opening product cards, and the orders its fans placed
 * and paid (one refunded in part), recorded with their business events like any other order. The
 * streamer, the brand, the MCN and the operator open its review; `npm run demo:live` gives a big
 * screen that moves.
 */
export async function seedAnalyticsDemo(
  db: Db,
  clock: Clock,
  input: { streamerId: string; brandOrgId: string; products: DemoProduct[]; passwordHash: string; newOrderRow: NewOrderRow },
) {
  const rnd = random(20261212);
  const now = clock.now().getTime();
  const start = now - 26 * 3600_000;
  const at = (minute: number, second = 0) => new Date(start + minute * 60_000 + second * 1000).toISOString();
  const sessionId = newId();
  const [mooncake, butterfly, rice] = input.products;
  if (!mooncake || !butterfly || !rice) return;

  await db
    .insertInto('live_sessions')
    .values({ id: sessionId, streamer_id: input.streamerId, brand_org_id: input.brandOrgId, title: DEMO_REVIEW_TITLE, cover_url: null, status: 'ended', scheduled_at: at(0), started_at: at(0), ended_at: at(MINUTES), created_at: at(-1440), peak_viewers: 1862, ended_reason: 'streamer_ended' })
    .execute();
  await db
    .insertInto('session_products')
    .values(input.products.map((p, i) => ({ session_id: sessionId, product_id: p.id, link: i + 1, live_prices: '{}', added_at: at(-60), commission_bps: 2000 })))
    .execute();

  // Explained in turn: 鲜肉月饼, 蝴蝶酥 (with its flash sale), 八宝饭, then 月饼 again for the last hour's latecomers.
  const pins: [DemoProduct, number, number][] = [
    [mooncake, 2, 26],
    [butterfly, 28, 56],
    [rice, 60, 82],
    [mooncake, 86, 116],
  ];
  await db.insertInto('live_pins').values(pins.map(([p, from, to]) => ({ id: newId(), session_id: sessionId, product_id: p.id, pinned_at: at(from), unpinned_at: at(to), pinned_by: input.streamerId }))).execute();
  await db
    .insertInto('flash_sales')
    .values({ id: newId(), session_id: sessionId, product_id: butterfly.id, sku_id: butterfly.skuIds[0]!, price_fen: 990, stock: 200, remaining: 0, per_user_limit: 1, starts_at: at(40), ends_at: at(45), settled: 1, created_by: input.streamerId, created_at: at(39) })
    .execute();
  const couponId = newId();
  await db
    .insertInto('coupons')
    .values({ id: couponId, brand_org_id: input.brandOrgId, session_id: sessionId, drop_id: null, title: '年货节直播间 10 元券', kind: 'amount', amount_off_fen: 1000, threshold_fen: 5000, percent_off: null, cap_fen: null, scope: 'brand', product_ids: '[]', starts_at: at(64), ends_at: at(64 + 1440), per_user_limit: 1, total: 300, issued: 212, created_at: at(64) })
    .execute();

  // The fans who bought.
  const buyers = Array.from({ length: BUYERS }, () => newId());
  await db
    .insertInto('users')
    .values(
      buyers.map((id, i) => {
        const n = String(i + 1).padStart(2, '0');
        return { id, phone: null, email: `fan${n}@demo.zhibo.local`, password_hash: input.passwordHash, display_name: `年货节粉丝${n}`, platform_role: 'viewer' as const, locale: 'zh-CN' as const, failed_logins: 0, locked_until: null, created_at: at(-2000), updated_at: at(-2000) };
      }),
    )
    .execute();

  // The room, minute by minute: viewers arrive, peak around the flash sale, thin out at the end.
  let uv = 0;
  let likes = 0;
  let comments = 0;
  const chat: { minute: number; user: string }[] = [];
  const minutes = [];
  for (let m = 0; m < MINUTES; m++) {
    const shape = Math.min(1, m / 25) * (m < 90 ? 1 : 1 - (m - 90) / 45);
    const flash = m >= 38 && m < 46 ? 0.35 : 0;
    const online = Math.round(1380 * (shape + flash) + 60 + rnd() * 80);
    uv += Math.round(online * 0.09 + rnd() * 20);
    likes += Math.round(online * (0.25 + rnd() * 0.2));
    const said = Math.round(1 + rnd() * 3 + (flash ? 3 : 0));
    for (let k = 0; k < said; k++) chat.push({ minute: m, user: buyers[Math.floor(rnd() * buyers.length)]! });
    comments += said;
    minutes.push({ session_id: sessionId, minute: at(m).slice(0, 16), online_max: online + Math.round(rnd() * 40), online_sum: online * 12, samples: 12, uv, likes, comments });
  }
  await db.insertInto('live_minutes').values(minutes).execute();
  const LINES = ['月饼还有吗', '蝴蝶酥好吃！', '已下单', '主播讲讲保质期', '包邮吗', '八宝饭冷链几天到', '买了三盒送人', '年货节冲冲冲'];
  for (let i = 0; i < chat.length; i += 200) {
    await db
      .insertInto('chat_messages')
      .values(chat.slice(i, i + 200).map((c, k) => ({ id: newId(), session_id: sessionId, user_id: c.user, text: LINES[(i + k) % LINES.length]!, original_text: null, status: 'shown' as const, created_at: at(c.minute, Math.floor(rnd() * 59)) })))
      .execute();
  }

  // Viewers who opened a product's card: anonymous ones, and every buyer of it.
  const clicks: { session_id: string; product_id: string; visitor_id: string; clicks: number; first_at: string }[] = [];
  const clicked = new Set<string>();
  const click = (product: DemoProduct, visitor: string, minute: number) => {
    const key = `${product.id}|${visitor}`;
    if (clicked.has(key)) return;
    clicked.add(key);
    clicks.push({ session_id: sessionId, product_id: product.id, visitor_id: visitor, clicks: 1 + Math.floor(rnd() * 3), first_at: at(minute, 5) });
  };
  for (const [p, from, to] of pins) for (let v = 0; v < (to - from) * 9; v++) click(p, `anon:demo${Math.floor(rnd() * 4000)}`, from + Math.floor(rnd() * (to - from)));

  // Orders: mostly for the product being explained, paid a minute or two after it was placed.
  const address = JSON.stringify({ name: '王小明', phone: '13912345678', region: '上海市 静安区', detail: '南京西路 1 号' });
  let refunded = false;
  // One transaction for them all: a demo database is seeded in a blink on PostgreSQL too.
  await db.transaction().execute(async (trx) => {
    for (let k = 0; k < 88; k++) {
      const [product, from, to] = pins[Math.floor(rnd() * pins.length)]!;
      const minute = from + Math.floor(rnd() * (to - from));
      const buyer = buyers[Math.floor(rnd() * buyers.length)]!;
      click(product, buyer, minute);
      const si = Math.floor(rnd() * product.skuIds.length);
      const quantity = 1 + Math.floor(rnd() * 3);
      const unit = product.prices[si]!;
      const items = unit * quantity;
      const withCoupon = minute >= 64 && k % 5 === 0 && items > 5000;
      const discount = withCoupon ? 1000 : 0;
      const orderId = newId();
      const itemId = newId();
      const paidAt = at(minute, 40);
      const row: OrdersTable = {
        ...input.newOrderRow({ id: orderId, buyer_id: buyer, brand_org_id: input.brandOrgId, session_id: sessionId, flash_sale_id: null, items_total_fen: items, discount_fen: discount, shipping_fen: 0, total_fen: items - discount, user_coupon_id: null, coupon_title: withCoupon ? '年货节直播间 10 元券' : null, address, confirmed_no_return: 1, idempotency_key: null, request_hash: null }),
        status: 'paid',
        pay_deadline: at(minute + 15),
        paid_at: paidAt,
        created_at: at(minute, 10),
        updated_at: paidAt,
      };
      const item = { id: itemId, order_id: orderId, product_id: product.id, sku_id: product.skuIds[si]!, title: '', spec: '{}', image: null, unit_price_fen: unit, quantity, paid_fen: items - discount, refunded_fen: 0, return_policy: 'standard' as const };
      const refund = !refunded && product === butterfly && quantity > 1 ? unit : 0;
      if (refund) refunded = true;
      const p = await trx.selectFrom('products').select(['title', 'return_policy']).where('id', '=', product.id).executeTakeFirstOrThrow();
      if (withCoupon) {
        const userCouponId = newId();
        await trx.insertInto('user_coupons').values({ id: userCouponId, coupon_id: couponId, user_id: buyer, status: 'used', order_id: orderId, claimed_at: at(64, 30), used_at: paidAt }).execute();
        row.user_coupon_id = userCouponId;
      }
      await trx.insertInto('orders').values({ ...row, refunded_fen: refund }).execute();
      await trx.insertInto('order_items').values({ ...item, title: p.title, return_policy: p.return_policy, refunded_fen: refund }).execute();
      const events = [{ id: newId(), type: 'order.paid', subject_id: orderId, payload: JSON.stringify(orderPayload(row, [item])), occurred_at: paidAt }];
      if (refund) {
        const refundAt = at(minute + 20);
        events.push({ id: newId(), type: 'order.refunded', subject_id: orderId, payload: JSON.stringify({ ...orderPayload({ ...row, refunded_fen: refund }), afterSaleId: null, kind: 'refund_only', itemId, amountFen: refund }), occurred_at: refundAt });
      }
      await trx.insertInto('business_events').values(events).execute();
    }
  });
  // Two orders placed and never paid: placed GMV is more than paid.
  for (let k = 0; k < 2; k++) {
    const unit = mooncake.prices[0]!;
    await db
      .insertInto('orders')
      .values({ ...input.newOrderRow({ id: newId(), buyer_id: buyers[k]!, brand_org_id: input.brandOrgId, session_id: sessionId, flash_sale_id: null, items_total_fen: unit, discount_fen: 0, shipping_fen: 0, total_fen: unit, user_coupon_id: null, coupon_title: null, address, confirmed_no_return: 1, idempotency_key: null, request_hash: null }), status: 'cancelled', pay_deadline: at(100), cancelled_at: at(100), cancel_reason: 'timeout', created_at: at(85), updated_at: at(100) })
      .execute();
  }
  for (let i = 0; i < clicks.length; i += 300) await db.insertInto('live_product_clicks').values(clicks.slice(i, i + 300)).execute();
}
