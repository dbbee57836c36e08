import { describe, expect, it } from 'vitest';
import { checkCommissionBps } from './schema.ts';
import { allocate, applyBps, clawbackTransfer, paidTransfer, refundTransfer, settle, sumOf, withdrawalTransfer, type OrderTerms } from './postings.ts';

const base: OrderTerms = {
  orderId: 'o1',
  brandOrgId: 'b1',
  streamerId: 's1',
  mcnOrgId: 'm1',
  mcnSplitBps: 3000,
  platformFeeBps: 500,
  lines: [{ itemId: 'i1', productId: 'p1', paidFen: 10_000, refundedFen: 0, commissionBps: 2000 }],
  paidFen: 10_000,
  shippingFen: 0,
  refundedFen: 0,
  orderRefundedFen: 0,
};
const byAccount = (postings: { accountId: string; amountFen: number }[]) => Object.fromEntries(postings.map((p) => [p.accountId, p.amountFen]));

describe('ledger arithmetic (integer fen)', () => {
  it('rounds basis points half up, exactly, also beyond 2^53', () => {
    expect(applyBps(10_000, 2000)).toBe(2000);
    expect(applyBps(2, 2500)).toBe(1); // 0.5 → 1
    expect(applyBps(1, 4999)).toBe(0); // 0.4999 → 0
    expect(applyBps(3333, 3000)).toBe(1000); // 999.9 → 1000
    expect(applyBps(100_000_000_000_000, 9000)).toBe(90_000_000_000_000); // product 9e17 > 2^53: BigInt path
    expect(() => applyBps(-1, 100)).toThrow();
  });

  it('splits by largest remainder so the parts sum to the whole', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(3000, [7500, 1400, 600, 500])).toEqual([2250, 420, 180, 150]);
    expect(allocate(3000, [6500, 1400, 600, 500])).toEqual([2167, 467, 200, 166]);
    expect(allocate(1, [7000, 1400, 600, 1000])).toEqual([1, 0, 0, 0]);
    expect(allocate(10, [0, 0])).toEqual([10, 0]);
    const parts = allocate(999_999_999_999, [333_333_333_333, 333_333_333_333, 333_333_333_334]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(999_999_999_999);
  });

  it('never settles the brand below nothing: per-line rounding of commission cannot take more than the order leaves', () => {
    // Ten lines of 5 fen at 90 % commission: each rounds 4.5 up to 5, so commission was all 50 fen, the fee
    // (10 %) 5 more, and the brand was posted −5 fen for a sale. The commission is capped at S − F.
    const lines = Array.from({ length: 10 }, (_, i) => ({ itemId: `i${i}`, productId: `p${i}`, paidFen: 5, refundedFen: 0, commissionBps: 9000 }));
    const s = settle({ ...base, platformFeeBps: 1000, lines, paidFen: 50 });
    expect(s.shares).toEqual({ brand: 0, streamer: 31, mcn: 14, fee: 5 });
    expect(s.commissionFen).toBe(45);
    expect(sumOf(s.transfer!.postings)).toBe(0);
    expect(Object.values(s.shares).every((v) => v >= 0)).toBe(true);
  });

  it('holds a cross-border order’s tax for customs: no fee or commission on it, and refunds before settlement take their part of it', () => {
    // ¥399.00 of milk powder + ¥10.00 shipping + ¥37.22 tax (docs/CROSSBORDER.md), sold in a streamer's live.
    const cb: OrderTerms = { ...base, lines: [{ itemId: 'i1', productId: 'p1', paidFen: 39_900, refundedFen: 0, commissionBps: 2000 }], paidFen: 44_622, shippingFen: 1000, taxFen: 3722 };
    const s = settle(cb);
    // E = 40,900; F = 5 % of it = 2,045; C = 20 % of 39,900 = 7,980; M = 30 % of C = 2,394.
    expect(s.shares).toEqual({ brand: 40_900 - 7980 - 2045, streamer: 7980 - 2394, mcn: 2394, fee: 2045, tax: 3722 });
    expect(byAccount(s.transfer!.postings)).toMatchObject({ clearing: -44_622, 'platform:crossborder-tax': 3722, 'platform:fees': 2045 });
    expect(sumOf(s.transfer!.postings)).toBe(0);
    // ¥100.00 refunded before settlement, not tied to a line: spread over goods, shipping and tax by largest
    // remainder, 10,000 × (39,900, 1,000, 3,722) / 44,622 = 8,942, 224, 834.
    const r = settle({ ...cb, refundedFen: 10_000, orderRefundedFen: 10_000 });
    expect(r.lineNetFen).toEqual([39_900 - 8942]);
    expect(r.shares.tax).toBe(3722 - 834);
    expect(r.feeFen).toBe(1587); // 5 % of E = 34,622 − 2,888 = 31,734
    expect(Object.values(r.shares).reduce((a, b) => a + b, 0)).toBe(34_622);
    // An order without tax settles exactly as before, with no tax share.
    expect(settle(base).shares).toEqual({ brand: 7500, streamer: 1400, mcn: 600, fee: 500 });
  });

  it('the worked example: ¥100.00, 20 % commission, 30 % MCN split, 5 % fee', () => {
    expect(byAccount(paidTransfer('o1', 10_000, null).postings)).toEqual({ buyers: -10_000, clearing: 10_000 });
    const s = settle(base);
    // S = 10000; C = 2000; F = 500; M = 600
    expect(s).toMatchObject({ settleFen: 10_000, commissionFen: 2000, feeFen: 500, mcnFen: 600, shares: { brand: 7500, streamer: 1400, mcn: 600, fee: 500 } });
    expect(byAccount(s.transfer!.postings)).toEqual({ clearing: -10_000, 'brand:b1': 7500, 'streamer:s1': 1400, 'mcn:m1': 600, 'platform:fees': 500 });
    expect(s.transfer!.key).toBe('settle:o1');
    // ¥30.00 refunded after settlement: back in proportion 7500:1400:600:500
    const c = clawbackTransfer(base, s.shares, 0, 'as1', 3000, null);
    expect(byAccount(c.postings)).toEqual({ buyers: 3000, 'brand:b1': -2250, 'streamer:s1': -420, 'mcn:m1': -180, 'platform:fees': -150 });
    expect(sumOf(c.postings)).toBe(0);
    // the other ¥70.00 later: together exactly what each got
    const rest = clawbackTransfer(base, s.shares, 3000, 'as2', 7000, null);
    expect(byAccount(rest.postings)).toEqual({ buyers: 7000, 'brand:b1': -5250, 'streamer:s1': -980, 'mcn:m1': -420, 'platform:fees': -350 });
  });

  it('a refund before settlement comes out of clearing, and settlement takes what is left', () => {
    expect(byAccount(refundTransfer('o1', 'as1', 3000, null).postings)).toEqual({ clearing: -3000, buyers: 3000 });
    const s = settle({ ...base, refundedFen: 3000, lines: [{ ...base.lines[0]!, refundedFen: 3000 }] });
    // S = 7000; C = round(7000 × 20 %) = 1400; F = 350; M = 420
    expect(byAccount(s.transfer!.postings)).toEqual({ clearing: -7000, 'brand:b1': 5250, 'streamer:s1': 980, 'mcn:m1': 420, 'platform:fees': 350 });
  });

  it('spreads an order-level refund over lines and shipping; shipping earns no commission', () => {
    const terms: OrderTerms = {
      ...base,
      lines: [
        { itemId: 'i1', productId: 'p1', paidFen: 6100, refundedFen: 0, commissionBps: 2000 },
        { itemId: 'i2', productId: 'p2', paidFen: 3980, refundedFen: 1000, commissionBps: 1000 },
      ],
      shippingFen: 800,
      paidFen: 10_880,
      refundedFen: 1000 + 1001,
      orderRefundedFen: 1001,
    };
    const s = settle(terms);
    // left before the spread: 6100, 2980, 800 (Σ 9880); 1001 spread by largest remainder: 618, 302, 81
    expect(s.lineNetFen).toEqual([6100 - 618, 2980 - 302]);
    // C = round(5482 × 0.2) + round(2678 × 0.1) = 1096 + 268 = 1364; S = 8879; F = round(443.95) = 444; M = round(409.2) = 409
    expect(s).toMatchObject({ settleFen: 8879, commissionFen: 1364, feeFen: 444, mcnFen: 409 });
    expect(sumOf(s.transfer!.postings)).toBe(0);
    expect(byAccount(s.transfer!.postings)).toEqual({ clearing: -8879, 'brand:b1': 8879 - 1364 - 444, 'streamer:s1': 955, 'mcn:m1': 409, 'platform:fees': 444 });
  });

  it('no streamer: no commission; no MCN: the streamer keeps it; fully refunded: nothing to settle', () => {
    expect(byAccount(settle({ ...base, streamerId: null, mcnOrgId: null }).transfer!.postings)).toEqual({ clearing: -10_000, 'brand:b1': 9500, 'platform:fees': 500 });
    expect(byAccount(settle({ ...base, mcnOrgId: null }).transfer!.postings)).toEqual({ clearing: -10_000, 'brand:b1': 7500, 'streamer:s1': 2000, 'platform:fees': 500 });
    expect(settle({ ...base, refundedFen: 10_000, orderRefundedFen: 10_000 }).transfer).toBeNull();
  });

  it('withdrawals hold, pay out and reverse', () => {
    expect(byAccount(withdrawalTransfer('hold', 'w1', 'streamer:s1', 500).postings)).toEqual({ 'streamer:s1': -500, 'payouts:pending': 500 });
    expect(byAccount(withdrawalTransfer('paid', 'w1', 'streamer:s1', 500).postings)).toEqual({ 'payouts:pending': -500, payouts: 500 });
    expect(byAccount(withdrawalTransfer('reversed', 'w1', 'streamer:s1', 500).postings)).toEqual({ 'payouts:pending': -500, 'streamer:s1': 500 });
  });

  it('accepts commission rates of 0–9000 basis points only', () => {
    expect(checkCommissionBps(0)).toBe(0);
    expect(checkCommissionBps(9000)).toBe(9000);
    for (const bad of [-1, 9001, 12.5, '2000', null]) expect(() => checkCommissionBps(bad)).toThrow(expect.objectContaining({ code: 'COMMISSION_RATE_INVALID' }));
  });
});
