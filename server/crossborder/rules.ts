/**
 * The rules of cross-border retail import (跨境电商零售进口, docs/CROSSBORDER.md), as pure functions:
 * the limits, the tax and its rounding, the buyer's ID number and the calendar year in China time.
 *
 * Rules (numbers as in docs/CROSSBORDER.md):
 *  R1 A transaction's dutiable value (完税价格) = the goods actually paid (after coupons) + shipping.
 *  R2 Per transaction at most ¥5,000 (500,000 fen) …
 *  R3 … except one single indivisible item (one line, quantity 1) over ¥5,000, allowed when the
 *     buyer's annual total stays within the limit; it is taxed at the full general-trade rate.
 *  R4 Per person (ID number) per calendar year in China time at most ¥26,000 (2,600,000 fen),
 *     counting paid and pending orders; a cancelled or fully refunded order gives its amount back.
 *  R5 Within the limits: tariff 0; consumption tax and VAT at 70 % of the general amount:
 *     rate = (ct + vat) ÷ (1 − ct) × 70 %; 9.1 % at 13 % VAT without consumption tax.
 *  R6 Rounding: per order line, each tax (tariff, consumption tax, VAT) is computed exactly on the
 *     line's dutiable value and rounded half-up to the fen; the order's tax is the sum.
 *  R7 Shipping is split over the lines in proportion to what each line paid (floor), the remainder
 *     going to the last line, so the lines' dutiable values add up to the order's.
 *  R8 The buyer is verified by real name and a GB 11643 ID number (ISO 7064 MOD 11-2 check
 *     character, a real birth date not in the future, at most 120 years ago); the payer must be
 *     the verified buyer.
 */
import { parseIdNumber } from '../streamers/idcard.ts';

export const TRANSACTION_LIMIT_FEN = 500_000;
export const ANNUAL_LIMIT_FEN = 2_600_000;
/** Within the limits, consumption tax and VAT are levied at 70 % of the general amount. */
export const RETAIL_SHARE_PERCENT = 70;

export type TaxClass = { vatRateBp: number; consumptionTaxRateBp: number; tariffRateBp: number };
export type Regime = 'retail' | 'general';
export type LineTax = { dutiableFen: number; tariffFen: number; consumptionTaxFen: number; vatFen: number; taxFen: number };

/** num ÷ den rounded half-up (num, den ≥ 0), exactly (BigInt). */
export function divHalfUp(num: bigint, den: bigint): number {
  return Number((num * 2n + den) / (2n * den));
}

/** R5/R6: the cross-border retail tax of one line (tariff 0; CT and VAT at 70 %). */
export function retailTax(dutiableFen: number, c: TaxClass): LineTax {
  const d = BigInt(dutiableFen);
  const ct = BigInt(c.consumptionTaxRateBp);
  // CT = D × ct ÷ (1 − ct) × 70 %;  VAT = D × vat ÷ (1 − ct) × 70 %  (rates in basis points)
  const den = (10_000n - ct) * 100n;
  const consumptionTaxFen = divHalfUp(d * ct * BigInt(RETAIL_SHARE_PERCENT), den);
  const vatFen = divHalfUp(d * BigInt(c.vatRateBp) * BigInt(RETAIL_SHARE_PERCENT), den);
  return { dutiableFen, tariffFen: 0, consumptionTaxFen, vatFen, taxFen: consumptionTaxFen + vatFen };
}

/** R3/R6: the general-trade tax of one line: tariff, then CT on (D + tariff) ÷ (1 − ct), then VAT on D + tariff + CT. */
export function generalTax(dutiableFen: number, c: TaxClass): LineTax {
  const d = BigInt(dutiableFen);
  const tariffFen = divHalfUp(d * BigInt(c.tariffRateBp), 10_000n);
  const ct = BigInt(c.consumptionTaxRateBp);
  const consumptionTaxFen = divHalfUp((d + BigInt(tariffFen)) * ct, 10_000n - ct);
  const vatFen = divHalfUp((d + BigInt(tariffFen) + BigInt(consumptionTaxFen)) * BigInt(c.vatRateBp), 10_000n);
  return { dutiableFen, tariffFen, consumptionTaxFen, vatFen, taxFen: tariffFen + consumptionTaxFen + vatFen };
}

/** R7: shipping split over lines in proportion to their paid amounts (floor), the remainder to the last line. */
export function splitShipping(paidFen: number[], shippingFen: number): number[] {
  const total = paidFen.reduce((s, p) => s + p, 0);
  const shares = paidFen.map((p) => (total > 0 ? Number((BigInt(shippingFen) * BigInt(p)) / BigInt(total)) : 0));
  shares[shares.length - 1]! += shippingFen - shares.reduce((s, x) => s + x, 0);
  return shares;
}

/** The calendar year in China Standard Time (UTC+8, no DST) of an instant. */
export function chinaYear(at: Date): number {
  return new Date(at.getTime() + 8 * 3_600_000).getUTCFullYear();
}

/** R8: a GB 11643 ID number with a sane birth date on `today`, or null. */
export function checkIdNumber(raw: string, today: Date): { normalized: string; birthDate: string } | null {
  const id = parseIdNumber(raw);
  if (!id) return null;
  const local = new Date(today.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  if (id.birthDate > local) return null;
  if (Number(local.slice(0, 4)) - Number(id.birthDate.slice(0, 4)) > 120) return null;
  return id;
}

/** fen → "1234.50" (the customs messages and the error messages speak yuan). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** fen → "5,187.00" for messages to people. */
export function yuanGrouped(fen: number): string {
  return (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Origin countries we can declare: ISO 3166-1 alpha-2 → the customs country code (海关国别代码). */
export const CUSTOMS_COUNTRY: Record<string, string> = {
  AU: '601',
  NZ: '609',
  JP: '116',
  KR: '133',
  TH: '136',
  US: '502',
  CA: '501',
  GB: '303',
  DE: '304',
  FR: '305',
  IT: '307',
  NL: '309',
  CH: '331',
};
export const ORIGIN_COUNTRIES = Object.keys(CUSTOMS_COUNTRY) as [string, ...string[]];
