/**
 * The ledger's arithmetic: pure functions from business facts to postings, in integer fen. No
 * floats touch money: rates are basis points, products stay below 2^53 (checked) or go through
 * BigInt, rounding is half-up on integers, and shares are split by largest remainder so they sum
 * to the whole exactly. Worked examples: server/ledger/postings.test.ts and docs/LEDGER.md.
 */
import type { LedgerAccountKind } from '../platform/db-types.ts';

export type Posting = { accountId: string; amountFen: number };
export type TransferKind = 'paid' | 'refund' | 'clawback' | 'settlement' | 'withdrawal_hold' | 'withdrawal_paid' | 'withdrawal_reversed'
  // cooperation (server/cooperation): sample deposits and slot fees, between party accounts
  | 'sample_deposit' | 'sample_deposit_refund' | 'slot_fee' | 'slot_fee_refund'
  // origin certification (server/origin, docs/ORIGIN.md): the producer's proceeds, brand → producer, at settlement
  | 'origin_proceeds'
  // live-streaming bases (server/bases, docs/BASES.md): studio time and late-cancellation fees, booker → base; refunds of them, base → booker
  | 'studio_fee' | 'studio_cancel_fee' | 'studio_refund';
export type PlannedTransfer = { key: string; kind: TransferKind; orderId: string | null; eventId: string | null; memo: string; postings: Posting[] };

export const ACCOUNTS = {
  buyers: 'buyers',
  clearing: 'clearing',
  platformFees: 'platform:fees',
  /** What the platform pays out in campaign subsidies (docs/CAMPAIGNS.md): debited at payment, credited back by refunds. */
  platformSubsidies: 'platform:subsidies',
  /**
   * Cross-border tax the buyers paid with their orders (docs/CROSSBORDER.md), held by the platform as the withholding
   * agent (代收代缴) until it is paid to customs: credited at settlement, debited back by refunds after it.
   */
  crossborderTax: 'platform:crossborder-tax',
  payoutsPending: 'payouts:pending',
  payouts: 'payouts',
  brand: (orgId: string) => `brand:${orgId}`,
  streamer: (userId: string) => `streamer:${userId}`,
  mcn: (orgId: string) => `mcn:${orgId}`,
  /** A certified producer of poverty-alleviation products (docs/ORIGIN.md): its proceeds. */
  producer: (producerId: string) => `producer:${producerId}`,
  /** A live-streaming base (docs/BASES.md): its studio income, paid by the bookers. */
  base: (orgId: string) => `base:${orgId}`,
} as const;

/** The kind and owner of an account code. */
export function describeAccount(id: string): { kind: LedgerAccountKind; ownerId: string | null } {
  const colon = id.indexOf(':');
  const prefix = colon < 0 ? id : id.slice(0, colon);
  const rest = colon < 0 ? null : id.slice(colon + 1);
  switch (prefix) {
    case 'brand':
    case 'streamer':
    case 'mcn':
    case 'producer':
    case 'base':
      return { kind: prefix, ownerId: rest };
    case 'platform':
      return { kind: rest === 'subsidies' ? 'platform_subsidies' : rest === 'crossborder-tax' ? 'platform_tax' : 'platform_fees', ownerId: null };
    case 'payouts':
      return { kind: rest === 'pending' ? 'payouts_pending' : 'payouts', ownerId: null };
    case 'buyers':
    case 'clearing':
      return { kind: prefix, ownerId: null };
    default:
      throw new Error(`unknown ledger account ${id}`);
  }
}

const BPS = 10_000;

/** round(amount × bps / 10000), half up, for amount ≥ 0 and bps ≥ 0, exactly. */
export function applyBps(amountFen: number, bps: number): number {
  if (!Number.isSafeInteger(amountFen) || !Number.isInteger(bps) || amountFen < 0 || bps < 0) throw new Error(`applyBps: bad input ${amountFen} × ${bps}`);
  const product = amountFen * bps;
  if (Number.isSafeInteger(product + 5000)) return Math.floor((product + 5000) / BPS);
  return Number((BigInt(amountFen) * BigInt(bps) + 5000n) / 10_000n);
}

