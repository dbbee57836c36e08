// Shared helpers for the benchmarks: start a real Zhibo process, log in, find free ports.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../server/platform/db.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type ZhiboProcess = { child: ChildProcess; base: string; rtmpPort: number; dataDir: string; stop: () => Promise<void> };

/** Starts `server/main.ts` as its own process on fresh ports and a fresh DATA_DIR, with the demo. */
export async function startZhibo(env: Record<string, string> = {}, options: { dataDir?: string } = {}): Promise<ZhiboProcess> {
  const port = await freePort();
  const rtmpPort = await freePort();
  // A second node shares the first one's DATA_DIR: the same SQLite file and secret key.
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-bench-'));
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server to that folder.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), RTMP_PORT: String(rtmpPort), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('Zhibo did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    base,
    rtmpPort,
    dataDir,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A cookie-keeping API client, as a browser would be. */
export async function apiClient(base: string) {
  const cookies = new Map<string, string>();
  let csrf = '';
  async function call(method: string, url: string, body?: unknown) {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: {
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(method !== 'GET' && { 'x-csrf-token': csrf }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = pair!.split('=');
      cookies.set(name!, value.join('='));
    }
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  }
  csrf = (await call('GET', '/api/auth/session')).json.csrfToken;
  return {
    call,
    cookies,
    async login(login: string, password: string) {
      const result = await call('POST', '/api/auth/login', { login, password });
      if (result.status !== 200) throw new Error(`login failed: ${JSON.stringify(result.json)}`);
      csrf = (await call('GET', '/api/auth/session')).json.csrfToken;
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * A scratch database for a bench that drives the server's code in-process: a fresh PostgreSQL schema in
 * `pgUrl` (dropped by `cleanup`), or a SQLite file in a fresh temporary folder (removed by `cleanup`).
 */
export async function openScratchDatabase(dialect: 'sqlite' | 'postgres', tag: string, pgUrl: string): Promise<{ database: DatabaseHandle; cleanup: () => Promise<void> }> {
  if (dialect === 'postgres') {
    const schema = `zb_${tag}_${crypto.randomBytes(4).toString('hex')}`;
    const run = async (statement: string) => {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(statement).finally(() => client.end());
    };
    await run(`create schema ${schema}`);
    const database = openDatabase({ url: pgUrl, dataDir: os.tmpdir(), schema, poolSize: 4, queryTimeoutMs: 0 });
    return {
      database,
      cleanup: async () => {
        await database.close();
        await run(`drop schema ${schema} cascade`);
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `zb-${tag}-`));
  // SQLITE_CHECKPOINT_MS in the environment sets the scratch database's checkpoints as it does the server's.
  const checkpointMs = process.env.SQLITE_CHECKPOINT_MS;
  const database = openDatabase({ url: `sqlite:${path.join(dir, 'zhibo.db')}`, dataDir: dir, ...(checkpointMs !== undefined && { sqliteCheckpointMs: Number(checkpointMs) }) });
  return {
    database,
    cleanup: async () => {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A Zhibo process of its own on `dialect` (without the demo, HLS or recordings) and the bench's own
 * handle on the same database, to write fixtures and count results: on PostgreSQL a fresh schema of
 * `pgUrl`, dropped by `stop`; on SQLite the process's own file.
 */
export async function startZhiboOn(dialect: 'sqlite' | 'postgres', tag: string, pgUrl: string): Promise<{ zhibo: ZhiboProcess; database: DatabaseHandle; stop: () => Promise<void> }> {
  const schema = `zb_${tag}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(statement).finally(() => client.end());
  };
  let env: Record<string, string> = { DEMO_DATA: 'false', HLS_ENABLED: 'false', RECORDING_ENABLED: 'false' };
  if (dialect === 'postgres') {
    await admin(`create schema ${schema}`);
    const url = new URL(pgUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    env = { ...env, DATABASE_URL: url.toString() };
  }
  const zhibo = await startZhibo(env);
  const database =
    dialect === 'postgres' ? openDatabase({ url: pgUrl, dataDir: zhibo.dataDir, schema, poolSize: 4 }) : openDatabase({ url: `sqlite:${path.join(zhibo.dataDir, 'zhibo.db')}`, dataDir: zhibo.dataDir });
  return {
    zhibo,
    database,
    stop: async () => {
      await database.close();
      await zhibo.stop();
      if (dialect === 'postgres') await admin(`drop schema if exists ${schema} cascade`);
    },
  };
}
