import { useTranslation } from 'react-i18next';

function toDate(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A moment in the viewer's own time zone and language, e.g. "11月28日 周五 20:00". */
export function formatDateTime(value: string | null | undefined, locale: string): string {
  const d = toDate(value);
  if (!d) return value ?? '';
  const sameYear = d.getFullYear() === new Date().getFullYear();
  return new Intl.DateTimeFormat(locale, {
    year: sameYear ? undefined : 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}

/** Full timestamp for logs and review queues. */
export function formatTimestamp(value: string | null | undefined, locale: string): string {
  const d = toDate(value);
  if (!d) return value ?? '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** A moment to the second, for logs: "20:01:05" today, "11月27日 20:01:05" otherwise. */
export function formatMoment(value: string | null | undefined, locale: string): string {
  const d = toDate(value);
  if (!d) return value ?? '';
  const today = new Date().toDateString() === d.toDateString();
  return new Intl.DateTimeFormat(locale, {
    month: today ? undefined : 'short',
    day: today ? undefined : 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(d);
}

/**
 * A calendar date, in China time (Asia/Shanghai, UTC+8, no daylight saving): a moment's day in China (a campaign's
 * first day, a certificate's issue date: 2027-04-30T16:00:00Z is 2027年5月1日), and a plain date ("2026-04-02", read
 * as its UTC midnight, which is 08:00 the same day in China) as itself, whatever the browser's zone.
 */
export function formatDate(value: string | null | undefined, locale: string): string {
  const d = toDate(value);
  if (!d) return value ?? '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Shanghai' }).format(d);
}

/** Money is integer fen, shown as ¥ with two decimals in every language (not "CN¥"). */
export function formatFen(fen: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(fen / 100);
}

/** A count: 12,345 / 12,345 (grouped in the viewer's language). */
export function formatNumber(n: number, locale: string, digits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n);
}

export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return {
    locale,
    dateTime: (v: string | null | undefined) => formatDateTime(v, locale),
    timestamp: (v: string | null | undefined) => formatTimestamp(v, locale),
    moment: (v: string | null | undefined) => formatMoment(v, locale),
    date: (v: string | null | undefined) => formatDate(v, locale),
    fen: (v: number) => formatFen(v, locale),
    number: (v: number, digits = 0) => formatNumber(v, locale, digits),
  };
}
