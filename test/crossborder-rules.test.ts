// The pure rules of cross-border retail import (server/crossborder/rules.ts, docs/CROSSBORDER.md R1–R8):
// the tax in fen with its rounding, the shipping split, the China-time year and the ID number checks.
import { describe, expect, it } from 'vitest';
import { chinaYear, checkIdNumber, divHalfUp, generalTax, retailTax, splitShipping, yuan, yuanGrouped } from '../server/crossborder/rules.ts';
import { makeIdNumber } from '../server/streamers/idcard.ts';

const VAT13 = { vatRateBp: 1300, consumptionTaxRateBp: 0, tariffRateBp: 1500 };

describe('cross-border rules', () => {
  it('R5/R6: 9.1 % at 13 % VAT without consumption tax, each tax rounded half-up to the fen', () => {
    // Worked example: ¥409.00 dutiable → VAT 40,900 × 13 % × 70 % = 3,721.9 fen → 3,722.
    expect(retailTax(40_900, VAT13)).toEqual({ dutiableFen: 40_900, tariffFen: 0, consumptionTaxFen: 0, vatFen: 3722, taxFen: 3722 });
    // 10,000 fen → exactly 910.
    expect(retailTax(10_000, VAT13).taxFen).toBe(910);
    // Half-up: 50 × 9.1 % = 4.55 → 5; 49 × 9.1 % = 4.459 → 4.
    expect(retailTax(50, VAT13).vatFen).toBe(5);
    expect(retailTax(49, VAT13).vatFen).toBe(4);
    // With consumption tax 15 %: (15 % + 13 %) ÷ 85 % × 70 % ≈ 23.06 %; on ¥210.00: CT 2,594.1 → 2,594, VAT 2,248.2 → 2,248.
    expect(retailTax(21_000, { vatRateBp: 1300, consumptionTaxRateBp: 1500, tariffRateBp: 0 })).toMatchObject({ consumptionTaxFen: 2594, vatFen: 2248, taxFen: 4842 });
    expect(divHalfUp(5n, 2n)).toBe(3);
    expect(divHalfUp(7n, 3n)).toBe(2);
  });

  it('R3: the general-trade tax of an indivisible item over ¥5,000: tariff, then consumption tax, then VAT, each on the one before', () => {
    // ¥8,000.00, tariff 10 %, CT 20 %, VAT 13 %: 80,000 + (880,000 × 20 ÷ 80 = 220,000) + (1,100,000 × 13 % = 143,000).
    expect(generalTax(800_000, { vatRateBp: 1300, consumptionTaxRateBp: 2000, tariffRateBp: 1000 })).toEqual({ dutiableFen: 800_000, tariffFen: 80_000, consumptionTaxFen: 220_000, vatFen: 143_000, taxFen: 443_000 });
    // Without consumption tax: ¥5,999.99 with tariff 15 % → 89,999.85 → 90,000 (half-up); VAT (599,999 + 90,000) × 13 % = 89,699.87 → 89,700.
    expect(generalTax(599_999, VAT13)).toMatchObject({ tariffFen: 90_000, consumptionTaxFen: 0, vatFen: 89_700 });
  });

  it('R7: shipping is split by what each line paid, the remainder on the last line', () => {
    expect(splitShipping([39_900, 10_000], 1000)).toEqual([799, 201]);
    expect(splitShipping([1, 1, 1], 100)).toEqual([33, 33, 34]);
    expect(splitShipping([0], 800)).toEqual([800]);
    expect(splitShipping([500, 500], 0)).toEqual([0, 0]);
  });

  it('R4: the year is the calendar year in China time (UTC+8)', () => {
    expect(chinaYear(new Date('2026-12-31T15:59:59Z'))).toBe(2026);
    expect(chinaYear(new Date('2026-12-31T16:00:00Z'))).toBe(2027);
  });

  it('R8: a GB 11643 ID number with its MOD 11-2 check character and a sane birth date', () => {
    const today = new Date('2026-11-26T08:00:00Z');
    const good = makeIdNumber('11010519491231002', '', '').slice(0, 18);
    expect(good).toBe('11010519491231002X');
    expect(checkIdNumber(good, today)).toEqual({ normalized: good, birthDate: '1949-12-31' });
    expect(checkIdNumber('11010519491231002x', today)?.normalized).toBe(good);
    expect(checkIdNumber('110105194912310021', today)).toBeNull(); // wrong check character
    expect(checkIdNumber(makeIdNumber('110105', '2026-11-27', '002'), today)).toBeNull(); // born tomorrow (China time)
    expect(checkIdNumber(makeIdNumber('110105', '2026-11-26', '002'), today)).not.toBeNull(); // born today
    expect(checkIdNumber(makeIdNumber('110105', '1901-01-01', '002'), today)).toBeNull(); // over 120 years
    expect(checkIdNumber(makeIdNumber('110105', '2023-02-29', '002'), today)).toBeNull(); // no such day
    expect(checkIdNumber('11010519491231002', today)).toBeNull(); // 17 characters
  });

  it('formats fen as yuan for the customs messages and for people', () => {
    expect([yuan(0), yuan(5), yuan(44_622), yuan(518_700)]).toEqual(['0.00', '0.05', '446.22', '5187.00']);
    expect(yuanGrouped(518_700)).toBe('5,187.00');
  });
});
