import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { AuthUser } from '../accounts/service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import type { ChatMessagesTable, Database } from '../platform/db-types.ts';
import type { Transaction } from 'kysely';
import { AppError } from '../platform/errors.ts';
import { approvedOrgIds, brandsApproved } from '../orgs/approval.ts';
import { newId } from '../platform/ids.ts';
import type { Secrets } from '../platform/secrets.ts';
import { outageOf } from '../platform/outage.ts';
import { createPinStore } from '../replays/pins.ts';
import { cached } from '../platform/cache.ts';
import { ASSISTANT_RIGHTS, parseRights, type AssistantRight } from '../cockpit/rights.ts';
import { openChannel, type RoomBus, type RoomEvent } from './bus.ts';
import { DEFAULT_SENSITIVE_WORDS, loadAdlawTerms, WordFilter, type Term } from './filter.ts';
import type { RoomHubs } from './hub.ts';
import { resendStatesOnResync } from './resync.ts';
import type { RoomStore } from './store.ts';

export const CHAT_MAX_LENGTH = 100;
const RECENT_CHAT = 50;

export type RoomRole = 'viewer' | 'streamer' | 'assistant' | 'operator';
export type RoomProduct = { id: string; title: string; priceFen: number; livePriceFen: number | null; image: string | null; link: number };
type SessionInfo = { id: string; streamerId: string; status: 'scheduled' | 'live' | 'ended'; brandOrgId: string | null; mode?: 'public' | 'practice' };

/** What the shopping side does when the room hands out coupons (see server/commerce). */
export type CommerceHooks = {
  /** A coupon drop starts: create the brand coupon it hands out; answers its id. */
  dropCreated(drop: { id: string; sessionId: string; brandOrgId: string; title: string; amountOffFen: number; total: number }): Promise<string>;
  /** A viewer claimed a drop: give them the coupon. Runs in the claim's transaction. */
  dropClaimed(trx: Transaction<Database>, couponId: string, userId: string): Promise<void>;
};

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

