import i18n from '../i18n';
import type { RoomActionError, RoomState, RoomYou, ServerFrame } from './types';

// The room's WebSocket client (docs/realtime-protocol.md): connects, says hello, resumes, pings,
// acknowledges chat, and reconnects by itself with backoff. useRoom.ts turns what it hears into state.

/** Likes are collected and sent at most this often. */
const LIKE_FLUSH_MS = 300;
/** The protocol accepts 1–50 likes per frame. */
const LIKE_MAX_PER_FRAME = 50;
/** A socket that has not said `welcome` by then is given up and retried. */
const CONNECT_TIMEOUT_MS = 8000;
/** An unanswered chat is reported as failed after this long. */
const ACK_TIMEOUT_MS = 10_000;
const PING_EVERY_MS = 25_000;
/** No frame at all for this long (not even a pong): the connection is dead. */
const SILENCE_LIMIT_MS = 60_000;
/** Close code: the server dropped a slow consumer; reconnect at once with `resume`. */
export const CLOSE_SLOW_CONSUMER = 4008;
/**
 * Close code: this address holds too many room sockets on the server (other tabs, or many viewers
 * behind one NAT). Retrying soon would only be refused again: wait 15–30 s between tries.
 */
export const CLOSE_TOO_MANY_SOCKETS = 4429;
const TOO_MANY_SOCKETS_WAIT_MS = 15_000;

/**
 * `connecting`: the first attempt; `open`: welcomed; `reconnecting`: lost, retrying;
 * `unavailable`: cannot connect (still retrying in the background, with backoff).
 */
export type RoomConnection = 'connecting' | 'open' | 'reconnecting' | 'unavailable';

/** `text` is the message as shown to others (masked if the filter masked it). */
export type ChatAck = { id: string; status: 'shown' | 'masked'; text?: string };

/** Backoff after `failures` consecutive failures: 1, 2, 4, 8, then 10 s. */
export function backoffMs(failures: number): number {
  return Math.min(10_000, 1000 * 2 ** Math.max(0, failures - 1));
}

