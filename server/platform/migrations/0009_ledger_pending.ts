import { sql, type Kysely } from 'kysely';

// Each party's orders still in clearing, for the "pending settlement" figure of its statement
// (server/ledger/index.ts). Partial: a settled order leaves the index, so it stays the size of what
// is in clearing, however long the journal grows.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ['brand_org_id', 'streamer_id', 'mcn_org_id'] as const) {
    await db.schema.createIndex(`ledger_orders_pending_${column}`).on('ledger_orders').column(column).where(sql.ref('status'), '=', 'pending').execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['brand_org_id', 'streamer_id', 'mcn_org_id'] as const) await db.schema.dropIndex(`ledger_orders_pending_${column}`).execute();
}
