import type { FastifyInstance } from 'fastify';
import { outageOf } from '../platform/outage.ts';
import { AppError, messageFor } from '../platform/errors.ts';
import { parseInput } from '../platform/validate.ts';
import type { Commerce } from './index.ts';
import {
  AddressBody,
  AddressPatch,
  AfterSaleBody,
  AfterSaleQuery,
  CheckoutBody,
  CouponBody,
  DecisionBody,
  FlashOrderBody,
  FlashSaleBody,
  IdempotencyKey,
  IdParams,
  OrderAddressBody,
  OrgItemParams,
  OrgOrderParams,
  RejectBody,
  ReturnShipmentBody,
  RoomProductsBody,
  ShipBody,
  ShippingRuleBody,
  StatusQuery,
} from './schema.ts';
import { OrgIdParams } from '../orgs/schema.ts';

export function commerceRoutes(app: FastifyInstance, c: Commerce) {
  const user = { kind: 'user' } as const;
  const anyone = { kind: 'public' } as const;
  const brandReaders = { kind: 'org', roles: 'any', orgKinds: ['brand'] } as const;
  const brandEditors = { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'], operators: false } as const;
  // Orders and after-sales carry buyers' names, phones and addresses: the brand's desk (owners, admins, staff) and
  // operators, not the members who only stream for it or serve in its stores.
  const brandDesk = { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'] } as const;
  const idempotencyKey = (headers: Record<string, unknown>, locale: 'zh-CN' | 'en') => parseInput(IdempotencyKey, headers['idempotency-key'], locale);

  // --- the room's product list ---
  app.get('/api/rooms/:id/products', { schema: { tags: ['commerce'], summary: 'List room products', params: IdParams }, config: { access: anyone } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    const [products, flashSales] = await Promise.all([c.shop.roomProducts(id), c.flash.forSession(id)]);
    return { products, flashSales };
  });
  app.put('/api/rooms/:id/products', { schema: { tags: ['commerce'], summary: "Set a room's product list (小黄车)", params: IdParams, body: RoomProductsBody }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    const body = parseInput(RoomProductsBody, request.body, request.locale);
    return { products: await c.shop.setRoomProducts(id, request.user!, body.items) };
  });
  app.get('/api/rooms/:id/catalogue', { schema: { tags: ['commerce'], summary: 'Get room catalogue', params: IdParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { products: await c.shop.catalogue(id, request.user!) };
  });
  app.get('/api/products/:id', { schema: { tags: ['commerce'], summary: 'Get product', params: IdParams }, config: { access: anyone } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { product: await c.shop.product(id) };
  });

  // --- addresses ---
  app.get('/api/me/addresses', { schema: { tags: ['commerce'], summary: 'List my addresses' }, config: { access: user } }, async (request) => ({ addresses: await c.shop.addresses(request.user!.id) }));
  app.post('/api/me/addresses', { schema: { tags: ['commerce'], summary: 'Create my address', body: AddressBody }, config: { access: user } }, async (request, reply) => {
    const body = parseInput(AddressBody, request.body, request.locale);
    reply.code(201);
    return { address: await c.shop.addAddress(request.user!.id, body) };
  });
  app.patch('/api/me/addresses/:id', { schema: { tags: ['commerce'], summary: 'Update my address', params: IdParams, body: AddressPatch }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    const body = parseInput(AddressPatch, request.body, request.locale);
    return { address: await c.shop.updateAddress(request.user!.id, id, body) };
  });
  app.delete('/api/me/addresses/:id', { schema: { tags: ['commerce'], summary: 'Delete my address', params: IdParams }, config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    await c.shop.deleteAddress(request.user!.id, id);
    return reply.code(204).send();
  });

  // --- shipping rules and coupons (brand) ---
  app.get('/api/orgs/:orgId/shipping-rule', { schema: { tags: ['commerce'], summary: 'Get shipping rule', params: OrgIdParams }, config: { access: brandReaders } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { rule: await c.shop.shippingRule(orgId) };
  });
  app.put('/api/orgs/:orgId/shipping-rule', { schema: { tags: ['commerce'], summary: 'Set shipping rule', params: OrgIdParams, body: ShippingRuleBody }, config: { access: brandEditors } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { rule: await c.shop.setShippingRule(orgId, parseInput(ShippingRuleBody, request.body, request.locale)) };
  });
  app.get('/api/orgs/:orgId/coupons', { schema: { tags: ['commerce'], summary: 'List coupons', params: OrgIdParams }, config: { access: brandReaders } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { coupons: await c.shop.brandCoupons(orgId) };
  });
  app.post('/api/orgs/:orgId/coupons', { schema: { tags: ['commerce'], summary: 'Create coupon', params: OrgIdParams, body: CouponBody }, config: { access: brandEditors } }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(CouponBody, request.body, request.locale);
    reply.code(201);
    return { coupon: await c.shop.createCoupon(orgId, body) };
  });
  app.get('/api/coupons/:id', { schema: { tags: ['commerce'], summary: 'Get coupon', params: IdParams }, config: { access: anyone } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { coupon: await c.shop.coupon(id) };
  });
  app.post('/api/coupons/:id/claim', { schema: { tags: ['commerce'], summary: 'Claim coupon', params: IdParams }, config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    reply.code(201);
    return { userCoupon: await c.shop.claimCoupon(request.user!.id, id) };
  });
  app.get('/api/me/coupons', { schema: { tags: ['commerce'], summary: 'List my coupons' }, config: { access: user } }, async (request) => ({ coupons: await c.shop.myCoupons(request.user!.id) }));

  // --- checkout and orders (buyer) ---
  app.post('/api/checkout/quote', { schema: { tags: ['commerce'], summary: 'Price a checkout', body: CheckoutBody }, config: { access: user } }, async (request) => {
    const body = parseInput(CheckoutBody, request.body, request.locale);
    return { quote: await c.orders.quote(request.user!, body) };
  });
  app.post('/api/orders', { schema: { tags: ['commerce'], summary: 'Create order', body: CheckoutBody }, config: { access: user } }, async (request, reply) => {
    const key = idempotencyKey(request.headers, request.locale);
    const body = parseInput(CheckoutBody, request.body, request.locale);
    const { order, created } = await c.orders.create(request.user!, body, key);
    reply.code(created ? 201 : 200);
    return { order };
  });
  app.get('/api/orders', { schema: { tags: ['commerce'], summary: 'List orders', querystring: StatusQuery }, config: { access: user } }, async (request) => {
    const { status } = parseInput(StatusQuery, request.query, request.locale);
    return { orders: await c.orders.list(request.user!, status) };
  });
  app.get('/api/orders/:id', { schema: { tags: ['commerce'], summary: 'Get order', params: IdParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { order: await c.orders.get(request.user!, id) };
  });
  app.post('/api/orders/:id/pay', { schema: { tags: ['commerce'], summary: 'Pay order', params: IdParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return c.orders.pay(request.user!, id);
  });
  app.post('/api/orders/:id/cancel', { schema: { tags: ['commerce'], summary: 'Cancel order', params: IdParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { order: await c.orders.cancelByBuyer(request.user!, id) };
  });
  app.post('/api/orders/:id/address', { schema: { tags: ['commerce'], summary: "Change an order's address", params: IdParams, body: OrderAddressBody }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    const { addressId } = parseInput(OrderAddressBody, request.body, request.locale);
    return { order: await c.orders.setAddress(request.user!, id, addressId) };
  });
  app.post('/api/orders/:id/confirm-receipt', { schema: { tags: ['commerce'], summary: 'Confirm receipt of an order', params: IdParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { order: await c.orders.confirmReceipt(request.user!, id) };
  });

  // --- after-sales ---
  app.post('/api/orders/:id/after-sales', { schema: { tags: ['commerce'], summary: 'Request an after-sale', params: IdParams, body: AfterSaleBody }, config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    const body = parseInput(AfterSaleBody, request.body, request.locale);
    reply.code(201);
    return { afterSale: await c.afterSales.request(request.user!, id, body) };
  });
  app.get('/api/me/after-sales', { schema: { tags: ['commerce'], summary: 'List my after sales' }, config: { access: user } }, async (request) => ({ afterSales: await c.afterSales.mine(request.user!) }));
  app.post('/api/after-sales/:id/return-shipment', { schema: { tags: ['commerce'], summary: "Send an after-sale's return shipment", params: IdParams, body: ReturnShipmentBody }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { afterSale: await c.afterSales.returnShipment(request.user!, id, parseInput(ReturnShipmentBody, request.body, request.locale)) };
  });
  app.get('/api/orgs/:orgId/after-sales', { schema: { tags: ['commerce'], summary: 'List after sales', params: OrgIdParams, querystring: AfterSaleQuery }, config: { access: brandDesk } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const { status } = parseInput(AfterSaleQuery, request.query, request.locale);
    return { afterSales: await c.afterSales.brandList(orgId, status) };
  });
  app.post('/api/orgs/:orgId/after-sales/:id/approve', { schema: { tags: ['commerce'], summary: 'Approve an after-sale', params: OrgItemParams, body: DecisionBody }, config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    const { reason } = parseInput(DecisionBody, request.body ?? {}, request.locale);
    return { afterSale: await c.afterSales.approve(orgId, id, reason) };
  });
  app.post('/api/orgs/:orgId/after-sales/:id/reject', { schema: { tags: ['commerce'], summary: 'Reject an after-sale', params: OrgItemParams, body: RejectBody }, config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    const { reason } = parseInput(RejectBody, request.body, request.locale);
    return { afterSale: await c.afterSales.reject(orgId, id, reason) };
  });
  app.post('/api/orgs/:orgId/after-sales/:id/receive', { schema: { tags: ['commerce'], summary: 'Confirm a returned parcel arrived', params: OrgItemParams }, config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    return { afterSale: await c.afterSales.receive(orgId, id) };
  });

  // --- brand orders ---
  app.get('/api/orgs/:orgId/orders', { schema: { tags: ['commerce'], summary: 'List orders', params: OrgIdParams, querystring: StatusQuery }, config: { access: brandDesk } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const { status } = parseInput(StatusQuery, request.query, request.locale);
    return { orders: await c.orders.brandList(orgId, status) };
  });
  app.post('/api/orgs/:orgId/orders/:orderId/ship', { schema: { tags: ['commerce'], summary: 'Ship order', params: OrgOrderParams, body: ShipBody }, config: { access: brandEditors } }, async (request) => {
    const { orgId, orderId } = parseInput(OrgOrderParams, request.params, request.locale);
    return { order: await c.orders.ship(orgId, orderId, parseInput(ShipBody, request.body, request.locale)) };
  });
  app.post('/api/orgs/:orgId/orders/:orderId/deliver', { schema: { tags: ['commerce'], summary: 'Deliver order', params: OrgOrderParams }, config: { access: brandEditors } }, async (request) => {
    const { orgId, orderId } = parseInput(OrgOrderParams, request.params, request.locale);
    return { order: await c.orders.deliver(orgId, orderId) };
  });

  // --- flash sales ---
  app.post('/api/rooms/:id/flash-sales', { schema: { tags: ['commerce'], summary: 'Create room flash sale', params: IdParams, body: FlashSaleBody }, config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    const body = parseInput(FlashSaleBody, request.body, request.locale);
    reply.code(201);
    return { flashSale: await c.flash.create(id, request.user!, body) };
  });
  app.get('/api/flash-sales/:id', { schema: { tags: ['commerce'], summary: 'Get flash sale', params: IdParams }, config: { access: anyone } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { flashSale: await c.flash.get(id) };
  });
  app.post('/api/flash-sales/:id/orders', { schema: { tags: ['commerce'], summary: 'Create flash sale order', params: IdParams, body: FlashOrderBody }, config: { access: user } }, async (request, reply) => {
    const key = idempotencyKey(request.headers, request.locale);
    const { id } = parseInput(IdParams, request.params, request.locale);
    const body = parseInput(FlashOrderBody, request.body, request.locale);
    const { order, created } = await c.flash.buy(request.user!, id, body, key);
    reply.code(created ? 201 : 200);
    return { order };
  });

  // --- payment notifications: signed by the provider, so no session and no CSRF token ---
  void app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, body));
    scope.post('/api/payments/notify/:provider', { schema: { tags: ['commerce'], summary: 'Payment provider notification (signed)' }, config: { access: anyone, csrf: false } }, async (request, reply) => {
      const { provider } = request.params as { provider: string };
      try {
        if (provider !== c.provider.name) throw new AppError('PAYMENT_UNKNOWN_ORDER');
        await c.orders.notify(String(request.body ?? ''), request.headers, c.afterSales.settleRefund);
        c.orders.counters.notified('ok');
        return { code: 'SUCCESS' };
      } catch (error) {
        const outage = outageOf(error);
        const appError = error instanceof AppError ? error : new AppError(outage ?? 'INTERNAL');
        c.orders.counters.notified(appError.code);
        if (appError.status >= 500 && !outage) request.log.error({ err: error }, 'payment notification failed');
        else request.log.warn({ code: appError.code }, 'payment notification refused');
        // Not acknowledged: the provider will send it again.
        return reply.code(appError.status).send({ code: 'FAIL', error: { code: appError.code, message: messageFor(appError.code, request.locale, appError.params) } });
      }
    });
  });

  // --- the sandbox provider's own pages (it would be another site in real life) ---
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) => done(null, {}));
    c.sandbox.routes(scope);
  });
}
