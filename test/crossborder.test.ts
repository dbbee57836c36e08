// 直播+跨境电商 cross-border retail import (docs/CROSSBORDER.md), on SQLite and PostgreSQL: the buyer's
// real-name identity (GB 11643), the payer who must be the buyer, the ¥5,000 per-transaction and
// ¥26,000 per-person-per-year limits (also under racing orders), the single indivisible item taxed at
// the general-trade rate, the 70 % retail tax in fen, and the customs messages validated against XSDs.
import { expect, it } from 'vitest';
import { validateMessage } from '../server/crossborder/customs.ts';
import { makeIdNumber } from '../server/streamers/idcard.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator } from './helpers/people.ts';
import type { TestClient, TestServer } from './helpers/server.ts';
import { newBuyer, orderCount, payInSandbox, stockOf, tag, waitFor } from './helpers/shop.ts';

type Product = { id: string; skus: { id: string }[] };
let seq = 0;
const idFor = (n: number) => makeIdNumber('310104', `1990-0${(n % 9) + 1}-1${n % 10}`, String(100 + (n % 900)).padStart(3, '0'));

/** A brand with three cross-border products: milk powder (AU, bonded), a serum (JP, direct, 15 % consumption tax), a watch (CH, indivisible). */
async function crossBorderShop(server: TestServer) {
  const owner = server.client();
  await owner.register(`cb-brand-${tag()}@example.com`);
  const org = (await owner.post('/api/orgs', { kind: 'brand', name: `跨境品牌${tag()}`, licenceName: '上海跨境优选贸易有限公司', licenceNo: '91310000MA1FL0XX1X' })).json().org;
  const op = await operator(server);
  await op.client.post(`/api/admin/orgs/${org.id}/review`, { decision: 'approve' });
  const create = async (title: string, priceFen: number, stock: number) =>
    (await owner.post(`/api/orgs/${org.id}/products`, { title, category: '跨境', returnPolicy: 'standard', skus: [{ spec: { 规格: '标准' }, priceFen, stock }] })).json().product as Product;
  const milk = await create('澳洲婴幼儿配方奶粉 900g', 39_900, 1000);
  const serum = await create('日本精华液 30ml', 10_000, 100);
  const watch = await create('瑞士机械腕表', 800_000, 20);
  const cb = (p: Product, body: Record<string, unknown>) => owner.put(`/api/orgs/${org.id}/crossborder/products/${p.id}`, body);
  expect((await cb(milk, { originCountry: 'AU', mode: 'bonded', vatRateBp: 1300, consumptionTaxRateBp: 0, tariffRateBp: 1500, indivisible: false, hsCode: '1901101000' })).status).toBe(200);
  expect((await cb(serum, { originCountry: 'JP', mode: 'direct', vatRateBp: 1300, consumptionTaxRateBp: 1500, tariffRateBp: 500, indivisible: false, hsCode: '3304990029' })).status).toBe(200);
  expect((await cb(watch, { originCountry: 'CH', mode: 'direct', vatRateBp: 1300, consumptionTaxRateBp: 2000, tariffRateBp: 1000, indivisible: true, hsCode: '9101219000' })).status).toBe(200);
  // Shipping ¥10, free from ¥1,000.
  await owner.put(`/api/orgs/${org.id}/shipping-rule`, { baseFeeFen: 1000, freeOverFen: 100_000 });
  return { owner, orgId: org.id as string, milk, serum, watch };
}

/** A buyer with an address and (unless told otherwise) a verified identity. */
async function buyer(server: TestServer, verified = true) {
  const b = await newBuyer(server);
  const n = seq++;
  const name = `跨境买家${n}`;
  const idNumber = idFor(n + Math.floor(Math.random() * 800));
  if (verified) expect((await b.client.put('/api/crossborder/identity', { realName: name, idNumber })).status).toBe(200);
  return { ...b, name, idNumber };
}

const line = (p: Product, quantity: number) => ({ items: [{ productId: p.id, skuId: p.skus[0]!.id, quantity }] });
const usedOf = async (client: TestClient) => (await client.get('/api/crossborder/identity')).json().annualUsedFen as number;

