import { describe, expect, it } from 'vitest';
import { allocatePaid, couponDiscount, returnDeadline, shippingFee } from './pricing.ts';

const line = (lineTotalFen: number, eligible = true) => ({ lineTotalFen, eligible });

describe('pricing', () => {
  it('takes an amount off, never below 1 fen', () => {
    expect(couponDiscount({ kind: 'amount', amountOffFen: 500, thresholdFen: null, percentOff: null, capFen: null }, [line(3000)])).toEqual({ discountFen: 500 });
    expect(couponDiscount({ kind: 'amount', amountOffFen: 5000, thresholdFen: null, percentOff: null, capFen: null }, [line(3000)])).toEqual({ discountFen: 2999 });
  });

  it('applies 满减 only at the threshold, counting only eligible lines', () => {
    const rule = { kind: 'threshold' as const, amountOffFen: 2000, thresholdFen: 10000, percentOff: null, capFen: null };
    expect(couponDiscount(rule, [line(9999), line(5000, false)])).toEqual({ refused: 'COUPON_THRESHOLD_NOT_MET' });
    expect(couponDiscount(rule, [line(10000), line(5000, false)])).toEqual({ discountFen: 2000 });
    expect(couponDiscount(rule, [line(10000, false)])).toEqual({ refused: 'COUPON_OUT_OF_SCOPE' });
  });

  it('caps a percentage and rounds down to the fen', () => {
    const rule = { kind: 'percent' as const, amountOffFen: null, thresholdFen: null, percentOff: 15, capFen: 1000 };
    expect(couponDiscount(rule, [line(3333)])).toEqual({ discountFen: 499 });
    expect(couponDiscount(rule, [line(100000)])).toEqual({ discountFen: 1000 });
  });

  it('waives shipping from the threshold', () => {
    expect(shippingFee({ baseFeeFen: 800, freeOverFen: 9900 }, 9899)).toBe(800);
    expect(shippingFee({ baseFeeFen: 800, freeOverFen: 9900 }, 9900)).toBe(0);
    expect(shippingFee(null, 1)).toBe(0);
  });

  it('spreads a discount over lines to the fen', () => {
    const paid = allocatePaid([1000, 2000, 3001], 1000);
    expect(paid.reduce((a, b) => a + b, 0)).toBe(5001);
    expect(paid).toEqual([833, 1667, 2501]);
  });

  it('ends the seven-day window at 23:59:59 China time on the seventh day after delivery', () => {
    // Delivered 2026-11-01 23:30 China time (15:30 UTC): the days are 11-02 … 11-08.
    expect(returnDeadline(new Date('2026-11-01T15:30:00Z')).toISOString()).toBe('2026-11-08T15:59:59.999Z');
    // Delivered 2026-11-02 00:10 China time (11-01 16:10 UTC): the days are 11-03 … 11-09.
    expect(returnDeadline(new Date('2026-11-01T16:10:00Z')).toISOString()).toBe('2026-11-09T15:59:59.999Z');
  });
});
