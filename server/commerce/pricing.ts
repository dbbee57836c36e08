/** Pure price arithmetic, all in integer fen. */

export type CouponRule = {
  kind: 'amount' | 'threshold' | 'percent';
  amountOffFen: number | null;
  thresholdFen: number | null;
  percentOff: number | null;
  capFen: number | null;
};

export type PricedLine = { lineTotalFen: number; eligible: boolean };

/**
 * The discount a coupon gives on the eligible part of an order, or a reason it gives none.
 * The order's items total never drops below 1 fen.
 */
export function couponDiscount(rule: CouponRule, lines: PricedLine[]): { discountFen: number } | { refused: 'COUPON_OUT_OF_SCOPE' | 'COUPON_THRESHOLD_NOT_MET' } {
  const itemsTotal = lines.reduce((sum, l) => sum + l.lineTotalFen, 0);
  const eligible = lines.filter((l) => l.eligible).reduce((sum, l) => sum + l.lineTotalFen, 0);
  if (eligible === 0) return { refused: 'COUPON_OUT_OF_SCOPE' };
  let off: number;
  if (rule.kind === 'amount') off = rule.amountOffFen ?? 0;
  else if (rule.kind === 'threshold') {
    if (eligible < (rule.thresholdFen ?? 0)) return { refused: 'COUPON_THRESHOLD_NOT_MET' };
    off = rule.amountOffFen ?? 0;
  } else {
    off = Math.floor((eligible * (rule.percentOff ?? 0)) / 100);
    if (rule.capFen !== null) off = Math.min(off, rule.capFen);
  }
  return { discountFen: Math.max(0, Math.min(off, eligible, itemsTotal - 1)) };
}

export function shippingFee(rule: { baseFeeFen: number; freeOverFen: number | null } | null, payableItemsFen: number): number {
  if (!rule) return 0;
  if (rule.freeOverFen !== null && payableItemsFen >= rule.freeOverFen) return 0;
  return rule.baseFeeFen;
}

/**
 * Spreads a discount over lines in proportion to their totals (largest remainder), so every
 * line knows what the buyer paid for it: the basis for partial refunds.
 */
export function allocatePaid(lineTotals: number[], discountFen: number): number[] {
  const total = lineTotals.reduce((a, b) => a + b, 0);
  if (total === 0 || discountFen === 0) return [...lineTotals];
  const shares = lineTotals.map((t) => (t * discountFen) / total);
  const floors = shares.map(Math.floor);
  let left = discountFen - floors.reduce((a, b) => a + b, 0);
  const order = shares.map((s, i) => ({ i, r: s - Math.floor(s) })).sort((a, b) => b.r - a.r);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return lineTotals.map((t, i) => t - floors[i]!);
}

/**
 * A 秒杀 priced above the SKU's own price would show in the room as a higher 秒杀 price over a
 * struck-through lower one: refused, naming the SKU's price in yuan. The full price is allowed (a
 * launch sells its first release as a flash sale, at the SKU's price unless told otherwise).
 */
export function flashPriceRefusal(priceFen: number, skuPriceFen: number): { refused: 'FLASH_PRICE_ABOVE_PRICE'; params: { price: string } } | null {
  return priceFen > skuPriceFen ? { refused: 'FLASH_PRICE_ABOVE_PRICE', params: { price: (skuPriceFen / 100).toFixed(2) } } : null;
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/**
 * 七天无理由: seven days counted from the day after delivery, ending 23:59:59.999 China time on
 * the seventh day.
 */
export function returnDeadline(deliveredAt: Date): Date {
  const local = new Date(deliveredAt.getTime() + CHINA_OFFSET_MS);
  const endLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 8) - 1;
  return new Date(endLocal - CHINA_OFFSET_MS);
}
