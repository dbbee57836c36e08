import net from 'node:net';
import pg from 'pg';

/** Under CI=true every backing service must be there: a test that would skip fails instead. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type Availability = { ok: true } | { ok: false; reason: string };

/**
 * How long a probe waits for a server that does not answer at once. Not a short one: a busy machine can take
 * seconds to open a connection (see startTestServer), and under CI=true a probe that gives up fails the whole
 * file. A server that is not there refuses at once, so this only costs time on a host that drops packets.
 */
const PROBE_TIMEOUT_MS = 15_000;

async function probePostgres(): Promise<Availability> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `PostgreSQL is not reachable at ${TEST_PG_URL} (${(error as Error).message}); set TEST_DATABASE_URL` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function probeTcp(url: string, name: string, variable: string): Promise<Availability> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.end();
      resolve({ ok: true });
    });
    socket.setTimeout(PROBE_TIMEOUT_MS, () => {
      socket.destroy();
      resolve({ ok: false, reason: `${name} is not reachable at ${url} (timeout); set ${variable}` });
    });
    socket.on('error', (error) => resolve({ ok: false, reason: `${name} is not reachable at ${url} (${error.message}); set ${variable}` }));
  });
}

async function probeChromium(): Promise<Availability> {
  const fs = await import('node:fs');
  return fs.existsSync(CHROMIUM_PATH)
    ? { ok: true }
    : { ok: false, reason: `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium fonts-noto-cjk); set CHROMIUM_PATH` };
}

const probes = {
  postgres: probePostgres,
  redis: () => probeTcp(TEST_REDIS_URL, 'Redis', 'TEST_REDIS_URL'),
  chromium: probeChromium,
};
const cache = new Map<keyof typeof probes, Promise<Availability>>();

/**
 * Whether a backing service is there. Off CI a missing one makes its tests skip with the reason
 * printed; under CI=true it throws, so the run fails rather than passing with less tested.
 */
export async function requireService(name: keyof typeof probes): Promise<Availability> {
  if (!cache.has(name)) cache.set(name, probes[name]());
  const availability = await cache.get(name)!;
  if (!availability.ok) {
    if (IN_CI) throw new Error(`CI=true but ${availability.reason}`);
    console.warn(`[skipped] ${name} tests: ${availability.reason}`);
  }
  return availability;
}
