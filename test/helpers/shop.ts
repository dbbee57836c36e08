import crypto from 'node:crypto';
import { expect } from 'vitest';
import { joinOrg, operator, streamer } from './people.ts';
import type { TestClient, TestServer } from './server.ts';

/** A shop to test with: see test/commerce.test.ts. */
export const tag = () => crypto.randomBytes(3).toString('hex');

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export type Product = { id: string; skus: { id: string; priceFen: number; stock: number }[] };

/** A brand with three products (standard, confirm, excluded), a live session listing them, and a buyer with an address. */
export async function shop(server: TestServer) {
  const owner = server.client();
  await owner.register(`brand-${tag()}@example.com`);
  const org = (await owner.post('/api/orgs', { kind: 'brand', name: `品牌${tag()}`, licenceName: '上海德兴斋食品有限公司', licenceNo: '91310000MA1FL0XX1X' })).json().org;
  const op = await operator(server);
  await op.client.post(`/api/admin/orgs/${org.id}/review`, { decision: 'approve' });
  const create = async (title: string, returnPolicy: string, skus: { spec: Record<string, string>; priceFen: number; stock: number }[]) =>
    (await owner.post(`/api/orgs/${org.id}/products`, { title, category: '食品', returnPolicy, skus })).json().product as Product;
  const butterfly = await create('蝴蝶酥礼盒', 'standard', [
    { spec: { 规格: '250g' }, priceFen: 6800, stock: 50 },
    { spec: { 规格: '500g' }, priceFen: 12800, stock: 20 },
  ]);
  const serum = await create('精华液', 'confirm', [{ spec: { 容量: '30ml' }, priceFen: 29900, stock: 10 }]);
  const mooncake = await create('鲜肉月饼', 'excluded', [{ spec: { 规格: '6 只装' }, priceFen: 3980, stock: 10 }]);
  await owner.put(`/api/orgs/${org.id}/shipping-rule`, { baseFeeFen: 800, freeOverFen: 9900 });

  const host = await streamer(server);
  // The brand's own streamer: a live names a brand only with its say (server/live/brands.ts).
  await joinOrg(server, org.id, host.id);
  const { session } = (await host.client.post('/api/streamer/live-sessions', { title: '购物直播', scheduledAt: new Date(server.clock.now().getTime() + 60_000).toISOString(), brandOrgId: org.id })).json();
  const listed = await host.client.put(`/api/rooms/${session.id}/products`, {
    items: [{ productId: butterfly.id, livePrices: { [butterfly.skus[0]!.id]: 6100 } }, { productId: serum.id }, { productId: mooncake.id }],
  });
  expect(listed.status).toBe(200);

  const buyer = await newBuyer(server);
  return { owner, orgId: org.id as string, butterfly, serum, mooncake, host, sessionId: session.id as string, buyer };
}

export async function newBuyer(server: TestServer, withAddress = true) {
  const client = server.client();
  const user = await client.register(`buyer-${tag()}@example.com`, 'Secret123x', '王小明');
  let addressId = '';
  if (withAddress) addressId = (await client.post('/api/me/addresses', { name: '王小明', phone: '13912345678', region: '上海市 静安区', detail: '南京西路 1 号' })).json().address.id;
  return { client, id: user.id as string, addressId };
}

export async function stockOf(server: TestServer, skuId: string) {
  return (await server.database.db.selectFrom('skus').select('stock').where('id', '=', skuId).executeTakeFirstOrThrow()).stock;
}

export async function orderCount(server: TestServer) {
  return Number((await server.database.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

/** The buyer pays on the sandbox cashier page; the signed notification marks the order paid. */
export async function payInSandbox(server: TestServer, client: TestClient, orderId: string) {
  const pay = await client.post(`/api/orders/${orderId}/pay`);
  expect(pay.status).toBe(200);
  const cashier = await server.app.inject({ method: 'GET', url: pay.json().payUrl });
  expect(cashier.body).toContain('沙箱');
  const paid = await server.app.inject({ method: 'POST', url: pay.json().payUrl, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
  expect(paid.statusCode).toBe(303);
  expect(paid.headers.location).toBe(`/orders/${orderId}?from=pay`);
  return waitFor(async () => {
    const order = (await client.get(`/api/orders/${orderId}`)).json().order;
    return order.status === 'paid' ? order : null;
  });
}

export type Brand = { owner: TestClient; orgId: string; name: string; productId: string };

/** An approved brand with one product on sale. */
export async function approvedBrand(server: TestServer): Promise<Brand> {
  const owner = server.client();
  await owner.register(`brand-${tag()}@example.com`);
  const name = `品牌${tag()}`;
  const org = (await owner.post('/api/orgs', { kind: 'brand', name })).json().org;
  const op = await operator(server);
  await op.client.post(`/api/admin/orgs/${org.id}/review`, { decision: 'approve' });
  const product = await owner.post(`/api/orgs/${org.id}/products`, { title: '蝴蝶酥礼盒', category: '食品', returnPolicy: 'standard', skus: [{ spec: { 规格: '250g' }, priceFen: 6800, stock: 50 }] });
  expect(product.status, product.body).toBe(201);
  return { owner, orgId: org.id as string, name, productId: product.json().product.id as string };
}
