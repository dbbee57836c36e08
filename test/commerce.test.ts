import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import { signNotification } from '../server/commerce/payments/sandbox.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { RoomSocket } from './helpers/room-client.ts';
import type { TestServer } from './helpers/server.ts';
import { newBuyer, orderCount, payInSandbox, shop, stockOf, tag, waitFor } from './helpers/shop.ts';

async function sandboxPrivateKey(server: TestServer) {
  return (await server.services.commerce.sandbox.keys()).privatePem;
}

async function postNotification(server: TestServer, body: Record<string, unknown>, privatePem?: string) {
  const raw = JSON.stringify(body);
  const key = privatePem ?? (await sandboxPrivateKey(server));
  return server.app.inject({
    method: 'POST',
    url: '/api/payments/notify/sandbox',
    headers: { 'content-type': 'application/json', ...signNotification(key, raw, String(Math.floor(server.clock.now().getTime() / 1000))) },
    payload: raw,
  });
}

describeEachDatabase(
  'shopping in the room',
  ({ server }) => {
    it('lists the 小黄车 in link order with live prices and the brand licence', async () => {
      const s = await shop(server());
      const list = (await server().client().get(`/api/rooms/${s.sessionId}/products`)).json();
      expect(list.products.map((p: { link: number; title: string }) => [p.link, p.title])).toEqual([
        [1, '蝴蝶酥礼盒'],
        [2, '精华液'],
        [3, '鲜肉月饼'],
      ]);
      expect(list.products[0]).toMatchObject({ priceFen: 6800, livePriceFen: 6100, brand: { licenceName: '上海德兴斋食品有限公司', licenceNo: '91310000MA1FL0XX1X' } });
      // A viewer cannot change the list; another brand's product cannot go on it without that brand's
      // approval in the product-selection square (test/cooperation.test.ts).
      expect((await s.buyer.client.put(`/api/rooms/${s.sessionId}/products`, { items: [] })).errorCode).toBe('FORBIDDEN');
      const other = await shop(server());
      expect((await s.host.client.put(`/api/rooms/${s.sessionId}/products`, { items: [{ productId: other.butterfly.id }] })).errorCode).toBe('OFFER_NOT_APPROVED');
    });

    it('recomputes every price on the server: live price, 满减 coupon, shipping; a client price is ignored', async () => {
      const s = await shop(server());
      const now = server().clock.now().getTime();
      const coupon = (await s.owner.post(`/api/orgs/${s.orgId}/coupons`, { title: '满100减20', kind: 'threshold', amountOffFen: 2000, thresholdFen: 10000, scope: 'brand', startsAt: new Date(now - 1000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString(), perUserLimit: 1, total: 100 })).json().coupon;
      const mine = (await s.buyer.client.post(`/api/coupons/${coupon.id}/claim`)).json().userCoupon;
      // The answer counts the claim it reports (it once read the coupon before the increment).
      expect(mine.coupon).toMatchObject({ id: coupon.id, issued: 1, total: 100 });
      expect((await s.buyer.client.post(`/api/coupons/${coupon.id}/claim`)).errorCode).toBe('COUPON_LIMIT_REACHED');
      expect((await server().client().get(`/api/coupons/${coupon.id}`)).json().coupon.issued).toBe(1);
      const items = [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 2, priceFen: 1 }];
      const quote = (await s.buyer.client.post('/api/checkout/quote', { items, sessionId: s.sessionId, userCouponId: mine.id, totalFen: 1 })).json().quote;
      // 2 × 61.00 live price = 122.00; −20.00 = 102.00 ≥ 99.00, so shipping is free.
      expect(quote).toMatchObject({ itemsTotalFen: 12200, discountFen: 2000, shippingFen: 0, totalFen: 10200 });
      const stockBefore = await stockOf(server(), s.butterfly.skus[0]!.id);
      const created = await s.buyer.client.post('/api/orders', { items, sessionId: s.sessionId, userCouponId: mine.id, totalFen: 1 }, { 'idempotency-key': `key-${tag()}-1` });
      expect(created.status).toBe(201);
      expect(created.json().order).toMatchObject({ status: 'pending_payment', totalFen: 10200, discountFen: 2000, couponTitle: '满100减20', items: [{ unitPriceFen: 6100, quantity: 2, paidFen: 10200 }] });
      expect(await stockOf(server(), s.butterfly.skus[0]!.id)).toBe(stockBefore - 2);
      // Without the live, the list price applies, and a small order pays shipping.
      const plain = (await s.buyer.client.post('/api/checkout/quote', { items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 1 }] })).json().quote;
      expect(plain).toMatchObject({ itemsTotalFen: 6800, shippingFen: 800, totalFen: 7600 });
    });

    it('turns a double-submitted order into one order with an idempotency key', async () => {
      const s = await shop(server());
      const body = { items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[1]!.id, quantity: 1 }] };
      const key = `dbl-${tag()}-key`;
      const before = await orderCount(server());
      const [a, b] = await Promise.all([s.buyer.client.post('/api/orders', body, { 'idempotency-key': key }), s.buyer.client.post('/api/orders', body, { 'idempotency-key': key })]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      expect(a.json().order.id).toBe(b.json().order.id);
      expect(await orderCount(server())).toBe(before + 1);
      expect(await stockOf(server(), s.butterfly.skus[1]!.id)).toBe(19);
      const other = await s.buyer.client.post('/api/orders', { items: [{ ...body.items[0]!, quantity: 2 }] }, { 'idempotency-key': key });
      expect(other.errorCode).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('refuses bad quantities and a SKU of another product, storing nothing', async () => {
      const s = await shop(server());
      const before = await orderCount(server());
      for (const quantity of [0, -1, 1.5, 1_000_000, '2']) {
        const r = await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity }] });
        expect(r.errorCode).toBe('VALIDATION_FAILED');
        expect(r.json().error.fields[0].path).toBe('items.0.quantity');
      }
      const mismatch = await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: s.serum.skus[0]!.id, quantity: 1 }] });
      expect(mismatch.errorCode).toBe('ORDER_SKU_MISMATCH');
      const tooMany = await s.buyer.client.post('/api/orders', { items: [{ productId: s.mooncake.id, skuId: s.mooncake.skus[0]!.id, quantity: 11 }] });
      expect(tooMany.errorCode).toBe('STOCK_INSUFFICIENT');
      expect(await orderCount(server())).toBe(before);
      expect(await stockOf(server(), s.mooncake.skus[0]!.id)).toBe(10);
      expect(await stockOf(server(), s.butterfly.skus[0]!.id)).toBe(50);
    });

    it('refuses coupons that are not yet valid, expired, out of scope, already used or someone else’s', async () => {
      const s = await shop(server());
      const now = server().clock.now().getTime();
      const day = 86_400_000;
      const make = async (extra: Record<string, unknown>) => {
        const body = { title: '券', kind: 'amount', amountOffFen: 500, scope: 'brand', startsAt: new Date(now - 1000).toISOString(), endsAt: new Date(now + day).toISOString(), perUserLimit: 1, total: 10, ...extra };
        const coupon = (await s.owner.post(`/api/orgs/${s.orgId}/coupons`, body)).json().coupon;
        return coupon.id as string;
      };
      const claim = async (couponId: string, client = s.buyer.client) => (await client.post(`/api/coupons/${couponId}/claim`)).json().userCoupon.id as string;
      const order = (userCouponId: string, client = s.buyer.client, productId = s.butterfly.id, skuId = s.butterfly.skus[0]!.id) => client.post('/api/orders', { items: [{ productId, skuId, quantity: 1 }], userCouponId });

      expect((await order(await claim(await make({ startsAt: new Date(now + day).toISOString(), endsAt: new Date(now + 2 * day).toISOString() })))).errorCode).toBe('COUPON_NOT_YET_VALID');
      const shortLived = await claim(await make({ endsAt: new Date(now + 60_000).toISOString() }));
      const scoped = await claim(await make({ scope: 'products', productIds: [s.serum.id] }));
      expect((await order(scoped)).errorCode).toBe('COUPON_OUT_OF_SCOPE');
      const other = await shop(server());
      const otherBrandCoupon = (await other.owner.post(`/api/orgs/${other.orgId}/coupons`, { title: '他家券', kind: 'amount', amountOffFen: 500, scope: 'brand', startsAt: new Date(now - 1000).toISOString(), endsAt: new Date(now + day).toISOString(), perUserLimit: 1, total: 10 })).json().coupon.id;
      expect((await order(await claim(otherBrandCoupon))).errorCode).toBe('COUPON_OUT_OF_SCOPE');
      const used = await claim(await make({}));
      expect((await order(used)).status).toBe(201);
      expect((await order(used)).errorCode).toBe('COUPON_ALREADY_USED');
      const stranger = await newBuyer(server());
      expect((await order(used, stranger.client)).errorCode).toBe('COUPON_NOT_FOUND');
      expect((await order(await claim(await make({ kind: 'threshold', amountOffFen: 1000, thresholdFen: 100_000 })))).errorCode).toBe('COUPON_THRESHOLD_NOT_MET');
      server().clock.advance(61_000);
      expect((await order(shortLived)).errorCode).toBe('COUPON_EXPIRED');
    });

    it('asks for the buyer’s confirmation on items excludable from 七天无理由', async () => {
      const s = await shop(server());
      const items = [{ productId: s.serum.id, skuId: s.serum.skus[0]!.id, quantity: 1 }];
      expect((await s.buyer.client.post('/api/checkout/quote', { items })).json().quote.requiresConfirmation).toEqual([s.serum.id]);
      expect((await s.buyer.client.post('/api/orders', { items })).errorCode).toBe('ORDER_CONFIRMATION_REQUIRED');
      const ok = await s.buyer.client.post('/api/orders', { items, confirmNoReturn: true });
      expect(ok.status).toBe(201);
      expect(ok.json().order.confirmedNoReturn).toBe(true);
      const nowhere = await newBuyer(server(), false);
      expect((await nowhere.client.post('/api/orders', { items, confirmNoReturn: true })).errorCode).toBe('ADDRESS_REQUIRED');
    });

    it('pays in the sandbox: signed notification, paid once; paying twice or a cancelled order is refused', async () => {
      const s = await shop(server());
      const order = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 1 }] })).json().order;
      const paid = await payInSandbox(server(), s.buyer.client, order.id);
      expect(paid.paidAt).toBeTruthy();
      expect((await s.buyer.client.post(`/api/orders/${order.id}/pay`)).errorCode).toBe('ORDER_ALREADY_PAID');
      const payments = await server().database.db.selectFrom('payments').selectAll().where('order_id', '=', order.id).execute();
      expect(payments.map((p) => [p.status, p.amount_fen])).toEqual([['succeeded', 7600]]); // 68.00 + 8.00 shipping

      const second = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 1 }] })).json().order;
      const { payUrl } = (await s.buyer.client.post(`/api/orders/${second.id}/pay`)).json();
      expect((await s.buyer.client.post(`/api/orders/${second.id}/cancel`)).json().order.status).toBe('cancelled');
      expect((await s.buyer.client.post(`/api/orders/${second.id}/pay`)).errorCode).toBe('ORDER_NOT_PAYABLE');
      // The trade was closed at the provider: the cashier no longer takes money for it.
      await server().app.inject({ method: 'POST', url: payUrl, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
      expect((await server().services.commerce.provider.queryTrade((await server().database.db.selectFrom('payments').select('id').where('order_id', '=', second.id).executeTakeFirstOrThrow()).id)).status).toBe('closed');
    });

    it('a second payment of an order already paid goes back alone: the order stays paid, its refunds and the ledger untouched', async () => {
      const s = await shop(server());
      const { db } = server().database;
      const order = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 1 }] })).json().order;
      const stock = await stockOf(server(), s.butterfly.skus[0]!.id);
      // Two cashiers opened at once (a double tap): two trades for one order, and the buyer pays both.
      // Two cashiers asked for at once (a double tap) open one trade: the order's one payment.
      const [a, b] = await Promise.all([s.buyer.client.post(`/api/orders/${order.id}/pay`), s.buyer.client.post(`/api/orders/${order.id}/pay`)]);
      expect(a.json().paymentId).toBe(b.json().paymentId);
      const tradeOf = async (id: string) => (await db.selectFrom('sandbox_trades').select('status').where('out_trade_no', '=', id).executeTakeFirstOrThrow()).status;
      expect(await Promise.all((await db.selectFrom('payments').select('id').where('order_id', '=', order.id).execute()).map((p) => tradeOf(p.id)))).toEqual(['open']);
      // Still, a provider may take the money twice (a second trade, as before that fix): the buyer pays both.
      const id = crypto.randomUUID();
      const trade = await server().services.commerce.provider.createTrade({ outTradeNo: id, amountFen: order.totalFen, subject: 'second', notifyUrl: `http://127.0.0.1:${(server().app.server.address() as { port: number }).port}/api/payments/notify/sandbox`, returnUrl: `/orders/${order.id}` });
      await db.insertInto('payments').values({ id, order_id: order.id, provider: 'sandbox', amount_fen: order.totalFen, status: 'pending', provider_trade_no: trade.tradeNo, pay_url: trade.payUrl, created_at: server().clock.now().toISOString(), paid_at: null }).execute();
      for (const url of [a.json().payUrl as string, trade.payUrl]) await server().app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
      // The second payment is refunded to the buyer at the provider …
      await waitFor(async () => {
        const refunds = await db.selectFrom('sandbox_refunds').innerJoin('sandbox_trades', 'sandbox_trades.trade_no', 'sandbox_refunds.trade_no').select('sandbox_refunds.status').where('sandbox_trades.out_trade_no', 'in', (await db.selectFrom('payments').select('id').where('order_id', '=', order.id).execute()).map((p) => p.id)).execute();
        return refunds.length === 1 && refunds[0]!.status === 'succeeded';
      });
      await waitFor(async () => (await db.selectFrom('after_sales').select('status').where('order_id', '=', order.id).executeTakeFirst())?.status === 'refunded');
      await server().services.events.drain();
      // … and nothing else moves: the order is paid once, nothing of it refunded, its stock still sold.
      const after = (await s.buyer.client.get(`/api/orders/${order.id}`)).json().order;
      expect(after).toMatchObject({ status: 'paid', refundedFen: 0 });
      expect(await stockOf(server(), s.butterfly.skus[0]!.id)).toBe(stock);
      const transfers = await db.selectFrom('ledger_transfers').select('kind').where('order_id', '=', order.id).execute();
      expect(transfers.map((t) => t.kind)).toEqual(['paid']);
      // The buyer may still ask for the whole of what the order cost.
      const asked = await s.buyer.client.post(`/api/orders/${order.id}/after-sales`, { kind: 'refund_only', amountFen: order.totalFen, reason: '不想要了' });
      expect(asked.status, asked.body).toBe(201);
      // … and it is refunded from the trade that paid the order, not from the one already given back.
      await s.owner.post(`/api/orgs/${s.orgId}/after-sales/${asked.json().afterSale.id}/approve`, {});
      const closed = await waitFor(async () => {
        const o = (await s.buyer.client.get(`/api/orders/${order.id}`)).json().order;
        return o.status === 'cancelled' ? o : null;
      });
      expect(closed.refundedFen).toBe(order.totalFen);
      await server().services.events.drain();
      const moved = await db.selectFrom('ledger_transfers').select('kind').where('order_id', '=', order.id).execute();
      expect(moved.map((t) => t.kind).sort()).toEqual(['paid', 'refund']);
    });

    it('feeds the room: the ticker shows a paid order from the live, masked, with the count', async () => {
      const s = await shop(server());
      const viewer = await RoomSocket.open(server(), s.sessionId);
      const order = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 2 }], sessionId: s.sessionId })).json().order;
      await payInSandbox(server(), s.buyer.client, order.id);
      const ticker = await viewer.event('purchase', () => true);
      expect(ticker).toMatchObject({ buyer: '王**', product: '蝴蝶酥礼盒', quantity: 2, count: 1 });
      // The streamer's list change and a flash sale reach viewers too.
      await s.host.client.put(`/api/rooms/${s.sessionId}/products`, { items: [{ productId: s.mooncake.id }, { productId: s.butterfly.id }] });
      const products = await viewer.event('products', () => true);
      expect(products.products.map((p: { title: string; link: number }) => `${p.link}:${p.title}`)).toEqual(['1:鲜肉月饼', '2:蝴蝶酥礼盒']);
      viewer.close();
    });

    it('refuses notifications with a bad signature, a wrong amount, another merchant or an unknown order; replays change nothing', async () => {
      const s = await shop(server());
      const order = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.mooncake.id, skuId: s.mooncake.skus[0]!.id, quantity: 1 }] })).json().order;
      const { paymentId } = (await s.buyer.client.post(`/api/orders/${order.id}/pay`)).json();
      const base = { notifyId: `n-${tag()}`, event: 'trade.success', appId: server().config.PAYMENT_APP_ID, merchantId: server().config.PAYMENT_MERCHANT_ID, outTradeNo: paymentId, tradeNo: 'SBX1', amountFen: order.totalFen, at: server().clock.now().toISOString() };
      const forged = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const bad = await postNotification(server(), base, forged);
      expect([bad.statusCode, bad.json().code, bad.json().error.code]).toEqual([400, 'FAIL', 'PAYMENT_SIGNATURE_INVALID']);
      expect((await postNotification(server(), { ...base, amountFen: 1 })).json().error.code).toBe('PAYMENT_AMOUNT_MISMATCH');
      expect((await postNotification(server(), { ...base, merchantId: 'someone-else' })).json().error.code).toBe('PAYMENT_MERCHANT_MISMATCH');
      expect((await postNotification(server(), { ...base, outTradeNo: 'no-such-payment' })).json().error.code).toBe('PAYMENT_UNKNOWN_ORDER');
      // A tampered body under a valid signature of the original fails too.
      const raw = JSON.stringify(base);
      const headers = signNotification(await sandboxPrivateKey(server()), raw, String(Math.floor(server().clock.now().getTime() / 1000)));
      const tampered = await server().app.inject({ method: 'POST', url: '/api/payments/notify/sandbox', headers: { 'content-type': 'application/json', ...headers }, payload: raw.replace(String(order.totalFen), '1') });
      expect(tampered.json().error.code).toBe('PAYMENT_SIGNATURE_INVALID');
      expect((await s.buyer.client.get(`/api/orders/${order.id}`)).json().order.status).toBe('pending_payment');

      // Out of order: a refund notification for a refund nobody asked for is refused (and will be retried).
      const refundFirst = await postNotification(server(), { ...base, notifyId: `r-${tag()}`, event: 'refund.success', outRefundNo: 'unknown-refund', refundFen: 100 });
      expect(refundFirst.json().error.code).toBe('PAYMENT_UNKNOWN_REFUND');
      // The same genuine notification ten times (and a later retry with another id): one payment.
      for (let i = 0; i < 10; i++) expect((await postNotification(server(), base)).json()).toEqual({ code: 'SUCCESS' });
      expect((await postNotification(server(), { ...base, notifyId: `n2-${tag()}` })).json()).toEqual({ code: 'SUCCESS' });
      const after = (await s.buyer.client.get(`/api/orders/${order.id}`)).json().order;
      expect(after.status).toBe('paid');
      const recorded = await server().database.db.selectFrom('payment_notifications').select('notify_id').where('out_trade_no', '=', paymentId).execute();
      // Each notification is recorded once, whatever the number of deliveries; the payment moved once.
      expect(recorded).toHaveLength(2);
      expect(recorded.map((r) => r.notify_id)).toContain(base.notifyId);
      const payments = await server().database.db.selectFrom('payments').select(['status', 'paid_at']).where('order_id', '=', order.id).execute();
      expect(payments).toEqual([{ status: 'succeeded', paid_at: base.at }]);
    });

    it('cancels an unpaid order after the timeout, returning stock and coupon; learns a paid order by query when no notification comes', async () => {
      const s = await shop(server());
      const now = server().clock.now().getTime();
      const couponId = (await s.owner.post(`/api/orgs/${s.orgId}/coupons`, { title: '立减5元', kind: 'amount', amountOffFen: 500, scope: 'brand', startsAt: new Date(now - 1000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString(), perUserLimit: 1, total: 10 })).json().coupon.id;
      const uc = (await s.buyer.client.post(`/api/coupons/${couponId}/claim`)).json().userCoupon.id;
      const sku = s.butterfly.skus[1]!.id;
      const order = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: sku, quantity: 3 }], userCouponId: uc })).json().order;
      expect(await stockOf(server(), sku)).toBe(17);
      await s.buyer.client.post(`/api/orders/${order.id}/pay`);

      // A second order is paid at the provider, but its notification never arrives (the address is unreachable).
      const lost = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: sku, quantity: 1 }] })).json().order;
      const selfUrl = `http://127.0.0.1:${(server().app.server.address() as { port: number }).port}`;
      server().services.commerce.setSelfUrl('http://127.0.0.1:9');
      const { payUrl } = (await s.buyer.client.post(`/api/orders/${lost.id}/pay`)).json();
      server().services.commerce.setSelfUrl(selfUrl);
      await server().app.inject({ method: 'POST', url: payUrl, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });

      server().clock.advance(server().config.ORDER_PAY_TIMEOUT_SECONDS * 1000 + 1000);
      await server().services.commerce.orders.sweepExpired();
      const cancelled = (await s.buyer.client.get(`/api/orders/${order.id}`)).json().order;
      expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'timeout' });
      expect((await s.buyer.client.post(`/api/orders/${order.id}/pay`)).errorCode).toBe('ORDER_NOT_PAYABLE');
      expect((await s.buyer.client.get('/api/me/coupons')).json().coupons.find((c: { id: string }) => c.id === uc).status).toBe('unused');
      // The paid one survived the timeout sweep: it asked the provider first.
      expect((await s.buyer.client.get(`/api/orders/${lost.id}`)).json().order.status).toBe('paid');
      expect(await stockOf(server(), sku)).toBe(19);
    });

    it('ships, delivers and completes; the brand sees only its orders; auto-confirms after N days', async () => {
      const s = await shop(server());
      const order = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 1 }] })).json().order;
      expect((await s.owner.post(`/api/orgs/${s.orgId}/orders/${order.id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF1234567890' })).errorCode).toBe('ORDER_STATE_CONFLICT');
      await payInSandbox(server(), s.buyer.client, order.id);
      const other = await shop(server());
      expect((await other.owner.post(`/api/orgs/${other.orgId}/orders/${order.id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF1234567890' })).errorCode).toBe('ORDER_NOT_FOUND');
      expect((await other.owner.get(`/api/orgs/${other.orgId}/orders`)).json().orders).toEqual([]);
      expect((await other.buyer.client.get(`/api/orders/${order.id}`)).errorCode).toBe('ORDER_NOT_FOUND');
      const shipped = (await s.owner.post(`/api/orgs/${s.orgId}/orders/${order.id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF1234567890' })).json().order;
      expect(shipped).toMatchObject({ status: 'shipped', carrier: '顺丰速运', trackingNo: 'SF1234567890' });
      expect((await s.owner.post(`/api/orgs/${s.orgId}/orders/${order.id}/deliver`)).json().order.status).toBe('delivered');
      const done = (await s.buyer.client.post(`/api/orders/${order.id}/confirm-receipt`)).json().order;
      expect(done.status).toBe('completed');
      expect(done.returnDeadline).toBeTruthy();

      const unconfirmed = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 1 }] })).json().order;
      await payInSandbox(server(), s.buyer.client, unconfirmed.id);
      await s.owner.post(`/api/orgs/${s.orgId}/orders/${unconfirmed.id}/ship`, { carrier: '中通快递', trackingNo: 'ZT000111222' });
      server().clock.advance(server().config.ORDER_AUTO_CONFIRM_DAYS * 86_400_000 + 1000);
      await server().services.commerce.orders.sweepAutoConfirm();
      expect((await s.buyer.client.get(`/api/orders/${unconfirmed.id}`)).json().order.status).toBe('completed');
    });

    it('handles after-sales: partial refund, no more than paid, full refund before shipping, returns within the window only', async () => {
      const s = await shop(server());
      const sku = s.butterfly.skus[0]!.id;
      const order = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: sku, quantity: 2 }] })).json().order;
      await payInSandbox(server(), s.buyer.client, order.id);
      expect((await s.buyer.client.post(`/api/orders/${order.id}/after-sales`, { kind: 'refund_only', amountFen: order.totalFen + 1, reason: '多退一分' })).errorCode).toBe('REFUND_EXCEEDS_PAID');
      expect((await s.buyer.client.post(`/api/orders/${order.id}/after-sales`, { kind: 'return_refund', amountFen: 100, reason: '未发货' })).errorCode).toBe('AFTERSALE_KIND_INVALID');
      const partial = (await s.buyer.client.post(`/api/orders/${order.id}/after-sales`, { kind: 'refund_only', amountFen: 1000, reason: '价保差价' })).json().afterSale;
      expect((await s.owner.post(`/api/orgs/${s.orgId}/orders/${order.id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF1234567890' })).errorCode).toBe('AFTERSALE_PENDING');
      expect((await s.owner.post(`/api/orgs/${s.orgId}/after-sales/${partial.id}/approve`, { reason: '同意' })).json().afterSale.status).toBe('refunding');
      const refunded = await waitFor(async () => {
        const o = (await s.buyer.client.get(`/api/orders/${order.id}`)).json().order;
        return o.refundedFen === 1000 ? o : null;
      });
      expect(refunded.status).toBe('paid');
      // The rest, all of it: the order closes and the stock goes back.
      const rest = (await s.buyer.client.post(`/api/orders/${order.id}/after-sales`, { kind: 'refund_only', amountFen: order.totalFen - 1000, reason: '不想要了' })).json().afterSale;
      await s.owner.post(`/api/orgs/${s.orgId}/after-sales/${rest.id}/approve`, {});
      const closed = await waitFor(async () => {
        const o = (await s.buyer.client.get(`/api/orders/${order.id}`)).json().order;
        return o.status === 'cancelled' ? o : null;
      });
      expect(closed).toMatchObject({ refundedFen: order.totalFen, cancelReason: 'refunded' });
      expect(await stockOf(server(), sku)).toBe(50);

      // Return and refund of a standard item, with the goods sent back.
      const second = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: sku, quantity: 1 }, { productId: s.mooncake.id, skuId: s.mooncake.skus[0]!.id, quantity: 1 }] })).json().order;
      await payInSandbox(server(), s.buyer.client, second.id);
      await s.owner.post(`/api/orgs/${s.orgId}/orders/${second.id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF2234567890' });
      await s.owner.post(`/api/orgs/${s.orgId}/orders/${second.id}/deliver`);
      const [butterflyLine, mooncakeLine] = second.items;
      expect((await s.buyer.client.post(`/api/orders/${second.id}/after-sales`, { kind: 'return_refund', itemId: mooncakeLine.id, amountFen: 100, reason: '七天无理由' })).errorCode).toBe('RETURN_NOT_ALLOWED');
      expect((await s.buyer.client.post(`/api/orders/${second.id}/after-sales`, { kind: 'return_refund', itemId: mooncakeLine.id, amountFen: 100, reason: '七天无理由', cause: 'no_reason' })).errorCode).toBe('RETURN_NOT_ALLOWED');
      expect((await s.buyer.client.post(`/api/orders/${second.id}/after-sales`, { kind: 'return_refund', itemId: mooncakeLine.id, amountFen: 100, reason: '破损', cause: 'broken' })).errorCode).toBe('VALIDATION_FAILED');
      // A quality problem is a claim on any item, the one without 七天无理由 too: the brand sees its cause and decides.
      const claim = await s.buyer.client.post(`/api/orders/${second.id}/after-sales`, { kind: 'return_refund', itemId: mooncakeLine.id, amountFen: mooncakeLine.paidFen, reason: '月饼压碎了，盒子破损', cause: 'quality' });
      expect(claim.status, claim.body).toBe(201);
      expect(claim.json().afterSale).toMatchObject({ cause: 'quality', status: 'requested' });
      const seen = (await s.owner.get(`/api/orgs/${s.orgId}/after-sales?status=requested`)).json().afterSales.find((a: { id: string }) => a.id === claim.json().afterSale.id);
      expect(seen).toMatchObject({ cause: 'quality', reason: '月饼压碎了，盒子破损' });
      expect((await s.owner.post(`/api/orgs/${s.orgId}/after-sales/${claim.json().afterSale.id}/reject`, { reason: '请提供破损照片后重新申请' })).json().afterSale.status).toBe('rejected');
      expect((await s.buyer.client.post(`/api/orders/${second.id}/after-sales`, { kind: 'return_refund', itemId: butterflyLine.id, amountFen: butterflyLine.paidFen + 1, reason: '七天无理由' })).errorCode).toBe('REFUND_EXCEEDS_PAID');
      const ret = (await s.buyer.client.post(`/api/orders/${second.id}/after-sales`, { kind: 'return_refund', itemId: butterflyLine.id, amountFen: butterflyLine.paidFen, reason: '七天无理由' })).json().afterSale;
      expect((await s.owner.post(`/api/orgs/${s.orgId}/after-sales/${ret.id}/approve`, {})).json().afterSale.status).toBe('awaiting_return');
      expect((await s.buyer.client.post(`/api/after-sales/${ret.id}/return-shipment`, { carrier: '顺丰速运', trackingNo: 'SF9990001112' })).json().afterSale.status).toBe('returned');
      await s.owner.post(`/api/orgs/${s.orgId}/after-sales/${ret.id}/receive`);
      const back = await waitFor(async () => {
        const o = (await s.buyer.client.get(`/api/orders/${second.id}`)).json().order;
        return o.refundedFen === butterflyLine.paidFen ? o : null;
      });
      expect(back.items[0].refundedFen).toBe(butterflyLine.paidFen);

      // Past the seventh day after delivery, no return without reason.
      const third = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: sku, quantity: 1 }] })).json().order;
      await payInSandbox(server(), s.buyer.client, third.id);
      await s.owner.post(`/api/orgs/${s.orgId}/orders/${third.id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF3234567890' });
      await s.owner.post(`/api/orgs/${s.orgId}/orders/${third.id}/deliver`);
      server().clock.advance(8 * 86_400_000 + 60_000);
      expect((await s.buyer.client.post(`/api/orders/${third.id}/after-sales`, { kind: 'return_refund', amountFen: 100, reason: '七天无理由' })).errorCode).toBe('RETURN_WINDOW_CLOSED');
    });

    it('runs a flash sale: not before the start, never over stock or the per-user limit, not after the end', async () => {
      const s = await shop(server());
      const sku = s.butterfly.skus[0]!.id;
      const sale = (await s.host.client.post(`/api/rooms/${s.sessionId}/flash-sales`, { skuId: sku, priceFen: 990, stock: 12, perUserLimit: 2, startsInSeconds: 30, durationSeconds: 300 })).json().flashSale;
      expect(sale).toMatchObject({ priceFen: 990, originalPriceFen: 6800, remaining: 12 });
      expect(await stockOf(server(), sku)).toBe(38);
      expect((await s.buyer.client.post(`/api/rooms/${s.sessionId}/flash-sales`, { skuId: sku, priceFen: 990, stock: 1, perUserLimit: 1, startsInSeconds: 0, durationSeconds: 60 })).errorCode).toBe('FORBIDDEN');
      expect((await s.buyer.client.post(`/api/flash-sales/${sale.id}/orders`, { quantity: 1 })).errorCode).toBe('FLASH_NOT_STARTED');
      // A product of another kind (a voucher, wholesale, cross-border) has checkout rules a flash sale would skip: refused, nothing taken.
      await server().database.db.updateTable('products').set({ kind: 'voucher' }).where('id', '=', s.mooncake.id).execute();
      const voucherSku = s.mooncake.skus[0]!.id;
      const otherKind = await s.host.client.post(`/api/rooms/${s.sessionId}/flash-sales`, { skuId: voucherSku, priceFen: 990, stock: 1, perUserLimit: 1, startsInSeconds: 0, durationSeconds: 60 });
      expect([otherKind.status, otherKind.errorCode]).toEqual([422, 'SALE_FORMAT_KIND_UNSUPPORTED']);
      expect(await stockOf(server(), voucherSku)).toBe(10);
      await server().database.db.updateTable('products').set({ kind: 'goods' }).where('id', '=', s.mooncake.id).execute();
      server().clock.advance(31_000);

      // The same buyer from two browsers at once: never more than the limit.
      const second = server().client();
      await second.login((await server().database.db.selectFrom('users').select('email').where('id', '=', s.buyer.id).executeTakeFirstOrThrow()).email!, 'Secret123x');
      const mine = await Promise.all([...Array(6)].map((_, i) => (i % 2 ? second : s.buyer.client).post(`/api/flash-sales/${sale.id}/orders`, { quantity: 1 })));
      expect(mine.filter((r) => r.status === 201)).toHaveLength(2);
      expect(new Set(mine.filter((r) => r.status !== 201).map((r) => r.errorCode))).toEqual(new Set(['FLASH_LIMIT_EXCEEDED']));
      // Twelve units, many buyers, all at once: exactly twelve sold.
      const buyers = await Promise.all([...Array(8)].map(() => newBuyer(server())));
      const burst = await Promise.all(buyers.flatMap((b) => [1, 2, 3].map(() => b.client.post(`/api/flash-sales/${sale.id}/orders`, { quantity: 1 }))));
      expect(burst.filter((r) => r.status >= 500)).toEqual([]);
      expect(burst.filter((r) => r.status === 201)).toHaveLength(10);
      expect(burst.some((r) => r.errorCode === 'FLASH_SOLD_OUT')).toBe(true);
      const db = server().database.db;
      const row = await db.selectFrom('flash_sales').select(['remaining']).where('id', '=', sale.id).executeTakeFirstOrThrow();
      const bought = await db.selectFrom('flash_purchases').select(['user_id', 'quantity']).where('sale_id', '=', sale.id).execute();
      expect(row.remaining).toBe(0);
      expect(bought.reduce((n, b) => n + b.quantity, 0)).toBe(12);
      expect(Math.max(...bought.map((b) => b.quantity))).toBeLessThanOrEqual(2);
      const flashOrders = await db.selectFrom('orders').select(['total_fen']).where('flash_sale_id', '=', sale.id).execute();
      expect(flashOrders).toHaveLength(12);
      expect(flashOrders.every((o) => o.total_fen === 990)).toBe(true);

      server().clock.advance(300_000);
      expect((await buyers[0]!.client.post(`/api/flash-sales/${sale.id}/orders`, { quantity: 1 })).errorCode).toBe('FLASH_ENDED');
    });

    it('refuses a flash sale priced above the SKU’s own price, in both languages, storing nothing; the full price is allowed', async () => {
      const s = await shop(server());
      const db = server().database.db;
      const sku = s.butterfly.skus[0]!.id; // ¥68.00
      const salesOf = async () => (await db.selectFrom('flash_sales').select('price_fen').where('session_id', '=', s.sessionId).execute()).map((r) => r.price_fen);
      const body = { skuId: sku, priceFen: 6801, stock: 5, perUserLimit: 1, startsInSeconds: 0, durationSeconds: 60 };
      const zh = await s.host.client.post(`/api/rooms/${s.sessionId}/flash-sales`, body);
      expect([zh.status, zh.errorCode, zh.json().error.message]).toEqual([409, 'FLASH_PRICE_ABOVE_PRICE', '秒杀价不能高于该规格的售价 ¥68.00']);
      expect((await s.host.client.patch('/api/me', { locale: 'en' })).status).toBe(200); // the account's language wins over Accept-Language
      const en = await s.host.client.post(`/api/rooms/${s.sessionId}/flash-sales`, { ...body, priceFen: 19_900 });
      expect([en.status, en.errorCode, en.json().error.message]).toEqual([409, 'FLASH_PRICE_ABOVE_PRICE', 'The flash price cannot be above the SKU’s price of ¥68.00']);
      expect(await salesOf()).toEqual([]);
      expect(await stockOf(server(), sku)).toBe(50);
      // Equal is allowed: a launch sells its first release at the SKU's price unless told otherwise.
      const full = await s.host.client.post(`/api/rooms/${s.sessionId}/flash-sales`, { ...body, priceFen: 6800 });
      expect(full.status, full.body).toBe(201);
      expect(full.json().flashSale).toMatchObject({ priceFen: 6800, originalPriceFen: 6800 });
      expect(await salesOf()).toEqual([6800]);
      expect(await stockOf(server(), sku)).toBe(45);
    });

    it('group commit: purchases arriving together are refused exactly as one at a time would be', async () => {
      const s = await shop(server());
      const sku = s.butterfly.skus[0]!.id;
      const flash = server().services.commerce.flash;
      const asUser = (id: string) => ({ id, displayName: '买家', platformRole: 'viewer' as const, locale: 'zh-CN' as const, sessionId: 'test' });
      const outcome = (p: Promise<{ created: boolean }>) => p.then((r) => (r.created ? 'created' : 'replayed'), (e: { code?: string }) => e.code ?? String(e));
      // A clean batch: four buyers, two units each, ten on sale — all in one turn of the event loop.
      const roomy = (await s.host.client.post(`/api/rooms/${s.sessionId}/flash-sales`, { skuId: sku, priceFen: 990, stock: 10, perUserLimit: 2, startsInSeconds: 0, durationSeconds: 300 })).json().flashSale;
      const four = await Promise.all([...Array(4)].map(() => newBuyer(server())));
      expect(await Promise.all(four.map((b) => outcome(flash.buy(asUser(b.id), roomy.id, { quantity: 2 }))))).toEqual(['created', 'created', 'created', 'created']);
      // Someone else's address, in a batch with a good purchase: refused alone, nothing taken for it.
      const [thief, honest] = await Promise.all([newBuyer(server()), newBuyer(server())]);
      expect(await Promise.all([outcome(flash.buy(asUser(thief!.id), roomy.id, { quantity: 1, addressId: four[0]!.addressId })), outcome(flash.buy(asUser(honest!.id), roomy.id, { quantity: 1 }))])).toEqual(['ADDRESS_NOT_FOUND', 'created']);
      expect((await server().database.db.selectFrom('flash_sales').select('remaining').where('id', '=', roomy.id).executeTakeFirstOrThrow()).remaining).toBe(1);
      // A batch that cannot all pass: one buyer asks three times (limit 2), and seven units are asked
      // for where five are left. The same answers as one at a time: nobody over the limit, five sold.
      const tight = (await s.host.client.post(`/api/rooms/${s.sessionId}/flash-sales`, { skuId: sku, priceFen: 990, stock: 5, perUserLimit: 2, startsInSeconds: 0, durationSeconds: 300 })).json().flashSale;
      const [greedy, ...others] = await Promise.all([...Array(5)].map(() => newBuyer(server())));
      const results = await Promise.all([
        ...[1, 2, 3].map(() => outcome(flash.buy(asUser(greedy!.id), tight.id, { quantity: 1 }))),
        ...others.map((b) => outcome(flash.buy(asUser(b.id), tight.id, { quantity: 1 }))),
      ]);
      // Which of them is refused, and for which reason, depends on the order they are written in.
      expect(results.filter((r) => r === 'created')).toHaveLength(5);
      expect(results.slice(0, 3).filter((r) => r === 'created').length).toBeLessThanOrEqual(2);
      expect(results.filter((r) => r !== 'created').every((r) => r === 'FLASH_SOLD_OUT' || r === 'FLASH_LIMIT_EXCEEDED')).toBe(true);
      if (results.slice(0, 3).every((r) => r !== 'FLASH_SOLD_OUT')) expect(results.slice(0, 3)).toContain('FLASH_LIMIT_EXCEEDED');
      const db = server().database.db;
      expect((await db.selectFrom('flash_sales').select('remaining').where('id', '=', tight.id).executeTakeFirstOrThrow()).remaining).toBe(0);
      const bought = await db.selectFrom('flash_purchases').select(['user_id', 'quantity']).where('sale_id', '=', tight.id).execute();
      expect(bought.reduce((n, b) => n + b.quantity, 0)).toBe(5);
      expect(bought.find((b) => b.user_id === greedy!.id)?.quantity ?? 0).toBeLessThanOrEqual(2);
      expect(await db.selectFrom('orders').select('id').where('flash_sale_id', '=', tight.id).execute()).toHaveLength(5);
      expect((await db.selectFrom('orders').select('id').where('flash_sale_id', '=', roomy.id).execute()).length).toBe(5);
    });

    it('sells the last units of a flash sale to whoever asks for no more than is left; one key, one order', async () => {
      const s = await shop(server());
      const sale = (await s.host.client.post(`/api/rooms/${s.sessionId}/flash-sales`, { skuId: s.butterfly.skus[1]!.id, priceFen: 1990, stock: 3, perUserLimit: 2, startsInSeconds: 0, durationSeconds: 300 })).json().flashSale;
      const [a, b, c] = await Promise.all([newBuyer(server()), newBuyer(server()), newBuyer(server())]);
      const key = `flash-${tag()}-key`;
      const twice = await Promise.all([a!.client.post(`/api/flash-sales/${sale.id}/orders`, { quantity: 2 }, { 'idempotency-key': key }), a!.client.post(`/api/flash-sales/${sale.id}/orders`, { quantity: 2 }, { 'idempotency-key': key })]);
      expect(twice.map((r) => r.status).sort()).toEqual([200, 201]);
      expect(twice[0]!.json().order.id).toBe(twice[1]!.json().order.id);
      const tooMany = await b!.client.post(`/api/flash-sales/${sale.id}/orders`, { quantity: 2 });
      expect(tooMany.errorCode).toBe('FLASH_ONLY_LEFT');
      expect(tooMany.json().error.message).toContain('1');
      expect((await c!.client.post(`/api/flash-sales/${sale.id}/orders`, { quantity: 1 })).status).toBe(201);
      expect((await b!.client.post(`/api/flash-sales/${sale.id}/orders`, { quantity: 1 })).errorCode).toBe('FLASH_SOLD_OUT');
      expect((await server().client({ locale: 'en' }).post(`/api/flash-sales/${sale.id}/orders`, { quantity: 1 })).json().error).toMatchObject({ code: 'FLASH_SOLD_OUT', message: 'Sold out' });
    });
  },
  { listen: true, timeoutMs: 60_000, env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } },
);
