import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useApi } from '../shared/useApi';
import { ErrorNotice, Loading } from '../shared/Status';
import { CardSection, gradientFor } from './parts';
import type { FollowingFeedResponse } from './types';
import './discovery.css';

/** /following — lives now and upcoming from the streamers I follow, then their replays. */
export function FollowingPage() {
  const { t } = useTranslation();
  const state = useApi<FollowingFeedResponse>('/api/me/following-feed');
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  const { streamers, live, upcoming, replays } = state.data;

  return (
    <div className="page disc-following" data-testid="following-page">
      <h1>{t('discovery.following.title')}</h1>
      {!streamers.length ? (
        <div className="card disc-empty-card" data-testid="following-empty">
          <p>{t('discovery.following.empty')}</p>
          <p className="muted">{t('discovery.following.emptyHint')}</p>
          <Link className="button" to="/" data-testid="following-discover">
            {t('discovery.following.discover')}
          </Link>
        </div>
      ) : (
        <>
          <ul className="disc-avatars" aria-label={t('discovery.following.streamers')} data-testid="following-streamers">
            {streamers.map((s) => (
              <li key={s.id}>
                <Link to={path`/streamers/${s.id}`} className="disc-avatar-link" data-testid="following-streamer">
                  <span className={s.liveSessionId ? 'disc-avatar-ring is-live' : 'disc-avatar-ring'}>
                    <span className="avatar" aria-hidden="true" style={{ background: gradientFor(s.id) }}>
                      {Array.from(s.displayName || '?')[0]}
                    </span>
                  </span>
                  <span className="disc-avatar-name" data-testid="following-streamer-name">{s.displayName}</span>
                  {s.liveSessionId ? <span className="sr-only">{t('discovery.card.live')}</span> : null}
                </Link>
              </li>
            ))}
          </ul>
          <CardSection id="live" live title={t('discovery.following.liveNow')} sessions={live} empty={t('discovery.following.noLive')} emptyTestId="live-empty" />
          <CardSection id="upcoming" title={t('discovery.following.upcoming')} sessions={upcoming} empty={t('discovery.following.noUpcoming')} emptyTestId="upcoming-empty" />
          <CardSection id="replays" title={t('discovery.following.replays')} sessions={replays} empty={t('discovery.following.noReplays')} emptyTestId="replays-empty" />
        </>
      )}
    </div>
  );
}
