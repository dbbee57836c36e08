// Typed access to the parts of node-media-server 4 that Zhibo embeds: the RTMP session (protocol
// parsing), the broadcast hub (GOP cache, fan-out) and its registry. Zhibo owns the listeners, so
// it can authorize a publisher before a single frame reaches a viewer.
import { createRequire } from 'node:module';
import type net from 'node:net';

const require = createRequire(import.meta.url);

export type AVPacket = { codec_id: number; codec_type: number; flags: number; dts: number; pts: number; size: number; data: Buffer };

export interface NmsSession {
  id: string;
  ip: string;
  protocol: string;
  streamApp: string;
  streamName: string;
  streamPath: string;
  streamQuery: Record<string, string | string[] | undefined>;
  isPublisher: boolean;
  inBytes: number;
  outBytes: number;
  videoCodec: number;
  videoWidth: number;
  videoHeight: number;
  videoFramerate: number;
  audioCodec: number;
  sendBuffer: (buffer: Buffer) => void;
  close: () => void;
}

export interface NmsRtmpSession extends NmsSession {
  socket: net.Socket;
  broadcast: NmsBroadcast;
  run: () => void;
  onConnect: (req: { app: string; name: string; host: string; query: Record<string, string> }) => void;
  onPush: () => void;
  onPlay: () => void;
  onPacket: (packet: AVPacket) => void;
  /** The socket 'data' listener that `run` attaches: feeds the RTMP parser. */
  onData: (data: Buffer) => void;
  rtmp: {
    streamId: number;
    onConnectCallback: (req: { app: string; name: string; host: string; query: Record<string, string> }) => void;
    onPushCallback: () => void;
    onPlayCallback: () => void;
    onPacketCallback: (packet: AVPacket) => void;
    sendStatusMessage: (streamId: number, level: string, code: string, description: string) => void;
  };
}

export interface NmsBroadcast {
  streamPath: string;
  publisher: NmsSession | null;
  subscribers: Map<string, NmsSession>;
  publishGraceMs: number;
  postPlay: (session: NmsSession) => string | null;
  donePlay: (session: NmsSession) => void;
  getPublishStatus: () => 'publishing' | 'reconnecting' | 'idle';
}

type NmsContext = { sessions: Map<string, NmsSession>; broadcasts: Map<string, NmsBroadcast>; config: Record<string, unknown> };
type NmsLogger = { level: string; log: (message: string, level?: string) => void };

export const RtmpSession = require('node-media-server/src/session/rtmp_session.js') as new (socket: net.Socket) => NmsRtmpSession;
export const BaseSession = require('node-media-server/src/session/base_session.js') as new () => NmsSession;
export const BroadcastServer = require('node-media-server/src/server/broadcast_server.js') as new (streamPath: string) => NmsBroadcast;
export const nmsContext = require('node-media-server/src/core/context.js') as NmsContext;
const nmsLogger = require('node-media-server/src/core/logger.js') as NmsLogger;

const NMS_WARNINGS_PER_MINUTE = 20;

/**
 * Routes node-media-server's console logging into Zhibo's logger. A client can make it log an error
 * per message it sends (an unknown command, say), so its warnings are capped at 20 a minute, and
 * its lines (which may quote what the client sent) at 300 characters.
 */
export function routeNmsLogs(log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void) {
  let windowStart = 0;
  let inWindow = 0;
  let dropped = 0;
  nmsLogger.log = (message: string, level = 'info') => {
    const mapped = level === 'error' ? 'warn' : level === 'warn' ? 'info' : 'debug';
    if (mapped === 'warn') {
      const now = Date.now();
      if (now - windowStart >= 60_000) {
        if (dropped) log('warn', `nms: ${dropped} more warnings in the last minute were not logged`);
        windowStart = now;
        inWindow = 0;
        dropped = 0;
      }
      if (++inWindow > NMS_WARNINGS_PER_MINUTE) {
        dropped++;
        return;
      }
    }
    log(mapped, `nms: ${String(message).slice(0, 300)}`);
  };
}
