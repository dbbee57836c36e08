import type BetterSqlite from 'better-sqlite3';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AuthUser } from '../accounts/service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import type { FlashSalesTable, OrderItemsTable, OrdersTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { approvedOrgIds, requireApprovedBrands } from '../orgs/approval.ts';
import { newId } from '../platform/ids.ts';
import type { RoomService } from '../room/service.ts';
import type { Line, Orders } from './orders.ts';
import { flashPriceRefusal } from './pricing.ts';
import type { Shop } from './shop.ts';
import { RELEASE, RESERVE, RESERVE_REFUSALS, SYNC } from './flash-redis.ts';
import type { AddressRow } from './flash-write.ts';
import { createFlashWriterPg } from './flash-write-pg.ts';
import { createFlashWriterSqlite } from './flash-write-sqlite.ts';

export type FlashDeps = {
  db: Db;
  /** SQLite: the raw handle. The purchase transaction then runs synchronously (see writeSqlite). */
  sqlite?: BetterSqlite.Database;
  clock: Clock;
  logger: Logger;
  orders: Orders;
  shop: Shop;
  room: RoomService;
  redis?: Redis;
  prefix: string;
  /** Purchases in flight on this node before new ones hear "queueing" (FLASH_BUSY). */
  maxInflight: number;
  /**
   * Redis mode: a reservation older than this with no order is released by reconciliation; a purchase
   * whose order write has not started within a third of it gives up (FLASH_BUSY) instead.
   */
  reservationTimeoutMs: number;
};

/** How long a purchase may wait in this node's queue for a slot before hearing FLASH_BUSY. */
const QUEUE_WAIT_MS = 3000;
/** Redis mode: how long a node trusts a "sold out" answer before asking Redis again. */
const SOLD_OUT_HINT_MS = 500;

/**
 * 秒杀. Embedded: conditional updates inside the order's SQLite transaction. With Redis: an atomic
 * Lua reservation first, then the same durable transaction; reconciliation repairs the gap.
 */
