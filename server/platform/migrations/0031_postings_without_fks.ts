import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * On PostgreSQL the journal's postings drop their two foreign keys (to ledger_transfers and
 * ledger_accounts). Each was a trigger per posting row that also locked the referenced row (FOR KEY
 * SHARE): 6.6 s of a 24.7 s settlement run at 200,000 orders (bench:ledger). Every posting is written by
 * store.post() in the transaction that writes its transfer and, first, its accounts; store.verify()
 * checks that none names a missing transfer or account (docs/LEDGER.md, invariants). SQLite keeps them:
 * they cost it little, and dropping one there means rebuilding the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`alter table ledger_postings drop constraint if exists ledger_postings_transfer_id_fkey`.execute(db);
  await sql`alter table ledger_postings drop constraint if exists ledger_postings_account_id_fkey`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`alter table ledger_postings add constraint ledger_postings_transfer_id_fkey foreign key (transfer_id) references ledger_transfers (id)`.execute(db);
  await sql`alter table ledger_postings add constraint ledger_postings_account_id_fkey foreign key (account_id) references ledger_accounts (id)`.execute(db);
}
