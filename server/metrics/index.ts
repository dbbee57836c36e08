import crypto from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EventRunner } from '../events/runner.ts';
import type { StreamHealth } from '../live/media/health.ts';
import type { EmbeddedIngest } from '../live/media/ingest.ts';
import { AppError } from '../platform/errors.ts';
import { withDeadline } from '../platform/outage.ts';
import type { RoomHubs } from '../room/hub.ts';
import type { CommerceCounters } from './counters.ts';

export type MetricsDeps = {
  /** METRICS_TOKEN: unset turns /metrics off (no route, no hooks, nothing collected). */
  token: string | undefined;
  logger: Logger;
  hubs: RoomHubs;
  /** The embedded RTMP ingest; null with an external origin (which reports its own streams). */
  ingest: EmbeddedIngest | null;
  commerce: CommerceCounters;
  events: EventRunner;
};

export const METRICS_PATH = '/metrics';
/** The flash-sale purchase route, as Fastify names it (its attempts and refusals are counted). */
const FLASH_ORDER_ROUTE = '/api/flash-sales/:id/orders';
/** Requests no route matched (404s, the web app's client-side routes): one label, never the raw URL. */
const UNMATCHED = 'unmatched';
const STATUS_CLASSES = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx'] as const;
/** A stream is healthy while packets keep coming and keyframes are at most this far apart (the streamer's panel warns above it). */
const KEYFRAME_HEALTHY_S = 2;
const STALE_PACKET_MS = 2000;

/**
 * Builds the metrics of one app instance in a registry of its own (tests start many apps in one
 * process, so the global default registry is never used). Most values are read when Prometheus
 * scrapes (collect callbacks over counters the domains already keep); the request path costs a
 * histogram observation, and a counter increment on the flash-sale route.
 */
