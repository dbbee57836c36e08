import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Full-text search over products, live sessions, streamers and brands (docs/SEARCH.md).
//
// One row of search_docs per searchable thing: `text` is its name or title (for sessions and brands,
// a line break and its description too), with A–Z folded to a–z (nothing else, so both databases
// fold alike) and cut to 256 characters. Two indexes over it:
// - queries of 3 or more characters: trigrams (SQLite FTS5 `trigram`, PostgreSQL pg_trgm GIN);
// - queries of 1 or 2 characters, which a trigram index cannot serve (and the usual Chinese query,
//   月饼 口红 面霜, is two characters): every character and every pair of neighbouring characters
//   of the text (`grams`), in an FTS5 unicode61 table on SQLite (each gram spelt as the hex of its
//   UTF-8 bytes, so that punctuation and rare characters are tokens too) and a GIN array index on
//   PostgreSQL.
// Each row also carries what a search filters and sorts on, so that the rows an index finds are
// ordered without reading the source tables: `name` (the folded name or title, for "exact match
// first"), `visible` (on sale with a SKU and an approved brand; an approved brand or streamer; a
// session a viewer may open), `status_rank` (live 0, scheduled 1, ended 2) and `sort_at` (newest
// first). Triggers on the source tables (products, skus, live_sessions, organisations,
// streamer_profiles, users) keep every row current whatever code path writes them; rows that exist
// now are indexed below.

/** How much of a thing's text is searched (names and titles are ≤ 60 characters; descriptions are cut). */
const MAX_CHARS = 256;

type Kind = 'product' | 'session' | 'brand' | 'streamer';
type Flavour = 'sqlite' | 'postgres';

/**
 * The search_docs row of each thing `where` picks, as a SELECT (kind, ref_id, text, name, visible,
 * status_rank, sort_at). A–Z are folded to a–z and nothing else: SQLite's lower() and PostgreSQL's
 * translate() then agree on every character.
 */
function docSelect(flavour: Flavour, kind: Kind, where: string) {
  const fold = (e: string) => (flavour === 'sqlite' ? `lower(${e})` : `search_fold(${e})`);
  const text = (name: string, description?: string) =>
    `substr(${fold(name)}${description ? ` || ${flavour === 'sqlite' ? 'char(10)' : 'chr(10)'} || ${fold(description)}` : ''}, 1, ${MAX_CHARS})`;
  switch (kind) {
    case 'product':
      // A product by its title only: descriptions repeat the same boilerplate (包邮, 七天无理由, 限时秒杀)
      // over a fifth of all products, which would find them all and say nothing.
      return `select 'product' as kind, p.id as ref_id, ${text('p.title')} as text, ${fold('p.title')} as name,
          case when p.status = 'on_sale' and o.kind = 'brand' and o.status = 'approved' and exists (select 1 from skus k where k.product_id = p.id) then 1 else 0 end as visible,
          0 as status_rank, p.created_at as sort_at
        from products p join organisations o on o.id = p.brand_org_id where ${where}`;
    case 'session':
      return `select 'session' as kind, s.id as ref_id, ${text('s.title', 's.description')} as text, ${fold('s.title')} as name,
          case when s.status in ('live', 'scheduled', 'ended') and (s.ended_reason is null or s.ended_reason <> 'cut_off') then 1 else 0 end as visible,
          case s.status when 'live' then 0 when 'scheduled' then 1 else 2 end as status_rank, s.scheduled_at as sort_at
        from live_sessions s where ${where}`;
    case 'brand':
      return `select 'brand' as kind, o.id as ref_id, ${text('o.name', 'o.description')} as text, ${fold('o.name')} as name,
          case when o.status = 'approved' then 1 else 0 end as visible, 0 as status_rank, o.created_at as sort_at
        from organisations o where o.kind = 'brand' and ${where}`;
    case 'streamer':
      return `select 'streamer' as kind, u.id as ref_id, ${text('u.display_name')} as text, ${fold('u.display_name')} as name,
          case when sp.status = 'approved' then 1 else 0 end as visible, 0 as status_rank, '' as sort_at
        from streamer_profiles sp join users u on u.id = sp.user_id where ${where}`;
  }
}

const COLUMNS = ['text', 'name', 'visible', 'status_rank', 'sort_at'];

/** Inserts or brings up to date the search_docs rows of the things `where` picks. */
function refresh(flavour: Flavour, kind: Kind, where: string) {
  const grams =
    flavour === 'sqlite'
      ? // Every 1- and 2-character gram, each as the hex of its UTF-8 bytes, space-separated.
        `coalesce((select group_concat(hex(substr(x.text, n, 1)) || ' ' || hex(substr(x.text, n, 2)), ' ') from search_numbers where n <= length(x.text)), '')`
      : 'search_grams(x.text)';
  const set = [...COLUMNS, 'grams'].map((c) => `${c} = excluded.${c}`).join(', ');
  // PostgreSQL: an unchanged row is not rewritten (no dead tuple, no index entries).
  const changed = flavour === 'postgres' ? ` where (${COLUMNS.map((c) => `search_docs.${c}`).join(', ')}) is distinct from (${COLUMNS.map((c) => `excluded.${c}`).join(', ')})` : '';
  return `insert into search_docs (kind, ref_id, text, grams, name, visible, status_rank, sort_at)
    select x.kind, x.ref_id, x.text, ${grams}, x.name, x.visible, x.status_rank, x.sort_at from (${docSelect(flavour, kind, where)}) x where true
    on conflict (kind, ref_id) do update set ${set}${changed};`;
}

