// Going live from a browser tab: camera and microphone choice, resolution and orientation, the local
// preview, start and stop, the connection's state and errors. The WebRTC side is useWhipPublisher. Used by
// the streamer's go-live page (web/src/streamers/GoLivePage.tsx) and the trainee's practice page
// (web/src/training/PracticePage.tsx), each with its own WHIP endpoint.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../shared/Field';
import { useWhipPublisher } from './useWhipPublisher';
import './publisher.css';

type Resolution = '720p' | '480p';
const RESOLUTIONS: Record<Resolution, { width: number; height: number; maxBitrate: number }> = {
  '720p': { width: 1280, height: 720, maxBitrate: 2_500_000 },
  '480p': { width: 854, height: 480, maxBitrate: 1_200_000 },
};

/** Portrait (9:16) fills viewers' phones (docs/ROOM.md); landscape is the usual 16:9. */
type Orientation = 'portrait' | 'landscape';

/** The camera size to ask for: the resolution's long side vertical in portrait. */
function cameraSize(resolution: Resolution, orientation: Orientation): { width: number; height: number } {
  const { width, height } = RESOLUTIONS[resolution];
  return orientation === 'portrait' ? { width: height, height: width } : { width, height };
}

/** Phones held upright start in portrait, everything else in landscape. */
function defaultOrientation(): Orientation {
  return typeof window !== 'undefined' && window.matchMedia?.('(orientation: portrait) and (pointer: coarse)').matches ? 'portrait' : 'landscape';
}

type Device = { deviceId: string; label: string };

function mediaErrorKey(e: unknown): string {
  const name = e instanceof DOMException || e instanceof Error ? e.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'goLive.errors.denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'goLive.errors.notFound';
    case 'NotReadableError':
    case 'AbortError':
      return 'goLive.errors.busy';
    default:
      return 'goLive.errors.media';
  }
}

function DeviceSelect({ label: text, devices, value, onChange, testId, disabled }: { label: string; devices: Device[]; value: string; onChange: (id: string) => void; testId: string; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{text}</label>
      <select id={id} data-testid={testId} value={value} disabled={disabled || devices.length === 0} onChange={(e) => onChange(e.target.value)}>
        {devices.map((d, i) => (
          <option key={d.deviceId || i} value={d.deviceId}>
            {d.label || `${text} ${i + 1}`}
          </option>
        ))}
      </select>
    </div>
  );
}

export type BrowserPublisherProps = {
  /** The WHIP endpoint to POST the offer to. */
  endpoint: string;
  /** The live has ended: nothing to publish to (and a running publication hangs up). */
  ended: boolean;
  /** Hints under the button, before and while publishing; the go-live page's by default. */
  startHint?: string;
  stopHint?: string;
};

