// 直播+产业供应链 (docs/B2B.md), on SQLite and PostgreSQL: business licences checked by their GB 32100
// check character and approved by an operator; wholesale tiers shown only to approved buyers; the
// 'wholesale' kind at the shared checkout (MOQ, tiered unit price); samples within a per-buyer limit;
// requests for quotation answered by the seller and accepted into an order at the quoted price; leads
// (留资) only with consent, in the seller's console.
import { expect, it } from 'vitest';
import { checkCreditCode, makeCreditCode } from '../server/b2b/credit-code.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { joinOrg, operator, streamer } from './helpers/people.ts';
import type { TestClient, TestServer } from './helpers/server.ts';
import { newBuyer, orderCount, stockOf, tag } from './helpers/shop.ts';

const TIERS = [
  { minQty: 1, unitPriceFen: 1200 },
  { minQty: 100, unitPriceFen: 1000 },
  { minQty: 1000, unitPriceFen: 850 },
];

async function seller(server: TestServer) {
  const owner = server.client();
  await owner.register(`factory-${tag()}@example.com`);
  const org = (await owner.post('/api/orgs', { kind: 'brand', name: `工厂${tag()}`, licenceName: '义乌市小商品有限公司', licenceNo: '91350100M000100Y43' })).json().org;
  const op = await operator(server);
  await op.client.post(`/api/admin/orgs/${org.id}/review`, { decision: 'approve' });
  return { owner, orgId: org.id as string, op: op.client };
}

async function wholesaleProduct(s: { owner: TestClient; orgId: string }) {
  const created = await s.owner.post(`/api/orgs/${s.orgId}/b2b/products`, {
    title: '不锈钢保温杯（工厂直供）',
    category: '日用百货',
    skus: [
      { spec: { 容量: '500ml' }, priceFen: 1990, stock: 20_000 },
      { spec: { 容量: '1L' }, priceFen: 2990, stock: 20_000 },
    ],
    tiers: TIERS,
    moq: 50,
    samplePriceFen: 500,
    sampleLimit: 2,
  });
  expect(created.status).toBe(201);
  return created.json().product as { id: string; skus: { id: string }[] };
}

