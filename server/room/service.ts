import type { Logger } from 'pino';
import type { AuthUser } from '../accounts/service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import type { ChatMessagesTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { Secrets } from '../platform/secrets.ts';
import { outageOf } from '../platform/outage.ts';
import { cached } from '../platform/cache.ts';
import { ASSISTANT_RIGHTS, parseRights, type AssistantRight } from '../cockpit/rights.ts';
import { openChannel, type RoomBus, type RoomEvent } from './bus.ts';
import { couponView, createCouponDrops } from './coupons.ts';
import { DEFAULT_SENSITIVE_WORDS, loadAdlawTerms, WordFilter, type Term } from './filter.ts';
import type { RoomHubs } from './hub.ts';
import { bagView, createLuckyBags } from './luckybags.ts';
import { createModeration } from './moderation.ts';
import { createRoomProducts, roomProducts } from './products.ts';
import { resendStatesOnResync } from './resync.ts';
import type { RoomStore } from './store.ts';

export type { CommerceHooks } from './coupons.ts';
export { rankEntrants } from './luckybags.ts';
export type { RoomProduct } from './products.ts';

export const CHAT_MAX_LENGTH = 100;
const RECENT_CHAT = 50;

export type RoomRole = 'viewer' | 'streamer' | 'assistant' | 'operator';
export type SessionInfo = { id: string; streamerId: string; status: 'scheduled' | 'live' | 'ended'; brandOrgId: string | null; mode?: 'public' | 'practice' };

/** Chat messages kept in memory while the database cannot take them (about 20 minutes at 200 a second). */
const CHAT_BACKLOG_MAX = 250_000;

export type RoomDeps = {
  db: Db;
  store: RoomStore;
  bus: RoomBus;
  hubs: RoomHubs;
  clock: Clock;
  secrets: Secrets;
  logger: Logger;
};

/** What the room's parts (./moderation.ts, ./products.ts, ./coupons.ts, ./luckybags.ts) share with the service. */
export type RoomContext = Omit<RoomDeps, 'hubs'> & {
  now: () => string;
  session(id: string): Promise<SessionInfo>;
  requireStaff(sessionId: string, user: AuthUser, right?: AssistantRight): Promise<{ info: SessionInfo; role: RoomRole }>;
  /** Sends an event to the room and forgets the room's cached state. */
  publish(sessionId: string, event: RoomEvent): Promise<void>;
  /** Writes the chat messages still in memory (a moderator's action, a draw's entrants). */
  flushMessages(): Promise<void>;
};

