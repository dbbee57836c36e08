import fs from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

const bool = z.stringbool({ truthy: ['1', 'true', 'yes', 'on'], falsy: ['0', 'false', 'no', 'off'] });
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Every setting Zhibo reads, with its default. The README's configuration table mirrors this. */
export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(8080),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres|postgresql):\/\/.+|^sqlite:.+/, 'a postgres://… URL, or sqlite:<file>')
    .optional(),
  DATABASE_POOL_SIZE: int(1, 500).default(10),
  /** PostgreSQL: how long to wait for a new connection before a request answers DATABASE_UNAVAILABLE. */
  DATABASE_CONNECT_TIMEOUT_MS: int(100, 60_000).default(2000),
  /** PostgreSQL: a statement that has not answered after this is abandoned (client side) and the request answers DATABASE_UNAVAILABLE. */
  DATABASE_QUERY_TIMEOUT_MS: int(100, 600_000).default(10_000),
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'a redis://… URL').optional(),
  /** Prefix for every Redis key and channel, so several deployments can share one Redis. */
  /** Redis: a command that has not answered after this fails, and the request answers CACHE_UNAVAILABLE. */
  REDIS_COMMAND_TIMEOUT_MS: int(50, 60_000).default(1000),
  REDIS_PREFIX: z.string().regex(/^[\w:.-]{1,40}$/, 'letters, digits and : . _ - (at most 40)').default('zhibo:'),
  DEMO_DATA: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  SECRET_KEY: z.string().min(32, 'at least 32 characters').optional(),
  COOKIE_SECURE: bool.default(false),
  TRUST_PROXY: bool.default(false),
  ALLOWED_ORIGINS: z
    .string()
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url()))
    .default([]),
  SESSION_TTL_DAYS: int(1, 365).default(30),
  SESSION_CACHE_MS: int(0, 60_000).default(2000),
  LOGIN_MAX_FAILURES: int(1, 100).default(5),
  LOGIN_LOCK_MINUTES: int(1, 24 * 60).default(15),
  LOGIN_RATE_LIMIT_PER_MIN: int(1, 100000).default(30),
  // Open platform (docs/WEBHOOKS.md)
  /** Requests each API key may make per minute on /api/open/v1. */
  APIKEY_RATE_LIMIT_PER_MIN: int(1, 1_000_000).default(600),
  /** Allow webhook URLs on loopback and private networks (a receiver on the same machine, tests); the server's own address stays refused. */
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  /** How long a webhook receiver has to answer one delivery. */
  WEBHOOK_TIMEOUT_MS: int(100, 60_000).default(5000),
  /** Deliveries in flight at once per node: a slow receiver holds one slot, never the outbox or the live. */
  WEBHOOK_CONCURRENCY: int(1, 1000).default(16),
  // Live video
  /** embedded: RTMP ingest in this process (node-media-server). external: an origin such as SRS asks Zhibo through /api/media/hooks/*. */
  MEDIA_INGEST: z.enum(['embedded', 'external']).default('embedded'),
  RTMP_PORT: int(0, 65535).default(1935),
  /** What streamers are told to push to; by default rtmp://<HOST>:<RTMP_PORT>/live. */
  RTMP_PUBLIC_URL: z.string().regex(/^rtmps?:\/\/.+/, 'an rtmp:// URL').optional(),
  /** Base URL that players fetch video from (an external origin or CDN); by default this server. */
  MEDIA_PLAY_BASE_URL: z.url().optional(),
  /** Shared secret an external origin sends with its callbacks (?token=…). Required with MEDIA_INGEST=external. */
  MEDIA_HOOK_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** Bearer token Prometheus sends to GET /metrics; unset: /metrics is off (answers 404). See docs/METRICS.md. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  LIVE_RECONNECT_GRACE_SECONDS: int(1, 3600).default(60),
  LIVE_STALL_SECONDS: int(2, 600).default(10),
  /** Also produce a lower rendition (480p) with ffmpeg; costs CPU for every live. */
  TRANSCODE: bool.default(false),
  HLS_ENABLED: bool.default(true),
  RECORDING_ENABLED: bool.default(true),
  /** Live-commerce video must be kept at least 3 years. */
  RECORDING_RETENTION_DAYS: int(1, 36500).default(1096),
  /** Address WebRTC (browser go-live) binds to; by default HOST, or every interface when HOST is 0.0.0.0. */
  WEBRTC_HOST: z.string().min(1).optional(),
  /** A public address to announce to browsers behind NAT (adds a host candidate). */
  WEBRTC_ANNOUNCED_IP: z.string().min(1).optional(),
  FFMPEG_PATH: z.string().min(1).optional(),
  /** RTMP: open connections one client address may hold (0: no limit). */
  RTMP_MAX_CONNECTIONS_PER_IP: int(0, 1_000_000).default(20),
  /** RTMP: a connection must finish its handshake and ask to publish or play within this. */
  RTMP_HANDSHAKE_TIMEOUT_MS: int(200, 120_000).default(5000),
  /** RTMP: the largest message (a video frame) a publisher may send; bigger claims close the connection. */
  RTMP_MAX_MESSAGE_BYTES: int(64 * 1024, 16 * 1024 * 1024 - 1).default(4 * 1024 * 1024),
  COVER_MAX_BYTES: int(1024, 50 * 1024 * 1024).default(5 * 1024 * 1024),
  // Product pictures (docs/PICTURES.md)
  /** The largest product picture file a brand may upload. */
  PRODUCT_IMAGE_MAX_BYTES: int(1024, 50 * 1024 * 1024).default(8 * 1024 * 1024),
  /** The most pixels (width × height) a product picture may claim; larger ones are refused before decoding. */
  PRODUCT_IMAGE_MAX_PIXELS: int(1, 268_402_689).default(40_000_000),
  /** Where picture files live: disk (DATA_DIR/media) or an S3-compatible bucket (the S3_* settings below). */
  PICTURE_STORE: z.enum(['disk', 's3']).default('disk'),
  /** An S3-compatible service's address (MinIO, OSS, COS, R2…); unset: AWS S3 in S3_REGION. */
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'an http(s):// URL' }).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** Required with PICTURE_STORE=s3, as are the two keys. */
  S3_BUCKET: z.string().regex(/^[\w.-]{3,255}$/, 'a bucket name').optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Address the bucket as <endpoint>/<bucket>/… (MinIO and most self-hosted stores) rather than <bucket>.<endpoint>/…. */
  S3_FORCE_PATH_STYLE: bool.default(false),
  /** The bucket's public (CDN) address: pictures' URLs point there and Zhibo stops serving them itself. */
  S3_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'an http(s):// URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  // The live room
  ROOM_TICK_MS: int(20, 2000).default(100),
  /** How often each live's room counts are written to its minute for the curves and the review (docs/ANALYTICS.md); 0: never. */
  ANALYTICS_SAMPLE_SECONDS: int(0, 60).default(5),
  ROOM_WRITES_PER_SECOND: int(0, 10_000_000).default(60_000),
  ROOM_CHAT_MAX_PER_TICK: int(1, 1000).default(20),
  ROOM_CHAT_DELIVERIES_PER_SECOND: int(0, 1_000_000_000).default(500_000),
  ROOM_VIEWERS_PER_GROUP: int(1, 100_000).default(1000),
  /** A room socket that has not sent `hello` within this is closed (4408). */
  WS_HELLO_TIMEOUT_MS: int(200, 120_000).default(5000),
  /** Room sockets one client address may hold on a node, in all rooms together (0: no limit). */
  WS_MAX_SOCKETS_PER_IP: int(0, 10_000_000).default(200),
  /** Room sockets one client address may hold in one room on a node (0: no limit). */
  WS_MAX_SOCKETS_PER_IP_PER_ROOM: int(0, 10_000_000).default(50),
  ROOM_MAX_BUFFERED_BYTES: int(16 * 1024, 64 * 1024 * 1024).default(1024 * 1024),
  // shopping
  ORDER_PAY_TIMEOUT_SECONDS: int(10, 7 * 24 * 3600).default(900),
  ORDER_AUTO_CONFIRM_DAYS: int(1, 60).default(7),
  PAYMENT_APP_ID: z.string().min(1).max(64).default('zhibo-sandbox-app'),
  PAYMENT_MERCHANT_ID: z.string().min(1).max(64).default('zhibo-sandbox-merchant'),
  /** The address the payment provider posts notifications to; this server's own address by default. */
  PAYMENT_NOTIFY_BASE_URL: z.url().optional(),
  FLASH_MAX_INFLIGHT: int(1, 100_000).default(256),
  FLASH_RESERVATION_TIMEOUT_SECONDS: int(3, 3600).default(60),
  COMMERCE_SWEEP_MS: int(100, 60_000).default(1000),
  /** The platform's fee on what an order settles for, basis points (500 = 5 %). */
  PLATFORM_FEE_BPS: int(0, 1000).default(500),
  /** Days after an order completes before it settles to the brand, streamer and MCN (T+7). */
  SETTLEMENT_DELAY_DAYS: int(0, 365).default(7),
  /** Orders settled per transaction in a settlement run. */
  SETTLEMENT_BATCH_SIZE: int(1, 50_000).default(5000),
  /** SQLite's page cache in MiB (taken as pages are read, up to this). */
  SQLITE_CACHE_MB: int(2, 65_536).default(256),
  SQLITE_CHECKPOINT_MS: int(0, 60_000).default(200),
  WEB_DIST_DIR: z.string().min(1).default('web/dist'),
  // Notifications and reminders (docs/NOTIFICATIONS.md, docs/LAUNCHES.md)
  /** E-mail and SMS: `sandbox` records what would be sent; `off` keeps site notifications only. */
  NOTIFY_MESSENGER: z.enum(['sandbox', 'off']).default('sandbox'),
  NOTIFY_SWEEP_MS: int(100, 60_000).default(1000),
  NOTIFY_BATCH_SIZE: int(1, 5000).default(2000),
  NOTIFY_CLAIM_SECONDS: int(5, 3600).default(60),
  /** Minutes before a reserved launch or live starts at which reminders go out, comma-separated (checked by server/launches/reminders.ts). */
  REMINDER_MINUTES: z.string().regex(/^\s*\d{1,5}\s*(,\s*\d{1,5}\s*){0,4}$/).default('10,0'),
  // HTTP listener
  /** A client must send its whole request head within this (slow-header clients are cut off). */
  HTTP_HEADERS_TIMEOUT_MS: int(1000, 600_000).default(10_000),
  /** A client must send its whole request (head and body) within this. */
  HTTP_REQUEST_TIMEOUT_MS: int(1000, 3_600_000).default(60_000),
  /** Connections the kernel may hold for the listener before Zhibo accepts them (listen(2) backlog, capped by net.core.somaxconn). Node's default, 511, drops the SYNs of a larger burst: their clients retry after 1, 3, 7 s. */
  HTTP_LISTEN_BACKLOG: int(1, 65_535).default(4096),
});