export function createRoomService(deps: RoomDeps) {
  const { db, store, bus, clock, secrets, logger } = deps;
  // Each pin is kept with its time: a replay's chapters and a product's explanation (server/replays).
  const pins = createPinStore(db);
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

  let commerce: CommerceHooks | null = null;
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

  /** The 小黄车 summary: the session's list in link order (see docs/COMMERCE.md), on-sale products of approved brands only. */
  async function products(info: SessionInfo): Promise<RoomProduct[]> {
    const rows = await db
      .selectFrom('session_products')
      .innerJoin('products', 'products.id', 'session_products.product_id')
      .innerJoin('skus', 'skus.product_id', 'products.id')
      .select(['products.id', 'products.title', 'products.images', 'session_products.link', 'session_products.live_prices'])
      .select((eb) => eb.fn.min<number>('skus.price_fen').as('price_fen'))
      .where('session_products.session_id', '=', info.id)
      .where('products.status', '=', 'on_sale')
      .where('products.brand_org_id', 'in', approvedOrgIds(db))
      .groupBy(['products.id', 'products.title', 'products.images', 'session_products.link', 'session_products.live_prices'])
      .orderBy('session_products.link')
      .execute();
    return rows.map((r) => {
      const live = Object.values(JSON.parse(r.live_prices) as Record<string, number>);
      return { id: r.id, title: r.title, priceFen: Number(r.price_fen), livePriceFen: live.length ? Math.min(...live) : null, image: (JSON.parse(r.images) as string[])[0] ?? null, link: r.link };
    });
  }

  function couponView(drop: { id: string; title: string; amount_off_fen: number; total: number; claimed: number; ends_at: string }) {
    return { id: drop.id, title: drop.title, amountOffFen: drop.amount_off_fen, total: drop.total, remaining: Math.max(0, drop.total - drop.claimed), endsAt: drop.ends_at };
  }

  function bagView(bag: NonNullable<Awaited<ReturnType<RoomStore['findBag']>>>) {
    return {
      id: bag.id,
      prize: bag.prize,
      condition: bag.condition_kind === 'keyword' ? { kind: 'keyword' as const, keyword: bag.keyword ?? '' } : { kind: 'follow' as const },
      winners: bag.winners,
      drawAt: bag.draw_at,
      commitment: bag.commitment,
      status: bag.status,
      ...(bag.status === 'drawn' && { seed: bag.revealed_seed ?? undefined, winnerIds: JSON.parse(bag.winner_ids ?? '[]') as string[], entrants: bag.entrant_count ?? 0 }),
    };
  }

  async function buildState(sessionId: string) {
    const info = await session(sessionId);
    const [settings, list, drop, bag, counts] = await Promise.all([
      store.settings(sessionId),
      products(info),
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

    async deleteMessage(sessionId: string, actor: AuthUser, messageId: string, reason?: string) {
      await requireStaff(sessionId, actor, 'moderate');
      await flushMessages();
      const message = await store.findMessage(messageId);
      if (!message || message.session_id !== sessionId) throw new AppError('CHAT_MESSAGE_NOT_FOUND');
      await store.setMessageStatus(messageId, 'deleted');
      const list = recent.get(sessionId);
      if (list) recent.set(sessionId, list.filter((e) => e.id !== messageId));
      await store.log(sessionId, actor.id, 'chat.delete', { userId: message.user_id, messageId }, { reason: reason ?? null }, now());
      await publish(sessionId, { type: 'chat.deleted', id: messageId, priority: true });
    },

    async restrict(sessionId: string, actor: AuthUser, input: { userId: string; minutes?: number; kind: 'mute' | 'ban'; reason?: string }) {
      const { info } = await requireStaff(sessionId, actor, 'moderate');
      const minutes = input.minutes ?? (input.kind === 'ban' ? 365 * 24 * 60 : 10);
      if (input.userId === info.streamerId) throw new AppError('FORBIDDEN');
      const until = new Date(clock.now().getTime() + minutes * 60_000).toISOString();
      await store.restrict({ streamerId: info.streamerId, userId: input.userId, kind: input.kind, until, reason: input.reason ?? null, by: actor.id }, now());
      restrictions.forget(`${info.streamerId}|${input.userId}`);
      await store.log(sessionId, actor.id, `user.${input.kind}`, { userId: input.userId }, { minutes, reason: input.reason ?? null }, now());
      await bus.publish(sessionId, { type: 'notice', to: input.userId, code: input.kind === 'ban' ? 'BANNED' : 'MUTED', until });
      return { until };
    },

    async report(sessionId: string, user: AuthUser, messageId: string, reason?: string) {
      await session(sessionId);
      await flushMessages();
      const message = await store.findMessage(messageId);
      if (!message || message.session_id !== sessionId) throw new AppError('CHAT_MESSAGE_NOT_FOUND');
      await store.log(sessionId, user.id, 'chat.report', { userId: message.user_id, messageId }, { reason: reason ?? null }, now());
    },

    async moderationLog(sessionId: string, actor: AuthUser) {
      await requireStaff(sessionId, actor);
      const rows = await store.moderationLog(sessionId);
      return rows.map((r) => ({ id: r.id, action: r.action, at: r.created_at, actor: r.actor_name, target: r.target_user_id ? { id: r.target_user_id, name: r.target_name } : null, messageId: r.target_message_id, detail: JSON.parse(r.detail) as Record<string, unknown> }));
    },

    async pin(sessionId: string, actor: AuthUser, productId: string | null) {
      const { info } = await requireStaff(sessionId, actor, 'products');
      const list = await products(info);
      const product = productId ? list.find((p) => p.id === productId) : null;
      const brand = productId && !product ? await db.selectFrom('products').select('brand_org_id').where('id', '=', productId).executeTakeFirst() : undefined;
      if (brand && !(await brandsApproved(db, [brand.brand_org_id]))) throw new AppError('BRAND_NOT_APPROVED');
      if (productId && !product) throw new AppError('PRODUCT_NOT_IN_ROOM');
      const at = now();
      await store.saveSettings(sessionId, { pinned_product_id: productId }, at);
      await pins.record(sessionId, productId, actor.id, at);
      await store.log(sessionId, actor.id, productId ? 'product.pin' : 'product.unpin', {}, { productId }, at);
      await publish(sessionId, { type: 'pin', product: product ?? null, priority: true });
      return product ?? null;
    },

    async announce(sessionId: string, actor: AuthUser, text: string | null) {
      await requireStaff(sessionId, actor, 'moderate');
      const verdict = text ? filter.check(text) : null;
      if (verdict?.action === 'block') throw new AppError('CHAT_BLOCKED');
      const shown = verdict ? verdict.text : null;
      await store.saveSettings(sessionId, { announcement: shown }, now());
      await store.log(sessionId, actor.id, 'announcement', {}, { text: shown }, now());
      await publish(sessionId, { type: 'announcement', text: shown, priority: true });
      return shown;
    },

    async updateSettings(sessionId: string, actor: AuthUser, patch: { slowModeSeconds?: number; followersOnly?: boolean }) {
      await requireStaff(sessionId, actor, 'moderate');
      await store.saveSettings(sessionId, {
        ...(patch.slowModeSeconds !== undefined && { slow_mode_seconds: patch.slowModeSeconds }),
        ...(patch.followersOnly !== undefined && { followers_only: patch.followersOnly ? 1 : 0 }),
      }, now());
      snapshots.forget(sessionId);
      const settings = (await snapshots.get(sessionId)).settings;
      await store.log(sessionId, actor.id, 'settings', {}, settings, now());
      await publish(sessionId, { type: 'settings', ...settings, priority: true });
      return settings;
    },

    async startCouponDrop(sessionId: string, actor: AuthUser, input: { title: string; amountOffFen: number; total: number; seconds: number }) {
      const { info } = await requireStaff(sessionId, actor, 'coupons');
      const start = clock.now();
      const id = newId();
      // With a brand behind the live, the drop hands out a real coupon, usable at checkout.
      const couponId = info.brandOrgId && commerce ? await commerce.dropCreated({ id, sessionId, brandOrgId: info.brandOrgId, title: input.title, amountOffFen: input.amountOffFen, total: input.total }) : null;
      const drop = { id, session_id: sessionId, title: input.title, amount_off_fen: input.amountOffFen, total: input.total, claimed: 0, starts_at: start.toISOString(), ends_at: new Date(start.getTime() + input.seconds * 1000).toISOString(), created_by: actor.id, coupon_id: couponId };
      await store.insertDrop(drop);
      await store.log(sessionId, actor.id, 'coupon.start', {}, { dropId: drop.id, total: input.total, amountOffFen: input.amountOffFen, seconds: input.seconds }, now());
      await publish(sessionId, { type: 'coupon.started', coupon: couponView(drop), priority: true });
      return couponView(drop);
    },

    async claimCoupon(sessionId: string, user: AuthUser, dropId: string) {
      const drop = await store.findDrop(dropId);
      if (!drop || drop.session_id !== sessionId) throw new AppError('COUPON_NOT_FOUND');
      const couponId = drop.coupon_id;
      const outcome = await store.claim(dropId, user.id, now(), couponId && commerce ? (trx) => commerce!.dropClaimed(trx, couponId, user.id) : undefined);
      if (outcome === 'duplicate') throw new AppError('COUPON_ALREADY_CLAIMED');
      if (outcome === 'sold_out') throw new AppError('COUPON_SOLD_OUT');
      if (outcome === 'closed') throw new AppError('COUPON_CLOSED');
      const fresh = (await store.findDrop(dropId))!;
      // Many claims in one tick become one update for viewers.
      await publish(sessionId, { type: 'coupon.updated', coupon: couponView(fresh), key: `coupon:${dropId}` });
      return couponView(fresh);
    },

    async startLuckyBag(sessionId: string, actor: AuthUser, input: { prize: string; winners: number; condition: { kind: 'keyword'; keyword: string } | { kind: 'follow' }; drawInSeconds: number }) {
      await requireStaff(sessionId, actor, 'lucky_bags');
      // Commit–reveal: the seed's hash is published now; the seed, which fixes the winners, only after the draw.
      const seed = crypto.randomBytes(32).toString('hex');
      const bag = {
        id: newId(),
        session_id: sessionId,
        prize: input.prize,
        winners: input.winners,
        condition_kind: input.condition.kind,
        keyword: input.condition.kind === 'keyword' ? input.condition.keyword : null,
        draw_at: new Date(clock.now().getTime() + input.drawInSeconds * 1000).toISOString(),
        seed_enc: secrets.encrypt(seed),
        commitment: crypto.createHash('sha256').update(seed).digest('hex'),
        status: 'open' as const,
        revealed_seed: null,
        winner_ids: null,
        entrant_count: null,
        created_by: actor.id,
        created_at: now(),
        drawn_at: null,
      };
      await store.insertBag(bag);
      openBags.forget(sessionId);
      await store.log(sessionId, actor.id, 'luckybag.start', {}, { bagId: bag.id, commitment: bag.commitment }, now());
      await publish(sessionId, { type: 'luckybag.started', luckyBag: bagView(bag), priority: true });
      return bagView(bag);
    },

    async enterLuckyBag(sessionId: string, user: AuthUser, bagId: string) {
      const bag = await store.findBag(bagId);
      if (!bag || bag.session_id !== sessionId) throw new AppError('LUCKYBAG_NOT_FOUND');
      if (bag.status !== 'open') throw new AppError('LUCKYBAG_ALREADY_DRAWN');
      const info = await session(sessionId);
      if (bag.condition_kind === 'follow' && !(await store.isFollowing(user.id, info.streamerId))) throw new AppError('LUCKYBAG_NOT_ELIGIBLE', { condition: 'follow' });
      if (bag.condition_kind === 'keyword') throw new AppError('LUCKYBAG_NOT_ELIGIBLE', { condition: `keyword ${bag.keyword}` });
      await store.enter(bagId, user.id, now());
    },

    /** Draws a lucky bag: winners are the entrants with the smallest HMAC-SHA256(seed, userId). */
    async drawLuckyBag(sessionId: string, actor: AuthUser | null, bagId: string) {
      const bag = await store.findBag(bagId);
      if (!bag || bag.session_id !== sessionId) throw new AppError('LUCKYBAG_NOT_FOUND');
      if (actor) await requireStaff(sessionId, actor, 'lucky_bags');
      if (bag.status !== 'open') throw new AppError('LUCKYBAG_ALREADY_DRAWN');
      await flushMessages();
      const seed = secrets.decrypt(bag.seed_enc);
      // One cut-off time for the draw and for the audit's entrant list.
      const drawTime = now();
      const entrants = await store.entrants(bagId, drawTime);
      const winners = rankEntrants(seed, entrants.map((e) => e.user_id)).slice(0, bag.winners);
      if (!(await store.markDrawn(bagId, seed, winners, entrants.length, drawTime))) throw new AppError('LUCKYBAG_ALREADY_DRAWN');
      openBags.forget(sessionId);
      const drawn = (await store.findBag(bagId))!;
      await store.log(sessionId, actor?.id ?? null, 'luckybag.draw', {}, { bagId, entrants: entrants.length, winners }, now());
      await publish(sessionId, { type: 'luckybag.drawn', luckyBag: bagView(drawn), priority: true, ...(entrants.length === 0 && { code: 'LUCKYBAG_NO_ENTRANTS' }) });
      for (const winner of winners) await bus.publish(sessionId, { type: 'notice', to: winner, code: 'LUCKYBAG_WON', prize: bag.prize, bagId });
      return bagView(drawn);
    },

    async luckyBagAudit(sessionId: string, bagId: string) {
      const bag = await store.findBag(bagId);
      if (!bag || bag.session_id !== sessionId) throw new AppError('LUCKYBAG_NOT_FOUND');
      const entrants = bag.status === 'drawn' ? await store.entrants(bagId, bag.drawn_at ?? undefined) : [];
      return {
        ...bagView(bag),
        method: 'winners = the entrants with the smallest HMAC-SHA256(key = seed as hex text, message = user id), in hex; check sha256(seed) = commitment',
        entrants: entrants.map((e) => ({ id: e.user_id, name: e.display_name })),
      };
    },

    async drawDueBags() {
      const due = await store.dueBags(now()).catch((error: unknown) => {
        logger.warn({ err: error }, 'lucky bags: looking for due draws failed; the next second retries');
        return [];
      });
      for (const bag of due) {
        await this.drawLuckyBag(bag.session_id, null, bag.id).catch((error: unknown) => {
          if (!(error instanceof AppError && error.code === 'LUCKYBAG_ALREADY_DRAWN')) logger.error({ err: error, bagId: bag.id }, 'drawing a lucky bag failed');
        });
      }
    },

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

    attachCommerce(hooks: CommerceHooks) {
      commerce = hooks;
    },

    /** The 小黄车 changed: every viewer gets the new list. */
    async productsChanged(sessionId: string, actor: AuthUser) {
      const info = await session(sessionId);
      const list = await products(info);
      await store.log(sessionId, actor.id, 'products.set', {}, { products: list.map((p) => p.id) }, now());
      await publish(sessionId, { type: 'products', products: list, priority: true });
      return list;
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

export function rankEntrants(seed: string, userIds: string[]): string[] {
  return userIds
    .map((id) => ({ id, score: crypto.createHmac('sha256', seed).update(id).digest('hex') }))
    .sort((a, b) => (a.score < b.score ? -1 : a.score > b.score ? 1 : 0))
    .map((e) => e.id);
}
