import type BetterSqlite from 'better-sqlite3';
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
  const withdrawals = createWithdrawals({ db, store, clock, logger, provider: deps.provider });
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
     * order's share as settlement would compute it now (after the refunds so far), summed. The totals
     * are kept per account in ledger_pending, changed in the transaction that writes the orders (0033),
     * so this reads one row. Null for the platform's own accounts.
     */
    async pendingSettlement(accountId: string): Promise<{ pendingSettlementFen: number; pendingOrders: number } | null> {
      const { kind, ownerId } = describeAccount(accountId);
      if (!ownerId || (kind !== 'brand' && kind !== 'streamer' && kind !== 'mcn')) return null;
      const row = await db.selectFrom('ledger_pending').select(['pending_fen', 'orders']).where('account_id', '=', accountId).executeTakeFirst();
      return { pendingSettlementFen: Number(row?.pending_fen ?? 0), pendingOrders: Number(row?.orders ?? 0) };
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
