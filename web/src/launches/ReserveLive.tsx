import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { del, post } from '../api';
import { useSession } from '../session';
import { ErrorNotice } from '../shared/Status';
import { useAction } from '../shared/useAction';
import { useApi } from '../shared/useApi';
import './launches.css';

/** 预约直播 on a scheduled live's page: reminders before it starts (docs/LAUNCHES.md), and how many reserved. */
export function ReserveLive({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const url = `/api/lives/${encodeURIComponent(sessionId)}/reservation`;
  const state = useApi<{ reservations: number; reserved: boolean | null }>(url);
  const { busy, error, run } = useAction(state.reload);
  const data = state.data;
  return (
    <div className="reserve-live" data-testid="reserve-live">
      {!user ? (
        <Link className="button" to={`/login?next=${encodeURIComponent(`/watch/${sessionId}`)}`}>
          {t('launches.loginToReserve')}
        </Link>
      ) : data?.reserved ? (
        <p>
          <span className="launch-reserved" data-testid="live-reserved">
            {t('launches.reserved')}
          </span>{' '}
          <button type="button" className="button button-ghost button-small" disabled={busy} onClick={() => void run(() => del(url))}>
            {t('launches.cancel')}
          </button>
        </p>
      ) : (
        <button type="button" className="button" data-testid="live-reserve" disabled={busy || !data} onClick={() => void run(() => post(url, {}))}>
          {t('launches.reserveLive')}
        </button>
      )}
      {data ? (
        <p className="watch-state-hint" data-testid="live-reservations">
          {t('launches.reservations', { count: data.reservations })}
        </p>
      ) : null}
      <ErrorNotice error={error} />
    </div>
  );
}
