import { useId, useState, type ChangeEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { type ApiError, path, post, putRaw } from '../api';
import type { StreamerSessionDetail } from '../types';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { label } from '../shared/labels';
import { ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { safeImageUrl } from '../shared/urls';
import { usePolling, useTookTooLong } from '../shared/usePolling';
import { toApiError } from '../shared/useApi';
import { LivePlayer } from '../live/LivePlayer';
import { CopyButton } from './CopyButton';
import { LiveBrandCard } from './LiveBrandPicker';
import { StreamEventList, StreamHealthPanel } from './StreamHealthPanel';

const COVER_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MASK = '••••••••••••';

/** Poll the streamer's view of a session: every 2 s while it can go (or is) live. */
export function useStreamerSession(id: string) {
  return usePolling<StreamerSessionDetail>(id ? path`/api/streamer/live-sessions/${id}` : null, streamerPollInterval);
}

function streamerPollInterval(d: StreamerSessionDetail | undefined): number | null {
  if (!d || d.session.status !== 'ended') return 2000;
  return d.session.replay === 'recording' ? 10_000 : null;
}

export function SessionNotFound() {
  const { t } = useTranslation();
  return (
    <div className="card state-notfound" data-testid="session-not-found" role="alert">
      <h1>{t('session.notFoundTitle')}</h1>
      <p className="muted">{t('session.notFoundBody')}</p>
      <Link className="button" to="/streamer">
        {t('session.backToConsole')}
      </Link>
    </div>
  );
}

/** Shared "loading / not found / error" handling for the session pages. */
export function SessionGate({ poll, children }: { poll: ReturnType<typeof useStreamerSession>; children: (d: StreamerSessionDetail) => ReactNode }) {
  const { t } = useTranslation();
  const slow = useTookTooLong(poll.loading, 8000);
  if (poll.data) return <>{children(poll.data)}</>;
  if (poll.error?.status === 404 || poll.error?.status === 400) return <SessionNotFound />;
  if (poll.error) return <ErrorNotice error={poll.error} onRetry={poll.refresh} />;
  return <Loading label={slow ? t('watch.slow') : undefined} />;
}

function PushInfo({ detail, onChange }: { detail: StreamerSessionDetail; onChange: (d: StreamerSessionDetail) => void }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [renewed, setRenewed] = useState(false);
  const push = detail.push;
  if (!push) return <p className="muted">{t('session.pushEnded')}</p>;
  const keyText = shown ? push.streamKey : MASK;
  const ffmpeg = (url: string) =>
    `ffmpeg -re -i input.mp4 -c:v libx264 -preset veryfast -tune zerolatency -r 30 -g 30 -keyint_min 30 -sc_threshold 0 -b:v 2500k -maxrate 2500k -bufsize 5000k -c:a aac -b:a 128k -ar 44100 -f flv "${url}"`;

  const renew = async () => {
    if (!window.confirm(t('session.confirmNewKey'))) return;
    setBusy(true);
    setError(null);
    setRenewed(false);
    try {
      onChange(await post<StreamerSessionDetail>(path`/api/streamer/live-sessions/${detail.session.id}/stream-key`));
      setRenewed(true);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="push-info" data-testid="push-info">
      <div className="copy-row">
        <span className="copy-label">{t('session.server')}</span>
        <code className="copy-value" data-testid="push-server">
          {push.server}
        </code>
        <CopyButton text={push.server} label={t('session.server')} testId="copy-server" />
      </div>
      <div className="copy-row">
        <span className="copy-label">{t('session.streamKey')}</span>
        <code className={`copy-value${shown ? '' : ' masked'}`} data-testid="push-key" data-shown={String(shown)}>
          {keyText}
        </code>
        <div className="button-row">
          <button type="button" className="button button-ghost button-small" data-testid="toggle-key" aria-pressed={shown} onClick={() => setShown((v) => !v)}>
            {shown ? t('session.hide') : t('session.show')}
          </button>
          <CopyButton text={push.streamKey} label={t('session.streamKey')} testId="copy-key" />
        </div>
      </div>
      <p className="field-hint">{t('session.keySecret')}</p>
      <FormError error={error} />
      {renewed ? <FormSuccess>{t('session.newKeyDone')}</FormSuccess> : null}
      <div className="button-row push-actions">
        <button type="button" className="button button-secondary button-small" data-testid="new-stream-key" disabled={busy} onClick={() => void renew()}>
          {busy ? t('common.submitting') : t('session.newKey')}
        </button>
      </div>

      <details className="howto" data-testid="ffmpeg-example">
        <summary>{t('session.ffmpegTitle')}</summary>
        <p className="field-hint">{t('session.ffmpegHint')}</p>
        <pre className="code-block">
          <code>{ffmpeg(shown ? push.url : `${push.server}/${MASK}`)}</code>
        </pre>
        <CopyButton text={ffmpeg(push.url)} testId="copy-ffmpeg" />
      </details>

      <details className="howto" data-testid="obs-instructions">
        <summary>{t('session.obsTitle')}</summary>
        <ol className="steps">
          <li>{t('session.obs1')}</li>
          <li>{t('session.obs2')}</li>
          <li>{t('session.obs3')}</li>
          <li>{t('session.obs4')}</li>
          <li>{t('session.obs5')}</li>
        </ol>
      </details>
    </div>
  );
}

function CoverUpload({ detail }: { detail: StreamerSessionDetail }) {
  const { t } = useTranslation();
  const inputId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [clientError, setClientError] = useState<string | null>(null);
  const [uploaded, setUploaded] = useState<string | null>(null);
  const cover = safeImageUrl(uploaded ?? detail.session.coverUrl);
  const editable = detail.session.status !== 'ended';

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setError(null);
    setClientError(null);
    if (!COVER_TYPES.includes(file.type)) {
      setClientError(t('session.coverType'));
      return;
    }
    setBusy(true);
    try {
      const res = await putRaw<{ coverUrl: string }>(path`/api/streamer/live-sessions/${detail.session.id}/cover`, file, file.type);
      setUploaded(res?.coverUrl ?? null);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="cover-upload" data-testid="cover-upload">
      <div className="cover-preview">
        {cover ? <img src={cover} alt={t('session.coverAlt')} data-testid="cover-image" /> : <span className="muted">{t('session.noCover')}</span>}
      </div>
      <div className="cover-actions">
        <label htmlFor={inputId} className={`button button-secondary button-small${!editable || busy ? ' disabled' : ''}`}>
          {busy ? t('session.coverUploading') : cover ? t('session.coverReplace') : t('session.coverChoose')}
        </label>
        <input
          id={inputId}
          className="sr-only"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          data-testid="cover-input"
          disabled={!editable || busy}
          onChange={(e) => void onFile(e)}
        />
        <p className="field-hint">{editable ? t('session.coverHint') : t('session.coverLocked')}</p>
        {uploaded ? <FormSuccess>{t('session.coverDone')}</FormSuccess> : null}
        {clientError ? (
          <p className="form-error" role="alert" data-testid="form-error">
            {clientError}
          </p>
        ) : null}
        <FormError error={error} />
      </div>
    </div>
  );
}

function EndLive({ detail, onChange }: { detail: StreamerSessionDetail; onChange: (d: StreamerSessionDetail) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const live = detail.session.status === 'live';
  const end = async () => {
    if (!window.confirm(live ? t('session.confirmEnd') : t('session.confirmCancel'))) return;
    setBusy(true);
    setError(null);
    try {
      onChange(await post<StreamerSessionDetail>(path`/api/streamer/live-sessions/${detail.session.id}/end`));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="end-live">
      <FormError error={error} />
      <button type="button" className="button button-danger" data-testid="end-live" disabled={busy} onClick={() => void end()}>
        {busy ? t('common.submitting') : live ? t('session.end') : t('session.cancel')}
      </button>
    </div>
  );
}

export function SessionPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { id = '' } = useParams();
  const poll = useStreamerSession(id);

  return (
    <div className="page page-session" data-testid="session-page">
      <p className="breadcrumb">
        <Link to="/streamer">← {t('session.backToConsole')}</Link>
      </p>
      <SessionGate poll={poll}>
        {(detail) => {
          const s = detail.session;
          const active = s.status !== 'ended';
          return (
            <>
              <header className="session-header" data-status={s.status}>
                <div>
                  <h1 data-testid="session-title">{s.title}</h1>
                  <p className="status-line">
                    <StatusBadge status={s.status}>{label(t, 'status', s.status)}</StatusBadge>
                    <span className="muted">
                      {s.status === 'scheduled'
                        ? t('session.scheduledFor', { time: fmt.dateTime(s.scheduledAt) })
                        : s.status === 'live' && s.startedAt
                          ? t('session.liveSince', { time: fmt.dateTime(s.startedAt) })
                          : s.endedAt
                            ? t('session.endedAt', { time: fmt.dateTime(s.endedAt) })
                            : ''}
                    </span>
                  </p>
                </div>
                <div className="button-row">
                  {active ? (
                    <Link className="button" to={path`/streamer/sessions/${s.id}/go-live`} data-testid="go-live-link">
                      {t('session.goLiveInBrowser')}
                    </Link>
                  ) : null}
                  <Link className="button button-secondary" to={path`/streamer/sessions/${s.id}/console`} data-testid="console-link">
                    {t('session.controlRoom')}
                  </Link>
                  <Link className="button button-ghost" to={path`/watch/${s.id}`} data-testid="watch-link">
                    {t('session.viewerPage')}
                  </Link>
                  {s.status !== 'scheduled' ? (
                    <Link className="button button-ghost" to={path`/analytics/sessions/${s.id}/screen`} data-testid="analytics-screen-link">
                      {t('analytics.screen.open')}
                    </Link>
                  ) : null}
                  {s.status === 'ended' ? (
                    <Link className="button button-ghost" to={path`/analytics/sessions/${s.id}/review`} data-testid="analytics-review-link">
                      {t('analytics.review.link')}
                    </Link>
                  ) : null}
                </div>
              </header>
              {poll.error ? (
                <p className="notice notice-warning" role="status">
                  {t('session.pollError')}: {poll.error.message}
                </p>
              ) : null}

              <div className="session-columns">
                <div className="session-main">
                  {s.status === 'live' ? (
                    <section className="card" aria-labelledby="preview-h">
                      <h2 id="preview-h">{t('session.preview')}</h2>
                      <LivePlayer flv={detail.playback.flv} hls={detail.playback.hls} className="preview-player" onTrouble={poll.refresh} />
                    </section>
                  ) : null}
                  <section className="card" aria-labelledby="health-h">
                    <h2 id="health-h">{t('session.health')}</h2>
                    {s.status === 'scheduled' && !detail.health.publishing ? <p className="notice">{t('session.waitingForPublisher')}</p> : null}
                    <StreamHealthPanel health={detail.health} />
                  </section>
                  <section className="card" aria-labelledby="events-h">
                    <h2 id="events-h">{t('session.events')}</h2>
                    <StreamEventList events={detail.events} />
                  </section>
                </div>
                <div className="session-side">
                  {active ? (
                    <section className="card" aria-labelledby="push-h">
                      <h2 id="push-h">{t('session.push')}</h2>
                      <PushInfo detail={detail} onChange={poll.setData} />
                    </section>
                  ) : null}
                  <LiveBrandCard detail={detail} onChange={poll.setData} />
                  <section className="card" aria-labelledby="cover-h">
                    <h2 id="cover-h">{t('session.cover')}</h2>
                    <CoverUpload detail={detail} />
                  </section>
                  {s.description ? (
                    <section className="card">
                      <h2>{t('session.description')}</h2>
                      <p className="pre-wrap">{s.description}</p>
                    </section>
                  ) : null}
                  {active ? (
                    <section className="card" aria-labelledby="end-h">
                      <h2 id="end-h">{s.status === 'live' ? t('session.end') : t('session.cancel')}</h2>
                      <p className="muted">{s.status === 'live' ? t('session.endHint') : t('session.cancelHint')}</p>
                      <EndLive detail={detail} onChange={poll.setData} />
                    </section>
                  ) : (
                    <section className="card">
                      <h2>{t('session.replay')}</h2>
                      <p className="muted" data-testid="session-replay" data-replay={s.replay}>
                        {t(`session.replayStatus.${s.replay}`)}
                      </p>
                      {s.replay === 'ready' ? (
                        <Link className="button button-secondary button-small" to={path`/watch/${s.id}`}>
                          {t('session.watchReplay')}
                        </Link>
                      ) : null}
                    </section>
                  )}
                </div>
              </div>
            </>
          );
        }}
      </SessionGate>
    </div>
  );
}
