import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration } from 'kysely';
import pg from 'pg';
import type { Database } from './db-types.ts';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_live_video.ts';
import * as m0003 from './migrations/0003_room.ts';
import * as m0004 from './migrations/0004_commerce.ts';
import * as m0005 from './migrations/0005_events.ts';
import * as m0006 from './migrations/0006_ledger.ts';
import * as m0007 from './migrations/0007_cooperation.ts';
import * as m0008 from './migrations/0008_mcn.ts';
import * as m0009 from './migrations/0009_ledger_pending.ts';
import * as m0010 from './migrations/0010_search.ts';
import * as m0011 from './migrations/0011_product_images.ts';
import * as m0012 from './migrations/0012_cockpit.ts';
import * as m0013 from './migrations/0013_cooperation_rules.ts';
import * as m0014 from './migrations/0014_webhooks.ts';
import * as m0015 from './migrations/0015_search_walk.ts';
import * as m0017 from './migrations/0017_analytics.ts';
import * as m0016 from './migrations/0016_live_pins.ts';
import * as m0018 from './migrations/0018_bases.ts';
import * as m0019 from './migrations/0019_training.ts';
import * as m0020 from './migrations/0020_talent.ts';
import * as m0021 from './migrations/0021_product_kinds.ts';
import * as m0022 from './migrations/0022_auctions.ts';
import * as m0026 from './migrations/0026_vouchers.ts';
import * as m0023 from './migrations/0023_launches.ts';
import * as m0027 from './migrations/0027_crossborder.ts';
import * as m0025 from './migrations/0025_presale.ts';
import * as m0028 from './migrations/0028_b2b_origin_exhibitions.ts';
import * as m0024 from './migrations/0024_campaigns.ts';
import * as m0029 from './migrations/0029_practice_lives.ts';
import * as m0030 from './migrations/0030_studio_charges.ts';
import * as m0031 from './migrations/0031_postings_without_fks.ts';
import * as m0032 from './migrations/0032_studio_refunds.ts';
import * as m0033 from './migrations/0033_ledger_pending_totals.ts';
import * as m0034 from './migrations/0034_postings_without_fks_sqlite.ts';
import * as m0035 from './migrations/0035_studio_price_changes.ts';
import * as m0036 from './migrations/0036_base_photos.ts';
import * as m0037 from './migrations/0037_base_programme_years.ts';
import * as m0038 from './migrations/0038_base_photo_captions.ts';
import * as m0039 from './migrations/0039_base_tenant_confirmations.ts';
import * as m0040 from './migrations/0040_base_tenant_withdrawals.ts';
import * as m0041 from './migrations/0041_surplus_payment_refunds.ts';
import * as m0042 from './migrations/0042_ledger_crossborder_tax.ts';
import * as m0043 from './migrations/0043_after_sale_cause.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

/** Migrations in order. Add new ones at the end; never edit one that has shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_live_video': m0002,
  '0003_room': m0003,
  '0004_commerce': m0004,
  '0005_events': m0005,
  '0006_ledger': m0006,
  '0007_cooperation': m0007,
  '0008_mcn': m0008,
  '0009_ledger_pending': m0009,
  '0010_search': m0010,
  '0011_product_images': m0011,
  '0012_cockpit': m0012,
  '0013_cooperation_rules': m0013,
  '0014_webhooks': m0014,
  '0015_search_walk': m0015,
  '0017_analytics': m0017,
  '0016_live_pins': m0016,
  '0018_bases': m0018,
  '0019_training': m0019,
  '0020_talent': m0020,
  '0021_product_kinds': m0021,
  '0026_vouchers': m0026,
  '0023_launches': m0023,
  '0027_crossborder': m0027,
  '0022_auctions': m0022,
  '0025_presale': m0025,
  '0028_b2b_origin_exhibitions': m0028,
  '0024_campaigns': m0024,
  '0029_practice_lives': m0029,
  '0030_studio_charges': m0030,
  '0031_postings_without_fks': m0031,
  '0032_studio_refunds': m0032,
  '0033_ledger_pending_totals': m0033,
  '0034_postings_without_fks_sqlite': m0034,
  '0035_studio_price_changes': m0035,
  '0036_base_photos': m0036,
  '0037_base_programme_years': m0037,
  '0038_base_photo_captions': m0038,
  '0039_base_tenant_confirmations': m0039,
  '0040_base_tenant_withdrawals': m0040,
  '0041_surplus_payment_refunds': m0041,
  '0042_ledger_crossborder_tax': m0042,
  '0043_after_sale_cause': m0043,
};

// int8 (bigint: money sums, counts) comes back as a JS number; fen amounts stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export type DatabaseOptions = {
  /** postgres://… or sqlite:<file>; when absent, `<dataDir>/zhibo.db`. */
  url?: string;
  dataDir: string;
  /** PostgreSQL only: a schema to put every table in (tests give each run its own). */
  schema?: string;
  poolSize?: number;
  /** PostgreSQL: how long to wait for a new connection, and for a statement, before giving up (ms). */
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
  /** Told of a connection lost outside any query (PostgreSQL restarted, pg_terminate_backend): logged, never fatal. */
  onConnectionError?: (error: Error) => void;
  /** SQLite only: the page cache in MiB (SQLITE_CACHE_MB; taken as pages are read, not up front). */
  sqliteCacheMb?: number;
  /** SQLite only: WAL checkpoints every this many ms from a thread of their own; 0: SQLite's own, at commit (SQLITE_CHECKPOINT_MS). */
  sqliteCheckpointMs?: number;
};

