import type { Logger } from 'pino';
import type { PaymentProvider } from '../commerce/payments/provider.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import type { LedgerWithdrawalsTable, WithdrawalStatus } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { withdrawalTransfer } from './postings.ts';
import type { LedgerStore } from './store.ts';

export type WithdrawalsDeps = { db: Db; store: LedgerStore; clock: Clock; logger: Logger; provider: PaymentProvider };

export function withdrawalView(w: LedgerWithdrawalsTable) {
  return {
    id: w.id,
    accountId: w.account_id,
    amountFen: Number(w.amount_fen),
    status: w.status,
    requestedBy: w.requested_by,
    requestedAt: w.requested_at,
    decidedAt: w.decided_at,
    reason: w.reason,
    payoutNo: w.payout_no,
    paidAt: w.paid_at,
  };
}

/**
 * Withdrawals (提现): a party asks for W fen; W is held at once (party −W, payouts:pending +W) if the
 * balance covers it, checked with the account row locked; the operator approves and the payment
 * provider pays it out (payouts:pending −W, payouts +W), or rejects it and the hold goes back.
 */
export function createWithdrawals(deps: WithdrawalsDeps) {
  const { db, store, clock, logger, provider } = deps;
  const now = () => clock.now().toISOString();

  async function find(id: string) {
    const row = await db.selectFrom('ledger_withdrawals').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('WITHDRAWAL_NOT_FOUND');
    return row;
  }

  /** Pays an approved withdrawal out and books it; safe to repeat (the provider and the key are idempotent). */
  async function payOut(w: LedgerWithdrawalsTable) {
    let result: { status: 'succeeded' | 'processing'; payoutNo: string };
    try {
      result = await provider.payout({ outPayoutNo: w.id, amountFen: Number(w.amount_fen), payee: w.account_id, memo: `Zhibo withdrawal ${w.id}` });
    } catch (err) {
      logger.error({ err, withdrawalId: w.id }, 'ledger: payout failed; the sweep retries it');
      throw new AppError('WITHDRAWAL_PAYOUT_FAILED');
    }
    if (result.status !== 'succeeded') return;
    await db.transaction().execute(async (trx) => {
      const at = now();
      const moved = await trx.updateTable('ledger_withdrawals').set({ status: 'paid', payout_no: result.payoutNo, paid_at: at }).where('id', '=', w.id).where('status', '=', 'approved').executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) return;
      await store.post(trx, [withdrawalTransfer('paid', w.id, w.account_id, Number(w.amount_fen))], at);
    });
  }

  return {
    async request(accountId: string, amountFen: number, userId: string) {
      const id = newId();
      await db.transaction().execute(async (trx) => {
        const balance = await store.lockedBalance(trx, accountId);
        if (balance === null || amountFen > balance) throw new AppError('LEDGER_INSUFFICIENT_BALANCE', { balanceFen: balance ?? 0 });
        const at = now();
        await trx.insertInto('ledger_withdrawals').values({ id, account_id: accountId, amount_fen: amountFen, status: 'requested', requested_by: userId, requested_at: at, decided_by: null, decided_at: null, reason: null, payout_no: null, paid_at: null }).execute();
        await store.post(trx, [withdrawalTransfer('hold', id, accountId, amountFen)], at);
      });
      return withdrawalView(await find(id));
    },

    async approve(id: string, operatorId: string) {
      const w = await find(id);
      const moved = await db.updateTable('ledger_withdrawals').set({ status: 'approved', decided_by: operatorId, decided_at: now() }).where('id', '=', id).where('status', '=', 'requested').executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw new AppError('WITHDRAWAL_STATE_CONFLICT', { status: w.status });
      await payOut({ ...w, status: 'approved' });
      return withdrawalView(await find(id));
    },

    async reject(id: string, operatorId: string, reason: string) {
      const w = await find(id);
      await db.transaction().execute(async (trx) => {
        const at = now();
        const moved = await trx.updateTable('ledger_withdrawals').set({ status: 'rejected', decided_by: operatorId, decided_at: at, reason }).where('id', '=', id).where('status', '=', 'requested').executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) throw new AppError('WITHDRAWAL_STATE_CONFLICT', { status: w.status });
        await store.post(trx, [withdrawalTransfer('reversed', id, w.account_id, Number(w.amount_fen))], at);
      });
      return withdrawalView(await find(id));
    },

    async list(filter: { accountId?: string; status?: WithdrawalStatus }, limit = 100) {
      let q = db.selectFrom('ledger_withdrawals').selectAll();
      if (filter.accountId) q = q.where('account_id', '=', filter.accountId);
      if (filter.status) q = q.where('status', '=', filter.status);
      return (await q.orderBy('requested_at', 'desc').limit(limit).execute()).map(withdrawalView);
    },

    /** Approved withdrawals whose payout did not finish (a crash, a provider error): paid out again, once. */
    async retryApproved() {
      const before = new Date(clock.now().getTime() - 30_000).toISOString();
      const stuck = await db.selectFrom('ledger_withdrawals').selectAll().where('status', '=', 'approved').where('decided_at', '<=', before).limit(50).execute();
      for (const w of stuck) await payOut(w).catch(() => undefined);
      return stuck.length;
    },
  };
}

export type Withdrawals = ReturnType<typeof createWithdrawals>;
