// 直播+消费帮扶 (docs/ORIGIN.md), on SQLite and PostgreSQL: producers only in designated areas, batch
// certifications of goods, the public traceability page, the producer's proceeds posted to the ledger
// when the order settles (and clawed back by a later refund, the journal balanced), and the report by
// county and producer with its CSV.
import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator } from './helpers/people.ts';
import type { TestServer } from './helpers/server.ts';
import { payInSandbox, shop, waitFor } from './helpers/shop.ts';

const DAY = 86_400_000;
const LANCANG = { code: '530828', name: '澜沧拉祜族自治县', province: '云南省', designation: '国家乡村振兴重点帮扶县' };

describeEachDatabase('origin certification', ({ server }) => {
  let w: Awaited<ReturnType<typeof shop>> & { op: Awaited<ReturnType<typeof operator>>['client'] };
  let producerId = '';
  const balance = (id: string) => server().services.ledger.store.balanceOf(id);
  const balanced = async () => {
    const v = await server().services.ledger.store.verify();
    expect(v.journalSum).toBe(0);
    expect(v.unbalancedTransfers).toEqual([]);
    expect(v.mismatches).toEqual([]);
  };

  async function paidAndSettled(s: TestServer, quantity: number) {
    const sku = w.butterfly.skus[1]!; // 500g at 128.00, no live price
    const order = (await w.buyer.client.post('/api/orders', { items: [{ productId: w.butterfly.id, skuId: sku.id, quantity }] })).json().order;
    await payInSandbox(s, w.buyer.client, order.id);
    await s.services.events.drain();
    expect((await w.owner.post(`/api/orgs/${w.orgId}/orders/${order.id}/ship`, { carrier: '顺丰速运', trackingNo: `SF${Date.now()}` })).status).toBe(200);
    expect((await w.owner.post(`/api/orgs/${w.orgId}/orders/${order.id}/deliver`)).status).toBe(200);
    expect((await w.buyer.client.post(`/api/orders/${order.id}/confirm-receipt`)).status).toBe(200);
    await s.services.events.drain();
    s.clock.advance(7 * DAY + 60_000);
    // The ledger's own sweep may have settled it a moment earlier.
    const run = await w.op.post('/api/admin/ledger/settlement-runs', { orderId: order.id });
    if (run.status !== 201) expect(run.errorCode).toBe('LEDGER_ALREADY_SETTLED');
    return order as { id: string; totalFen: number; items: { id: string; paidFen: number }[] };
  }

  it('certifies producers only in designated areas, and batches only of goods', async () => {
    const s = await shop(server());
    const op = await operator(server());
    w = { ...s, op: op.client };
    const producer = { name: '澜沧县惠民乡景迈茶农专业合作社', areaCode: LANCANG.code, description: '景迈山古茶园，82 户茶农' };
    const undesignated = await w.owner.post(`/api/orgs/${w.orgId}/origin/producers`, producer);
    expect(undesignated.status).toBe(422);
    expect(undesignated.json().error.code).toBe('ORIGIN_AREA_NOT_DESIGNATED');
    expect((await w.owner.get(`/api/orgs/${w.orgId}/origin/producers`)).json().producers).toEqual([]);
    expect((await w.owner.post('/api/admin/origin/areas', LANCANG)).status).toBe(403);
    expect((await w.op.post('/api/admin/origin/areas', LANCANG)).status).toBe(201);
    expect((await w.op.post('/api/admin/origin/areas', LANCANG)).json().error.code).toBe('ORIGIN_AREA_EXISTS');
    const created = await w.owner.post(`/api/orgs/${w.orgId}/origin/producers`, producer);
    expect(created.status).toBe(201);
    producerId = created.json().producer.id;

    const cert = { productId: w.butterfly.id, producerId, certifier: '云南省农产品质量安全中心', certificateNo: 'LSNCP-2026-0831', batchNo: 'JM-2026-03', producedOn: '2026-03-28', shareBps: 6000, notes: '春茶一芽二叶' };
    const first = await w.owner.post(`/api/orgs/${w.orgId}/origin/certifications`, { ...cert, batchNo: 'JM-2025-10', producedOn: '2025-10-10' });
    expect(first.status).toBe(201);
    const second = await w.owner.post(`/api/orgs/${w.orgId}/origin/certifications`, cert);
    expect(second.json().certification).toMatchObject({ batchNo: 'JM-2026-03', current: true, areaCode: LANCANG.code });
    expect((await w.owner.post(`/api/orgs/${w.orgId}/origin/certifications`, cert)).json().error.code).toBe('ORIGIN_BATCH_EXISTS');
    // Another brand's product looks missing; a wholesale product carries no origin certification.
    const other = await shop(server());
    expect((await other.owner.post(`/api/orgs/${other.orgId}/origin/certifications`, cert)).json().error.code).toBe('PRODUCT_NOT_FOUND');
    const wholesale = await w.owner.post(`/api/orgs/${w.orgId}/b2b/products`, { title: '批发普洱', category: '茶叶', skus: [{ spec: { 规格: '357g' }, priceFen: 9900, stock: 100 }], tiers: [{ minQty: 1, unitPriceFen: 5000 }], moq: 10 });
    expect((await w.owner.post(`/api/orgs/${w.orgId}/origin/certifications`, { ...cert, productId: wholesale.json().product.id })).json().error.code).toBe('ORIGIN_NOT_GOODS');
  });

  it('opens a public traceability page, current batch first', async () => {
    const page = await server().client().get(`/api/origin/products/${w.butterfly.id}`);
    expect(page.status).toBe(200);
    const body = page.json();
    expect(body.batches.map((b: { batchNo: string }) => b.batchNo)).toEqual(['JM-2026-03', 'JM-2025-10']);
    expect(body.batches[0]).toMatchObject({ current: true, certifier: '云南省农产品质量安全中心', certificateNo: 'LSNCP-2026-0831', producer: { name: '澜沧县惠民乡景迈茶农专业合作社' }, area: LANCANG });
    const none = await server().client().get(`/api/origin/products/${w.serum.id}`);
    expect(none.status).toBe(404);
    expect(none.json().error.code).toBe('ORIGIN_NOT_CERTIFIED');
    // The room's 小黄车 marks the certified product, whose card links to this page.
    const cart = (await server().client().get(`/api/rooms/${w.sessionId}/products`)).json().products as { id: string; traceable: boolean }[];
    expect(cart.find((p) => p.id === w.butterfly.id)!.traceable).toBe(true);
    expect(cart.find((p) => p.id === w.serum.id)!.traceable).toBe(false);
  });

  it('posts the producer’s share to the ledger when the order settles, and takes it back from a later refund', async () => {
    const brandBefore = await balance(`brand:${w.orgId}`);
    const order = await paidAndSettled(server(), 2); // 2 × 128.00 = 25 600, no shipping (free over 99.00)
    expect(order.totalFen).toBe(25_600);
    // Not yet: the sweep posts after settlement.
    expect(await balance(`producer:${producerId}`)).toBe(0);
    await server().services.origin.proceeds.postSettled();
    expect(await server().services.origin.proceeds.postSettled()).toBe(0); // once
    // 60 % of the line's net 25 600 = 15 360, from the brand's share (25 600 − 5 % fee 1 280 = 24 320).
    expect(await balance(`producer:${producerId}`)).toBe(15_360);
    expect((await balance(`brand:${w.orgId}`)) - brandBefore).toBe(24_320 - 15_360);
    const transfer = await server().database.db.selectFrom('ledger_transfers').selectAll().where('key', '=', `origin:${order.id}`).executeTakeFirstOrThrow();
    expect(transfer.kind).toBe('origin_proceeds');
    await balanced();

    // ¥30.00 refunded after settlement: the producer gives back 60 % of it.
    const res = await w.buyer.client.post(`/api/orders/${order.id}/after-sales`, { kind: 'return_refund', amountFen: 3000, reason: '包装破损' });
    expect(res.status, res.body).toBe(201);
    const asId = res.json().afterSale.id as string;
    await w.owner.post(`/api/orgs/${w.orgId}/after-sales/${asId}/approve`, {});
    await w.buyer.client.post(`/api/after-sales/${asId}/return-shipment`, { carrier: '顺丰速运', trackingNo: 'SF9990001112' });
    await w.owner.post(`/api/orgs/${w.orgId}/after-sales/${asId}/receive`);
    await waitFor(async () => (await server().database.db.selectFrom('after_sales').select('status').where('id', '=', asId).executeTakeFirst())?.status === 'refunded');
    await server().services.events.drain();
    expect(await balance(`producer:${producerId}`)).toBe(15_360 - 1_800);
    await balanced();
  });

  it('reports sales and proceeds by county and producer, as JSON and CSV', async () => {
    const report = (await w.owner.get(`/api/orgs/${w.orgId}/origin/report`)).json();
    expect(report.counties).toEqual([{ areaCode: LANCANG.code, county: LANCANG.name, province: LANCANG.province, orders: 1, units: 2, salesFen: 25_600 - 3000, proceedsFen: 13_560 }]);
    expect(report.producers[0]).toMatchObject({ producerId, producer: '澜沧县惠民乡景迈茶农专业合作社', orders: 1, units: 2, salesFen: 22_600, proceedsFen: 13_560, pendingLines: 0 });
    const csv = await w.owner.get(`/api/orgs/${w.orgId}/origin/report?format=csv`);
    expect(csv.raw.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[1]).toBe('云南省,澜沧拉祜族自治县,530828,澜沧县惠民乡景迈茶农专业合作社,1,2,226.00,135.60');
    // Another brand sees only its own; the platform's report has everyone's.
    const other = await shop(server());
    expect((await other.owner.get(`/api/orgs/${other.orgId}/origin/report`)).json().producers).toEqual([]);
    expect((await other.owner.get(`/api/orgs/${w.orgId}/origin/report`)).status).toBe(403);
    expect((await w.op.get('/api/admin/origin/report')).json().counties[0].areaCode).toBe(LANCANG.code);
  });
}, { listen: true, timeoutMs: 120_000 });
