// The browser side of WHIP (RFC 9725): one RTCPeerConnection that sends a camera and microphone to a
// WHIP endpoint and hangs up with a DELETE of the resource the server answered. The streamer's go-live page
// and the trainee's practice page both publish through it (BrowserPublisher.tsx).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, apiRaw } from '../api';
import { toApiError } from '../shared/useApi';

/** idle → starting → (RTCPeerConnectionState) → closed */
export type PublishState = 'idle' | 'starting' | RTCPeerConnectionState | 'stopping';

const ICE_GATHER_MS = 2000;

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

/**
 * Publishes to `endpoint` (e.g. `/api/streamer/live-sessions/<id>/whip`). Leaving the page, or `ended`
 * turning true (the live ended elsewhere, was cut off), hangs up.
 */
export function useWhipPublisher(endpoint: string, ended: boolean) {
  const { t } = useTranslation();
  const pcRef = useRef<RTCPeerConnection | null>(null);
  const resourceRef = useRef<string | null>(null);
  const [state, setState] = useState<PublishState>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);

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

  /** Sends `media`'s tracks; the video is capped at `maxBitrate` bits a second. */
  const start = async (media: MediaStream, maxBitrate: number) => {
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
            params.encodings[0]!.maxBitrate = maxBitrate;
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

  /** While publishing, new camera or microphone tracks replace the ones being sent. */
  const replaceTracks = useCallback(async (next: MediaStream) => {
    const pc = pcRef.current;
    if (!pc) return;
    for (const sender of pc.getSenders()) {
      const track = next.getTracks().find((tr) => tr.kind === sender.track?.kind);
      if (track) await sender.replaceTrack(track);
    }
  }, []);

  const publishing = state === 'starting' || state === 'new' || state === 'connecting' || state === 'connected' || state === 'disconnected';
  return { state, error, localError, publishing, start, stop, replaceTracks };
}
