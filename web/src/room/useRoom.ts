import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { get, isAbort, path } from '../api';
import i18n from '../i18n';
import type { Chat, Notice, RoomActionError, RoomCounts, RoomEvent, RoomState, RoomYou, ServerFrame } from './types';

/** Chat messages kept in memory (older ones scroll away). */
export const MAX_CHAT = 200;
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
/** While the socket is down, the room is read over HTTP this often. */
const HTTP_FALLBACK_MS = 10_000;
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

export type RoomNotice = Notice & { key: number; prize?: string };

/** Backoff after `failures` consecutive failures: 1, 2, 4, 8, then 10 s. */
export function backoffMs(failures: number): number {
  return Math.min(10_000, 1000 * 2 ** Math.max(0, failures - 1));
}

export function roomSocketUrl(id: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/ws/rooms/${encodeURIComponent(id)}`;
}

// ---------------------------------------------------------------------------
// State: a pure reducer (it may run twice under StrictMode).

type Model = {
  state: RoomState | null;
  /** The chat list: the snapshot's recent messages, then every `chat` event; at most MAX_CHAT. */
  chat: Chat[];
  /** Ordinary messages the server left out of batches since the snapshot (see "Thinning"). */
  thinned: number;
  you: RoomYou;
  /** Where `state` came from: the socket, or `GET /api/rooms/:id` while the socket is down. */
  source: 'socket' | 'http' | null;
  notice: RoomNotice | null;
};

type Action =
  | { type: 'reset' }
  | { type: 'welcome'; you: RoomYou }
  | { type: 'snapshot'; state: RoomState; source: 'socket' | 'http' }
  | { type: 'batch'; events: RoomEvent[]; counts?: RoomCounts; thinned?: number }
  | { type: 'like'; n: number }
  | { type: 'dismissNotice' };

const initialModel: Model = { state: null, chat: [], thinned: 0, you: null, source: null, notice: null };

const ZERO_COUNTS: RoomCounts = { online: 0, peak: 0, uv: 0, likes: 0 };

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** Defensive: a state missing a list or a block still renders. */
function normalizeState(raw: RoomState): RoomState {
  const s = (raw ?? {}) as Partial<RoomState>;
  return {
    status: s.status ?? 'live',
    announcement: s.announcement ?? null,
    pinned: s.pinned ?? null,
    products: Array.isArray(s.products) ? s.products : [],
    coupon: s.coupon ?? null,
    luckyBag: s.luckyBag ?? null,
    recentChat: Array.isArray(s.recentChat) ? s.recentChat.filter(isChat) : [],
    settings: { slowModeSeconds: num(s.settings?.slowModeSeconds), followersOnly: !!s.settings?.followersOnly },
    counts: mergeCounts(ZERO_COUNTS, s.counts),
  };
}

/** Likes only ever grow: keep the larger of ours (with local taps) and the server's. */
function mergeCounts(prev: RoomCounts, next: Partial<RoomCounts> | undefined): RoomCounts {
  if (!next) return prev;
  return {
    online: num(next.online ?? prev.online),
    peak: num(next.peak ?? prev.peak),
    uv: num(next.uv ?? prev.uv),
    likes: Math.max(num(prev.likes), num(next.likes ?? prev.likes)),
  };
}

function isChat(c: unknown): c is Chat {
  const m = c as Chat | null;
  return !!m && typeof m.id === 'string' && typeof m.text === 'string' && !!m.user && typeof m.user === 'object';
}

/** The Chat of a `chat` event: its own fields per the protocol, or nested under `chat`. */
export function chatOfEvent(ev: RoomEvent): Chat | null {
  const nested = (ev as { chat?: unknown }).chat;
  if (isChat(nested)) return nested;
  return isChat(ev) ? { id: ev.id, user: ev.user, text: ev.text, at: ev.at, priority: ev.priority } : null;
}

function appendChat(list: Chat[], add: Chat[]): Chat[] {
  if (add.length === 0) return list;
  const seen = new Set(list.map((c) => c.id));
  const fresh = add.filter((c) => !seen.has(c.id));
  if (fresh.length === 0) return list;
  const next = list.concat(fresh);
  return next.length > MAX_CHAT ? next.slice(next.length - MAX_CHAT) : next;
}

function applyEvent(state: RoomState | null, ev: RoomEvent): RoomState | null {
  if (!state) return state;
  switch (ev.type) {
    case 'pin':
      return { ...state, pinned: ev.product ?? null };
    case 'announcement':
      return { ...state, announcement: ev.text ?? null };
    case 'coupon.started':
    case 'coupon.updated':
      return ev.coupon ? { ...state, coupon: ev.coupon } : state;
    case 'coupon.ended':
      // Keep a different, newer drop if one is already running.
      return !state.coupon || !ev.coupon || state.coupon.id === ev.coupon.id ? { ...state, coupon: null } : state;
    case 'luckybag.started':
    case 'luckybag.drawn':
      return ev.luckyBag ? { ...state, luckyBag: ev.luckyBag } : state;
    case 'settings': {
      const src = ((ev as { settings?: Partial<typeof state.settings> }).settings ?? ev) as Partial<typeof state.settings>;
      return {
        ...state,
        settings: {
          slowModeSeconds: src.slowModeSeconds !== undefined ? num(src.slowModeSeconds) : state.settings.slowModeSeconds,
          followersOnly: src.followersOnly !== undefined ? !!src.followersOnly : state.settings.followersOnly,
        },
      };
    }
    case 'status':
      return ev.status ? { ...state, status: ev.status } : state;
    case 'products':
      return Array.isArray(ev.products) ? { ...state, products: ev.products.map(shortProduct) } : state;
    case 'state': {
      // The whole room state, resent after the server lost Redis for a while; the chat list stays.
      return ev.state && typeof ev.state === 'object' ? normalizeState({ ...state, ...ev.state, recentChat: state.recentChat }) : state;
    }
    default:
      return state;
  }
}

/** A room product as the room shows it; a full shop product (images, no image) is reduced to it. */
function shortProduct(p: RoomState['products'][number]): RoomState['products'][number] {
  const images = (p as { images?: unknown }).images;
  const image = p.image ?? (Array.isArray(images) && typeof images[0] === 'string' ? images[0] : null);
  return { id: p.id, title: p.title, priceFen: num(p.priceFen), livePriceFen: typeof p.livePriceFen === 'number' ? p.livePriceFen : null, image, link: num(p.link) };
}

let noticeKey = 0;

function reducer(model: Model, action: Action): Model {
  switch (action.type) {
    case 'reset':
      return initialModel;
    case 'welcome':
      return { ...model, you: action.you ?? null };
    case 'snapshot': {
      const state = normalizeState(action.state);
      if (action.source === 'http' && model.chat.length > 0) {
        // Read over HTTP while the socket is down: add what is new, keep what we have.
        return { ...model, state: { ...state, counts: mergeCounts(model.state?.counts ?? ZERO_COUNTS, state.counts) }, chat: appendChat(model.chat, state.recentChat), source: model.source ?? 'http' };
      }
      return { ...model, state, chat: appendChat([], state.recentChat), thinned: 0, source: action.source };
    }
    case 'batch': {
      let state = model.state;
      let chat = model.chat;
      let notice = model.notice;
      const added: Chat[] = [];
      const deleted = new Set<string>();
      for (const ev of action.events) {
        if (!ev || typeof ev !== 'object') continue;
        if (ev.type === 'chat') {
          const c = chatOfEvent(ev);
          if (c) added.push(c);
        } else if (ev.type === 'chat.deleted') {
          if (added.length) {
            chat = appendChat(chat, added.splice(0));
          }
          deleted.add(ev.id);
          chat = chat.filter((c) => c.id !== ev.id);
        } else if (ev.type === 'notice') {
          // Addressed to one viewer: never show someone else's.
          const to = (ev as { to?: unknown }).to;
          if (typeof to === 'string' && to !== model.you?.id) continue;
          const prize = (ev as { prize?: unknown }).prize;
          notice = { code: String(ev.code ?? ''), message: String(ev.message ?? ''), key: ++noticeKey, ...(typeof prize === 'string' && { prize }) };
        } else {
          state = applyEvent(state, ev);
        }
      }
      chat = appendChat(chat, added.filter((c) => !deleted.has(c.id)));
      if (state && action.counts) state = { ...state, counts: mergeCounts(state.counts, action.counts) };
      return { ...model, state, chat, notice, thinned: model.thinned + num(action.thinned) };
    }
    case 'like':
      return model.state ? { ...model, state: { ...model.state, counts: { ...model.state.counts, likes: model.state.counts.likes + action.n } } } : model;
    case 'dismissNotice':
      return { ...model, notice: null };
    default:
      return model;
  }
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

function clientError(code: string, key: 'offline' | 'sendTimeout' | 'connectionLost'): RoomActionError {
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

// ---------------------------------------------------------------------------
// The hook.

export type Room = {
  state: RoomState | null;
  chat: Chat[];
  thinned: number;
  /** Who the server thinks we are (from `welcome`); null when anonymous or not connected yet. */
  you: RoomYou;
  connection: RoomConnection;
  /** Consecutive failed connection attempts. */
  failures: number;
  /** The server's error for the last failed action (a chat, a like, a bad frame…). */
  lastError: RoomActionError | null;
  /** The last `notice` addressed to this viewer (LUCKYBAG_WON, MUTED…). */
  notice: RoomNotice | null;
  /** Where the state came from: `http` means the socket is down and it was read with GET. */
  source: 'socket' | 'http' | null;
  sendChat: (text: string) => Promise<ChatAck>;
  like: (n?: number) => void;
  reconnect: () => void;
  clearError: () => void;
  dismissNotice: () => void;
  /** Be told about every event of every batch (danmaku, ticker, hearts). Returns the unsubscribe. */
  subscribe: (fn: (ev: RoomEvent) => void) => () => void;
};

/**
 * The live room of session `id` over `/ws/rooms/:id` (docs/realtime-protocol.md).
 * `identity` (the logged-in user id) reconnects the socket when the login changes.
 */
export function useRoom(id: string | null, identity: string | null = null): Room {
  const [model, dispatch] = useReducer(reducer, initialModel);
  const [connection, setConnection] = useState<RoomConnection>('connecting');
  const [failures, setFailures] = useState(0);
  const [lastError, setLastError] = useState<RoomActionError | null>(null);
  const socketRef = useRef<RoomSocket | null>(null);
  const youRef = useRef<RoomYou>(null);
  youRef.current = model.you;
  const listeners = useRef(new Set<(ev: RoomEvent) => void>());

  useEffect(() => {
    dispatch({ type: 'reset' });
    setLastError(null);
    setConnection('connecting');
    setFailures(0);
    if (!id) return;
    const socket = new RoomSocket(roomSocketUrl(id), {
      connection: (c, n) => {
        setConnection(c);
        setFailures(n);
      },
      welcome: (you) => dispatch({ type: 'welcome', you }),
      snapshot: (state) => dispatch({ type: 'snapshot', state, source: 'socket' }),
      batch: (frame) => {
        dispatch({ type: 'batch', events: frame.events, counts: frame.counts, thinned: frame.thinned });
        for (const ev of frame.events) {
          if (!ev || typeof ev !== 'object') continue;
          for (const fn of listeners.current) {
            try {
              fn(ev);
            } catch {
              // a listener's bug must not break the room
            }
          }
        }
      },
      error: (e) => setLastError(e),
    });
    socketRef.current = socket;
    socket.start();
    return () => {
      socket.stop();
      if (socketRef.current === socket) socketRef.current = null;
    };
  }, [id, identity]);

  // The socket is down: read the room over HTTP so the pinned product, the announcement… still show.
  const needHttp = !!id && connection === 'unavailable';
  useEffect(() => {
    if (!needHttp || !id) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let ac: AbortController | null = null;
    const run = async () => {
      ac = new AbortController();
      try {
        const state = await get<RoomState>(path`/api/rooms/${id}`, ac.signal);
        if (!stopped && state && typeof state === 'object') dispatch({ type: 'snapshot', state, source: 'http' });
      } catch (e) {
        if (isAbort(e)) return;
        // nothing more to say: the page already shows "live chat unavailable"
      }
      if (!stopped) timer = setTimeout(() => void run(), HTTP_FALLBACK_MS);
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      ac?.abort();
    };
  }, [needHttp, id]);

  const sendChat = useCallback(async (text: string) => {
    const socket = socketRef.current;
    if (!socket) {
      const err = clientError('CLIENT_OFFLINE', 'offline');
      setLastError(err);
      throw err;
    }
    try {
      const ack = await socket.sendChat(text);
      setLastError(null);
      // The viewer's own message is always shown: from the ack, since in a busy room the server may
      // thin it out of what this viewer's write group gets (the event, if it comes, has the same id).
      const you = youRef.current;
      if (you && ack.text !== undefined) {
        dispatch({ type: 'batch', events: [{ type: 'chat', id: ack.id, user: { id: you.id, name: you.name, role: you.role }, text: ack.text, at: new Date().toISOString() } as RoomEvent] });
      }
      return ack;
    } catch (e) {
      const err = e as RoomActionError;
      setLastError(err);
      throw err;
    }
  }, []);

  const like = useCallback((n = 1) => {
    const socket = socketRef.current;
    if (!socket?.isOpen) return; // the hearts still fly; nothing is counted or sent
    socket.like(n);
    dispatch({ type: 'like', n });
  }, []);

  const reconnect = useCallback(() => socketRef.current?.reconnectNow(), []);
  const clearError = useCallback(() => setLastError(null), []);
  const dismissNotice = useCallback(() => dispatch({ type: 'dismissNotice' }), []);
  const subscribe = useCallback((fn: (ev: RoomEvent) => void) => {
    listeners.current.add(fn);
    return () => {
      listeners.current.delete(fn);
    };
  }, []);

  return useMemo<Room>(
    () => ({
      state: model.state,
      chat: model.chat,
      thinned: model.thinned,
      you: model.you,
      connection,
      failures,
      lastError,
      notice: model.notice,
      source: model.source,
      sendChat,
      like,
      reconnect,
      clearError,
      dismissNotice,
      subscribe,
    }),
    [model, connection, failures, lastError, sendChat, like, reconnect, clearError, dismissNotice, subscribe],
  );
}
