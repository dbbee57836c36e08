// A base's clock: opening hours and report months are Asia/Shanghai local time, which is UTC+8 all
// year (no daylight saving), so local time is UTC shifted by eight hours. Stored times stay UTC ISO.
export const BASE_TIME_ZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** 'HH:MM' → minutes after local midnight (24:00 → 1440), or null. */
export function minutesOf(hhmm: string): number | null {
  const m = /^(\d\d):(\d\d)$/.exec(hhmm);
  if (!m) return null;
  const v = Number(m[1]) * 60 + Number(m[2]);
  return v <= 1440 ? v : null;
}

/** UTC instant of the local midnight that begins the local day containing `ms`. */
export function localDayStart(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
}

/** Whether [start, end) lies within opening hours of one local day. */
export function withinHours(startMs: number, endMs: number, opensAt: string, closesAt: string): boolean {
  const opens = minutesOf(opensAt);
  const closes = minutesOf(closesAt);
  if (opens === null || closes === null) return false;
  const day = localDayStart(startMs);
  return startMs >= day + opens * 60_000 && endMs <= day + closes * 60_000;
}

/** A local calendar month 'YYYY-MM' → its UTC bounds [from, to), the days in it and the local year's start. */
export function monthRange(month: string) {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) return null;
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  const from = Date.UTC(year, index, 1) - OFFSET_MS;
  const to = Date.UTC(year, index + 1, 1) - OFFSET_MS;
  return {
    month,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    days: Math.round((to - from) / DAY_MS),
    yearFrom: new Date(Date.UTC(year, 0, 1) - OFFSET_MS).toISOString(),
    /** First and last local dates, 'YYYY-MM-DD' (leases are dates). */
    firstDate: `${m[1]}-${m[2]}-01`,
    lastDate: new Date(Date.UTC(year, index + 1, 0)).toISOString().slice(0, 10),
  };
}

/** The local month 'YYYY-MM' containing an instant. */
export function localMonth(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 7);
}