export function createMetrics(deps: Omit<MetricsDeps, 'token' | 'logger'>) {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'zhibo_' });

  // --- HTTP ---
  const http = new Histogram({
    name: 'zhibo_http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status class, and how long they took to answer',
    labelNames: ['route', 'method', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  type Child = ReturnType<typeof http.labels>;
  // route → method → status class → the labelled child: no label object is built per request.
  const children = new Map<string, Map<string, (Child | undefined)[]>>();
  function observe(route: string, method: string, status: number, seconds: number) {
    let byMethod = children.get(route);
    if (!byMethod) children.set(route, (byMethod = new Map()));
    let byClass = byMethod.get(method);
    if (!byClass) byMethod.set(method, (byClass = []));
    const k = status >= 100 && status < 600 ? Math.floor(status / 100) : 5;
    let child = byClass[k];
    if (!child) byClass[k] = child = http.labels({ route, method, status_class: STATUS_CLASSES[k]! });
    child.observe(seconds);
  }

  // --- the live room ---
  const { hubs } = deps;
  new Gauge({ name: 'zhibo_room_connections', help: 'Open room WebSocket connections (viewers past hello) on this node', registers, collect() { this.set(hubs.viewerCount()); } });
  new Gauge({ name: 'zhibo_room_rooms', help: 'Rooms with at least one viewer on this node', registers, collect() { this.set(hubs.roomCount); } });
  const roomTotal = (name: string, help: string, read: () => number) =>
    new Counter({ name, help, registers, collect() { this.reset(); this.inc(read()); } });
  roomTotal('zhibo_room_events_total', 'Room events (chat, likes, gifts, pins, …) taken in by this node\'s rooms', () => hubs.stats.events);
  roomTotal('zhibo_room_batches_total', 'Batch frames built (serialized once per room step, then written to every viewer)', () => hubs.stats.batches);
  roomTotal('zhibo_room_deliveries_total', 'Socket writes to room viewers (one write carries one or more frames to one viewer)', () => hubs.stats.writes);
  roomTotal('zhibo_room_chat_thinned_total', 'Chat messages thinned away (not delivered to some viewers) to keep a busy room readable', () => hubs.stats.thinned);
  roomTotal('zhibo_room_slow_consumers_total', 'Viewers disconnected for reading too slowly (close code 4008)', () => hubs.stats.dropped);

  // --- live video (this node's embedded ingest; per-live labels are bounded by the lives publishing) ---
  const ingest = deps.ingest;
  // Each live's health is measured once per scrape, however many gauges read it.
  let healthCache: Map<string, StreamHealth | null> | null = null;
  const healthOf = (id: string) => {
    let health = healthCache?.get(id);
    if (health === undefined) {
      health = ingest?.health(id) ?? null;
      healthCache?.set(id, health);
    }
    return health;
  };
  new Gauge({ name: 'zhibo_live_publishing_streams', help: 'Lives publishing to this node\'s RTMP ingest now', registers, collect() { this.set(ingest?.publishingSessions().length ?? 0); } });
  const perLive = (name: string, help: string, read: (h: StreamHealth, now: number) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['live'] as const,
      registers,
      collect() {
        this.reset();
        if (!ingest) return;
        const now = Date.now();
        for (const id of ingest.publishingSessions()) {
          const health = healthOf(id);
          const value = health ? read(health, now) : null;
          if (value !== null) this.set({ live: id }, value);
        }
      },
    });
  const packetAge = (h: { lastPacketAt: string | null }, now: number) => (h.lastPacketAt ? Math.max(0, now - Date.parse(h.lastPacketAt)) / 1000 : null);
  perLive('zhibo_live_ingest_bitrate_kbps', 'Ingest bitrate of each publishing live (kbit/s, over the last 5 s)', (h) => h.bitrateKbps);
  perLive('zhibo_live_ingest_fps', 'Frames per second each publishing live sends', (h) => h.fps);
  perLive('zhibo_live_ingest_keyframe_interval_seconds', 'Seconds between keyframes of each publishing live', (h) => h.keyframeIntervalS);
  perLive('zhibo_live_ingest_last_packet_age_seconds', 'Seconds since each publishing live\'s last audio or video packet', packetAge);
  perLive('zhibo_live_ingest_reconnects', 'Times each publishing live\'s publisher has reconnected', (h) => h.reconnects);
  perLive('zhibo_live_flv_viewers', 'HTTP-FLV players watching each publishing live on this node', (h) => h.viewers);
  perLive(
    'zhibo_live_ingest_healthy',
    `1 while a live is healthy (a packet within ${STALE_PACKET_MS / 1000} s, keyframes at most ${KEYFRAME_HEALTHY_S} s apart, H.264/AAC), else 0`,
    (h, now) => {
      const age = packetAge(h, now);
      const fresh = age !== null && age * 1000 <= STALE_PACKET_MS;
      const keyframes = h.keyframeIntervalS === null || h.keyframeIntervalS <= KEYFRAME_HEALTHY_S;
      const codecs = (h.videoCodec === null || h.videoCodec === 'H.264') && (h.audioCodec === null || h.audioCodec === 'AAC');
      return fresh && keyframes && codecs ? 1 : 0;
    },
  );
  new Gauge({ name: 'zhibo_rtmp_connections', help: 'Open RTMP connections on this node (publishers, players, handshakes)', registers, collect() { this.set(ingest?.stats().connections ?? 0); } });
  const rtmpTotal = (name: string, help: string, read: (s: ReturnType<EmbeddedIngest['stats']>) => number) =>
    new Counter({ name, help, registers, collect() { this.reset(); this.inc(ingest ? read(ingest.stats()) : 0); } });
  rtmpTotal('zhibo_rtmp_refused_total', 'RTMP connections refused at accept (RTMP_MAX_CONNECTIONS_PER_IP)', (s) => s.refused);
  rtmpTotal('zhibo_rtmp_handshake_timeouts_total', 'RTMP connections closed for not publishing or playing in time', (s) => s.handshakeTimeouts);
  rtmpTotal('zhibo_rtmp_protocol_errors_total', 'RTMP connections closed for bad input', (s) => s.protocolErrors);

  // --- commerce ---
  const commerce = deps.commerce;
  new Counter({
    name: 'zhibo_orders_placed_total',
    help: 'Orders placed on this node, by kind (regular checkout or flash sale)',
    labelNames: ['kind'] as const,
    registers,
    collect() {
      this.reset();
      this.inc({ kind: 'regular' }, commerce.ordersPlaced);
      this.inc({ kind: 'flash' }, commerce.flashOrdersPlaced);
    },
  });
  new Counter({ name: 'zhibo_orders_paid_total', help: 'Orders that became paid on this node', registers, collect() { this.reset(); this.inc(commerce.ordersPaid); } });
  new Counter({
    name: 'zhibo_payment_notifications_total',
    help: 'Payment provider notifications received, by result (ok, or the error code they were refused with)',
    labelNames: ['result'] as const,
    registers,
    collect() {
      this.reset();
      this.inc({ result: 'ok' }, commerce.notifications.get('ok') ?? 0);
      for (const [result, n] of commerce.notifications) if (result !== 'ok') this.inc({ result }, n);
    },
  });
  const flashAttempts = new Counter({ name: 'zhibo_flash_sale_attempts_total', help: 'Flash-sale purchase requests (POST /api/flash-sales/:id/orders)', registers });
  const flashRefusals = new Counter({
    name: 'zhibo_flash_sale_refusals_total',
    help: 'Flash-sale purchase requests refused, by error code (FLASH_SOLD_OUT, FLASH_BUSY, …)',
    labelNames: ['code'] as const,
    registers,
  });
  const refusalsByCode = new Map<string, ReturnType<typeof flashRefusals.labels>>();
  function refused(code: string) {
    let child = refusalsByCode.get(code);
    if (!child) refusalsByCode.set(code, (child = flashRefusals.labels({ code })));
    child.inc();
  }

  // --- the business-event outbox ---
  const { events } = deps;
  // A database that does not answer leaves the outbox gauges empty rather than failing the whole scrape.
  const loadPositions = () => withDeadline(events.positions(), 2000, 'the database').catch(() => null);
  // Both outbox gauges read the one query their scrape started (one small table and max(seq)).
  let scrapePositions: ReturnType<typeof loadPositions> | null = null;
  const readPositions = () => scrapePositions ?? loadPositions();
  new Gauge({
    name: 'zhibo_outbox_consumer_lag_events',
    help: 'Business events each outbox consumer has still to handle (newest seq minus its position)',
    labelNames: ['consumer'] as const,
    registers,
    async collect() {
      const rows = await readPositions();
      this.reset();
      for (const row of rows ?? []) this.set({ consumer: row.name }, row.behind);
    },
  });
  new Gauge({
    name: 'zhibo_outbox_consumer_failing',
    help: '1 while an outbox consumer\'s last batch failed (it is retried until it passes), else 0',
    labelNames: ['consumer'] as const,
    registers,
    async collect() {
      const rows = await readPositions();
      this.reset();
      for (const row of rows ?? []) this.set({ consumer: row.name }, row.lastError ? 1 : 0);
    },
  });

  return {
    registry,
    /** The exposition for one scrape. */
    async scrape(): Promise<string> {
      scrapePositions = loadPositions();
      healthCache = new Map();
      try {
        return await registry.metrics();
      } finally {
        scrapePositions = null;
        healthCache = null;
      }
    },
    /** Called once per answered request (the onResponse hook). */
    observeRequest(request: FastifyRequest, reply: FastifyReply, errorCode: string | undefined) {
      const route = request.routeOptions.url ?? UNMATCHED;
      const status = reply.statusCode;
      observe(route, request.method, status, reply.elapsedTime / 1000);
      if (route === FLASH_ORDER_ROUTE && request.method === 'POST') {
        flashAttempts.inc();
        if (status >= 400) refused(errorCode ?? `HTTP_${status}`);
      }
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * GET /metrics in Prometheus' text format, for `Authorization: Bearer <METRICS_TOKEN>`. Without
 * METRICS_TOKEN there is no route (404 like any unknown path) and no hook: metrics cost nothing.
 * Called after the app's error handler is set (a route keeps the handler it was added under) and
 * before the domains' routes, so that scopes they open inherit the hooks.
 */
export function installMetrics(app: FastifyInstance, deps: MetricsDeps): Metrics | null {
  if (!deps.token) {
    deps.logger.info('metrics: GET /metrics is off (set METRICS_TOKEN to turn it on, see docs/METRICS.md)');
    return null;
  }
  const metrics = createMetrics(deps);
  const expected = crypto.createHash('sha256').update(deps.token).digest();

  // The error code a request was refused with, for the flash-sale refusal counter (only errors pay for it).
  const codes = new WeakMap<FastifyRequest, string>();
  app.addHook('onError', (request, _reply, error: FastifyError | AppError, done) => {
    if (error instanceof AppError) codes.set(request, error.code);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request, reply, codes.get(request));
    done();
  });

  app.get(METRICS_PATH, async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    // Compared as digests: equal length for timingSafeEqual, and no early exit on the first wrong byte.
    if (!given || !crypto.timingSafeEqual(crypto.createHash('sha256').update(given).digest(), expected)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new AppError('METRICS_TOKEN_INVALID');
    }
    reply.header('cache-control', 'no-store').type(metrics.registry.contentType);
    return metrics.scrape();
  });
  deps.logger.info({ path: METRICS_PATH }, 'metrics: GET /metrics is on (Prometheus text format, Authorization: Bearer <METRICS_TOKEN>)');
  return metrics;
}
