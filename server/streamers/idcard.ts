/**
 * Resident ID numbers under GB 11643-1999: 6-digit area code, 8-digit birth date, 3-digit sequence
 * and an ISO 7064 MOD 11-2 check character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdNumberInfo = { normalized: string; birthDate: string };

export function parseIdNumber(raw: string): IdNumberInfo | null {
  const id = raw.trim().toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return null;
  const sum = WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(id[i]), 0);
  if (CHECK_CHARS[sum % 11] !== id[17]) return null;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return { normalized: id, birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}` };
}

/** Age in whole years on `today` (China Standard Time calendar date). */
export function ageOn(birthDate: string, today: Date): number {
  const local = new Date(today.getTime() + 8 * 3_600_000); // UTC+8, no DST
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = local.getUTCFullYear() - y;
  if (local.getUTCMonth() + 1 < m || (local.getUTCMonth() + 1 === m && local.getUTCDate() < d)) age -= 1;
  return age;
}

export function maskIdNumber(id: string): string {
  return `${id.slice(0, 6)}********${id.slice(-4)}`;
}

/** Builds a valid ID number (for demo data and tests): area + birth date + sequence + check. */
export function makeIdNumber(area: string, birthDate: string, sequence: string): string {
  const body = `${area}${birthDate.replaceAll('-', '')}${sequence}`;
  const sum = WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(body[i]), 0);
  return body + CHECK_CHARS[sum % 11];
}
