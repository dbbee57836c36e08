import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import type { Vouchers } from './index.ts';
import { EmptyBody, FirstStoreBody, FirstStoreQuery, IdParams, MineQuery, OrgParams, OrgStoreParams, RedeemBody, ReportQuery, StaffBody, StoreBody, StoreParams, VoucherBody } from './schema.ts';

const tags = ['vouchers'];
const user = { access: { kind: 'user' } } as const;
const brandManager = { access: { kind: 'org', roles: ['owner', 'admin'], orgKinds: ['brand'] } } as const;
const brandReader = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'] } } as const;
/** Guessing codes at the counter is the abuse to stop: per staff account, generous for a busy store. */
const redeemLimit = { max: 600, timeWindow: 60_000, hook: 'preHandler' as const, keyGenerator: (r: { user: { id: string } | null; ip: string }) => r.user?.id ?? r.ip };

export function vouchersRoutes(app: FastifyInstance, vouchers: Vouchers) {
  const { service, refunds, firstStores } = vouchers;

  // The brand's console: stores, their staff, voucher products, first stores, redemptions by store and day.
  app.get('/api/orgs/:orgId/stores', { schema: { tags, summary: "The brand's stores and their staff", params: OrgParams }, config: brandReader }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { stores: await service.listStores(orgId) };
  });
  app.post('/api/orgs/:orgId/stores', { schema: { tags, summary: 'Add a physical store', params: OrgParams, body: StoreBody }, config: brandManager }, async (request, reply) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    const body = parseInput(StoreBody, request.body, request.locale);
    reply.code(201);
    return { store: await service.createStore(orgId, body) };
  });
  app.post('/api/orgs/:orgId/stores/:storeId/staff', { schema: { tags, summary: 'Bind a user to a store as its staff (joins the brand as store_staff if not a member)', params: OrgStoreParams, body: StaffBody }, config: brandManager }, async (request, reply) => {
    const { orgId, storeId } = parseInput(OrgStoreParams, request.params, request.locale);
    const body = parseInput(StaffBody, request.body, request.locale);
    reply.code(201);
    return { staff: await service.addStaff(orgId, storeId, body.login, request.user!.id) };
  });
  app.get('/api/orgs/:orgId/vouchers', { schema: { tags, summary: "The brand's voucher products with their codes by status", params: OrgParams }, config: brandReader }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { vouchers: await service.listVouchers(orgId) };
  });
  app.post('/api/orgs/:orgId/vouchers', { schema: { tags, summary: 'Create a voucher product: validity, stores, days and time slots (China time)', params: OrgParams, body: VoucherBody }, config: brandManager }, async (request, reply) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    const body = parseInput(VoucherBody, request.body, request.locale);
    reply.code(201);
    return { voucher: await service.createVoucher(orgId, body) };
  });
  app.get('/api/orgs/:orgId/vouchers/redemptions', { schema: { tags, summary: 'Redemptions by store and day (China time)', params: OrgParams, querystring: ReportQuery }, config: brandReader }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    const { days } = parseInput(ReportQuery, request.query, request.locale);
    return service.report(orgId, days);
  });
  app.get('/api/orgs/:orgId/first-stores', { schema: { tags, summary: "The brand's first-store openings", params: OrgParams }, config: brandReader }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { firstStores: await firstStores.ofBrand(orgId) };
  });
  app.post('/api/orgs/:orgId/first-stores', { schema: { tags, summary: 'Announce a first-store opening with its O2O coupon', params: OrgParams, body: FirstStoreBody }, config: brandManager }, async (request, reply) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    const body = parseInput(FirstStoreBody, request.body, request.locale);
    reply.code(201);
    return { firstStore: await firstStores.create(orgId, body) };
  });

  // The buyer: 我的券, 随时退.
  app.get('/api/me/vouchers', { schema: { tags, summary: 'My voucher codes (QR codes of the unused ones)', querystring: MineQuery }, config: user }, async (request) => {
    const { orderId } = parseInput(MineQuery, request.query, request.locale);
    return { vouchers: await service.mine(request.user!.id, orderId) };
  });
  app.post('/api/me/vouchers/:id/refund', { schema: { tags, summary: '随时退: refund an unused voucher', params: IdParams, body: EmptyBody }, config: { ...user, rateLimit: { max: 30, timeWindow: 60_000 } } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    parseInput(EmptyBody, request.body, request.locale);
    return { voucher: await refunds.request(request.user!, id) };
  });

  // First stores: the public listing and the O2O coupon.
  app.get('/api/first-stores', { schema: { tags, summary: 'First-store openings (首店) with their O2O coupons', querystring: FirstStoreQuery }, config: { access: { kind: 'public' } } }, async (request) => {
    const { city } = parseInput(FirstStoreQuery, request.query, request.locale);
    return { firstStores: await firstStores.list(request.user?.id ?? null, city) };
  });
  app.post('/api/first-stores/:id/claim', { schema: { tags, summary: "Claim a first store's O2O coupon (free, one each)", params: IdParams, body: EmptyBody }, config: { ...user, rateLimit: { max: 30, timeWindow: 60_000 } } }, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    parseInput(EmptyBody, request.body, request.locale);
    reply.code(201);
    return { voucher: await firstStores.claim(request.user!.id, id) };
  });

  // The store staff's phone page.
  app.get('/api/staff/stores', { schema: { tags, summary: 'The stores I work at, with today’s redemptions' }, config: user }, async (request) => ({ stores: await service.staffStores(request.user!.id) }));
  app.get('/api/staff/stores/:storeId/redemptions', { schema: { tags, summary: "A store's latest redemptions (its staff only)", params: StoreParams }, config: user }, async (request) => {
    const { storeId } = parseInput(StoreParams, request.params, request.locale);
    return { redemptions: await service.staffRecent(request.user!.id, storeId) };
  });
  app.post('/api/staff/redeem', { schema: { tags, summary: '核销: redeem a code once at my store', body: RedeemBody }, config: { ...user, rateLimit: redeemLimit } }, async (request) => {
    const body = parseInput(RedeemBody, request.body, request.locale);
    return { redemption: await service.redeem(request.user!.id, body.storeId, body.code) };
  });
}
