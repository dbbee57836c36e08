import crypto from 'node:crypto';

/**
 * The pure rules of a life-service voucher (docs/VOUCHERS.md): its redemption code (15 random
 * digits and a Luhn check digit, so a mistyped digit is caught before any lookup) and when and
 * where it may be used, in China time (Asia/Shanghai, UTC+8 all year: China has no daylight saving).
 */

export type Slot = { from: string; to: string };
export type UseRules = { validFrom: string; validTo: string; storeIds: string[]; days: number[]; slots: Slot[] };

const CHINA_OFFSET_MS = 8 * 3600_000;

export function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** A new 16-digit code: 15 random digits and their Luhn check digit. */
export function newCode(): string {
  let body = '';
  for (let i = 0; i < 15; i++) body += crypto.randomInt(10).toString();
  return body + luhnDigit(body);
}

/** The code as typed (spaces and dashes allowed) or scanned: 16 digits with a valid check digit, else null. */
export function normalizeCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  if (!/^\d{16}$/.test(digits)) return null;
  return luhnDigit(digits.slice(0, 15)) === Number(digits[15]) ? digits : null;
}

/** 1234 5678 9012 3456 */
export function formatCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** The China-time day (YYYY-MM-DD), ISO weekday (1 = Monday … 7 = Sunday) and minute of the day of an instant. */
export function chinaTime(at: Date) {
  const local = new Date(at.getTime() + CHINA_OFFSET_MS);
  const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  return { day: local.toISOString().slice(0, 10), weekday, minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

export function minuteOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** Whether an instant falls on one of the days and inside one of the slots (from inclusive, to exclusive). */
export function withinHours(at: Date, days: number[], slots: Slot[]): boolean {
  const t = chinaTime(at);
  if (!days.includes(t.weekday)) return false;
  return slots.some((s) => t.minute >= minuteOf(s.from) && t.minute < minuteOf(s.to));
}

/** What stops a code being used here and now, or null. Checked in this order. */
export function refusal(rules: UseRules, storeId: string, at: Date): 'VOUCHER_NOT_YET_VALID' | 'VOUCHER_EXPIRED' | 'VOUCHER_WRONG_STORE' | 'VOUCHER_OUTSIDE_HOURS' | null {
  const iso = at.toISOString();
  if (iso < rules.validFrom) return 'VOUCHER_NOT_YET_VALID';
  if (iso >= rules.validTo) return 'VOUCHER_EXPIRED';
  if (!rules.storeIds.includes(storeId)) return 'VOUCHER_WRONG_STORE';
  if (!withinHours(at, rules.days, rules.slots)) return 'VOUCHER_OUTSIDE_HOURS';
  return null;
}

const DAY_NAMES = { 'zh-CN': ['一', '二', '三', '四', '五', '六', '日'], en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] } as const;

/** "周一至周五 11:00–14:00" / "Mon–Fri 11:00–14:00" (consecutive days joined into ranges). */
export function describeHours(days: number[], slots: Slot[], locale: 'zh-CN' | 'en'): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const d of sorted) {
    const last = runs.at(-1);
    if (last && last.at(-1) === d - 1) last.push(d);
    else runs.push([d]);
  }
  const name = (d: number) => (locale === 'zh-CN' ? `周${DAY_NAMES['zh-CN'][d - 1]}` : DAY_NAMES.en[d - 1]);
  const dayText = sorted.length === 7 ? (locale === 'zh-CN' ? '每天' : 'Daily') : runs.map((r) => (r.length > 2 ? `${name(r[0]!)}${locale === 'zh-CN' ? '至' : '–'}${name(r.at(-1)!)}` : r.map(name).join(locale === 'zh-CN' ? '、' : ', '))).join(locale === 'zh-CN' ? '、' : ', ');
  return `${dayText} ${slots.map((s) => `${s.from}–${s.to}`).join(', ')}`;
}
