// A base's times are shown and entered in Beijing time (Asia/Shanghai, UTC+8 all year), whatever the
// viewer's own time zone: opening hours and bookings are the base's local time.
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' of the Beijing day containing an instant. */
export const beijingDate = (ms: number) => new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
/** 'HH:MM' Beijing time of an ISO instant. */
export const beijingTime = (iso: string) => new Date(Date.parse(iso) + OFFSET_MS).toISOString().slice(11, 16);
/** 'YYYY-MM' Beijing month of an instant. */
export const beijingMonth = (ms: number) => new Date(ms + OFFSET_MS).toISOString().slice(0, 7);
/** Beijing date + 'HH:MM' → ISO UTC, or null. */
export function fromBeijing(date: string, hhmm: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(hhmm)) return null;
  const ms = Date.parse(`${date}T${hhmm}:00+08:00`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
/** UTC instant of the Beijing midnight beginning the day `ms` falls in. */
export const beijingDayStart = (ms: number) => Math.floor((ms + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
export const DAY = DAY_MS;
/** A short day label in the viewer's language, of a Beijing day. */
export function dayLabel(ms: number, locale: string) {
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', weekday: 'short', timeZone: 'Asia/Shanghai' }).format(new Date(ms));
}
/** A booking's span in Beijing time: 'YYYY-MM-DD HH:MM–HH:MM'. */
export const beijingSpan = (b: { startsAt: string; endsAt: string }) => `${beijingDate(Date.parse(b.startsAt))} ${beijingTime(b.startsAt)}–${beijingTime(b.endsAt)}`;
