import type { Logger } from 'pino';
import type { AuthUser } from '../accounts/service.ts';
import type { Orders, Trx } from '../commerce/orders.ts';
import type { NewEvent, Outbox } from '../events/outbox.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import type { AuctionBidsTable, AuctionsTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { approvedOrgIds, requireApprovedBrands } from '../orgs/approval.ts';
import { newId } from '../platform/ids.ts';
import type { RoomService } from '../room/service.ts';
import { applyBid, DEFAULT_INCREMENTS, extendedClose, incrementsValid, minNext, nextOffer, type BidKind, type Increment, type Standing } from './rules.ts';
import { oneAtATime } from '../platform/one-at-a-time.ts';

export type AuctionsDeps = { db: Db; dialect: Dialect; clock: Clock; logger: Logger; orders: Orders; room: RoomService; outbox: Outbox };

export type CreateAuctionInput = {
  skuId: string;
  title?: string;
  image?: string;
  startingPriceFen: number;
  increments?: Increment[];
  startsInSeconds: number;
  durationSeconds: number;
  extendSeconds: number;
  maxExtensionSeconds: number;
  suddenDeath: boolean;
  paySeconds: number;
};

export type BidInput = { kind: BidKind; amountFen: number; clientKey: string };

/** The first character of a name and two stars, as the room's purchase ticker shows buyers. */
export function maskName(name: string | null | undefined): string {
  return `${[...(name ?? '')][0] ?? '*'}**`;
}

const BATCH_MAX = 500;

class Retry extends Error {}

