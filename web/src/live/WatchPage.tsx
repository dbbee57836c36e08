import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import type { PublicSessionDetail } from '../types';
import { ErrorNotice } from '../shared/Status';
import { usePolling, useTookTooLong } from '../shared/usePolling';
import { safeImageUrl } from '../shared/urls';
import { forcedTechFrom, LivePlayer, orientationOf, type Tech } from './LivePlayer';
import { Ended, NotFound, NotStarted, RenditionSwitch } from './WatchStates';
import { RoomSwiper, type SlideProps } from '../room/RoomSwiper';
import { ImmersiveTopBar } from '../room/TopBar';
import { RotateButton } from '../room/RotateButton';

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
    <section className="imm-room" data-testid="room-panel" data-connection="unavailable">
      <div className="imm-stack">
        <div className="room-connection room-connection-down" role="status" data-testid="room-connection" data-state="unavailable">
          <span>{t('room.unavailable')}</span>
          <button type="button" className="button button-ghost button-small" onClick={() => window.location.reload()}>
            {t('common.retry')}
          </button>
        </div>
      </div>
    </section>
  );
}

/** Scheduled: wait for the start. Live: notice the end. Ended: only until the replay is ready. */
function watchPollInterval(d: PublicSessionDetail | undefined): number | null {
  return d && d.session.status === 'ended' && d.session.replay !== 'recording' ? null : POLL_MS;
}

/** The video's shape, from its own size. */
function useOrientation(video: HTMLVideoElement | null): 'portrait' | 'landscape' | '' {
  const [value, setValue] = useState<'portrait' | 'landscape' | ''>('');
  useEffect(() => {
    if (!video) return;
    const update = () => setValue(video.videoWidth > 0 ? orientationOf(`${video.videoWidth} / ${video.videoHeight}`) : '');
    update();
    video.addEventListener('loadedmetadata', update);
    video.addEventListener('resize', update);
    return () => {
      video.removeEventListener('loadedmetadata', update);
      video.removeEventListener('resize', update);
    };
  }, [video]);
  return value;
}

/**
 * Reports the first video frame presented once `seq` is set: the frame callback where the browser has
 * one, else the first `timeupdate` with a picture.
 */
function useFirstFrame(video: HTMLVideoElement | null, id: string, seq: number | null, report: (id: string, seq: number) => void) {
  useEffect(() => {
    if (!video || seq === null) return;
    let done = false;
    const fire = () => {
      if (done) return;
      done = true;
      report(id, seq);
    };
    if (typeof video.requestVideoFrameCallback === 'function') {
      const handle = video.requestVideoFrameCallback(fire);
      return () => video.cancelVideoFrameCallback(handle);
    }
    const onTime = () => video.readyState >= 2 && !video.paused && fire();
    video.addEventListener('timeupdate', onTime);
    return () => video.removeEventListener('timeupdate', onTime);
  }, [video, id, seq, report]);
}

function LiveStage({ detail, current, onTrouble, measureSeq, onFirstFrame }: { detail: PublicSessionDetail; current: boolean; onTrouble: () => void } & Pick<SlideProps, 'measureSeq' | 'onFirstFrame'>) {
  const [params] = useSearchParams();
  const forced = forcedTechFrom(params.get('tech'));
  const [rendition, setRendition] = useState<string | null>(null);
  const [tech, setTech] = useState<Tech | null>(null);
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const [playerEl, setPlayerEl] = useState<HTMLDivElement | null>(null);
  const orientation = useOrientation(video);
  const { playback, session } = detail;
  const chosen = rendition ? playback.renditions.find((r) => r.name === rendition) : undefined;
  const flv = chosen?.flv ?? playback.flv;
  // Renditions are FLV streams: offer them only while playing FLV.
  const showSwitch = current && playback.renditions.length > 0 && (tech === 'flv' || (tech === null && !!playback.flv && forced !== 'hls'));
  useFirstFrame(video, session.id, measureSeq, onFirstFrame);
  // The room that slid in keeps playing muted; a viewer who turned the sound on hears this one too.
  useEffect(() => {
    if (current && video && soundWanted && navigator.userActivation?.isActive !== false) video.muted = false;
  }, [current, video]);
  useEffect(() => {
    if (!video) return;
    const remember = () => {
      if (current) soundWanted = !video.muted;
    };
    video.addEventListener('volumechange', remember);
    return () => video.removeEventListener('volumechange', remember);
  }, [video, current]);
  return (
    <div className="imm-player-box" ref={setPlayerEl}>
      <LivePlayer
        flv={flv}
        hls={playback.hls}
        forcedTech={forced}
        poster={safeImageUrl(session.coverUrl)}
        onTrouble={onTrouble}
        onTech={setTech}
        onVideo={setVideo}
        testId={current ? 'live-player' : 'live-player-preload'}
        className="imm-player"
      >
        {showSwitch || (current && orientation === 'landscape') ? (
          <>
            {showSwitch ? <RenditionSwitch playback={playback} value={chosen ? rendition : null} onChange={setRendition} /> : null}
            {current && orientation === 'landscape' ? <RotateButton target={playerEl} /> : null}
          </>
        ) : null}
      </LivePlayer>
    </div>
  );
}

