import type BetterSqlite from 'better-sqlite3';
import type { AuthUser } from '../accounts/service.ts';
import type { Db } from '../platform/db.ts';
import type { FlashSalesTable, OrderItemsTable, OrdersTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { AddressRow, FlashPurchase, FlashWritten, SaleBrand } from './flash-write.ts';
import type { Line, Orders } from './orders.ts';

/**
 * The durable half of a 秒杀 purchase on the embedded SQLite database, run synchronously on
 * better-sqlite3's raw handle while Kysely's one connection is held. Returns the writer: it resolves
 * once the transaction that holds the purchase's order has committed.
 */
export function createFlashWriterSqlite(db: Db, sqlite: BetterSqlite.Database, orders: Orders) {
  let addressStatements: { byId: BetterSqlite.Statement<[string, string], AddressRow>; preferred: BetterSqlite.Statement<[string], AddressRow> } | null = null;
  /** The buyer's chosen (or default) address, read synchronously (with Kysely's connection held). */
  function sqliteAddress(userId: string, addressId: string | undefined) {
    addressStatements ??= {
      byId: sqlite.prepare<[string, string], AddressRow>('select name, phone, region, detail from addresses where id = ? and user_id = ?'),
      preferred: sqlite.prepare<[string], AddressRow>('select name, phone, region, detail from addresses where user_id = ? order by is_default desc, created_at limit 1'),
    };
    return addressId ? addressStatements.byId.get(addressId, userId) : addressStatements.preferred.get(userId);
  }

  let sqliteStatements: ReturnType<typeof prepareSqlite> | null = null;
  function prepareSqlite(row: OrdersTable, item: OrderItemsTable) {
    const insert = (table: string, columns: string[]) => sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
    return {
      take: sqlite.prepare<[number, string, number, string, string], { remaining: number }>(
        'update flash_sales set remaining = remaining - ? where id = ? and remaining >= ? and settled = 0 and starts_at <= ? and ends_at > ? returning remaining',
      ),
      current: sqlite.prepare<[string], { remaining: number; starts_at: string; ends_at: string }>('select remaining, starts_at, ends_at from flash_sales where id = ?'),
      count: sqlite.prepare<[string, string, number, number], { quantity: number }>(
        'insert into flash_purchases (sale_id, user_id, quantity) values (?, ?, ?) on conflict (sale_id, user_id) do update set quantity = flash_purchases.quantity + excluded.quantity where flash_purchases.quantity <= ? returning quantity',
      ),
      order: insert('orders', Object.keys(row)),
      item: insert('order_items', Object.keys(item)),
    };
  }

  /**
   * Group commit for the embedded purchase. Purchases that arrive in the same turn of the event loop
   * run in one SQLite transaction, each in its own savepoint (a nested better-sqlite3 transaction):
   * a refused purchase rolls back alone, and the pages they all touch (the sale's row, the orders
   * table and its indexes) go to the WAL once per batch instead of once per order. Nobody hears
   * back before the batch has committed, so every acknowledged order is in the database.
   */
  type Queued = { work: () => unknown; resolve: (value: never) => void; reject: (error: unknown) => void };
  let queued: Queued[] | null = null;
  function groupCommit<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!queued) {
        queued = [];
        setImmediate(() => void flushGroup());
      }
      queued.push({ work, resolve: resolve as (value: never) => void, reject });
    });
  }
  async function flushGroup() {
    const batch = queued ?? [];
    queued = null;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      // Kysely's one SQLite connection is held for the batch, so it never lands inside another transaction.
      await db.connection().execute(async () => {
        if (sqlite.inTransaction) throw new Error('flash purchase: the SQLite connection is inside a transaction');
        sqlite.transaction(() => {
          for (const item of batch) {
            try {
              outcomes.push({ ok: true, value: item.work() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })();
      });
    } catch (error) {
      // The batch did not commit: nobody's purchase happened.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value as never);
      else item.reject(outcome.error);
    });
  }

  /**
   * The embedded purchase: the same conditional updates as the PostgreSQL writer's transaction (flash-write-pg.ts), run
   * synchronously on better-sqlite3 (tens of microseconds instead of a dozen awaited queries).
   */
  function writeSqlite(sale: FlashSalesTable, user: AuthUser, quantity: number, at: string, row: OrdersTable, line: Line, brand: SaleBrand): FlashWritten {
    const item: OrderItemsTable = { ...line, id: newId(), order_id: row.id, refunded_fen: 0 };
    {
      // Runs inside the group's transaction: this nested transaction is the purchase's savepoint.
      sqliteStatements ??= prepareSqlite(row, item);
      const st = sqliteStatements;
      const remaining = sqlite.transaction(() => {
        const taken = st.take.get(quantity, sale.id, quantity, at, at);
        if (!taken) {
          const current = st.current.get(sale.id)!;
          if (current.starts_at > at) throw AppError.refusal('FLASH_NOT_STARTED', { startsAt: current.starts_at });
          if (current.ends_at <= at) throw AppError.refusal('FLASH_ENDED');
          if (current.remaining > 0) throw AppError.refusal('FLASH_ONLY_LEFT', { remaining: current.remaining });
          throw AppError.refusal('FLASH_SOLD_OUT');
        }
        const counted = st.count.get(sale.id, user.id, quantity, sale.per_user_limit - quantity);
        if (!counted || counted.quantity > sale.per_user_limit) throw AppError.refusal('FLASH_LIMIT_EXCEEDED', { limit: sale.per_user_limit });
        st.order.run(row);
        st.item.run(item);
        return taken.remaining;
      })();
      return { remaining, order: orders.viewOf(row, [item], brand) };
    }
  }

  return (p: FlashPurchase) => groupCommit(() => writeSqlite(p.sale, p.user, p.quantity, p.at, p.build(sqliteAddress(p.user.id, p.addressId)), p.line, p.brand));
}
