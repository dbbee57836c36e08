import { sql, type Kysely } from 'kysely';
import { pendingShares, toLedgerOrder } from '../../ledger/orders.ts';
import type { LedgerOrdersTable } from '../db-types.ts';

// Two rules that finish issue 11.
//
// Revocable approvals (docs/COOPERATION.md "Revoking an approval"): a brand may revoke an approved
// application; the row keeps its agreed rate and says when and by whom it was revoked (the reason
// goes in `reason`, as a rejection's does). A revoked row leaves the partial unique index of open
// applications (status pending or approved), so the streamer may apply again.
//
// The statements' "pending settlement" as an indexed sum (docs/LEDGER.md): each pending ledger order
// keeps what settlement would pay the brand, the streamer and the MCN now (server/ledger/orders.ts
// pendingShares, rewritten with every change of the row), so the figure is one SQL sum over 0009's
// partial index of the party's pending orders, with no row parsed in JavaScript. (A covering index
// (party, share) made the SQLite read faster still but the writes of the ledger's hot path slower:
// docs/LEDGER.md has the numbers.)
const SHARES = ['pending_brand_fen', 'pending_streamer_fen', 'pending_mcn_fen'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cooperation_applications').addColumn('revoked_at', 'text').execute();
  await db.schema.alterTable('cooperation_applications').addColumn('revoked_by', 'text').execute();

  for (const share of SHARES) await db.schema.alterTable('ledger_orders').addColumn(share, 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await backfillPendingShares(db);
}

/** Gives the orders already in clearing their shares, computed as the ledger computes them (exported for its test). */
export async function backfillPendingShares(db: Kysely<unknown>): Promise<void> {
  let after = '';
  for (;;) {
    const { rows } = await sql<LedgerOrdersTable>`select * from ledger_orders where status = 'pending' and order_id > ${after} order by order_id limit 1000`.execute(db);
    if (!rows.length) break;
    for (const row of rows) {
      const s = pendingShares(toLedgerOrder(row));
      await sql`update ledger_orders set pending_brand_fen = ${s.pending_brand_fen}, pending_streamer_fen = ${s.pending_streamer_fen}, pending_mcn_fen = ${s.pending_mcn_fen} where order_id = ${row.order_id}`.execute(db);
    }
    after = rows[rows.length - 1]!.order_id;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const share of SHARES) await db.schema.alterTable('ledger_orders').dropColumn(share).execute();
  await db.schema.alterTable('cooperation_applications').dropColumn('revoked_by').execute();
  await db.schema.alterTable('cooperation_applications').dropColumn('revoked_at').execute();
}