/** Sound on in one room: the next one starts with sound too (muted autoplay needs the swipe's gesture). */
let soundWanted = false;

/** A cover (or a dark gradient) for a room whose player is not attached. */
function Poster({ src }: { src: string | null }) {
  return <div className="imm-poster">{src ? <img src={src} alt="" referrerPolicy="no-referrer" /> : null}</div>;
}

function WatchSlide({ id, role, playerOn, measureSeq, onFirstFrame }: SlideProps) {
  const { t } = useTranslation();
  const poll = usePolling<PublicSessionDetail>(id ? path`/api/live-sessions/${id}` : null, watchPollInterval);
  const detail = poll.data;
  const status = detail?.session.status;
  const current = role === 'current';
  const slow = useTookTooLong(poll.loading, 8000);
  const refresh = poll.refresh;
  const onTrouble = useCallback(() => refresh(), [refresh]);

  const notFound = poll.error && !detail && (poll.error.status === 404 || poll.error.status === 400 || poll.error.code === 'LIVE_SESSION_NOT_FOUND');
  let body;
  if (notFound) body = current ? <div className="imm-center">{<NotFound />}</div> : null;
  else if (!detail) {
    body = poll.error ? (
      current ? (
        <div className="imm-center">
          <ErrorNotice error={poll.error} onRetry={poll.refresh} />
        </div>
      ) : null
    ) : (
      <div className="imm-center imm-loading" role="status">
        <span className="spinner spinner-light" aria-hidden="true" />
        {current && slow ? <span>{t('watch.slow')}</span> : null}
      </div>
    );
  } else {
    const { session } = detail;
    const withRoom = status === 'live' || status === 'scheduled';
    body = (
      <>
        <div className="imm-stage">
          {status === 'live' ? (
            playerOn ? (
              <LiveStage key={session.id} detail={detail} current={current} onTrouble={onTrouble} measureSeq={measureSeq} onFirstFrame={onFirstFrame} />
            ) : (
              <Poster src={safeImageUrl(session.coverUrl)} />
            )
          ) : null}
          {status === 'scheduled' ? <NotStarted session={session} /> : null}
          {status === 'ended' ? current ? <Ended session={session} playback={detail.playback} /> : <Poster src={safeImageUrl(session.coverUrl)} /> : null}
        </div>
        {current && withRoom ? (
          <Suspense fallback={<ImmersiveTopBar session={session} viewers={detail.viewers} />}>
            <ViewerRoom key={session.id} session={session} onStatus={poll.refresh} />
          </Suspense>
        ) : (
          <div className="imm-room">
            <ImmersiveTopBar session={session} viewers={detail.viewers} />
          </div>
        )}
        {current && poll.error ? (
          <p className="notice notice-warning watch-offline" role="status" data-testid="watch-poll-error">
            {t('watch.pollError')}
          </p>
        ) : null}
      </>
    );
  }

  return (
    <div
      className={`imm-slide imm-slide-${role}`}
      data-testid={current ? (notFound ? 'watch-missing' : 'watch-page') : 'watch-slide'}
      data-role={role}
      data-status={status}
      data-session-id={id}
      aria-hidden={current ? undefined : true}
      inert={!current}
    >
      {body}
    </div>
  );
}

export function WatchPage() {
  const { id = '' } = useParams();
  return <RoomSwiper routeId={id} renderSlide={(props) => <WatchSlide key={props.id} {...props} />} />;
}
