import { sql, type Kysely } from 'kysely';

// Each party's "pending settlement" figure (server/ledger/index.ts) as a kept total per account, changed by
// deltas in the transaction that writes the orders, like the balances: ledger_pending(account_id,
// pending_fen, orders). It replaces 0009's three partial indexes of pending orders by brand, streamer and
// MCN, which every settled order had to leave: a settlement batch of 5,000 orders deleted entries spread
// over ~1,000 streamers' pages, which doubled the cost of its commit on SQLite (docs/BENCHMARKS.md).
// The totals start from the pending orders as they are; store.verify() compares them with the orders.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ledger_pending')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('pending_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('orders', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await rebuildPendingTotals(db);
  for (const column of ['brand_org_id', 'streamer_id', 'mcn_org_id'] as const) await db.schema.dropIndex(`ledger_orders_pending_${column}`).execute();
}

/** The totals recomputed from the pending orders (the migration's start; a repair if they were ever lost). */
export async function rebuildPendingTotals(db: Kysely<unknown>): Promise<void> {
  await sql`delete from ledger_pending`.execute(db);
  await sql`insert into ledger_pending (account_id, pending_fen, orders)
    select 'brand:' || brand_org_id, sum(pending_brand_fen), count(*) from ledger_orders where status = 'pending' group by brand_org_id`.execute(db);
  await sql`insert into ledger_pending (account_id, pending_fen, orders)
    select 'streamer:' || streamer_id, sum(pending_streamer_fen), count(*) from ledger_orders where status = 'pending' and streamer_id is not null group by streamer_id`.execute(db);
  await sql`insert into ledger_pending (account_id, pending_fen, orders)
    select 'mcn:' || mcn_org_id, sum(pending_mcn_fen), count(*) from ledger_orders where status = 'pending' and mcn_org_id is not null group by mcn_org_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['brand_org_id', 'streamer_id', 'mcn_org_id'] as const) {
    await db.schema.createIndex(`ledger_orders_pending_${column}`).on('ledger_orders').column(column).where(sql.ref('status'), '=', 'pending').execute();
  }
  await db.schema.dropTable('ledger_pending').execute();
}