export function createFlash(deps: FlashDeps) {
  const { db, clock, logger, orders, shop, room, redis } = deps;
  const now = () => clock.now().toISOString();
  type SaleInfo = { title: string; spec: string; images: string; return_policy: Line['return_policy']; brand_org_id: string };
  const cache = new Map<string, { sale: FlashSalesTable; at: number }>();
  const infos = new Map<string, Promise<{ info: SaleInfo; brand: Awaited<ReturnType<Shop['brandOf']>> }>>();
  /** Sales known to be sold out on this node: exact when embedded, a short hint under Redis. */
  const soldOut = new Map<string, number>();
  let inflight = 0;
  // Beyond maxInflight purchases in flight, buyers wait in a queue (排队) for up to QUEUE_WAIT_MS;
  // only a full queue or a long wait answers FLASH_BUSY.
  const waiting: { admit: () => void }[] = [];
  const maxQueue = deps.maxInflight * 8;
  async function admit(): Promise<boolean> {
    if (inflight < deps.maxInflight) {
      inflight++;
      return true;
    }
    if (waiting.length >= maxQueue) return false;
    return new Promise((resolve) => {
      const entry = {
        admit: () => {
          clearTimeout(timer);
          inflight++;
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        const i = waiting.indexOf(entry);
        if (i >= 0) waiting.splice(i, 1);
        resolve(false);
      }, QUEUE_WAIT_MS);
      waiting.push(entry);
    });
  }
  function leave() {
    inflight--;
    waiting.shift()?.admit();
  }
  const keys = (saleId: string) => {
    const base = `${deps.prefix}flash:${saleId}:`;
    return { stock: `${base}stock`, users: `${base}users`, res: `${base}res`, meta: `${base}meta`, version: `${base}ver` };
  };
  if (redis) {
    redis.defineCommand('zhiboFlashReserve', { numberOfKeys: 4, lua: RESERVE });
    redis.defineCommand('zhiboFlashRelease', { numberOfKeys: 4, lua: RELEASE });
    redis.defineCommand('zhiboFlashSync', { numberOfKeys: 5, lua: SYNC });
  }
  type FlashRedis = Redis & {
    zhiboFlashReserve(...args: (string | number)[]): Promise<number>;
    zhiboFlashRelease(...args: (string | number)[]): Promise<number>;
    zhiboFlashSync(...args: (string | number)[]): Promise<number>;
  };
  const r = redis as FlashRedis | undefined;
  /** The durable half of a purchase: one transaction per batch of purchases, on the embedded database or PostgreSQL. */
  const write = deps.sqlite ? createFlashWriterSqlite(db, deps.sqlite, orders) : createFlashWriterPg(db, orders);

  async function loadSale(saleId: string, fresh = false) {
    const hit = cache.get(saleId);
    if (!fresh && hit && Date.now() - hit.at < 1000) return hit.sale;
    const sale = await db.selectFrom('flash_sales').selectAll().where('id', '=', saleId).executeTakeFirst();
    if (!sale) throw new AppError('FLASH_NOT_FOUND');
    cache.set(saleId, { sale, at: Date.now() });
    return sale;
  }

  /**
   * What every order of a sale copies (title, spec, brand): read once per sale, with the brand's status in
   * the same query. A brand the operator has not approved sells nothing (server/orgs/approval.ts): its sale
   * is refused and not remembered, so approval releases it at the next attempt; an approved brand is
   * remembered (approval is final: POST /api/admin/orgs/:id/review decides a pending org only).
   */
  function saleInfo(sale: FlashSalesTable) {
    let hit = infos.get(sale.id);
    if (!hit) {
      // One read for the crowd's first attempts at once; a failed read or a refusal is not kept.
      const read = (async () => {
        const { brand_status, ...info } = await db
          .selectFrom('products')
          .innerJoin('skus', 'skus.product_id', 'products.id')
          .innerJoin('organisations', 'organisations.id', 'products.brand_org_id')
          .select(['products.title', 'products.images', 'products.return_policy', 'products.brand_org_id', 'skus.spec', 'organisations.status as brand_status'])
          .where('skus.id', '=', sale.sku_id)
          .executeTakeFirstOrThrow();
        if (brand_status !== 'approved') throw AppError.refusal('BRAND_NOT_APPROVED');
        return { info: info as SaleInfo, brand: await shop.brandOf(info.brand_org_id) };
      })();
      hit = read;
      infos.set(sale.id, read);
      read.catch(() => {
        if (infos.get(sale.id) === read) infos.delete(sale.id);
      });
    }
    return hit;
  }

  function isSoldOut(saleId: string) {
    const until = soldOut.get(saleId);
    if (until === undefined) return false;
    if (until === Infinity || until > Date.now()) return true;
    soldOut.delete(saleId);
    return false;
  }

  async function view(sale: FlashSalesTable, remaining = sale.remaining) {
    const row = await db
      .selectFrom('skus')
      .innerJoin('products', 'products.id', 'skus.product_id')
      .select(['products.title', 'skus.spec', 'skus.price_fen'])
      .where('skus.id', '=', sale.sku_id)
      .executeTakeFirstOrThrow();
    return {
      id: sale.id,
      sessionId: sale.session_id,
      productId: sale.product_id,
      skuId: sale.sku_id,
      title: row.title,
      spec: JSON.parse(row.spec) as Record<string, string>,
      priceFen: sale.price_fen,
      originalPriceFen: row.price_fen,
      stock: sale.stock,
      remaining,
      perUserLimit: sale.per_user_limit,
      startsAt: sale.starts_at,
      endsAt: sale.ends_at,
    };
  }

  /** Stock changes reach viewers at most every 200 ms per sale (and coalesce in the room's tick). */
  const pushTimers = new Map<string, NodeJS.Timeout>();
  const latest = new Map<string, number>();
  function pushStock(sale: FlashSalesTable, remaining: number) {
    latest.set(sale.id, remaining);
    if (pushTimers.has(sale.id)) return;
    pushTimers.set(
      sale.id,
      setTimeout(() => {
        pushTimers.delete(sale.id);
        void room.publishEvent(sale.session_id, { type: 'flash.stock', saleId: sale.id, remaining: latest.get(sale.id) ?? remaining, key: `flash:${sale.id}` }).catch(() => undefined);
      }, 200),
    );
  }

  async function syncRedis(sale: FlashSalesTable): Promise<number> {
    if (!r) return 0;
    const k = keys(sale.id);
    const version = (await r.get(k.version)) ?? '0';
    const fresh = await db.selectFrom('flash_sales').select(['remaining', 'settled']).where('id', '=', sale.id).executeTakeFirstOrThrow();
    const bought = await db.selectFrom('flash_purchases').select(['user_id', 'quantity']).where('sale_id', '=', sale.id).where('quantity', '>', 0).execute();
    return r.zhiboFlashSync(k.stock, k.users, k.res, k.version, k.meta, version, fresh.settled ? 0 : fresh.remaining, Date.parse(sale.starts_at), Date.parse(sale.ends_at), sale.per_user_limit, ...bought.flatMap((b) => [b.user_id, b.quantity]));
  }

  /** The database half of a purchase: the same conditional updates, whatever Redis said. */
  async function writeOrder(sale: FlashSalesTable, user: AuthUser, orderId: string, quantity: number, addressId: string | undefined, idempotencyKey: string | undefined, hash: string) {
    const at = now();
    const { info: product, brand } = await saleInfo(sale);
    const itemsTotal = sale.price_fen * quantity;
    const shipping = 0; // 秒杀 ships free
    const line: Line = { product_id: sale.product_id, sku_id: sale.sku_id, title: product.title, spec: product.spec, image: (JSON.parse(product.images) as string[])[0] ?? null, unit_price_fen: sale.price_fen, quantity, paid_fen: itemsTotal, return_policy: product.return_policy };
    const build = (address: AddressRow | undefined) => {
      if (addressId && !address) throw new AppError('ADDRESS_NOT_FOUND');
      return orders.newOrderRow({
        id: orderId,
        buyer_id: user.id,
        brand_org_id: product.brand_org_id,
        session_id: sale.session_id,
        flash_sale_id: sale.id,
        items_total_fen: itemsTotal,
        discount_fen: 0,
        shipping_fen: shipping,
        total_fen: itemsTotal + shipping,
        user_coupon_id: null,
        coupon_title: null,
        address: address ? JSON.stringify({ name: address.name, phone: address.phone, region: address.region, detail: address.detail }) : null,
        confirmed_no_return: product.return_policy === 'confirm' ? 1 : 0,
        idempotency_key: idempotencyKey ?? null,
        request_hash: hash,
      });
    };
    return write({ sale, user, quantity, at, addressId, build, line, brand });
  }

  // An order is cancelled (timeout, buyer, refund): the units go back to the sale, or to the SKU once it is over.
  orders.onRelease(
    async (trx, order, items) => {
      for (const item of items) {
        const back = await trx.updateTable('flash_sales').set((eb) => ({ remaining: eb('remaining', '+', item.quantity) })).where('id', '=', order.flash_sale_id!).where('settled', '=', 0).executeTakeFirst();
        if (Number(back.numUpdatedRows) !== 1) await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '+', item.quantity) })).where('id', '=', item.sku_id).execute();
        await trx.updateTable('flash_purchases').set((eb) => ({ quantity: eb('quantity', '-', item.quantity) })).where('sale_id', '=', order.flash_sale_id!).where('user_id', '=', order.buyer_id).execute();
      }
    },
    (order: OrdersTable, items: OrderItemsTable[]) => {
      if (!order.flash_sale_id) return;
      const saleId = order.flash_sale_id;
      soldOut.delete(saleId);
      cache.delete(saleId);
      if (r) {
        void loadSale(saleId, true)
          .then(async (sale) => {
            if (sale.settled) return;
            const k = keys(saleId);
            const q = items.reduce((s, i) => s + i.quantity, 0);
            await r.multi().incrby(k.stock, q).hincrby(k.users, order.buyer_id, -q).incr(k.version).exec();
          })
          .catch((err: unknown) => logger.warn({ err, saleId }, 'returning flash units to Redis failed; reconciliation will repair it'));
      }
    },
  );

  return {
    async create(sessionId: string, user: AuthUser, input: { skuId: string; priceFen: number; stock: number; perUserLimit: number; startsInSeconds: number; durationSeconds: number }) {
      const info = await shop.requireStaff(sessionId, user, 'flash_sales');
      const sku = await db.selectFrom('skus').innerJoin('products', 'products.id', 'skus.product_id').select(['skus.id', 'skus.product_id', 'skus.price_fen', 'products.brand_org_id', 'products.kind']).where('skus.id', '=', input.skuId).executeTakeFirst();
      if (!sku || sku.brand_org_id !== info.brandOrgId) throw new AppError('SKU_NOT_FOUND');
      await requireApprovedBrands(db, [sku.brand_org_id]);
      // A flash sale writes its own orders without the product kinds' checkout rules (server/commerce/kinds.ts): parcels only.
      if (sku.kind !== 'goods') throw new AppError('SALE_FORMAT_KIND_UNSUPPORTED', { kind: sku.kind });
      const aboveSkuPrice = flashPriceRefusal(input.priceFen, sku.price_fen);
      if (aboveSkuPrice) throw new AppError(aboveSkuPrice.refused, aboveSkuPrice.params);
      const listed = await db.selectFrom('session_products').select('product_id').where('session_id', '=', sessionId).where('product_id', '=', sku.product_id).executeTakeFirst();
      if (!listed) throw new AppError('PRODUCT_NOT_IN_ROOM');
      const start = clock.now().getTime() + input.startsInSeconds * 1000;
      const sale: FlashSalesTable = {
        id: newId(),
        session_id: sessionId,
        product_id: sku.product_id,
        sku_id: sku.id,
        price_fen: input.priceFen,
        stock: input.stock,
        remaining: input.stock,
        per_user_limit: input.perUserLimit,
        starts_at: new Date(start).toISOString(),
        ends_at: new Date(start + input.durationSeconds * 1000).toISOString(),
        settled: 0,
        created_by: user.id,
        created_at: now(),
      };
      await db.transaction().execute(async (trx) => {
        const taken = await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '-', input.stock) })).where('id', '=', sku.id).where('stock', '>=', input.stock).executeTakeFirst();
        if (Number(taken.numUpdatedRows) !== 1) throw new AppError('FLASH_STOCK_EXCEEDS');
        await trx.insertInto('flash_sales').values(sale).execute();
      });
      await syncRedis(sale);
      const v = await view(sale);
      await room.publishEvent(sessionId, { type: 'flash.started', flashSale: v, priority: true });
      return v;
    },

    /** A sale of a brand not approved is not shown (FLASH_NOT_FOUND), as its product page is not. */
    async get(saleId: string) {
      const sale = await loadSale(saleId, true);
      const shown = await db.selectFrom('products').select('id').where('id', '=', sale.product_id).where('brand_org_id', 'in', approvedOrgIds(db)).executeTakeFirst();
      if (!shown) throw new AppError('FLASH_NOT_FOUND');
      return view(sale);
    },

    /** The live's current sales, those of brands not approved left out. */
    async forSession(sessionId: string) {
      const sales = await db
        .selectFrom('flash_sales')
        .innerJoin('products', 'products.id', 'flash_sales.product_id')
        .selectAll('flash_sales')
        .where('flash_sales.session_id', '=', sessionId)
        .where('flash_sales.ends_at', '>', now())
        .where('products.brand_org_id', 'in', approvedOrgIds(db))
        .orderBy('flash_sales.starts_at')
        .execute();
      return Promise.all(sales.map((s) => view(s)));
    },

    /**
     * The refusals this node can give from memory alone (called before the session is looked up):
     * not started, ended, sold out, or too busy. Throws, or returns when the purchase must go on.
     */
    precheck(saleId: string) {
      const hit = cache.get(saleId);
      if (!hit) return;
      const sale = hit.sale;
      const at = clock.now().getTime();
      if (at < Date.parse(sale.starts_at)) throw AppError.refusal('FLASH_NOT_STARTED', { startsAt: sale.starts_at });
      if (at >= Date.parse(sale.ends_at) || sale.settled) throw AppError.refusal('FLASH_ENDED');
      if (isSoldOut(saleId)) throw AppError.refusal('FLASH_SOLD_OUT');
      if (waiting.length >= maxQueue) throw AppError.refusal('FLASH_BUSY', { retryAfter: 1 });
    },

    /** One purchase attempt. Answers 201 with an order, or a clear refusal: never a 500 for load. */
    async buy(user: AuthUser, saleId: string, input: { quantity: number; addressId?: string }, idempotencyKey?: string) {
      const sale = await loadSale(saleId);
      const at = clock.now().getTime();
      if (at < Date.parse(sale.starts_at)) throw AppError.refusal('FLASH_NOT_STARTED', { startsAt: sale.starts_at });
      if (at >= Date.parse(sale.ends_at) || sale.settled) throw AppError.refusal('FLASH_ENDED');
      if (input.quantity > sale.per_user_limit) throw AppError.refusal('FLASH_LIMIT_EXCEEDED', { limit: sale.per_user_limit });
      if (isSoldOut(saleId)) throw AppError.refusal('FLASH_SOLD_OUT');
      // BRAND_NOT_APPROVED: from memory once the sale's brand is known approved (no query per attempt).
      await saleInfo(sale);
      if (!(await admit())) throw AppError.refusal('FLASH_BUSY', { retryAfter: 1 });
      // The sale may have sold out while this buyer queued.
      if (isSoldOut(saleId)) {
        leave();
        throw AppError.refusal('FLASH_SOLD_OUT');
      }
      const hash = orders.requestHash({ saleId, ...input });
      // The same Idempotency-Key sent twice at once: the loser of the unique index answers the winner's order.
      const sameKey = async (error: unknown) => {
        // (The loser may also trip on the limit or the stock the winner just took: the key decides.)
        if (idempotencyKey) {
          const existing = await orders.byIdempotencyKey(user.id, idempotencyKey, hash).catch(() => null);
          if (existing) return { order: await orders.view(existing), created: false };
        }
        throw error;
      };
      try {
        if (idempotencyKey) {
          const existing = await orders.byIdempotencyKey(user.id, idempotencyKey, hash);
          if (existing) return { order: await orders.view(existing), created: false };
        }
        const orderId = newId();
        if (r) {
          const k = keys(saleId);
          let left = await r.zhiboFlashReserve(k.stock, k.users, k.res, k.meta, user.id, input.quantity, at, orderId);
          if (left === -4) {
            await syncRedis(sale);
            left = await r.zhiboFlashReserve(k.stock, k.users, k.res, k.meta, user.id, input.quantity, at, orderId);
          }
          if (left < 0) {
            if (left === -3) soldOut.set(saleId, Date.now() + SOLD_OUT_HINT_MS);
            throw AppError.refusal(RESERVE_REFUSALS[left] ?? 'FLASH_SOLD_OUT', { limit: sale.per_user_limit, startsAt: sale.starts_at });
          }
          // Test hook for the crash test: die between the reservation and the durable write.
          if (process.env.ZHIBO_FAULT === 'flash-after-reserve') process.kill(process.pid, 'SIGKILL');
          let written: Awaited<ReturnType<typeof writeOrder>>;
          try {
            // Reconciliation reclaims old reservations: a write that could not even start in time gives up.
            if (clock.now().getTime() - at > deps.reservationTimeoutMs / 3) throw AppError.refusal('FLASH_BUSY', { retryAfter: 1 });
            written = await writeOrder(sale, user, orderId, input.quantity, input.addressId, idempotencyKey, hash);
          } catch (error) {
            await r.zhiboFlashRelease(k.stock, k.users, k.res, k.version, orderId).catch(() => undefined);
            return await sameKey(error);
          }
          // The order is durable: a Redis that fails now only leaves the reservation to reconciliation.
          await r
            .multi()
            .hdel(k.res, orderId)
            .incr(k.version)
            .exec()
            .catch((err: unknown) => logger.warn({ err, saleId, orderId }, 'flash: clearing a reservation in Redis failed; reconciliation will'));
          pushStock(sale, written.remaining);
          orders.counters.flashOrdersPlaced++;
          return { order: written.order, created: true };
        }
        try {
          const written = await writeOrder(sale, user, orderId, input.quantity, input.addressId, idempotencyKey, hash);
          if (written.remaining === 0) soldOut.set(saleId, Infinity);
          pushStock(sale, written.remaining);
          orders.counters.flashOrdersPlaced++;
          return { order: written.order, created: true };
        } catch (error) {
          if (error instanceof AppError && error.code === 'FLASH_SOLD_OUT') soldOut.set(saleId, Infinity);
          return await sameKey(error);
        }
      } finally {
        leave();
      }
    },

    /** Ended sales give their unsold units back to the SKU. */
    async sweepEnded() {
      const ended = await db.selectFrom('flash_sales').selectAll().where('settled', '=', 0).where('ends_at', '<=', now()).limit(50).execute();
      for (const sale of ended) {
        if (r && (await r.hlen(keys(sale.id).res)) > 0) continue; // purchases still in flight: next sweep
        await db.transaction().execute(async (trx) => {
          const fresh = await trx.selectFrom('flash_sales').select(['remaining', 'settled']).where('id', '=', sale.id).executeTakeFirstOrThrow();
          if (fresh.settled) return;
          await trx.updateTable('flash_sales').set({ settled: 1, remaining: 0 }).where('id', '=', sale.id).where('settled', '=', 0).execute();
          await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '+', fresh.remaining) })).where('id', '=', sale.sku_id).execute();
        });
        cache.delete(sale.id);
        if (r) {
          const k = keys(sale.id);
          await r.del(k.stock, k.users, k.res, k.meta, k.version);
        }
        await room.publishEvent(sale.session_id, { type: 'flash.ended', saleId: sale.id, priority: true }).catch(() => undefined);
      }
      return ended.length;
    },

    /**
     * Redis mode: reservations that never became orders (the process died between the two steps)
     * are released; then Redis is reset from the database if they disagree.
     */
    async reconcile() {
      if (!r) return { released: 0, committed: 0, synced: 0 };
      const sales = await db.selectFrom('flash_sales').selectAll().where('settled', '=', 0).execute();
      let released = 0;
      let committed = 0;
      let synced = 0;
      for (const sale of sales) {
        const k = keys(sale.id);
        const pending = await r.hgetall(k.res);
        for (const [orderId, value] of Object.entries(pending)) {
          const stampedAt = Number(value.split('|')[2]);
          if (clock.now().getTime() - stampedAt < deps.reservationTimeoutMs) continue;
          const order = await db.selectFrom('orders').select('id').where('id', '=', orderId).executeTakeFirst();
          if (order) {
            await r.multi().hdel(k.res, orderId).incr(k.version).exec();
            committed++;
          } else if ((await r.zhiboFlashRelease(k.stock, k.users, k.res, k.version, orderId)) > 0) {
            released++;
          }
        }
        const [stock, fresh] = await Promise.all([r.get(k.stock), db.selectFrom('flash_sales').select('remaining').where('id', '=', sale.id).executeTakeFirstOrThrow()]);
        // Reset only when nothing is in flight (the script checks): a count of what was really reset.
        if (Number(stock ?? -1) !== fresh.remaining && (await syncRedis(sale)) === 1) synced++;
      }
      if (released || synced) logger.warn({ released, committed, synced }, 'flash-sale reconciliation repaired Redis');
      return { released, committed, synced };
    },
  };
}

export type Flash = ReturnType<typeof createFlash>;
