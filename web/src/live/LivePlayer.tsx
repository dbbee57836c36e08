import { useCallback, useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { IconMuted, IconPlay } from '../shared/icons';
import { useTookTooLong } from '../shared/usePolling';
import { canPlayNativeHls, LiveEngine, loadHls, type EnginePhase, type ForcedTech, type Tech } from './playerEngine';

export type { ForcedTech, Tech } from './playerEngine';

/** `?tech=hls` / `?tech=flv` force one technology (the latency benchmark uses it). */
export function forcedTechFrom(value: string | null): ForcedTech {
  return value === 'hls' || value === 'flv' ? value : null;
}

/** Keeps the player box at the video's own shape (landscape or portrait). */
function useVideoAspect(video: HTMLVideoElement | null): string | undefined {
  const [aspect, setAspect] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!video) return;
    const update = () => {
      if (video.videoWidth > 0 && video.videoHeight > 0) setAspect(`${video.videoWidth} / ${video.videoHeight}`);
    };
    video.addEventListener('loadedmetadata', update);
    video.addEventListener('resize', update);
    return () => {
      video.removeEventListener('loadedmetadata', update);
      video.removeEventListener('resize', update);
    };
  }, [video]);
  return aspect;
}

/** Paused by something other than us (iOS in the background, picture-in-picture, media keys). */
function usePaused(video: HTMLVideoElement | null): boolean {
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (!video) return;
    const on = () => setPaused(true);
    const off = () => setPaused(false);
    video.addEventListener('pause', on);
    video.addEventListener('play', off);
    video.addEventListener('playing', off);
    return () => {
      video.removeEventListener('pause', on);
      video.removeEventListener('play', off);
      video.removeEventListener('playing', off);
    };
  }, [video]);
  return paused;
}

function useMuted(video: HTMLVideoElement | null): [boolean, () => void] {
  const [muted, setMuted] = useState(true);
  useEffect(() => {
    if (!video) return;
    video.muted = true;
    const sync = () => setMuted(video.muted);
    video.addEventListener('volumechange', sync);
    return () => video.removeEventListener('volumechange', sync);
  }, [video]);
  const unmute = useCallback(() => {
    if (!video) return;
    video.muted = false;
    if (video.volume === 0) video.volume = 1;
    void video.play()?.catch(() => undefined);
  }, [video]);
  return [muted, unmute];
}

type LivePlayerProps = {
  flv: string | null;
  hls: string | null;
  forcedTech?: ForcedTech;
  poster?: string | null;
  /** Called when the stream broke: the owner re-checks the session (it may have ended). */
  onTrouble?: (why: string) => void;
  onTech?: (tech: Tech | null) => void;
  /** Extra controls drawn over the video (e.g. the rendition switch). */
  children?: ReactNode;
  className?: string;
  /** `live-player` by default; the swiper's preloaded neighbour uses another so tests and scripts find the current one. */
  testId?: string;
  /** The <video> element, once mounted (the room measures its first frame). */
  onVideo?: (video: HTMLVideoElement | null) => void;
};

/** 'portrait' or 'landscape' once the video's size is known, else ''. */
export function orientationOf(aspect: string | undefined): 'portrait' | 'landscape' | '' {
  if (!aspect) return '';
  const [w, h] = aspect.split('/').map((x) => Number(x.trim()));
  return w! < h! ? 'portrait' : 'landscape';
}

/**
 * A live video: mpegts.js (HTTP-FLV) where MSE exists, else the browser's own
 * HLS (iOS Safari), else hls.js. Recovers by itself from errors and stalls.
 */
export function LivePlayer({ flv, hls, forcedTech = null, poster, onTrouble, onTech, children, className, testId = 'live-player', onVideo }: LivePlayerProps) {
  const { t } = useTranslation();
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const [tech, setTech] = useState<Tech | null>(null);
  const [phase, setPhase] = useState<EnginePhase>('connecting');
  const [attempt, setAttempt] = useState(0);
  const [needsTap, setNeedsTap] = useState(false);
  const engineRef = useRef<LiveEngine | null>(null);
  const troubleRef = useRef(onTrouble);
  troubleRef.current = onTrouble;
  const techRef = useRef(onTech);
  techRef.current = onTech;
  const [muted, unmute] = useMuted(video);
  const paused = usePaused(video);
  const aspect = useVideoAspect(video);
  const slow = useTookTooLong(phase === 'connecting', 10_000);
  const onVideoRef = useRef(onVideo);
  onVideoRef.current = onVideo;
  useEffect(() => onVideoRef.current?.(video), [video]);

  useEffect(() => {
    if (!video) return;
    setPhase('connecting');
    setNeedsTap(false);
    const engine = new LiveEngine(video, { flv, hls }, forcedTech, {
      phase: (p, n) => {
        setPhase(p);
        setAttempt(n);
      },
      tech: (tk) => {
        setTech(tk);
        techRef.current?.(tk);
      },
      needsTap: setNeedsTap,
      trouble: (why) => troubleRef.current?.(why),
    });
    engineRef.current = engine;
    engine.start();
    return () => {
      engine.destroy();
      engineRef.current = null;
    };
  }, [video, flv, hls, forcedTech]);

  const style = aspect ? ({ '--video-aspect': aspect } as CSSProperties) : undefined;
  const noSource = !flv && !hls;

  return (
    <div
      className={`player live-player${className ? ` ${className}` : ''}`}
      data-testid={testId}
      data-tech={tech ?? ''}
      data-phase={noSource ? 'unsupported' : phase}
      data-orientation={orientationOf(aspect)}
      style={style}
    >
      <video
        ref={setVideo}
        className="player-video"
        data-tech={tech ?? ''}
        muted
        autoPlay
        playsInline
        webkit-playsinline="true"
        x5-playsinline="true"
        poster={poster ?? undefined}
        aria-label={t('player.liveVideo')}
      />
      {phase === 'connecting' && !noSource ? (
        <div className="player-overlay" role="status" data-testid="player-connecting">
          <span className="spinner spinner-light" aria-hidden="true" />
          <span>{slow ? t('player.slow') : t('player.connecting')}</span>
        </div>
      ) : null}
      {phase === 'reconnecting' ? (
        <div className="player-reconnecting" role="status" data-testid="player-reconnecting" data-attempt={attempt}>
          <span className="spinner spinner-light spinner-small" aria-hidden="true" />
          <span>{attempt > 3 ? t('player.reconnectingLong', { attempt }) : t('player.reconnecting')}</span>
        </div>
      ) : null}
      {phase === 'unsupported' || noSource ? (
        <div className="player-overlay player-overlay-solid" role="alert" data-testid="player-unsupported">
          <span>{noSource ? t('player.noSource') : t('player.unsupported')}</span>
        </div>
      ) : null}
      {needsTap || (paused && phase === 'playing') ? (
        <button type="button" className="player-tap-play" data-testid="player-tap-play" onClick={() => engineRef.current?.resume()}>
          <IconPlay /> {t('player.tapToPlay')}
        </button>
      ) : null}
      {muted && !needsTap && !paused && phase === 'playing' ? (
        <button type="button" className="player-unmute" data-testid="player-unmute" onClick={unmute}>
          <IconMuted /> {t('player.tapForSound')}
        </button>
      ) : null}
      {children ? <div className="player-controls">{children}</div> : null}
    </div>
  );
}