/** SQLITE_CACHE_MB's default: also what benchmarks and tools that open the database themselves use. */
export const DEFAULT_SQLITE_CACHE_MB = 256;

export type DatabaseHandle = {
  db: Db;
  dialect: Dialect;
  describe: string;
  close: () => Promise<void>;
  /** SQLite only: the better-sqlite3 handle, for a hot path that runs a whole transaction synchronously. */
  sqlite?: SQLite.Database;
};

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  const url = options.url;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      // 0: no client-side statement timeout (pg reads 0 as unset).
      query_timeout: options.queryTimeoutMs ?? 10_000,
      keepAlive: true,
      options: options.schema ? `-c search_path=${options.schema}` : undefined,
    });
    // A connection that dies while idle in the pool, or while checked out between two statements,
    // emits 'error'; with no listener that ends the process. The pool drops the connection and the
    // next request opens a new one (or answers DATABASE_UNAVAILABLE while the server is away).
    const onError = (error: Error) => options.onConnectionError?.(error);
    pool.on('error', onError);
    pool.on('connect', (client) => client.on('error', onError));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', describe: redactUrl(url), close: () => db.destroy() };
  }
  const file = url?.startsWith('sqlite:') ? url.slice('sqlite:'.length) : path.join(options.dataDir, 'zhibo.db');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a killed process (only a power loss can drop the last commits).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 256 MiB of page cache by default instead of SQLite's 2 MiB: the journal's indexes reach millions of
  // rows, and each posting and settled order touches several of them (the memory is taken as pages are
  // read, not up front). Settling 1,000,000 orders: 85.7 s with 64 MiB (bench:ledger, docs/BENCHMARKS.md).
  sqlite.pragma(`cache_size = -${Math.round((options.sqliteCacheMb ?? DEFAULT_SQLITE_CACHE_MB) * 1024)}`);
  const checkpointMs = options.sqliteCheckpointMs ?? DEFAULT_SQLITE_CHECKPOINT_MS;
  const checkpointer = checkpointMs > 0 && file !== ':memory:' ? startCheckpointer(sqlite, file, checkpointMs) : null;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    describe: `sqlite:${file}`,
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
    sqlite,
  };
}

/** SQLITE_CHECKPOINT_MS's default. */
export const DEFAULT_SQLITE_CHECKPOINT_MS = 200;

/**
 * WAL checkpoints from a thread of their own. SQLite's default runs a checkpoint inside the commit that takes
 * the WAL past 1,000 pages: it copies the WAL into the database file and syncs it, on the node's one thread,
 * so a large transaction paid for it and every request waited. Here a worker thread with its own connection
 * runs a PASSIVE checkpoint every SQLITE_CHECKPOINT_MS (it never waits for or blocks a writer), and the main
 * connection checkpoints at commit only if the WAL reaches 10,000 pages (40 MiB), as a backstop (at 1,000,
 * SQLite's default, if the worker fails).
 */
