import type { Locale } from '../platform/errors.ts';
import type { Review } from './review.ts';

/**
 * A review as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese): the summary, one row
 * per product, the funnel and the per-minute curve, as sections separated by a blank line. Amounts
 * are yuan with two decimals (the JSON keeps fen). A cell that a spreadsheet would run as a formula
 * (=, +, -, @ first) is quoted with a leading apostrophe: product titles are other people's text.
 */
const yuan = (fen: number) => (fen / 100).toFixed(2);
const pct = (r: number) => `${(r * 100).toFixed(2)}%`;

export function cell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const LABELS = {
  'zh-CN': {
    summary: ['指标', '数值'],
    title: '直播标题', streamer: '主播', started: '开播时间', ended: '下播时间', duration: '时长（秒）',
    placed: '下单金额（元）', paid: '成交金额（元）', refunded: '退款金额（元）', net: '净成交金额（元）',
    ordersPlaced: '下单数', ordersPaid: '成交订单数', units: '成交件数', buyers: '成交人数', uv: '累计观看人数', peak: '最高在线',
    followers: '新增关注', likes: '点赞', comments: '评论', conversion: '转化率', gpm: 'GPM（元）', watch: '人均观看时长（秒）',
    couponOrders: '用券订单', couponDiscount: '优惠金额（元）',
    products: ['商品ID', '商品', '讲解时长（秒）', '点击次数', '点击人数', '成交订单', '成交件数', '成交金额（元）', '退款金额（元）', '点击转化率'],
    funnel: ['环节', '人数', '转化率'],
    steps: { view: '观看', click: '点击商品', order: '下单', paid: '支付' } as Record<string, string>,
    curve: ['分钟（UTC）', '成交金额（元）', '成交订单', '在线人数', '累计观看', '累计点赞', '累计评论'],
  },
  en: {
    summary: ['Figure', 'Value'],
    title: 'Title', streamer: 'Streamer', started: 'Started', ended: 'Ended', duration: 'Duration (s)',
    placed: 'GMV placed (CNY)', paid: 'GMV paid (CNY)', refunded: 'Refunded (CNY)', net: 'Net GMV (CNY)',
    ordersPlaced: 'Orders placed', ordersPaid: 'Orders paid', units: 'Units', buyers: 'Buyers', uv: 'Unique viewers', peak: 'Peak online',
    followers: 'New followers', likes: 'Likes', comments: 'Comments', conversion: 'Conversion', gpm: 'GPM (CNY)', watch: 'Average watch time (s)',
    couponOrders: 'Orders with a coupon', couponDiscount: 'Coupon discount (CNY)',
    products: ['Product ID', 'Product', 'Explained (s)', 'Clicks', 'Clickers', 'Orders', 'Units', 'GMV (CNY)', 'Refunded (CNY)', 'Click conversion'],
    funnel: ['Step', 'People', 'Rate'],
    steps: { view: 'Viewed', click: 'Clicked a product', order: 'Ordered', paid: 'Paid' } as Record<string, string>,
    curve: ['Minute (UTC)', 'GMV (CNY)', 'Orders', 'Online', 'Unique viewers', 'Likes', 'Comments'],
  },
} as const;

export function reviewCsv(review: Review, locale: Locale): string {
  const L = LABELS[locale];
  const f = review.figures;
  const lines: (string | number | null)[][] = [
    [...L.summary],
    [L.title, f.session.title],
    [L.streamer, f.session.streamer.name],
    [L.started, f.session.startedAt],
    [L.ended, f.session.endedAt],
    [L.duration, review.durationSeconds],
    [L.placed, yuan(f.gmv.placedFen)],
    [L.paid, yuan(f.gmv.paidFen)],
    [L.refunded, yuan(f.gmv.refundedFen)],
    [L.net, yuan(f.gmv.netFen)],
    [L.ordersPlaced, f.orders.placed],
    [L.ordersPaid, f.orders.paid],
    [L.units, f.units],
    [L.buyers, f.buyers],
    [L.uv, f.viewers.unique],
    [L.peak, f.viewers.peak],
    [L.followers, f.newFollowers],
    [L.likes, f.likes],
    [L.comments, f.comments],
    [L.conversion, pct(f.conversion)],
    [L.gpm, yuan(f.gpmFen)],
    [L.watch, f.avgWatchSeconds],
    [L.couponOrders, f.coupons.orders],
    [L.couponDiscount, yuan(f.coupons.discountFen)],
    [],
    [...L.products],
    ...review.products.map((p) => [p.productId, p.title, p.explainedSeconds, p.clicks, p.clickers, p.orders, p.units, yuan(p.gmvFen), yuan(p.refundedFen), pct(p.conversion)]),
    [],
    [...L.funnel],
    ...review.funnel.map((s) => [L.steps[s.step] ?? s.step, s.count, pct(s.rate)]),
    [],
    [...L.curve],
    ...f.curve.map((c) => [c.minute, yuan(c.gmvFen), c.orders, c.online, c.uv, c.likes, c.comments]),
  ];
  return `\uFEFF${lines.map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`;
}
