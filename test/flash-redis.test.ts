import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService, TEST_REDIS_URL } from './helpers/env.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newBuyer, shop } from './helpers/shop.ts';

const redisAvailable = await requireService('redis');
const postgresAvailable = await requireService('postgres');

describe.skipIf(!redisAvailable.ok || !postgresAvailable.ok)('flash sales at scale: Redis reservations, PostgreSQL orders, two nodes', { timeout: 60_000 }, () => {
  const prefix = `ztf${process.pid}${Date.now()}:`;
  let redis: Redis;
  let nodeA: TestServer;
  let nodeB: TestServer;

  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL);
    const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, LOGIN_RATE_LIMIT_PER_MIN: '100000' };
    nodeA = await startTestServer({ dialect: 'postgres', redis, env, listen: true });
    nodeB = await startTestServer({ dialect: 'postgres', redis, env, listen: true, shareDatabaseWith: nodeA });
    // The test runs reconciliation itself and checks what each run did: no background sweep may do it first.
    for (const node of [nodeA, nodeB]) node.services.commerce.stop();
  });

  afterAll(async () => {
    await nodeB?.close();
    await nodeA?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('never oversells or exceeds the per-user limit across two nodes, and reconciles what a crash leaves behind', async () => {
    const s = await shop(nodeA);
    const sku = s.butterfly.skus[0]!.id;
    const sale = (await s.host.client.post(`/api/rooms/${s.sessionId}/flash-sales`, { skuId: sku, priceFen: 990, stock: 15, perUserLimit: 2, startsInSeconds: 0, durationSeconds: 600 })).json().flashSale;
    const stockKey = `${prefix}flash:${sale.id}:stock`;
    expect(await redis.get(stockKey)).toBe('15');

    // Twelve buyers, half on each node, three attempts each, all at once.
    const buyers = await Promise.all([...Array(12)].map((_, i) => newBuyer(i % 2 ? nodeB : nodeA)));
    const burst = await Promise.all(buyers.flatMap((b) => [1, 2, 3].map(() => b.client.post(`/api/flash-sales/${sale.id}/orders`, { quantity: 1 }))));
    expect(burst.filter((r) => r.status >= 500)).toEqual([]);
    expect(burst.filter((r) => r.status === 201)).toHaveLength(15);
    for (const refused of burst.filter((r) => r.status !== 201)) expect(['FLASH_SOLD_OUT', 'FLASH_LIMIT_EXCEEDED']).toContain(refused.errorCode);
    const db = nodeA.database.db;
    const bought = await db.selectFrom('flash_purchases').select(['user_id', 'quantity']).where('sale_id', '=', sale.id).execute();
    expect(bought.reduce((n, b) => n + b.quantity, 0)).toBe(15);
    expect(Math.max(...bought.map((b) => b.quantity))).toBeLessThanOrEqual(2);
    expect((await db.selectFrom('flash_sales').select('remaining').where('id', '=', sale.id).executeTakeFirstOrThrow()).remaining).toBe(0);
    expect(await redis.get(stockKey)).toBe('0');
    expect(await redis.hlen(`${prefix}flash:${sale.id}:res`)).toBe(0);

    // A buyer cancels: the unit goes back to the sale, in the database and in Redis.
    const winner = buyers.find((b) => bought.some((x) => x.user_id === b.id))!;
    const order = (await winner.client.get('/api/orders')).json().orders.find((o: { flashSaleId: string }) => o.flashSaleId === sale.id);
    expect((await winner.client.post(`/api/orders/${order.id}/cancel`)).json().order.status).toBe('cancelled');
    // The database gives the unit back in the cancel's transaction; Redis just after it (a read of the sale, then
    // the increment): wait for that with a deadline a busy machine meets (expect.poll's default is 1 s).
    await expect.poll(() => redis.get(stockKey), { timeout: 15_000 }).toBe('1');
    expect((await db.selectFrom('flash_sales').select('remaining').where('id', '=', sale.id).executeTakeFirstOrThrow()).remaining).toBe(1);

    // What a crash between the two steps leaves: a reservation with no order. Reconciliation returns it.
    const stranded = await newBuyer(nodeB);
    const stampedAt = nodeA.clock.now().getTime() - 61_000;
    await redis.multi().decrby(stockKey, 1).hincrby(`${prefix}flash:${sale.id}:users`, stranded.id, 1).hset(`${prefix}flash:${sale.id}:res`, 'crashed-order-id', `${stranded.id}|1|${stampedAt}`).exec();
    expect((await stranded.client.post(`/api/flash-sales/${sale.id}/orders`, { quantity: 1 })).errorCode).toBe('FLASH_SOLD_OUT');
    expect(await nodeA.services.commerce.flash.reconcile()).toMatchObject({ released: 1 });
    expect(await redis.get(stockKey)).toBe('1');
    // Node B heard "sold out" a moment ago and trusts that for half a second before asking Redis again.
    await new Promise((r) => setTimeout(r, 600));
    expect((await stranded.client.post(`/api/flash-sales/${sale.id}/orders`, { quantity: 1 })).status).toBe(201);

    // Redis lost or wrong (a flush, a failover): reset from the database when nothing is in flight.
    await redis.set(stockKey, '999');
    expect(await nodeB.services.commerce.flash.reconcile()).toMatchObject({ synced: 1 });
    expect(await redis.get(stockKey)).toBe('0');
    await redis.del(stockKey, `${prefix}flash:${sale.id}:meta`);
    const late = await newBuyer(nodeA);
    expect((await late.client.post(`/api/flash-sales/${sale.id}/orders`, { quantity: 1 })).errorCode).toBe('FLASH_SOLD_OUT');
  });
});
