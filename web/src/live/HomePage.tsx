import { useTranslation } from 'react-i18next';
import { useSession } from '../session';
import type { LiveSessionSummary } from '../types';
import { useApi } from '../shared/useApi';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { SessionCard } from './SessionCard';

const time = (iso: string | null) => (iso ? new Date(iso).getTime() || 0 : 0);

export function HomePage() {
  const { t } = useTranslation();
  const session = useSession();
  const state = useApi<{ sessions: LiveSessionSummary[] }>('/api/live-sessions?status=live,scheduled');
  // If the server was unreachable at start, "retry" also re-reads who is logged in.
  const retry = () => {
    state.reload();
    if (session.status === 'error') session.refresh().catch(() => undefined);
  };
  const sessions = Array.isArray(state.data?.sessions) ? state.data.sessions : [];
  const live = sessions
    .filter((s) => s.status === 'live')
    .sort((a, b) => time(b.startedAt ?? b.scheduledAt) - time(a.startedAt ?? a.scheduledAt));
  const upcoming = sessions.filter((s) => s.status === 'scheduled').sort((a, b) => time(a.scheduledAt) - time(b.scheduledAt));

  return (
    <div className="page page-home">
      <section className="hero">
        <h1>{t('home.title')}</h1>
        <p>{t('home.subtitle')}</p>
      </section>

      {state.status === 'error' && !state.data ? (
        <ErrorNotice error={state.error} onRetry={retry} />
      ) : state.data === undefined ? (
        <Loading />
      ) : (
        <>
          <section className="session-section" data-testid="section-live" aria-labelledby="live-heading">
            <h2 id="live-heading" className="section-title">
              <span className="live-dot" aria-hidden="true" />
              {t('home.liveNow')}
              <span className="count">{live.length}</span>
            </h2>
            {live.length ? (
              <div className="session-grid">
                {live.map((s) => (
                  <SessionCard key={s.id} session={s} />
                ))}
              </div>
            ) : (
              <Empty testId="live-empty">{t('home.noLive')}</Empty>
            )}
          </section>

          <section className="session-section" data-testid="section-upcoming" aria-labelledby="upcoming-heading">
            <h2 id="upcoming-heading" className="section-title">
              {t('home.upcoming')}
              <span className="count">{upcoming.length}</span>
            </h2>
            {upcoming.length ? (
              <div className="session-grid">
                {upcoming.map((s) => (
                  <SessionCard key={s.id} session={s} />
                ))}
              </div>
            ) : (
              <Empty testId="upcoming-empty">{t('home.noUpcoming')}</Empty>
            )}
          </section>
          {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={retry} /> : null}
        </>
      )}
    </div>
  );
}