/**
 * Splits `total` in proportion to `weights` (integers, summing to a positive number), by largest
 * remainder: each gets floor(total × w / Σw), and the fen left over go one each to the largest
 * remainders (ties to the earlier weight). The parts sum to `total` exactly.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(total) || !Number.isSafeInteger(sum)) throw new Error('allocate: amounts out of range');
  if (weights.length === 0) return [];
  if (sum === 0) {
    // Nothing to weigh by: all of it to the first.
    return weights.map((_, i) => (i === 0 ? total : 0));
  }
  const T = BigInt(total);
  const S = BigInt(sum);
  const sign = S < 0n ? -1n : 1n;
  const parts: bigint[] = [];
  const remainders: bigint[] = [];
  for (const w of weights) {
    const num = T * BigInt(w) * sign;
    const den = S * sign;
    // floor division for signed numerators
    let q = num / den;
    if (num % den !== 0n && num < 0n) q -= 1n;
    parts.push(q);
    remainders.push(num - q * den);
  }
  let left = T - parts.reduce((a, b) => a + b, 0n);
  const order = weights.map((_, i) => i).sort((a, b) => (remainders[b]! > remainders[a]! ? 1 : remainders[b]! < remainders[a]! ? -1 : a - b));
  for (let k = 0; left > 0n; k = (k + 1) % order.length, left--) parts[order[k]!]! += 1n;
  for (let k = 0; left < 0n; k = (k + 1) % order.length, left++) parts[order[order.length - 1 - k]!]! -= 1n;
  return parts.map(Number);
}

/** A transfer's postings with the zero ones left out, one per account (summed). */
export function compact(postings: Posting[]): Posting[] {
  const byAccount = new Map<string, number>();
  for (const p of postings) byAccount.set(p.accountId, (byAccount.get(p.accountId) ?? 0) + p.amountFen);
  return [...byAccount].filter(([, amount]) => amount !== 0).map(([accountId, amountFen]) => ({ accountId, amountFen }));
}

export function sumOf(postings: readonly Posting[]): number {
  return postings.reduce((s, p) => s + p.amountFen, 0);
}

// --- the terms an order is paid under ---

export type LedgerLine = { itemId: string; productId: string; paidFen: number; refundedFen: number; commissionBps: number };

export type OrderTerms = {
  orderId: string;
  brandOrgId: string;
  streamerId: string | null;
  mcnOrgId: string | null;
  mcnSplitBps: number;
  platformFeeBps: number;
  lines: LedgerLine[];
  /** What the buyer paid: the lines plus shipping, plus a cross-border order's tax. */
  paidFen: number;
  shippingFen: number;
  /** A cross-border order's tax (in paidFen): held for customs, not the brand's, and no fee is taken from it. */
  taxFen?: number;
  /** Refunded so far, in all. */
  refundedFen: number;
  /** The part of refundedFen not tied to a line. */
  orderRefundedFen: number;
};

/** What settlement gave each party; `tax` (a cross-border order's, held for customs) is absent on orders without. */
export type Shares = { brand: number; streamer: number; mcn: number; fee: number; tax?: number };

// --- business events → postings ---

/**
 * order.paid (total T, platform subsidy D): buyers −T, platform:subsidies −D, clearing +(T + D). The
 * subsidy (a campaign coupon's discount) goes into clearing with what the buyer paid, so the order
 * settles as if the buyer had paid the undiscounted price.
 */
export function paidTransfer(orderId: string, totalFen: number, eventId: string | null, subsidyFen = 0): PlannedTransfer {
  return {
    key: `paid:${orderId}`,
    kind: 'paid',
    orderId,
    eventId,
    memo: subsidyFen ? '订单支付（含平台补贴）order paid, with platform subsidy' : '订单支付 order paid',
    postings: compact([
      { accountId: ACCOUNTS.buyers, amountFen: -totalFen },
      { accountId: ACCOUNTS.platformSubsidies, amountFen: -subsidyFen },
      { accountId: ACCOUNTS.clearing, amountFen: totalFen + subsidyFen },
    ]),
  };
}

/**
 * The part of an order's subsidy D a refund gives back to the platform. With T what the buyer paid and
 * B the buyer's refunds so far (this one included), the order keeps floor(D × (T − B) / T) of it (none
 * once B = T); a refund returns what the kept part falls by. Cumulative, so the parts sum to D exactly
 * when the order is refunded in full in several steps.
 */
