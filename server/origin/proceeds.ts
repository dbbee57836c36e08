import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { BusinessEvent, Outbox } from '../events/outbox.ts';
import type { EventConsumer } from '../events/runner.ts';
import { termsOf, toLedgerOrder } from '../ledger/orders.ts';
import { ACCOUNTS, allocate, applyBps, compact, settle, type PlannedTransfer } from '../ledger/postings.ts';
import type { LedgerStore } from '../ledger/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import { inTrx, originDb, type SaleRow } from './tables.ts';

type PaidPayload = { orderId: string; brandOrgId: string; paidAt: string | null; items?: { itemId: string; productId: string; quantity: number; paidFen: number }[] };
type RefundPayload = { orderId: string; afterSaleId: string; itemId: string | null; amountFen: number };

export type ProceedsDeps = { db: Db; dialect: Dialect; clock: Clock; logger: Logger; outbox: Outbox; ledger: LedgerStore };

/**
 * The producer's proceeds (docs/ORIGIN.md rule O5). A consumer of the outbox records each certified
 * line sold (order.paid) in origin_sales, with the batch's share. When the ledger has settled the order,
 * the sweep posts one transfer `origin:<orderId>`: brand −P, producer:<id> +P per line, P = round(line
 * net × share / 10000), the line net being exactly what settlement computed (the ledger's own settle()).
 * A refund the ledger books after settlement (a clawback) takes the producer's share of it back
 * (`origin-refund:<afterSaleId>`). Commerce never calls this; the ledger's journal stays balanced.
 */
