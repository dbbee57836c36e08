import { describe, expect, it } from 'vitest';
import { countEn } from './plural.ts';

describe('countEn', () => {
  it('says one in the singular and every other count in the plural', () => {
    expect(countEn(1, 'minute')).toBe('1 minute');
    expect(countEn(0, 'minute')).toBe('0 minutes');
    expect(countEn(15, 'minute')).toBe('15 minutes');
    expect(countEn(1, 'live', 'lives')).toBe('1 live');
    expect(countEn(2, 'live', 'lives')).toBe('2 lives');
  });
});
