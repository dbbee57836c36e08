// What the watch page shows for each state of a session: not found, not started yet (with a countdown),
// ended (the replay), and the rendition switch drawn over a live video.
import { lazy, Suspense, useState, type ComponentType, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { LiveSession, Playback } from '../types';
import { useFormat } from '../shared/format';
import { useNow } from '../shared/usePolling';
import { safeImageUrl } from '../shared/urls';
import { ReplayPlayer } from './LivePlayer';

// The replay's chapters and products (with the buy sheet) are their own chunk (web/src/replays).
const ReplayShop = lazy(() => import('../replays/ReplayShop').catch(() => ({ default: () => null })));
// 预约直播 (web/src/launches) is its own chunk too.
const ReserveLive = lazy<ComponentType<{ sessionId: string }>>(() => import('../launches/ReserveLive').then((m) => ({ default: m.ReserveLive })).catch(() => ({ default: () => null })));

export function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="page page-narrow">
      <div className="card state-notfound watch-notfound" data-testid="watch-not-found" role="alert">
        <div className="big-code" aria-hidden="true">
          ▶
        </div>
        <h1>{t('watch.notFoundTitle')}</h1>
        <p className="muted">{t('watch.notFoundBody')}</p>
        <Link className="button" to="/">
          {t('watch.moreLives')}
        </Link>
      </div>
    </div>
  );
}

/** "2 天 03:04:05" / "03:04:05" until `target`; null once it has passed. */
function useCountdown(target: string): { text: string | null; overdue: boolean } {
  const { t } = useTranslation();
  const now = useNow(1000);
  const ms = Date.parse(target) - now;
  if (!Number.isFinite(ms)) return { text: null, overdue: false };
  if (ms <= 0) return { text: null, overdue: true };
  const s = Math.floor(ms / 1000);
  const days = Math.floor(s / 86400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return { text: days > 0 ? t('watch.countdownDays', { days, clock }) : clock, overdue: false };
}

function Backdrop({ session, children, testId }: { session: LiveSession; children: ReactNode; testId: string }) {
  const cover = safeImageUrl(session.coverUrl);
  return (
    <div className="watch-backdrop" data-testid={testId}>
      {cover ? <img className="watch-backdrop-img" src={cover} alt="" referrerPolicy="no-referrer" /> : null}
      <div className="watch-backdrop-body">{children}</div>
    </div>
  );
}

export function NotStarted({ session }: { session: LiveSession }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const countdown = useCountdown(session.scheduledAt);
  return (
    <Backdrop session={session} testId="watch-not-started">
      <p className="watch-state-title">{t('watch.notStartedTitle')}</p>
      <p className="watch-state-line">
        {t('watch.startsAt')}{' '}
        <time dateTime={session.scheduledAt} data-testid="watch-scheduled-at">
          {fmt.dateTime(session.scheduledAt)}
        </time>
      </p>
      {countdown.text ? (
        <p className="watch-countdown" data-testid="watch-countdown" aria-live="off">
          <span className="muted-light">{t('watch.countdown')}</span> <span className="mono">{countdown.text}</span>
        </p>
      ) : (
        <p className="watch-state-line" data-testid="watch-countdown" data-overdue="true">
          {t('watch.anyMoment')}
        </p>
      )}
      <p className="watch-state-hint">{t('watch.autoStart')}</p>
      <Suspense fallback={null}>
        <ReserveLive sessionId={session.id} />
      </Suspense>
    </Backdrop>
  );
}

export function Ended({ session, playback }: { session: LiveSession; playback: Playback }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  return (
    <div className="watch-ended" data-testid="watch-ended">
      {playback.replay ? (
        <>
          <ReplayPlayer src={playback.replay} poster={safeImageUrl(session.coverUrl)} onVideo={setVideo} />
          <Suspense fallback={null}>
            <ReplayShop session={session} video={video} />
          </Suspense>
          <p className="watch-ended-note">
            <span className="tag">{t('watch.replay')}</span>
            {t('watch.endedTitle')}
            {session.endedAt ? ` · ${fmt.dateTime(session.endedAt)}` : ''}
          </p>
        </>
      ) : (
        <Backdrop session={session} testId="watch-ended-card">
          <p className="watch-state-title">{t('watch.endedTitle')}</p>
          {session.endedAt ? (
            <p className="watch-state-line">
              {t('watch.endedAt')} <time dateTime={session.endedAt}>{fmt.dateTime(session.endedAt)}</time>
            </p>
          ) : null}
          <p className="watch-state-hint" data-testid="watch-replay-status" data-replay={session.replay}>
            {session.replay === 'recording' ? t('watch.replayPreparing') : t('watch.noReplay')}
          </p>
          <Link className="button button-small" to="/">
            {t('watch.moreLives')}
          </Link>
        </Backdrop>
      )}
    </div>
  );
}

export function RenditionSwitch({ playback, value, onChange }: { playback: Playback; value: string | null; onChange: (name: string | null) => void }) {
  const { t } = useTranslation();
  const options: { name: string | null; label: string }[] = [{ name: null, label: t('watch.source') }, ...playback.renditions.map((r) => ({ name: r.name, label: r.name }))];
  return (
    <div className="rendition-switch" role="group" aria-label={t('watch.quality')} data-testid="rendition-switch">
      {options.map((o) => (
        <button
          key={o.name ?? 'source'}
          type="button"
          className={o.name === value ? 'rendition active' : 'rendition'}
          aria-pressed={o.name === value}
          data-testid="rendition-option"
          data-rendition={o.name ?? 'source'}
          onClick={() => onChange(o.name)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
