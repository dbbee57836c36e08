// The double-entry ledger (docs/LEDGER.md): business events → postings, settlement after the window,
// refunds before and after it, withdrawals, the statements API and who may see what. On SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import { newId } from '../server/platform/ids.ts';
import { toBusinessEvent } from '../server/events/outbox.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator, streamer } from './helpers/people.ts';
import type { TestClient, TestServer } from './helpers/server.ts';
import { payInSandbox, shop, tag, waitFor } from './helpers/shop.ts';

const DAY = 86_400_000;

/** A shop whose 小黄车 pays 20 % commission, whose streamer is signed to an MCN at a 30 % split. */
async function world(server: TestServer) {
  const s = await shop(server);
  const { db } = server.database;
  await db.updateTable('session_products').set({ commission_bps: 2000 }).where('session_id', '=', s.sessionId).execute();
  const mcnOwner = server.client();
  await mcnOwner.register(`mcn-${tag()}@example.com`);
  const mcnOrg = (await mcnOwner.post('/api/orgs', { kind: 'mcn', name: `MCN${tag()}` })).json().org;
  const op = await operator(server);
  await op.client.post(`/api/admin/orgs/${mcnOrg.id}/review`, { decision: 'approve' });
  const at = new Date(server.clock.now().getTime() - DAY).toISOString();
  await db
    .insertInto('mcn_contracts')
    .values({ id: newId(), mcn_org_id: mcnOrg.id, streamer_id: s.host.id, split_bps: 3000, exclusive: 1, starts_at: at, ends_at: null, status: 'accepted', created_at: at, accepted_at: at })
    .execute();
  return { ...s, mcnOwner, mcnOrgId: mcnOrg.id as string, op: op.client };
}
type World = Awaited<ReturnType<typeof world>>;

/** Two 250g 蝴蝶酥 at the live price 61.00: ¥122.00, no shipping. Paid and seen by the ledger. */
async function paidOrder(server: TestServer, w: World, quantity = 2) {
  const sku = w.butterfly.skus[0]!;
  const order = (await w.buyer.client.post('/api/orders', { items: [{ productId: w.butterfly.id, skuId: sku.id, quantity }], sessionId: w.sessionId })).json().order;
  await payInSandbox(server, w.buyer.client, order.id);
  await server.services.events.drain();
  return order as { id: string; totalFen: number; shippingFen: number; items: { id: string; paidFen: number }[] };
}

async function complete(server: TestServer, w: World, orderId: string) {
  expect((await w.owner.post(`/api/orgs/${w.orgId}/orders/${orderId}/ship`, { carrier: '顺丰速运', trackingNo: `SF${Date.now()}` })).status).toBe(200);
  expect((await w.owner.post(`/api/orgs/${w.orgId}/orders/${orderId}/deliver`)).status).toBe(200);
  expect((await w.buyer.client.post(`/api/orders/${orderId}/confirm-receipt`)).status).toBe(200);
  await server.services.events.drain();
}

async function refund(server: TestServer, w: World, orderId: string, kind: 'refund_only' | 'return_refund', amountFen: number) {
  const res = await w.buyer.client.post(`/api/orders/${orderId}/after-sales`, { kind, amountFen, reason: '七天无理由' });
  expect(res.status, res.body).toBe(201);
  const as = res.json().afterSale;
  await w.owner.post(`/api/orgs/${w.orgId}/after-sales/${as.id}/approve`, {});
  if (kind === 'return_refund') {
    await w.buyer.client.post(`/api/after-sales/${as.id}/return-shipment`, { carrier: '顺丰速运', trackingNo: 'SF9990001112' });
    await w.owner.post(`/api/orgs/${w.orgId}/after-sales/${as.id}/receive`);
  }
  await waitFor(async () => (await server.database.db.selectFrom('after_sales').select('status').where('id', '=', as.id).executeTakeFirst())?.status === 'refunded');
  await server.services.events.drain();
  return as.id as string;
}

