import { lazy, Suspense, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import type { LiveSession, Playback, PublicSessionDetail } from '../types';
import { useFormat } from '../shared/format';
import { IconEye } from '../shared/icons';
import { ErrorNotice, Loading } from '../shared/Status';
import { useNow, usePolling, useTookTooLong } from '../shared/usePolling';
import { forcedTechFrom, LivePlayer, ReplayPlayer, type Tech } from './LivePlayer';
import { safeImageUrl } from '../shared/urls';

const POLL_MS = 5000;

// The live room (chat, danmaku, products…) is its own chunk, fetched alongside the session.
const ViewerRoom = lazy(() =>
  import('../room/ViewerRoom').then(
    (m) => ({ default: m.ViewerRoom }),
    () => ({ default: RoomChunkFailed }),
  ),
);

function RoomChunkFailed() {
  const { t } = useTranslation();
  return (
    <section className="room-panel" data-testid="room-panel" data-connection="unavailable">
      <div className="room-connection room-connection-down" role="status" data-testid="room-connection" data-state="unavailable">
        <span>{t('room.unavailable')}</span>
        <button type="button" className="button button-ghost button-small" onClick={() => window.location.reload()}>
          {t('common.retry')}
        </button>
      </div>
    </section>
  );
}

function NotFound() {
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

function NotStarted({ session }: { session: LiveSession }) {
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
    </Backdrop>
  );
}

function Ended({ session, playback }: { session: LiveSession; playback: Playback }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <div className="watch-ended" data-testid="watch-ended">
      {playback.replay ? (
        <>
          <ReplayPlayer src={playback.replay} poster={safeImageUrl(session.coverUrl)} />
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

function RenditionSwitch({ playback, value, onChange }: { playback: Playback; value: string | null; onChange: (name: string | null) => void }) {
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

function Live({ detail, onTrouble }: { detail: PublicSessionDetail; onTrouble: () => void }) {
  const [params] = useSearchParams();
  const forced = forcedTechFrom(params.get('tech'));
  const [rendition, setRendition] = useState<string | null>(null);
  const [tech, setTech] = useState<Tech | null>(null);
  const { playback, session } = detail;
  const chosen = rendition ? playback.renditions.find((r) => r.name === rendition) : undefined;
  const flv = chosen?.flv ?? playback.flv;
  // Renditions are FLV streams: offer them only while playing FLV.
  const showSwitch = playback.renditions.length > 0 && (tech === 'flv' || (tech === null && !!playback.flv && forced !== 'hls'));
  return (
    <LivePlayer flv={flv} hls={playback.hls} forcedTech={forced} poster={safeImageUrl(session.coverUrl)} onTrouble={onTrouble} onTech={setTech}>
      {showSwitch ? <RenditionSwitch playback={playback} value={chosen ? rendition : null} onChange={setRendition} /> : null}
    </LivePlayer>
  );
}

function Info({ detail }: { detail: PublicSessionDetail }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { session } = detail;
  const live = session.status === 'live';
  return (
    <section className="watch-info" aria-labelledby="watch-title">
      <div className="watch-title-row">
        {live ? (
          <span className="badge badge-live watch-live-badge" data-testid="watch-live-badge">
            {t('home.badgeLive')}
          </span>
        ) : null}
        <h1 id="watch-title" data-testid="watch-title">
          {session.title}
        </h1>
      </div>
      <div className="watch-meta">
        <span className="watch-streamer" data-testid="watch-streamer">
          <span className="avatar avatar-small" aria-hidden="true">
            {Array.from(session.streamer?.displayName || '?')[0]}
          </span>
          <span className="sr-only">{t('home.streamer')}</span>
          <span>{session.streamer?.displayName}</span>
        </span>
        {session.brand ? (
          <span className="watch-brand" data-testid="watch-brand">
            <span className="tag">{t('home.brand')}</span>
            <span>{session.brand.name}</span>
          </span>
        ) : null}
        {live ? (
          <span className="watch-viewers" data-testid="watch-viewers" data-count={detail.viewers}>
            <IconEye /> {t('watch.viewers', { formatted: fmt.number(detail.viewers) })}
          </span>
        ) : session.status === 'ended' && session.peakViewers > 0 ? (
          <span className="watch-viewers muted" data-testid="watch-peak">
            {t('watch.peakViewers', { formatted: fmt.number(session.peakViewers) })}
          </span>
        ) : null}
      </div>
      {session.description ? <p className="watch-desc">{session.description}</p> : null}
    </section>
  );
}

/** Scheduled: wait for the start. Live: notice the end. Ended: only until the replay is ready. */
function watchPollInterval(d: PublicSessionDetail | undefined): number | null {
  return d && d.session.status === 'ended' && d.session.replay !== 'recording' ? null : POLL_MS;
}

export function WatchPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const poll = usePolling<PublicSessionDetail>(id ? path`/api/live-sessions/${id}` : null, watchPollInterval);
  const detail = poll.data;
  const status = detail?.session.status;
  const slow = useTookTooLong(poll.loading, 8000);
  const [stageEl, setStageEl] = useState<HTMLDivElement | null>(null);

  const notFound = poll.error && !detail && (poll.error.status === 404 || poll.error.status === 400 || poll.error.code === 'LIVE_SESSION_NOT_FOUND');
  if (notFound) return <NotFound />;
  if (!detail) {
    if (poll.error) return <ErrorNotice error={poll.error} onRetry={poll.refresh} />;
    return (
      <div className="page page-watch">
        <Loading label={slow ? t('watch.slow') : undefined} />
      </div>
    );
  }

  const withRoom = status === 'live' || status === 'scheduled';
  const stage = (
    <div className={`watch-stage${withRoom ? ' room-stage' : ''}`} ref={setStageEl}>
      {status === 'live' ? <Live key={detail.session.id} detail={detail} onTrouble={poll.refresh} /> : null}
      {status === 'scheduled' ? <NotStarted session={detail.session} /> : null}
      {status === 'ended' ? <Ended session={detail.session} playback={detail.playback} /> : null}
    </div>
  );

  return (
    <div className="page page-watch" data-testid="watch-page" data-status={status} data-session-id={detail.session.id}>
      {withRoom ? (
        <div className="watch-layout has-room">
          <div className="watch-main">
            {stage}
            <Info detail={detail} />
          </div>
          <Suspense fallback={null}>
            <ViewerRoom key={detail.session.id} sessionId={detail.session.id} streamerId={detail.session.streamer?.id ?? null} stageEl={stageEl} onStatus={poll.refresh} />
          </Suspense>
        </div>
      ) : (
        <div className="watch-layout">
          {stage}
          <Info detail={detail} />
        </div>
      )}
      {poll.error ? (
        <p className="notice notice-warning watch-offline" role="status" data-testid="watch-poll-error">
          {t('watch.pollError')}
        </p>
      ) : null}
    </div>
  );
}
