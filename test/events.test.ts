// Business events (the outbox): recorded in the transaction of the change, read by consumers in order,
// exactly once per consumer, whatever fails in between. On SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import type { BusinessEvent } from '../server/events/outbox.ts';
import { createOutbox } from '../server/events/outbox.ts';
import { createEventRunner, type EventConsumer } from '../server/events/runner.ts';
import { openDatabase } from '../server/platform/db.ts';
import { newId } from '../server/platform/ids.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { payInSandbox, shop, waitFor } from './helpers/shop.ts';
import pino from 'pino';

const silent = pino({ level: 'silent' });

describeEachDatabase('business events', ({ server, dialect }) => {
  const eventsOf = async (orderId: string) =>
    (await server().database.db.selectFrom('business_events').selectAll().where('subject_id', '=', orderId).orderBy('seq').execute()).map((r) => ({ type: r.type, payload: JSON.parse(r.payload) }));

  it('records paid, shipped, delivered, completed, refunded and cancelled orders once each, in the order they happened', async () => {
    const s = await shop(server());
    const sku = s.butterfly.skus[0]!;
    const order = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: sku.id, quantity: 2 }], sessionId: s.sessionId })).json().order;
    expect(await eventsOf(order.id)).toEqual([]); // created, unpaid: no fact for anyone yet
    await payInSandbox(server(), s.buyer.client, order.id);
    await s.owner.post(`/api/orgs/${s.orgId}/orders/${order.id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF1234567890' });
    await s.owner.post(`/api/orgs/${s.orgId}/orders/${order.id}/deliver`);
    await s.buyer.client.post(`/api/orders/${order.id}/confirm-receipt`);
    // Confirming twice changes nothing and records nothing.
    await s.buyer.client.post(`/api/orders/${order.id}/confirm-receipt`);
    const events = await eventsOf(order.id);
    expect(events.map((e) => e.type)).toEqual(['order.paid', 'order.shipped', 'order.delivered', 'order.completed']);
    expect(events[0]!.payload).toMatchObject({ orderId: order.id, buyerId: s.buyer.id, brandOrgId: s.orgId, sessionId: s.sessionId, totalFen: order.totalFen, status: 'paid' });
    expect(events[0]!.payload.items).toEqual([{ itemId: order.items[0].id, productId: s.butterfly.id, skuId: sku.id, quantity: 2, paidFen: order.items[0].paidFen }]);

    // A partial refund, then the rest, before shipping: refunded twice, then cancelled.
    const second = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: sku.id, quantity: 1 }] })).json().order;
    await payInSandbox(server(), s.buyer.client, second.id);
    const part = (await s.buyer.client.post(`/api/orders/${second.id}/after-sales`, { kind: 'refund_only', amountFen: 1000, reason: '价保' })).json().afterSale;
    await s.owner.post(`/api/orgs/${s.orgId}/after-sales/${part.id}/approve`, {});
    await waitFor(async () => (await eventsOf(second.id)).length === 2);
    const rest = (await s.buyer.client.post(`/api/orders/${second.id}/after-sales`, { kind: 'refund_only', amountFen: second.totalFen - 1000, reason: '不要了' })).json().afterSale;
    await s.owner.post(`/api/orgs/${s.orgId}/after-sales/${rest.id}/approve`, {});
    const all = await waitFor(async () => {
      const list = await eventsOf(second.id);
      return list.length === 4 ? list : null;
    });
    expect(all.map((e) => e.type)).toEqual(['order.paid', 'order.refunded', 'order.refunded', 'order.cancelled']);
    expect(all[1]!.payload).toMatchObject({ amountFen: 1000, refundedFen: 1000, afterSaleId: part.id });
    expect(all[2]!.payload).toMatchObject({ amountFen: second.totalFen - 1000, refundedFen: second.totalFen });
    expect(all[3]!.payload).toMatchObject({ cancelReason: 'refunded', wasPaid: true });
  });

  it('writes nothing when the transaction of the change rolls back', async () => {
    const outbox = createOutbox(dialect);
    const subjectId = newId();
    await expect(
      server().database.db.transaction().execute(async (trx) => {
        await outbox.record(trx, [{ type: 'order.paid', subjectId, payload: {}, occurredAt: new Date().toISOString() }]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await eventsOf(subjectId)).toEqual([]);
  });

  it('gives each consumer every event once, in order; a batch that fails is retried, never half-applied; two runners never double it', async () => {
    const { db } = server().database;
    // A pool big enough for every writer and both runners at once, so they really overlap (PostgreSQL).
    const srv = server() as ReturnType<typeof server> & { schema?: string };
    const writerDb = dialect === 'postgres' ? openDatabase({ url: srv.config.DATABASE_URL, dataDir: srv.dataDir, schema: srv.schema, poolSize: 20, connectTimeoutMs: 30_000 }) : null;
    const outbox = createOutbox(dialect);
    const subject = newId();
    // Consumers start at the beginning of the outbox: only this test's subject counts.
    const seen: number[] = [];
    let failOnce = true;
    const consumer: EventConsumer = {
      name: `test-${subject}`,
      types: ['order.completed'],
      async handle(trx, events: BusinessEvent[]) {
        const mine = events.filter((e) => e.subjectId === subject);
        // Writes in the consumer's transaction: rolled back with it when the batch fails.
        for (const e of mine) await trx.insertInto('audit_log').values({ id: newId(), actor_id: null, action: 'test.event', target_type: 'event', target_id: String(e.seq), detail: '{}', created_at: e.occurredAt }).execute();
        if (mine.length && failOnce) {
          failOnce = false;
          throw new Error('the consumer failed half-way');
        }
        seen.push(...mine.map((e) => e.seq));
      },
    };
    // Each writer holds its transaction open a little after recording, as a real change does: a seq
    // drawn early must still never be passed over by a reader that saw a later one commit first.
    const write = (n: number, holdMs: number) =>
      (writerDb?.db ?? db).transaction().execute(async (trx) => {
        await outbox.record(
          trx,
          Array.from({ length: n }, () => ({ type: 'order.completed' as const, subjectId: subject, payload: {}, occurredAt: new Date().toISOString() })),
        );
        await new Promise((r) => setTimeout(r, holdMs));
      });
    const a = createEventRunner({ db: writerDb?.db ?? db, dialect, clock: server().clock, logger: silent, batchSize: 7 });
    const b = createEventRunner({ db: writerDb?.db ?? db, dialect, clock: server().clock, logger: silent, batchSize: 7 });
    a.register(consumer);
    b.register(consumer);
    // Writers and both runners at once: 40 transactions of 1–3 events, draining all the while.
    const writers = Array.from({ length: 40 }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * 5));
      await write((i % 3) + 1, (i * 37) % 60);
    });
    let writing = true;
    const draining = (async () => {
      while (writing) {
        await Promise.all([a.drain(), b.drain()]);
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    await Promise.all(writers);
    writing = false;
    await draining;
    await a.drain();
    await b.drain();
    const expected = (await db.selectFrom('business_events').select('seq').where('subject_id', '=', subject).orderBy('seq').execute()).map((r) => Number(r.seq));
    expect(expected).toHaveLength(79); // 1 + 2 + 3 + 1 + … over 40 writers
    expect(seen).toEqual(expected); // every one, once, in order
    const applied = await db.selectFrom('audit_log').select('target_id').where('action', '=', 'test.event').execute();
    expect(applied.map((r) => Number(r.target_id)).sort((x, y) => x - y)).toEqual(expected);
    const positions = await a.positions();
    expect(positions.find((p) => p.name === consumer.name)).toMatchObject({ lastError: null });
    await writerDb?.close();
  });

  it('never passes over an event whose transaction commits after a later one has', async () => {
    const srv = server() as ReturnType<typeof server> & { schema?: string };
    // Two connections of their own on PostgreSQL, so the two writers really overlap.
    const other = dialect === 'postgres' ? openDatabase({ url: srv.config.DATABASE_URL, dataDir: srv.dataDir, schema: srv.schema, poolSize: 4, connectTimeoutMs: 30_000 }) : null;
    const db = other?.db ?? srv.database.db;
    const outbox = createOutbox(dialect);
    const subject = newId();
    const seen: number[] = [];
    const runner = createEventRunner({ db, dialect, clock: srv.clock, logger: silent });
    runner.register({
      name: `late-${subject}`,
      async handle(_trx, events) {
        seen.push(...events.filter((e) => e.subjectId === subject).map((e) => e.seq));
      },
    });
    const event = () => [{ type: 'order.paid' as const, subjectId: subject, payload: {}, occurredAt: new Date().toISOString() }];
    let commitFirst!: () => void;
    const gate = new Promise<void>((resolve) => (commitFirst = resolve));
    let firstRecorded!: () => void;
    const recorded = new Promise<void>((resolve) => (firstRecorded = resolve));
    // The first writer records its event, then stays open; the second records and commits at once.
    const first = db.transaction().execute(async (trx) => {
      await outbox.record(trx, event());
      firstRecorded();
      await gate;
    });
    await recorded;
    const second = db.transaction().execute((trx) => outbox.record(trx, event()));
    // A consumer runs while the first is still open (the second has committed, unless the outbox
    // makes it wait for the first): it must not move past the first one's event.
    const during = runner.drain();
    await new Promise((r) => setTimeout(r, 300));
    commitFirst();
    await Promise.all([first, second, during]);
    await runner.drain();
    const all = (await db.selectFrom('business_events').select('seq').where('subject_id', '=', subject).orderBy('seq').execute()).map((r) => Number(r.seq));
    expect(all).toHaveLength(2);
    expect(seen).toEqual(all);
    await other?.close();
  });
}, { listen: true, timeoutMs: 60_000, env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } });
