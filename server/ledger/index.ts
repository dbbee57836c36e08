import type BetterSqlite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { PaymentProvider } from '../commerce/payments/provider.ts';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { Db, Dialect } from '../platform/db.ts';
import { createLedgerConsumer } from './consumer.ts';
import { createLedgerOrders } from './orders.ts';
import { ACCOUNTS, describeAccount } from './postings.ts';
import { createSettlement } from './settlement.ts';
import { createLedgerStore } from './store.ts';
import { createWithdrawals } from './withdrawals.ts';

export type LedgerDeps = {
  db: Db;
  dialect: Dialect;
  sqlite?: BetterSqlite.Database;
  clock: Clock;
  logger: Logger;
  config: Pick<Config, 'PLATFORM_FEE_BPS' | 'SETTLEMENT_DELAY_DAYS' | 'SETTLEMENT_BATCH_SIZE'>;
  provider: PaymentProvider;
};

/** The double-entry ledger: the journal, its event consumer, settlement and withdrawals (docs/LEDGER.md). */
export function createLedger(deps: LedgerDeps) {
  const { db, dialect, sqlite, clock, logger, config } = deps;
  const store = createLedgerStore({ db, dialect, sqlite, clock });
  const orders = createLedgerOrders(dialect, sqlite);
  const consumer = createLedgerConsumer({ sqlite: dialect === 'sqlite' ? sqlite : undefined, store, orders, clock, logger, platformFeeBps: config.PLATFORM_FEE_BPS, settlementDelayDays: config.SETTLEMENT_DELAY_DAYS });
  const settlement = createSettlement({ db, dialect, store, orders, clock, logger, batchSize: config.SETTLEMENT_BATCH_SIZE, settlementDelayDays: config.SETTLEMENT_DELAY_DAYS });
  const withdrawals = createWithdrawals({ db, dialect, store, clock, logger, provider: deps.provider });
  let retryTimer: NodeJS.Timeout | null = null;

  return {
    store,
    orders,
    consumer,
    settlement,
    withdrawals,
    accounts: ACCOUNTS,
    /**
     * What a party's account will receive when its orders still in clearing settle: each pending
     * order's share as settlement would compute it now (after the refunds so far), summed. The share
     * is kept on the row whenever it is written (pendingShares in orders.ts), so this is one SQL sum
     * over the party's pending orders (0009's partial index), with no row parsed here. Null for the
     * platform's own accounts.
     */
    async pendingSettlement(accountId: string): Promise<{ pendingSettlementFen: number; pendingOrders: number } | null> {
      const { kind, ownerId } = describeAccount(accountId);
      if (!ownerId || (kind !== 'brand' && kind !== 'streamer' && kind !== 'mcn')) return null;
      const column = kind === 'brand' ? 'brand_org_id' : kind === 'streamer' ? 'streamer_id' : 'mcn_org_id';
      const share = kind === 'brand' ? 'pending_brand_fen' : kind === 'streamer' ? 'pending_streamer_fen' : 'pending_mcn_fen';
      // The literal status (not a bound parameter) lets SQLite match the partial index's condition.
      const row = await db
        .selectFrom('ledger_orders')
        .select((eb) => [eb.fn.sum<number | string | null>(share).as('fen'), eb.fn.countAll<number | string>().as('n')])
        .where(sql<boolean>`status = 'pending'`)
        .where(column, '=', ownerId)
        .executeTakeFirst();
      return { pendingSettlementFen: Number(row?.fen ?? 0), pendingOrders: Number(row?.n ?? 0) };
    },
    /** The latest settlement runs, newest first. */
    async settlementRuns(limit = 20) {
      const rows = await db.selectFrom('ledger_settlement_runs').selectAll().orderBy('started_at', 'desc').limit(limit).execute();
      return rows.map((r) => ({ id: r.id, trigger: r.trigger, startedBy: r.started_by, startedAt: r.started_at, finishedAt: r.finished_at, orders: Number(r.orders), transfers: Number(r.transfers), totalFen: Number(r.total_fen), error: r.error }));
    },
    /** The settlement sweep (every 60 s, and soon after start) and the payout retry. */
    start() {
      settlement.start();
      retryTimer ??= setInterval(() => void withdrawals.retryApproved().catch((err: unknown) => logger.warn({ err }, 'ledger: payout retry failed')), 60_000);
      retryTimer.unref();
    },
    async stop() {
      if (retryTimer) clearInterval(retryTimer);
      retryTimer = null;
      await settlement.stop();
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
