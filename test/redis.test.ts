import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService, TEST_REDIS_URL } from './helpers/env.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const redisAvailable = await requireService('redis');

describe.skipIf(!redisAvailable.ok)('with REDIS_URL: limits shared across nodes', () => {
  const prefix = `zt${process.pid}${Date.now()}:`;
  let redis: Redis;
  let nodeA: TestServer;
  let nodeB: TestServer;

  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL);
    const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, LOGIN_RATE_LIMIT_PER_MIN: '4' };
    nodeA = await startTestServer({ dialect: 'sqlite', redis, env });
    nodeB = await startTestServer({ dialect: 'sqlite', redis, env, shareDatabaseWith: nodeA });
  });

  afterAll(async () => {
    await nodeB?.close();
    await nodeA?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('counts login attempts from one address on both nodes against one limit', async () => {
    const attempt = (node: TestServer) => node.client().post('/api/auth/login', { login: 'someone@example.com', password: 'Wrong1234' });
    expect((await attempt(nodeA)).errorCode).toBe('AUTH_INVALID_CREDENTIALS');
    expect((await attempt(nodeB)).errorCode).toBe('AUTH_INVALID_CREDENTIALS');
    expect((await attempt(nodeA)).errorCode).toBe('AUTH_INVALID_CREDENTIALS');
    expect((await attempt(nodeB)).errorCode).toBe('AUTH_INVALID_CREDENTIALS');
    const fifth = await attempt(nodeA);
    expect(fifth.status).toBe(429);
    expect(fifth.errorCode).toBe('RATE_LIMITED');
    expect(Number(fifth.raw.headers['retry-after'])).toBeGreaterThan(0);
    expect(await redis.keys(`${prefix}ratelimit:*`)).not.toHaveLength(0);
  });

  it('reports Redis in the readiness check', async () => {
    const ready = await nodeB.client().get('/readyz');
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  });
});
