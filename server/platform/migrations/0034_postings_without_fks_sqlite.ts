import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * On SQLite the journal's postings lose their two foreign keys, as they did on PostgreSQL in 0031. Each
 * posting's insert looked up its transfer and its account first; store.post() writes every posting in the
 * transaction that writes its transfer and, before the postings, its accounts, and store.verify() reports
 * any posting that names a missing transfer or account (docs/LEDGER.md, invariant 5). Settling 1,000,000
 * orders: docs/BENCHMARKS.md.
 *
 * SQLite cannot drop a foreign key, so the table is rebuilt with the same columns, key and index, and
 * the postings are copied into it (a one-time cost on upgrade: seconds per million postings).
 * PostgreSQL dropped them in 0031; nothing changes there.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await rebuild(db, '');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await rebuild(db, 'references');
}

async function rebuild(db: Kysely<unknown>, keys: '' | 'references') {
  const transfer = sql.raw(keys ? ' references ledger_transfers (id)' : '');
  const account = sql.raw(keys ? ' references ledger_accounts (id)' : '');
  await sql`create table ledger_postings_copy (
    transfer_id text not null${transfer}, account_id text not null${account}, amount_fen bigint not null,
    constraint ledger_postings_pk primary key (transfer_id, account_id))`.execute(db);
  await sql`insert into ledger_postings_copy (transfer_id, account_id, amount_fen) select transfer_id, account_id, amount_fen from ledger_postings order by rowid`.execute(db);
  await sql`drop table ledger_postings`.execute(db);
  await sql`alter table ledger_postings_copy rename to ledger_postings`.execute(db);
  await sql`create index ledger_postings_account on ledger_postings (account_id)`.execute(db);
}
