import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { outageOf } from '../platform/outage.ts';
import type { Secrets } from '../platform/secrets.ts';
import { publicEvent } from './consumer.ts';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signPayload } from './signature.ts';
import { privateResolution } from './urls.ts';

/**
 * Waits after each failed attempt, in seconds: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 12 h.
 * With ±20 % jitter the last attempt comes 26 h to 39 h after the first, so a receiver has at
 * least 24 hours to come back; after that the delivery is marked failed (a manual resend still works).
 */
export const RETRY_DELAYS_S = [10, 60, 300, 1800, 7200, 21_600, 43_200, 43_200];
export const MAX_ATTEMPTS = RETRY_DELAYS_S.length + 1;

export function retryDelayMs(attempts: number, random = Math.random()): number {
  const base = RETRY_DELAYS_S[Math.min(attempts, RETRY_DELAYS_S.length) - 1]! * 1000;
  return Math.round(base * (0.8 + 0.4 * random));
}

export type WorkerOptions = { db: Db; clock: Clock; logger: Logger; secrets: Secrets; timeoutMs: number; concurrency: number; allowPrivate: boolean; pollMs?: number };

/**
 * Sends recorded deliveries (consumer.ts): at most `concurrency` at a time, each with its own
 * timeout, on its own timer. A delivery is claimed by moving its next attempt past the timeout (a
 * lease), so two nodes do not send it at once and one that dies mid-send is retried by the others.
 */
export function createDeliveryWorker(options: WorkerOptions) {
  const { db, clock, logger, secrets } = options;
  const inFlight = new Map<string, Promise<void>>();
  let filling: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let lastOutageLog = 0;

  async function attempt(delivery: { id: string; event_id: string; attempts: number; url: string; secret_enc: string }) {
    const at = clock.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const event = await db.selectFrom('business_events').select(['id', 'type', 'payload', 'occurred_at']).where('id', '=', delivery.event_id).executeTakeFirstOrThrow();
      const body = JSON.stringify(publicEvent({ id: event.id, type: event.type, occurredAt: event.occurred_at, payload: JSON.parse(event.payload) as Record<string, unknown> }));
      const refused = await privateResolution(new URL(delivery.url).hostname, options.allowPrivate);
      if (refused) throw new Error(refused);
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Zhibo-Webhooks/1',
          [SIGNATURE_HEADER]: signPayload(secrets.decrypt(delivery.secret_enc), body, Math.floor(at.getTime() / 1000)),
          [EVENT_ID_HEADER]: event.id,
        },
        body,
        // A redirect could lead anywhere (the inside of the network): it counts as a failure.
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      statusCode = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      error = err.name === 'TimeoutError' ? `timed out after ${options.timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
    }
    const attempts = delivery.attempts + 1;
    const done = clock.now().toISOString();
    const failedForGood = error !== null && attempts >= MAX_ATTEMPTS;
    await db
      .updateTable('webhook_deliveries')
      .set({
        attempts,
        last_attempt_at: at.toISOString(),
        last_status_code: statusCode,
        last_error: error ? error.slice(0, 300) : null,
        status: error === null ? 'delivered' : failedForGood ? 'failed' : 'pending',
        delivered_at: error === null ? done : null,
        next_attempt_at: error === null || failedForGood ? null : new Date(clock.now().getTime() + retryDelayMs(attempts)).toISOString(),
      })
      .where('id', '=', delivery.id)
      .where('status', '=', 'pending')
      .execute();
    if (error) logger.info({ deliveryId: delivery.id, eventId: delivery.event_id, attempts, error }, failedForGood ? 'webhooks: a delivery failed for good' : 'webhooks: a delivery failed; it will be retried');
  }

  async function fillOnce() {
    const free = options.concurrency - inFlight.size;
    if (free <= 0 || stopped) return;
    const now = clock.now().toISOString();
    const due = await db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .select(['d.id', 'd.event_id', 'd.attempts', 'd.next_attempt_at', 'e.url', 'e.secret_enc'])
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where('e.enabled', '=', 1)
      .orderBy('d.next_attempt_at')
      .limit(free + inFlight.size)
      .execute();
    const lease = new Date(clock.now().getTime() + options.timeoutMs + 60_000).toISOString();
    for (const d of due) {
      if (inFlight.size >= options.concurrency) break;
      if (inFlight.has(d.id)) continue;
      const claimed = await db
        .updateTable('webhook_deliveries')
        .set({ next_attempt_at: lease })
        .where('id', '=', d.id)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '=', d.next_attempt_at)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue; // another node has it
      const sending = attempt(d)
        .catch((error: unknown) => logger.error({ err: error, deliveryId: d.id }, 'webhooks: recording a delivery attempt failed'))
        .finally(() => {
          inFlight.delete(d.id);
          // A freed slot takes the next due delivery at once.
          if (!stopped) void fill();
        });
      inFlight.set(d.id, sending);
    }
  }

  /** Starts the due deliveries that fit in the free slots (one fill at a time). */
  function fill(): Promise<void> {
    filling ??= fillOnce()
      .catch((error: unknown) => {
        // A lost database is logged once per 10 s; the worker resumes by itself.
        if (outageOf(error) && Date.now() - lastOutageLog < 10_000) return;
        lastOutageLog = Date.now();
        logger.warn({ err: error }, 'webhooks: looking for due deliveries failed; retried on the next turn');
      })
      .finally(() => {
        filling = null;
      });
    return filling;
  }

  return {
    fill,
    /** Starts what is due now and waits until every delivery in flight has had its attempt (tests, the demo). */
    async runDue() {
      await fill();
      while (inFlight.size) await Promise.allSettled([...inFlight.values()]);
    },
    /** Soon after a consumer batch recorded deliveries (it commits first). */
    poke() {
      if (!stopped) setTimeout(() => void fill(), 20).unref();
    },
    inFlight: () => inFlight.size,
    start() {
      stopped = false;
      timer ??= setInterval(() => void fill(), options.pollMs ?? 1000);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await filling;
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
