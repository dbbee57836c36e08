// Prometheus metrics (docs/METRICS.md): GET /metrics behind METRICS_TOKEN, in a text format that parses
// strictly, with counters that move when real requests, orders, payments, flash-sale refusals, room
// viewers and a lagging outbox consumer happen; and the Grafana dashboard reads only metrics that exist.
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventRunner } from '../server/events/runner.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { createSession } from './helpers/live.ts';
import { streamer } from './helpers/people.ts';
import { publish, waitUntil } from './helpers/publisher.ts';
import { RoomSocket } from './helpers/room-client.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newBuyer, payInSandbox, shop, waitFor } from './helpers/shop.ts';

const TOKEN = 'metrics-test-token-0123456789';
const silent = pino({ level: 'silent' });

// --- a strict reader of Prometheus' text exposition format (version 0.0.4) ---

type Sample = { name: string; labels: Record<string, string>; value: number };
type Family = { name: string; type: string; help: string; samples: Sample[] };

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/**
 * A sample value as Prometheus reads it (Go's strconv.ParseFloat): decimal or exponent notation, or
 * Inf/NaN in any case. prom-client writes NaN as `Nan` (an empty event-loop histogram's mean),
 * which Prometheus accepts; so this reader does too, and nothing looser.
 */
function parseNumber(text: string, line: string): number {
  if (/^\+?inf(inity)?$/i.test(text)) return Infinity;
  if (/^-inf(inity)?$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`not a number: ${JSON.stringify(text)} in ${line}`);
  return Number(text);
}

/** Labels `{a="x",b="y\"z"}`, read character by character (a value may hold commas, braces and escapes). */
function parseLabels(text: string, line: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1; // after '{'
  for (;;) {
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`label without '=' in ${line}`);
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`bad label name ${JSON.stringify(name)} in ${line}`);
    if (name in labels) throw new Error(`label ${name} twice in ${line}`);
    if (text[eq + 1] !== '"') throw new Error(`label value not quoted in ${line}`);
    let value = '';
    let j = eq + 2;
    for (;;) {
      const c = text[j];
      if (c === undefined) throw new Error(`unterminated label value in ${line}`);
      if (c === '"') break;
      if (c === '\\') {
        const next = text[j + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else throw new Error(`bad escape \\${next} in ${line}`);
        j += 2;
      } else {
        value += c;
        j++;
      }
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new Error(`expected ',' or '}' after a label in ${line}`);
  }
}

function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  const exact = families.get(sampleName);
  if (exact) return exact;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (family && (family.type === 'histogram' || (family.type === 'summary' && suffix !== '_bucket'))) return family;
  }
  return undefined;
}

