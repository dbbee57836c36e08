import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { type ApiError, apiRaw, path } from '../api';
import { FormError } from '../shared/Field';
import { StatusBadge } from '../shared/Status';
import { label } from '../shared/labels';
import { toApiError } from '../shared/useApi';
import { SessionGate, useStreamerSession } from './SessionPage';
import { StreamHealthPanel } from './StreamHealthPanel';
import './golive.css';

type Resolution = '720p' | '480p';
const RESOLUTIONS: Record<Resolution, { width: number; height: number; maxBitrate: number }> = {
  '720p': { width: 1280, height: 720, maxBitrate: 2_500_000 },
  '480p': { width: 854, height: 480, maxBitrate: 1_200_000 },
};
const ICE_GATHER_MS = 2000;

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

/** idle → starting → (RTCPeerConnectionState) → closed */
type PublishState = 'idle' | 'starting' | RTCPeerConnectionState | 'stopping';

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

/** Put H.264 first (packetization-mode=1, constrained baseline preferred): the server needs no video transcode then. */
function preferH264(transceiver: RTCRtpTransceiver) {
  if (typeof RTCRtpSender === 'undefined' || !RTCRtpSender.getCapabilities || !transceiver.setCodecPreferences) return;
  const codecs = RTCRtpSender.getCapabilities('video')?.codecs ?? [];
  const isH264 = (c: RTCRtpCodec) => c.mimeType.toLowerCase() === 'video/h264';
  const h264 = codecs.filter(isH264);
  if (!h264.length) return;
  const score = (c: RTCRtpCodec) => (c.sdpFmtpLine?.includes('packetization-mode=1') ? 0 : 2) + (c.sdpFmtpLine?.includes('profile-level-id=42e01f') ? 0 : 1);
  h264.sort((a, b) => score(a) - score(b));
  try {
    transceiver.setCodecPreferences([...h264, ...codecs.filter((c) => !isH264(c))]);
  } catch {
    // the browser keeps its own order
  }
}

/** Resolves when ICE gathering is complete, or after `ms` with what has been gathered so far. */
function iceGathered(pc: RTCPeerConnection, ms: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = () => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const timer = setTimeout(done, ms);
    pc.addEventListener('icegatheringstatechange', check);
  });
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

function GoLive({ sessionId, ended }: { sessionId: string; ended: boolean }) {
  const { t } = useTranslation();
  const resolutionId = useId();
  const orientationId = useId();
  const previewRef = useRef<HTMLVideoElement | null>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const pcRef = useRef<RTCPeerConnection | null>(null);
  const resourceRef = useRef<string | null>(null);
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
  const [state, setState] = useState<PublishState>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
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
        const pc = pcRef.current;
        if (pc) {
          for (const sender of pc.getSenders()) {
            const track = next.getTracks().find((tr) => tr.kind === sender.track?.kind);
            if (track) await sender.replaceTrack(track);
          }
        }
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
    [listDevices, t],
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

  /** Tell the server we are done (DELETE the WHIP resource) and close the connection. */
  const hangUp = useCallback((keepalive: boolean) => {
    const resource = resourceRef.current;
    resourceRef.current = null;
    const pc = pcRef.current;
    pcRef.current = null;
    pc?.close();
    if (!resource) return Promise.resolve();
    return apiRaw('DELETE', resource, undefined, { keepalive, timeoutMs: 5000 }).then(
      () => undefined,
      () => undefined, // already gone (ended, cut off, server restarted)
    );
  }, []);

  // Leaving the page (tab closed, reload, navigation) stops the publication.
  useEffect(() => {
    const onPageHide = () => void hangUp(true);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      void hangUp(true);
    };
  }, [hangUp]);

  // The live ended meanwhile (ended elsewhere, cut off): drop the connection.
  useEffect(() => {
    if (ended) {
      void hangUp(false);
      setState('closed');
    }
  }, [ended, hangUp]);

  const start = async () => {
    const media = streamRef.current;
    if (!media) return;
    setError(null);
    setLocalError(null);
    setState('starting');
    const pc = new RTCPeerConnection({ iceServers: [] });
    pcRef.current = pc;
    pc.addEventListener('connectionstatechange', () => {
      if (pcRef.current !== pc) return;
      setState(pc.connectionState);
      if (pc.connectionState === 'failed') {
        setLocalError(t('goLive.errors.connectionFailed'));
        void hangUp(false);
      }
    });
    try {
      for (const track of media.getTracks()) {
        const transceiver = pc.addTransceiver(track, { direction: 'sendonly', streams: [media] });
        if (track.kind === 'video') preferH264(transceiver);
      }
      await pc.setLocalDescription(await pc.createOffer());
      await iceGathered(pc, ICE_GATHER_MS);
      const endpoint = path`/api/streamer/live-sessions/${sessionId}/whip`;
      const res = await apiRaw('POST', endpoint, { data: pc.localDescription!.sdp, contentType: 'application/sdp' }, { accept: 'application/sdp', timeoutMs: 20_000 });
      const location = res.headers.get('location');
      if (location) resourceRef.current = new URL(location, new URL(endpoint, window.location.href)).toString();
      const answer = await res.text();
      if (pcRef.current !== pc) return; // stopped meanwhile
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      // Cap the video bitrate to what the chosen resolution needs.
      const sender = pc.getSenders().find((s) => s.track?.kind === 'video');
      if (sender) {
        try {
          const params = sender.getParameters();
          if (params.encodings?.length) {
            params.encodings[0]!.maxBitrate = RESOLUTIONS[resolution].maxBitrate;
            await sender.setParameters(params);
          }
        } catch {
          // not supported: the browser picks its own bitrate
        }
      }
      setState(pc.connectionState === 'new' ? 'connecting' : pc.connectionState);
    } catch (e) {
      if (pcRef.current === pc) await hangUp(false);
      setState('idle');
      if (e instanceof DOMException) setLocalError(t('goLive.errors.webrtc', { message: e.message }));
      else setError(toApiError(e));
    }
  };

  const stop = async () => {
    setState('stopping');
    await hangUp(false);
    setState('closed');
  };

  const publishing = state === 'starting' || state === 'new' || state === 'connecting' || state === 'connected' || state === 'disconnected';

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
          <button type="button" className="button button-block" data-testid="go-live-start" disabled={!stream || mediaBusy || state === 'stopping'} onClick={() => void start()}>
            {t('goLive.start')}
          </button>
        )}
      </div>
      <p className="field-hint">{publishing ? t('goLive.stopHint') : t('goLive.startHint')}</p>
    </div>
  );
}

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
                <GoLive sessionId={detail.session.id} ended={detail.session.status === 'ended'} />
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
