import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ErrorCode } from './errors.ts';

/**
 * What a lost PostgreSQL or Redis looks like from here, so a request that met one answers a clear
 * 503 (DATABASE_UNAVAILABLE, CACHE_UNAVAILABLE) instead of a 500, and the process never dies of it.
 */

// Socket-level failures, from pg or ioredis.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
// PostgreSQL SQLSTATEs of a server going away: connection exceptions (08…), operator intervention
// (57P01 admin shutdown / pg_terminate_backend, 57P02 crash shutdown, 57P03 cannot connect now),
// too many connections (53300).
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
const PG_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed and is not queryable/i;
const REDIS_MESSAGES = /^Connection is closed|^Command timed out$|enableOfflineQueue options is false|Reached the max retries per request/;

export type OutageCode = Extract<ErrorCode, 'DATABASE_UNAVAILABLE' | 'CACHE_UNAVAILABLE'>;

/** The 503 an error stands for, or null when it is not a lost backing service. */
export function outageOf(error: unknown): OutageCode | null {
  if (!(error instanceof Error)) return null;
  if (error instanceof AggregateError && error.errors.length) return outageOf(error.errors[0]);
  // ioredis words its own failures (a command while disconnected, timed out, or given up on).
  if (error.name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.test(error.message)) return 'CACHE_UNAVAILABLE';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && PG_UNAVAILABLE.test(code)) return 'DATABASE_UNAVAILABLE';
  if (PG_MESSAGES.test(error.message)) return 'DATABASE_UNAVAILABLE';
  // A bare socket error: Redis errors never reach a caller this way (they come worded as above).
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'DATABASE_UNAVAILABLE';
  return null;
}

export type RedisOptions = { commandTimeoutMs: number; logger?: Logger };

/**
 * A Redis client for the process's commands (stock reservations, rate limits, room counts):
 * - while the connection is down a command fails at once instead of waiting in a queue, so a request
 *   answers CACHE_UNAVAILABLE within the command timeout and no reservation runs late, after its
 *   buyer has been told no;
 * - a command sent just before the connection dropped is not sent again on reconnect (same reason);
 * - it reconnects by itself, every 50 ms growing to 1 s, for as long as it takes.
 */
export function openRedis(url: string, options: RedisOptions): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    commandTimeout: options.commandTimeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    enableAutoPipelining: true,
    retryStrategy: (times) => Math.min(times * 50, 1000),
  });
  watchRedis(redis, 'redis', options.logger);
  return redis;
}

/**
 * The subscriber connection of the room bus: unlike commands, subscriptions wait for the connection
 * and are made again after a reconnect.
 */
export function duplicateForSubscribing(redis: Redis, logger?: Logger): Redis {
  const subscriber = redis.duplicate({ enableAutoPipelining: false, enableOfflineQueue: true, autoResubscribe: true, commandTimeout: undefined, maxRetriesPerRequest: null });
  watchRedis(subscriber, 'redis subscriber', logger);
  return subscriber;
}

/** Logs a lost and a regained connection once each, not every reconnect attempt (the 'error' listener also keeps ioredis quiet). */
function watchRedis(redis: Redis, name: string, logger?: Logger) {
  let down = false;
  redis.on('error', (error: Error) => {
    if (!down) logger?.error({ err: error }, `${name}: connection lost; requests that need Redis answer CACHE_UNAVAILABLE until it is back`);
    down = true;
  });
  redis.on('close', () => {
    if (!down && redis.status !== 'end') logger?.warn(`${name}: connection closed; reconnecting`);
    if (redis.status !== 'end') down = true;
  });
  redis.on('ready', () => {
    if (down) logger?.info(`${name}: connection is back`);
    down = false;
  });
}

/** Resolves to what `work` gives, or rejects after `ms` (for health probes that must answer fast). */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
