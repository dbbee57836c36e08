import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import type { LiveSessionSummary } from '../types';
import { useFormat } from '../shared/format';
import { safeImageUrl } from '../shared/urls';

export function SessionCard({ session }: { session: LiveSessionSummary }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [imgFailed, setImgFailed] = useState(false);
  const cover = imgFailed ? null : safeImageUrl(session.coverUrl);
  const isLive = session.status === 'live';
  const initial = Array.from(session.title || '?')[0];

  return (
    <article className={`session-card${isLive ? ' is-live' : ''}`} data-testid="session-card" data-session-id={session.id} data-status={session.status}>
      <div className="session-cover">
        {cover ? (
          <img src={cover} alt="" loading="lazy" referrerPolicy="no-referrer" onError={() => setImgFailed(true)} />
        ) : (
          <div className="session-cover-placeholder" aria-hidden="true">
            {initial}
          </div>
        )}
        <span className={`session-badge ${isLive ? 'badge-live' : 'badge-upcoming'}`}>{isLive ? t('home.badgeLive') : t('home.badgeUpcoming')}</span>
      </div>
      <div className="session-body">
        <h3 className="session-title" data-testid="session-title">
          {/* The whole card is the link (stretched over it in CSS); the title names it. */}
          <Link to={path`/watch/${session.id}`} className="session-link" data-testid="session-link">
            {session.title}
          </Link>
        </h3>
        <p className="session-streamer" data-testid="session-streamer">
          <span className="avatar avatar-small" aria-hidden="true">
            {Array.from(session.streamer?.displayName || '?')[0]}
          </span>
          <span className="sr-only">{t('home.streamer')}</span>
          <span>{session.streamer?.displayName}</span>
        </p>
        {session.brand ? (
          <p className="session-brand" data-testid="session-brand">
            <span className="tag">{t('home.brand')}</span>
            <span>{session.brand.name}</span>
          </p>
        ) : null}
        <p className="session-time">
          <span className="muted">{isLive ? t('home.scheduledWas') : t('home.startsAt')}</span>{' '}
          <time dateTime={session.scheduledAt} data-testid="session-time">
            {fmt.dateTime(session.scheduledAt)}
          </time>
        </p>
      </div>
    </article>
  );
}
