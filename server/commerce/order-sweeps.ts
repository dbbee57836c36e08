// The order sweeps (docs/COMMERCE.md): driven from the database, so they survive restarts and run on any node.
// They use the order service's own cancel, payment settlement and state transition (orders.ts).
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import type { OrdersTable, OrderStatus, PaymentsTable } from '../platform/db-types.ts';
import type { Trx } from './orders.ts';
import type { PaymentProvider } from './payments/provider.ts';

export type OrderSweepsDeps = {
  db: Db;
  clock: Clock;
  logger: Logger;
  provider: PaymentProvider;
  autoConfirmDays: number;
  cancel: (order: OrdersTable, reason: 'timeout') => Promise<'cancelled' | 'paid' | 'unchanged'>;
  settlePaid: (payment: PaymentsTable, tradeNo: string | null, paidAt: string, notifyId: string | null) => Promise<'paid' | 'already' | 'refund'>;
  transition: (trx: Trx, orderId: string, from: OrderStatus[], to: OrderStatus, set?: Partial<OrdersTable>) => Promise<boolean>;
};

export function createOrderSweeps(deps: OrderSweepsDeps) {
  const { db, clock, logger, provider, cancel, settlePaid, transition } = deps;
  const now = () => clock.now().toISOString();
  return {
    /** Cancels unpaid orders past their deadline (asking the provider first). */
    async sweepExpired(limit = 200) {
      const due = await db.selectFrom('orders').selectAll().where('status', '=', 'pending_payment').where('pay_deadline', '<=', now()).orderBy('pay_deadline').limit(limit).execute();
      let cancelled = 0;
      for (const order of due) {
        try {
          if ((await cancel(order, 'timeout')) === 'cancelled') cancelled++;
        } catch (err) {
          logger.error({ err, orderId: order.id }, 'cancelling an expired order failed; will retry');
        }
      }
      return cancelled;
    },

    /** Asks the provider about open trades older than 30 s: a lost notification still ends in a paid order. */
    async sweepUnnotified(limit = 100) {
      const before = new Date(clock.now().getTime() - 30_000).toISOString();
      const open = await db
        .selectFrom('payments')
        .innerJoin('orders', 'orders.id', 'payments.order_id')
        .selectAll('payments')
        .where('payments.status', '=', 'pending')
        .where('orders.status', '=', 'pending_payment')
        .where('payments.created_at', '<=', before)
        .limit(limit)
        .execute();
      let paid = 0;
      for (const payment of open) {
        const trade = await provider.queryTrade(payment.id).catch(() => null);
        if (trade?.status === 'paid' && trade.amountFen === payment.amount_fen) {
          if ((await settlePaid(payment, trade.tradeNo, trade.paidAt ?? now(), null)) === 'paid') paid++;
        }
      }
      return paid;
    },

    /** Completes orders the buyer never confirmed, N days after shipping. */
    async sweepAutoConfirm(limit = 500) {
      const before = new Date(clock.now().getTime() - deps.autoConfirmDays * 86_400_000).toISOString();
      const due = await db.selectFrom('orders').select(['id', 'delivered_at']).where('status', 'in', ['shipped', 'delivered']).where('shipped_at', '<=', before).limit(limit).execute();
      for (const order of due) await db.transaction().execute((trx) => transition(trx, order.id, ['shipped', 'delivered'], 'completed', { completed_at: now(), delivered_at: order.delivered_at ?? now() }));
      return due.length;
    },
  };
}