function parseExposition(text: string): Map<string, Family> {
  expect(text.endsWith('\n'), 'the exposition ends with a newline').toBe(true);
  const families = new Map<string, Family>();
  const finished = new Set<string>();
  const seen = new Set<string>();
  let current: Family | null = null;
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) continue; // other comments are allowed and ignored
      const [, kind, name, rest] = m as unknown as [string, 'HELP' | 'TYPE', string, string];
      if (!METRIC_NAME.test(name)) throw new Error(`bad metric name in ${line}`);
      let family = families.get(name);
      if (family && (finished.has(name) || family.samples.length)) throw new Error(`${kind} for ${name} after its samples: ${line}`);
      if (!family) {
        family = { name, type: 'untyped', help: '', samples: [] };
        families.set(name, family);
      }
      if (current && current !== family) finished.add(current.name);
      current = family;
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`unknown type in ${line}`);
        family.type = rest;
      } else {
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) throw new Error(`bad escape in HELP: ${line}`);
        family.help = rest;
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(.*)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const name = m[1]!;
    let rest = m[2]!;
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line));
    const parts = rest.trim().split(/\s+/);
    if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2) throw new Error(`bad value part in ${line}`);
    const value = parseNumber(parts[0]!, line);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`bad timestamp in ${line}`);
    const family = familyOf(name, families);
    if (!family) throw new Error(`sample ${name} has no HELP/TYPE before it`);
    if (family !== current) {
      if (finished.has(family.name)) throw new Error(`samples of ${family.name} are not together: ${line}`);
      if (current) finished.add(current.name);
      current = family;
    }
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`duplicate sample ${line}`);
    seen.add(key);
    if (family.type === 'histogram' && name.endsWith('_bucket') && !('le' in labels)) throw new Error(`bucket without le: ${line}`);
    family.samples.push({ name, labels, value });
  }
  // Histograms: per label set, buckets ascending and cumulative, +Inf equal to _count.
  for (const family of families.values()) {
    if (family.type !== 'histogram') continue;
    const series = new Map<string, { le: number; value: number }[]>();
    const counts = new Map<string, number>();
    for (const s of family.samples) {
      const { le, ...rest } = s.labels;
      const key = JSON.stringify(Object.entries(rest).sort());
      if (s.name.endsWith('_bucket')) series.set(key, [...(series.get(key) ?? []), { le: parseNumber(le!, s.name), value: s.value }]);
      if (s.name.endsWith('_count')) counts.set(key, s.value);
    }
    for (const [key, buckets] of series) {
      for (let i = 1; i < buckets.length; i++) {
        expect(buckets[i]!.le).toBeGreaterThan(buckets[i - 1]!.le);
        expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
      }
      expect(buckets.at(-1)!.le).toBe(Infinity);
      expect(buckets.at(-1)!.value).toBe(counts.get(key));
    }
  }
  return families;
}

/** The value of the one sample of `name` with exactly these labels (0 when there is none yet). */
function valueOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const family = familyOf(name, families);
  if (!family) throw new Error(`no metric ${name}`);
  const want = JSON.stringify(Object.entries(labels).sort());
  const hit = family.samples.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === want);
  return hit?.value ?? 0;
}

async function scrape(server: TestServer) {
  const response = await server.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return { text: response.body, families: parseExposition(response.body) };
}