/** The recording after a live ended: HLS VOD with normal seeking controls. */
export function ReplayPlayer({ src, poster, onVideo }: { src: string; poster?: string | null; onVideo?: (video: HTMLVideoElement | null) => void }) {
  const { t } = useTranslation();
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  // The chapters under the replay seek it (web/src/replays).
  const onVideoRef = useRef(onVideo);
  onVideoRef.current = onVideo;
  useEffect(() => onVideoRef.current?.(video), [video]);
  const [tech, setTech] = useState<'hls' | 'native' | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'error' | 'unsupported'>('loading');
  const [nonce, setNonce] = useState(0);
  const aspect = useVideoAspect(video);
  const slow = useTookTooLong(state === 'loading', 15_000);

  useEffect(() => {
    if (!video) return;
    let disposed = false;
    let teardown: (() => void) | null = null;
    setState('loading');
    const ready = () => !disposed && setState('ready');
    video.addEventListener('loadedmetadata', ready);
    const url = new URL(src, window.location.href).toString();

    loadHls()
      .then((Hls) => {
        if (disposed) return;
        if (Hls.isSupported()) {
          setTech('hls');
          const hls = new Hls({ backBufferLength: 30 });
          hls.on(Hls.Events.ERROR, (_e, data) => {
            if (data.fatal && !disposed) setState('error');
          });
          hls.loadSource(url);
          hls.attachMedia(video);
          teardown = () => hls.destroy();
        } else if (canPlayNativeHls(video)) {
          setTech('native');
          const onError = () => !disposed && setState('error');
          video.addEventListener('error', onError);
          video.src = url;
          teardown = () => {
            video.removeEventListener('error', onError);
            video.removeAttribute('src');
            video.load();
          };
        } else {
          setState('unsupported');
        }
      })
      .catch(() => {
        if (disposed) return;
        // hls.js did not download; Safari can still play the recording itself.
        if (canPlayNativeHls(video)) {
          setTech('native');
          video.src = url;
          teardown = () => {
            video.removeAttribute('src');
            video.load();
          };
        } else setState('error');
      });

    return () => {
      disposed = true;
      video.removeEventListener('loadedmetadata', ready);
      teardown?.();
    };
  }, [video, src, nonce]);

  const style = aspect ? ({ '--video-aspect': aspect } as CSSProperties) : undefined;
  return (
    <div className="player replay-player" data-testid="replay-player" data-tech={tech ?? ''} data-state={state} data-orientation={orientationOf(aspect)} style={style}>
      <video
        ref={setVideo}
        className="player-video"
        data-tech={tech ?? ''}
        controls
        playsInline
        webkit-playsinline="true"
        preload="metadata"
        poster={poster ?? undefined}
        aria-label={t('player.replayVideo')}
      />
      {state === 'loading' ? (
        <div className={`player-overlay${slow ? '' : ' player-overlay-passive'}`} role="status">
          <span className="spinner spinner-light" aria-hidden="true" />
          <span>{slow ? t('player.replaySlow') : t('player.replayLoading')}</span>
          {slow ? (
            <button type="button" className="button button-small" onClick={() => setNonce((n) => n + 1)}>
              {t('common.retry')}
            </button>
          ) : null}
        </div>
      ) : null}
      {state === 'error' || state === 'unsupported' ? (
        <div className="player-overlay player-overlay-solid" role="alert" data-testid="replay-error">
          <span>{state === 'error' ? t('player.replayError') : t('player.unsupported')}</span>
          {state === 'error' ? (
            <button type="button" className="button button-small" onClick={() => setNonce((n) => n + 1)}>
              {t('common.retry')}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
