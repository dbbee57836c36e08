import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator } from './helpers/people.ts';
import type { TestClient, TestServer } from './helpers/server.ts';

async function brand(server: TestServer, login: string, name: string) {
  const client = server.client();
  await client.register(login);
  const org = (await client.post('/api/orgs', { kind: 'brand', name })).json().org;
  return { client, orgId: org.id as string };
}

const mooncake = {
  title: '鲜肉月饼',
  description: '现烤现发',
  category: '食品/糕点',
  returnPolicy: 'excluded',
  skus: [
    { spec: { 规格: '6 只装' }, priceFen: 3980, stock: 500 },
    { spec: { 规格: '12 只装' }, priceFen: 7580, stock: 300 },
  ],
};

describeEachDatabase('the brand catalogue', ({ server }) => {
  let a: { client: TestClient; orgId: string };
  let b: { client: TestClient; orgId: string };
  const setup = async () => {
    a ??= await brand(server(), 'cat-a@example.com', '品牌甲');
    b ??= await brand(server(), 'cat-b@example.com', '品牌乙');
  };

  it('creates a product with SKUs priced in integer fen, edits it, and takes it off sale', async () => {
    await setup();
    const created = await a.client.post(`/api/orgs/${a.orgId}/products`, mooncake);
    expect(created.status).toBe(201);
    const product = created.json().product;
    expect(product).toMatchObject({ title: '鲜肉月饼', returnPolicy: 'excluded', status: 'on_sale' });
    expect(product.skus.map((s: { priceFen: number }) => s.priceFen)).toEqual([3980, 7580]);
    const renamed = await a.client.patch(`/api/orgs/${a.orgId}/products/${product.id}`, { title: '德兴斋鲜肉月饼', status: 'off_sale' });
    expect(renamed.json().product).toMatchObject({ title: '德兴斋鲜肉月饼', status: 'off_sale' });
    const repriced = await a.client.patch(`/api/orgs/${a.orgId}/products/${product.id}/skus/${product.skus[0].id}`, { priceFen: 3680, stock: 450 });
    expect(repriced.json().product.skus[0]).toMatchObject({ priceFen: 3680, stock: 450 });
  });

  it('refuses fractional, negative or huge prices and stock, empty SKU lists and unknown fields, storing nothing', async () => {
    await setup();
    const before = (await a.client.get(`/api/orgs/${a.orgId}/products`)).json().products.length;
    for (const [body, path] of [
      [{ ...mooncake, skus: [{ spec: { 规格: '6 只装' }, priceFen: 39.8, stock: 5 }] }, 'skus.0.priceFen'],
      [{ ...mooncake, skus: [{ spec: { 规格: '6 只装' }, priceFen: -1, stock: 5 }] }, 'skus.0.priceFen'],
      [{ ...mooncake, skus: [{ spec: { 规格: '6 只装' }, priceFen: 3980, stock: -5 }] }, 'skus.0.stock'],
      [{ ...mooncake, skus: [{ spec: { 规格: '6 只装' }, priceFen: 1e12, stock: 5 }] }, 'skus.0.priceFen'],
      [{ ...mooncake, skus: [] }, 'skus'],
      [{ ...mooncake, returnPolicy: 'whenever' }, 'returnPolicy'],
      [{ ...mooncake, priceFen: 1 }, 'priceFen'],
    ] as const) {
      const response = await a.client.post(`/api/orgs/${a.orgId}/products`, body as Record<string, unknown>);
      expect(response.status, path).toBe(400);
      expect(response.json().error.fields.map((f: { path: string }) => f.path)).toContain(path);
    }
    expect((await a.client.get(`/api/orgs/${a.orgId}/products`)).json().products.length).toBe(before);
  });

  it("keeps each brand's catalogue its own, and operators read-only", async () => {
    await setup();
    const mine = (await a.client.post(`/api/orgs/${a.orgId}/products`, mooncake)).json().product;
    expect((await b.client.post(`/api/orgs/${a.orgId}/products`, mooncake)).status).toBe(403);
    expect((await b.client.patch(`/api/orgs/${a.orgId}/products/${mine.id}`, { title: '被改了' })).status).toBe(403);
    // Through its own organisation, brand B still cannot reach brand A's product.
    expect((await b.client.patch(`/api/orgs/${b.orgId}/products/${mine.id}`, { title: '被改了' })).errorCode).toBe('PRODUCT_NOT_FOUND');
    expect((await b.client.patch(`/api/orgs/${b.orgId}/products/${mine.id}/skus/${mine.skus[0].id}`, { priceFen: 1 })).errorCode).toBe('PRODUCT_NOT_FOUND');
    const viewer = server().client();
    await viewer.register('cat-viewer@example.com');
    expect((await viewer.post(`/api/orgs/${a.orgId}/products`, mooncake)).status).toBe(403);
    const op = await operator(server());
    expect((await op.client.get(`/api/orgs/${a.orgId}/products`)).status).toBe(200);
    expect((await op.client.post(`/api/orgs/${a.orgId}/products`, mooncake)).status).toBe(403);
    const other = (await a.client.post(`/api/orgs/${a.orgId}/products`, mooncake)).json().product;
    expect((await a.client.patch(`/api/orgs/${a.orgId}/products/${mine.id}/skus/${other.skus[0].id}`, { stock: 1 })).errorCode).toBe('SKU_NOT_FOUND');
  });
});
