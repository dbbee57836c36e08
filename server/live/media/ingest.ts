import net from 'node:net';
import type { Logger } from 'pino';
import { FlvFanout } from './flv.ts';
import { checkCodecs, HealthMeter, type CodecProblem, type StreamHealth } from './health.ts';
import { BroadcastServer, nmsContext, RtmpSession, type AVPacket, type NmsBroadcast, type NmsRtmpSession } from './nms.ts';

export const STREAM_APP = 'live';

export type PublishAttempt = { sessionId: string; key: string | undefined; ip: string };
export type PublishDecision = { ok: true } | { ok: false; reason: string };

export interface IngestHooks {
  /** Decides whether a publisher may push to a session (key, session state, streamer approval). */
  authorizePublish(attempt: PublishAttempt): Promise<PublishDecision>;
  /** A publisher was accepted and is about to send media; `reconnect` when the session was already live. */
  onPublishStart(sessionId: string, ip: string): Promise<void> | void;
  /** The publisher's connection ended (it may reconnect within the grace period). */
  onPublishEnd(sessionId: string, why: 'closed' | 'stalled' | 'codec' | 'cut_off'): Promise<void> | void;
  onCodecProblem(sessionId: string, problem: CodecProblem): Promise<void> | void;
  /** A connection that was refused before it became a publisher (logged by the caller). */
  onRejected(attempt: PublishAttempt, reason: string): Promise<void> | void;
}

type Publisher = { session: NmsRtmpSession; meter: HealthMeter; reconnects: number; closeReason: 'closed' | 'stalled' | 'codec' | 'cut_off' };

/**
 * The embedded RTMP ingest: node-media-server's RTMP protocol and broadcast hub on a listener that
 * Zhibo owns. A publisher is held (socket paused, packets queued) until Zhibo authorizes it; only
 * loopback clients holding the process's internal token may play over RTMP (ffmpeg for HLS and
 * recordings). Viewers play HTTP-FLV through `subscribe`.
 */
export class EmbeddedIngest {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly publishers = new Map<string, Publisher>();
  private readonly reconnectCounts = new Map<string, number>();
  private readonly fanouts = new Map<string, FlvFanout>();

  constructor(
    private readonly options: {
      port: number;
      host: string;
      stallMs: number;
      graceMs: number;
      internalToken: string;
      logger: Logger;
      hooks: IngestHooks;
    },
  ) {}

  async start(): Promise<number> {
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    return (server.address() as net.AddressInfo).port;
  }