describeEachDatabase('B2B wholesale', ({ server }) => {
  let s: Awaited<ReturnType<typeof seller>>;
  let product: Awaited<ReturnType<typeof wholesaleProduct>>;
  let buyer: Awaited<ReturnType<typeof newBuyer>>;
  const line = (quantity: number, sku = 0) => ({ productId: product.id, skuId: product.skus[sku]!.id, quantity });

  it('checks the unified social credit code by its GB 32100 check character', () => {
    // Published codes of real companies pass; a changed check character or body fails.
    expect(checkCreditCode('91350100M000100Y43')).toBe('ok');
    expect(checkCreditCode('91440300708461136T')).toBe('ok');
    expect(checkCreditCode('91350100M000100Y44')).toBe('check');
    expect(checkCreditCode('91350100M000100Y4')).toBe('malformed');
    expect(checkCreditCode('91350100M000100YI3')).toBe('malformed'); // I is not in the set
    expect(checkCreditCode(makeCreditCode('91310115MA1K3YJ2'.padEnd(17, '0')))).toBe('ok');
  });

  it('hides wholesale prices from anyone without an approved licence, and refuses their orders', async () => {
    s = await seller(server());
    product = await wholesaleProduct(s);
    buyer = await newBuyer(server());
    for (const client of [server().client(), buyer.client]) {
      const view = await client.get(`/api/b2b/products/${product.id}`);
      expect(view.status).toBe(200);
      expect(view.json().product.tiers).toBeNull();
      expect(view.json().product.moq).toBe(50);
      expect(view.json().product.samples).toEqual({ limit: 2 });
      expect(view.body).not.toContain('"unitPriceFen"');
      expect(view.body).not.toMatch(/\b(1200|1000|850|500)\b/);
    }
    const prices = await buyer.client.get(`/api/b2b/products/${product.id}/prices`);
    expect(prices.status).toBe(403);
    expect(prices.json().error.code).toBe('B2B_LICENCE_REQUIRED');
    const before = await orderCount(server());
    for (const path of ['/api/checkout/quote', '/api/orders']) {
      const r = await buyer.client.post(path, { items: [line(100)] });
      expect(r.status).toBe(403);
      expect(r.json().error.code).toBe('B2B_LICENCE_REQUIRED');
    }
    expect((await buyer.client.post(`/api/b2b/products/${product.id}/rfqs`, { skuId: product.skus[0]!.id, quantity: 500 })).json().error.code).toBe('B2B_LICENCE_REQUIRED');
    expect(await orderCount(server())).toBe(before);
  });

  it('refuses a licence whose check character is wrong, storing nothing', async () => {
    const bad = await buyer.client.post('/api/b2b/licences', { companyName: '杭州采购贸易有限公司', creditCode: '91350100M000100Y44' });
    expect(bad.status).toBe(422);
    expect(bad.json().error.code).toBe('B2B_LICENCE_CHECK_INVALID');
    const malformed = await buyer.client.post('/api/b2b/licences', { companyName: '杭州采购贸易有限公司', creditCode: '9135010' });
    expect(malformed.status).toBe(422);
    expect(malformed.json().error.code).toBe('B2B_LICENCE_MALFORMED');
    expect((await buyer.client.get('/api/b2b/licences/me')).json().licence).toBeNull();
  });

  it('shows the tiers once an operator approves the licence, not while it is pending', async () => {
    const submitted = await buyer.client.post('/api/b2b/licences', { companyName: '杭州采购贸易有限公司', creditCode: '91350100m000100y43' });
    expect(submitted.status).toBe(201);
    expect(submitted.json().licence).toMatchObject({ status: 'pending', creditCode: '91350100M000100Y43' });
    expect((await buyer.client.post('/api/b2b/licences', { companyName: '又一家', creditCode: '91440300708461136T' })).json().error.code).toBe('B2B_LICENCE_EXISTS');
    expect((await buyer.client.get(`/api/b2b/products/${product.id}/prices`)).json().error.code).toBe('B2B_LICENCE_REQUIRED');
    // Only operators review; a seller cannot.
    expect((await s.owner.post(`/api/admin/b2b/licences/${submitted.json().licence.id}/review`, { decision: 'approve' })).status).toBe(403);
    const pending = (await s.op.get('/api/admin/b2b/licences?status=pending')).json().licences as { id: string }[];
    expect(pending.map((l) => l.id)).toContain(submitted.json().licence.id);
    const approved = await s.op.post(`/api/admin/b2b/licences/${submitted.json().licence.id}/review`, { decision: 'approve' });
    expect(approved.json().licence.status).toBe('approved');
    expect((await s.op.post(`/api/admin/b2b/licences/${submitted.json().licence.id}/review`, { decision: 'reject' })).json().error.code).toBe('B2B_LICENCE_NOT_PENDING');
    const view = (await buyer.client.get(`/api/b2b/products/${product.id}`)).json();
    expect(view.qualified).toBe(true);
    expect(view.product.tiers).toEqual(TIERS);
    expect(view.product.samples).toEqual({ limit: 2, priceFen: 500 });
    expect((await buyer.client.get(`/api/b2b/products/${product.id}/prices`)).json().tiers).toEqual(TIERS);
    const events = await server().database.db.selectFrom('business_events').select(['type', 'subject_id']).where('type', '=', 'b2b.licence.reviewed').execute();
    expect(events.map((e) => e.subject_id)).toContain(submitted.json().licence.id);
  });

  it('prices each quantity at its tier, counting all lines of a product, and refuses an order below the MOQ', async () => {
    const quote = async (items: ReturnType<typeof line>[]) => (await buyer.client.post('/api/checkout/quote', { items })).json().quote;
    expect((await quote([line(50)])).lines[0].unitPriceFen).toBe(1200);
    expect((await quote([line(99)])).itemsTotalFen).toBe(99 * 1200);
    expect((await quote([line(100)])).lines[0].unitPriceFen).toBe(1000);
    expect((await quote([line(999)])).lines[0].unitPriceFen).toBe(1000);
    expect((await quote([line(1000)])).lines[0].unitPriceFen).toBe(850);
    // 600 + 400 of two SKUs reach the 1,000 tier together.
    const mixed = await quote([line(600, 0), line(400, 1)]);
    expect(mixed.lines.map((l: { unitPriceFen: number }) => l.unitPriceFen)).toEqual([850, 850]);
    expect(mixed.itemsTotalFen).toBe(1000 * 850);
    expect(mixed.kindData.wholesale).toEqual([{ productId: product.id, quantity: 1000, unitPriceFen: 850, moq: 50 }]);

    const before = { orders: await orderCount(server()), stock: await stockOf(server(), product.skus[0]!.id) };
    for (const items of [[line(49)], [line(30, 0), line(19, 1)]]) {
      const below = await buyer.client.post('/api/orders', { items });
      expect(below.status).toBe(422);
      expect(below.json().error.code).toBe('B2B_BELOW_MOQ');
      expect(below.json().error.message).toContain('50');
    }
    expect(await orderCount(server())).toBe(before.orders);
    expect(await stockOf(server(), product.skus[0]!.id)).toBe(before.stock);

    const placed = await buyer.client.post('/api/orders', { items: [line(120)] });
    expect(placed.status).toBe(201);
    expect(placed.json().order).toMatchObject({ kind: 'wholesale', itemsTotalFen: 120_000 });
    expect(placed.json().order.items[0]).toMatchObject({ unitPriceFen: 1000, quantity: 120, paidFen: 120_000 });
    expect(await stockOf(server(), product.skus[0]!.id)).toBe(before.stock - 120);
  });

  it('sells samples at the sample price within the per-buyer limit; a cancelled sample gives its allowance back', async () => {
    const sample = (quantity: number) => buyer.client.post(`/api/b2b/products/${product.id}/samples`, { skuId: product.skus[1]!.id, quantity });
    const first = await sample(1);
    expect(first.status).toBe(201);
    expect(first.json().order).toMatchObject({ kind: 'wholesale', itemsTotalFen: 500, kindData: { sample: { quantity: 1 } } });
    expect((await sample(2)).json().error.code).toBe('B2B_SAMPLE_LIMIT');
    expect((await sample(1)).status).toBe(201);
    const over = await sample(1);
    expect(over.status).toBe(409);
    expect(over.json().error.code).toBe('B2B_SAMPLE_LIMIT');
    expect((await buyer.client.post(`/api/orders/${first.json().order.id}/cancel`)).status).toBe(200);
    expect((await sample(1)).status).toBe(201);
  });

  it('answers a request for quotation with a quote the buyer accepts into an order at the quoted price', async () => {
    const sku = product.skus[0]!.id;
    expect((await buyer.client.post(`/api/b2b/products/${product.id}/rfqs`, { skuId: sku, quantity: 40 })).json().error.code).toBe('B2B_BELOW_MOQ');
    const asked = await buyer.client.post(`/api/b2b/products/${product.id}/rfqs`, { skuId: sku, quantity: 5000, targetPriceFen: 800, note: '长期合作，月结' });
    expect(asked.status).toBe(201);
    const rfqId = asked.json().rfq.id as string;
    expect((await buyer.client.post(`/api/b2b/rfqs/${rfqId}/accept`, {})).json().error.code).toBe('B2B_RFQ_NOT_QUOTED');
    // Another seller cannot see or answer it.
    const other = await seller(server());
    expect((await other.owner.post(`/api/orgs/${other.orgId}/b2b/rfqs/${rfqId}/quote`, { unitPriceFen: 1 })).json().error.code).toBe('B2B_RFQ_NOT_FOUND');
    expect((await other.owner.get(`/api/orgs/${other.orgId}/b2b/rfqs`)).json().rfqs).toEqual([]);
    expect((await other.owner.get(`/api/orgs/${s.orgId}/b2b/rfqs`)).status).toBe(403);
    const listed = (await s.owner.get(`/api/orgs/${s.orgId}/b2b/rfqs`)).json().rfqs as { id: string; targetPriceFen: number }[];
    expect(listed.find((r) => r.id === rfqId)?.targetPriceFen).toBe(800);
    const quoted = await s.owner.post(`/api/orgs/${s.orgId}/b2b/rfqs/${rfqId}/quote`, { unitPriceFen: 820, note: '含税含运', validDays: 7 });
    expect(quoted.json().rfq).toMatchObject({ status: 'quoted', quote: { unitPriceFen: 820, totalFen: 5000 * 820 } });
    expect((await s.owner.post(`/api/orgs/${s.orgId}/b2b/rfqs/${rfqId}/quote`, { unitPriceFen: 700 })).json().error.code).toBe('B2B_RFQ_NOT_OPEN');
    const stock = await stockOf(server(), sku);
    const accepted = await buyer.client.post(`/api/b2b/rfqs/${rfqId}/accept`, {});
    expect(accepted.status).toBe(201);
    expect(accepted.json().order.items[0]).toMatchObject({ unitPriceFen: 820, quantity: 5000, paidFen: 4_100_000 });
    expect(accepted.json().order.kindData).toEqual({ rfqId, quotedUnitPriceFen: 820 });
    expect(await stockOf(server(), sku)).toBe(stock - 5000);
    expect((await buyer.client.post(`/api/b2b/rfqs/${rfqId}/accept`, {})).json().error.code).toBe('B2B_RFQ_NOT_QUOTED');
    expect((await buyer.client.get('/api/b2b/rfqs')).json().rfqs.find((r: { id: string }) => r.id === rfqId)).toMatchObject({ status: 'ordered', orderId: accepted.json().order.id });

    // A quote past its validity is refused.
    const late = (await buyer.client.post(`/api/b2b/products/${product.id}/rfqs`, { skuId: sku, quantity: 200 })).json().rfq.id as string;
    await s.owner.post(`/api/orgs/${s.orgId}/b2b/rfqs/${late}/quote`, { unitPriceFen: 950, validDays: 1 });
    server().clock.advance(2 * 86_400_000);
    const expired = await buyer.client.post(`/api/b2b/rfqs/${late}/accept`, {});
    expect(expired.status).toBe(409);
    expect(expired.json().error.code).toBe('B2B_QUOTE_EXPIRED');
  });

  it('keeps a lead only with the viewer’s consent, and shows it in the seller’s console only', async () => {
    const host = await streamer(server());
    await joinOrg(server(), s.orgId, host.id); // the seller's own streamer, so the live may name it
    const { session } = (await host.client.post('/api/streamer/live-sessions', { title: '工厂直播：保温杯源头', scheduledAt: new Date(server().clock.now().getTime() + 60_000).toISOString(), brandOrgId: s.orgId })).json();
    const viewer = await newBuyer(server(), false);
    const lead = { sessionId: session.id, productId: product.id, name: '李经理', contact: '13812345678', company: '宁波百货批发', need: '每月 3000 只，需贴牌' };
    for (const consent of [undefined, false]) {
      const refused = await viewer.client.post('/api/b2b/leads', { ...lead, consent });
      expect(refused.status).toBe(422);
      expect(refused.json().error.code).toBe('B2B_LEAD_CONSENT_REQUIRED');
    }
    expect((await s.owner.get(`/api/orgs/${s.orgId}/b2b/leads`)).json().leads).toEqual([]);
    const kept = await viewer.client.post('/api/b2b/leads', { ...lead, consent: true });
    expect(kept.status).toBe(201);
    const leads = (await s.owner.get(`/api/orgs/${s.orgId}/b2b/leads`)).json().leads;
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({ name: '李经理', contact: '13812345678', need: '每月 3000 只，需贴牌', sessionId: session.id });
    expect((await viewer.client.get(`/api/orgs/${s.orgId}/b2b/leads`)).status).toBe(403);
    const event = await server().database.db.selectFrom('business_events').select('payload').where('type', '=', 'b2b.lead.captured').where('subject_id', '=', kept.json().lead.id).executeTakeFirstOrThrow();
    expect(event.payload).not.toContain('13812345678');
  });
});