describeEachDatabase(
  'ledger',
  ({ server }) => {
    const balance = (id: string) => server().services.ledger.store.balanceOf(id);
    const balances = async (w: World) => ({
      brand: await balance(`brand:${w.orgId}`),
      streamer: await balance(`streamer:${w.host.id}`),
      mcn: await balance(`mcn:${w.mcnOrgId}`),
      fees: await balance('platform:fees'),
      clearing: await balance('clearing'),
      buyers: await balance('buyers'),
    });
    const diff = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(a).map((k) => [k, b[k]! - a[k]!]));
    const ledgerOrder = (orderId: string) => server().database.db.selectFrom('ledger_orders').selectAll().where('order_id', '=', orderId).executeTakeFirst();
    const invariantsHold = async () => {
      const v = await server().services.ledger.store.verify();
      expect(v.journalSum).toBe(0);
      expect(v.unbalancedTransfers).toEqual([]);
      expect(v.mismatches).toEqual([]);
      expect(v.orphanPostings).toEqual([]);
      expect(v.pendingMismatches).toEqual([]);
    };

    it('paid → completed → settled after the window: brand, streamer, MCN and platform get exact fen', async () => {
      const w = await world(server());
      const start = await balances(w);
      const order = await paidOrder(server(), w);
      expect(order.totalFen).toBe(12_200);
      // Paid: the money sits in clearing.
      expect(diff(start, await balances(w))).toEqual({ brand: 0, streamer: 0, mcn: 0, fees: 0, clearing: 12_200, buyers: -12_200 });
      expect(await ledgerOrder(order.id)).toMatchObject({ brand_org_id: w.orgId, streamer_id: w.host.id, mcn_org_id: w.mcnOrgId, mcn_split_bps: 3000, platform_fee_bps: 500, status: 'pending', settle_after: null });

      // Not completed: not due.
      const early = await w.op.post('/api/admin/ledger/settlement-runs', { orderId: order.id });
      expect(early.errorCode).toBe('LEDGER_NOT_DUE');
      await complete(server(), w, order.id);
      const terms = await ledgerOrder(order.id);
      expect(new Date(terms!.settle_after!).getTime() - new Date(terms!.completed_at!).getTime()).toBe(7 * DAY);

      // Inside the window: a run settles nothing of it, and asking for it alone is refused.
      server().clock.advance(7 * DAY - 60_000);
      expect((await w.op.post('/api/admin/ledger/settlement-runs', {})).status).toBe(201);
      expect((await ledgerOrder(order.id))!.status).toBe('pending');
      const refused = await w.op.post('/api/admin/ledger/settlement-runs', { orderId: order.id });
      expect(refused.status).toBe(409);
      expect(refused.errorCode).toBe('LEDGER_NOT_DUE');
      expect(diff(start, await balances(w))).toMatchObject({ brand: 0, streamer: 0, mcn: 0, clearing: 12_200 });
      // Each party's statement says what is on its way.
      const pending = async () => [
        (await w.host.client.get('/api/me/ledger')).json(),
        (await w.owner.get(`/api/orgs/${w.orgId}/ledger`)).json(),
        (await w.mcnOwner.get(`/api/orgs/${w.mcnOrgId}/ledger`)).json(),
      ].map((st) => [st.pendingSettlementFen, st.pendingOrders]);
      expect(await pending()).toEqual([[1708, 1], [9150, 1], [732, 1]]);

      // After it: S = 12200, C = 2440, F = 610, M = 732.
      server().clock.advance(2 * 60_000);
      const run = await w.op.post('/api/admin/ledger/settlement-runs', {});
      expect(run.status).toBe(201);
      expect((await ledgerOrder(order.id))!.status).toBe('settled');
      expect(diff(start, await balances(w))).toEqual({ brand: 9150, streamer: 1708, mcn: 732, fees: 610, clearing: 0, buyers: -12_200 });
      expect((await w.op.post('/api/admin/ledger/settlement-runs', { orderId: order.id })).errorCode).toBe('LEDGER_ALREADY_SETTLED');
      await invariantsHold();
      const admin = (await w.op.get('/api/admin/ledger')).json();
      expect(admin.verify).toMatchObject({ journalSum: 0, mismatches: [] });
      expect(admin.runs.length).toBeGreaterThan(0);

      // Each party sees its own statement.
      const mine = (await w.host.client.get('/api/me/ledger')).json();
      expect(mine.account).toMatchObject({ id: `streamer:${w.host.id}`, balanceFen: 1708 });
      expect(mine.entries).toEqual([expect.objectContaining({ kind: 'settlement', orderId: order.id, amountFen: 1708, balanceAfterFen: 1708 })]);
      expect((await w.owner.get(`/api/orgs/${w.orgId}/ledger`)).json().account.balanceFen).toBe(9150);
      expect((await w.mcnOwner.get(`/api/orgs/${w.mcnOrgId}/ledger`)).json().account.balanceFen).toBe(732);
      expect(await pending()).toEqual([[0, 0], [0, 0], [0, 0]]);

      // ¥30.00 refunded after settlement (a return inside the 7-day window): clawed back 9150:1708:732:610.
      // The streamer has withdrawn everything first, so their balance goes negative.
      const out = await w.host.client.post('/api/me/ledger/withdrawals', { amountFen: 1708 });
      expect(out.status).toBe(201);
      const before = await balances(w);
      await refund(server(), w, order.id, 'return_refund', 3000);
      // 3000 × (9150, 1708, 732, 610) / 12200 = 2250, 420, 180, 150 exactly
      expect(diff(before, await balances(w))).toEqual({ brand: -2250, streamer: -420, mcn: -180, fees: -150, clearing: 0, buyers: 3000 });
      expect(await balance(`streamer:${w.host.id}`)).toBe(-420);
      await invariantsHold();
    });

    it('a refund before settlement reverses exactly the refunded part; settlement splits what is left', async () => {
      const w = await world(server());
      const start = await balances(w);
      const order = await paidOrder(server(), w);
      await refund(server(), w, order.id, 'refund_only', 2200);
      expect(diff(start, await balances(w))).toEqual({ brand: 0, streamer: 0, mcn: 0, fees: 0, clearing: 10_000, buyers: -10_000 });
      await complete(server(), w, order.id);
      server().clock.advance(7 * DAY + 60_000);
      const settled = await w.op.post('/api/admin/ledger/settlement-runs', { orderId: order.id });
      expect(settled.status).toBe(201);
      // S = 10000, C = 2000, F = 500, M = 600
      expect(settled.json().settlement).toMatchObject({ settleFen: 10_000, commissionFen: 2000, feeFen: 500, mcnFen: 600 });
      expect(diff(start, await balances(w))).toEqual({ brand: 7500, streamer: 1400, mcn: 600, fees: 500, clearing: 0, buyers: -10_000 });
      // More than was paid is refused by commerce.
      expect((await w.buyer.client.post(`/api/orders/${order.id}/after-sales`, { kind: 'return_refund', amountFen: 10_001, reason: '多退' })).errorCode).toBe('REFUND_EXCEEDS_PAID');
      await invariantsHold();
    });

    it('a business event delivered twice posts once', async () => {
      const w = await world(server());
      const order = await paidOrder(server(), w);
      await refund(server(), w, order.id, 'refund_only', 1000);
      await complete(server(), w, order.id);
      const { db } = server().database;
      const events = (await db.selectFrom('business_events').selectAll().where('subject_id', '=', order.id).orderBy('seq').execute()).map(toBusinessEvent);
      expect(events.map((e) => e.type)).toEqual(['order.paid', 'order.refunded', 'order.shipped', 'order.delivered', 'order.completed']);
      const count = async () => Number((await db.selectFrom('ledger_transfers').select((eb) => eb.fn.countAll<number>().as('n')).where('order_id', '=', order.id).executeTakeFirstOrThrow()).n);
      expect(await count()).toBe(2);
      const terms = await ledgerOrder(order.id);
      const before = await balances(w);
      const wanted = events.filter((e) => server().services.ledger.consumer.types!.includes(e.type));
      // Replayed twice, and once with every event doubled inside one batch.
      for (const batch of [wanted, wanted, [...wanted, ...wanted]]) await db.transaction().execute((trx) => server().services.ledger.consumer.handle(trx, batch));
      expect(await count()).toBe(2);
      expect(await balances(w)).toEqual(before);
      expect(await ledgerOrder(order.id)).toEqual(terms);
      // The journal itself refuses a second transfer with a posted key.
      const posted = await db.transaction().execute((trx) =>
        server().services.ledger.store.post(trx, [{ key: `paid:${order.id}`, kind: 'paid', orderId: order.id, eventId: null, memo: '', postings: [{ accountId: 'buyers', amountFen: -1 }, { accountId: 'clearing', amountFen: 1 }] }], new Date().toISOString()),
      );
      expect(posted.size).toBe(0);
      expect(await balances(w)).toEqual(before);
      await invariantsHold();
    });

    it('withdrawals: never above the balance, two at once never both, paid out or returned', async () => {
      const w = await world(server());
      const order = await paidOrder(server(), w);
      await complete(server(), w, order.id);
      server().clock.advance(7 * DAY + 60_000);
      await w.op.post('/api/admin/ledger/settlement-runs', {});
      expect(await balance(`brand:${w.orgId}`)).toBe(9150);
      const url = `/api/orgs/${w.orgId}/ledger/withdrawals`;
      const over = await w.owner.post(url, { amountFen: 9151 });
      expect(over.status).toBe(422);
      expect(over.errorCode).toBe('LEDGER_INSUFFICIENT_BALANCE');
      // The refusal names the balance in yuan, as the console shows money, never as a bare count of fen.
      expect(over.json().error.message).toBe('可提现余额不足（当前 ¥91.50）');
      // Two requests of 6000 at once against 9150: exactly one is held.
      const both = await Promise.all([w.owner.post(url, { amountFen: 6000 }), w.owner.post(url, { amountFen: 6000 })]);
      expect(both.map((r) => r.status).sort()).toEqual([201, 422]);
      expect(await balance(`brand:${w.orgId}`)).toBe(3150);
      const held = both.find((r) => r.status === 201)!.json().withdrawal;
      const pendingBefore = await balance('payouts:pending');
      const paidBefore = await balance('payouts');
      const approved = await w.op.post(`/api/admin/ledger/withdrawals/${held.id}/approve`);
      expect(approved.json().withdrawal).toMatchObject({ status: 'paid', amountFen: 6000 });
      expect(approved.json().withdrawal.payoutNo).toMatch(/^SBXP/);
      expect(await balance('payouts:pending')).toBe(pendingBefore - 6000);
      expect(await balance('payouts')).toBe(paidBefore + 6000);
      expect((await w.op.post(`/api/admin/ledger/withdrawals/${held.id}/reject`, { reason: '重复' })).errorCode).toBe('WITHDRAWAL_STATE_CONFLICT');
      // A rejected one comes back.
      const second = (await w.owner.post(url, { amountFen: 3000 })).json().withdrawal;
      expect(await balance(`brand:${w.orgId}`)).toBe(150);
      expect((await w.op.post(`/api/admin/ledger/withdrawals/${second.id}/reject`, { reason: '账户信息不符' })).json().withdrawal.status).toBe('rejected');
      expect(await balance(`brand:${w.orgId}`)).toBe(3150);
      // The operator cannot take an organisation's money out.
      expect((await w.op.post(url, { amountFen: 1 })).errorCode).toBe('FORBIDDEN');
      await invariantsHold();
    });

    it('nobody sees or takes another party’s money', async () => {
      const w = await world(server());
      const other = await world(server());
      const order = await paidOrder(server(), w);
      await complete(server(), w, order.id);
      server().clock.advance(7 * DAY + 60_000);
      await w.op.post('/api/admin/ledger/settlement-runs', {});
      const streamerBalance = await balance(`streamer:${w.host.id}`);
      expect(streamerBalance).toBe(1708);
      // A brand another brand's, an MCN another MCN's, a streamer a brand's or MCN's.
      expect((await other.owner.get(`/api/orgs/${w.orgId}/ledger`)).errorCode).toBe('FORBIDDEN');
      expect((await other.mcnOwner.get(`/api/orgs/${w.mcnOrgId}/ledger`)).errorCode).toBe('FORBIDDEN');
      expect((await w.host.client.get(`/api/orgs/${w.orgId}/ledger`)).errorCode).toBe('FORBIDDEN');
      expect((await w.host.client.get(`/api/orgs/${w.mcnOrgId}/ledger`)).errorCode).toBe('FORBIDDEN');
      // A streamer another streamer's: /api/me is always one's own, and the operator's account view is closed to them.
      const stranger = await streamer(server());
      expect((await stranger.client.get('/api/me/ledger')).json().account).toMatchObject({ id: `streamer:${stranger.id}`, balanceFen: 0 });
      expect((await stranger.client.get(`/api/admin/ledger/accounts/streamer:${w.host.id}`)).errorCode).toBe('FORBIDDEN');
      expect((await w.host.client.get('/api/admin/ledger')).errorCode).toBe('FORBIDDEN');
      expect((await w.op.get(`/api/admin/ledger/accounts/streamer:${w.host.id}`)).json().account.balanceFen).toBe(1708);
      // The MCN, acting for its streamer, cannot take the streamer's money: its own /api/me is its owner's
      // (empty) account, and the streamer's is untouched.
      expect((await w.mcnOwner.post('/api/me/ledger/withdrawals', { amountFen: 100 })).errorCode).toBe('LEDGER_INSUFFICIENT_BALANCE');
      expect((await w.mcnOwner.post(`/api/orgs/${w.orgId}/ledger/withdrawals`, { amountFen: 100 })).errorCode).toBe('FORBIDDEN');
      expect((await other.mcnOwner.post(`/api/orgs/${w.mcnOrgId}/ledger/withdrawals`, { amountFen: 100 })).errorCode).toBe('FORBIDDEN');
      expect(await balance(`streamer:${w.host.id}`)).toBe(streamerBalance);
      // A bad period.
      expect((await w.host.client.get('/api/me/ledger?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z')).errorCode).toBe('LEDGER_PERIOD_INVALID');
    });

    it('exports a statement as CSV (UTF-8 with BOM) for a period', async () => {
      const w = await world(server());
      const first = await paidOrder(server(), w);
      const second = await paidOrder(server(), w, 1);
      await complete(server(), w, first.id);
      await complete(server(), w, second.id);
      server().clock.advance(7 * DAY + 60_000);
      const periodStart = server().clock.now().toISOString();
      await w.op.post('/api/admin/ledger/settlement-runs', { orderId: first.id });
      server().clock.advance(60_000);
      await w.op.post('/api/admin/ledger/settlement-runs', { orderId: second.id });
      server().clock.advance(60_000);
      await w.owner.post(`/api/orgs/${w.orgId}/ledger/withdrawals`, { amountFen: 100 });
      const res = await w.owner.get(`/api/orgs/${w.orgId}/ledger?format=csv`);
      expect(res.status).toBe(200);
      expect(res.raw.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.raw.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const rows = res.body.replace(/^\ufeff/, '').trim().split('\r\n').map((line) => line.split(','));
      expect(rows[0]).toEqual(['time', 'transfer_kind', 'order_id', 'memo', 'amount_fen', 'balance_after_fen']);
      // one at 61.00 pays 8.00 shipping: S = 6900, C = 1220 (none on shipping), F = 345: the brand gets 5335
      expect(rows.slice(1).map((r) => [r[1], r[2], r[4], r[5]])).toEqual([
        ['settlement', first.id, '9150', '9150'],
        ['settlement', second.id, '5335', '14485'],
        ['withdrawal_hold', '', '-100', '14385'],
      ]);
      expect(res.body).toContain('订单结算');
      // The period filter: from the second settlement on, opening with the first.
      const period = (await w.owner.get(`/api/orgs/${w.orgId}/ledger?from=${encodeURIComponent(new Date(Date.parse(periodStart) + 30_000).toISOString())}`)).json();
      expect(period).toMatchObject({ openingFen: 9150, closingFen: 14_385, count: 2 });
      expect(period.entries.map((e: { amountFen: number; balanceAfterFen: number }) => [e.amountFen, e.balanceAfterFen])).toEqual([[-100, 14_385], [5335, 14_485]]);
    });

    it('names a posting whose transfer or account does not exist', async () => {
      const { db } = server().database;
      const orphan = { transfer_id: 'no-such-transfer', account_id: 'brand:no-such-brand', amount_fen: 0 };
      // Neither database keeps foreign keys on postings (0031 on PostgreSQL, 0034 on SQLite): verify() is the check.
      await db.insertInto('ledger_postings').values(orphan).execute();
      try {
        expect((await server().services.ledger.store.verify()).orphanPostings).toEqual([{ transferId: 'no-such-transfer', accountId: 'brand:no-such-brand' }]);
      } finally {
        await db.deleteFrom('ledger_postings').where('transfer_id', '=', 'no-such-transfer').execute();
      }
      expect((await server().services.ledger.store.verify()).orphanPostings).toEqual([]);
    });
  },
  { listen: true, timeoutMs: 120_000, env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } },
);
