import type BetterSqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { allRows, type Dialect } from '../platform/db.ts';
import type { LedgerOrdersTable } from '../platform/db-types.ts';
import { settle, type LedgerLine, type OrderTerms, type Shares } from './postings.ts';
import type { Trx } from './store.ts';

/** The columns derived from the rest when a row is written (see pendingShares). */
type PendingColumns = 'pending_brand_fen' | 'pending_streamer_fen' | 'pending_mcn_fen';

/** A ledger_orders row in memory: its lines and shares parsed. */
export type LedgerOrder = Omit<LedgerOrdersTable, 'lines' | 'settled_shares' | PendingColumns> & { lines: LedgerLine[]; settled_shares: Shares | null };

/**
 * What an order, as stored, adds to its parties' pending figures (ledger_pending): while it is pending, its
 * brand's, streamer's and MCN's shares and one order each; nothing once settled.
 */
type Contribution = [accountId: string, fen: number][];
function contributionOf(row: Pick<LedgerOrdersTable, 'status' | 'brand_org_id' | 'streamer_id' | 'mcn_org_id' | PendingColumns>): Contribution {
  if (row.status !== 'pending') return [];
  const out: Contribution = [[`brand:${row.brand_org_id}`, Number(row.pending_brand_fen)]];
  if (row.streamer_id) out.push([`streamer:${row.streamer_id}`, Number(row.pending_streamer_fen)]);
  if (row.mcn_org_id) out.push([`mcn:${row.mcn_org_id}`, Number(row.pending_mcn_fen)]);
  return out;
}
/** Each order read from the database, with what it contributes as stored: a write then changes the totals by the difference. */
const stored = new WeakMap<LedgerOrder, Contribution>();

export function toLedgerOrder(row: LedgerOrdersTable): LedgerOrder {
  const order: LedgerOrder = {
    ...row,
    paid_fen: Number(row.paid_fen),
    refunded_fen: Number(row.refunded_fen),
    order_refunded_fen: Number(row.order_refunded_fen),
    shipping_fen: Number(row.shipping_fen),
    clawed_back_fen: Number(row.clawed_back_fen),
    subsidy_fen: Number(row.subsidy_fen ?? 0),
    subsidy_returned_fen: Number(row.subsidy_returned_fen ?? 0),
    tax_fen: Number(row.tax_fen ?? 0),
    lines: JSON.parse(row.lines) as LedgerLine[],
    settled_shares: row.settled_shares ? (JSON.parse(row.settled_shares) as Shares) : null,
  };
  stored.set(order, contributionOf(row));
  return order;
}

export function termsOf(o: LedgerOrder): OrderTerms {
  return {
    orderId: o.order_id,
    brandOrgId: o.brand_org_id,
    streamerId: o.streamer_id,
    mcnOrgId: o.mcn_org_id,
    mcnSplitBps: o.mcn_split_bps,
    platformFeeBps: o.platform_fee_bps,
    lines: o.lines,
    paidFen: o.paid_fen,
    shippingFen: o.shipping_fen,
    taxFen: o.tax_fen ?? 0,
    refundedFen: o.refunded_fen,
    orderRefundedFen: o.order_refunded_fen,
  };
}

const COLUMNS = [
  'order_id',
  'brand_org_id',
  'streamer_id',
  'mcn_org_id',
  'mcn_split_bps',
  'platform_fee_bps',
  'lines',
  'paid_fen',
  'refunded_fen',
  'order_refunded_fen',
  'shipping_fen',
  'status',
  'paid_at',
  'completed_at',
  'settle_after',
  'settled_at',
  'settled_shares',
  'clawed_back_fen',
  'pending_brand_fen',
  'pending_streamer_fen',
  'pending_mcn_fen',
  'subsidy_fen',
  'subsidy_returned_fen',
  'tax_fen',
] as const;
const MUTABLE = ['lines', 'refunded_fen', 'order_refunded_fen', 'status', 'completed_at', 'settle_after', 'settled_at', 'settled_shares', 'clawed_back_fen', 'pending_brand_fen', 'pending_streamer_fen', 'pending_mcn_fen', 'subsidy_returned_fen'] as const;
const PG_TYPES: Record<(typeof COLUMNS)[number], string> = {
  order_id: 'text',
  brand_org_id: 'text',
  streamer_id: 'text',
  mcn_org_id: 'text',
  mcn_split_bps: 'int',
  platform_fee_bps: 'int',
  lines: 'text',
  paid_fen: 'bigint',
  refunded_fen: 'bigint',
  order_refunded_fen: 'bigint',
  shipping_fen: 'bigint',
  status: 'text',
  paid_at: 'text',
  completed_at: 'text',
  settle_after: 'text',
  settled_at: 'text',
  settled_shares: 'text',
  clawed_back_fen: 'bigint',
  pending_brand_fen: 'bigint',
  pending_streamer_fen: 'bigint',
  pending_mcn_fen: 'bigint',
  subsidy_fen: 'bigint',
  subsidy_returned_fen: 'bigint',
  tax_fen: 'bigint',
};

