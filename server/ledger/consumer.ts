import type BetterSqlite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { BusinessEvent } from '../events/outbox.ts';
import type { EventConsumer } from '../events/runner.ts';
import type { Clock } from '../platform/clock.ts';
import { inForceAt, type ContractTimes } from '../mcn/window.ts';
import type { LedgerOrders, LedgerOrder } from './orders.ts';
import { allocate, clawbackTransfer, paidTransfer, refundTransfer, subsidyReturned, type LedgerLine, type PlannedTransfer } from './postings.ts';
import type { LedgerStore, Trx } from './store.ts';

export type ConsumerDeps = { sqlite?: BetterSqlite.Database; store: LedgerStore; orders: LedgerOrders; clock: Clock; logger: Logger; platformFeeBps: number; settlementDelayDays: number };

type PaidPayload = { orderId: string; brandOrgId: string; sessionId: string | null; totalFen: number; subsidyFen?: number; taxFen?: number; paidAt: string | null; items?: { itemId: string; productId: string; paidFen: number }[] };
type RefundPayload = { orderId: string; afterSaleId: string; itemId: string | null; amountFen: number };

/**
 * The ledger as a consumer of business events (docs/EVENTS.md): order.paid moves the money into
 * clearing and captures the order's terms, order.refunded gives it back (from clearing before
 * settlement, clawed back from the parties after), order.completed starts the settlement clock,
 * order.cancelled closes a fully refunded order. Runs in the transaction that moves the consumer's
 * position, and every transfer is keyed, so an event handled twice posts once.
 */
