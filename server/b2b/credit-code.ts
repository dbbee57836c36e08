/**
 * The unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from the 31-character
 * set 0–9 and the capital letters without I, O, Z, S, V. Positions 1–17 are weighted by 3^(i−1) mod 31
 * (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28); the 18th, the check character, is
 * the character of value 31 − (Σ value × weight mod 31), 31 counting as 0.
 */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The check character the first 17 characters call for, or null if they are not 17 characters of the set. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_CHARSET.indexOf(first17[i]!);
    if (value < 0) return null;
    sum += value * CREDIT_CODE_WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_CHARSET[check]!;
}

/** 'malformed' (length or characters), 'check' (a wrong check character) or 'ok'. */
export function checkCreditCode(code: string): 'ok' | 'malformed' | 'check' {
  if (!/^[0-9A-HJ-NPQRTUW-Y]{18}$/.test(code)) return 'malformed';
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? 'ok' : 'check';
}

/** A valid code from 17 characters (tests and demo data). */
export function makeCreditCode(first17: string): string {
  const check = creditCodeCheckChar(first17);
  if (!check) throw new Error(`not 17 characters of the GB 32100 set: ${first17}`);
  return first17 + check;
}