function startCheckpointer(sqlite: SQLite.Database, file: string, intervalMs: number) {
  sqlite.pragma('wal_autocheckpoint = 10000');
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const Database = require(workerData.driver);
     const db = new Database(workerData.file);
     db.pragma('busy_timeout = 1000');
     const timer = setInterval(() => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} }, workerData.intervalMs);
     parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });`,
    { eval: true, workerData: { driver, file: path.resolve(file), intervalMs } },
  );
  worker.unref();
  // A worker that cannot run (its connection failed to open): SQLite checkpoints at commit again, as by default.
  worker.on('error', () => sqlite.open && sqlite.pragma('wal_autocheckpoint = 1000'));
  return {
    /** Closes the worker's connection. Both the worker and the 2 s deadline are referenced while it stops, so the process waits for it. */
    async stop() {
      worker.ref();
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      let deadline: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (deadline = setTimeout(resolve, 2000)))]);
      clearTimeout(deadline);
      await worker.terminate();
    },
  };
}

/**
 * better-sqlite3 builds each row object in C++, property by property, which costs more than reading the
 * row: 5,000 ledger orders of 23 columns took 49–95 ms as objects and 14–28 ms as arrays mapped by a
 * function compiled once per statement (docs/BENCHMARKS.md, "Rows as arrays"). So statements read rows as
 * arrays, and a function made from the statement's column names builds every row with one shape. A
 * statement whose columns include `__proto__` keeps better-sqlite3's objects.
 */
type RowMapper = { build: (row: unknown[]) => Record<string, unknown> } | null;
const mappers = new WeakMap<SQLite.Statement, RowMapper>();
function mapperOf(statement: SQLite.Statement): RowMapper {
  let mapper = mappers.get(statement);
  if (mapper === undefined) {
    const names = statement.columns().map((c) => c.name);
    // Column names are data here: each becomes a quoted property name (JSON.stringify), never code.
    mapper = names.includes('__proto__') ? null : { build: new Function('r', `return {${names.map((n, i) => `${JSON.stringify(n)}: r[${i}]`).join(', ')}};`) as (row: unknown[]) => Record<string, unknown> };
    statement.raw(mapper !== null);
    mappers.set(statement, mapper);
  }
  return mapper;
}

/** All rows of a reading statement, as objects (see mapperOf). */
export function allRows<T>(statement: SQLite.Statement, ...params: unknown[]): T[] {
  const mapper = mapperOf(statement);
  const rows = statement.all(...params) as unknown[];
  if (!mapper) return rows as T[];
  const out = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = mapper.build(rows[i] as unknown[]) as T;
  return out;
}

/**
 * Kysely's SQLite driver prepares every statement anew, which costs more than running it. The SQL it
 * generates repeats (values are parameters), so prepared statements are kept and reused: better-sqlite3
 * runs them synchronously, one at a time, so a statement is never in use twice. A schema change (a
 * migration's DDL) empties the cache, so no statement keeps the columns of a table as it was before.
 */
function withStatementCache(sqlite: SQLite.Database, size = 2000) {
  type Cached = { reader: boolean; all: (parameters: readonly unknown[]) => unknown[]; run: (parameters: readonly unknown[]) => SQLite.RunResult; iterate: (parameters: readonly unknown[]) => IterableIterator<unknown> };
  const cache = new Map<string, Cached>();
  const wrap = (statement: SQLite.Statement): Cached => ({
    reader: statement.reader,
    all: (parameters) => allRows(statement, parameters),
    run: (parameters) => statement.run(parameters),
    *iterate(parameters) {
      const mapper = mapperOf(statement);
      for (const row of statement.iterate(parameters)) yield mapper ? mapper.build(row as unknown[]) : row;
    },
  });
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) return statement;
      if (/^\s*(create|alter|drop)\b/i.test(sql)) cache.clear();
      statement = wrap(sqlite.prepare(sql));
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
      return statement;
    },
  };
}

export async function migrateToLatest(db: Db, dialect: Dialect = 'sqlite'): Promise<void> {
  await migrateTo(db, dialect);
}

/**
 * Migrates up (or down) to the named migration, or to the latest without one. Tests stop at an older migration to
 * store rows as they were before a later one (test/bases-tenant-migrations.test.ts).
 */
export async function migrateTo(db: Db, dialect: Dialect = 'sqlite', target?: string): Promise<void> {
  if (target !== undefined && !(target in MIGRATIONS)) throw new Error(`No migration ${target}`);
  // On PostgreSQL the migration tables live in the schema in use (search_path): Kysely would otherwise
  // take another schema's kysely_migration table for ours when several deployments share a database.
  const migrationTableSchema =
    dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS }, ...(migrationTableSchema && { migrationTableSchema }) });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = target === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
    const failed = results?.find((r) => r.status === 'Error');
    if (!error && !failed) return;
    // Kysely looks at every schema of the database for its own tables: another deployment sharing the
    // database that drops a schema at that moment fails the lookup before anything ran. Try again.
    const message = error instanceof Error ? error.message : String(error);
    if (dialect === 'postgres' && !failed && attempt < 5 && /does not exist/.test(message)) {
      await new Promise((r) => setTimeout(r, 200 * attempt));
      continue;
    }
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${message}`);
  }
}

/** Throws a readable error when the database does not answer. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
