import type { ExpressionBuilder } from 'kysely';
import type { Logger } from 'pino';
import { ACCOUNTS, type PlannedTransfer } from '../ledger/postings.ts';
import type { LedgerStore, Trx } from '../ledger/store.ts';
import type { Withdrawals } from '../ledger/withdrawals.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import type { Database, StudioBookingsTable } from '../platform/db-types.ts';

export type FeesDeps = { db: Db; dialect: Dialect; clock: Clock; ledger: Pick<LedgerStore, 'post' | 'balanceOf' | 'statement'>; withdrawals: Pick<Withdrawals, 'list'>; logger?: Logger };

/** What a booking still owes: its studio time once ended (not cancelled), or a late-cancellation fee. */
const owing = (at: string) => (eb: ExpressionBuilder<Database, 'studio_bookings'>) =>
  eb.or([eb.and([eb('status', '=', 'booked'), eb('ends_at', '<=', at)]), eb.and([eb('status', '=', 'cancelled'), eb('cancel_fee_fen', '>', 0)])]);

type Charged = Pick<StudioBookingsTable, 'id' | 'base_org_id' | 'booked_by' | 'booker_org_id' | 'price_fen' | 'cancel_fee_fen' | 'status'>;

/** The ledger key of what a booking is charged: its studio time, or its late-cancellation fee once cancelled. */
export const chargeKey = (b: Pick<StudioBookingsTable, 'id' | 'status'>) => (b.status === 'cancelled' ? `studio-cancel-fee:${b.id}` : `studio-fee:${b.id}`);

/**
 * Studio bookings charged through the ledger (docs/BASES.md, "Charging"): the booker pays the base.
 * The booker's account is the organisation the booking was made for (`brand:<id>` or `mcn:<id>`), else
 * the booking user's own (`streamer:<userId>`); the base's is `base:<orgId>`. Two transfers, each keyed
 * by the booking so it is posted once whatever happens:
 *
 * - `studio-fee:<bookingId>` (kind `studio_fee`): the studio time, booker −price, base +price, posted by
 *   the sweep once the booking's end has passed and it was not cancelled;
 * - `studio-cancel-fee:<bookingId>` (kind `studio_cancel_fee`): a late cancellation's fee, booker −fee,
 *   base +fee, posted in the cancellation's own transaction.
 *
 * Either way the booking's `charged_at` is set in the same transaction as the posting. The booker's
 * balance may go below zero: the fee is netted against their future proceeds (withdrawals never exceed
 * the balance, so a negative one withdraws nothing).
 */
