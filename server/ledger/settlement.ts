import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import type { LedgerOrdersTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { outageOf } from '../platform/outage.ts';
import { toLedgerOrder, termsOf, type LedgerOrder, type LedgerOrders } from './orders.ts';
import { settle, type PlannedTransfer } from './postings.ts';
import type { LedgerStore, Trx } from './store.ts';
import { nextTurn } from '../platform/turn.ts';

export type SettlementDeps = { db: Db; dialect: Dialect; store: LedgerStore; orders: LedgerOrders; clock: Clock; logger: Logger; batchSize: number; settlementDelayDays: number };

export type RunSummary = { id: string; orders: number; transfers: number; totalFen: number; startedAt: string; finishedAt: string | null };

/**
 * Settlement: orders completed SETTLEMENT_DELAY_DAYS ago are paid out of clearing to the brand, the
 * streamer, the MCN and the platform. A run works in batches; each batch (its transfers, postings,
 * balances, the orders marked settled, the run's counters) is one transaction, so a crash loses at
 * most the batch in flight, and settlement keys (settle:<orderId>) are unique, so nothing is posted
 * twice: the next run continues where it stopped.
 */
export function createSettlement(deps: SettlementDeps) {
  const { db, dialect, store, orders, clock, logger } = deps;
  let running: Promise<RunSummary> | null = null;

  /** Settles the given orders (due, pending) in the caller's transaction; answers what it posted. */
  async function settleBatch(trx: Trx, due: LedgerOrder[], at: string) {
    const transfers: PlannedTransfer[] = [];
    let totalFen = 0;
    for (const order of due) {
      const result = settle(termsOf(order));
      if (result.transfer) transfers.push(result.transfer);
      totalFen += result.settleFen;
      order.status = 'settled';
      order.settled_at = at;
      order.settled_shares = result.shares;
    }
    const posted = await store.post(trx, transfers, at);
    if (posted.size !== transfers.length) throw new Error('ledger: an order in this batch was settled meanwhile; the batch is retried');
    await orders.markSettled(trx, due, at);
    return { transfers: transfers.length, totalFen };
  }

  /**
   * The next due orders, oldest settle_after first, from `after` on (the run's cursor: the orders it settled
   * before it are behind it). On PostgreSQL the rows are locked, and those another node (or the event
   * consumer) holds are skipped this turn. The plan is pinned to the ledger_orders_due index read in
   * order: with the statistics of a table that grew since its last ANALYZE, the planner chose to read every
   * due row and sort them all, once per batch (0.3 s a batch at 200,000 orders, and growing).
   */
  async function dueBatch(trx: Trx, now: string, limit: number, after: string): Promise<LedgerOrder[]> {
    if (dialect === 'postgres') {
      await sql`select set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)`.execute(trx);
      const rows = await sql<LedgerOrdersTable>`select * from ledger_orders where status = 'pending' and settle_after >= ${after} and settle_after <= ${now}
        order by settle_after limit ${limit} for update skip locked`.execute(trx);
      await sql`select set_config('enable_bitmapscan', 'on', true), set_config('enable_sort', 'on', true)`.execute(trx);
      return rows.rows.map(toLedgerOrder);
    }
    const rows = await trx.selectFrom('ledger_orders').selectAll().where('status', '=', 'pending').where('settle_after', '>=', after).where('settle_after', '<=', now).orderBy('settle_after').limit(limit).execute();
    return rows.map(toLedgerOrder);
  }

  async function run(trigger: 'sweep' | 'operator', startedBy: string | null = null): Promise<RunSummary> {
    const startedAt = clock.now().toISOString();
    const id = newId();
    const summary: RunSummary = { id, orders: 0, transfers: 0, totalFen: 0, startedAt, finishedAt: null };
    // A sweep with nothing due leaves no record.
    const any = await db.selectFrom('ledger_orders').select('order_id').where('status', '=', 'pending').where('settle_after', '<=', startedAt).limit(1).executeTakeFirst();
    if (!any && trigger === 'sweep') return summary;
    await db.insertInto('ledger_settlement_runs').values({ id, trigger, started_by: startedBy, started_at: startedAt, finished_at: null, orders: 0, transfers: 0, total_fen: 0, error: null }).execute();
    try {
      // The cursor: every order before it in settle_after order was settled (or skipped while another held it) by this run.
      let cursor = '';
      for (;;) {
        const batch = await db.transaction().execute(async (trx) => {
          const at = clock.now().toISOString();
          const due = await dueBatch(trx, at, deps.batchSize, cursor);
          if (!due.length) return { orders: 0, transfers: 0, totalFen: 0, last: cursor };
          const last = due[due.length - 1]!.settle_after!;
          const done = await settleBatch(trx, due, at);
          await trx
            .updateTable('ledger_settlement_runs')
            .set((eb) => ({ orders: eb('orders', '+', due.length), transfers: eb('transfers', '+', done.transfers), total_fen: eb('total_fen', '+', done.totalFen) }))
            .where('id', '=', id)
            .execute();
          return { orders: due.length, ...done, last };
        });
        cursor = batch.last;
        summary.orders += batch.orders;
        summary.transfers += batch.transfers;
        summary.totalFen += batch.totalFen;
        if (batch.orders < deps.batchSize) break;
        await nextTurn();
      }
      summary.finishedAt = clock.now().toISOString();
      await db.updateTable('ledger_settlement_runs').set({ finished_at: summary.finishedAt }).where('id', '=', id).execute();
      if (summary.orders) logger.info({ run: id, orders: summary.orders, transfers: summary.transfers, totalFen: summary.totalFen }, 'ledger: settlement run finished');
      return summary;
    } catch (error) {
      await db
        .updateTable('ledger_settlement_runs')
        .set({ error: String(error instanceof Error ? error.message : error).slice(0, 500) })
        .where('id', '=', id)
        .execute()
        .catch(() => undefined);
      throw error;
    }
  }

  /** Settles every due order now (one run at a time per node; another node's run skips the rows this one holds). */
  function runDue(trigger: 'sweep' | 'operator' = 'operator', startedBy: string | null = null): Promise<RunSummary> {
    running ??= run(trigger, startedBy).finally(() => {
      running = null;
    });
    return running;
  }

  /** Settles one order, refusing one still inside its window (LEDGER_NOT_DUE). */
  async function settleOne(orderId: string, startedBy: string | null) {
    return db.transaction().execute(async (trx) => {
      const at = clock.now().toISOString();
      const [order] = [...(await orders.load(trx, [orderId])).values()];
      if (!order) throw new AppError('LEDGER_ORDER_NOT_FOUND');
      if (order.status === 'settled') throw new AppError('LEDGER_ALREADY_SETTLED');
      if (order.settle_after === null || order.settle_after > at)
        throw new AppError('LEDGER_NOT_DUE', { settleAfter: order.settle_after ?? `completion + ${deps.settlementDelayDays} d` });
      const result = settle(termsOf(order));
      const done = await settleBatch(trx, [order], at);
      const id = newId();
      await trx.insertInto('ledger_settlement_runs').values({ id, trigger: 'operator', started_by: startedBy, started_at: at, finished_at: at, orders: 1, transfers: done.transfers, total_fen: done.totalFen, error: null }).execute();
      return { runId: id, orderId, settleFen: result.settleFen, commissionFen: result.commissionFen, feeFen: result.feeFen, mcnFen: result.mcnFen, shares: result.shares };
    });
  }

  let timer: NodeJS.Timeout | null = null;
  let first: NodeJS.Timeout | null = null;
  let lastOutageLog = 0;
  async function sweep() {
    try {
      await runDue('sweep');
    } catch (err) {
      if (!outageOf(err)) logger.error({ err }, 'ledger: settlement sweep failed; the next one continues');
      else if (Date.now() - lastOutageLog > 10_000) {
        lastOutageLog = Date.now();
        logger.warn({ err }, 'ledger: settlement sweep skipped: the database is unavailable');
      }
    }
  }

  return {
    runDue,
    settleOne,
    sweep,
    /** Every 60 s, and once 5 s after start (so a run a crash cut short resumes), when start-up's own writes are done. */
    start(intervalMs = 60_000) {
      first ??= setTimeout(() => void sweep(), 5000);
      first.unref();
      timer ??= setInterval(() => void sweep(), intervalMs);
      timer.unref();
    },
    async stop() {
      if (first) clearTimeout(first);
      if (timer) clearInterval(timer);
      first = timer = null;
      await running?.catch(() => undefined);
    },
  };
}

export type Settlement = ReturnType<typeof createSettlement>;
