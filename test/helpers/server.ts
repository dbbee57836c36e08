import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Redis } from 'ioredis';
import pg from 'pg';
import pino from 'pino';
import { inject } from 'vitest';
import { buildApp, type Services } from '../../server/app.ts';
import { seedDemoData } from '../../server/demo/seed.ts';
import type { Clock } from '../../server/platform/clock.ts';
import { loadConfig, type Config } from '../../server/platform/config.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle, type Dialect } from '../../server/platform/db.ts';
import { TEST_PG_URL } from './env.ts';

/** A clock the test moves by hand; a running one (for browser tests, whose pages use real time) still moves with the wall clock. */
export class TestClock implements Clock {
  private offset = 0;
  constructor(
    private current = new Date('2026-11-26T08:00:00.000Z'),
    private readonly running = false,
  ) {}
  now() {
    return this.running ? new Date(Date.now() + this.offset) : new Date(this.current);
  }
  advance(ms: number) {
    this.offset += ms;
    this.current = new Date(this.current.getTime() + ms);
  }
}

export type TestServer = {
  app: FastifyInstance;
  services: Services;
  database: DatabaseHandle;
  config: Config;
  clock: TestClock;
  dataDir: string;
  client: (options?: { locale?: string; origin?: string }) => TestClient;
  close: () => Promise<void>;
};

export type StartOptions = {
  dialect: Dialect;
  env?: Record<string, string>;
  demo?: boolean;
  redis?: Redis;
  /** Start the RTMP ingest (on a free port) and the ffmpeg pipelines. */
  media?: boolean;
  /** Listen on a free port (WebSocket tests); media implies it. */
  listen?: boolean;
  /** null: run as on a machine without ffmpeg. */
  ffmpeg?: null;
  /** A clock that runs with real time (browser tests: pages count down with the browser's clock). */
  realTime?: boolean;
  /** Reuse another server's database (PostgreSQL schema or SQLite file) to act as a second node. */
  shareDatabaseWith?: TestServer;
};

/**
 * A fresh PostgreSQL schema name for this run. test/helpers/global-setup.ts drops the run's schemas when it
 * ends; a test file never drops one, since a drop while another file migrates can fail that migration.
 */
export function pgSchema(tag = ''): string {
  return `${inject('pgSchemaPrefix')}${tag}${crypto.randomBytes(4).toString('hex')}`;
}

