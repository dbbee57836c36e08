import { useParams } from 'react-router';
import { path } from '../api';

/**
 * Money is integer fen and stays integer here: yuan are written by integer division and the
 * remainder, never by dividing into a float (docs/ANALYTICS.md).
 */
export function yuanText(fen: number): string {
  const n = Math.trunc(fen);
  const sign = n < 0 ? '-' : '';
  const abs = String(Math.abs(n)).padStart(3, '0');
  const whole = abs.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${whole}.${abs.slice(-2)}`;
}

/** ¥1,234.56 */
export const yuan = (fen: number) => (fen < 0 ? `-¥${yuanText(-fen)}` : `¥${yuanText(fen)}`);

/** A count grouped by thousands. */
export const count = (n: number) => String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A ratio (0..1, four decimals from the server) as a percentage with two decimals: 0.1234 → 12.34%. */
export function percent(ratio: number): string {
  const basisPoints = Math.round(ratio * 10_000);
  return `${count(Math.trunc(basisPoints / 100))}.${String(Math.abs(basisPoints % 100)).padStart(2, '0')}%`;
}

/** Seconds as 1:02:03 or 2:03. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** A UTC minute 'YYYY-MM-DDTHH:MM' as the viewer's local HH:MM. */
export function minuteLabel(minute: string): string {
  const d = new Date(`${minute}:00.000Z`);
  if (Number.isNaN(d.getTime())) return minute;
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** The API and page prefixes for the route's scope: the user's own, or an organisation's (/orgs/:orgId/…). */
export function useAnalyticsScope() {
  const { id = '', orgId } = useParams();
  const api = orgId ? path`/api/orgs/${orgId}/analytics/sessions/${id}` : path`/api/analytics/sessions/${id}`;
  const pages = orgId ? path`/orgs/${orgId}/analytics/sessions/${id}` : path`/analytics/sessions/${id}`;
  /** Where the list of lives is: the organisation's 直播数据 tab, or /analytics. */
  const list = orgId ? `${path`/orgs/${orgId}`}?tab=analytics` : '/analytics';
  return { id, orgId: orgId ?? null, api, pages, list };
}
