import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../../platform/config.ts';
import type { MediaControl } from '../service.ts';
import type { FfmpegInfo } from './ffmpeg.ts';
import { EmbeddedIngest, STREAM_APP, type IngestHooks } from './ingest.ts';
import { routeNmsLogs } from './nms.ts';
import { MediaPipelines } from './pipeline.ts';
import { WhipIngest } from './whip.ts';

export type Media = {
  control: MediaControl;
  /** The embedded RTMP ingest, or null when an external origin (SRS) takes publishers. */
  ingest: EmbeddedIngest | null;
  /** Browser go-live (WHIP); null without ffmpeg or with an external origin. */
  whip: WhipIngest | null;
  start(): Promise<{ rtmpPort: number | null }>;
  stop(): Promise<void>;
};

/**
 * Puts the video machinery together: the embedded ingest and ffmpeg pipelines, or, with
 * MEDIA_INGEST=external, nothing but the callbacks (the external origin serves and records video).
 */
export function createMedia(config: Config, ffmpeg: FfmpegInfo, hooks: IngestHooks, logger: Logger): Media {
  if (config.MEDIA_INGEST === 'external') {
    return {
      ingest: null,
      whip: null,
      control: {
        disconnect: () => false,
        closeBroadcast: () => undefined,
        health: () => null,
        viewerCount: () => 0,
        startPipelines: () => undefined,
        stopPipelines: () => undefined,
        records: false,
        whip: null,
      },
      start: async () => ({ rtmpPort: null }),
      stop: async () => undefined,
    };
  }
  routeNmsLogs((level, message) => logger[level](message));
  const internalToken = crypto.randomBytes(16).toString('hex');
  const ingest = new EmbeddedIngest({
    port: config.RTMP_PORT,
    host: config.HOST,
    stallMs: config.LIVE_STALL_SECONDS * 1000,
    graceMs: config.LIVE_RECONNECT_GRACE_SECONDS * 1000,
    internalToken,
    maxConnectionsPerIp: config.RTMP_MAX_CONNECTIONS_PER_IP,
    handshakeTimeoutMs: config.RTMP_HANDSHAKE_TIMEOUT_MS,
    maxMessageBytes: config.RTMP_MAX_MESSAGE_BYTES,
    logger,
    hooks,
  });
  // Zhibo's own ffmpeg processes use the ingest's loopback listener, outside the public port's per-address limit.
  const loopback = (name: string) => `rtmp://127.0.0.1:${ingest.internalPort}/${STREAM_APP}/${name}?internal=${internalToken}`;
  const pipelines = ffmpeg
    ? new MediaPipelines({
        ffmpegPath: ffmpeg.path,
        dataDir: config.dataDir,
        sourceUrl: loopback,
        publishUrl: loopback,
        hls: config.HLS_ENABLED,
        record: config.RECORDING_ENABLED,
        transcode: config.TRANSCODE,
        logger,
      })
    : null;
  const whip = ffmpeg
    ? new WhipIngest({
        ffmpegPath: ffmpeg.path,
        host: config.WEBRTC_HOST ?? (config.HOST === '0.0.0.0' || config.HOST === '::' ? undefined : config.HOST),
        announcedIp: config.WEBRTC_ANNOUNCED_IP,
        logger,
      })
    : null;
  return {
    ingest,
    whip,
    control: {
      disconnect: (id, reason) => ingest.disconnect(id, reason),
      closeBroadcast: (id) => {
        ingest.closeBroadcast(id);
        ingest.closeBroadcast(`${id}_480p`);
      },
      health: (id) => ingest.health(id),
      viewerCount: (id) => ingest.viewerCount(id) + ingest.viewerCount(`${id}_480p`),
      startPipelines: (id) => pipelines?.start(id),
      stopPipelines: (id) => pipelines?.stop(id),
      records: Boolean(pipelines && config.RECORDING_ENABLED),
      whip,
    },
    async start() {
      return { rtmpPort: await ingest.start() };
    },
    async stop() {
      await whip?.stopAll();
      await ingest.stop();
      await pipelines?.stopAll();
    },
  };
}