describeEachDatabase(
  'metrics',
  ({ server, dialect }) => {
    it('refuses /metrics without the token, with a wrong one, or with another scheme', async () => {
      const zh = server().client({ locale: 'zh-CN' });
      const en = server().client({ locale: 'en' });
      const none = await zh.get('/metrics');
      expect(none.status).toBe(401);
      expect(none.errorCode).toBe('METRICS_TOKEN_INVALID');
      expect(none.json().error.message).toContain('监控指标令牌');
      expect(none.raw.headers['www-authenticate']).toMatch(/^Bearer/);
      const wrong = await en.get('/metrics', { authorization: `Bearer ${TOKEN}x` });
      expect(wrong.status).toBe(401);
      expect(wrong.errorCode).toBe('METRICS_TOKEN_INVALID');
      expect(wrong.json().error.message).toContain('metrics token');
      expect((await en.get('/metrics', { authorization: `Basic ${TOKEN}` })).errorCode).toBe('METRICS_TOKEN_INVALID');
      expect((await en.get('/metrics', { authorization: 'Bearer ' })).errorCode).toBe('METRICS_TOKEN_INVALID');
      expect((await en.get(`/metrics?token=${TOKEN}`)).errorCode).toBe('METRICS_TOKEN_INVALID');
    });

    it('answers text that parses strictly, every family declared and named zhibo_', async () => {
      const { families } = await scrape(server());
      for (const family of families.values()) {
        expect(family.name).toMatch(/^zhibo_/);
        expect(family.type).not.toBe('untyped');
        expect(family.help.length).toBeGreaterThan(0);
      }
      // Node and process metrics, in this app's own registry.
      expect(families.get('zhibo_process_cpu_user_seconds_total')?.type).toBe('counter');
      expect(families.get('zhibo_nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
      expect(families.get('zhibo_http_request_duration_seconds')?.type).toBe('histogram');
      expect(families.get('zhibo_outbox_consumer_lag_events')?.type).toBe('gauge');
      expect(families.get('zhibo_flash_sale_refusals_total')?.type).toBe('counter');
    });

    it('counts requests by route pattern, method and status class, never by raw URL', async () => {
      const before = (await scrape(server())).families;
      const client = server().client();
      for (let i = 0; i < 3; i++) expect((await client.get('/healthz')).status).toBe(200);
      const secret = 'zz-not-a-product-7f3a';
      expect((await client.get(`/api/products/${secret}`)).status).toBe(404);
      expect((await client.get(`/api/no-such-route-${secret}`)).status).toBe(404);
      const { text, families } = await scrape(server());
      const count = (labels: Record<string, string>) =>
        valueOf(families, 'zhibo_http_request_duration_seconds_count', labels) - valueOf(before, 'zhibo_http_request_duration_seconds_count', labels);
      expect(count({ route: '/healthz', method: 'GET', status_class: '2xx' })).toBe(3);
      expect(count({ route: '/api/products/:id', method: 'GET', status_class: '4xx' })).toBe(1);
      expect(count({ route: 'unmatched', method: 'GET', status_class: '4xx' })).toBe(1);
      expect(text).not.toContain(secret);
      // The latencies are real: the sum of three /healthz answers is positive.
      const sum = (f: typeof families) => valueOf(f, 'zhibo_http_request_duration_seconds_sum', { route: '/healthz', method: 'GET', status_class: '2xx' });
      expect(sum(families)).toBeGreaterThan(sum(before));
    });

    it('counts a real order, its payment notification, refused notifications, and flash-sale attempts and refusals by code', async () => {
      const s = await shop(server());
      const before = (await scrape(server())).families;
      const delta = (families: Map<string, Family>, name: string, labels: Record<string, string> = {}) => valueOf(families, name, labels) - valueOf(before, name, labels);

      const sku = s.butterfly.skus[0]!;
      const placed = await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: sku.id, quantity: 1 }], sessionId: s.sessionId, addressId: s.buyer.addressId });
      expect(placed.status, placed.body).toBe(201);
      await payInSandbox(server(), s.buyer.client, placed.json().order.id);
      // A forged notification is refused, and counted under its error code.
      const forged = await server().app.inject({ method: 'POST', url: '/api/payments/notify/sandbox', headers: { 'content-type': 'application/json' }, payload: '{"notifyId":"x"}' });
      expect(forged.statusCode).toBeGreaterThanOrEqual(400);
      const forgedCode = forged.json().error.code as string;

      // Flash sales: one not started yet (refused), one with a single unit (bought, then sold out).
      const create = async (startsInSeconds: number, stock: number) =>
        (await s.host.client.post(`/api/rooms/${s.sessionId}/flash-sales`, { skuId: sku.id, priceFen: 990, stock, perUserLimit: 1, startsInSeconds, durationSeconds: 300 })).json().flashSale.id as string;
      const later = await create(60, 1);
      expect((await s.buyer.client.post(`/api/flash-sales/${later}/orders`, { quantity: 1 })).errorCode).toBe('FLASH_NOT_STARTED');
      const now = await create(0, 1);
      const bought = await s.buyer.client.post(`/api/flash-sales/${now}/orders`, { quantity: 1 });
      expect(bought.status, bought.body).toBe(201);
      const late = await newBuyer(server());
      expect((await late.client.post(`/api/flash-sales/${now}/orders`, { quantity: 1 })).errorCode).toBe('FLASH_SOLD_OUT');

      const after = await waitFor(async () => {
        const { families } = await scrape(server());
        return delta(families, 'zhibo_payment_notifications_total', { result: 'ok' }) >= 1 ? families : null;
      });
      expect(delta(after, 'zhibo_orders_placed_total', { kind: 'regular' })).toBe(1);
      expect(delta(after, 'zhibo_orders_placed_total', { kind: 'flash' })).toBe(1);
      expect(delta(after, 'zhibo_orders_paid_total')).toBe(1);
      expect(delta(after, 'zhibo_payment_notifications_total', { result: 'ok' })).toBe(1);
      expect(delta(after, 'zhibo_payment_notifications_total', { result: forgedCode })).toBe(1);
      expect(delta(after, 'zhibo_flash_sale_attempts_total')).toBe(3);
      expect(delta(after, 'zhibo_flash_sale_refusals_total', { code: 'FLASH_NOT_STARTED' })).toBe(1);
      expect(delta(after, 'zhibo_flash_sale_refusals_total', { code: 'FLASH_SOLD_OUT' })).toBe(1);
      // The paid order is a business event the ledger consumer catches up on.
      await server().services.events.drain();
      const caughtUp = (await scrape(server())).families;
      expect(valueOf(caughtUp, 'zhibo_outbox_consumer_lag_events', { consumer: 'ledger' })).toBe(0);
    });

    it('shows how far behind each outbox consumer is, and whether it is failing', async () => {
      const { db } = server().database;
      // An event to be behind on: a paid order (order.paid).
      const s = await shop(server());
      const order = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 1 }] })).json().order;
      await payInSandbox(server(), s.buyer.client, order.id);
      const head = Number((await db.selectFrom('business_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow()).seq);
      expect(head).toBeGreaterThan(0);

      // A consumer that fails on every batch stays at position 0.
      const name = `metrics-test-${dialect}`;
      const stuck = createEventRunner({ db, dialect, clock: server().clock, logger: silent });
      stuck.register({ name, handle: async () => Promise.reject(new Error('the receiver is down')) });
      await stuck.drain();
      const behind = (await scrape(server())).families;
      expect(valueOf(behind, 'zhibo_outbox_consumer_lag_events', { consumer: name })).toBe(head);
      expect(valueOf(behind, 'zhibo_outbox_consumer_failing', { consumer: name })).toBe(1);

      // The same consumer, mended, catches up.
      const mended = createEventRunner({ db, dialect, clock: server().clock, logger: silent });
      mended.register({ name, handle: async () => undefined });
      await mended.drain();
      const current = Number((await db.selectFrom('business_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow()).seq);
      const after = (await scrape(server())).families;
      expect(valueOf(after, 'zhibo_outbox_consumer_lag_events', { consumer: name })).toBe(0);
      expect(valueOf(after, 'zhibo_outbox_consumer_failing', { consumer: name })).toBe(0);
      expect(current).toBeGreaterThanOrEqual(head);
    });

    it('counts open room connections and deliveries to them', async () => {
      const s = await shop(server());
      const before = (await scrape(server())).families;
      const socket = await RoomSocket.open(server(), s.sessionId);
      try {
        // Counted as connected, and the room's first batch (its counts) written to the viewer's socket.
        const open = await waitFor(async () => {
          const { families } = await scrape(server());
          const joined = valueOf(families, 'zhibo_room_connections') === valueOf(before, 'zhibo_room_connections') + 1;
          return joined && valueOf(families, 'zhibo_room_deliveries_total') > valueOf(before, 'zhibo_room_deliveries_total') ? families : null;
        });
        expect(valueOf(open, 'zhibo_room_rooms')).toBeGreaterThanOrEqual(1);
        expect(valueOf(open, 'zhibo_room_batches_total')).toBeGreaterThan(valueOf(before, 'zhibo_room_batches_total'));
      } finally {
        socket.ws.close();
      }
      await waitFor(async () => valueOf((await scrape(server())).families, 'zhibo_room_connections') === valueOf(before, 'zhibo_room_connections'));
    });

    it('ships a Grafana dashboard whose every query reads a metric /metrics serves', async () => {
      const dashboard = JSON.parse(fs.readFileSync(path.resolve('docs/grafana-dashboard.json'), 'utf8')) as { title: string; panels: unknown[]; templating?: unknown };
      expect(dashboard.title).toMatch(/Zhibo/);
      const exprs: string[] = [];
      const walk = (node: unknown) => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === 'object') {
          for (const [key, value] of Object.entries(node)) {
            if ((key === 'expr' || key === 'query') && typeof value === 'string') exprs.push(value);
            else walk(value);
          }
        }
      };
      walk(dashboard);
      expect(exprs.length).toBeGreaterThanOrEqual(6);
      const { families } = await scrape(server());
      const names = new Set(exprs.flatMap((e) => e.match(/\bzhibo_[a-zA-Z0-9_]+/g) ?? []));
      for (const name of names) expect(familyOf(name, families), `${name} is queried by the dashboard but not served`).toBeDefined();
      // What the operations guide promises the dashboard shows.
      for (const wanted of ['zhibo_http_request_duration_seconds_bucket', 'zhibo_room_connections', 'zhibo_live_ingest_bitrate_kbps', 'zhibo_orders_placed_total', 'zhibo_flash_sale_refusals_total', 'zhibo_outbox_consumer_lag_events'])
        expect(names, wanted).toContain(wanted);
    });
  },
  { env: { METRICS_TOKEN: TOKEN }, listen: true },
);