export function subsidyReturned(subsidyFen: number, buyerPaidFen: number, buyerRefundedBeforeFen: number, refundFen: number): number {
  if (subsidyFen <= 0) return 0;
  const kept = (refunded: number) =>
    refunded >= buyerPaidFen || buyerPaidFen <= 0 ? 0 : Number((BigInt(subsidyFen) * BigInt(buyerPaidFen - refunded)) / BigInt(buyerPaidFen));
  return kept(buyerRefundedBeforeFen) - kept(buyerRefundedBeforeFen + refundFen);
}

/** order.refunded (R) before settlement: the money held in clearing goes back, and its part of the subsidy (Rs) to the platform. */
export function refundTransfer(orderId: string, afterSaleId: string, amountFen: number, eventId: string | null, subsidyFen = 0): PlannedTransfer {
  return {
    key: `refund:${afterSaleId}`,
    kind: 'refund',
    orderId,
    eventId,
    memo: '退款（结算前）refund before settlement',
    postings: compact([
      { accountId: ACCOUNTS.clearing, amountFen: -(amountFen + subsidyFen) },
      { accountId: ACCOUNTS.buyers, amountFen },
      { accountId: ACCOUNTS.platformSubsidies, amountFen: subsidyFen },
    ]),
  };
}

/**
 * order.refunded (R) after settlement: R comes back from the brand, the streamer, the MCN and the
 * platform in proportion to what each got at settlement. Cumulative: with `before` already clawed
 * back on this order, this refund takes share(before + R) − share(before) from each, so an order
 * refunded in full in several steps gives back exactly what each party got.
 */
export function clawbackTransfer(
  terms: Pick<OrderTerms, 'orderId' | 'brandOrgId' | 'streamerId' | 'mcnOrgId'>,
  shares: Shares,
  before: number,
  afterSaleId: string,
  amountFen: number,
  eventId: string | null,
  /** The refund's part of a campaign subsidy (subsidyReturned): clawed back with it and given to the platform. */
  subsidyFen = 0,
): PlannedTransfer {
  const weights = [shares.brand, shares.streamer, shares.mcn, shares.fee, shares.tax ?? 0];
  const now = allocate(before + amountFen + subsidyFen, weights);
  const then = allocate(before, weights);
  const take = now.map((v, i) => v - then[i]!);
  const postings: Posting[] = [{ accountId: ACCOUNTS.buyers, amountFen }, { accountId: ACCOUNTS.platformSubsidies, amountFen: subsidyFen }];
  if (weights.every((w) => w === 0)) postings.push({ accountId: ACCOUNTS.clearing, amountFen: -(amountFen + subsidyFen) });
  else {
    postings.push({ accountId: ACCOUNTS.brand(terms.brandOrgId), amountFen: -take[0]! });
    if (terms.streamerId) postings.push({ accountId: ACCOUNTS.streamer(terms.streamerId), amountFen: -take[1]! });
    else postings.push({ accountId: ACCOUNTS.brand(terms.brandOrgId), amountFen: -take[1]! });
    if (terms.mcnOrgId) postings.push({ accountId: ACCOUNTS.mcn(terms.mcnOrgId), amountFen: -take[2]! });
    else postings.push({ accountId: ACCOUNTS.brand(terms.brandOrgId), amountFen: -take[2]! });
    postings.push({ accountId: ACCOUNTS.platformFees, amountFen: -take[3]! });
    postings.push({ accountId: ACCOUNTS.crossborderTax, amountFen: -take[4]! });
  }
  return { key: `refund:${afterSaleId}`, kind: 'clawback', orderId: terms.orderId, eventId, memo: '退款（结算后追回）refund after settlement, clawed back', postings: compact(postings) };
}

export type Settlement = {
  /** What settles: paid − refunded. */
  settleFen: number;
  commissionFen: number;
  feeFen: number;
  mcnFen: number;
  shares: Shares;
  /** Each line's amount after refunds (order-level refunds spread over lines and shipping). */
  lineNetFen: number[];
  transfer: PlannedTransfer | null;
};

/**
 * Settles an order: S = paid − refunded; X the cross-border tax left (0 on other orders), held for customs;
 * E = S − X what the sale earned; commission C = Σ round(line net × line rate), at most E − F; shipping earns
 * none; platform fee F = round(E × fee rate); MCN M = round(C × split). clearing −S, tax X, brand E − C − F,
 * streamer C − M, MCN M, platform F. Refunds not tied to a line are spread over what is left of each line,
 * of shipping and of the tax, in proportion, by largest remainder.
 */
