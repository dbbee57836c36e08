import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { messageFor, type ErrorCode, type Locale } from '../platform/errors.ts';
import { openChannel, type RoomBus, type RoomEvent } from '../room/bus.ts';
import { fromRoomEvent, openMessage, orderData, type OpenMessageType, type OpenOrder } from './live-messages.ts';

/** What an open event socket may read, decided before the upgrade (see live-routes.ts). */
export type OpenGrant = {
  keyId: string;
  orgId: string;
  sessionId: string;
  status: string;
  /** brand: the live's own brand; mcn: the MCN of its streamer (contract in force); seller: the organisation takes part in the live (its products in the 小黄车 or its orders in it, server/analytics/takes-part.ts). */
  access: 'brand' | 'mcn' | 'seller';
  /** Which orders the socket gets: every order of the live (an MCN), the organisation's own (a brand), or none (no orders:read). */
  orders: 'all' | 'own' | 'none';
  locale: Locale;
};

export type LiveStreamOptions = {
  /** Open event sockets one API key may hold on one node. */
  maxPerKey: number;
  /** A socket with more unsent bytes than this is closed with 4008. */
  maxBufferedBytes: number;
  /** `viewers` every this many ms (likes are summed per second). */
  viewersEveryMs: number;
  /** Revoked keys' sockets are looked for this often (a revocation on this node closes them at once). */
  revocationSweepMs: number;
};

export const LIVE_STREAM_DEFAULTS: LiveStreamOptions = { maxPerKey: 5, maxBufferedBytes: 1024 * 1024, viewersEveryMs: 5000, revocationSweepMs: 2000 };

/** Close codes of the open event socket (docs/WEBHOOKS.md). */
export const OPEN_CLOSE = { revoked: 4401, tooMany: 4429, slow: 4008, shutdown: 1001, internal: 1011 } as const;

const TICK_MS = 1000;
const PING_EVERY_TICKS = 30;
/** A socket we close that does not finish the closing handshake within this is dropped. */
const CLOSE_GRACE_MS = 2000;
/** `ping` messages answered per socket: bursts of 5, one a second after that; the rest are ignored. */
const PING_BURST = 5;

type Conn = { socket: WebSocket; grant: OpenGrant; alive: boolean; tokens: number; refilledAt: number };

type Stream = { sessionId: string; conns: Set<Conn>; ready: Promise<void>; off: (() => Promise<void>)[]; likes: number | null; viewersAt: number };

