import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { RTCPeerConnection, RTCRtpCodecParameters, type MediaStreamTrack, type RTCRtpTransceiver } from 'werift';

type Publication = {
  sessionId: string;
  pc: RTCPeerConnection;
  ffmpeg: ChildProcess | null;
  udp: dgram.Socket;
  pli: NodeJS.Timeout | null;
  sdpFile: string;
  /** Times the relay has been started again after it exited on its own. */
  restarts: number;
  /** RTP packets received from the browser, and the connection's last state: for diagnosis (states()). */
  packets: number;
  connection: string;
  /** Set while the connection is 'disconnected': closes the publication if it does not come back. */
  lost: NodeJS.Timeout | null;
};

/**
 * 'disconnected' is transient in WebRTC (missed consent checks on a busy machine or a flaky network);
 * only 'failed' and 'closed' are final. A publication that is not connected again this long after
 * going 'disconnected' is closed.
 */
const DISCONNECTED_GRACE_MS = 10_000;

/** A relay that exits on its own (a crash, a starved machine, a refused push) is started again this many times, then the publication is closed. */
const MAX_RELAY_RESTARTS = 3;

export type WhipOptions = {
  ffmpegPath: string;
  /** Address to bind ICE sockets to, and to announce. */
  host: string | undefined;
  announcedIp: string | undefined;
  logger: Logger;
};

const VIDEO_PT = 96;
const AUDIO_PT = 111;

/**
 * Browser go-live over WHIP: werift terminates WebRTC, forwards the RTP it receives to a local
 * ffmpeg, which encodes H.264 (1 s keyframes) + AAC and publishes to the session's own RTMP push
 * URL, so a browser publisher goes through the same key check, codec check and pipeline as OBS.
 */
export class WhipIngest {
  private readonly publications = new Map<string, Publication>();

  constructor(private readonly options: WhipOptions) {}