export function BrowserPublisher({ endpoint, ended, startHint, stopHint }: BrowserPublisherProps) {
  const { t } = useTranslation();
  const resolutionId = useId();
  const orientationId = useId();
  const previewRef = useRef<HTMLVideoElement | null>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const aliveRef = useRef(true);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [cameras, setCameras] = useState<Device[]>([]);
  const [mics, setMics] = useState<Device[]>([]);
  const [cameraId, setCameraId] = useState('');
  const [micId, setMicId] = useState('');
  const [resolution, setResolution] = useState<Resolution>('720p');
  const [orientation, setOrientation] = useState<Orientation>(defaultOrientation);
  const [mediaError, setMediaError] = useState<string | null>(null);
  const [mediaBusy, setMediaBusy] = useState(false);
  const { state, error, localError, publishing, start, stop, replaceTracks } = useWhipPublisher(endpoint, ended);
  const supported = typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia && typeof RTCPeerConnection !== 'undefined';

  const listDevices = useCallback(async () => {
    const all = await navigator.mediaDevices.enumerateDevices();
    setCameras(all.filter((d) => d.kind === 'videoinput').map((d) => ({ deviceId: d.deviceId, label: d.label })));
    setMics(all.filter((d) => d.kind === 'audioinput').map((d) => ({ deviceId: d.deviceId, label: d.label })));
  }, []);

  /** Open (or reopen) camera and microphone; while publishing, the new tracks replace the old ones. */
  const openMedia = useCallback(
    async (opts: { cameraId?: string; micId?: string; resolution: Resolution; orientation: Orientation }) => {
      setMediaBusy(true);
      setMediaError(null);
      const res = cameraSize(opts.resolution, opts.orientation);
      try {
        const next = await navigator.mediaDevices.getUserMedia({
          video: {
            ...(opts.cameraId ? { deviceId: { exact: opts.cameraId } } : {}),
            width: { ideal: res.width },
            height: { ideal: res.height },
            // A camera without a portrait mode is cropped to it (Chromium crops and scales down).
            aspectRatio: { ideal: res.width / res.height },
            frameRate: { ideal: 30, max: 30 },
          },
          audio: { ...(opts.micId ? { deviceId: { exact: opts.micId } } : {}), echoCancellation: true, noiseSuppression: true },
        });
        if (!aliveRef.current) {
          next.getTracks().forEach((tr) => tr.stop()); // the page was left while the browser asked
          return;
        }
        await replaceTracks(next);
        streamRef.current?.getTracks().forEach((tr) => tr.stop());
        streamRef.current = next;
        setStream(next);
        setCameraId(next.getVideoTracks()[0]?.getSettings().deviceId ?? opts.cameraId ?? '');
        setMicId(next.getAudioTracks()[0]?.getSettings().deviceId ?? opts.micId ?? '');
        await listDevices();
      } catch (e) {
        setMediaError(t(mediaErrorKey(e) as 'goLive.errors.media'));
      } finally {
        setMediaBusy(false);
      }
    },
    [listDevices, replaceTracks, t],
  );

  const initialOrientation = useRef(orientation);
  // Ask for the camera once on arrival; release it on the way out.
  useEffect(() => {
    if (!supported || ended) return;
    aliveRef.current = true;
    void openMedia({ resolution: '720p', orientation: initialOrientation.current });
    const onChange = () => void listDevices().catch(() => undefined);
    navigator.mediaDevices.addEventListener?.('devicechange', onChange);
    return () => {
      navigator.mediaDevices.removeEventListener?.('devicechange', onChange);
      aliveRef.current = false;
      streamRef.current?.getTracks().forEach((tr) => tr.stop());
      streamRef.current = null;
      setStream(null);
    };
  }, [supported, ended, openMedia, listDevices]);

  useEffect(() => {
    if (previewRef.current) previewRef.current.srcObject = stream;
  }, [stream]);

  const onStart = () => {
    const media = streamRef.current;
    if (media) void start(media, RESOLUTIONS[resolution].maxBitrate);
  };

  if (ended) {
    return (
      <p className="notice notice-warning" data-testid="go-live-ended">
        {t('goLive.ended')}
      </p>
    );
  }
  if (!supported) {
    return (
      <p className="notice notice-error" role="alert" data-testid="go-live-unsupported">
        {window.isSecureContext ? t('goLive.errors.unsupported') : t('goLive.errors.insecure')}
      </p>
    );
  }

  return (
    <div className="go-live">
      <div className="go-live-preview" data-orientation={orientation}>
        <video ref={previewRef} className="local-preview" data-testid="local-preview" muted autoPlay playsInline aria-label={t('goLive.preview')} />
        <span className={`go-live-state state-${state}`} data-testid="go-live-state" data-state={state} role="status">
          {state === 'connected' ? <span className="live-dot" aria-hidden="true" /> : null}
          {t(`goLive.states.${state}`)}
        </span>
        {!stream && !mediaError ? <span className="go-live-preview-hint">{mediaBusy ? t('goLive.askingCamera') : t('goLive.noCamera')}</span> : null}
      </div>

      {mediaError ? (
        <div className="notice notice-error" role="alert" data-testid="media-error">
          <p>{mediaError}</p>
          <button type="button" className="button button-small" onClick={() => void openMedia({ cameraId, micId, resolution, orientation })}>
            {t('goLive.retryCamera')}
          </button>
        </div>
      ) : null}

      <div className="form-grid">
        <DeviceSelect
          label={t('goLive.camera')}
          devices={cameras}
          value={cameraId}
          testId="camera-select"
          disabled={mediaBusy}
          onChange={(v) => void openMedia({ cameraId: v, micId, resolution, orientation })}
        />
        <DeviceSelect
          label={t('goLive.microphone')}
          devices={mics}
          value={micId}
          testId="mic-select"
          disabled={mediaBusy}
          onChange={(v) => void openMedia({ cameraId, micId: v, resolution, orientation })}
        />
        <div className="field">
          <label htmlFor={resolutionId}>{t('goLive.resolution')}</label>
          <select
            id={resolutionId}
            data-testid="resolution-select"
            value={resolution}
            disabled={mediaBusy}
            onChange={(e) => {
              const r = e.target.value as Resolution;
              setResolution(r);
              void openMedia({ cameraId, micId, resolution: r, orientation });
            }}
          >
            <option value="720p">{t('goLive.res720')}</option>
            <option value="480p">{t('goLive.res480')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={orientationId}>{t('immersive.goLive.orientation')}</label>
          <select
            id={orientationId}
            data-testid="orientation-select"
            value={orientation}
            // Chosen before going live: turning the picture mid-stream would change its size under every viewer's player.
            disabled={mediaBusy || publishing}
            aria-describedby={`${orientationId}-hint`}
            onChange={(e) => {
              const o = e.target.value as Orientation;
              setOrientation(o);
              void openMedia({ cameraId, micId, resolution, orientation: o });
            }}
          >
            <option value="portrait">{t('immersive.goLive.portrait')}</option>
            <option value="landscape">{t('immersive.goLive.landscape')}</option>
          </select>
          <p className="field-hint" id={`${orientationId}-hint`}>
            {t('immersive.goLive.orientationHint')}
          </p>
        </div>
      </div>

      <FormError error={error} />
      {localError ? (
        <p className="form-error" role="alert" data-testid="go-live-error">
          {localError}
        </p>
      ) : null}

      <div className="button-row go-live-actions">
        {publishing ? (
          <button type="button" className="button button-danger" data-testid="go-live-stop" disabled={state === 'starting'} onClick={() => void stop()}>
            {t('goLive.stop')}
          </button>
        ) : (
          <button type="button" className="button button-block" data-testid="go-live-start" disabled={!stream || mediaBusy || state === 'stopping'} onClick={onStart}>
            {t('goLive.start')}
          </button>
        )}
      </div>
      <p className="field-hint">{publishing ? (stopHint ?? t('goLive.stopHint')) : (startHint ?? t('goLive.startHint'))}</p>
    </div>
  );
}
