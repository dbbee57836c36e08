// The statements' "pending settlement" figure (docs/LEDGER.md): each pending ledger order keeps what
// settlement would pay each party now, rewritten with every change (payment, refund, settlement), and
// the figure is their sum. The kept shares must always equal what settle() computes from the row, and
// the migration's backfill must give orders already in clearing the same. On SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import { pendingShares, toLedgerOrder } from '../server/ledger/orders.ts';
import { newId } from '../server/platform/ids.ts';
import { backfillPendingShares } from '../server/platform/migrations/0013_cooperation_rules.ts';
import { rebuildPendingTotals } from '../server/platform/migrations/0033_ledger_pending_totals.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator } from './helpers/people.ts';
import { payInSandbox, shop, tag, waitFor } from './helpers/shop.ts';

const DAY = 86_400_000;

describeEachDatabase(
  'ledger pending settlement',
  ({ server }) => {
    it('sums the kept shares of pending orders, equal to settle() after payments and refunds, 0 once settled; the backfill gives the same', async () => {
      const s = await shop(server());
      const db = server().database.db;
      await db.updateTable('session_products').set({ commission_bps: 2000 }).where('session_id', '=', s.sessionId).execute();
      const mcnOwner = server().client();
      await mcnOwner.register(`mcn-${tag()}@example.com`);
      const mcnOrg = (await mcnOwner.post('/api/orgs', { kind: 'mcn', name: `MCN${tag()}` })).json().org;
      const op = await operator(server());
      await op.client.post(`/api/admin/orgs/${mcnOrg.id}/review`, { decision: 'approve' });
      const at = new Date(server().clock.now().getTime() - DAY).toISOString();
      await db.insertInto('mcn_contracts').values({ id: newId(), mcn_org_id: mcnOrg.id, streamer_id: s.host.id, split_bps: 3000, exclusive: 1, starts_at: at, ends_at: null, status: 'accepted', created_at: at, accepted_at: at }).execute();

      const figures = async () =>
        [(await s.owner.get(`/api/orgs/${s.orgId}/ledger`)).json(), (await s.host.client.get('/api/me/ledger')).json(), (await mcnOwner.get(`/api/orgs/${mcnOrg.id}/ledger`)).json()].map((st) => [st.pendingSettlementFen, st.pendingOrders]);
      const pendingRows = () => db.selectFrom('ledger_orders').selectAll().where('brand_org_id', '=', s.orgId).where('status', '=', 'pending').orderBy('order_id').execute();
      /** Every pending row's kept shares are what settle() says from the row itself. */
      const keptMatchSettle = async () => {
        const rows = await pendingRows();
        for (const row of rows) expect({ pending_brand_fen: Number(row.pending_brand_fen), pending_streamer_fen: Number(row.pending_streamer_fen), pending_mcn_fen: Number(row.pending_mcn_fen) }).toEqual(pendingShares(toLedgerOrder(row)));
        return rows.length;
      };
      const buy = async () => {
        const order = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 2 }], sessionId: s.sessionId })).json().order;
        await payInSandbox(server(), s.buyer.client, order.id);
        await server().services.events.drain();
        return order.id as string;
      };

      expect(await figures()).toEqual([[0, 0], [0, 0], [0, 0]]);
      // Two orders of ¥122.00 at 20 %, MCN 30 %, fee 5 %: brand 9150, streamer 1708, MCN 732 each.
      const first = await buy();
      const second = await buy();
      expect(await keptMatchSettle()).toBe(2);
      expect(await figures()).toEqual([[18_300, 2], [3416, 2], [1464, 2]]);

      // ¥22.00 refunded from the second before settlement: S = 10000, C = 2000, F = 500, M = 600.
      const res = await s.buyer.client.post(`/api/orders/${second}/after-sales`, { kind: 'refund_only', amountFen: 2200, reason: '七天无理由' });
      expect(res.status, res.body).toBe(201);
      await s.owner.post(`/api/orgs/${s.orgId}/after-sales/${res.json().afterSale.id}/approve`, {});
      await waitFor(async () => (await db.selectFrom('after_sales').select('status').where('id', '=', res.json().afterSale.id).executeTakeFirst())?.status === 'refunded');
      await server().services.events.drain();
      expect(await keptMatchSettle()).toBe(2);
      expect(await figures()).toEqual([[9150 + 7500, 2], [1708 + 1400, 2], [732 + 600, 2]]);

      // 0013's backfill: with the kept shares lost, it puts back the same.
      await db.updateTable('ledger_orders').set({ pending_brand_fen: 0, pending_streamer_fen: 0, pending_mcn_fen: 0 }).where('brand_org_id', '=', s.orgId).execute();
      await backfillPendingShares(db as never);
      expect(await keptMatchSettle()).toBe(2);
      // 0033's totals per account: verify() tells when they differ from the orders, and the migration's
      // rebuild from the pending orders gives the same figures again.
      expect((await server().services.ledger.store.verify()).pendingMismatches).toEqual([]);
      await db.deleteFrom('ledger_pending').execute();
      expect(await figures()).toEqual([[0, 0], [0, 0], [0, 0]]);
      expect((await server().services.ledger.store.verify()).pendingMismatches).toContainEqual({ accountId: `streamer:${s.host.id}`, keptFen: 0, keptOrders: 0, ordersFen: 3108, orders: 2 });
      await rebuildPendingTotals(db as never);
      expect(await figures()).toEqual([[16_650, 2], [3108, 2], [1332, 2]]);
      expect((await server().services.ledger.store.verify()).pendingMismatches).toEqual([]);

      // The first one completes and settles after T+7: it leaves the figure.
      expect((await s.owner.post(`/api/orgs/${s.orgId}/orders/${first}/ship`, { carrier: '顺丰速运', trackingNo: 'SF1000200099' })).status).toBe(200);
      expect((await s.owner.post(`/api/orgs/${s.orgId}/orders/${first}/deliver`)).status).toBe(200);
      expect((await s.buyer.client.post(`/api/orders/${first}/confirm-receipt`)).status).toBe(200);
      await server().services.events.drain();
      server().clock.advance(7 * DAY + 60_000);
      expect((await op.client.post('/api/admin/ledger/settlement-runs', { orderId: first })).status).toBe(201);
      expect(await keptMatchSettle()).toBe(1);
      expect(await figures()).toEqual([[7500, 1], [1400, 1], [600, 1]]);
      const settled = await db.selectFrom('ledger_orders').selectAll().where('order_id', '=', first).executeTakeFirstOrThrow();
      expect(settled.status).toBe('settled');
      expect((await server().services.ledger.store.verify()).pendingMismatches).toEqual([]);
    });
  },
  { listen: true, timeoutMs: 120_000, env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } },
);