export function roomSocketUrl(id: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/ws/rooms/${encodeURIComponent(id)}`;
}

// ---------------------------------------------------------------------------
// The socket: one per room, reconnecting by itself.

type SocketCallbacks = {
  connection: (c: RoomConnection, failures: number) => void;
  welcome: (you: RoomYou) => void;
  snapshot: (state: RoomState) => void;
  batch: (frame: Extract<ServerFrame, { t: 'batch' }>) => void;
  error: (e: RoomActionError) => void;
};

type Pending = { resolve: (a: ChatAck) => void; reject: (e: RoomActionError) => void; timer: ReturnType<typeof setTimeout> };

export function clientError(code: string, key: 'offline' | 'sendTimeout' | 'connectionLost'): RoomActionError {
  return { code, message: i18n.t(`room.errors.${key}`) };
}

export class RoomSocket {
  private ws: WebSocket | null = null;
  private welcomed = false;
  private everWelcomed = false;
  private openedAt = 0;
  private lastFrameAt = 0;
  private lastPingAt = 0;
  /** The last batch `seq` applied; sent as `resume` when reconnecting. */
  private seq: number | null = null;
  private failures = 0;
  private quickRetries = 0;
  private lastQuickRetryAt = 0;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private likeTimer: ReturnType<typeof setTimeout> | undefined;
  private likesPending = 0;
  private lastLikeSentAt = 0;
  private nonceCounter = 0;
  private pending = new Map<string, Pending>();

  constructor(
    private readonly url: string,
    private readonly cb: SocketCallbacks,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.likeTimer);
    this.likeTimer = undefined;
    const ws = this.ws;
    this.detach();
    if (ws) {
      try {
        ws.close(1000);
      } catch {
        // already closed
      }
    }
    this.rejectAll(clientError('CLIENT_CLOSED', 'connectionLost'));
  }

  /** "Retry now" after the room was reported unavailable. */
  reconnectNow(): void {
    if (this.stopped) return;
    this.failures = 0;
    if (this.ws) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  get isOpen(): boolean {
    return !!this.ws && this.welcomed && this.ws.readyState === WebSocket.OPEN;
  }

  sendChat(text: string): Promise<ChatAck> {
    const ws = this.ws;
    if (!ws || !this.isOpen) return Promise.reject(clientError('CLIENT_OFFLINE', 'offline'));
    const nonce = `c${Date.now().toString(36)}-${++this.nonceCounter}`;
    return new Promise<ChatAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(nonce);
        reject(clientError('CLIENT_TIMEOUT', 'sendTimeout'));
      }, ACK_TIMEOUT_MS);
      this.pending.set(nonce, { resolve, reject, timer });
      try {
        ws.send(JSON.stringify({ t: 'chat', text, nonce }));
      } catch {
        clearTimeout(timer);
        this.pending.delete(nonce);
        reject(clientError('CLIENT_OFFLINE', 'offline'));
      }
    });
  }

  /** Count taps; they leave at most every LIKE_FLUSH_MS, in frames of at most 50. */
  like(n: number): void {
    if (!(n > 0)) return;
    this.likesPending += Math.floor(n);
    this.scheduleLikes();
  }

  private scheduleLikes(): void {
    if (this.likeTimer !== undefined || this.likesPending <= 0) return;
    const wait = Math.max(0, LIKE_FLUSH_MS - (Date.now() - this.lastLikeSentAt));
    this.likeTimer = setTimeout(() => {
      this.likeTimer = undefined;
      this.flushLikes();
    }, wait);
  }

  private flushLikes(): void {
    if (this.likesPending <= 0) return;
    if (!this.isOpen) {
      // Taps made while offline are not worth replaying later.
      this.likesPending = 0;
      return;
    }
    const n = Math.min(LIKE_MAX_PER_FRAME, this.likesPending);
    this.likesPending -= n;
    this.lastLikeSentAt = Date.now();
    try {
      this.ws?.send(JSON.stringify({ t: 'like', n }));
    } catch {
      this.likesPending = 0;
    }
    this.scheduleLikes();
  }

  private connect(): void {
    clearTimeout(this.retryTimer);
    if (this.stopped) return;
    this.cb.connection(this.everWelcomed ? (this.failures > 2 ? 'unavailable' : 'reconnecting') : this.failures > 0 ? 'unavailable' : 'connecting', this.failures);
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.failures += 1;
      this.afterClose();
      return;
    }
    this.ws = ws;
    this.welcomed = false;
    this.lastFrameAt = Date.now();
    this.connectTimer = setTimeout(() => {
      if (this.ws === ws && !this.welcomed) this.drop(ws, 4000);
    }, CONNECT_TIMEOUT_MS);
    ws.onopen = () => {
      if (this.ws !== ws) return;
      const hello: { t: 'hello'; v: 1; resume?: number } = { t: 'hello', v: 1 };
      if (this.seq !== null) hello.resume = this.seq;
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (e: MessageEvent) => {
      if (this.ws !== ws) return;
      this.onMessage(ws, e.data);
    };
    ws.onclose = (e: CloseEvent) => {
      if (this.ws !== ws) return;
      this.closed(e.code);
    };
    ws.onerror = () => undefined; // `close` follows
  }

  private onMessage(ws: WebSocket, data: unknown): void {
    this.lastFrameAt = Date.now();
    if (typeof data !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object') return;
    switch (frame.t) {
      case 'welcome':
        this.welcomed = true;
        this.everWelcomed = true;
        this.openedAt = Date.now();
        clearTimeout(this.connectTimer);
        this.startTicking(ws);
        this.cb.welcome(frame.you ?? null);
        this.cb.connection('open', 0);
        this.scheduleLikes();
        return;
      case 'snapshot':
        if (typeof frame.seq === 'number') this.seq = frame.seq;
        if (frame.state) this.cb.snapshot(frame.state);
        return;
      case 'batch': {
        if (typeof frame.seq !== 'number') return;
        const events = Array.isArray(frame.events) ? frame.events : [];
        // Events for this viewer alone (a `notice`) may come in their own frame that repeats the
        // current seq (`personal: true`): apply them without moving the seq.
        const personal = (frame as { personal?: unknown }).personal === true || (frame.seq === this.seq && events.length > 0 && events.every((e) => e?.type === 'notice'));
        if (personal) {
          this.cb.batch({ t: 'batch', seq: frame.seq, events });
          return;
        }
        if (this.seq !== null) {
          if (frame.seq <= this.seq) return; // already applied
          if (frame.seq !== this.seq + 1) {
            // Missed something: reconnect and ask for what we missed.
            this.resync(ws);
            return;
          }
        }
        this.seq = frame.seq;
        this.cb.batch({ ...frame, events });
        return;
      }
      case 'chat': {
        // A large room's sampled ordinary chat: outside the numbered batches, so the seq stays.
        const events = Array.isArray(frame.events) ? frame.events : [];
        if (this.seq === null) return; // before the snapshot: it carries the recent chat
        this.cb.batch({ t: 'batch', seq: this.seq, events, thinned: frame.thinned });
        return;
      }
      case 'ack': {
        const p = this.pending.get(frame.nonce);
        if (!p) return;
        clearTimeout(p.timer);
        this.pending.delete(frame.nonce);
        p.resolve({ id: frame.id, status: frame.status, ...(typeof frame.text === 'string' && { text: frame.text }) });
        return;
      }
      case 'error': {
        const err: RoomActionError = { code: String(frame.code ?? 'ERROR'), message: String(frame.message || frame.code || '') };
        const p = frame.nonce ? this.pending.get(frame.nonce) : undefined;
        if (p && frame.nonce) {
          clearTimeout(p.timer);
          this.pending.delete(frame.nonce);
          p.reject(err);
        } else {
          this.cb.error(err);
        }
        return;
      }
      default:
        return; // pong, or a frame type this client does not know
    }
  }

  private startTicking(ws: WebSocket): void {
    clearInterval(this.tickTimer);
    this.lastPingAt = Date.now();
    this.tickTimer = setInterval(() => {
      if (this.ws !== ws) return;
      const now = Date.now();
      if (now - this.lastFrameAt > SILENCE_LIMIT_MS) {
        this.drop(ws, 4000);
        return;
      }
      if (now - this.lastPingAt >= PING_EVERY_MS) {
        this.lastPingAt = now;
        try {
          ws.send(JSON.stringify({ t: 'ping' }));
        } catch {
          // the close event follows
        }
      }
    }, 5000);
  }

  private resync(ws: WebSocket): void {
    this.drop(ws, CLOSE_SLOW_CONSUMER);
  }

  /** Stop listening to `ws` and treat it as closed with `code` (without waiting for the close handshake). */
  private drop(ws: WebSocket, code: number): void {
    if (this.ws !== ws) return;
    this.detach();
    try {
      ws.close(4000);
    } catch {
      // ignore
    }
    this.closed(code, true);
  }

  private detach(): void {
    const ws = this.ws;
    if (ws) {
      ws.onopen = null;
      ws.onmessage = null;
      ws.onclose = null;
      ws.onerror = null;
    }
    this.ws = null;
    this.welcomed = false;
    clearTimeout(this.connectTimer);
    clearInterval(this.tickTimer);
  }

  private closed(code: number, alreadyDetached = false): void {
    if (!alreadyDetached) this.detach();
    this.rejectAll(clientError('CLIENT_DISCONNECTED', 'connectionLost'));
    if (this.stopped) return;
    const stayedUp = this.openedAt > 0 && Date.now() - this.openedAt > 10_000;
    this.openedAt = 0;
    if (stayedUp) this.failures = 0;
    if (code === CLOSE_SLOW_CONSUMER && this.everWelcomed) {
      // Slow consumer or a seq gap: come straight back with `resume` (but not in a tight loop).
      const now = Date.now();
      this.quickRetries = now - this.lastQuickRetryAt < 10_000 ? this.quickRetries + 1 : 1;
      this.lastQuickRetryAt = now;
      if (this.quickRetries <= 2) {
        this.cb.connection('reconnecting', this.failures);
        this.retryTimer = setTimeout(() => this.connect(), 100 + Math.random() * 400);
        return;
      }
    }
    this.failures += 1;
    this.afterClose(code === CLOSE_TOO_MANY_SOCKETS ? TOO_MANY_SOCKETS_WAIT_MS * (1 + Math.random()) : 0);
  }

  private afterClose(atLeastMs = 0): void {
    this.cb.connection(this.everWelcomed && this.failures <= 2 && !atLeastMs ? 'reconnecting' : 'unavailable', this.failures);
    this.retryTimer = setTimeout(() => this.connect(), Math.max(atLeastMs, backoffMs(this.failures)));
  }

  private rejectAll(err: RoomActionError): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }
}