function closeWith(socket: WebSocket, code: number, reason: string) {
  if (socket.readyState === 2 || socket.readyState === 3) return;
  socket.close(code, reason);
  const timer = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * The open event sockets on this node, per live: one subscription to the live's room channel and
 * one to its open channel (orders, follows) on the room bus, whatever the number of sockets, so the
 * Redis bus brings every node's events; counts (viewers, likes) are read from the bus once a second
 * per live. Every message is serialized once and written to each socket allowed to read it.
 */
export function createLiveStreams(deps: { db: Db; bus: RoomBus; clock: Clock; logger: Logger; options?: Partial<LiveStreamOptions> }) {
  const { db, bus, clock, logger } = deps;
  const options = { ...LIVE_STREAM_DEFAULTS, ...deps.options };
  const streams = new Map<string, Stream>();
  const perKey = new Map<string, number>();
  const now = () => clock.now().toISOString();
  let timer: NodeJS.Timeout | null = null;
  let ticking = false;
  let ticks = 0;
  let sweptAt = 0;

  function send(conn: Conn, text: string) {
    const { socket } = conn;
    if (socket.readyState !== 1) return;
    if (socket.bufferedAmount > options.maxBufferedBytes) {
      closeWith(socket, OPEN_CLOSE.slow, 'SLOW_CONSUMER');
      return;
    }
    socket.send(text);
  }

  function sendError(conn: Conn, code: ErrorCode, params: Record<string, string | number> = {}) {
    send(conn, openMessage('error', { code, message: messageFor(code, conn.grant.locale, params) }, now()));
  }

  function broadcast(stream: Stream, type: OpenMessageType, data: Record<string, unknown>, at = now(), allowed: (conn: Conn) => boolean = () => true) {
    let text: string | null = null;
    for (const conn of stream.conns) {
      if (!allowed(conn)) continue;
      text ??= openMessage(type, data, at);
      send(conn, text);
    }
  }

  function onRoomEvent(stream: Stream, event: RoomEvent) {
    const message = fromRoomEvent(event);
    if (message) broadcast(stream, message.type, message.data, message.at);
  }

  function onOpenEvent(stream: Stream, event: RoomEvent) {
    if (event.type === 'order' && event.order) {
      const order = event.order as OpenOrder;
      broadcast(stream, 'order', orderData(order), order.paidAt ?? now(), (conn) => conn.grant.orders === 'all' || (conn.grant.orders === 'own' && order.brandOrgId === conn.grant.orgId));
    } else if (event.type === 'follow') {
      const user = event.user as { name?: unknown } | undefined;
      broadcast(stream, 'follow', { user: { name: user?.name ?? null }, followers: event.followers ?? null }, typeof event.at === 'string' ? event.at : now());
    }
  }

  function streamFor(sessionId: string): Stream {
    let stream = streams.get(sessionId);
    if (stream) return stream;
    const created: Stream = { sessionId, conns: new Set(), ready: Promise.resolve(), off: [], likes: null, viewersAt: 0 };
    created.ready = Promise.all([
      bus.subscribe(sessionId, (event) => onRoomEvent(created, event)),
      bus.subscribe(openChannel(sessionId), (event) => onOpenEvent(created, event)),
    ]).then((offs) => {
      created.off = offs;
    });
    streams.set(sessionId, created);
    stream = created;
    return stream;
  }

  function leave(conn: Conn) {
    const stream = streams.get(conn.grant.sessionId);
    if (!stream?.conns.delete(conn)) return;
    const n = (perKey.get(conn.grant.keyId) ?? 1) - 1;
    if (n > 0) perKey.set(conn.grant.keyId, n);
    else perKey.delete(conn.grant.keyId);
    if (!stream.conns.size) {
      streams.delete(stream.sessionId);
      void stream.ready.then(() => Promise.all(stream.off.map((off) => off()))).catch(() => undefined);
    }
    if (!streams.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  async function countsOf(stream: Stream, at: number) {
    const counts = await bus.counts(stream.sessionId);
    if (stream.likes !== null && counts.likes > stream.likes) broadcast(stream, 'like', { count: counts.likes - stream.likes, total: counts.likes });
    stream.likes = counts.likes;
    if (at - stream.viewersAt >= options.viewersEveryMs - TICK_MS / 2) {
      stream.viewersAt = at;
      broadcast(stream, 'viewers', { online: counts.online, peak: counts.peak, uv: counts.uv, likes: counts.likes });
    }
  }

  /** Closes the sockets of revoked keys (revoked on any node: the database says). */
  async function sweepRevoked() {
    const keyIds = [...perKey.keys()];
    if (!keyIds.length) return;
    const revoked = await db.selectFrom('api_keys').select('id').where('id', 'in', keyIds).where('revoked_at', 'is not', null).execute();
    for (const row of revoked) closeKey(row.id);
  }

  function closeKey(keyId: string) {
    for (const stream of [...streams.values()])
      for (const conn of [...stream.conns])
        if (conn.grant.keyId === keyId) {
          sendError(conn, 'APIKEY_REVOKED');
          closeWith(conn.socket, OPEN_CLOSE.revoked, 'APIKEY_REVOKED');
          leave(conn);
        }
  }

  async function tick() {
    if (ticking) return;
    ticking = true;
    ticks++;
    try {
      const at = Date.now();
      await Promise.all([...streams.values()].map((s) => countsOf(s, at).catch(() => undefined)));
      if (at - sweptAt >= options.revocationSweepMs) {
        sweptAt = at;
        await sweepRevoked().catch((error: unknown) => logger.warn({ err: error }, 'open event sockets: looking for revoked keys failed; the next sweep retries'));
      }
      if (ticks % PING_EVERY_TICKS === 0) {
        // A peer that did not answer the last ping within 30 s is gone: its slot is freed.
        for (const stream of streams.values())
          for (const conn of [...stream.conns]) {
            if (!conn.alive) {
              conn.socket.terminate();
              leave(conn);
              continue;
            }
            conn.alive = false;
            conn.socket.ping();
          }
      }
    } finally {
      ticking = false;
    }
  }

  function onClientMessage(conn: Conn, data: unknown, isBinary: boolean) {
    // Only `{"type":"ping"}` is answered; anything else is ignored, and never closes the socket.
    if (isBinary || conn.socket.readyState !== 1) return;
    const text = String(data);
    if (text.length > 100 || !text.includes('ping')) return;
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object' || (frame as { type?: unknown }).type !== 'ping') return;
    const t = Date.now();
    conn.tokens = Math.min(PING_BURST, conn.tokens + (t - conn.refilledAt) / 1000);
    conn.refilledAt = t;
    if (conn.tokens < 1) return;
    conn.tokens -= 1;
    send(conn, openMessage('pong', {}, now()));
  }

  return {
    options,

    /** Open sockets of this key on this node. */
    openFor(keyId: string) {
      return perKey.get(keyId) ?? 0;
    },

    /** Serves an upgraded socket: hello, a first `viewers`, then the live's events until it closes. */
    async attach(socket: WebSocket, grant: OpenGrant) {
      const conn: Conn = { socket, grant, alive: true, tokens: PING_BURST, refilledAt: Date.now() };
      // Counted here too: another socket of the key may have taken the last slot since the check before the upgrade.
      if (this.openFor(grant.keyId) >= options.maxPerKey) {
        sendError(conn, 'OPEN_WS_TOO_MANY', { max: options.maxPerKey });
        return closeWith(socket, OPEN_CLOSE.tooMany, 'OPEN_WS_TOO_MANY');
      }
      perKey.set(grant.keyId, this.openFor(grant.keyId) + 1);
      const stream = streamFor(grant.sessionId);
      stream.conns.add(conn);
      socket.on('close', () => leave(conn));
      socket.on('error', () => leave(conn));
      socket.on('pong', () => (conn.alive = true));
      socket.on('message', (data, isBinary) => onClientMessage(conn, data, isBinary));
      timer ??= setInterval(() => void tick(), TICK_MS);
      timer.unref();
      try {
        await stream.ready;
        const counts = await bus.counts(grant.sessionId);
        stream.likes ??= counts.likes;
        send(conn, openMessage('hello', {
          sessionId: grant.sessionId,
          orgId: grant.orgId,
          access: grant.access,
          status: grant.status,
          orders: grant.orders,
          ...(grant.orders === 'none' && { omitted: [{ type: 'order', code: 'APIKEY_SCOPE_MISSING', scope: 'orders:read', message: messageFor('APIKEY_SCOPE_MISSING', grant.locale, { scope: 'orders:read' }) }] }),
          limits: { socketsPerKey: options.maxPerKey, maxBufferedBytes: options.maxBufferedBytes, viewersEveryMs: options.viewersEveryMs },
        }, now()));
        send(conn, openMessage('viewers', { online: counts.online, peak: counts.peak, uv: counts.uv, likes: counts.likes }, now()));
      } catch (error) {
        logger.error({ err: error }, 'open event socket failed');
        closeWith(socket, OPEN_CLOSE.internal, 'internal error');
        leave(conn);
      }
    },

    /** A key was revoked on this node: its sockets close now. */
    revoked(keyId: string) {
      closeKey(keyId);
    },

    /** Open sockets on this node (all lives). */
    get size() {
      let n = 0;
      for (const stream of streams.values()) n += stream.conns.size;
      return n;
    },

    closeAll() {
      if (timer) clearInterval(timer);
      timer = null;
      for (const stream of [...streams.values()])
        for (const conn of [...stream.conns]) {
          closeWith(conn.socket, OPEN_CLOSE.shutdown, 'going away');
          leave(conn);
        }
    },
  };
}

export type LiveStreams = ReturnType<typeof createLiveStreams>;
