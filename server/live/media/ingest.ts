import net from 'node:net';
import type { Logger } from 'pino';
import { FlvFanout } from './flv.ts';
import { checkCodecs, HealthMeter, type CodecProblem, type StreamHealth } from './health.ts';
import { BroadcastServer, nmsContext, RtmpSession, type AVPacket, type NmsBroadcast, type NmsRtmpSession } from './nms.ts';
import { AddressLog, clientAddress, RtmpGuard } from './rtmp-guard.ts';

export const STREAM_APP = 'live';

/** Answers to a publisher are a few hundred bytes; more than this unread means it is not reading. */
const MAX_UNREAD_BYTES = 1024 * 1024;

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

export type IngestStats = {
  /** Open RTMP connections, on both listeners. */
  connections: number;
  /** Refused at accept: the address already held RTMP_MAX_CONNECTIONS_PER_IP. */
  refused: number;
  /** Closed for not publishing or playing within RTMP_HANDSHAKE_TIMEOUT_MS. */
  handshakeTimeouts: number;
  /** Closed by the guard (not RTMP, a message too large, …) or because the parser failed on the input. */
  protocolErrors: number;
};

/**
 * The embedded RTMP ingest: node-media-server's RTMP protocol and broadcast hub on listeners that
 * Zhibo owns. A publisher is held (socket paused, packets queued) until Zhibo authorizes it.
 *
 * Two listeners: the public one (RTMP_PORT) puts every connection behind the abuse limits (at most
 * RTMP_MAX_CONNECTIONS_PER_IP open per address, publish or play within RTMP_HANDSHAKE_TIMEOUT_MS, and
 * the RtmpGuard in front of the parser). Zhibo's own ffmpeg processes (HLS, recording, the 480p
 * rendition) connect to a second listener on 127.0.0.1 with an ephemeral port, so a flood on the
 * public port can never take their places; only there may a loopback client holding the process's
 * internal token play over RTMP or publish a rendition. The guard runs there too. Viewers play
 * HTTP-FLV through `watch`.
 */
