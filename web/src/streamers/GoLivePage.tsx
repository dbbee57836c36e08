// /streamer/sessions/:id/go-live: going live from the browser (WHIP). The publisher itself (camera,
// microphone, preview, start and stop) is shared with the practice page: web/src/live/BrowserPublisher.tsx.
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { BrowserPublisher } from '../live/BrowserPublisher';
import { StatusBadge } from '../shared/Status';
import { label } from '../shared/labels';
import { SessionGate, useStreamerSession } from './SessionPage';
import { StreamHealthPanel } from './StreamHealthPanel';

export function GoLivePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const poll = useStreamerSession(id);
  return (
    <div className="page page-go-live" data-testid="go-live-page">
      <p className="breadcrumb">
        <Link to={path`/streamer/sessions/${id}`}>← {t('goLive.backToSession')}</Link>
      </p>
      <SessionGate poll={poll}>
        {(detail) => (
          <>
            <header className="session-header">
              <div>
                <p className="eyebrow">{t('goLive.title')}</p>
                <h1 data-testid="session-title">{detail.session.title}</h1>
                <p className="status-line">
                  <StatusBadge status={detail.session.status}>{label(t, 'status', detail.session.status)}</StatusBadge>
                </p>
              </div>
            </header>
            <div className="session-columns">
              <section className="card session-main">
                <BrowserPublisher endpoint={path`/api/streamer/live-sessions/${detail.session.id}/whip`} ended={detail.session.status === 'ended'} />
              </section>
              <section className="card session-side" aria-labelledby="go-live-health-h">
                <h2 id="go-live-health-h">{t('session.health')}</h2>
                <StreamHealthPanel health={detail.health} />
              </section>
            </div>
          </>
        )}
      </SessionGate>
    </div>
  );
}