export type Config = z.infer<typeof ConfigSchema> & { dataDir: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * The one config loader: process environment first, then an optional `.env` file in the working
 * directory for anything the environment does not set. Empty strings count as unset.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const fromFile = readDotenv(path.join(cwd, '.env'));
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...fromFile, ...env })) {
    if (v !== undefined && v !== '') merged[k] = v;
  }
  const known = Object.fromEntries(Object.keys(ConfigSchema.shape).map((k) => [k, merged[k]]));
  const result = ConfigSchema.safeParse(known);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        return `${name}=${JSON.stringify(merged[name] ?? '')}: ${describeExpectation(issue)}`;
      }),
    );
  }
  // Settings that another setting makes necessary.
  const s3Missing = result.data.PICTURE_STORE === 's3' ? (['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => !result.data[k]) : [];
  if (s3Missing.length) throw new ConfigError(s3Missing.map((k) => `${k}="": required with PICTURE_STORE=s3`));
  return { ...result.data, dataDir: path.resolve(cwd, result.data.DATA_DIR) };
}

function describeExpectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return `expected a value >= ${String(issue.minimum)} (${issue.message})`;
    case 'too_big':
      return `expected a value <= ${String(issue.maximum)} (${issue.message})`;
    default:
      return `expected ${issue.message}`;
  }
}

function readDotenv(file: string): Record<string, string> {
  try {
    return parseDotenv(fs.readFileSync(file));
  } catch {
    return {};
  }
}
