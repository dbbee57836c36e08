// For an assistant (场控): the streamers they assist, what they may do, and the lives to open the cockpit of.
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useFormat } from '../shared/format';
import { label } from '../shared/labels';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { useApi } from '../shared/useApi';
import type { Right } from './types';
import './cockpit.css';

type Assisting = { streamer: { id: string; displayName: string }; rights: Right[]; sessions: { id: string; title: string; status: 'scheduled' | 'live' | 'ended'; scheduledAt: string }[] };

export function AssistingPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const list = useApi<{ streamers: Assisting[] }>('/api/me/assisting');
  return (
    <div className="page cockpit-assisting" data-testid="assisting-page">
      <h1>{t('cockpit.assisting.title')}</h1>
      {list.status === 'error' && !list.data ? (
        <ErrorNotice error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.streamers.length === 0 ? (
        <Empty testId="assisting-empty">{t('cockpit.assisting.empty')}</Empty>
      ) : (
        list.data.streamers.map((s) => (
          <section key={s.streamer.id} className="card" data-testid="assisting-streamer" data-streamer-id={s.streamer.id}>
            <h2>{s.streamer.displayName}</h2>
            <p className="muted">{t('cockpit.assisting.rights', { rights: s.rights.map((r) => t(`cockpit.rights.${r}`)).join('、') || t('cockpit.assisting.noRights') })}</p>
            {s.sessions.length === 0 ? (
              <p className="muted">{t('cockpit.assisting.noSessions')}</p>
            ) : (
              <ul className="plain-list">
                {s.sessions.map((session) => (
                  <li key={session.id} className="cockpit-assisting-session">
                    <StatusBadge status={session.status}>{label(t, 'status', session.status)}</StatusBadge> <span>{session.title}</span>{' '}
                    <span className="muted">{fmt.dateTime(session.scheduledAt)}</span>{' '}
                    <Link className="button button-small" to={path`/streamer/sessions/${session.id}/console`} data-testid="assisting-open" data-session-id={session.id}>
                      {t('cockpit.assisting.open')}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ))
      )}
    </div>
  );
}