/**
 * While an order is pending, what settlement would pay the brand, the streamer and the MCN now (after
 * the refunds so far), kept on the row each time it is written (every change of its terms or refunds
 * goes through insert/update), so that a statement's "pending settlement" is one indexed sum
 * (server/ledger/index.ts) rather than a pass over every pending order. 0 once it is no longer pending.
 */
export function pendingShares(o: LedgerOrder): Pick<LedgerOrdersTable, PendingColumns> {
  if (o.status !== 'pending') return { pending_brand_fen: 0, pending_streamer_fen: 0, pending_mcn_fen: 0 };
  const { shares } = settle(termsOf(o));
  return { pending_brand_fen: shares.brand, pending_streamer_fen: shares.streamer, pending_mcn_fen: shares.mcn };
}

function toRow(o: LedgerOrder): LedgerOrdersTable {
  return { ...o, subsidy_fen: o.subsidy_fen ?? 0, subsidy_returned_fen: o.subsidy_returned_fen ?? 0, tax_fen: o.tax_fen ?? 0, lines: JSON.stringify(o.lines), settled_shares: o.settled_shares ? JSON.stringify(o.settled_shares) : null, ...pendingShares(o) };
}

/** Reads and writes ledger_orders in batches: prepared statements on SQLite, one unnest statement per batch on PostgreSQL. */
export function createLedgerOrders(dialect: Dialect, sqlite?: BetterSqlite.Database) {
  let st: { select: BetterSqlite.Statement<[string], LedgerOrdersTable>; insert: BetterSqlite.Statement; update: BetterSqlite.Statement; settled: BetterSqlite.Statement<[string, string, string]>; completed: BetterSqlite.Statement<[string | null, string | null, string]>; pending: BetterSqlite.Statement<[string, number, number]> } | null = null;
  function raw() {
    if (dialect !== 'sqlite' || !sqlite) return null;
    if (!sqlite.inTransaction) throw new Error('ledger: ledger_orders written outside a transaction');
    st ??= {
      select: sqlite.prepare('select * from ledger_orders where order_id = ?'),
      insert: sqlite.prepare(`insert into ledger_orders (${COLUMNS.join(', ')}) values (${COLUMNS.map((c) => `@${c}`).join(', ')}) on conflict (order_id) do nothing`),
      update: sqlite.prepare(`update ledger_orders set ${MUTABLE.map((c) => `${c} = @${c}`).join(', ')} where order_id = @order_id`),
      settled: sqlite.prepare(`update ledger_orders set status = 'settled', settled_at = ?, settled_shares = ? where order_id = ?`),
      completed: sqlite.prepare('update ledger_orders set completed_at = ?, settle_after = ? where order_id = ?'),
      pending: sqlite.prepare('insert into ledger_pending (account_id, pending_fen, orders) values (?, ?, ?) on conflict (account_id) do update set pending_fen = ledger_pending.pending_fen + excluded.pending_fen, orders = ledger_pending.orders + excluded.orders'),
    };
    return st;
  }

  /** The rows of these orders; on PostgreSQL locked (FOR UPDATE) until the transaction ends, in id order. */
  async function load(trx: Trx, ids: string[]): Promise<Map<string, LedgerOrder>> {
    const found = new Map<string, LedgerOrder>();
    const unique = [...new Set(ids)].sort();
    if (!unique.length) return found;
    const s = raw();
    if (s) {
      for (const id of unique) {
        const row = allRows<LedgerOrdersTable>(s.select, id)[0];
        if (row) found.set(id, toLedgerOrder(row));
      }
      return found;
    }
    for (let i = 0; i < unique.length; i += 10_000) {
      const rows = await sql<LedgerOrdersTable>`select * from ledger_orders where order_id = any(${unique.slice(i, i + 10_000)}::text[]) order by order_id for update`.execute(trx);
      for (const row of rows.rows) found.set(row.order_id, toLedgerOrder(row));
    }
    return found;
  }

  /**
   * Moves each order's contribution to the pending totals from what is stored to `next` (a settled order's
   * is nothing), summed per account, in account order: one upsert per account and call.
   */
  async function applyPending(trx: Trx, orders: LedgerOrder[], next: (o: LedgerOrder, i: number) => Contribution, mode: 'insert' | 'update') {
    const deltas = new Map<string, { fen: number; n: number }>();
    const add = (c: Contribution, sign: 1 | -1) => {
      for (const [accountId, fen] of c) {
        const d = deltas.get(accountId) ?? { fen: 0, n: 0 };
        d.fen += sign * fen;
        d.n += sign;
        deltas.set(accountId, d);
      }
    };
    orders.forEach((o, i) => {
      const before = stored.get(o);
      if (!before && mode === 'update') throw new Error(`ledger: order ${o.order_id} written without being read first`);
      const after = next(o, i);
      if (before) add(before, -1);
      add(after, 1);
      stored.set(o, after);
    });
    const ids = [...deltas.keys()].filter((id) => deltas.get(id)!.fen !== 0 || deltas.get(id)!.n !== 0).sort();
    if (!ids.length) return;
    const s = raw();
    if (s) {
      for (const id of ids) s.pending.run(id, deltas.get(id)!.fen, deltas.get(id)!.n);
      return;
    }
    await sql`insert into ledger_pending (account_id, pending_fen, orders)
      select * from unnest(${ids}::text[], ${ids.map((id) => deltas.get(id)!.fen)}::bigint[], ${ids.map((id) => deltas.get(id)!.n)}::bigint[]) order by 1
      on conflict (account_id) do update set pending_fen = ledger_pending.pending_fen + excluded.pending_fen, orders = ledger_pending.orders + excluded.orders`.execute(trx);
  }

  async function write(trx: Trx, orders: LedgerOrder[], mode: 'insert' | 'update') {
    if (!orders.length) return;
    const rows = orders.map(toRow);
    await applyPending(trx, orders, (_o, i) => contributionOf(rows[i]!), mode);
    const s = raw();
    if (s) {
      const statement = mode === 'insert' ? s.insert : s.update;
      for (const row of rows) statement.run(row);
      return;
    }
    const columns = mode === 'insert' ? COLUMNS : (['order_id', ...MUTABLE] as const);
    for (let i = 0; i < rows.length; i += 10_000) {
      const chunk = rows.slice(i, i + 10_000);
      const arrays = columns.map((c) => sql`${chunk.map((r) => r[c])}::${sql.raw(PG_TYPES[c])}[]`);
      if (mode === 'insert') {
        await sql`insert into ledger_orders (${sql.raw(columns.join(', '))}) select * from unnest(${sql.join(arrays)}) on conflict (order_id) do nothing`.execute(trx);
      } else {
        await sql`update ledger_orders o set ${sql.raw(MUTABLE.map((c) => `${c} = v.${c}`).join(', '))}
          from unnest(${sql.join(arrays)}) as v(${sql.raw(columns.join(', '))}) where o.order_id = v.order_id`.execute(trx);
      }
    }
  }

  /** Settlement's write: status, time and shares only. */
  async function markSettled(trx: Trx, orders: LedgerOrder[], at: string) {
    if (!orders.length) return;
    await applyPending(trx, orders, () => [], 'update');
    const s = raw();
    if (s) {
      for (const o of orders) s.settled.run(at, JSON.stringify(o.settled_shares), o.order_id);
      return;
    }
    for (let i = 0; i < orders.length; i += 10_000) {
      const chunk = orders.slice(i, i + 10_000);
      await sql`update ledger_orders o set status = 'settled', settled_at = ${at}, settled_shares = v.shares
        from unnest(${chunk.map((o) => o.order_id)}::text[], ${chunk.map((o) => JSON.stringify(o.settled_shares))}::text[]) as v(order_id, shares) where o.order_id = v.order_id`.execute(trx);
    }
  }

  /** order.completed's write: the settlement clock only (the pending shares do not depend on it). */
  async function markCompleted(trx: Trx, orders: LedgerOrder[]) {
    if (!orders.length) return;
    const s = raw();
    if (s) {
      for (const o of orders) s.completed.run(o.completed_at, o.settle_after, o.order_id);
      return;
    }
    for (let i = 0; i < orders.length; i += 10_000) {
      const chunk = orders.slice(i, i + 10_000);
      await sql`update ledger_orders o set completed_at = v.completed_at, settle_after = v.settle_after
        from unnest(${chunk.map((o) => o.order_id)}::text[], ${chunk.map((o) => o.completed_at)}::text[], ${chunk.map((o) => o.settle_after)}::text[]) as v(order_id, completed_at, settle_after)
        where o.order_id = v.order_id`.execute(trx);
    }
  }

  return { load, markSettled, markCompleted, insert: (trx: Trx, orders: LedgerOrder[]) => write(trx, orders, 'insert'), update: (trx: Trx, orders: LedgerOrder[]) => write(trx, orders, 'update') };
}

export type LedgerOrders = ReturnType<typeof createLedgerOrders>;
