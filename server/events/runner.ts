import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db-types.ts';
import type { Db, Dialect } from '../platform/db.ts';
import { outageOf } from '../platform/outage.ts';
import { toBusinessEvent, type BusinessEvent } from './outbox.ts';
import { nextTurn } from '../platform/turn.ts';

/**
 * A consumer of business events. `handle` runs inside the transaction that also moves the consumer's
 * position past the batch, so its database writes happen exactly once per event, whatever crashes:
 * a batch is either handled and passed, or neither. A consumer whose effect leaves the database
 * (a webhook) writes what it must do in `handle` and does it afterwards, idempotently, by event id.
 */
export interface EventConsumer {
  /** Stable: the position is stored under it. */
  readonly name: string;
  /** Event types it wants; the others are passed over without a call. */
  readonly types?: readonly string[];
  handle(trx: Transaction<Database>, events: BusinessEvent[]): Promise<void>;
}

export type EventRunnerOptions = { db: Db; dialect: Dialect; clock: Clock; logger: Logger; pollMs?: number; batchSize?: number };

/**
 * Runs every registered consumer over the outbox: in order, from its stored position, in batches.
 * Several nodes may run the same consumers: on PostgreSQL the consumer's row is locked for the batch
 * (the others skip it for that turn), on SQLite the one writer serializes them.
 */
export function createEventRunner(options: EventRunnerOptions) {
  const { db, dialect, clock, logger } = options;
  const consumers: EventConsumer[] = [];
  const batchSize = options.batchSize ?? 500;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let again = false;
  let lastOutageLog = 0;

  async function ensureRow(name: string) {
    await db
      .insertInto('event_consumers')
      .values({ name, position: 0, updated_at: clock.now().toISOString(), last_error: null })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }

  /** One batch for one consumer; answers how many events it passed. */
  async function step(consumer: EventConsumer): Promise<number> {
    return db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('event_consumers').select('position').where('name', '=', consumer.name);
      if (dialect === 'postgres') q = q.forUpdate().skipLocked();
      const row = await q.executeTakeFirst();
      if (!row) return 0; // another node holds it this turn
      const rows = await trx.selectFrom('business_events').selectAll().where('seq', '>', Number(row.position)).orderBy('seq').limit(batchSize).execute();
      if (!rows.length) return 0;
      const events = rows.map(toBusinessEvent);
      const wanted = consumer.types ? events.filter((e) => consumer.types!.includes(e.type)) : events;
      if (wanted.length) await consumer.handle(trx, wanted);
      await trx
        .updateTable('event_consumers')
        .set({ position: events.at(-1)!.seq, updated_at: clock.now().toISOString(), last_error: null })
        .where('name', '=', consumer.name)
        .execute();
      return events.length;
    });
  }

  async function runAll(): Promise<number> {
    let passed = 0;
    for (const consumer of consumers) {
      try {
        await ensureRow(consumer.name);
        for (;;) {
          const n = await step(consumer);
          passed += n;
          if (n < batchSize) break;
          await nextTurn();
        }
      } catch (error) {
        // The batch rolled back: the next turn retries it. A lost database is logged once per 10 s.
        if (outageOf(error)) {
          if (Date.now() - lastOutageLog > 10_000) {
            lastOutageLog = Date.now();
            logger.warn({ err: error, consumer: consumer.name }, 'events: the database is unavailable; consumers resume by themselves');
          }
          break;
        }
        logger.error({ err: error, consumer: consumer.name }, 'events: a consumer failed on a batch; it is retried until it passes');
        await db
          .updateTable('event_consumers')
          .set({ last_error: String(error instanceof Error ? error.message : error).slice(0, 500), updated_at: clock.now().toISOString() })
          .where('name', '=', consumer.name)
          .execute()
          .catch(() => undefined);
      }
    }
    return passed;
  }

  /** Runs the consumers now (or once more right after the current run), resolving when they are caught up. */
  function drain(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await runAll();
      } while (again);
      return total;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    register(consumer: EventConsumer) {
      if (consumers.some((c) => c.name === consumer.name)) throw new Error(`event consumer ${consumer.name} registered twice`);
      consumers.push(consumer);
    },
    drain,
    /** Wakes the runner soon (after a commit that wrote events); the poll covers other nodes' events. */
    poke() {
      setImmediate(() => void drain());
    },
    start() {
      timer ??= setInterval(() => void drain(), options.pollMs ?? 500);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
    /** Where each consumer is, and how far behind: for /api/admin and the operations guide. */
    async positions() {
      const [rows, last] = await Promise.all([
        db.selectFrom('event_consumers').selectAll().execute(),
        db.selectFrom('business_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst(),
      ]);
      const head = Number(last?.seq ?? 0);
      return rows.map((r) => ({ name: r.name, position: Number(r.position), behind: head - Number(r.position), updatedAt: r.updated_at, lastError: r.last_error }));
    },
  };
}

export type EventRunner = ReturnType<typeof createEventRunner>;