export function createRoomService(deps: RoomDeps) {
  const { db, store, bus, clock, secrets, logger } = deps;
  const now = () => clock.now().toISOString();
  let filter = new WordFilter([...loadAdlawTerms(), ...DEFAULT_SENSITIVE_WORDS]);
  const lastPost = new Map<string, number>();
  let pendingRows: ChatMessagesTable[] = [];
  const recent = new Map<string, RoomEvent[]>();

  const sessions = cached<SessionInfo | null>(3000, async (id) => {
    const row = await db.selectFrom('live_sessions').select(['id', 'streamer_id', 'status', 'brand_org_id', 'mode']).where('id', '=', id).executeTakeFirst();
    return row ? { id: row.id, streamerId: row.streamer_id, status: row.status, brandOrgId: row.brand_org_id, mode: row.mode } : null;
  });
  const restrictions = cached(5000, async (key) => {
    const [streamerId, userId] = key.split('|') as [string, string];
    return (await store.activeRestriction(streamerId, userId, now())) ?? null;
  });
  const follows = cached(10_000, async (key) => {
    const [userId, streamerId] = key.split('|') as [string, string];
    return store.isFollowing(userId, streamerId);
  });
  const snapshots = cached(1000, (id) => buildState(id));
  // Every chat message checks for keyword lucky bags: keep the open ones at hand.
  const openBags = cached(2000, (id) => store.openBags(id));

  /** Who may enter a practice live (实训, server/training/visibility.ts); none until attached. */
  let practiceWatch: ((sessionId: string, userId: string | null) => Promise<boolean>) | null = null;

  let lastFlushWarning = 0;
  const flushTimer = setInterval(() => {
    if (!flushing) void flushMessages();
  }, 200);
  flushTimer.unref();

  // One write at a time. A caller that needs its messages stored (shutdown, a moderator's action, a test) waits for
  // the write in flight, which may hold its message, and then writes whatever came after it.
  let flushing: Promise<void> | null = null;
  async function flushMessages(): Promise<void> {
    while (flushing) await flushing;
    if (!pendingRows.length) return;
    flushing = writePending().finally(() => (flushing = null));
    return flushing;
  }

  async function writePending() {
    const rows = pendingRows;
    pendingRows = [];
    let written = 0;
    try {
      // Chat is part of the live's record, kept like the video: written in batches, not per message.
      for (; written < rows.length; written += 500) await store.insertMessages(rows.slice(written, written + 500));
    } catch (error) {
      // The database is away (or refused a batch): keep what was not written for the next flush, up to
      // CHAT_BACKLOG_MAX messages, so an outage of a few minutes loses none of the record.
      if (!outageOf(error)) {
        logger.error({ err: error, count: rows.length - written }, 'writing chat messages failed');
        return;
      }
      pendingRows = rows.slice(written).concat(pendingRows).slice(-CHAT_BACKLOG_MAX);
      if (Date.now() - lastFlushWarning >= 10_000) {
        lastFlushWarning = Date.now();
        logger.error({ err: error, pending: pendingRows.length }, 'writing chat messages failed; they are kept and retried');
      }
    }
  }

  async function session(id: string) {
    const info = await sessions.get(id);
    if (!info) throw new AppError('LIVE_SESSION_NOT_FOUND');
    return info;
  }

  // Whether a user assists a streamer, and with which rights (server/cockpit/rights.ts), asked on
  // every chat message: cached briefly (null: not an assistant).
  const assistants = cached(10_000, async (key) => {
    const [streamerId, userId] = key.split('|') as [string, string];
    const rights = await store.assistantRights(streamerId, userId);
    return rights === undefined ? null : parseRights(rights);
  });

  async function roleOf(info: SessionInfo, user: AuthUser | null): Promise<RoomRole> {
    if (!user) return 'viewer';
    if (user.id === info.streamerId) return 'streamer';
    if (user.platformRole === 'operator') return 'operator';
    if (await assistants.get(`${info.streamerId}|${user.id}`)) return 'assistant';
    return 'viewer';
  }

  /** What the user may do in this streamer's rooms: everything for the streamer and operators, the given rights for an assistant. */
  async function rightsOf(info: SessionInfo, user: AuthUser | null): Promise<{ role: RoomRole; rights: AssistantRight[] }> {
    const role = await roleOf(info, user);
    if (role === 'viewer') return { role, rights: [] };
    if (role === 'assistant') return { role, rights: (await assistants.get(`${info.streamerId}|${user!.id}`)) ?? [] };
    return { role, rights: [...ASSISTANT_RIGHTS] };
  }

  /** The streamer, an operator, or an assistant (with `right` when one is named); else FORBIDDEN / COCKPIT_RIGHT_MISSING. */
  async function requireStaff(sessionId: string, user: AuthUser, right?: AssistantRight) {
    const info = await session(sessionId);
    const { role, rights } = await rightsOf(info, user);
    if (role === 'viewer') throw new AppError('FORBIDDEN');
    if (right && !rights.includes(right)) throw new AppError('COCKPIT_RIGHT_MISSING', { right });
    return { info, role };
  }

  async function buildState(sessionId: string) {
    const info = await session(sessionId);
    const [settings, list, drop, bag, counts] = await Promise.all([
      store.settings(sessionId),
      roomProducts(db, info),
      store.runningDrop(sessionId, now()),
      store.currentBag(sessionId),
      bus.counts(sessionId),
    ]);
    let recentChat = recent.get(sessionId);
    if (!recentChat) {
      const rows = await store.recentMessages(sessionId, RECENT_CHAT);
      recentChat = rows.reverse().map((r) => ({ type: 'chat', id: r.id, user: { id: r.user_id, name: r.display_name, role: r.user_id === info.streamerId ? 'streamer' : r.platform_role === 'operator' ? 'operator' : 'viewer' }, text: r.text, at: r.created_at }));
      recent.set(sessionId, recentChat);
    }
    return {
      status: info.status,
      announcement: settings?.announcement ?? null,
      pinned: list.find((p) => p.id === settings?.pinned_product_id) ?? null,
      products: list,
      coupon: drop ? couponView(drop) : null,
      luckyBag: bag ? bagView(bag) : null,
      recentChat,
      settings: { slowModeSeconds: settings?.slow_mode_seconds ?? 0, followersOnly: settings?.followers_only === 1 },
      counts,
    };
  }

  async function publish(sessionId: string, event: RoomEvent) {
    snapshots.forget(sessionId);
    await bus.publish(sessionId, event);
  }

  // Redis is back after an outage: every room served here gets its state again (./resync.ts).
  resendStatesOnResync({
    bus,
    hubs: deps.hubs,
    logger,
    stateOf: async (roomId) => {
      snapshots.forget(roomId);
      sessions.forget(roomId);
      const { recentChat: _chat, ...state } = await buildState(roomId);
      return state;
    },
  });

  function remember(sessionId: string, event: RoomEvent) {
    const list = recent.get(sessionId);
    if (!list) return;
    list.push(event);
    if (list.length > RECENT_CHAT) list.shift();
  }

  // The room's other parts, each in its own file.
  const ctx: RoomContext = { db, store, bus, clock, secrets, logger, now, session, requireStaff, publish, flushMessages };
  const moderation = createModeration(ctx, { recent, restrictions, snapshots, filter: () => filter });
  const productList = createRoomProducts(ctx);
  const couponDrops = createCouponDrops(ctx);
  const luckyBags = createLuckyBags(ctx, openBags);

  return {
    session,
    roleOf,
    rightsOf,
    requireStaff,

    async state(sessionId: string) {
      return snapshots.get(sessionId);
    },

    /** Checks and posts a danmaku; resolves to what the sender sees. */
    async postChat(sessionId: string, user: AuthUser | null, rawText: string) {
      if (!user) throw new AppError('AUTH_REQUIRED');
      const info = await session(sessionId);
      const text = rawText.replace(/[\r\n\t]+/g, ' ').trim();
      if (!text) throw new AppError('CHAT_EMPTY');
      if ([...text].length > CHAT_MAX_LENGTH) throw new AppError('CHAT_TOO_LONG', { max: CHAT_MAX_LENGTH });
      const role = await roleOf(info, user);
      if (role === 'viewer') {
        const restriction = await restrictions.get(`${info.streamerId}|${user.id}`);
        if (restriction?.kind === 'ban') throw new AppError('CHAT_BANNED');
        if (restriction?.kind === 'mute') throw new AppError('CHAT_MUTED', { minutes: Math.max(1, Math.ceil((Date.parse(restriction.until) - clock.now().getTime()) / 60_000)) });
        const settings = (await snapshots.get(sessionId)).settings;
        if (settings.followersOnly && !(await follows.get(`${user.id}|${info.streamerId}`))) throw new AppError('CHAT_FOLLOWERS_ONLY');
        const gap = Math.max(1, settings.slowModeSeconds) * 1000;
        const last = lastPost.get(user.id) ?? 0;
        const t = clock.now().getTime();
        if (t - last < gap) throw new AppError('CHAT_RATE_LIMITED', { seconds: Math.ceil((gap - (t - last)) / 1000) });
        lastPost.set(user.id, t);
      }
      const verdict = filter.check(text);
      const id = newId();
      const at = now();
      pendingRows.push({ id, session_id: sessionId, user_id: user.id, text: verdict.action === 'block' ? '' : verdict.text, original_text: verdict.action === 'pass' ? null : text, status: verdict.action === 'pass' ? 'shown' : verdict.action === 'mask' ? 'masked' : 'blocked', created_at: at });
      if (verdict.action === 'block') {
        await store.log(sessionId, null, 'chat.blocked', { userId: user.id, messageId: id }, { words: verdict.hits.map((h) => h.word) }, at);
        throw new AppError('CHAT_BLOCKED');
      }
      const event: RoomEvent = { type: 'chat', id, user: { id: user.id, name: user.displayName, role }, text: verdict.text, at, ...(role !== 'viewer' && { priority: true }) };
      remember(sessionId, event);
      await bus.publish(sessionId, event);
      // Lucky bags with a keyword condition: posting the keyword enters the draw.
      const bags = await openBags.get(sessionId);
      for (const bag of bags) if (bag.condition_kind === 'keyword' && bag.keyword && text.includes(bag.keyword)) await store.enter(bag.id, user.id, at);
      return { id, status: verdict.action === 'pass' ? ('shown' as const) : ('masked' as const), text: verdict.text, event };
    },

    ...moderation,
    ...productList,
    ...couponDrops,
    ...luckyBags,

    /** The live started or ended: viewers' pages switch between waiting, playing and ended. */
    publishStatus(sessionId: string, status: 'live' | 'ended') {
      sessions.forget(sessionId);
      void publish(sessionId, { type: 'status', status, priority: true }).catch(() => undefined);
    },

    /** A practice live's room is entered only by those the training side allows (its trainee and trainers). */
    async mayEnter(info: SessionInfo, user: AuthUser | null) {
      return info.mode !== 'practice' || (!!practiceWatch && (await practiceWatch(info.id, user?.id ?? null)));
    },

    attachPracticeWatch(check: (sessionId: string, userId: string | null) => Promise<boolean>) {
      practiceWatch = check;
    },

    /** Any room event from the shopping side (flash sales, stock). */
    async publishEvent(sessionId: string, event: RoomEvent) {
      await publish(sessionId, event);
    },

    /** An event for the open event API's sockets of this live only (server/webhooks/live-stream.ts), never for viewers. */
    async publishOpen(sessionId: string, event: RoomEvent) {
      await bus.publish(openChannel(sessionId), event);
    },

    /** The "someone just bought" ticker: called by the commerce side for each paid order. */
    async announcePurchase(sessionId: string, purchase: { buyerName: string; product: string; quantity: number; count?: number }) {
      const masked = `${[...purchase.buyerName][0] ?? '*'}**`;
      await bus.publish(sessionId, { type: 'purchase', buyer: masked, product: purchase.product, quantity: purchase.quantity, ...(purchase.count !== undefined && { count: purchase.count }), priority: true });
    },

    async follow(user: AuthUser, streamerId: string, on: boolean) {
      let fresh = false;
      if (on) {
        // An id that is nobody's stores nothing. (Anyone with an account may be followed: a trainee's
        // practice lives, or a viewer who streams later.)
        const target = await db.selectFrom('users').select('id').where('id', '=', streamerId).executeTakeFirst();
        if (!target) throw new AppError('STREAMER_NOT_FOUND');
        fresh = await store.follow(user.id, streamerId, now());
      }
      else await store.unfollow(user.id, streamerId);
      follows.forget(`${user.id}|${streamerId}`);
      const followers = await store.followerCount(streamerId);
      // A new follow during the streamer's live is an event of the open event API (not of the room).
      if (fresh) {
        void db
          .selectFrom('live_sessions').select('id').where('streamer_id', '=', streamerId).where('status', '=', 'live').execute()
          .then((lives) => Promise.all(lives.map((l) => bus.publish(openChannel(l.id), { type: 'follow', user: { name: user.displayName }, followers, at: now() }))))
          .catch(() => undefined);
      }
      return { following: on, followers };
    },

    async isFollowing(userId: string, streamerId: string) {
      return store.isFollowing(userId, streamerId);
    },

    async addAssistant(streamerId: string, userId: string) {
      await store.addAssistant(streamerId, userId, now());
      assistants.forget(`${streamerId}|${userId}`);
    },

    /** An assistant's rights changed or they were removed (server/cockpit): this node stops caching the old ones. */
    forgetAssistant(streamerId: string, userId: string) {
      assistants.forget(`${streamerId}|${userId}`);
    },

    async sensitiveWords() {
      return store.sensitiveWords();
    },

    async setWord(actor: AuthUser, word: Term) {
      await store.addWord({ ...word, created_at: now() });
      await this.reloadFilter();
    },

    async removeWord(word: string) {
      await store.removeWord(word);
      await this.reloadFilter();
    },

    /** Rebuilds the filter from the shipped lists and the operators' words (and seeds them on first use). */
    async reloadFilter() {
      let words = await store.sensitiveWords();
      if (!words.length) {
        for (const word of DEFAULT_SENSITIVE_WORDS) await store.addWord({ ...word, created_at: now() });
        words = await store.sensitiveWords();
      }
      filter = new WordFilter([...loadAdlawTerms(), ...words.map((w) => ({ word: w.word, category: w.category, severity: w.severity }))]);
    },

    checkText(text: string) {
      return filter.check(text);
    },

    async shutdown() {
      clearInterval(flushTimer);
      await flushMessages();
    },
    flushMessages,
  };
}

export type RoomService = ReturnType<typeof createRoomService>;
