import { sql, type Kysely } from 'kysely';

// Studio bookings charged through the ledger (docs/BASES.md, "Charging"): `charged_at` is when the
// booking's money was posted, the studio time (`studio-fee:<id>`) once its end has passed or the
// late-cancellation fee (`studio-cancel-fee:<id>`) when it was cancelled. The sweep finds the bookings
// still to charge through a partial index. The base's account `base:<orgId>` needs no schema change
// (ledger_accounts.kind is text without a CHECK).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('studio_bookings').addColumn('charged_at', 'text').execute();
  await sql`create index studio_bookings_uncharged on studio_bookings (ends_at) where charged_at is null`.execute(db);
  // Not retroactive: bookings that had already ended, or been cancelled, when Zhibo was upgraded were
  // settled outside it (the base's own invoices), so they are marked charged now, with nothing posted.
  const at = new Date().toISOString();
  await sql`update studio_bookings set charged_at = ${at} where charged_at is null and (status = 'cancelled' or ends_at <= ${at})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists studio_bookings_uncharged`.execute(db);
  await db.schema.alterTable('studio_bookings').dropColumn('charged_at').execute();
}
