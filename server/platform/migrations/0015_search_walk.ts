import { PostgresAdapter, sql, type Kysely } from 'kysely';

// The visible sessions in the order search shows them (docs/SEARCH.md, Plans): live, then scheduled,
// then ended, each newest first, ties by id. When a word matches hundreds of products, the sessions
// section walks this index and stops at `limit` instead of visiting every session of every product.
// PostgreSQL: sort_at and ref_id in collation "C", as the search statements order them (byte by
// byte, as SQLite does), or the planner cannot read the index in that order.
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const byBytes = postgres ? ' collate "C"' : '';
  await sql.raw(`create index search_docs_walk on search_docs (kind, visible, status_rank, sort_at${byBytes} desc, ref_id${byBytes})`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index search_docs_walk`.execute(db);
}
