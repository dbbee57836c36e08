import { sql } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { FlashSalesTable, OrderItemsTable, OrdersTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { FlashPurchase, FlashWritten } from './flash-write.ts';
import type { Orders, Trx } from './orders.ts';

/**
 * The durable half of a 秒杀 purchase on PostgreSQL (flash.ts decides who may buy; this writes the
 * order and takes the stock in one transaction). Returns the writer: it resolves once the
 * transaction that holds the purchase's order has committed.
 */
export function createFlashWriterPg(db: Db, orders: Orders) {
  type PgQueued = FlashPurchase & { resolve: (value: FlashWritten) => void; reject: (error: unknown) => void };
  type PgReady = PgQueued & { row: OrdersTable };
  const PG_BATCH_MAX = 500;
  const pgQueues = new Map<string, PgQueued[]>();
  /** Batches of one sale in flight at once: the next one's reads and inserts overlap the last one's commit. */
  const PG_PARALLEL = 2;
  const pgRunning = new Map<string, number>();

  /**
   * Group commit on PostgreSQL, per sale: while one batch's transaction is in flight, the purchases
   * that arrive queue for the next, so a busy sale writes many orders per transaction (and per lock
   * on its row) instead of one. A batch is a handful of set-based statements whatever its size: the
   * sale's stock taken once for the batch, the buyers' counts raised in one upsert, the orders and
   * their lines inserted in one statement each. If any of it would refuse someone (not enough left,
   * a buyer over the limit, an Idempotency-Key already used), the batch rolls back and each purchase
   * runs alone, so the refusals are exactly those of one-at-a-time. Nobody is answered before the
   * transaction that holds their order has committed.
   */
  function write(purchase: FlashPurchase): Promise<FlashWritten> {
    return new Promise<FlashWritten>((resolve, reject) => {
      const id = purchase.sale.id;
      const queue = pgQueues.get(id) ?? [];
      pgQueues.set(id, queue);
      queue.push({ ...purchase, resolve, reject });
      if ((pgRunning.get(id) ?? 0) < PG_PARALLEL) {
        pgRunning.set(id, (pgRunning.get(id) ?? 0) + 1);
        // Purchases arriving in this same turn of the event loop join the first batch.
        setImmediate(() => void flushPg(id));
      }
    });
  }

  async function flushPg(saleId: string) {
    const queue = pgQueues.get(saleId) ?? [];
    const queued = queue.splice(0, PG_BATCH_MAX);
    if (!queue.length) pgQueues.delete(saleId);
    const batch: PgReady[] = [];
    try {
      // The buyers' addresses in one query: each buyer's chosen one, or the default, or the oldest.
      const rows = await db.selectFrom('addresses').selectAll().where('user_id', 'in', [...new Set(queued.map((p) => p.user.id))]).orderBy('is_default', 'desc').orderBy('created_at').execute();
      const byId = new Map(rows.map((a) => [a.id, a]));
      const preferred = new Map<string, (typeof rows)[number]>();
      for (const a of rows) if (!preferred.has(a.user_id)) preferred.set(a.user_id, a);
      for (const p of queued) {
        const chosen = p.addressId ? byId.get(p.addressId) : undefined;
        const address = p.addressId ? (chosen?.user_id === p.user.id ? chosen : undefined) : preferred.get(p.user.id);
        try {
          batch.push({ ...p, row: p.build(address) });
        } catch (error) {
          p.reject(error);
        }
      }
      let written: FlashWritten[] | null = null;
      if (batch.length > 1) written = await writeBatchPg(batch).catch((error: unknown) => (error instanceof BatchRefused ? null : Promise.reject(error)));
      if (written) batch.forEach((p, i) => p.resolve(written[i]!));
      else await Promise.all(batch.map((p) => writeOnePg(p).then(p.resolve, p.reject)));
    } catch (error) {
      for (const p of batch.length ? batch : queued) p.reject(error);
    } finally {
      if (pgQueues.get(saleId)?.length) setImmediate(() => void flushPg(saleId));
      else if ((pgRunning.get(saleId) ?? 1) <= 1) pgRunning.delete(saleId);
      else pgRunning.set(saleId, pgRunning.get(saleId)! - 1);
    }
  }

  class BatchRefused extends Error {}

  /** The conditional stock take, for one purchase or a batch: no row means not enough left, or not on sale between `from` and `to`. */
  function takeStock(trx: Trx, sale: FlashSalesTable, quantity: number, from: string, to: string) {
    return trx
      .updateTable('flash_sales')
      .set((eb) => ({ remaining: eb('remaining', '-', quantity) }))
      .where('id', '=', sale.id)
      .where('remaining', '>=', quantity)
      .where('settled', '=', 0)
      .where('starts_at', '<=', from)
      .where('ends_at', '>', to)
      .returning('remaining')
      .executeTakeFirst();
  }

  /** Raises each buyer's count; a buyer who would pass the limit gets no row back. */
  function countPurchases(trx: Trx, sale: FlashSalesTable, perUser: [userId: string, quantity: number][]) {
    return trx
      .insertInto('flash_purchases')
      .values(perUser.map(([user_id, quantity]) => ({ sale_id: sale.id, user_id, quantity })))
      .onConflict((oc) =>
        oc
          .columns(['sale_id', 'user_id'])
          .doUpdateSet((eb) => ({ quantity: eb('flash_purchases.quantity', '+', eb.ref('excluded.quantity')) }))
          .where('flash_purchases.quantity', '<=', sql<number>`${sale.per_user_limit} - excluded.quantity`),
      )
      .returning('quantity')
      .execute();
  }

  async function writeBatchPg(batch: PgReady[]): Promise<FlashWritten[]> {
    const sale = batch[0]!.sale;
    const total = batch.reduce((sum, p) => sum + p.quantity, 0);
    const ats = batch.map((p) => p.at).sort();
    const perUser = new Map<string, number>();
    for (const p of batch) perUser.set(p.user.id, (perUser.get(p.user.id) ?? 0) + p.quantity);
    return db.transaction().execute(async (trx) => {
      const taken = await takeStock(trx, sale, total, ats[0]!, ats.at(-1)!);
      if (!taken) throw new BatchRefused();
      const counted = await countPurchases(trx, sale, [...perUser]);
      if (counted.length !== perUser.size || counted.some((c) => c.quantity > sale.per_user_limit)) throw new BatchRefused();
      const items: OrderItemsTable[] = batch.map((p) => ({ ...p.line, id: newId(), order_id: p.row.id, refunded_fen: 0 }));
      try {
        await trx.insertInto('orders').values(batch.map((p) => p.row)).execute();
      } catch (error) {
        // An Idempotency-Key used before (or twice in this batch): one at a time sorts it out.
        if ((error as { code?: string }).code === '23505') throw new BatchRefused();
        throw error;
      }
      await trx.insertInto('order_items').values(items).execute();
      return batch.map((p, i) => ({ remaining: taken.remaining, order: orders.viewOf(p.row, [items[i]!], p.brand) }));
    });
  }

  function writeOnePg({ sale, user, quantity, at, row, line, brand }: PgReady): Promise<FlashWritten> {
    return db.transaction().execute(async (trx) => {
      const taken = await takeStock(trx, sale, quantity, at, at);
      if (!taken) {
        const current = await trx.selectFrom('flash_sales').select(['remaining', 'starts_at', 'ends_at']).where('id', '=', sale.id).executeTakeFirstOrThrow();
        if (current.starts_at > at) throw AppError.refusal('FLASH_NOT_STARTED', { startsAt: current.starts_at });
        if (current.ends_at <= at) throw AppError.refusal('FLASH_ENDED');
        if (current.remaining > 0) throw AppError.refusal('FLASH_ONLY_LEFT', { remaining: current.remaining });
        throw AppError.refusal('FLASH_SOLD_OUT');
      }
      const [counted] = await countPurchases(trx, sale, [[user.id, quantity]]);
      if (!counted || counted.quantity > sale.per_user_limit) throw AppError.refusal('FLASH_LIMIT_EXCEEDED', { limit: sale.per_user_limit });
      const items = await orders.insertOrder(trx, row, [line]);
      return { remaining: taken.remaining, order: orders.viewOf(row, items, brand) };
    });
  }

  return write;
}