export function createProceeds(deps: ProceedsDeps) {
  const db = originDb(deps.db);
  const now = () => deps.clock.now().toISOString();

  const consumer: EventConsumer = {
    name: 'origin',
    types: ['order.paid', 'order.refunded'],
    async handle(trx, events: BusinessEvent[]) {
      const t = inTrx(trx);
      const paid = events.filter((e) => e.type === 'order.paid');
      const productIds = [...new Set(paid.flatMap((e) => ((e.payload as PaidPayload).items ?? []).map((i) => i.productId)))];
      const certs = productIds.length ? await t.selectFrom('origin_certs').selectAll().where('product_id', 'in', productIds).where('current', '=', 1).execute() : [];
      const rows: SaleRow[] = [];
      for (const e of paid) {
        const p = e.payload as PaidPayload;
        for (const item of p.items ?? []) {
          const cert = certs.find((c) => c.product_id === item.productId);
          if (!cert) continue;
          rows.push({
            item_id: item.itemId,
            order_id: p.orderId,
            product_id: item.productId,
            cert_id: cert.id,
            producer_id: cert.producer_id,
            area_code: cert.area_code,
            brand_org_id: p.brandOrgId,
            quantity: item.quantity,
            paid_fen: item.paidFen,
            refunded_fen: 0,
            share_bps: cert.share_bps,
            status: 'pending',
            proceeds_fen: 0,
            paid_at: p.paidAt ?? e.occurredAt,
            posted_at: null,
          });
        }
      }
      for (let i = 0; i < rows.length; i += 500) await t.insertInto('origin_sales').values(rows.slice(i, i + 500)).onConflict((oc) => oc.column('item_id').doNothing()).execute();

      const transfers: PlannedTransfer[] = [];
      for (const e of events.filter((x) => x.type === 'order.refunded')) {
        const r = e.payload as RefundPayload;
        const lines = await t.selectFrom('origin_sales').selectAll().where('order_id', '=', r.orderId).orderBy('item_id').execute();
        if (!lines.length) continue;
        // The line's refunded amount, for the report (an order-level refund spread over the lines by what each paid).
        const parts = r.itemId ? lines.map((l) => (l.item_id === r.itemId ? r.amountFen : 0)) : allocate(r.amountFen, lines.map((l) => Number(l.paid_fen)));
        for (const [i, l] of lines.entries()) {
          const part = Math.min(parts[i]!, Number(l.paid_fen) - Number(l.refunded_fen));
          if (part > 0) await t.updateTable('origin_sales').set({ refunded_fen: Number(l.refunded_fen) + part }).where('item_id', '=', l.item_id).execute();
        }
        const posted = lines.filter((l) => l.status === 'posted');
        if (!posted.length) continue; // settlement will count this refund in the line nets
        // Posted already: a refund the ledger booked before settlement is in those nets; one after (a clawback) is not.
        const booked = await t.selectFrom('ledger_transfers').select('kind').where('key', '=', `refund:${r.afterSaleId}`).executeTakeFirst();
        if (!booked) throw new Error(`origin: the ledger has not booked refund ${r.afterSaleId} yet; retried`);
        if (booked.kind !== 'clawback') continue;
        const postings = posted.flatMap((l) => {
          const part = Math.min(parts[lines.indexOf(l)]!, Number(l.paid_fen));
          const back = Math.min(applyBps(part, l.share_bps), Number(l.proceeds_fen));
          return back > 0 ? [{ accountId: ACCOUNTS.producer(l.producer_id), amountFen: -back }, { accountId: ACCOUNTS.brand(l.brand_org_id), amountFen: back }] : [];
        });
        for (const l of posted) {
          const part = Math.min(parts[lines.indexOf(l)]!, Number(l.paid_fen));
          const back = Math.min(applyBps(part, l.share_bps), Number(l.proceeds_fen));
          if (back > 0) await t.updateTable('origin_sales').set({ proceeds_fen: Number(l.proceeds_fen) - back }).where('item_id', '=', l.item_id).execute();
        }
        if (postings.length) transfers.push({ key: `origin-refund:${r.afterSaleId}`, kind: 'origin_proceeds', orderId: r.orderId, eventId: e.id, memo: '帮扶产品退款 producer proceeds returned', postings: compact(postings) });
      }
      if (transfers.length) await deps.ledger.post(trx, transfers, now());
    },
  };

  /** Posts the proceeds of certified lines whose orders the ledger has settled; safe on several nodes (claimed by a conditional update). */
  async function postSettled(limit = 200): Promise<number> {
    const due = await db
      .selectFrom('origin_sales')
      .innerJoin('ledger_orders', 'ledger_orders.order_id', 'origin_sales.order_id')
      .select('origin_sales.order_id')
      .distinct()
      .where(sql<boolean>`origin_sales.status = 'pending'`)
      .where('ledger_orders.status', '=', 'settled')
      .limit(limit)
      .execute();
    let posted = 0;
    for (const { order_id: orderId } of due) {
      await deps.db.transaction().execute(async (trx) => {
        const t = inTrx(trx);
        let q = t.selectFrom('ledger_orders').selectAll().where('order_id', '=', orderId);
        if (deps.dialect === 'postgres') q = q.forUpdate();
        const row = await q.executeTakeFirstOrThrow();
        const order = toLedgerOrder(row);
        const nets = settle(termsOf(order)).lineNetFen;
        const lines = await t.selectFrom('origin_sales').selectAll().where('order_id', '=', orderId).where('status', '=', 'pending').orderBy('item_id').execute();
        const at = now();
        const postings = [];
        for (const l of lines) {
          const index = order.lines.findIndex((x) => x.itemId === l.item_id);
          const proceeds = applyBps(index < 0 ? 0 : nets[index]!, l.share_bps);
          // The claim: a line another node posted meanwhile is left alone.
          const claimed = await t.updateTable('origin_sales').set({ status: 'posted', proceeds_fen: proceeds, posted_at: at }).where('item_id', '=', l.item_id).where('status', '=', 'pending').executeTakeFirst();
          if (Number(claimed.numUpdatedRows) !== 1 || proceeds === 0) continue;
          postings.push({ accountId: ACCOUNTS.brand(order.brand_org_id), amountFen: -proceeds }, { accountId: ACCOUNTS.producer(l.producer_id), amountFen: proceeds });
        }
        if (!postings.length) return;
        const done = await deps.ledger.post(trx, [{ key: `origin:${orderId}`, kind: 'origin_proceeds', orderId, eventId: null, memo: '帮扶产品生产者收益 producer proceeds', postings: compact(postings) }], at);
        if (!done.size) throw new Error(`origin: proceeds of ${orderId} were posted by someone else meanwhile`);
        const total = postings.filter((p) => p.amountFen > 0).reduce((s, p) => s + p.amountFen, 0);
        await deps.outbox.record(trx, [{ type: 'origin.proceeds.posted', subjectId: orderId, occurredAt: at, payload: { orderId, brandOrgId: order.brand_org_id, proceedsFen: total } }]);
        posted++;
      });
    }
    return posted;
  }

  let timer: NodeJS.Timeout | null = null;
  return {
    consumer,
    postSettled,
    start(everyMs = 60_000) {
      timer ??= setInterval(() => void postSettled().catch((err: unknown) => deps.logger.warn({ err }, 'origin: posting proceeds failed; next turn retries')), everyMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