const forget = (kind: Kind, ref: string) => `delete from search_docs where kind = '${kind}' and ref_id = ${ref};`;

/** What each source table's changes refresh: [trigger name, SQLite event, statements over new/old]. */
function triggers(flavour: Flavour): { table: string; event: string; when?: string; body: string[] }[] {
  const r = (kind: Kind, where: string) => refresh(flavour, kind, where);
  return [
    { table: 'products', event: 'insert', body: [r('product', 'p.id = new.id')] },
    { table: 'products', event: 'update of title, status, brand_org_id, created_at', body: [r('product', 'p.id = new.id')] },
    { table: 'products', event: 'delete', body: [forget('product', 'old.id')] },
    // A product with no SKU is not shown.
    { table: 'skus', event: 'insert', body: [r('product', 'p.id = new.product_id')] },
    { table: 'skus', event: 'update of product_id', body: [r('product', 'p.id = new.product_id'), r('product', 'p.id = old.product_id')] },
    { table: 'skus', event: 'delete', body: [r('product', 'p.id = old.product_id')] },
    // Not on every update: heartbeats and stream health rewrite live sessions every few seconds.
    { table: 'live_sessions', event: 'insert', body: [r('session', 's.id = new.id')] },
    { table: 'live_sessions', event: 'update of title, description, status, ended_reason, scheduled_at', body: [r('session', 's.id = new.id')] },
    { table: 'live_sessions', event: 'delete', body: [forget('session', 'old.id')] },
    { table: 'organisations', event: 'insert', body: [r('brand', 'o.id = new.id')] },
    {
      table: 'organisations',
      event: 'update of name, description, status, kind',
      body: [r('brand', 'o.id = new.id'), `delete from search_docs where kind = 'brand' and ref_id = new.id and new.kind <> 'brand';`],
    },
    // A brand's review decides whether its products show.
    { table: 'organisations', event: 'update of status, kind', body: [r('product', 'p.brand_org_id = new.id')] },
    { table: 'organisations', event: 'delete', body: [forget('brand', 'old.id')] },
    { table: 'streamer_profiles', event: 'insert', body: [r('streamer', 'sp.user_id = new.user_id')] },
    { table: 'streamer_profiles', event: 'update of status', body: [r('streamer', 'sp.user_id = new.user_id')] },
    { table: 'streamer_profiles', event: 'delete', body: [forget('streamer', 'old.user_id')] },
    { table: 'users', event: 'update of display_name', body: [r('streamer', 'sp.user_id = new.id')] },
  ];
}

const KINDS: Kind[] = ['product', 'session', 'brand', 'streamer'];

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // Joins from a match to what it finds: a product's sessions, a brand's sessions, a streamer's followers.
  await db.schema.createIndex('search_session_products_product').on('session_products').columns(['product_id', 'session_id']).execute();
  await db.schema.createIndex('search_live_sessions_brand').on('live_sessions').column('brand_org_id').execute();
  await db.schema.createIndex('search_follows_streamer').on('follows').column('streamer_id').execute();
  if (postgres) await upPostgres(db);
  else await upSqlite(db);
}