export function settle(terms: OrderTerms): Settlement {
  const S = terms.paidFen - terms.refundedFen;
  if (S < 0) throw new Error(`ledger: order ${terms.orderId} refunded more than paid`);
  const remaining = terms.lines.map((l) => Math.max(0, l.paidFen - l.refundedFen));
  const lineRefunds = terms.lines.reduce((s, l) => s + l.refundedFen, 0);
  const shippingLeft = Math.max(0, terms.shippingFen);
  const taxPaid = Math.max(0, terms.taxFen ?? 0);
  const orderRefunds = terms.refundedFen - lineRefunds;
  const spread = orderRefunds > 0 ? allocate(orderRefunds, [...remaining, shippingLeft, taxPaid]) : remaining.map(() => 0);
  const lineNetFen = remaining.map((r, i) => Math.max(0, r - spread[i]!));
  const taxFen = Math.min(S, Math.max(0, taxPaid - (orderRefunds > 0 ? spread[remaining.length + 1]! : 0)));
  const E = S - taxFen;
  const feeFen = applyBps(E, terms.platformFeeBps);
  // Each line's commission rounds half up on its own: on many tiny lines at a high rate they could add up to
  // more than the order leaves after the fee, and the brand would be paid less than nothing. Capped there.
  const linesCommission = terms.streamerId ? terms.lines.reduce((c, l, i) => c + applyBps(lineNetFen[i]!, l.commissionBps), 0) : 0;
  const commissionFen = Math.min(linesCommission, E - feeFen);
  const mcnFen = terms.mcnOrgId ? applyBps(commissionFen, terms.mcnSplitBps) : 0;
  const shares: Shares = { brand: E - commissionFen - feeFen, streamer: commissionFen - mcnFen, mcn: mcnFen, fee: feeFen, ...(taxFen > 0 && { tax: taxFen }) };
  if (S === 0) return { settleFen: 0, commissionFen: 0, feeFen: 0, mcnFen: 0, shares: { brand: 0, streamer: 0, mcn: 0, fee: 0 }, lineNetFen, transfer: null };
  const postings = compact([
    { accountId: ACCOUNTS.clearing, amountFen: -S },
    { accountId: ACCOUNTS.brand(terms.brandOrgId), amountFen: shares.brand },
    ...(terms.streamerId ? [{ accountId: ACCOUNTS.streamer(terms.streamerId), amountFen: shares.streamer }] : []),
    ...(terms.mcnOrgId ? [{ accountId: ACCOUNTS.mcn(terms.mcnOrgId), amountFen: shares.mcn }] : []),
    { accountId: ACCOUNTS.platformFees, amountFen: shares.fee },
    { accountId: ACCOUNTS.crossborderTax, amountFen: taxFen },
  ]);
  return {
    settleFen: S,
    commissionFen,
    feeFen,
    mcnFen,
    shares,
    lineNetFen,
    transfer: { key: `settle:${terms.orderId}`, kind: 'settlement', orderId: terms.orderId, eventId: null, memo: '订单结算 order settled', postings },
  };
}

/** Withdrawals: the hold (party → payouts:pending), the payout (pending → paid out), the reversal. */
export function withdrawalTransfer(stage: 'hold' | 'paid' | 'reversed', withdrawalId: string, accountId: string, amountFen: number): PlannedTransfer {
  const postings =
    stage === 'hold'
      ? [{ accountId, amountFen: -amountFen }, { accountId: ACCOUNTS.payoutsPending, amountFen }]
      : stage === 'paid'
        ? [{ accountId: ACCOUNTS.payoutsPending, amountFen: -amountFen }, { accountId: ACCOUNTS.payouts, amountFen }]
        : [{ accountId: ACCOUNTS.payoutsPending, amountFen: -amountFen }, { accountId, amountFen }];
  const memo = stage === 'hold' ? '提现申请 withdrawal requested' : stage === 'paid' ? '提现已打款 withdrawal paid out' : '提现被拒，退回 withdrawal rejected, returned';
  return { key: `withdraw:${withdrawalId}:${stage}`, kind: stage === 'hold' ? 'withdrawal_hold' : stage === 'paid' ? 'withdrawal_paid' : 'withdrawal_reversed', orderId: null, eventId: null, memo, postings };
}