/** A real Zhibo app on a fresh database: a temporary SQLite file, or its own PostgreSQL schema. */
export async function startTestServer(options: StartOptions): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-test-'));
  const clock = options.realTime ? new TestClock(new Date(), true) : new TestClock();
  let url: string | undefined;
  let schema: string | undefined;
  if (options.shareDatabaseWith) {
    url = options.shareDatabaseWith.config.DATABASE_URL;
    schema = (options.shareDatabaseWith as TestServer & { schema?: string }).schema;
  } else if (options.dialect === 'postgres') {
    url = TEST_PG_URL;
    schema = pgSchema();
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
  } else {
    url = `sqlite:${path.join(dataDir, 'zhibo.db')}`;
  }
  // Port 0 (a free port) for HTTP and RTMP: never the defaults 8080 and 1935, which a developer's own
  // `npm start` may hold (a server that never listens would otherwise send its payment notifications there).
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', WEB_DIST_DIR: 'web/dist', PORT: '0', RTMP_PORT: '0', ...options.env }, dataDir);
  // A busy test machine (files side by side, a PostgreSQL checkpoint) can take seconds to open a connection; the
  // production default (2 s, then 503) is for tests that set DATABASE_CONNECT_TIMEOUT_MS to study it.
  const connectTimeoutMs = options.env?.DATABASE_CONNECT_TIMEOUT_MS ? config.DATABASE_CONNECT_TIMEOUT_MS : 30_000;
  // Likewise a statement: the production default (10 s) once abandoned a start-up's DELETE on a machine five
  // times oversubscribed; tests that study the timeout set DATABASE_QUERY_TIMEOUT_MS.
  const queryTimeoutMs = options.env?.DATABASE_QUERY_TIMEOUT_MS ? config.DATABASE_QUERY_TIMEOUT_MS : 60_000;
  const database = openDatabase({ url, dataDir, schema, poolSize: 5, connectTimeoutMs, queryTimeoutMs });
  await migrateToLatest(database.db, database.dialect);
  const logger = pino({ level: config.LOG_LEVEL });
  const { app, services } = await buildApp({ config, database, clock, secret: 'test-secret-0123456789-0123456789-abcdef', logger, redis: options.redis, ffmpeg: options.ffmpeg });
  await app.ready();
  // The test clock stands still and jumps, while the ledger's settlement sweep runs on a real-time timer (5 s after
  // start, then every 60 s): one firing just after a test jumps past T+7 settled the order before the test's own
  // settlement run (LEDGER_ALREADY_SETTLED). Tests settle explicitly; a real-time clock keeps the sweep.
  // The analytics sampler's timer (every 5 s) is the same race: a tick just after a jump wrote a minute the test
  // never stepped into. Tests sample with services.analytics.sampler.tick(); a live's last sample still comes as it ends.
  // The commerce, pre-sale and voucher sweeps (every second, every 10 s) are the same race again: a tick just after a
  // jump past an order's payment window released its stock while the test still counted it. Tests run the sweep they
  // study (services.commerce.orders.sweepExpired(), services.presale.sweep(), ...); a payment's notification is still
  // delivered at once (server/commerce/payments/sandbox.ts), only its retries wait for a sweep.
  if (!options.realTime) {
    await services.ledger.settlement.stop();
    await services.analytics.sampler.stop();
    await Promise.all([services.commerce.stop(), services.presale.stop(), services.vouchers.stop()]);
  }
  if (options.media || options.listen) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const bound = app.server.address();
    if (bound && typeof bound === 'object') services.commerce.setSelfUrl(`http://127.0.0.1:${bound.port}`);
  }
  if (options.media) await services.media.start();
  if (options.demo) await seedDemoData(services, database, clock, { dataDir });
  const server: TestServer & { schema?: string } = {
    app,
    services,
    database,
    config,
    clock,
    dataDir,
    schema,
    client: (clientOptions) => new TestClient(app, clientOptions),
    close: async () => {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

type Body = Record<string, unknown> | unknown[] | string | Buffer | undefined;

/** A browser-like client over app.inject: keeps cookies, fetches and sends the CSRF token. */
export class TestClient {
  private cookies = new Map<string, string>();
  private csrfToken: string | null = null;

  constructor(
    private readonly app: FastifyInstance,
    private readonly options: { locale?: string; origin?: string } = {},
  ) {}

  async request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: Body, headers: Record<string, string> = {}) {
    if (method !== 'GET' && this.csrfToken === null && !('x-csrf-token' in headers)) await this.refreshCsrf();
    const response = await this.app.inject({
      method,
      url,
      headers: {
        ...(this.options.locale && { 'accept-language': this.options.locale }),
        ...(this.options.origin && { origin: this.options.origin }),
        ...(this.cookies.size && { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }),
        ...(method !== 'GET' && this.csrfToken && { 'x-csrf-token': this.csrfToken }),
        ...(body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body) && { 'content-type': 'application/json' }),
        ...headers,
      },
      payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    for (const cookie of response.cookies as { name: string; value: string; expires?: Date }[]) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now())) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return new TestResponse(response);
  }

  async refreshCsrf() {
    const response = await this.request('GET', '/api/auth/session');
    this.csrfToken = response.json<{ csrfToken: string }>().csrfToken;
    return response;
  }

  get = (url: string, headers?: Record<string, string>) => this.request('GET', url, undefined, headers);
  post = (url: string, body?: Body, headers?: Record<string, string>) => this.request('POST', url, body, headers);
  put = (url: string, body?: Body, headers?: Record<string, string>) => this.request('PUT', url, body, headers);
  patch = (url: string, body?: Body, headers?: Record<string, string>) => this.request('PATCH', url, body, headers);
  delete = (url: string, headers?: Record<string, string>) => this.request('DELETE', url, undefined, headers);

  async login(login: string, password: string) {
    const response = await this.post('/api/auth/login', { login, password });
    if (response.status !== 200) throw new Error(`login ${login} failed: ${response.body}`);
    return response.json<{ user: { id: string } }>().user;
  }

  async register(login: string, password = 'Secret123x', displayName = '测试用户') {
    const response = await this.post('/api/auth/register', { login, password, displayName });
    if (response.status !== 201) throw new Error(`register ${login} failed: ${response.body}`);
    return response.json<{ user: { id: string } }>().user;
  }

  cookie(name: string) {
    return this.cookies.get(name);
  }
}

export class TestResponse {
  constructor(readonly raw: LightMyRequestResponse) {}
  get status() {
    return this.raw.statusCode;
  }
  get body() {
    return this.raw.body;
  }
  json<T = any>(): T {
    return this.raw.json() as T;
  }
  get errorCode(): string | undefined {
    try {
      return (this.raw.json() as { error?: { code?: string } }).error?.code;
    } catch {
      return undefined;
    }
  }
}
