// Statement periods in the viewer's own time zone: this month, last month, everything, or a custom range of days.

export type PeriodChoice = 'thisMonth' | 'lastMonth' | 'all' | 'custom';
export const PERIOD_CHOICES: readonly PeriodChoice[] = ['thisMonth', 'lastMonth', 'all', 'custom'];

/** `from` inclusive, `to` exclusive, ISO-8601; null = open. */
export type Period = { from: string | null; to: string | null };

/** A calendar month relative to `now` (0 = this month, -1 = last month), local midnight to local midnight. */
export function monthPeriod(offset: number, now = new Date()): Period {
  const from = new Date(now.getFullYear(), now.getMonth() + offset, 1);
  const to = new Date(now.getFullYear(), now.getMonth() + offset + 1, 1);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** "2026-12-06" → local midnight of that day, or null. */
export function parseDay(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getFullYear() === Number(m[1]) && d.getMonth() === Number(m[2]) - 1 && d.getDate() === Number(m[3]) ? d : null;
}

/** A local date as the value of an `<input type="date">`. */
export function dayValue(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Custom days, both included: from the first day's midnight to the midnight after the last day. Null when invalid. */
export function customPeriod(fromDay: string, toDay: string): Period | null {
  const from = fromDay ? parseDay(fromDay) : null;
  const to = toDay ? parseDay(toDay) : null;
  if ((fromDay && !from) || (toDay && !to)) return null;
  const end = to ? new Date(to.getFullYear(), to.getMonth(), to.getDate() + 1) : null;
  if (from && end && from.getTime() >= end.getTime()) return null;
  return { from: from ? from.toISOString() : null, to: end ? end.toISOString() : null };
}

export function periodOf(choice: PeriodChoice, custom: { from: string; to: string }, now = new Date()): Period | null {
  switch (choice) {
    case 'thisMonth':
      return monthPeriod(0, now);
    case 'lastMonth':
      return monthPeriod(-1, now);
    case 'all':
      return { from: null, to: null };
    case 'custom':
      return customPeriod(custom.from, custom.to);
  }
}

/** The statement's query string (without `?`): the period, and `format=csv` or a row limit. */
export function periodQuery(period: Period, extra: Record<string, string>): string {
  const q = new URLSearchParams();
  if (period.from) q.set('from', period.from);
  if (period.to) q.set('to', period.to);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}
