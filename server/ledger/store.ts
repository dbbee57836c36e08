import type BetterSqlite from 'better-sqlite3';
import { sql, type Transaction } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db-types.ts';
import type { Db, Dialect } from '../platform/db.ts';
import { journalId } from './ids.ts';
import { describeAccount, sumOf, type PlannedTransfer } from './postings.ts';

export type Trx = Transaction<Database>;

export type StoreDeps = { db: Db; dialect: Dialect; sqlite?: BetterSqlite.Database; clock: Clock };

/**
 * The journal: transfers, their postings, and the accounts' balances kept alongside. Transfers are
 * immutable and idempotent by key: posting a key that exists posts nothing. Balances change once per
 * account per call (the batch's postings summed in memory first), and can always be recomputed from
 * the postings (verify()).
 *
 * On SQLite the writes go through prepared better-sqlite3 statements on the connection Kysely's
 * transaction holds (the same connection, so they are part of it); on PostgreSQL each table takes
 * one multi-row statement per batch (unnest of arrays).
 */
export function createLedgerStore(deps: StoreDeps) {
  const { db, dialect, sqlite } = deps;

  type Statements = {
    exists: BetterSqlite.Statement<[string], { one: number }>;
    transfer: BetterSqlite.Statement<[string, string, string, string | null, string | null, string, string]>;
    posting: BetterSqlite.Statement<[string, string, number]>;
    account: BetterSqlite.Statement<[string, string, string | null, number, string]>;
  };
  let statements: Statements | null = null;
  function sqliteStatements(): Statements {
    statements ??= {
      exists: sqlite!.prepare('select 1 as one from ledger_transfers where key = ?'),
      transfer: sqlite!.prepare('insert into ledger_transfers (id, key, kind, order_id, event_id, created_at, memo) values (?, ?, ?, ?, ?, ?, ?) on conflict (key) do nothing'),
      posting: sqlite!.prepare('insert into ledger_postings (transfer_id, account_id, amount_fen) values (?, ?, ?)'),
      account: sqlite!.prepare(
        'insert into ledger_accounts (id, kind, owner_id, balance_fen, created_at) values (?, ?, ?, ?, ?) on conflict (id) do update set balance_fen = ledger_accounts.balance_fen + excluded.balance_fen',
      ),
    };
    return statements;
  }
  /** Raw statements only inside the transaction Kysely holds on the one SQLite connection. */
  function raw(): Statements | null {
    if (dialect !== 'sqlite' || !sqlite) return null;
    if (!sqlite.inTransaction) throw new Error('ledger: a journal write outside a transaction');
    return sqliteStatements();
  }

  /** The keys among these that are already posted. */
  async function existingKeys(trx: Trx, keys: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    if (!keys.length) return found;
    const st = raw();
    if (st) {
      for (const key of keys) if (st.exists.get(key)) found.add(key);
      return found;
    }
    for (let i = 0; i < keys.length; i += 10_000) {
      const chunk = keys.slice(i, i + 10_000);
      const rows = await sql<{ key: string }>`select key from ledger_transfers where key = any(${chunk}::text[])`.execute(trx);
      for (const r of rows.rows) found.add(r.key);
    }
    return found;
  }

  /** Adds each account's summed change in one statement (accounts are created on first use), in id order. */
  async function applyDeltas(trx: Trx, deltas: Map<string, number>, at: string) {
    const ids = [...deltas.keys()].sort();
    if (!ids.length) return;
    const st = raw();
    if (st) {
      for (const id of ids) {
        const { kind, ownerId } = describeAccount(id);
        st.account.run(id, kind, ownerId, deltas.get(id)!, at);
      }
      return;
    }
    const described = ids.map(describeAccount);
    await sql`insert into ledger_accounts (id, kind, owner_id, balance_fen, created_at)
      select * from unnest(${ids}::text[], ${described.map((d) => d.kind)}::text[], ${described.map((d) => d.ownerId)}::text[], ${ids.map((id) => deltas.get(id)!)}::bigint[], ${ids.map(() => at)}::text[]) order by 1
      on conflict (id) do update set balance_fen = ledger_accounts.balance_fen + excluded.balance_fen`.execute(trx);
  }

  /**
   * Posts transfers in the caller's transaction; a key already posted posts nothing. Answers the keys
   * that were posted now. Every transfer's postings must sum to 0.
   */
  async function post(trx: Trx, transfers: PlannedTransfer[], at: string): Promise<Set<string>> {
    const posted = new Set<string>();
    if (!transfers.length) return posted;
    for (const t of transfers) {
      if (sumOf(t.postings) !== 0) throw new Error(`ledger: transfer ${t.key} does not balance (${sumOf(t.postings)})`);
      for (const p of t.postings) if (!Number.isSafeInteger(p.amountFen)) throw new Error(`ledger: transfer ${t.key} has a bad amount`);
    }
    // In ascending order, so that the batch's transfers and postings go into their primary-key indexes one
    // after the other instead of at random points of the batch's range (and a statement lists them in the
    // order they were posted).
    const ms = Date.now();
    const ids = transfers.map(() => journalId(ms)).sort();
    const st = raw();
    if (st) {
      transfers.forEach((t, i) => {
        if (posted.has(t.key)) return;
        if (st.transfer.run(ids[i]!, t.key, t.kind, t.orderId, t.eventId, at, t.memo).changes === 1) posted.add(t.key);
      });
    } else {
      for (let i = 0; i < transfers.length; i += 10_000) {
        const chunk = transfers.slice(i, i + 10_000);
        const rows = await sql<{ key: string }>`insert into ledger_transfers (id, key, kind, order_id, event_id, created_at, memo)
          select * from unnest(${ids.slice(i, i + 10_000)}::text[], ${chunk.map((t) => t.key)}::text[], ${chunk.map((t) => t.kind)}::text[], ${chunk.map((t) => t.orderId)}::text[],
            ${chunk.map((t) => t.eventId)}::text[], ${chunk.map(() => at)}::text[], ${chunk.map((t) => t.memo)}::text[])
          on conflict (key) do nothing returning key`.execute(trx);
        for (const r of rows.rows) posted.add(r.key);
      }
    }
    // One transfer per key: a key given twice in one call is posted once.
    const seen = new Set<string>();
    const deltas = new Map<string, number>();
    const pTransfer: string[] = [];
    const pAccount: string[] = [];
    const pAmount: number[] = [];
    transfers.forEach((t, i) => {
      if (!posted.has(t.key) || seen.has(t.key)) return;
      seen.add(t.key);
      for (const p of t.postings) {
        deltas.set(p.accountId, (deltas.get(p.accountId) ?? 0) + p.amountFen);
        pTransfer.push(ids[i]!);
        pAccount.push(p.accountId);
        pAmount.push(p.amountFen);
      }
    });
    // Accounts first: postings refer to them.
    await applyDeltas(trx, deltas, at);
    if (st) {
      for (let i = 0; i < pTransfer.length; i++) st.posting.run(pTransfer[i]!, pAccount[i]!, pAmount[i]!);
    } else {
      for (let i = 0; i < pTransfer.length; i += 30_000) {
        await sql`insert into ledger_postings (transfer_id, account_id, amount_fen)
          select * from unnest(${pTransfer.slice(i, i + 30_000)}::text[], ${pAccount.slice(i, i + 30_000)}::text[], ${pAmount.slice(i, i + 30_000)}::bigint[])`.execute(trx);
      }
    }
    return posted;
  }

  /** Every account's balance recomputed from the postings alone. */
  async function recomputeBalances(): Promise<Map<string, number>> {
    const rows = await db.selectFrom('ledger_postings').select(['account_id', (eb) => eb.fn.sum<number>('amount_fen').as('sum')]).groupBy('account_id').execute();
    return new Map(rows.map((r) => [r.account_id, Number(r.sum)]));
  }

  /**
   * The invariants: the journal sums to 0, every transfer sums to 0, every kept balance equals the sum
   * of its postings, every kept pending total equals the sum over its party's pending orders, and every posting names a transfer and an account that exist (on PostgreSQL the
   * postings carry no foreign keys, for speed: docs/LEDGER.md; this is where that is checked).
   */
  async function verify() {
    const [journal, unbalanced, recomputed, accounts, orphans] = await Promise.all([
      db.selectFrom('ledger_postings').select((eb) => eb.fn.sum<number>('amount_fen').as('sum')).executeTakeFirst(),
      db
        .selectFrom('ledger_postings')
        .select(['transfer_id'])
        .groupBy('transfer_id')
        .having((eb) => eb.fn.sum('amount_fen'), '!=', 0)
        .limit(100)
        .execute(),
      recomputeBalances(),
      db.selectFrom('ledger_accounts').select(['id', 'balance_fen']).execute(),
      db
        .selectFrom('ledger_postings as p')
        .leftJoin('ledger_transfers as t', 't.id', 'p.transfer_id')
        .leftJoin('ledger_accounts as a', 'a.id', 'p.account_id')
        .select(['p.transfer_id', 'p.account_id'])
        .where((eb) => eb.or([eb('t.id', 'is', null), eb('a.id', 'is', null)]))
        .limit(100)
        .execute(),
    ]);
    // The pending totals (ledger_pending, 0033) against the pending orders they sum.
    const expected = new Map<string, { fen: number; n: number }>();
    for (const [party, fen] of [['brand_org_id', 'pending_brand_fen'], ['streamer_id', 'pending_streamer_fen'], ['mcn_org_id', 'pending_mcn_fen']] as const) {
      const prefix = party === 'brand_org_id' ? 'brand:' : party === 'streamer_id' ? 'streamer:' : 'mcn:';
      const rows = await db
        .selectFrom('ledger_orders')
        .select([party, (eb) => eb.fn.sum<number | string>(fen).as('fen'), (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('status', '=', 'pending')
        .where(party, 'is not', null)
        .groupBy(party)
        .execute();
      for (const r of rows) expected.set(`${prefix}${r[party as keyof typeof r]}`, { fen: Number(r.fen), n: Number(r.n) });
    }
    const kept = await db.selectFrom('ledger_pending').selectAll().execute();
    const pendingMismatches: { accountId: string; keptFen: number; keptOrders: number; ordersFen: number; orders: number }[] = [];
    for (const k of kept) {
      const e = expected.get(k.account_id) ?? { fen: 0, n: 0 };
      expected.delete(k.account_id);
      if (Number(k.pending_fen) !== e.fen || Number(k.orders) !== e.n) pendingMismatches.push({ accountId: k.account_id, keptFen: Number(k.pending_fen), keptOrders: Number(k.orders), ordersFen: e.fen, orders: e.n });
    }
    for (const [accountId, e] of expected) pendingMismatches.push({ accountId, keptFen: 0, keptOrders: 0, ordersFen: e.fen, orders: e.n });
    const mismatches: { accountId: string; balanceFen: number; journalFen: number }[] = [];
    for (const a of accounts) {
      const journalFen = recomputed.get(a.id) ?? 0;
      if (Number(a.balance_fen) !== journalFen) mismatches.push({ accountId: a.id, balanceFen: Number(a.balance_fen), journalFen });
    }
    for (const [id, journalFen] of recomputed) if (!accounts.some((a) => a.id === id)) mismatches.push({ accountId: id, balanceFen: 0, journalFen });
    return { journalSum: Number(journal?.sum ?? 0), unbalancedTransfers: unbalanced.map((u) => u.transfer_id), mismatches, orphanPostings: orphans.map((o) => ({ transferId: o.transfer_id, accountId: o.account_id })), pendingMismatches: pendingMismatches.slice(0, 100), accounts: accounts.length };
  }

  /**
   * An account's balance read for a decision in this transaction (a withdrawal, a base's refund): on PostgreSQL
   * the row stays locked to the commit, so two decisions on one account take turns; SQLite has one writer
   * already. Null when the account does not exist yet.
   */
  async function lockedBalance(trx: Trx, accountId: string): Promise<number | null> {
    const rows =
      dialect === 'postgres'
        ? (await sql<{ balance_fen: number }>`select balance_fen from ledger_accounts where id = ${accountId} for update`.execute(trx)).rows
        : await trx.selectFrom('ledger_accounts').select('balance_fen').where('id', '=', accountId).execute();
    return rows[0] ? Number(rows[0].balance_fen) : null;
  }

  async function balanceOf(accountId: string, trx: Trx | Db = db): Promise<number> {
    const row = await trx.selectFrom('ledger_accounts').select('balance_fen').where('id', '=', accountId).executeTakeFirst();
    return Number(row?.balance_fen ?? 0);
  }

  type Entry = { transferId: string; time: string; kind: string; orderId: string | null; memo: string; amountFen: number; balanceAfterFen: number };

  function entriesQuery(accountId: string, from?: string, to?: string) {
    let q = db
      .selectFrom('ledger_postings')
      .innerJoin('ledger_transfers', 'ledger_transfers.id', 'ledger_postings.transfer_id')
      .where('ledger_postings.account_id', '=', accountId);
    if (from) q = q.where('ledger_transfers.created_at', '>=', from);
    if (to) q = q.where('ledger_transfers.created_at', '<', to);
    return q;
  }

  /**
   * An account's statement for a period: the balance before it, the entries (each with the balance
   * after it), the balance at its end. `limit` keeps the newest entries (the CSV passes none).
   */
  async function statement(accountId: string, period: { from?: string; to?: string }, limit?: number) {
    const opening = period.from
      ? Number(
          (
            await db
              .selectFrom('ledger_postings')
              .innerJoin('ledger_transfers', 'ledger_transfers.id', 'ledger_postings.transfer_id')
              .select((eb) => eb.fn.sum<number>('ledger_postings.amount_fen').as('sum'))
              .where('ledger_postings.account_id', '=', accountId)
              .where('ledger_transfers.created_at', '<', period.from)
              .executeTakeFirst()
          )?.sum ?? 0,
        )
      : 0;
    const totals = await entriesQuery(accountId, period.from, period.to)
      .select((eb) => [eb.fn.sum<number>('ledger_postings.amount_fen').as('sum'), eb.fn.countAll<number>().as('n')])
      .executeTakeFirst();
    const closing = opening + Number(totals?.sum ?? 0);
    const count = Number(totals?.n ?? 0);
    const columns = ['ledger_transfers.id as transferId', 'ledger_transfers.created_at as time', 'ledger_transfers.kind', 'ledger_transfers.order_id as orderId', 'ledger_transfers.memo', 'ledger_postings.amount_fen as amountFen'] as const;
    let entries: Entry[];
    if (limit !== undefined) {
      const rows = await entriesQuery(accountId, period.from, period.to).select(columns).orderBy('ledger_transfers.created_at', 'desc').orderBy('ledger_transfers.id', 'desc').limit(limit).execute();
      let balance = closing;
      entries = rows.map((r) => {
        const entry = { ...r, amountFen: Number(r.amountFen), balanceAfterFen: balance };
        balance -= Number(r.amountFen);
        return entry;
      });
    } else {
      const rows = await entriesQuery(accountId, period.from, period.to).select(columns).orderBy('ledger_transfers.created_at').orderBy('ledger_transfers.id').execute();
      let balance = opening;
      entries = rows.map((r) => {
        balance += Number(r.amountFen);
        return { ...r, amountFen: Number(r.amountFen), balanceAfterFen: balance };
      });
    }
    return { openingFen: opening, closingFen: closing, count, entries };
  }

  return { post, existingKeys, applyDeltas, recomputeBalances, verify, balanceOf, lockedBalance, statement };
}

export type LedgerStore = ReturnType<typeof createLedgerStore>;
