import type { Logger } from 'pino';
import type { AuthUser } from '../accounts/service.ts';
import type { Clock } from '../platform/clock.ts';
import type { NewEvent, Outbox } from '../events/outbox.ts';
import type { Db } from '../platform/db.ts';
import type { AfterSaleStatus, AfterSalesTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { Kinds } from './kinds.ts';
import { type Orders } from './orders.ts';
import { afterSaleView, orderPayload } from './views.ts';
import type { PaymentProvider } from './payments/provider.ts';
import { returnDeadline } from './pricing.ts';

export type AfterSalesDeps = { db: Db; clock: Clock; logger: Logger; orders: Orders; provider: PaymentProvider; outbox: Outbox; kinds: Kinds };

/** The after-sales that count against what an order can still refund: all but the rejected. */
export const OPEN: AfterSaleStatus[] = ['requested', 'awaiting_return', 'returned', 'refunding', 'refunded'];

/** 售后: refund only, return and refund, partial refunds; the brand decides; money goes back through the provider. */
export function createAfterSales(deps: AfterSalesDeps) {
  const { db, clock, logger, orders, provider } = deps;
  const now = () => clock.now().toISOString();

  async function find(id: string) {
    const row = await db.selectFrom('after_sales').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('AFTERSALE_NOT_FOUND');
    return row;
  }

  async function move(id: string, from: AfterSaleStatus[], to: AfterSaleStatus, set: Partial<AfterSalesTable> = {}) {
    const result = await db.updateTable('after_sales').set({ ...set, status: to, updated_at: now() }).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('AFTERSALE_STATE_CONFLICT');
  }

  /** Sends the refund to the provider; the notification (or the sweep) settles it. */
  async function startRefund(afterSale: AfterSalesTable) {
    // A payment the order could not take goes back from its own trade; any other refund from the trade that paid
    // the order (never from one returned whole already).
    const payment = afterSale.payment_id
      ? await db.selectFrom('payments').selectAll().where('id', '=', afterSale.payment_id).where('status', '=', 'succeeded').executeTakeFirst()
      : await db
          .selectFrom('payments')
          .selectAll()
          .where('order_id', '=', afterSale.order_id)
          .where('status', '=', 'succeeded')
          .where((eb) => eb.not(eb.exists(eb.selectFrom('after_sales as surplus').select('surplus.id').whereRef('surplus.payment_id', '=', 'payments.id'))))
          .orderBy('paid_at')
          .executeTakeFirst();
    if (!payment) throw new AppError('ORDER_STATE_CONFLICT', { status: 'unpaid' });
    const outRefundNo = afterSale.out_refund_no ?? afterSale.id;
    await db.updateTable('after_sales').set({ out_refund_no: outRefundNo }).where('id', '=', afterSale.id).execute();
    try {
      const result = await provider.refund({ outTradeNo: payment.id, outRefundNo, amountFen: afterSale.amount_fen });
      if (result.status === 'succeeded') await settleRefund(outRefundNo, afterSale.amount_fen, null);
    } catch (err) {
      logger.error({ err, afterSaleId: afterSale.id }, 'refund request failed; the refund sweep will retry');
    }
  }

  /** A refund is done: record it once, against the item and the order. */
  async function settleRefund(outRefundNo: string, refundFen: number, notifyId: string | null) {
    const afterSale = await db.selectFrom('after_sales').selectAll().where('out_refund_no', '=', outRefundNo).executeTakeFirst();
    // A refund we never asked for (or have not recorded yet): refused, so the provider tries again later.
    if (!afterSale) throw new AppError('PAYMENT_UNKNOWN_REFUND');
    if (afterSale.amount_fen !== refundFen) throw new AppError('PAYMENT_AMOUNT_MISMATCH');
    let fullRefundBeforeShipping = false;
    const order = await db.selectFrom('orders').selectAll().where('id', '=', afterSale.order_id).executeTakeFirstOrThrow();
    let items: Awaited<ReturnType<Orders['release']>> = [];
    await db.transaction().execute(async (trx) => {
      if (notifyId) {
        const seen = await trx.selectFrom('payment_notifications').select('notify_id').where('notify_id', '=', notifyId).executeTakeFirst();
        if (seen) return;
        await trx.insertInto('payment_notifications').values({ notify_id: notifyId, provider: provider.name, event: 'refund.success', out_trade_no: outRefundNo, received_at: now() }).execute();
      }
      const moved = await trx.updateTable('after_sales').set({ status: 'refunded', updated_at: now() }).where('id', '=', afterSale.id).where('status', '=', 'refunding').executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) return;
      // A payment the order could not take went back whole: none of the order's money moved (docs/COMMERCE.md).
      if (afterSale.payment_id) return;
      await trx.updateTable('orders').set((eb) => ({ refunded_fen: eb('refunded_fen', '+', refundFen), updated_at: now() })).where('id', '=', order.id).execute();
      if (afterSale.item_id) await trx.updateTable('order_items').set((eb) => ({ refunded_fen: eb('refunded_fen', '+', refundFen) })).where('id', '=', afterSale.item_id).execute();
      const fresh = await trx.selectFrom('orders').selectAll().where('id', '=', order.id).executeTakeFirstOrThrow();
      const events: NewEvent[] = [
        { type: 'order.refunded', subjectId: order.id, occurredAt: now(), payload: { ...orderPayload(fresh), afterSaleId: afterSale.id, kind: afterSale.kind, itemId: afterSale.item_id, amountFen: refundFen } },
      ];
      // Everything refunded before shipping: the order closes and the stock goes back on sale.
      if (afterSale.kind === 'refund_only' && fresh.status === 'paid' && fresh.refunded_fen >= fresh.total_fen) {
        events.push(...((await orders.transitionDeferred(trx, order.id, ['paid'], 'cancelled', { cancelled_at: now(), cancel_reason: 'refunded' })) ?? []));
        items = await orders.release(trx, fresh, { coupon: true });
        fullRefundBeforeShipping = true;
      }
      // The events last (order.refunded, then order.cancelled), after every row lock: see orders.transitionDeferred.
      await deps.outbox.record(trx, events);
    });
    if (fullRefundBeforeShipping) orders.afterRelease(order, items);
  }

  async function brandItem(orgId: string, id: string) {
    const row = await find(id);
    if (row.brand_org_id !== orgId) throw new AppError('AFTERSALE_NOT_FOUND');
    return row;
  }

  return {
    settleRefund,

    async request(user: AuthUser, orderId: string, input: { kind: 'refund_only' | 'return_refund'; itemId?: string; amountFen: number; reason: string; cause?: 'no_reason' | 'quality' }) {
      const order = await orders.ownOrder(user, orderId);
      await deps.kinds.get(order.kind)?.refundRequested?.(order);
      const items = await db.selectFrom('order_items').selectAll().where('order_id', '=', orderId).execute();
      const item = input.itemId ? items.find((i) => i.id === input.itemId) : undefined;
      if (input.itemId && !item) throw new AppError('ORDER_ITEM_NOT_FOUND');
      if (input.kind === 'refund_only' && order.status !== 'paid') throw new AppError('AFTERSALE_KIND_INVALID', { status: order.status });
      if (input.kind === 'return_refund') {
        if (!['shipped', 'delivered', 'completed'].includes(order.status)) throw new AppError('AFTERSALE_KIND_INVALID', { status: order.status });
        // Without a reason (七天无理由) only standard items go back; a quality problem is a claim on any item, for the brand to judge.
        if (input.cause !== 'quality') {
          for (const line of item ? [item] : items) {
            if (line.return_policy !== 'standard') throw new AppError('RETURN_NOT_ALLOWED', { title: line.title });
          }
        }
        const delivered = order.delivered_at ?? order.completed_at;
        if (delivered && clock.now() > returnDeadline(new Date(delivered))) throw new AppError('RETURN_WINDOW_CLOSED', { deadline: returnDeadline(new Date(delivered)).toISOString() });
      }
      const row: AfterSalesTable = {
        id: newId(),
        order_id: orderId,
        item_id: item?.id ?? null,
        brand_org_id: order.brand_org_id,
        buyer_id: user.id,
        kind: input.kind,
        amount_fen: input.amountFen,
        reason: input.reason,
        cause: input.kind === 'return_refund' ? input.cause : 'no_reason',
        status: 'requested',
        decision_reason: null,
        return_carrier: null,
        return_tracking_no: null,
        out_refund_no: null,
        created_at: now(),
        updated_at: now(),
      };
      await db.transaction().execute(async (trx) => {
        // Touching the order row serializes concurrent requests on it (a row lock on PostgreSQL).
        await trx.updateTable('orders').set({ updated_at: now() }).where('id', '=', orderId).execute();
        const taken = await trx.selectFrom('after_sales').select(['item_id', 'amount_fen']).where('order_id', '=', orderId).where('status', 'in', OPEN).where('payment_id', 'is', null).execute();
        const orderLeft = order.total_fen - taken.reduce((s, a) => s + a.amount_fen, 0);
        const itemLeft = item ? item.paid_fen - taken.filter((a) => a.item_id === item.id).reduce((s, a) => s + a.amount_fen, 0) : orderLeft;
        const limit = Math.min(orderLeft, itemLeft);
        if (input.amountFen > limit) throw new AppError('REFUND_EXCEEDS_PAID', { max: Math.max(0, limit) });
        await trx.insertInto('after_sales').values(row).execute();
      });
      return afterSaleView(row);
    },

    async mine(user: AuthUser) {
      return (await db.selectFrom('after_sales').selectAll().where('buyer_id', '=', user.id).orderBy('created_at', 'desc').limit(200).execute()).map(afterSaleView);
    },

    async returnShipment(user: AuthUser, id: string, input: { carrier: string; trackingNo: string }) {
      const row = await find(id);
      if (row.buyer_id !== user.id) throw new AppError('AFTERSALE_NOT_FOUND');
      await move(id, ['awaiting_return'], 'returned', { return_carrier: input.carrier, return_tracking_no: input.trackingNo });
      return afterSaleView(await find(id));
    },

    async brandList(orgId: string, status?: AfterSaleStatus) {
      let q = db.selectFrom('after_sales').selectAll().where('brand_org_id', '=', orgId);
      if (status) q = q.where('status', '=', status);
      return (await q.orderBy('created_at', 'desc').limit(200).execute()).map(afterSaleView);
    },

    async approve(orgId: string, id: string, reason?: string) {
      const row = await brandItem(orgId, id);
      if (row.kind === 'return_refund') {
        await move(id, ['requested'], 'awaiting_return', { decision_reason: reason ?? null });
      } else {
        await move(id, ['requested'], 'refunding', { decision_reason: reason ?? null, out_refund_no: row.id });
        await startRefund({ ...row, out_refund_no: row.id });
      }
      return afterSaleView(await find(id));
    },

    async reject(orgId: string, id: string, reason: string) {
      await brandItem(orgId, id);
      await move(id, ['requested', 'returned'], 'rejected', { decision_reason: reason });
      return afterSaleView(await find(id));
    },

    /** The returned goods arrived: the refund goes out. */
    async receive(orgId: string, id: string) {
      const row = await brandItem(orgId, id);
      await move(id, ['returned'], 'refunding', { out_refund_no: row.id });
      await startRefund({ ...row, out_refund_no: row.id });
      return afterSaleView(await find(id));
    },

    /** Refunds still 'refunding' after 30 s: ask the provider, or ask it again to refund. */
    async sweepRefunds(limit = 100) {
      const before = new Date(clock.now().getTime() - 30_000).toISOString();
      const stuck = await db.selectFrom('after_sales').selectAll().where('status', '=', 'refunding').where('updated_at', '<=', before).limit(limit).execute();
      for (const row of stuck) {
        const outRefundNo = row.out_refund_no ?? row.id;
        const state = await provider.queryRefund(outRefundNo).catch(() => ({ status: 'unknown' as const }));
        if (state.status === 'succeeded') await settleRefund(outRefundNo, row.amount_fen, null).catch((err: unknown) => logger.error({ err }, 'settling a refund failed'));
        else if (state.status === 'unknown') await startRefund(row);
      }
      return stuck.length;
    },
  };
}

export type AfterSales = ReturnType<typeof createAfterSales>;