export function createStudioFees(deps: FeesDeps) {
  const { db, clock, ledger } = deps;
  const now = () => clock.now().toISOString();

  /** Each booker organisation's kind (brand or mcn), for the account its bookings are charged to. */
  async function orgKinds(rows: Pick<Charged, 'booker_org_id'>[], q: Trx | Db = db) {
    const ids = [...new Set(rows.flatMap((r) => (r.booker_org_id ? [r.booker_org_id] : [])))];
    const orgs = ids.length ? await q.selectFrom('organisations').select(['id', 'kind']).where('id', 'in', ids).execute() : [];
    return new Map(orgs.map((o) => [o.id, o.kind as string]));
  }

  function bookerAccount(b: Pick<Charged, 'booked_by' | 'booker_org_id'>, kinds: Map<string, string>) {
    if (!b.booker_org_id) return ACCOUNTS.streamer(b.booked_by);
    return kinds.get(b.booker_org_id) === 'mcn' ? ACCOUNTS.mcn(b.booker_org_id) : ACCOUNTS.brand(b.booker_org_id);
  }

  /** The transfer of a booking's money: its studio time when still booked, its cancellation fee when cancelled; null when nothing is owed. */
  function transferOf(b: Charged, kinds: Map<string, string>): PlannedTransfer | null {
    const cancelled = b.status === 'cancelled';
    const amount = Number(cancelled ? b.cancel_fee_fen : b.price_fen);
    if (amount <= 0) return null;
    return {
      key: chargeKey(b),
      kind: cancelled ? 'studio_cancel_fee' : 'studio_fee',
      orderId: null,
      eventId: null,
      memo: cancelled ? '直播间预订取消费 studio late-cancellation fee' : '直播间租用费 studio booking fee',
      postings: [
        { accountId: bookerAccount(b, kinds), amountFen: -amount },
        { accountId: ACCOUNTS.base(b.base_org_id), amountFen: amount },
      ],
    };
  }

  /** Posts, in the caller's transaction, what these bookings (just claimed by that transaction) owe. */
  async function post(trx: Trx, rows: Charged[], at: string) {
    if (!rows.length) return;
    const kinds = await orgKinds(rows, trx);
    const transfers = rows.flatMap((r) => transferOf(r, kinds) ?? []);
    if (transfers.length) await ledger.post(trx, transfers, at);
  }

  /**
   * The sweep: charges bookings whose end has passed (not cancelled), and late-cancellation fees not
   * charged yet (those recorded before migration 0030), `batch` at a time. Each batch is claimed in the transaction that posts it: selected (on PostgreSQL
   * `for update skip locked`, so another node's batch is skipped rather than waited for) and marked by a
   * conditional update (`charged_at` still null), so two nodes sweeping at once charge each booking once;
   * the transfer keys are a second guard. Answers how many were charged.
   */
  async function chargeDue(batch = 200, maxBatches = 50): Promise<number> {
    let charged = 0;
    for (let turn = 0; turn < maxBatches; turn++) {
      const at = now();
      const [claimed, seen] = await db.transaction().execute(async (trx) => {
        let due = trx.selectFrom('studio_bookings').select('id').where('charged_at', 'is', null).where(owing(at)).orderBy('ends_at').orderBy('id').limit(batch);
        // PostgreSQL: rows another node is charging right now are skipped, not waited for.
        if (deps.dialect === 'postgres') due = due.forUpdate().skipLocked();
        const ids = (await due.execute()).map((d) => d.id);
        if (!ids.length) return [0, 0] as const;
        const rows = await trx
          .updateTable('studio_bookings')
          .set({ charged_at: at })
          .where('id', 'in', ids)
          .where('charged_at', 'is', null)
          .where(owing(at))
          .returning(['id', 'base_org_id', 'booked_by', 'booker_org_id', 'price_fen', 'cancel_fee_fen', 'status'])
          .execute();
        await post(trx, rows, at);
        return [rows.length, ids.length] as const;
      });
      charged += claimed;
      if (seen < batch) break;
    }
    return charged;
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  const sweep = () => {
    running ??= chargeDue()
      .catch((err: unknown) => deps.logger?.warn({ err }, 'bases: charging studio bookings failed; the next turn retries'))
      .finally(() => {
        running = null;
      });
    return running;
  };

  return {
    post,
    chargeDue,
    /**
     * The base's studio income: its account's balance, what each kind brought in (and the refunds it gave
     * back), what is still to charge, its withdrawals, the latest entries. balanceFen = studioFeesFen +
     * cancelFeesFen − refundsFen − inWithdrawalFen − withdrawnFen.
     */
    async income(baseOrgId: string, limit = 20) {
      const accountId = ACCOUNTS.base(baseOrgId);
      const [balanceFen, totals, pending, statement, withdrawals, byStatus] = await Promise.all([
        ledger.balanceOf(accountId),
        db
          .selectFrom('ledger_postings')
          .innerJoin('ledger_transfers', 'ledger_transfers.id', 'ledger_postings.transfer_id')
          .select(['ledger_transfers.kind', (eb) => eb.fn.sum<number>('ledger_postings.amount_fen').as('sum')])
          .where('ledger_postings.account_id', '=', accountId)
          .groupBy('ledger_transfers.kind')
          .execute(),
        db
          .selectFrom('studio_bookings')
          .select([(eb) => eb.fn.sum<number>('price_fen').as('sum'), (eb) => eb.fn.countAll<number>().as('n')])
          .where('base_org_id', '=', baseOrgId)
          .where('status', '=', 'booked')
          .where('charged_at', 'is', null)
          .executeTakeFirst(),
        ledger.statement(accountId, {}, limit),
        // The ledger's own withdrawals of this account (requested through /api/orgs/:orgId/ledger/withdrawals).
        deps.withdrawals.list({ accountId }, 50),
        db.selectFrom('ledger_withdrawals').select(['status', (eb) => eb.fn.sum<number>('amount_fen').as('sum')]).where('account_id', '=', accountId).groupBy('status').execute(),
      ]);
      const total = (kind: string) => Number(totals.find((t) => t.kind === kind)?.sum ?? 0);
      const withdrawn = (...statuses: string[]) => byStatus.filter((w) => statuses.includes(w.status)).reduce((s, w) => s + Number(w.sum), 0);
      return {
        accountId,
        balanceFen,
        studioFeesFen: total('studio_fee'),
        cancelFeesFen: total('studio_cancel_fee'),
        /** Given back to bookers (studio-refund:<bookingId>:<n>), as a positive amount. */
        refundsFen: 0 - total('studio_refund'),
        /** Held for withdrawals not paid out yet (requested or approved), and paid out. */
        inWithdrawalFen: withdrawn('requested', 'approved'),
        withdrawnFen: withdrawn('paid'),
        /** The latest 50, newest first. */
        withdrawals,
        /** Live bookings not charged yet (their end has not passed, or the sweep has not reached them). */
        toChargeFen: Number(pending?.sum ?? 0),
        toChargeBookings: Number(pending?.n ?? 0),
        entries: statement.entries,
      };
    },
    /** The sweep: once at start (awaited), then every `everyMs` (a booking is charged within that of its end). */
    async start(everyMs = 300_000) {
      await sweep();
      timer ??= setInterval(() => void sweep(), everyMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}

export type StudioFees = ReturnType<typeof createStudioFees>;