describeEachDatabase('cross-border retail import (直播+跨境电商)', ({ server }) => {
  it('verifies the buyer by real name and a GB 11643 ID number; a bad check digit or birth date is refused and stores nothing', async () => {
    const b = await buyer(server(), false);
    const good = makeIdNumber('110101', '1988-02-29', '123');
    const badCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const refused = await b.client.put('/api/crossborder/identity', { realName: '张三', idNumber: badCheck });
    expect([refused.status, refused.errorCode]).toEqual([422, 'CROSSBORDER_ID_INVALID']);
    // A valid check digit but a birth date in the future (the clock is in November 2026), or no such day.
    for (const id of [makeIdNumber('110101', '2027-01-15', '123'), makeIdNumber('110101', '1989-02-29', '123')]) {
      const r = await b.client.put('/api/crossborder/identity', { realName: '张三', idNumber: id });
      expect([r.status, r.errorCode]).toEqual([422, 'CROSSBORDER_ID_INVALID']);
    }
    expect((await b.client.get('/api/crossborder/identity')).json().identity).toBeNull();
    expect(await server().database.db.selectFrom('crossborder_identities').select('user_id').where('user_id', '=', b.id).execute()).toEqual([]);
    const ok = await b.client.put('/api/crossborder/identity', { realName: '张三', idNumber: good.toLowerCase() });
    expect(ok.status).toBe(200);
    expect(ok.json().identity).toMatchObject({ realName: '张三', idNumberMasked: `110101********${good.slice(-4)}`, birthDate: '1988-02-29' });
    // The number itself is stored encrypted, never in clear.
    const row = await server().database.db.selectFrom('crossborder_identities').selectAll().where('user_id', '=', b.id).executeTakeFirstOrThrow();
    expect(row.id_number_enc).not.toContain(good);
  });

  it('shows the origin, mode and tax class; the buy sheet quotes the tax of the worked example in fen', async () => {
    const s = await crossBorderShop(server());
    const facts = (await server().client().get(`/api/crossborder/products/${s.milk.id}`)).json().product;
    expect(facts).toMatchObject({ originCountry: 'AU', mode: 'bonded', vatRateBp: 1300, consumptionTaxRateBp: 0, indivisible: false, retailRateBp: 910 });
    expect((await server().client().get(`/api/crossborder/products/${s.serum.id}`)).json().product.retailRateBp).toBe(2306);
    // A quote needs no identity yet. Worked example: one tin ¥399.00 + shipping ¥10.00 = dutiable ¥409.00;
    // VAT 409.00 × 13 % × 70 % = 37.219 → ¥37.22 (half-up to the fen); tariff 0, no consumption tax.
    const b = await buyer(server(), false);
    const q = (await b.client.post('/api/checkout/quote', line(s.milk, 1))).json().quote;
    expect(q).toMatchObject({ kind: 'crossborder', itemsTotalFen: 39_900, shippingFen: 1000, taxFen: 3722, totalFen: 44_622 });
    expect(q.kindData).toMatchObject({ regime: 'retail', dutiableFen: 40_900, tariffFen: 0, consumptionTaxFen: 0, vatFen: 3722, identity: null });
    expect(q.kindData.lines[0]).toMatchObject({ originCountry: 'AU', mode: 'bonded', dutiableFen: 40_900, vatFen: 3722 });
    // With consumption tax: 2 × ¥100.00 + ¥10.00 shipping = ¥210.00; CT = 210 × 15 % ÷ 85 % × 70 % = 25.941… → ¥25.94,
    // VAT = 210 × 13 % ÷ 85 % × 70 % = 22.482… → ¥22.48; tax ¥48.42.
    const q2 = (await b.client.post('/api/checkout/quote', line(s.serum, 2))).json().quote;
    expect(q2).toMatchObject({ taxFen: 4842, totalFen: 20_000 + 1000 + 4842 });
    expect(q2.kindData).toMatchObject({ consumptionTaxFen: 2594, vatFen: 2248 });
    // Ordering needs the verified identity.
    const before = await orderCount(server());
    const refused = await b.client.post('/api/orders', line(s.milk, 1));
    expect([refused.status, refused.errorCode]).toEqual([403, 'CROSSBORDER_IDENTITY_REQUIRED']);
    expect(await orderCount(server())).toBe(before);
  });

  it('adds the tax to the order; a payer who is not the buyer is refused and nothing is stored', async () => {
    const s = await crossBorderShop(server());
    const b = await buyer(server());
    const stock = await stockOf(server(), s.milk.skus[0]!.id);
    const before = await orderCount(server());
    const other = idFor(777);
    const wrong = await b.client.post('/api/orders', { ...line(s.milk, 1), crossBorder: { payerName: '李四', payerIdNumber: other } });
    expect([wrong.status, wrong.errorCode]).toEqual([422, 'CROSSBORDER_PAYER_NOT_BUYER']);
    const wrongName = await b.client.post('/api/orders', { ...line(s.milk, 1), crossBorder: { payerName: '李四', payerIdNumber: b.idNumber } });
    expect(wrongName.errorCode).toBe('CROSSBORDER_PAYER_NOT_BUYER');
    const badId = await b.client.post('/api/orders', { ...line(s.milk, 1), crossBorder: { payerName: b.name, payerIdNumber: '310104199001011234' } });
    expect([badId.status, badId.errorCode]).toEqual([422, 'CROSSBORDER_ID_INVALID']);
    expect(await orderCount(server())).toBe(before);
    expect(await stockOf(server(), s.milk.skus[0]!.id)).toBe(stock);
    expect(await usedOf(b.client)).toBe(0);
    const placed = await b.client.post('/api/orders', { ...line(s.milk, 1), crossBorder: { payerName: b.name, payerIdNumber: b.idNumber } });
    expect(placed.status).toBe(201);
    expect(placed.json().order).toMatchObject({ kind: 'crossborder', taxFen: 3722, totalFen: 44_622 });
    expect(placed.json().order.kindData.identity.realName).toBe(b.name);
    expect(await usedOf(b.client)).toBe(40_900);
  });

  it('refuses an order over ¥5,000 per transaction, except one indivisible item, taxed at the full general-trade rate', async () => {
    const s = await crossBorderShop(server());
    const b = await buyer(server());
    const before = await orderCount(server());
    // 13 tins = ¥5,187.00 (shipping free): over the limit.
    const over = await b.client.post('/api/orders', line(s.milk, 13));
    expect([over.status, over.errorCode]).toEqual([422, 'CROSSBORDER_OVER_TRANSACTION_LIMIT']);
    expect((await b.client.post('/api/checkout/quote', line(s.milk, 13))).errorCode).toBe('CROSSBORDER_OVER_TRANSACTION_LIMIT');
    // 12 tins = ¥4,788.00: within.
    expect((await b.client.post('/api/checkout/quote', line(s.milk, 12))).status).toBe(200);
    // Two watches are two items: refused; one watch (¥8,000, indivisible) is allowed.
    expect((await b.client.post('/api/orders', line(s.watch, 2))).errorCode).toBe('CROSSBORDER_OVER_TRANSACTION_LIMIT');
    expect(await orderCount(server())).toBe(before);
    expect(await usedOf(b.client)).toBe(0);
    const one = await b.client.post('/api/orders', line(s.watch, 1));
    expect(one.status).toBe(201);
    // General trade on ¥8,000.00: tariff 10 % = ¥800.00; CT = (8,000 + 800) × 20 % ÷ 80 % = ¥2,200.00;
    // VAT = (8,000 + 800 + 2,200) × 13 % = ¥1,430.00; tax ¥4,430.00.
    expect(one.json().order).toMatchObject({ taxFen: 443_000, totalFen: 800_000 + 443_000 });
    expect(one.json().order.kindData).toMatchObject({ regime: 'general', tariffFen: 80_000, consumptionTaxFen: 220_000, vatFen: 143_000 });
  });

  it('refuses an order taking the buyer over ¥26,000 in the calendar year (China time); a cancelled order gives its amount back; a new year starts again', async () => {
    const s = await crossBorderShop(server());
    const b = await buyer(server());
    const orders: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await b.client.post('/api/orders', line(s.watch, 1));
      expect(r.status).toBe(201);
      orders.push(r.json().order.id);
    }
    expect(await usedOf(b.client)).toBe(2_400_000);
    const before = await orderCount(server());
    const stock = await stockOf(server(), s.milk.skus[0]!.id);
    // 6 tins: ¥2,394.00 + ¥0 shipping → ¥26,394.00 in the year.
    const over = await b.client.post('/api/orders', line(s.milk, 6));
    expect([over.status, over.errorCode]).toEqual([422, 'CROSSBORDER_OVER_ANNUAL_LIMIT']);
    expect(await orderCount(server())).toBe(before);
    expect(await stockOf(server(), s.milk.skus[0]!.id)).toBe(stock);
    expect(await usedOf(b.client)).toBe(2_400_000);
    // 5 tins (¥1,995.00) fit: ¥25,995.00.
    expect((await b.client.post('/api/orders', line(s.milk, 5))).status).toBe(201);
    expect(await usedOf(b.client)).toBe(2_599_500);
    // The same person under another account shares the quota (the person is the ID number).
    const twin = await newBuyer(server());
    expect((await twin.client.put('/api/crossborder/identity', { realName: b.name, idNumber: b.idNumber })).status).toBe(200);
    expect((await twin.client.post('/api/orders', line(s.milk, 1))).errorCode).toBe('CROSSBORDER_OVER_ANNUAL_LIMIT');
    // Cancelling a pending watch order gives ¥8,000 back, once.
    expect((await b.client.post(`/api/orders/${orders[0]}/cancel`)).status).toBe(200);
    expect(await usedOf(b.client)).toBe(1_799_500);
    expect((await b.client.post(`/api/orders/${orders[0]}/cancel`)).status).toBe(409);
    expect(await usedOf(b.client)).toBe(1_799_500);
    // The year is the calendar year in China time: at 2026-12-31 23:59 (UTC+8) still 2026; a minute later 2027 starts at ¥0.
    // Weeks later the unpaid orders are past their payment deadline: cancelled by the sweep (run here, not left to
    // the background timer's moment), each giving its amount back.
    server().clock.advance(Date.parse('2026-12-31T15:59:00Z') - server().clock.now().getTime());
    // The jump is longer than a login lasts (SESSION_TTL_DAYS, 30): the buyer's session is kept alive across it, as a
    // buyer logging in again would be (otherwise only the node's 2-second session cache hid the expiry, by timing).
    await server().database.db.updateTable('sessions').set({ expires_at: '2027-06-30T00:00:00.000Z' }).where('user_id', '=', b.id).execute();
    await server().services.commerce.sweep();
    expect(await usedOf(b.client)).toBe(0);
    expect((await b.client.post('/api/orders', line(s.milk, 1))).status).toBe(201);
    const lastAnswer = await b.client.get('/api/crossborder/identity');
    expect(lastAnswer.status, lastAnswer.body).toBe(200);
    const last = lastAnswer.json();
    expect([last.year, last.annualUsedFen]).toEqual([2026, 40_900]);
    server().clock.advance(60_000);
    const fresh = (await b.client.get('/api/crossborder/identity')).json();
    expect([fresh.year, fresh.annualUsedFen]).toEqual([2027, 0]);
    const newYear = await b.client.post('/api/orders', line(s.milk, 6));
    expect(newYear.status).toBe(201);
    expect(newYear.json().order.kindData).toMatchObject({ year: 2027, annualUsedFen: 0 });
  });

  it('never takes a buyer over ¥26,000 when orders race', async () => {
    const s = await crossBorderShop(server());
    const b = await buyer(server());
    // 8 orders of 12 tins (¥4,788.00 each) at once: only 5 fit in ¥26,000.
    const answers = await Promise.all(Array.from({ length: 8 }, () => b.client.post('/api/orders', line(s.milk, 12))));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    expect(answers.filter((a) => a.errorCode === 'CROSSBORDER_OVER_ANNUAL_LIMIT')).toHaveLength(3);
    const rows = await server().database.db.selectFrom('orders').select(['total_fen', 'tax_fen']).where('buyer_id', '=', b.id).where('status', '!=', 'cancelled').execute();
    expect(rows.reduce((sum, r) => sum + Number(r.total_fen) - Number(r.tax_fen), 0)).toBe(5 * 478_800);
    expect(await usedOf(b.client)).toBe(5 * 478_800);
    expect(await stockOf(server(), s.milk.skus[0]!.id)).toBe(1000 - 60);
  });

  it('the ledger holds the tax for customs: the brand settles on goods and shipping, the fee is not taken from the tax, and a refund after settlement takes back its part of the tax', async () => {
    const s = await crossBorderShop(server());
    const b = await buyer(server());
    const op = await operator(server());
    const { ledger, events } = server().services;
    const balance = (id: string) => ledger.store.balanceOf(id);
    const taxBefore = await balance('platform:crossborder-tax');
    const feesBefore = await balance('platform:fees');
    // ¥399.00 + ¥10.00 shipping + ¥37.22 tax = ¥446.22.
    const placed = (await b.client.post('/api/orders', line(s.milk, 1))).json().order;
    expect(placed).toMatchObject({ totalFen: 44_622, taxFen: 3722 });
    await payInSandbox(server(), b.client, placed.id);
    expect((await s.owner.post(`/api/orgs/${s.orgId}/orders/${placed.id}/ship`, { carrier: '中国邮政', trackingNo: 'EMS2026120801' })).status).toBe(200);
    expect((await s.owner.post(`/api/orgs/${s.orgId}/orders/${placed.id}/deliver`)).status).toBe(200);
    expect((await b.client.post(`/api/orders/${placed.id}/confirm-receipt`)).status).toBe(200);
    await events.drain();
    server().clock.advance(7 * 86_400_000 + 2 * 60_000);
    const run = await op.client.post('/api/admin/ledger/settlement-runs', { orderId: placed.id });
    expect(run.status, run.body).toBe(201);
    // What the sale earned E = 40,900 (goods and shipping); fee 5 % of it = 2,045; no streamer, so no commission.
    expect(await balance(`brand:${s.orgId}`)).toBe(40_900 - 2045);
    expect((await balance('platform:fees')) - feesBefore).toBe(2045);
    expect((await balance('platform:crossborder-tax')) - taxBefore).toBe(3722);

    // ¥100.00 back to the buyer (a return inside the 7-day window), not tied to a line, after settlement: taken back in proportion to what each got,
    // 10,000 × (38,855, 2,045, 3,722) / 44,622 = 8,708, 458, 834 by largest remainder.
    const asked = await b.client.post(`/api/orders/${placed.id}/after-sales`, { kind: 'return_refund', amountFen: 10_000, reason: '七天无理由' });
    expect(asked.status, asked.body).toBe(201);
    const afterSale = asked.json().afterSale;
    await s.owner.post(`/api/orgs/${s.orgId}/after-sales/${afterSale.id}/approve`, {});
    await b.client.post(`/api/after-sales/${afterSale.id}/return-shipment`, { carrier: '中国邮政', trackingNo: 'EMS2026120802' });
    await s.owner.post(`/api/orgs/${s.orgId}/after-sales/${afterSale.id}/receive`);
    await waitFor(async () => (await server().database.db.selectFrom('after_sales').select('status').where('id', '=', afterSale.id).executeTakeFirst())?.status === 'refunded');
    await events.drain();
    expect(await balance(`brand:${s.orgId}`)).toBe(38_855 - 8708);
    expect((await balance('platform:fees')) - feesBefore).toBe(2045 - 458);
    expect((await balance('platform:crossborder-tax')) - taxBefore).toBe(3722 - 834);
    const verified = await ledger.store.verify();
    expect(verified.journalSum).toBe(0);
    expect(verified.unbalancedTransfers).toEqual([]);
    expect(verified.mismatches).toEqual([]);
  });

  it('writes CEB311, CEB411 and CEB511 for a paid order, valid against their XSDs, for the brand only', async () => {
    const s = await crossBorderShop(server());
    const b = await buyer(server());
    const placed = (await b.client.post('/api/orders', line(s.milk, 2))).json().order;
    expect((await s.owner.get(`/api/orgs/${s.orgId}/crossborder/orders/${placed.id}/messages`)).errorCode).toBe('CROSSBORDER_NOT_DECLARED');
    await payInSandbox(server(), b.client, placed.id);
    const list = (await s.owner.get(`/api/orgs/${s.orgId}/crossborder/declarations`)).json().declarations;
    expect(list.map((d: { orderId: string }) => d.orderId)).toContain(placed.id);
    const messages = (await s.owner.get(`/api/orgs/${s.orgId}/crossborder/orders/${placed.id}/messages`)).json().messages as { type: string; xml: string; valid: boolean }[];
    expect(messages.map((m) => [m.type, m.valid])).toEqual([['CEB311', true], ['CEB411', true], ['CEB511', true]]);
    const [order, payment, waybill] = messages.map((m) => m.xml);
    // 2 × ¥399.00 + ¥10.00 shipping; tax 808 × 9.1 % = 73.528 → ¥73.53; paid ¥881.53.
    expect(order).toContain('<ceb:goodsValue>798.00</ceb:goodsValue>');
    expect(order).toContain('<ceb:freight>10.00</ceb:freight>');
    expect(order).toContain('<ceb:taxTotal>73.53</ceb:taxTotal>');
    expect(order).toContain('<ceb:acturalPaid>881.53</ceb:acturalPaid>');
    expect(order).toContain(`<ceb:buyerIdNumber>${b.idNumber}</ceb:buyerIdNumber>`);
    expect(order).toContain('<ceb:country>601</ceb:country>');
    expect(payment).toContain(`<ceb:payerName>${b.name}</ceb:payerName>`);
    expect(payment).toContain(`<ceb:payerIdNumber>${b.idNumber}</ceb:payerIdNumber>`);
    expect(payment).toContain('<ceb:amountPaid>881.53</ceb:amountPaid>');
    expect(waybill).toContain('placeholder until shipped');
    // The XSD really checks: a message without its buyer ID number, or with a malformed one, fails.
    expect((await validateMessage('CEB311', order!.replace(/<ceb:buyerIdNumber>.*<\/ceb:buyerIdNumber>\n/, ''))).valid).toBe(false);
    expect((await validateMessage('CEB411', payment!.replace(b.idNumber, '12345'))).valid).toBe(false);
    // Shipped: the waybill carries the tracking number.
    expect((await s.owner.post(`/api/orgs/${s.orgId}/orders/${placed.id}/ship`, { carrier: '中国邮政', trackingNo: 'EMS1234567890' })).status).toBe(200);
    const file = await s.owner.get(`/api/orgs/${s.orgId}/crossborder/orders/${placed.id}/messages/CEB511`);
    expect(file.status).toBe(200);
    expect(file.raw.headers['content-type']).toContain('application/xml');
    expect(file.raw.body).toContain('<ceb:logisticsNo>EMS1234567890</ceb:logisticsNo>');
    // Another brand, or the buyer, cannot read them.
    const other = await crossBorderShop(server());
    expect((await other.owner.get(`/api/orgs/${other.orgId}/crossborder/orders/${placed.id}/messages`)).errorCode).toBe('ORDER_NOT_FOUND');
    expect((await b.client.get(`/api/orgs/${s.orgId}/crossborder/orders/${placed.id}/messages`)).status).toBe(403);
    // Nor change another brand's product.
    expect((await other.owner.put(`/api/orgs/${other.orgId}/crossborder/products/${s.milk.id}`, { originCountry: 'AU', mode: 'bonded', vatRateBp: 0, consumptionTaxRateBp: 0, tariffRateBp: 0, indivisible: false, hsCode: '1901101000' })).errorCode).toBe('PRODUCT_NOT_FOUND');
  });
}, { listen: true, timeoutMs: 60_000 });