// The ingest is the same on both databases: one real publisher, on SQLite.
describe('metrics of live ingest [sqlite]', { timeout: 60_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dialect: 'sqlite', media: true, env: { METRICS_TOKEN: TOKEN, HLS_ENABLED: 'false', RECORDING_ENABLED: 'false', LIVE_RECONNECT_GRACE_SECONDS: '1' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('shows each publishing live\'s bitrate and health, labelled by live, and drops it when it stops', async () => {
    const { client } = await streamer(server);
    const live = await createSession(client, '指标直播');
    const label = { live: live.session.id };
    const encoder = publish(live.push.url, { seconds: 30 });
    try {
      // Healthy once packets flow and two keyframes (1 s apart, -g 25 at 25 fps) have come.
      const families = await waitUntil(
        async () => {
          const { families } = await scrape(server);
          return valueOf(families, 'zhibo_live_ingest_healthy', label) === 1 && valueOf(families, 'zhibo_live_ingest_keyframe_interval_seconds', label) > 0 ? families : null;
        },
        20_000,
        'a healthy publishing live in /metrics',
      );
      expect(valueOf(families, 'zhibo_live_publishing_streams')).toBe(1);
      expect(valueOf(families, 'zhibo_live_ingest_bitrate_kbps', label)).toBeGreaterThan(0);
      expect(valueOf(families, 'zhibo_live_ingest_fps', label)).toBeGreaterThan(0);
      expect(valueOf(families, 'zhibo_live_ingest_last_packet_age_seconds', label)).toBeLessThan(2);
      expect(valueOf(families, 'zhibo_rtmp_connections')).toBeGreaterThanOrEqual(1);
    } finally {
      encoder.child.kill('SIGKILL');
    }
    await waitUntil(
      async () => {
        const { families } = await scrape(server);
        const gone = !families.get('zhibo_live_ingest_bitrate_kbps')!.samples.some((s) => s.labels.live === live.session.id);
        return gone && valueOf(families, 'zhibo_live_publishing_streams') === 0;
      },
      15_000,
      'the stopped live to leave /metrics',
    );
  });
});

describe('metrics without METRICS_TOKEN [sqlite]', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dialect: 'sqlite' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('has no /metrics at all: 404 like any unknown path, token or not', async () => {
    const client = server.client();
    const plain = await client.get('/metrics');
    expect(plain.status).toBe(404);
    expect(plain.errorCode).toBe('NOT_FOUND');
    expect((await client.get('/metrics', { authorization: `Bearer ${TOKEN}` })).errorCode).toBe('NOT_FOUND');
  });
});