  async publish(sessionId: string, pushUrl: string, offerSdp: string): Promise<{ resourceId: string; answer: string }> {
    const { logger, host, announcedIp } = this.options;
    const pc = new RTCPeerConnection({
      // An empty list: werift's default would reach a public STUN server.
      iceServers: [],
      iceUseIpv6: false,
      ...(host && host !== '0.0.0.0' && { iceInterfaceAddresses: { udp4: host }, iceAdditionalHostAddresses: [host] }),
      ...(announcedIp && { iceAdditionalHostAddresses: [announcedIp] }),
      codecs: {
        video: [
          new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] }),
          new RTCRtpCodecParameters({
            mimeType: 'video/H264',
            clockRate: 90000,
            rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
            parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
          }),
        ],
        audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
      },
    });
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
    const resourceId = crypto.randomBytes(12).toString('hex');
    const publication: Publication = { sessionId, pc, ffmpeg: null, udp, pli: null, sdpFile: path.join(os.tmpdir(), `zhibo-whip-${resourceId}.sdp`), restarts: 0, packets: 0, connection: 'new', lost: null };
    this.publications.set(resourceId, publication);
    // Tracks appear while the offer is applied, so the relay is wired up before it.
    const ports = { video: await freeUdpPort(), audio: await freeUdpPort() };
    pc.onTrack.subscribe((track: MediaStreamTrack) => {
      const port = track.kind === 'video' ? ports.video : ports.audio;
      const pt = track.kind === 'video' ? VIDEO_PT : AUDIO_PT;
      const transceiver = pc.getTransceivers().find((t) => t.kind === track.kind);
      let mediaSsrc: number | null = null;
      // Ask the browser for a keyframe at once and every 2 s: ffmpeg starts quickly and recovers from loss.
      const askKeyframe = () => mediaSsrc !== null && void transceiver?.receiver.sendRtcpPLI(mediaSsrc).catch(() => undefined);
      track.onReceiveRtp.subscribe((rtp) => {
        publication.packets++;
        if (track.kind === 'video' && mediaSsrc === null) {
          mediaSsrc = rtp.header.ssrc;
          askKeyframe();
          publication.pli = setInterval(askKeyframe, 2000);
        }
        rtp.header.payloadType = pt;
        udp.send(rtp.serialize(), port, '127.0.0.1');
      });
    });

    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    } catch (error) {
      await this.stop(resourceId);
      throw error;
    }
    const kinds = pc.getTransceivers().map((t) => t.kind);
    if (!kinds.includes('video')) {
      await this.stop(resourceId);
      throw new Error('the offer has no video');
    }
    await pc.setLocalDescription(await pc.createAnswer());
    await waitForGathering(pc);
    const answer = pc.localDescription!.sdp;

    const videoCodec = codecOf(pc.getTransceivers(), 'video');
    const audioCodec = codecOf(pc.getTransceivers(), 'audio');
    fs.writeFileSync(publication.sdpFile, ffmpegSdp(ports, videoCodec, audioCodec));

    pc.connectionStateChange.subscribe((state) => {
      logger.info({ sessionId, state }, 'whip: connection state');
      publication.connection = state;
      if (state === 'connected') {
        if (publication.lost) clearTimeout(publication.lost);
        publication.lost = null;
        if (!publication.ffmpeg) publication.ffmpeg = this.startFfmpeg(publication, pushUrl, resourceId);
      }
      if (state === 'failed' || state === 'closed') void this.stop(resourceId);
      if (state === 'disconnected' && !publication.lost) {
        publication.lost = setTimeout(() => {
          publication.lost = null;
          if (publication.connection !== 'connected') {
            logger.warn({ sessionId }, 'whip: the browser did not come back; closing the publication');
            void this.stop(resourceId);
          }
        }, DISCONNECTED_GRACE_MS);
        publication.lost.unref();
      }
    });
    return { resourceId, answer };
  }

  /** Each publication's connection state, packets received and relay state (what an operator or a failing test needs to see). */
  states() {
    return [...this.publications.entries()].map(([resourceId, p]) => ({
      resourceId,
      sessionId: p.sessionId,
      connection: p.connection,
      packets: p.packets,
      relay: p.ffmpeg ? (p.ffmpeg.exitCode === null && p.ffmpeg.signalCode === null ? 'running' : 'exited') : 'not started',
      restarts: p.restarts,
    }));
  }

  ownerOf(resourceId: string): string | null {
    return this.publications.get(resourceId)?.sessionId ?? null;
  }

  async stop(resourceId: string) {
    const publication = this.publications.get(resourceId);
    if (!publication) return false;
    this.publications.delete(resourceId);
    if (publication.pli) clearInterval(publication.pli);
    if (publication.lost) clearTimeout(publication.lost);
    // With its UDP input gone quiet ffmpeg may not notice SIGINT; make sure its RTMP connection closes.
    const ffmpeg = publication.ffmpeg;
    if (ffmpeg && ffmpeg.exitCode === null) {
      ffmpeg.kill('SIGINT');
      setTimeout(() => ffmpeg.exitCode === null && ffmpeg.kill('SIGKILL'), 1500).unref();
    }
    publication.udp.close();
    fs.rmSync(publication.sdpFile, { force: true });
    await publication.pc.close().catch(() => undefined);
    return true;
  }

  async stopAll() {
    await Promise.all([...this.publications.keys()].map((id) => this.stop(id)));
  }

  private startFfmpeg(publication: Publication, pushUrl: string, resourceId: string): ChildProcess {
    const { ffmpegPath, logger } = this.options;
    const child = spawn(
      ffmpegPath,
      [
        ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning'],
        ...['-protocol_whitelist', 'file,udp,rtp', '-fflags', 'nobuffer', '-flags', 'low_delay', '-analyzeduration', '3000000', '-probesize', '5000000'],
        ...['-i', publication.sdpFile],
        ...['-map', '0:v:0', '-map', '0:a:0?', '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'],
        ...['-r', '30', '-g', '60', '-force_key_frames', 'expr:gte(t,n_forced*1)', '-sc_threshold', '0', '-b:v', '2500k', '-maxrate', '3000k', '-bufsize', '3000k'],
        ...['-c:a', 'aac', '-ar', '44100', '-b:a', '128k', '-f', 'flv', pushUrl],
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-3000)));
    child.on('exit', (code, signal) => {
      logger.info({ sessionId: publication.sessionId, code, signal, stderr: code ? stderr.split('\n').slice(-4) : undefined }, 'whip: ffmpeg exited');
      // Stopped by us: the publication is gone. Otherwise the browser still sends and nobody would see it:
      // start the relay again (it asks for a keyframe within 2 s), or close the publication so the page shows it.
      if (this.publications.get(resourceId) !== publication) return;
      if (publication.restarts >= MAX_RELAY_RESTARTS) {
        logger.warn({ sessionId: publication.sessionId }, 'whip: the relay keeps exiting; closing the publication');
        void this.stop(resourceId);
        return;
      }
      publication.restarts++;
      setTimeout(() => {
        if (this.publications.get(resourceId) === publication) publication.ffmpeg = this.startFfmpeg(publication, pushUrl, resourceId);
      }, 1000).unref();
    });
    return child;
  }
}

function codecOf(transceivers: RTCRtpTransceiver[], kind: 'video' | 'audio') {
  const codec = transceivers.find((t) => t.kind === kind)?.codecs[0];
  return codec ? { name: codec.mimeType.split('/')[1]!, clockRate: codec.clockRate, channels: codec.channels } : null;
}

function ffmpegSdp(ports: { video: number; audio: number }, video: ReturnType<typeof codecOf>, audio: ReturnType<typeof codecOf>) {
  const lines = ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=zhibo-whip', 'c=IN IP4 127.0.0.1', 't=0 0'];
  if (video) {
    lines.push(`m=video ${ports.video} RTP/AVP ${VIDEO_PT}`, `a=rtpmap:${VIDEO_PT} ${video.name}/${video.clockRate}`);
    if (video.name.toUpperCase() === 'H264') lines.push(`a=fmtp:${VIDEO_PT} packetization-mode=1`);
  }
  if (audio) lines.push(`m=audio ${ports.audio} RTP/AVP ${AUDIO_PT}`, `a=rtpmap:${AUDIO_PT} ${audio.name}/${audio.clockRate}/${audio.channels ?? 2}`);
  return `${lines.join('\n')}\n`;
}

/** An even UDP port with the next one free too (ffmpeg takes port+1 for RTCP). */
async function freeUdpPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + 2 * Math.floor(Math.random() * 10000);
    if ((await canBind(port)) && (await canBind(port + 1))) return port;
  }
  throw new Error('no free UDP port for the WHIP relay');
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

function waitForGathering(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 3000);
    pc.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