  async stop() {
    for (const socket of this.sockets) socket.destroy();
    // Viewers' HTTP-FLV responses never end by themselves: end them so the HTTP server can close.
    for (const fanout of this.fanouts.values()) fanout.closeAll();
    this.fanouts.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  broadcastOf(sessionId: string): NmsBroadcast {
    const path = `/${STREAM_APP}/${sessionId}`;
    let broadcast = nmsContext.broadcasts.get(path);
    if (!broadcast) {
      broadcast = new BroadcastServer(path);
      broadcast.publishGraceMs = this.options.graceMs;
      nmsContext.broadcasts.set(path, broadcast);
    }
    return broadcast;
  }

  isPublishing(sessionId: string) {
    return this.publishers.has(sessionId);
  }

  viewerCount(sessionId: string): number {
    return this.fanouts.get(sessionId)?.viewers.size ?? 0;
  }

  /** Adds an HTTP-FLV viewer (a hijacked socket) to a stream: `streamName` is a session id or `<id>_480p`. */
  watch(streamName: string, socket: net.Socket, head: string) {
    let fanout = this.fanouts.get(streamName);
    if (!fanout) {
      fanout = new FlvFanout(this.broadcastOf(streamName));
      this.fanouts.set(streamName, fanout);
    }
    socket.setNoDelay(true);
    fanout.join(socket, head);
  }

  health(sessionId: string): StreamHealth | null {
    const publisher = this.publishers.get(sessionId);
    if (!publisher) return null;
    const { session, meter, reconnects } = publisher;
    return meter.snapshot(Date.now(), {
      reconnects,
      viewers: this.viewerCount(sessionId),
      width: session.videoWidth || null,
      height: session.videoHeight || null,
    });
  }

  publishingSessions(): string[] {
    return [...this.publishers.keys()];
  }

  /** Ends the current publisher's connection (operator cut-off, session ended). */
  disconnect(sessionId: string, reason: Publisher['closeReason']) {
    const publisher = this.publishers.get(sessionId);
    if (!publisher) return false;
    publisher.closeReason = reason;
    publisher.session.socket.destroy();
    return true;
  }

  /** Drops the broadcast and its viewers once a session is over. */
  closeBroadcast(sessionId: string) {
    const path = `/${STREAM_APP}/${sessionId}`;
    this.fanouts.get(sessionId)?.closeAll();
    this.fanouts.delete(sessionId);
    const broadcast = nmsContext.broadcasts.get(path);
    if (!broadcast) return;
    for (const subscriber of [...broadcast.subscribers.values()]) subscriber.close();
    nmsContext.broadcasts.delete(path);
    this.reconnectCounts.delete(sessionId);
  }

  private accept(socket: net.Socket) {
    const { logger, hooks, stallMs } = this.options;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    // A publisher that sends nothing for LIVE_STALL_SECONDS is dropped (and may reconnect).
    socket.setTimeout(stallMs, () => {
      const publisher = [...this.publishers.values()].find((p) => p.session.socket === socket);
      if (publisher) publisher.closeReason = 'stalled';
      logger.info({ ip: socket.remoteAddress }, 'rtmp: no data, closing the connection');
      socket.destroy();
    });
    const session = new RtmpSession(socket);
    session.run();
    nmsContext.sessions.set(session.id, session);

    let request: { app: string; name: string; host: string; query: Record<string, string> } | null = null;
    let state: 'connecting' | 'authorizing' | 'publishing' | 'playing' | 'refused' = 'connecting';
    const queued: AVPacket[] = [];
    let meter: HealthMeter | null = null;

    session.rtmp.onConnectCallback = (req) => {
      request = req;
    };

    const refuse = (attempt: PublishAttempt, reason: string) => {
      state = 'refused';
      queued.length = 0;
      logger.warn({ sessionId: attempt.sessionId, ip: attempt.ip, reason }, 'rtmp: publish refused');
      session.rtmp.sendStatusMessage(session.rtmp.streamId, 'error', 'NetStream.Publish.BadName', reason);
      void Promise.resolve(hooks.onRejected(attempt, reason)).catch((error: unknown) => logger.error({ err: error }, 'rtmp: logging a refusal failed'));
      setTimeout(() => socket.destroy(), 100).unref();
    };

    session.rtmp.onPushCallback = () => {
      const req = request;
      const attempt: PublishAttempt = { sessionId: req?.name ?? '', key: typeof req?.query.key === 'string' ? req.query.key : undefined, ip: socket.remoteAddress ?? '' };
      // Zhibo's own ffmpeg publishes renditions (<id>_480p) from loopback with the internal token.
      const internal = isLoopback(socket) && req?.query.internal === this.options.internalToken && /^[0-9a-f-]{36}_\w+$/.test(req.name);
      if (!req || req.app !== STREAM_APP || !(internal || /^[0-9a-f-]{36}$/.test(req.name))) return refuse(attempt, 'unknown stream path');
      state = 'authorizing';
      socket.pause();
      const decide: Promise<PublishDecision> = internal ? Promise.resolve({ ok: true }) : hooks.authorizePublish(attempt);
      decide
        .then(async (decision) => {
          if (socket.destroyed) return;
          if (!decision.ok) return refuse(attempt, decision.reason);
          const existing = this.publishers.get(req.name);
          if (existing) return refuse(attempt, 'the session already has a publisher');
          // Registers with the broadcast; during its grace period a reconnect resumes the same stream.
          this.broadcastOf(req.name);
          session.onConnect(req);
          session.onPush();
          if (!session.isPublisher) return refuse(attempt, 'the session already has a publisher');
          meter = new HealthMeter();
          meter.publishingSince = Date.now();
          const previous = this.reconnectCounts.get(req.name);
          const reconnects = previous === undefined ? 0 : previous + 1;
          this.reconnectCounts.set(req.name, reconnects);
          const publisher: Publisher = { session, meter, reconnects, closeReason: 'closed' };
          this.publishers.set(req.name, publisher);
          socket.once('close', () => {
            if (this.publishers.get(req.name) !== publisher) return;
            this.publishers.delete(req.name);
            if (internal) return;
            void Promise.resolve(hooks.onPublishEnd(req.name, publisher.closeReason)).catch((error: unknown) => logger.error({ err: error }, 'rtmp: publish-end handling failed'));
          });
          state = 'publishing';
          if (!internal) await hooks.onPublishStart(req.name, attempt.ip);
          for (const packet of queued.splice(0)) this.forward(session, publisher, packet);
          socket.resume();
        })
        .catch((error: unknown) => {
          logger.error({ err: error }, 'rtmp: authorizing a publisher failed');
          refuse(attempt, 'internal error');
        });
    };

    session.rtmp.onPlayCallback = () => {
      const req = request;
      if (!req || !isLoopback(socket) || req.query.internal !== this.options.internalToken) {
        logger.warn({ ip: socket.remoteAddress, path: req ? `/${req.app}/${req.name}` : null }, 'rtmp: play refused (viewers use HTTP-FLV or HLS)');
        state = 'refused';
        socket.destroy();
        return;
      }
      state = 'playing';
      socket.setTimeout(0);
      this.broadcastOf(req.name);
      session.onConnect(req);
      session.onPlay();
    };

    session.rtmp.onPacketCallback = (packet) => {
      if (state === 'authorizing') {
        // The packet's buffer is reused by the parser: keep a copy until the publisher is accepted.
        queued.push({ ...packet, data: Buffer.from(packet.data.subarray(0, packet.size)) });
        if (queued.length > 2000) socket.destroy();
        return;
      }
      if (state !== 'publishing' || !request) return;
      const publisher = this.publishers.get(request.name);
      if (publisher?.session === session) this.forward(session, publisher, packet);
    };
  }

  private forward(session: NmsRtmpSession, publisher: Publisher, packet: AVPacket) {
    const now = Date.now();
    publisher.meter.observe(packet, now);
    const problem = checkCodecs(publisher.meter, now - (publisher.meter.publishingSince ?? now));
    if (problem) {
      const sessionId = session.streamName;
      this.options.logger.warn({ sessionId, problem }, 'rtmp: unsupported stream, closing');
      publisher.closeReason = 'codec';
      void Promise.resolve(this.options.hooks.onCodecProblem(sessionId, problem)).catch(() => undefined);
      session.socket.destroy();
      return;
    }
    session.onPacket(packet);
  }
}

function isLoopback(socket: net.Socket) {
  return /^(::ffff:)?127\.|^::1$/.test(socket.remoteAddress ?? '');
}
