import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { TEST_PG_URL } from './env.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Every PostgreSQL schema a test makes in this run starts with it (see `pgSchema`). */
    pgSchemaPrefix: string;
  }
}

/**
 * Once per run: a current web/dist for the browser tests (a no-op when up to date), and a name prefix for
 * the run's PostgreSQL schemas. The schemas are dropped when the run ends, not by each test file: a schema
 * dropped while another file migrates its own can fail that migration (Kysely looks at every schema in
 * the database to find its own tables), and test files run side by side.
 */
export default function setup({ provide }: TestProject) {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-web-if-stale.ts'], { stdio: 'inherit' });
  const prefix = `zt_${crypto.randomBytes(3).toString('hex')}_`;
  provide('pgSchemaPrefix', prefix);
  return async function teardown() {
    const connect = async () => {
      const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5000 });
      await client.connect();
      return client;
    };
    let admin: pg.Client;
    try {
      admin = await connect();
    } catch {
      return; // no PostgreSQL here: no schemas either
    }
    try {
      const { rows } = await admin.query<{ name: string }>('select nspname as name from pg_namespace where starts_with(nspname, $1)', [prefix]);
      const names = rows.map((r) => r.name);
      // A few at a time, one schema per statement (a statement dropping many would need a lock for every table).
      const clients = [admin, ...(await Promise.all(Array.from({ length: Math.min(3, names.length) }, connect)))];
      await Promise.all(
        clients.map(async (client) => {
          for (let name = names.pop(); name; name = names.pop()) await client.query(`drop schema if exists "${name}" cascade`);
        }),
      );
      await Promise.all(clients.slice(1).map((c) => c.end()));
    } finally {
      await admin.end();
    }
  };
}
