import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { get, isAbort, path } from '../api';
import { clientError, RoomSocket, roomSocketUrl, type ChatAck, type RoomConnection } from './roomSocket';
import type { Chat, Notice, RoomActionError, RoomCounts, RoomEvent, RoomState, RoomYou } from './types';

/** Chat messages kept in memory (older ones scroll away). */
export const MAX_CHAT = 200;
/** While the socket is down, the room is read over HTTP this often. */
const HTTP_FALLBACK_MS = 10_000;

export type RoomNotice = Notice & { key: number; prize?: string };
export type { ChatAck, RoomConnection };

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