export class EmbeddedIngest {
  private server: net.Server | null = null;
  private internalServer: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly perAddress = new Map<string, number>();
  private readonly counters = { refused: 0, handshakeTimeouts: 0, protocolErrors: 0 };
  private readonly abuse: AddressLog;
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
      /** RTMP_MAX_CONNECTIONS_PER_IP: 0 for no limit. */
      maxConnectionsPerIp: number;
      /** RTMP_HANDSHAKE_TIMEOUT_MS */
      handshakeTimeoutMs: number;
      /** RTMP_MAX_MESSAGE_BYTES */
      maxMessageBytes: number;
      logger: Logger;
      hooks: IngestHooks;
    },
  ) {
    this.abuse = new AddressLog(options.logger);
  }

  /** Starts both listeners; returns the public port. */
  async start(): Promise<number> {
    const listen = (server: net.Server, port: number, host: string) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
    this.server = net.createServer((socket) => this.accept(socket, false));
    await listen(this.server, this.options.port, this.options.host);
    this.internalServer = net.createServer((socket) => this.accept(socket, true));
    await listen(this.internalServer, 0, '127.0.0.1');
    return (this.server.address() as net.AddressInfo).port;
  }

  /** The loopback port Zhibo's own ffmpeg processes use (after `start`). */
  get internalPort(): number {
    return (this.internalServer?.address() as net.AddressInfo | null)?.port ?? 0;
  }

  async stop() {
    for (const socket of this.sockets) socket.destroy();
    // Viewers' HTTP-FLV responses never end by themselves: end them so the HTTP server can close.
    for (const fanout of this.fanouts.values()) fanout.closeAll();
    this.fanouts.clear();
    const close = (server: net.Server | null) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await Promise.all([close(this.server), close(this.internalServer)]);
    this.server = null;
    this.internalServer = null;
  }

  stats(): IngestStats {
    return { connections: this.sockets.size, ...this.counters };
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

  /** `trusted`: the loopback listener for Zhibo's own ffmpeg processes. */
  private accept(socket: net.Socket, trusted: boolean) {
    const { logger, stallMs, maxConnectionsPerIp, handshakeTimeoutMs } = this.options;
    const ip = clientAddress(socket.remoteAddress);
    // Already reset by the client.
    if (ip === null) return void socket.destroy();
    if (!trusted && maxConnectionsPerIp > 0) {
      const open = this.perAddress.get(ip) ?? 0;
      if (open >= maxConnectionsPerIp) {
        // Before any allocation for it; a reset leaves no TIME_WAIT behind on this side.
        socket.resetAndDestroy();
        this.counters.refused++;
        this.abuse.note(ip, 'refused', { open, limit: maxConnectionsPerIp }, 'rtmp: too many connections from one address, refusing more (RTMP_MAX_CONNECTIONS_PER_IP)');
        return;
      }
      this.perAddress.set(ip, open + 1);
      socket.once('close', () => {
        const left = (this.perAddress.get(ip) ?? 1) - 1;
        if (left > 0) this.perAddress.set(ip, left);
        else this.perAddress.delete(ip);
      });
    }
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    // A connection must ask to publish or play in time: half-open handshakes and idlers do not linger.
    let deadline: NodeJS.Timeout | null = trusted
      ? null
      : setTimeout(() => {
          this.counters.handshakeTimeouts++;
          this.abuse.note(ip, 'timeout', { timeoutMs: handshakeTimeoutMs }, 'rtmp: closed a connection that did not publish or play in time (RTMP_HANDSHAKE_TIMEOUT_MS)');
          socket.destroy();
        }, handshakeTimeoutMs);
    const settle = () => {
      if (deadline) clearTimeout(deadline);
      deadline = null;
    };
    socket.once('close', settle);
    // A publisher that sends nothing for LIVE_STALL_SECONDS is dropped (and may reconnect).
    socket.setTimeout(stallMs, () => {
      const publisher = [...this.publishers.values()].find((p) => p.session.socket === socket);
      if (publisher) publisher.closeReason = 'stalled';
      logger.info({ ip: socket.remoteAddress }, 'rtmp: no data, closing the connection');
      socket.destroy();
    });
    // Errors end in 'close', handled above; before the RTMP session exists nobody else listens.
    socket.on('error', () => undefined);
    // Every input buffer goes through the guard before node-media-server's parser sees it. The
    // RTMP session (with the parser's buffers) is made only once a valid C0 and all of C1 are in.
    const guard = new RtmpGuard({ maxMessageBytes: this.options.maxMessageBytes });
    let session: NmsRtmpSession | null = null;
    let held: Buffer[] = [];
    socket.on('data', (data: Buffer) => {
      const problem = guard.inspect(data);
      if (problem) return this.reject(socket, ip, problem);
      if (!session) {
        held.push(data);
        if (!guard.pastC1) return;
        session = this.startSession(socket, ip, trusted, settle);
        data = held.length === 1 ? data : Buffer.concat(held);
        held = [];
      }
      try {
        session.onData(data);
      } catch (error) {
        // A malformed command can throw out of the parser (a connect without tcUrl, for one).
        return this.reject(socket, ip, `the RTMP parser failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      // Every command is answered: a client that sends commands and never reads would pile the answers up here.
      if (!trusted && socket.writableLength > MAX_UNREAD_BYTES) this.reject(socket, ip, 'the client does not read what it is sent');
    });
  }

  /** node-media-server's RTMP session for a connection, wired to Zhibo's authorization and broadcasts. */
  private startSession(socket: net.Socket, ip: string, trusted: boolean, settle: () => void): NmsRtmpSession {
    const { logger, hooks } = this.options;
    const session = new RtmpSession(socket);
    // Its parser allocates a 1 MiB FLV reader it never uses: let it go at once.
    (session.rtmp as { flv?: unknown }).flv = undefined;
    session.run();
    // run() feeds the parser straight from the socket; accept() does, through the guard, instead.
    socket.removeListener('data', session.onData);
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
      this.abuse.note(ip, 'publish_refused', { sessionId: attempt.sessionId, reason }, 'rtmp: publish refused');
      session.rtmp.sendStatusMessage(session.rtmp.streamId, 'error', 'NetStream.Publish.BadName', reason);
      void Promise.resolve(hooks.onRejected(attempt, reason)).catch((error: unknown) => logger.error({ err: error }, 'rtmp: logging a refusal failed'));
      setTimeout(() => socket.destroy(), 100).unref();
    };

    session.rtmp.onPushCallback = () => {
      // One publish per connection: more (say, a burst of them in one packet) would each cost a refusal record.
      if (state !== 'connecting') return;
      const req = request;
      const attempt: PublishAttempt = { sessionId: req?.name ?? '', key: typeof req?.query.key === 'string' ? req.query.key : undefined, ip: socket.remoteAddress ?? '' };
      // Zhibo's own ffmpeg publishes renditions (<id>_480p) on the loopback listener with the internal token.
      const internal = trusted && isLoopback(socket) && req?.query.internal === this.options.internalToken && /^[0-9a-f-]{36}_\w+$/.test(req.name);
      settle();
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
      settle();
      if (!req || !trusted || !isLoopback(socket) || req.query.internal !== this.options.internalToken) {
        this.abuse.note(ip, 'play_refused', { path: req ? `/${req.app}/${req.name}`.slice(0, 100) : null }, 'rtmp: play refused (viewers use HTTP-FLV or HLS)');
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
    return session;
  }

  /** Closes a connection the guard or the parser refused. */
  private reject(socket: net.Socket, ip: string, reason: string) {
    this.counters.protocolErrors++;
    this.abuse.note(ip, 'protocol', { reason: reason.slice(0, 200) }, 'rtmp: closed a connection that broke the protocol');
    socket.resetAndDestroy();
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