async function run(db: Kysely<unknown>, statements: string[]) {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const DOC_COLUMNS = `kind text not null, ref_id text not null, text text not null, name text not null,
  visible integer not null default 0, status_rank integer not null default 0, sort_at text not null default ''`;

async function upSqlite(db: Kysely<unknown>) {
  const statements = [
    `create table search_docs (doc_id integer primary key, ${DOC_COLUMNS}, grams text not null default '')`,
    `create unique index search_docs_ref on search_docs (kind, ref_id)`,
    `create table search_numbers (n integer primary key)`,
    `with recursive k(n) as (select 1 union all select n + 1 from k where n < ${MAX_CHARS}) insert into search_numbers (n) select n from k`,
    // External-content FTS5 tables over search_docs: they hold only the indexes.
    `create virtual table search_trigrams using fts5(text, content='search_docs', content_rowid='doc_id', tokenize='trigram case_sensitive 1')`,
    `create virtual table search_grams using fts5(grams, content='search_docs', content_rowid='doc_id', tokenize='unicode61', detail='none')`,
    `create trigger search_docs_ai after insert on search_docs begin
       insert into search_trigrams (rowid, text) values (new.doc_id, new.text);
       insert into search_grams (rowid, grams) values (new.doc_id, new.grams);
     end`,
    `create trigger search_docs_ad after delete on search_docs begin
       insert into search_trigrams (search_trigrams, rowid, text) values ('delete', old.doc_id, old.text);
       insert into search_grams (search_grams, rowid, grams) values ('delete', old.doc_id, old.grams);
     end`,
    // Only a changed text is indexed again (grams follow the text).
    `create trigger search_docs_au after update of text, grams on search_docs when old.text is not new.text or old.grams is not new.grams begin
       insert into search_trigrams (search_trigrams, rowid, text) values ('delete', old.doc_id, old.text);
       insert into search_grams (search_grams, rowid, grams) values ('delete', old.doc_id, old.grams);
       insert into search_trigrams (rowid, text) values (new.doc_id, new.text);
       insert into search_grams (rowid, grams) values (new.doc_id, new.grams);
     end`,
  ];
  triggers('sqlite').forEach((t, i) => {
    statements.push(`create trigger search_${t.table}_${i} after ${t.event} on ${t.table} begin ${t.body.join('\n')} end`);
  });
  for (const kind of KINDS) statements.push(refresh('sqlite', kind, '1 = 1'));
  await run(db, statements);
}

/** The schema pg_trgm lives in: installed into public unless it is there already (in any schema). */
async function ensurePgTrgm(db: Kysely<unknown>): Promise<string> {
  // Extensions belong to the database, not to a schema: several deployments (and test runs) share
  // one, and two may create it at once (the loser's unique_violation is swallowed). Without the right
  // to create in public (PostgreSQL 15 took it from non-owners), the current schema is used.
  await sql
    .raw(
      `do $$ begin
         if not exists (select 1 from pg_extension where extname = 'pg_trgm') then
           begin
             create extension pg_trgm with schema public;
           exception
             when unique_violation or duplicate_object then null;
             when insufficient_privilege or invalid_schema_name then create extension if not exists pg_trgm;
           end;
         end if;
       end $$`,
    )
    .execute(db);
  const row = await sql<{ schema: string }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
  return row.rows[0]!.schema;
}

async function upPostgres(db: Kysely<unknown>) {
  const trgmSchema = await ensurePgTrgm(db);
  const quoted = `"${trgmSchema.replace(/"/g, '""')}"`;
  const statements = [
    // fillfactor: room on each page for a row's new version when only visible or a sort key changes (a
    // HOT update, which touches no index), as a sale status or a brand's review does.
    `create table search_docs (doc_id bigserial primary key, ${DOC_COLUMNS}, grams text[] not null default '{}') with (fillfactor = 80)`,
    `create unique index search_docs_ref on search_docs (kind, ref_id)`,
    // fastupdate off: no pending list that every search would read through until the next vacuum.
    `create index search_docs_trigrams on search_docs using gin (text ${quoted}.gin_trgm_ops) with (fastupdate = off)`,
    `create index search_docs_grams on search_docs using gin (grams) with (fastupdate = off)`,
    // A–Z only, as SQLite's lower(): both databases fold the same characters.
    `create function search_fold(t text) returns text language sql immutable parallel safe
       as $$ select translate(t, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') $$`,
    `create function search_grams(t text) returns text[] language sql immutable parallel safe
       as $$ select coalesce(array_agg(distinct g), '{}') from (
         select substr(t, n, 1) as g from generate_series(1, length(t)) n
         union all select substr(t, n, 2) from generate_series(1, length(t)) n) s $$`,
  ];
  const byTable = new Map<string, { event: string; body: string[] }[]>();
  for (const t of triggers('postgres')) byTable.set(t.table, [...(byTable.get(t.table) ?? []), t]);
  for (const [table, list] of byTable) {
    list.forEach((t, i) => {
      const op = t.event.split(' ')[0]!.toUpperCase();
      statements.push(
        `create function search_${table}_${i}() returns trigger language plpgsql set search_path from current as $$
         begin
           ${t.body.join('\n')}
           return ${op === 'DELETE' ? 'old' : 'new'};
         end $$`,
        `create trigger search_${table}_${i} after ${t.event} on ${table} for each row execute function search_${table}_${i}()`,
      );
    });
  }
  for (const kind of KINDS) statements.push(refresh('postgres', kind, '1 = 1'));
  await run(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const all = triggers(postgres ? 'postgres' : 'sqlite');
  if (postgres) {
    const seen = new Map<string, number>();
    for (const t of all) {
      const i = seen.get(t.table) ?? 0;
      seen.set(t.table, i + 1);
      await sql.raw(`drop trigger if exists search_${t.table}_${i} on ${t.table}`).execute(db);
      await sql.raw(`drop function if exists search_${t.table}_${i}()`).execute(db);
    }
    await run(db, ['drop table search_docs', 'drop function search_grams(text)', 'drop function search_fold(text)']);
  } else {
    for (let i = 0; i < all.length; i++) await sql.raw(`drop trigger if exists search_${all[i]!.table}_${i}`).execute(db);
    await run(db, ['drop table search_grams', 'drop table search_trigrams', 'drop table search_docs', 'drop table search_numbers']);
  }
  await db.schema.dropIndex('search_follows_streamer').execute();
  await db.schema.dropIndex('search_live_sessions_brand').execute();
  await db.schema.dropIndex('search_session_products_product').execute();
}
