// The open platform (docs/WEBHOOKS.md): organisation API keys with scopes, and signed webhooks fed by
// the business-event outbox — delivered to the organisation's own endpoints only, retried with backoff,
// never holding the outbox. On SQLite and PostgreSQL, with real HTTP receivers on free ports.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { AppError } from '../server/platform/errors.ts';
import { signPayload, verifySignature } from '../server/webhooks/signature.ts';
import { checkWebhookUrl } from '../server/webhooks/urls.ts';
import { MAX_ATTEMPTS, retryDelayMs, RETRY_DELAYS_S } from '../server/webhooks/worker.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { payInSandbox, shop, tag, waitFor } from './helpers/shop.ts';

type Received = { headers: http.IncomingHttpHeaders; body: string };

/** A webhook receiver on a free port; `answer` decides each response (a status, or 'hang' to never answer). */
async function receiver(answer: (n: number) => number | 'hang' = () => 200) {
  const received: Received[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const how = answer(received.length);
      if (how === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      res.writeHead(how, { 'content-type': 'text/plain' }).end(how < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/zhibo`,
    received,
    hanging,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
const receivers: Awaited<ReturnType<typeof receiver>>[] = [];
async function openReceiver(answer?: (n: number) => number | 'hang') {
  const r = await receiver(answer);
  receivers.push(r);
  return r;
}
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

/** A shop whose brand paid order is in the outbox, with an endpoint subscribed before the order. */
async function paidOrderFor(server: TestServer, s: Awaited<ReturnType<typeof shop>>) {
  const sku = s.butterfly.skus[0]!;
  const order = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: sku.id, quantity: 1 }], sessionId: s.sessionId })).json().order;
  await payInSandbox(server, s.buyer.client, order.id);
  await server.services.events.drain();
  return order as { id: string };
}

async function addEndpoint(s: Awaited<ReturnType<typeof shop>>, url: string, eventTypes = ['order.paid', 'order.shipped']) {
  const res = await s.owner.post(`/api/orgs/${s.orgId}/webhooks`, { url, eventTypes });
  expect(res.status, res.body).toBe(201);
  return res.json() as { endpoint: { id: string; url: string; eventTypes: string[] }; secret: string };
}

async function deliveriesOf(s: Awaited<ReturnType<typeof shop>>, endpointId: string) {
  const res = await s.owner.get(`/api/orgs/${s.orgId}/webhook-deliveries?endpointId=${endpointId}`);
  expect(res.status, res.body).toBe(200);
  return res.json().deliveries as { id: string; eventId: string; eventType: string; status: string; attempts: number; lastStatusCode: number | null; lastError: string | null; nextAttemptAt: string | null }[];
}

const nowSeconds = (server: TestServer) => Math.floor(server.clock.now().getTime() / 1000);

describe('webhook signatures (the documented receiver check)', () => {
  const secret = 'whsec_test_secret';
  const body = JSON.stringify({ id: 'evt-1', type: 'order.paid', createdAt: '2026-11-26T08:00:00.000Z', data: { orderId: 'o1', totalFen: 6100 } });
  const t = 1_796_000_000;
  const header = signPayload(secret, body, t);

  it('accepts the signed body and refuses a tampered body, timestamp, secret or an old signature', () => {
    expect(header).toMatch(/^t=1796000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, header, body, { nowSeconds: t + 10 })).toBe(true);
    expect(verifySignature(secret, header, body.replace('6100', '1'), { nowSeconds: t })).toBe(false);
    expect(verifySignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, { nowSeconds: t })).toBe(false);
    expect(verifySignature('whsec_other', header, body, { nowSeconds: t })).toBe(false);
    expect(verifySignature(secret, header, body, { nowSeconds: t + 301 })).toBe(false);
    expect(verifySignature(secret, undefined, body, { nowSeconds: t })).toBe(false);
    expect(verifySignature(secret, `t=${t},v1=zz`, body, { nowSeconds: t })).toBe(false);
  });

  it('retries for at least 24 hours before giving up', () => {
    const shortest = RETRY_DELAYS_S.reduce((sum, _s, i) => sum + retryDelayMs(i + 1, 0), 0);
    expect(shortest).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    expect(MAX_ATTEMPTS).toBe(RETRY_DELAYS_S.length + 1);
    expect(retryDelayMs(1, 0)).toBe(8000);
    expect(retryDelayMs(1, 1)).toBe(12_000);
  });

  it('refuses private and loopback addresses unless allowed, and the server itself always', () => {
    const self = { origins: ['https://shop.zhibo.example'], hosts: ['127.0.0.1'], ports: [8080] };
    const code = (url: string, allowPrivate = false) => {
      try {
        checkWebhookUrl(url, self, allowPrivate);
        return 'ok';
      } catch (error) {
        return (error as AppError).code;
      }
    };
    expect(code('https://hooks.example.com/zhibo')).toBe('ok');
    expect(code('http://10.1.2.3/hook')).toBe('WEBHOOK_URL_PRIVATE');
    expect(code('http://192.168.1.10:9000/hook')).toBe('WEBHOOK_URL_PRIVATE');
    expect(code('http://[::1]:9000/hook')).toBe('WEBHOOK_URL_PRIVATE');
    expect(code('http://localhost:9000/hook')).toBe('WEBHOOK_URL_PRIVATE');
    expect(code('http://localhost:9000/hook', true)).toBe('ok');
    expect(code('http://127.0.0.1:8080/api/x', true)).toBe('WEBHOOK_URL_SELF');
    expect(code('http://[::ffff:127.0.0.1]:8080/', true)).toBe('WEBHOOK_URL_SELF');
    expect(code('https://shop.zhibo.example/hook', true)).toBe('WEBHOOK_URL_SELF');
    expect(code('ftp://hooks.example.com/')).toBe('WEBHOOK_URL_INVALID');
  });
});

describeEachDatabase(
  'open platform',
  ({ server }) => {
    it('delivers signed events about the org’s own orders, and nothing about another org’s', async () => {
      const a = await shop(server());
      const b = await shop(server());
      const hook = await openReceiver();
      const { endpoint, secret } = await addEndpoint(a, hook.url);
      const hookB = await openReceiver();
      await addEndpoint(b, hookB.url);
      expect(secret).toMatch(/^whsec_/);
      expect(endpoint.eventTypes).toEqual(['order.paid', 'order.shipped']);

      const orderB = await paidOrderFor(server(), b); // another brand's order: sent to b's endpoint, never to a's
      const order = await paidOrderFor(server(), a);
      await server().services.webhooks.worker.runDue();
      expect(hook.received).toHaveLength(1);
      expect(hookB.received.map((r) => JSON.parse(r.body).data.orderId)).toEqual([orderB.id]);
      const [got] = hook.received;
      const event = JSON.parse(got!.body);
      expect(event).toMatchObject({ type: 'order.paid', data: { orderId: order.id, brandOrgId: a.orgId, status: 'paid' } });
      expect(Object.keys(event).sort()).toEqual(['createdAt', 'data', 'id', 'type']);
      expect(event.data.buyerId).toBeUndefined();
      expect(got!.headers['zhibo-event-id']).toBe(event.id);
      expect(got!.headers['content-type']).toBe('application/json');
      expect(verifySignature(secret, got!.headers['zhibo-signature'] as string, got!.body, { nowSeconds: nowSeconds(server()) })).toBe(true);
      // A forger without the secret is detected.
      const forged = got!.body.replace(order.id, 'someone-elses-order');
      expect(verifySignature(secret, got!.headers['zhibo-signature'] as string, forged, { nowSeconds: nowSeconds(server()) })).toBe(false);

      // Shipping is the next event; the log shows both delivered.
      expect((await a.owner.post(`/api/orgs/${a.orgId}/orders/${order.id}/ship`, { carrier: '顺丰速运', trackingNo: `SF${tag()}1234` })).status).toBe(200);
      await server().services.events.drain();
      await server().services.webhooks.worker.runDue();
      expect(hook.received.map((r) => JSON.parse(r.body).type)).toEqual(['order.paid', 'order.shipped']);
      const log = await deliveriesOf(a, endpoint.id);
      expect(log.map((d) => [d.eventType, d.status, d.attempts, d.lastStatusCode])).toEqual([
        ['order.shipped', 'delivered', 1, 200],
        ['order.paid', 'delivered', 1, 200],
      ]);

      // The secret can be revealed again by the org's owner; another organisation sees none of it.
      expect((await a.owner.post(`/api/orgs/${a.orgId}/webhooks/${endpoint.id}/reveal-secret`)).json().secret).toBe(secret);
      expect((await b.owner.get(`/api/orgs/${a.orgId}/webhooks`)).errorCode).toBe('FORBIDDEN');
      const logB = (await b.owner.get(`/api/orgs/${b.orgId}/webhook-deliveries`)).json().deliveries;
      expect(logB.map((d: { url: string; eventType: string }) => [d.url, d.eventType])).toEqual([[hookB.url, 'order.paid']]);
      expect((await b.owner.get(`/api/orgs/${b.orgId}/webhook-deliveries?endpointId=${endpoint.id}`)).json().deliveries).toEqual([]);
      expect((await b.owner.post(`/api/orgs/${b.orgId}/webhooks/${endpoint.id}/reveal-secret`)).errorCode).toBe('WEBHOOK_NOT_FOUND');
    });

    it('retries a receiver that answered 500 and delivers the event exactly once by its id', async () => {
      const s = await shop(server());
      const hook = await openReceiver((n) => (n === 1 ? 500 : 200));
      const { endpoint } = await addEndpoint(s, hook.url, ['order.paid']);
      await paidOrderFor(server(), s);
      const worker = server().services.webhooks.worker;
      await worker.runDue();
      expect(hook.received).toHaveLength(1);
      let [delivery] = await deliveriesOf(s, endpoint.id);
      expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' });
      const wait = Date.parse(delivery!.nextAttemptAt!) - server().clock.now().getTime();
      expect(wait).toBeGreaterThanOrEqual(8000);
      expect(wait).toBeLessThanOrEqual(12_000);

      // Not due yet: nothing is sent.
      await worker.runDue();
      expect(hook.received).toHaveLength(1);
      // The retry is due once its time comes.
      server().clock.advance(13_000);
      await worker.runDue();
      expect(hook.received).toHaveLength(2);
      [delivery] = await deliveriesOf(s, endpoint.id);
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
      server().clock.advance(3_600_000);
      await worker.runDue();
      expect(hook.received).toHaveLength(2);

      // Both attempts carry the same event id: a receiver keeping the ids it processed handles it once.
      const ids = hook.received.map((r) => r.headers['zhibo-event-id']);
      expect(new Set(ids).size).toBe(1);
      expect(ids[0]).toBe(delivery!.eventId);
      expect(JSON.parse(hook.received[0]!.body).id).toBe(JSON.parse(hook.received[1]!.body).id);

      // A manual resend sends the same event again (same id, a fresh signature).
      expect((await s.owner.post(`/api/orgs/${s.orgId}/webhook-deliveries/${delivery!.id}/resend`)).status).toBe(200);
      await worker.runDue();
      expect(hook.received).toHaveLength(3);
      expect(hook.received[2]!.headers['zhibo-event-id']).toBe(delivery!.eventId);
      expect((await s.owner.post(`/api/orgs/${s.orgId}/webhook-deliveries/no-such-delivery/resend`)).errorCode).toBe('WEBHOOK_DELIVERY_NOT_FOUND');
    });

    it('a receiver that never answers does not hold the other deliveries or the outbox', async () => {
      const s = await shop(server());
      const slow = await openReceiver(() => 'hang');
      const fast = await openReceiver();
      const slowEndpoint = (await addEndpoint(s, slow.url, ['order.paid', 'order.shipped'])).endpoint;
      await addEndpoint(s, fast.url, ['order.paid', 'order.shipped']);
      const order = await paidOrderFor(server(), s);
      const worker = server().services.webhooks.worker;
      void worker.fill();
      await waitFor(async () => fast.received.length === 1 && slow.hanging.size === 1);
      // The slow receiver is still holding its request while the fast one has been served.
      expect((await deliveriesOf(s, slowEndpoint.id))[0]).toMatchObject({ status: 'pending', attempts: 0 });
      // The outbox keeps moving meanwhile: the next event is recorded and the fast receiver gets it.
      expect((await s.owner.post(`/api/orgs/${s.orgId}/orders/${order.id}/ship`, { carrier: '顺丰速运', trackingNo: `SF${tag()}5678` })).status).toBe(200);
      await server().services.events.drain();
      void worker.fill();
      await waitFor(async () => fast.received.length === 2);
      // The slow one times out (WEBHOOK_TIMEOUT_MS) and is scheduled for a retry.
      await waitFor(async () => (await deliveriesOf(s, slowEndpoint.id)).some((d) => d.eventType === 'order.paid' && d.attempts === 1));
      const slowPaid = (await deliveriesOf(s, slowEndpoint.id)).find((d) => d.eventType === 'order.paid')!;
      expect(slowPaid.status).toBe('pending');
      expect(slowPaid.lastError).toMatch(/timed out/);
      expect(slowPaid.lastStatusCode).toBeNull();
    });

    it('refuses URLs that are not http(s) or that point at the server itself', async () => {
      const s = await shop(server());
      const port = (server().app.server.address() as AddressInfo).port;
      const refused = async (url: string) => (await s.owner.post(`/api/orgs/${s.orgId}/webhooks`, { url, eventTypes: ['order.paid'] })).errorCode;
      expect(await refused('ftp://hooks.example.com/zhibo')).toBe('WEBHOOK_URL_INVALID');
      expect(await refused('javascript:alert(1)')).toBe('WEBHOOK_URL_INVALID');
      expect(await refused('file:///etc/passwd')).toBe('WEBHOOK_URL_INVALID');
      expect(await refused('not a url')).toBe('WEBHOOK_URL_INVALID');
      expect(await refused(`http://127.0.0.1:${port}/api/orders`)).toBe('WEBHOOK_URL_SELF');
      expect(await refused(`http://localhost:${port}/`)).toBe('WEBHOOK_URL_SELF');
      expect(await refused('https://shop.zhibo.example/hooks')).toBe('WEBHOOK_URL_SELF');
      const res = await s.owner.post(`/api/orgs/${s.orgId}/webhooks`, { url: 'https://hooks.example.com/zhibo', eventTypes: ['user.login'] });
      expect(res.errorCode).toBe('VALIDATION_FAILED');
      expect((await s.owner.get(`/api/orgs/${s.orgId}/webhooks`)).json().endpoints).toEqual([]);
      // Editing an endpoint checks the URL the same way.
      const { endpoint } = await addEndpoint(s, 'https://hooks.example.com/zhibo');
      expect((await s.owner.patch(`/api/orgs/${s.orgId}/webhooks/${endpoint.id}`, { url: `http://127.0.0.1:${port}/x` })).errorCode).toBe('WEBHOOK_URL_SELF');
      expect((await s.owner.patch(`/api/orgs/${s.orgId}/webhooks/${endpoint.id}`, { enabled: false })).json().endpoint.enabled).toBe(false);
    });

    it('API keys: created once, used with their scopes, revoked, and confined to their organisation', async () => {
      const a = await shop(server());
      const b = await shop(server());
      const orderA = await paidOrderFor(server(), a);
      const orderB = await paidOrderFor(server(), b);
      const created = await a.owner.post(`/api/orgs/${a.orgId}/api-keys`, { name: 'ERP 对接', scopes: ['orders:read', 'events:read'] });
      expect(created.status, created.body).toBe(201);
      const { apiKey, secret } = created.json();
      expect(secret).toMatch(/^zb_live_[A-Za-z0-9_-]{43}$/);
      expect(secret.startsWith(apiKey.prefix)).toBe(true);
      // Only a hash is stored, and the list never shows the key.
      const stored = await server().database.db.selectFrom('api_keys').selectAll().where('id', '=', apiKey.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain(secret);
      const listed = (await a.owner.get(`/api/orgs/${a.orgId}/api-keys`)).json().apiKeys;
      expect(JSON.stringify(listed)).not.toContain(secret);
      expect(listed[0]).toMatchObject({ id: apiKey.id, name: 'ERP 对接', scopes: ['events:read', 'orders:read'], lastUsedAt: null, revokedAt: null });

      const open = server().client();
      const as = (key: string) => ({ authorization: `Bearer ${key}` });
      const orders = await open.get('/api/open/v1/orders', as(secret));
      expect(orders.status, orders.body).toBe(200);
      expect(orders.json().orders.map((o: { id: string }) => o.id)).toEqual([orderA.id]);
      expect(orders.json().orders[0]).toMatchObject({ status: 'paid', totalFen: 6100 + 800, items: [{ productId: a.butterfly.id, quantity: 1 }] });
      // No buyer's personal data: no id, name, phone or address.
      for (const personal of [a.buyer.id, '王小明', '13912345678', '南京西路', 'address', 'buyer']) expect(orders.body).not.toContain(personal);

      const events = await open.get('/api/open/v1/events?after=0', as(secret));
      expect(events.status, events.body).toBe(200);
      expect(events.json().events.map((e: { type: string; data: { orderId: string } }) => [e.type, e.data.orderId])).toEqual([['order.paid', orderA.id]]);
      expect(events.body).not.toContain(a.buyer.id);
      const next = events.json().next;
      expect((await open.get(`/api/open/v1/events?after=${next}`, as(secret))).json()).toEqual({ events: [], next });
      expect((await a.owner.get(`/api/orgs/${a.orgId}/api-keys`)).json().apiKeys[0].lastUsedAt).not.toBeNull();

      // Another organisation's key sees that organisation's orders only.
      const keyB = (await b.owner.post(`/api/orgs/${b.orgId}/api-keys`, { name: 'B', scopes: ['orders:read'] })).json().secret;
      expect((await open.get('/api/open/v1/orders', as(keyB))).json().orders.map((o: { id: string }) => o.id)).toEqual([orderB.id]);
      // A scope the key does not hold.
      const missing = await open.get('/api/open/v1/events?after=0', as(keyB));
      expect(missing.status).toBe(403);
      expect(missing.errorCode).toBe('APIKEY_SCOPE_MISSING');
      // Missing, malformed and unknown keys.
      expect((await open.get('/api/open/v1/orders')).errorCode).toBe('APIKEY_INVALID');
      expect((await open.get('/api/open/v1/orders', { authorization: 'Basic abc' })).errorCode).toBe('APIKEY_INVALID');
      expect((await open.get('/api/open/v1/orders', as('zb_live_short'))).errorCode).toBe('APIKEY_INVALID');
      const unknown = await open.get('/api/open/v1/orders', as(`zb_live_${'A'.repeat(43)}`));
      expect([unknown.status, unknown.errorCode]).toEqual([401, 'APIKEY_INVALID']);
      // Only the org's owners and admins manage its keys; another org cannot revoke them.
      expect((await b.owner.post(`/api/orgs/${a.orgId}/api-keys/${apiKey.id}/revoke`)).errorCode).toBe('FORBIDDEN');
      expect((await b.owner.post(`/api/orgs/${b.orgId}/api-keys/${apiKey.id}/revoke`)).errorCode).toBe('APIKEY_NOT_FOUND');
      expect((await a.buyer.client.post(`/api/orgs/${a.orgId}/api-keys`, { name: 'x', scopes: ['orders:read'] })).errorCode).toBe('FORBIDDEN');
      expect((await a.owner.post(`/api/orgs/${a.orgId}/api-keys`, { name: 'x', scopes: ['admin:all'] })).errorCode).toBe('VALIDATION_FAILED');
      expect((await a.owner.post(`/api/orgs/${a.orgId}/api-keys`, { name: 'x', scopes: [] })).errorCode).toBe('VALIDATION_FAILED');
      // products:write: a key changes its own brand's SKUs (no cookie, so no CSRF token), never another brand's.
      const writer = (await a.owner.post(`/api/orgs/${a.orgId}/api-keys`, { name: '库存', scopes: ['products:write'] })).json().secret;
      const sku = a.butterfly.skus[1]!;
      const patchSku = (key: string, productId: string, skuId: string, body: object) =>
        server().app.inject({ method: 'PATCH', url: `/api/open/v1/products/${productId}/skus/${skuId}`, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
      const patched = await patchSku(writer, a.butterfly.id, sku.id, { stock: 7 });
      expect(patched.statusCode, patched.body).toBe(200);
      expect((await server().database.db.selectFrom('skus').select('stock').where('id', '=', sku.id).executeTakeFirstOrThrow()).stock).toBe(7);
      expect((await patchSku(writer, b.butterfly.id, b.butterfly.skus[1]!.id, { stock: 0 })).json().error.code).toBe('PRODUCT_NOT_FOUND');
      expect((await server().database.db.selectFrom('skus').select('stock').where('id', '=', b.butterfly.skus[1]!.id).executeTakeFirstOrThrow()).stock).toBe(20);
      expect((await patchSku(secret, a.butterfly.id, sku.id, { stock: 1 })).json().error.code).toBe('APIKEY_SCOPE_MISSING');
      expect((await patchSku(writer, a.butterfly.id, sku.id, { stock: -1 })).json().error.code).toBe('VALIDATION_FAILED');

      // Revoked: refused from then on.
      const revoked = await a.owner.post(`/api/orgs/${a.orgId}/api-keys/${apiKey.id}/revoke`);
      expect(revoked.json().apiKey.revokedAt).not.toBeNull();
      const after = await open.get('/api/open/v1/orders', as(secret));
      expect([after.status, after.errorCode]).toEqual([401, 'APIKEY_REVOKED']);
    });

    it('limits each key’s requests per minute, separately', async () => {
      const s = await shop(server());
      const key = async () => (await s.owner.post(`/api/orgs/${s.orgId}/api-keys`, { name: `k${tag()}`, scopes: ['orders:read'] })).json().secret as string;
      const [busy, quiet] = [await key(), await key()];
      const open = server().client();
      for (let i = 0; i < 40; i++) expect((await open.get('/api/open/v1/orders', { authorization: `Bearer ${busy}` })).status).toBe(200);
      const limited = await open.get('/api/open/v1/orders', { authorization: `Bearer ${busy}` });
      expect([limited.status, limited.errorCode]).toEqual([429, 'RATE_LIMITED']);
      expect((await open.get('/api/open/v1/orders', { authorization: `Bearer ${quiet}` })).status).toBe(200);
    });
  },
  {
    listen: true,
    timeoutMs: 60_000,
    env: { LOGIN_RATE_LIMIT_PER_MIN: '100000', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '1500', APIKEY_RATE_LIMIT_PER_MIN: '40', ALLOWED_ORIGINS: 'https://shop.zhibo.example' },
  },
);

describe('the demo', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dialect: 'sqlite', demo: true });
  }, 60_000);
  afterAll(async () => server?.close());

  it('gives 德兴斋 an API key and a (disabled) webhook endpoint with an empty log', async () => {
    const client = server.client();
    await client.login(DEMO_ACCOUNTS.foodBrand.login, DEMO_PASSWORD);
    const [membership] = (await client.get('/api/me/orgs')).json().memberships;
    const orgId = membership.org.id as string;
    const keys = (await client.get(`/api/orgs/${orgId}/api-keys`)).json().apiKeys;
    expect(keys.map((k: { scopes: string[]; revokedAt: string | null }) => [k.scopes, k.revokedAt])).toEqual([[['events:read', 'orders:read'], null]]);
    const endpoints = (await client.get(`/api/orgs/${orgId}/webhooks`)).json().endpoints;
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]).toMatchObject({ url: 'https://erp.dexingzhai.example/hooks/zhibo', enabled: false });
    await server.services.events.drain();
    expect((await client.get(`/api/orgs/${orgId}/webhook-deliveries`)).json().deliveries).toEqual([]);
    // The demo's past orders are in the brand's event feed (the index is built from the outbox).
    const indexed = await server.database.db.selectFrom('org_events').select('type').where('org_id', '=', orgId).execute();
    expect(indexed.map((e) => e.type)).toContain('order.paid');
  });
});
