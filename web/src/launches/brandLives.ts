// A brand's own lives to pick from in its console (launch and auction forms): GET /api/orgs/:orgId/lives,
// the brand's public lives on air or scheduled, oldest first.
import type { SessionCardData } from '../discovery/types';
import { useApi } from '../shared/useApi';

export type BrandLive = Pick<SessionCardData, 'id' | 'title' | 'status' | 'scheduledAt' | 'startedAt' | 'streamer'>;

export function useBrandLives(orgId: string) {
  const state = useApi<{ lives: BrandLive[] }>(orgId ? `/api/orgs/${encodeURIComponent(orgId)}/lives` : null);
  const of = (status: string) => (state.data ? state.data.lives.filter((s) => s.status === status) : null);
  return {
    status: state.status,
    error: state.error,
    reload: state.reload,
    live: of('live'),
    upcoming: of('scheduled'),
  };
}

/** A moment as a `datetime-local` value in the browser's time zone, rounded up to the minute. */
export function toLocalInput(ms: number): string {
  const d = new Date(Math.ceil(ms / 60_000) * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The browser's offset at `d` as ±HH:MM. */
export function offsetText(d: Date): string {
  const minutes = -d.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A `datetime-local` value ("2026-05-05T20:00") → ISO 8601 with the browser's offset ("2026-05-05T20:00:00+08:00"); null when it is not a date. */
export function localInputToIso(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (Number.isNaN(d.getTime())) return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${offsetText(d)}`;
}
