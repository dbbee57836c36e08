import { describe, expect, it } from 'vitest';
import { ageOn, makeIdNumber, maskIdNumber, parseIdNumber } from './idcard.ts';

describe('GB 11643-1999 ID numbers', () => {
  it('accepts numbers with the right check character, including X', () => {
    // The worked example from the standard's annex: 11010519491231002X.
    expect(parseIdNumber('11010519491231002X')).toEqual({ normalized: '11010519491231002X', birthDate: '1949-12-31' });
    expect(parseIdNumber('11010519491231002x')?.normalized).toBe('11010519491231002X');
    const built = makeIdNumber('310104', '2001-02-28', '123');
    expect(parseIdNumber(built)?.birthDate).toBe('2001-02-28');
  });

  it('refuses a wrong check character, a wrong length, letters, or an impossible birth date', () => {
    expect(parseIdNumber('110105194912310021')).toBeNull();
    expect(parseIdNumber('11010519491231002')).toBeNull();
    expect(parseIdNumber('1101051949123100AX')).toBeNull();
    expect(parseIdNumber(makeIdNumber('310104', '2001-02-30', '123'))).toBeNull();
    expect(parseIdNumber(makeIdNumber('310104', '1850-01-01', '123'))).toBeNull();
    expect(parseIdNumber('011010519491231002')).toBeNull();
  });

  it('computes age on the China calendar date', () => {
    // 2026-11-26T17:00Z is already 27 November in Shanghai.
    expect(ageOn('2010-11-27', new Date('2026-11-26T15:59:59Z'))).toBe(15);
    expect(ageOn('2010-11-27', new Date('2026-11-26T16:00:00Z'))).toBe(16);
  });

  it('masks all but the area code and the last four characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });
});