/** 竞拍: auctions of one-off lots in a live session (docs/AUCTIONS.md). */
export function createAuctions(deps: AuctionsDeps) {
  const { db, clock, logger, orders, room, outbox } = deps;
  const now = () => clock.now().toISOString();
  /** The fields a bid needs before its turn (session, brand): they never change. */
  const fixed = new Map<string, { id: string; session_id: string; brand_org_id: string }>();
  const lock = <T extends { forUpdate(): T }>(q: T) => (deps.dialect === 'postgres' ? q.forUpdate() : q);

  // --- who is the seller: the streamer and the live's staff, and the members of the lot's brand ---
  const sellerCache = new Map<string, { seller: boolean; at: number }>();
  async function isSeller(a: Pick<AuctionsTable, 'id' | 'session_id' | 'brand_org_id'>, user: AuthUser): Promise<boolean> {
    const key = `${a.id}|${user.id}`;
    const hit = sellerCache.get(key);
    if (hit && Date.now() - hit.at < 10_000) return hit.seller;
    const member = await db.selectFrom('org_members').select('user_id').where('org_id', '=', a.brand_org_id).where('user_id', '=', user.id).executeTakeFirst();
    let seller = Boolean(member);
    if (!seller) seller = await room.requireStaff(a.session_id, user).then(() => true, () => false);
    if (sellerCache.size > 50_000) sellerCache.clear();
    sellerCache.set(key, { seller, at: Date.now() });
    return seller;
  }

  /** `shown`: only an auction of an approved brand (the public view; server/orgs/approval.ts). */
  async function find(auctionId: string, { shown = false } = {}) {
    let query = db.selectFrom('auctions').selectAll().where('id', '=', auctionId);
    if (shown) query = query.where('brand_org_id', 'in', approvedOrgIds(db));
    const a = await query.executeTakeFirst();
    if (!a) throw new AppError('AUCTION_NOT_FOUND');
    return a;
  }

  function phase(a: AuctionsTable, at = clock.now().toISOString()) {
    if (a.status !== 'open') return a.status;
    if (at < a.starts_at) return 'scheduled' as const;
    if (at >= a.closes_at) return 'closing' as const;
    return 'open' as const;
  }

  const names = new Map<string, string>();
  async function nameOf(userId: string) {
    let name = names.get(userId);
    if (name === undefined) {
      const row = await db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
      name = row?.display_name ?? '';
      if (names.size > 50_000) names.clear();
      names.set(userId, name);
    }
    return name;
  }

  /** What anyone may see: never a proxy maximum, bidders by masked name. */
  async function view(a: AuctionsTable) {
    const recent = await db.selectFrom('auction_bids').select(['seq', 'user_id', 'price_after_fen', 'created_at']).where('auction_id', '=', a.id).orderBy('seq', 'desc').limit(8).execute();
    const standing = standingOf(a);
    return {
      id: a.id,
      sessionId: a.session_id,
      productId: a.product_id,
      skuId: a.sku_id,
      title: a.title,
      image: a.image,
      startingPriceFen: a.starting_price_fen,
      increments: JSON.parse(a.increments) as Increment[],
      startsAt: a.starts_at,
      plannedCloseAt: a.planned_close_at,
      closesAt: a.closes_at,
      extendSeconds: a.extend_seconds,
      maxExtensionSeconds: a.max_extension_seconds,
      suddenDeath: a.sudden_death === 1,
      paySeconds: a.pay_seconds,
      status: phase(a),
      priceFen: a.price_fen,
      minNextFen: minNext(standing),
      bidCount: a.bid_count,
      leader: a.leader_id ? { id: a.leader_id, name: maskName(await nameOf(a.leader_id)) } : null,
      winner: a.winner_id ? { id: a.winner_id, name: maskName(await nameOf(a.winner_id)), priceFen: a.hammer_fen } : null,
      recentBids: await Promise.all(recent.map(async (b) => ({ seq: b.seq, bidder: maskName(await nameOf(b.user_id)), priceFen: b.price_after_fen, at: b.created_at }))),
    };
  }

  function standingOf(a: AuctionsTable): Standing {
    return { startFen: a.starting_price_fen, increments: JSON.parse(a.increments) as Increment[], priceFen: a.price_fen, leaderId: a.leader_id, leaderMaxFen: a.leader_max_fen };
  }

  async function publish(auctionId: string, priority = false) {
    try {
      const a = await find(auctionId);
      // Keyed: within one room tick only the newest state of an auction goes out.
      await room.publishEvent(a.session_id, { type: 'auction', auction: await view(a), key: `auction:${a.id}`, ...(priority && { priority: true }) });
    } catch (err) {
      logger.warn({ err, auctionId }, 'auction event not sent');
    }
  }

  /** Bids reach the room at most every 100 ms per auction (the newest state; the room's tick coalesces further). */
  const publishTimers = new Map<string, NodeJS.Timeout>();
  function publishSoon(auctionId: string) {
    if (publishTimers.has(auctionId)) return;
    const timer = setTimeout(() => {
      publishTimers.delete(auctionId);
      void publish(auctionId);
    }, 100);
    timer.unref();
    publishTimers.set(auctionId, timer);
  }

  // --- bids: one queue per auction on this node; each batch is one transaction under the row's lock ---
  type Pending = { user: AuthUser; input: BidInput; resolve: (v: BidOutcome) => void; reject: (e: unknown) => void };
  type BidOutcome = { bid: AuctionBidsTable; created: boolean; closesAt: string };
  const queues = new Map<string, Pending[]>();
  const running = new Set<string>();

  function enqueue(auctionId: string, p: Pending) {
    const queue = queues.get(auctionId) ?? [];
    queues.set(auctionId, queue);
    queue.push(p);
    if (running.has(auctionId)) return;
    running.add(auctionId);
    setImmediate(() => void drain(auctionId));
  }

  async function drain(auctionId: string) {
    try {
      for (;;) {
        const queue = queues.get(auctionId);
        if (!queue?.length) break;
        await runBatch(auctionId, queue.splice(0, BATCH_MAX));
      }
    } finally {
      queues.delete(auctionId);
      running.delete(auctionId);
    }
  }

  async function runBatch(auctionId: string, batch: Pending[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = await db.transaction().execute((trx) => decideBatch(trx, auctionId, batch));
        let accepted = false;
        batch.forEach((p, i) => {
          const o = outcomes[i]!;
          if (o instanceof AppError) p.reject(o);
          else {
            accepted ||= o.created;
            p.resolve(o);
          }
        });
        if (accepted) publishSoon(auctionId);
        return;
      } catch (error) {
        // Another node's batch (or the close) changed the row between our read and write: read again.
        if ((error instanceof Retry || isUniqueViolation(error)) && attempt < 8) continue;
        for (const p of batch) p.reject(error);
        return;
      }
    }
  }

  async function decideBatch(trx: Trx, auctionId: string, batch: Pending[]): Promise<(BidOutcome | AppError)[]> {
    const a = await lock(trx.selectFrom('auctions').selectAll().where('id', '=', auctionId)).executeTakeFirst();
    if (!a) return batch.map(() => AppError.refusal('AUCTION_NOT_FOUND'));
    const keys = [...new Set(batch.map((p) => p.input.clientKey))];
    const earlier = await trx.selectFrom('auction_bids').selectAll().where('auction_id', '=', auctionId).where('client_key', 'in', keys).execute();
    const known = new Map(earlier.map((b) => [`${b.user_id}|${b.client_key}`, b]));
    const at = clock.now();
    const atIso = at.toISOString();
    const cap = Date.parse(a.planned_close_at) + a.max_extension_seconds * 1000;
    let closesAt = Date.parse(a.closes_at);
    let s = standingOf(a);
    let version = a.version;
    const rows: AuctionBidsTable[] = [];
    const outcomes = batch.map((p): BidOutcome | AppError => {
      const same = known.get(`${p.user.id}|${p.input.clientKey}`);
      if (same) {
        if (same.kind !== p.input.kind || same.amount_fen !== p.input.amountFen) return AppError.refusal('AUCTION_BID_KEY_REUSED');
        return { bid: same, created: false, closesAt: new Date(closesAt).toISOString() };
      }
      if (a.status !== 'open' || at.getTime() >= closesAt) return AppError.refusal('AUCTION_CLOSED');
      if (atIso < a.starts_at) return AppError.refusal('AUCTION_NOT_STARTED', { startsAt: a.starts_at });
      const next = applyBid(s, p.user.id, p.input.kind, p.input.amountFen);
      if ('refused' in next) return AppError.refusal(next.refused, { min: (next.minFen / 100).toFixed(2), minFen: next.minFen });
      s = next;
      closesAt = extendedClose(closesAt, at.getTime(), a.extend_seconds * 1000, cap, a.sudden_death === 1);
      version++;
      const row: AuctionBidsTable = { id: newId(), auction_id: auctionId, seq: version, user_id: p.user.id, kind: p.input.kind, amount_fen: p.input.amountFen, price_after_fen: s.priceFen!, leader_after: s.leaderId!, client_key: p.input.clientKey, created_at: atIso };
      rows.push(row);
      known.set(`${p.user.id}|${p.input.clientKey}`, row);
      return { bid: row, created: true, closesAt: new Date(closesAt).toISOString() };
    });
    if (rows.length) {
      await trx.insertInto('auction_bids').values(rows).execute();
      const moved = await trx
        .updateTable('auctions')
        .set({ price_fen: s.priceFen, leader_id: s.leaderId, leader_max_fen: s.leaderMaxFen, closes_at: new Date(closesAt).toISOString(), bid_count: a.bid_count + rows.length, version })
        .where('id', '=', auctionId)
        .where('version', '=', a.version)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw new Retry();
    }
    return outcomes;
  }

  // --- closing and offering: driven by the database from any node ---

  /** Writes the order of an offer (rank 1: the winner) at `priceFen`; the caller holds the unit for it. */
  async function offer(trx: Trx, a: AuctionsTable, userId: string, priceFen: number, rank: number, at: string) {
    const lot = await trx.selectFrom('skus').innerJoin('products', 'products.id', 'skus.product_id').select(['skus.spec', 'products.return_policy']).where('skus.id', '=', a.sku_id).executeTakeFirstOrThrow();
    const address = await trx.selectFrom('addresses').selectAll().where('user_id', '=', userId).orderBy('is_default', 'desc').orderBy('created_at').executeTakeFirst();
    const row = orders.newOrderRow({
      id: newId(),
      buyer_id: userId,
      brand_org_id: a.brand_org_id,
      session_id: a.session_id,
      flash_sale_id: null,
      items_total_fen: priceFen,
      discount_fen: 0,
      shipping_fen: 0,
      total_fen: priceFen,
      user_coupon_id: null,
      coupon_title: null,
      address: address ? JSON.stringify({ name: address.name, phone: address.phone, region: address.region, detail: address.detail }) : null,
      confirmed_no_return: lot.return_policy === 'confirm' ? 1 : 0,
      idempotency_key: null,
      request_hash: orders.requestHash({ auctionId: a.id, rank }),
      kind_data: JSON.stringify({ auctionId: a.id, rank }),
    });
    // D1: the winner (or the next bidder) pays within the auction's own limit.
    row.pay_deadline = new Date(Date.parse(at) + a.pay_seconds * 1000).toISOString();
    await orders.insertOrder(trx, row, [
      { product_id: a.product_id, sku_id: a.sku_id, title: a.title, spec: lot.spec, image: a.image, unit_price_fen: priceFen, quantity: 1, paid_fen: priceFen, return_policy: lot.return_policy },
    ]);
    await trx.insertInto('auction_offers').values({ order_id: row.id, auction_id: a.id, user_id: userId, price_fen: priceFen, rank, status: 'pending', created_at: at }).execute();
    return row;
  }

  function payloadOf(a: AuctionsTable, extra: Record<string, unknown>) {
    return { auctionId: a.id, sessionId: a.session_id, brandOrgId: a.brand_org_id, productId: a.product_id, skuId: a.sku_id, ...extra };
  }

  /** Closes one auction whose time is up: the leader gets an order at the hammer price, or it ends unsold. */
  async function closeOne(auctionId: string): Promise<boolean> {
    const at = now();
    const done = await db.transaction().execute(async (trx) => {
      const a = await lock(trx.selectFrom('auctions').selectAll().where('id', '=', auctionId)).executeTakeFirst();
      if (!a || a.status !== 'open' || a.closes_at > at) return false;
      const sold = a.leader_id !== null;
      const moved = await trx
        .updateTable('auctions')
        .set({ status: sold ? 'awaiting_payment' : 'unsold', closed_at: at, version: a.version + 1, ...(sold && { winner_id: a.leader_id, hammer_fen: a.price_fen }) })
        .where('id', '=', a.id)
        .where('version', '=', a.version)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) return false;
      // The events are recorded last, after every row lock (the SKU's is shared with checkout and cancels): docs/EVENTS.md "Lock order".
      const closed: NewEvent = { type: 'auction.closed', subjectId: a.id, occurredAt: at, payload: payloadOf(a, { sold, bidCount: a.bid_count, hammerFen: sold ? a.price_fen : null }) };
      if (!sold) {
        // Nobody bid: the unit held for the lot goes back to the SKU.
        await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '+', 1) })).where('id', '=', a.sku_id).execute();
        await outbox.record(trx, [closed]);
        return true;
      }
      const order = await offer(trx, a, a.leader_id!, a.price_fen!, 1, at);
      await trx.updateTable('auctions').set({ order_id: order.id }).where('id', '=', a.id).execute();
      await outbox.record(trx, [closed, { type: 'auction.won', subjectId: a.id, occurredAt: at, payload: payloadOf(a, { userId: a.leader_id, orderId: order.id, priceFen: a.price_fen, rank: 1, payDeadline: order.pay_deadline }) }]);
      return true;
    });
    if (done) void publish(auctionId, true);
    return done;
  }

  /** An offer's order left pending_payment: paid (the auction is sold) or cancelled (the next bidder is offered the lot). */
  async function settleOffer(orderId: string): Promise<boolean> {
    const at = now();
    const outcome = await db.transaction().execute(async (trx) => {
      const o = await trx.selectFrom('auction_offers').selectAll().where('order_id', '=', orderId).executeTakeFirst();
      if (!o || o.status !== 'pending') return false;
      const a = await lock(trx.selectFrom('auctions').selectAll().where('id', '=', o.auction_id)).executeTakeFirstOrThrow();
      const order = await trx.selectFrom('orders').select(['status']).where('id', '=', orderId).executeTakeFirstOrThrow();
      if (order.status === 'pending_payment') return false;
      const paid = order.status !== 'cancelled';
      const marked = await trx.updateTable('auction_offers').set({ status: paid ? 'paid' : 'lapsed' }).where('order_id', '=', orderId).where('status', '=', 'pending').executeTakeFirst();
      if (Number(marked.numUpdatedRows) !== 1) return false;
      if (paid) {
        await trx.updateTable('auctions').set({ status: 'sold', version: a.version + 1 }).where('id', '=', a.id).where('status', '=', 'awaiting_payment').execute();
        return true;
      }
      // Recorded last, after the SKU's row (shared with checkout and cancels): docs/EVENTS.md "Lock order".
      const lapsed: NewEvent = { type: 'auction.lapsed', subjectId: a.id, occurredAt: at, payload: payloadOf(a, { userId: o.user_id, orderId, rank: o.rank }) };
      // D2: the next bidder, among those not offered the lot yet.
      const offered = await trx.selectFrom('auction_offers').select('user_id').where('auction_id', '=', a.id).execute();
      const bids = await trx.selectFrom('auction_bids').select(['user_id', 'kind', 'amount_fen', 'seq']).where('auction_id', '=', a.id).execute();
      const next = nextOffer(bids, new Set(offered.map((r) => r.user_id)), a.starting_price_fen, JSON.parse(a.increments) as Increment[]);
      // The cancelled order gave the unit back to the SKU: the next offer takes it again, or nobody gets it.
      const taken = next ? await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '-', 1) })).where('id', '=', a.sku_id).where('stock', '>=', 1).executeTakeFirst() : null;
      if (!next || Number(taken?.numUpdatedRows) !== 1) {
        await trx.updateTable('auctions').set({ status: 'unsold', winner_id: null, order_id: null, hammer_fen: null, version: a.version + 1 }).where('id', '=', a.id).execute();
        await outbox.record(trx, [lapsed]);
        return true;
      }
      const row = await offer(trx, a, next.userId, next.priceFen, o.rank + 1, at);
      await trx.updateTable('auctions').set({ winner_id: next.userId, order_id: row.id, hammer_fen: next.priceFen, version: a.version + 1 }).where('id', '=', a.id).execute();
      await outbox.record(trx, [lapsed, { type: 'auction.won', subjectId: a.id, occurredAt: at, payload: payloadOf(a, { userId: next.userId, orderId: row.id, priceFen: next.priceFen, rank: o.rank + 1, payDeadline: row.pay_deadline }) }]);
      return true;
    });
    if (outcome) {
      const o = await db.selectFrom('auction_offers').select('auction_id').where('order_id', '=', orderId).executeTakeFirst();
      if (o) void publish(o.auction_id, true);
    }
    return outcome;
  }

  /** Every second from app.ts, on every node: closes auctions whose time is up and settles offers whose order was paid or cancelled. */
  const sweep = oneAtATime(async () => {
    let closed = 0;
    let settled = 0;
    try {
      const due = await db.selectFrom('auctions').select('id').where('status', '=', 'open').where('closes_at', '<=', now()).orderBy('closes_at').limit(50).execute();
      for (const { id } of due) {
        try {
          if (await closeOne(id)) closed++;
        } catch (err) {
          logger.error({ err, auctionId: id }, 'closing an auction failed; the next tick retries');
        }
      }
      const moved = await db
        .selectFrom('auction_offers')
        .innerJoin('orders', 'orders.id', 'auction_offers.order_id')
        .select('auction_offers.order_id')
        .where('auction_offers.status', '=', 'pending')
        .where('orders.status', '!=', 'pending_payment')
        .limit(50)
        .execute();
      for (const { order_id } of moved) {
        try {
          if (await settleOffer(order_id)) settled++;
        } catch (err) {
          logger.error({ err, orderId: order_id }, 'settling an auction offer failed; the next tick retries');
        }
      }
    } catch (err) {
      logger.warn({ err }, 'auction sweep failed; the next tick retries');
    }
    return { closed, settled };
  });

  return {
    sweep,
    view,
    async create(sessionId: string, user: AuthUser, input: CreateAuctionInput) {
      const info = await room.session(sessionId);
      if (!info.brandOrgId) throw new AppError('SKU_NOT_FOUND');
      // Read now, not from the room's cache: a live that has ended takes no new lots.
      const live = await db.selectFrom('live_sessions').select('status').where('id', '=', sessionId).executeTakeFirst();
      if (!live || live.status === 'ended') throw new AppError('LIVE_ENDED');
      const member = await db.selectFrom('org_members').select('role').where('org_id', '=', info.brandOrgId).where('user_id', '=', user.id).executeTakeFirst();
      if (!member || !['owner', 'admin', 'staff'].includes(member.role)) await room.requireStaff(sessionId, user, 'flash_sales');
      const increments = input.increments ?? DEFAULT_INCREMENTS;
      if (!incrementsValid(increments)) throw new AppError('AUCTION_INCREMENTS_INVALID');
      const lot = await db
        .selectFrom('skus')
        .innerJoin('products', 'products.id', 'skus.product_id')
        .select(['skus.id', 'skus.product_id', 'products.brand_org_id', 'products.title', 'products.images', 'products.kind'])
        .where('skus.id', '=', input.skuId)
        .executeTakeFirst();
      if (!lot || lot.brand_org_id !== info.brandOrgId) throw new AppError('SKU_NOT_FOUND');
      await requireApprovedBrands(db, [lot.brand_org_id]);
      if (lot.kind !== 'goods') throw new AppError('AUCTION_LOT_UNAVAILABLE');
      const start = clock.now().getTime() + input.startsInSeconds * 1000;
      const close = new Date(start + input.durationSeconds * 1000).toISOString();
      const row: AuctionsTable = {
        id: newId(),
        session_id: sessionId,
        brand_org_id: info.brandOrgId,
        product_id: lot.product_id,
        sku_id: lot.id,
        title: input.title ?? lot.title,
        image: input.image ?? (JSON.parse(lot.images) as string[])[0] ?? null,
        starting_price_fen: input.startingPriceFen,
        increments: JSON.stringify(increments),
        starts_at: new Date(start).toISOString(),
        planned_close_at: close,
        closes_at: close,
        extend_seconds: input.suddenDeath ? 0 : input.extendSeconds,
        max_extension_seconds: input.suddenDeath ? 0 : input.maxExtensionSeconds,
        sudden_death: input.suddenDeath ? 1 : 0,
        pay_seconds: input.paySeconds,
        status: 'open',
        price_fen: null,
        leader_id: null,
        leader_max_fen: null,
        bid_count: 0,
        version: 0,
        winner_id: null,
        order_id: null,
        hammer_fen: null,
        created_by: user.id,
        created_at: now(),
        closed_at: null,
      };
      await db.transaction().execute(async (trx) => {
        // A1: the one unit is held for the auction from now on (never sold twice).
        const taken = await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '-', 1) })).where('id', '=', lot.id).where('stock', '>=', 1).executeTakeFirst();
        if (Number(taken.numUpdatedRows) !== 1) throw new AppError('AUCTION_LOT_UNAVAILABLE');
        await trx.insertInto('auctions').values(row).execute();
      });
      void publish(row.id, true);
      return view(row);
    },

    /** An auction of a brand not approved is not shown (AUCTION_NOT_FOUND), as its product page is not. */
    async get(auctionId: string) {
      return view(await find(auctionId, { shown: true }));
    },

    /** The live's auctions, those of brands not approved left out. */
    async forSession(sessionId: string) {
      await room.session(sessionId);
      const rows = await db.selectFrom('auctions').selectAll().where('session_id', '=', sessionId).where('brand_org_id', 'in', approvedOrgIds(db)).orderBy('created_at', 'desc').limit(20).execute();
      return Promise.all(rows.map(view));
    },

    /** The asking user's side: their highest maximum (only they see it), whether they lead, their offer. */
    async mine(auctionId: string, user: AuthUser) {
      const a = await find(auctionId);
      const bids = await db.selectFrom('auction_bids').select(['amount_fen']).where('auction_id', '=', a.id).where('user_id', '=', user.id).execute();
      const offer = await db.selectFrom('auction_offers').selectAll().where('auction_id', '=', a.id).where('user_id', '=', user.id).executeTakeFirst();
      return {
        maxFen: bids.length ? Math.max(...bids.map((b) => b.amount_fen)) : null,
        bids: bids.length,
        leading: a.leader_id === user.id && a.status === 'open',
        offer: offer ? { orderId: offer.order_id, priceFen: offer.price_fen, rank: offer.rank, status: offer.status } : null,
      };
    },

    /** Every accepted bid, with bidders and amounts: for the seller only. */
    async bids(auctionId: string, user: AuthUser) {
      const a = await find(auctionId);
      if (!(await isSeller(a, user))) throw new AppError('AUCTION_NOT_FOUND');
      const rows = await db.selectFrom('auction_bids').innerJoin('users', 'users.id', 'auction_bids.user_id').select(['auction_bids.seq', 'auction_bids.user_id', 'users.display_name', 'auction_bids.kind', 'auction_bids.amount_fen', 'auction_bids.price_after_fen', 'auction_bids.leader_after', 'auction_bids.client_key', 'auction_bids.created_at']).where('auction_id', '=', a.id).orderBy('seq').execute();
      return rows.map((r) => ({ seq: r.seq, userId: r.user_id, name: r.display_name, kind: r.kind, amountFen: r.amount_fen, priceAfterFen: r.price_after_fen, leaderAfter: r.leader_after, clientKey: r.client_key, at: r.created_at }));
    },

    /** One bid, accepted or refused once; the same client key again answers the same bid. */
    async bid(auctionId: string, user: AuthUser, input: BidInput) {
      const a = await loadCached(auctionId);
      if (await isSeller(a, user)) throw AppError.refusal('AUCTION_SELLER_BID');
      const outcome = await new Promise<BidOutcome>((resolve, reject) => enqueue(auctionId, { user, input, resolve, reject }));
      const b = outcome.bid;
      return {
        created: outcome.created,
        bid: { id: b.id, seq: b.seq, kind: b.kind, amountFen: b.amount_fen, priceFen: b.price_after_fen, leading: b.leader_after === user.id, at: b.created_at },
        closesAt: outcome.closesAt,
      };
    },
  };

  /**
   * The auction's fixed fields, read with its brand's status: a brand the operator has not approved sells
   * nothing (BRAND_NOT_APPROVED, server/orgs/approval.ts), and is not remembered, so approval releases it at
   * the next bid; an approved one is (approval is final: a review decides a pending org only).
   */
  async function loadCached(auctionId: string) {
    let hit = fixed.get(auctionId);
    if (!hit) {
      const a = await db
        .selectFrom('auctions')
        .innerJoin('organisations', 'organisations.id', 'auctions.brand_org_id')
        .select(['auctions.id', 'auctions.session_id', 'auctions.brand_org_id', 'organisations.status as brand_status'])
        .where('auctions.id', '=', auctionId)
        .executeTakeFirst();
      if (!a) throw AppError.refusal('AUCTION_NOT_FOUND');
      if (a.brand_status !== 'approved') throw AppError.refusal('BRAND_NOT_APPROVED');
      hit = { id: a.id, session_id: a.session_id, brand_org_id: a.brand_org_id };
      if (fixed.size > 10_000) fixed.clear();
      fixed.set(auctionId, hit);
    }
    return hit;
  }
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

export type Auctions = ReturnType<typeof createAuctions>;