export function createLedgerConsumer(deps: ConsumerDeps): EventConsumer {
  const { store, orders, clock, logger } = deps;
  // A session's streamer never changes: remembered.
  const streamerOfSession = new Map<string, string>();
  let rateStatement: BetterSqlite.Statement<[string, string], { commission_bps: number }> | null = null;

  async function resolveTerms(trx: Trx, paid: PaidPayload[]) {
    const sessionIds = [...new Set(paid.map((p) => p.sessionId).filter((s): s is string => Boolean(s)))];
    const unknown = sessionIds.filter((s) => !streamerOfSession.has(s));
    for (let i = 0; i < unknown.length; i += 5000) {
      const rows = await trx.selectFrom('live_sessions').select(['id', 'streamer_id']).where('id', 'in', unknown.slice(i, i + 5000)).execute();
      for (const r of rows) streamerOfSession.set(r.id, r.streamer_id);
    }
    // The rate each line's product was listed at in its session's 小黄车: looked up by (session, product).
    const rates = new Map<string, number>();
    const pairs = [...new Set(paid.flatMap((p) => (p.sessionId ? (p.items ?? []).map((i) => `${p.sessionId}/${i.productId}`) : [])))];
    if (deps.sqlite) {
      rateStatement ??= deps.sqlite.prepare('select commission_bps from session_products where session_id = ? and product_id = ?');
      for (const pair of pairs) {
        const [sessionId, productId] = pair.split('/') as [string, string];
        const row = rateStatement.get(sessionId, productId);
        if (row) rates.set(pair, Number(row.commission_bps));
      }
    } else {
      for (let i = 0; i < pairs.length; i += 10_000) {
        const chunk = pairs.slice(i, i + 10_000).map((p) => p.split('/') as [string, string]);
        const rows = await sql<{ session_id: string; product_id: string; commission_bps: number }>`select sp.session_id, sp.product_id, sp.commission_bps from session_products sp
          join unnest(${chunk.map((c) => c[0])}::text[], ${chunk.map((c) => c[1])}::text[]) as v(s, p) on sp.session_id = v.s and sp.product_id = v.p`.execute(trx);
        for (const r of rows.rows) rates.set(`${r.session_id}/${r.product_id}`, Number(r.commission_bps));
      }
    }
    const streamerIds = [...new Set(sessionIds.map((s) => streamerOfSession.get(s)).filter((s): s is string => Boolean(s)))];
    // Only contracts the streamer accepted (a terminated one still covers what was paid before its end);
    // which of them was in force at the payment is decided by contractWindow, the rule the MCN's rights use.
    const contracts = new Map<string, (ContractTimes & { mcn_org_id: string; split_bps: number })[]>();
    for (let i = 0; i < streamerIds.length; i += 5000) {
      const rows = await trx
        .selectFrom('mcn_contracts')
        .select(['streamer_id', 'mcn_org_id', 'split_bps', 'status', 'starts_at', 'ends_at', 'accepted_at', 'terminated_at'])
        .where('streamer_id', 'in', streamerIds.slice(i, i + 5000))
        .where('status', 'in', ['accepted', 'terminated'])
        .orderBy('starts_at', 'desc')
        .orderBy('accepted_at', 'desc')
        .execute();
      for (const r of rows) {
        const list = contracts.get(r.streamer_id) ?? [];
        list.push(r);
        contracts.set(r.streamer_id, list);
      }
    }
    return (p: PaidPayload, paidAt: string) => {
      const streamerId = p.sessionId ? (streamerOfSession.get(p.sessionId) ?? null) : null;
      const contract = streamerId ? contracts.get(streamerId)?.find((c) => inForceAt(c, paidAt)) : undefined;
      const lines: LedgerLine[] = (p.items ?? []).map((item) => ({
        itemId: item.itemId,
        productId: item.productId,
        paidFen: item.paidFen,
        refundedFen: 0,
        commissionBps: streamerId && p.sessionId ? (rates.get(`${p.sessionId}/${item.productId}`) ?? 0) : 0,
      }));
      return { streamerId, mcnOrgId: contract?.mcn_org_id ?? null, mcnSplitBps: contract ? contract.split_bps : 0, lines };
    };
  }

  return {
    name: 'ledger',
    types: ['order.paid', 'order.refunded', 'order.completed', 'order.cancelled'],
    async handle(trx, events: BusinessEvent[]) {
      const at = clock.now().toISOString();
      const keyOf = (e: BusinessEvent) =>
        e.type === 'order.paid' ? `paid:${e.subjectId}` : e.type === 'order.refunded' ? `refund:${(e.payload as RefundPayload).afterSaleId}` : null;
      // Idempotency: an event whose transfer is posted already is passed over (its effects on the order too).
      const done = await store.existingKeys(trx, events.map(keyOf).filter((k): k is string => k !== null));
      const fresh = events.filter((e) => {
        const key = keyOf(e);
        if (key === null) return true;
        if (done.has(key)) return false;
        done.add(key); // the same event twice in one batch: once
        return true;
      });
      const paid = fresh.filter((e) => e.type === 'order.paid');
      const known = await orders.load(
        trx,
        fresh.filter((e) => e.type !== 'order.paid').map((e) => e.subjectId),
      );
      const terms = paid.length ? await resolveTerms(trx, paid.map((e) => e.payload as PaidPayload)) : null;
      const created = new Map<string, LedgerOrder>();
      const changed = new Set<LedgerOrder>();
      const completed = new Set<LedgerOrder>();
      const transfers: PlannedTransfer[] = [];
      const delayMs = deps.settlementDelayDays * 86_400_000;

      for (const e of fresh) {
        if (e.type === 'order.paid') {
          const p = e.payload as PaidPayload;
          const paidAt = p.paidAt ?? e.occurredAt;
          const t = terms!(p, paidAt);
          const itemsFen = t.lines.reduce((s, l) => s + l.paidFen, 0);
          // A campaign subsidy (docs/CAMPAIGNS.md) is added back to the lines the discount was taken
          // from, in proportion: the brand settles (and commission is earned) on the undiscounted price.
          const subsidy = Math.max(0, p.subsidyFen ?? 0);
          const tax = Math.min(Math.max(0, p.taxFen ?? 0), Math.max(0, p.totalFen - itemsFen));
          if (subsidy && t.lines.length) allocate(subsidy, t.lines.map((l) => l.paidFen)).forEach((extra, i) => (t.lines[i]!.paidFen += extra));
          const order: LedgerOrder = {
            order_id: e.subjectId,
            brand_org_id: p.brandOrgId,
            streamer_id: t.streamerId,
            mcn_org_id: t.mcnOrgId,
            mcn_split_bps: t.mcnSplitBps,
            platform_fee_bps: deps.platformFeeBps,
            lines: t.lines,
            paid_fen: p.totalFen + subsidy,
            subsidy_fen: subsidy,
            subsidy_returned_fen: 0,
            refunded_fen: 0,
            order_refunded_fen: 0,
            // The cross-border tax is neither goods nor shipping: it is held for customs at settlement.
            shipping_fen: Math.max(0, p.totalFen - itemsFen - tax),
            tax_fen: tax,
            status: 'pending',
            paid_at: paidAt,
            completed_at: null,
            settle_after: null,
            settled_at: null,
            settled_shares: null,
            clawed_back_fen: 0,
          };
          created.set(order.order_id, order);
          known.set(order.order_id, order);
          transfers.push(paidTransfer(order.order_id, p.totalFen, e.id, subsidy));
          continue;
        }
        const order = known.get(e.subjectId);
        if (!order) {
          // An order the ledger never saw paid (money that came in after the order was cancelled goes
          // straight back): nothing of it is in the books.
          if (e.type === 'order.refunded') logger.info({ orderId: e.subjectId, eventId: e.id }, 'ledger: a refund for an order it never saw paid; nothing posted');
          continue;
        }
        const existing = !created.has(order.order_id);
        if (e.type === 'order.refunded') {
          if (existing) changed.add(order);
          const p = e.payload as RefundPayload;
          const amount = p.amountFen;
          // The refund's part of the platform's subsidy goes back to the platform with it.
          const subsidyFen = order.subsidy_fen ?? 0;
          const returned = order.subsidy_returned_fen ?? 0;
          const back = subsidyReturned(subsidyFen, order.paid_fen - subsidyFen, order.refunded_fen - returned, amount);
          order.subsidy_returned_fen = returned + back;
          if (order.status === 'settled' && order.settled_shares) {
            transfers.push(clawbackTransfer(
              { orderId: order.order_id, brandOrgId: order.brand_org_id, streamerId: order.streamer_id, mcnOrgId: order.mcn_org_id },
              order.settled_shares,
              order.clawed_back_fen,
              p.afterSaleId,
              amount,
              e.id,
              back,
            ));
            order.clawed_back_fen += amount + back;
          } else {
            transfers.push(refundTransfer(order.order_id, p.afterSaleId, amount, e.id, back));
            const line = p.itemId ? order.lines.find((l) => l.itemId === p.itemId) : undefined;
            if (line) line.refundedFen += amount + back;
            else order.order_refunded_fen += amount + back;
          }
          order.refunded_fen += amount + back;
        } else if (e.type === 'order.completed') {
          if (order.status === 'pending' && order.completed_at === null) {
            if (existing) completed.add(order);
            order.completed_at = e.occurredAt;
            order.settle_after = new Date(new Date(e.occurredAt).getTime() + delayMs).toISOString();
          }
        } else if (e.type === 'order.cancelled') {
          // Refunded in full before it completed: nothing will ever settle.
          if (order.status === 'pending' && order.refunded_fen >= order.paid_fen) {
            if (existing) changed.add(order);
            order.status = 'settled';
            order.settled_at = at;
            order.settled_shares = { brand: 0, streamer: 0, mcn: 0, fee: 0 };
          }
        }
      }

      const posted = await store.post(trx, transfers, at);
      if (posted.size !== transfers.length) throw new Error(`ledger: ${transfers.length - posted.size} transfers were posted by someone else meanwhile; the batch is retried`);
      await orders.insert(trx, [...created.values()]);
      await orders.update(trx, [...changed]);
      // Orders whose only change is their completion: two columns, not the whole row.
      await orders.markCompleted(trx, [...completed].filter((o) => !changed.has(o)));
    },
  };
}
