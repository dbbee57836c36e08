import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { OrgIdParams } from '../orgs/schema.ts';
import { AppError } from '../platform/errors.ts';
import { parseInput } from '../platform/validate.ts';
import type { Actor, Cooperation } from './index.ts';
import {
  ApplicationQuery,
  ApplyBody,
  ApproveApplicationBody,
  BrandListQuery,
  CompareQuery,
  IdParams,
  McnApplyBody,
  McnSampleBody,
  OfferBody,
  OfferPatch,
  OrgItemParams,
  RejectBody,
  SampleBody,
  SampleQuery,
  ShipmentBody,
  SlotFeeBody,
  SlotFeeQuery,
  SquareQuery,
} from './schema.ts';

const OptionalReason = z.strictObject({ reason: z.string().trim().min(1).max(200).optional() }).optional();

/** The cooperation routes (docs/COOPERATION.md). Each one says who may call it; the service checks whose rows they are. */
export function cooperationRoutes(app: FastifyInstance, c: Cooperation) {
  const user = { kind: 'user' } as const;
  const operator = { kind: 'platform', roles: ['operator'] } as const;
  const brandReaders = { kind: 'org', roles: 'any', orgKinds: ['brand'] } as const;
  const brandEditors = { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'], operators: false } as const;
  // A brand's or an MCN's staff (not an MCN's signed streamers); operators may read.
  const orgStaff = { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand', 'mcn'] } as const;
  const mcnStaff = { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['mcn'], operators: false } as const;

  const me = (request: FastifyRequest): Actor => ({ kind: 'streamer', userId: request.user!.id });
  /** The brand or MCN the route's :orgId names, as access.ts established it. */
  const org = (request: FastifyRequest): Actor => {
    const m = request.membership!;
    if (m.orgKind === 'brand') return { kind: 'brand', orgId: m.orgId, userId: request.user!.id };
    if (m.orgKind === 'mcn') return { kind: 'mcn', orgId: m.orgId, userId: request.user!.id };
    throw new AppError('ORG_WRONG_KIND');
  };

  // --- the square (选品广场): any logged-in user; applying needs a verified streamer ---
  // Each offer carries the caller's eligibility as a streamer (followers and categories against its requirements).
  app.get('/api/offers', { schema: { tags: ['cooperation'], summary: 'List offers', querystring: SquareQuery }, config: { access: user } }, async (request) => c.offers.search(parseInput(SquareQuery, request.query, request.locale), request.user!.id));
  app.get('/api/offers/compare', { schema: { tags: ['cooperation'], summary: 'Compare offers', querystring: CompareQuery }, config: { access: user } }, async (request) => {
    const { ids } = parseInput(CompareQuery, request.query, request.locale);
    return { offers: await c.offers.compare(ids, request.user!.id) };
  });
  // The approved brands with their offer counts, for the brand pickers (static: matched before /api/offers/:id).
  app.get('/api/offers/brands', { schema: { tags: ['cooperation'], summary: 'Brands with offers', querystring: BrandListQuery }, config: { access: user } }, async (request) => {
    const { q, page, pageSize } = parseInput(BrandListQuery, request.query, request.locale);
    return c.offers.brands(page, pageSize, q);
  });
  app.get('/api/offers/:id', { schema: { tags: ['cooperation'], summary: 'Get offer', params: IdParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { offer: await c.offers.get(id, undefined, request.user!.id) };
  });
  app.post('/api/offers/:id/applications', { schema: { tags: ['cooperation'], summary: 'Apply to carry an offer', params: IdParams, body: ApplyBody }, config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    const body = parseInput(ApplyBody, request.body ?? {}, request.locale);
    reply.code(201);
    return { application: await c.offers.apply(me(request), id, request.user!.id, body.message) };
  });
  app.post('/api/offers/:id/samples', { schema: { tags: ['cooperation'], summary: 'Request a sample', params: IdParams, body: SampleBody }, config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    const body = parseInput(SampleBody, request.body, request.locale);
    reply.code(201);
    return { sample: await c.samples.request(me(request), id, request.user!.id, body.address, body.message) };
  });

  // --- the brand's offers ---
  app.get('/api/orgs/:orgId/offers', { schema: { tags: ['cooperation'], summary: 'List offers', params: OrgIdParams }, config: { access: brandReaders } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { offers: await c.offers.brandOffers(orgId) };
  });
  app.post('/api/orgs/:orgId/offers', { schema: { tags: ['cooperation'], summary: 'Create offer', params: OrgIdParams, body: OfferBody }, config: { access: brandEditors } }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(OfferBody, request.body, request.locale);
    reply.code(201);
    return { offer: await c.offers.create(orgId, body) };
  });
  app.get('/api/orgs/:orgId/offers/:id', { schema: { tags: ['cooperation'], summary: 'Get offer', params: OrgItemParams }, config: { access: brandReaders } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    return { offer: await c.offers.get(id, { kind: 'brand', orgId, userId: request.user!.id }) };
  });
  app.patch('/api/orgs/:orgId/offers/:id', { schema: { tags: ['cooperation'], summary: 'Update offer', params: OrgItemParams, body: OfferPatch }, config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    return { offer: await c.offers.update(orgId, id, parseInput(OfferPatch, request.body, request.locale)) };
  });

  // --- applications (带货申请): a brand's to its offers, an MCN's for its streamers ---
  app.get('/api/orgs/:orgId/applications', { schema: { tags: ['cooperation'], summary: 'List applications', params: OrgIdParams, querystring: ApplicationQuery }, config: { access: orgStaff } }, async (request) => {
    parseInput(OrgIdParams, request.params, request.locale);
    const { status } = parseInput(ApplicationQuery, request.query, request.locale);
    return { applications: await c.offers.applications(org(request), status) };
  });
  app.get('/api/orgs/:orgId/applications/:id', { schema: { tags: ['cooperation'], summary: 'Get application', params: OrgItemParams }, config: { access: orgStaff } }, async (request) => {
    const { id } = parseInput(OrgItemParams, request.params, request.locale);
    return { application: await c.offers.application(org(request), id) };
  });
  app.post('/api/orgs/:orgId/applications', { schema: { tags: ['cooperation'], summary: 'Apply to carry an offer for a streamer (MCN)', params: OrgIdParams, body: McnApplyBody }, config: { access: mcnStaff } }, async (request, reply) => {
    parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(McnApplyBody, request.body, request.locale);
    reply.code(201);
    return { application: await c.offers.apply(org(request), body.offerId, body.streamerId, body.message) };
  });
  app.post('/api/orgs/:orgId/applications/:id/approve', { schema: { tags: ['cooperation'], summary: 'Approve application', params: OrgItemParams, body: ApproveApplicationBody }, config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    const body = parseInput(ApproveApplicationBody, request.body, request.locale);
    return { application: await c.offers.decide(orgId, id, request.user!.id, { approve: true, commissionBps: body?.commissionBps }) };
  });
  app.post('/api/orgs/:orgId/applications/:id/revoke', { schema: { tags: ['cooperation'], summary: 'Revoke application', params: OrgItemParams, body: RejectBody }, config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    const { reason } = parseInput(RejectBody, request.body, request.locale);
    return { application: await c.offers.revoke(orgId, id, request.user!.id, reason) };
  });
  app.post('/api/orgs/:orgId/applications/:id/reject', { schema: { tags: ['cooperation'], summary: 'Reject application', params: OrgItemParams, body: RejectBody }, config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    const { reason } = parseInput(RejectBody, request.body, request.locale);
    return { application: await c.offers.decide(orgId, id, request.user!.id, { approve: false, reason }) };
  });

  // --- samples (寄样) ---
  app.get('/api/orgs/:orgId/samples', { schema: { tags: ['cooperation'], summary: 'List samples', params: OrgIdParams, querystring: SampleQuery }, config: { access: orgStaff } }, async (request) => {
    parseInput(OrgIdParams, request.params, request.locale);
    const { status } = parseInput(SampleQuery, request.query, request.locale);
    return { samples: await c.samples.list(org(request), status) };
  });
  app.get('/api/orgs/:orgId/samples/:id', { schema: { tags: ['cooperation'], summary: 'Get sample', params: OrgItemParams }, config: { access: orgStaff } }, async (request) => {
    const { id } = parseInput(OrgItemParams, request.params, request.locale);
    return { sample: await c.samples.get(org(request), id) };
  });
  app.post('/api/orgs/:orgId/samples', { schema: { tags: ['cooperation'], summary: 'Request a sample for a streamer (MCN)', params: OrgIdParams, body: McnSampleBody }, config: { access: mcnStaff } }, async (request, reply) => {
    parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(McnSampleBody, request.body, request.locale);
    reply.code(201);
    return { sample: await c.samples.request(org(request), body.offerId, body.streamerId, body.address, body.message) };
  });
  app.post('/api/orgs/:orgId/samples/:id/approve', { schema: { tags: ['cooperation'], summary: 'Approve sample', params: OrgItemParams }, config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    return { sample: await c.samples.approve(orgId, id) };
  });
  app.post('/api/orgs/:orgId/samples/:id/reject', { schema: { tags: ['cooperation'], summary: 'Reject sample', params: OrgItemParams, body: RejectBody }, config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    const { reason } = parseInput(RejectBody, request.body, request.locale);
    return { sample: await c.samples.reject(orgId, id, reason) };
  });
  app.post('/api/orgs/:orgId/samples/:id/ship', { schema: { tags: ['cooperation'], summary: 'Ship sample', params: OrgItemParams, body: ShipmentBody }, config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    return { sample: await c.samples.ship(orgId, id, parseInput(ShipmentBody, request.body, request.locale)) };
  });
  app.post('/api/orgs/:orgId/samples/:id/confirm-return', { schema: { tags: ['cooperation'], summary: 'Confirm a sample came back', params: OrgItemParams }, config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    return { sample: await c.samples.confirmReturn(orgId, id) };
  });

  // --- slot fees (坑位费) ---
  app.get('/api/orgs/:orgId/slot-fees', { schema: { tags: ['cooperation'], summary: 'List slot fees', params: OrgIdParams, querystring: SlotFeeQuery }, config: { access: orgStaff } }, async (request) => {
    parseInput(OrgIdParams, request.params, request.locale);
    const { status } = parseInput(SlotFeeQuery, request.query, request.locale);
    return { slotFees: await c.slotFees.list(org(request), status) };
  });
  app.get('/api/orgs/:orgId/slot-fees/:id', { schema: { tags: ['cooperation'], summary: 'Get slot fee', params: OrgItemParams }, config: { access: orgStaff } }, async (request) => {
    const { id } = parseInput(OrgItemParams, request.params, request.locale);
    return { slotFee: await c.slotFees.get(org(request), id) };
  });
  app.post('/api/orgs/:orgId/slot-fees', { schema: { tags: ['cooperation'], summary: 'Create slot fee', params: OrgIdParams, body: SlotFeeBody }, config: { access: brandEditors } }, async (request, reply) => {
    parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(SlotFeeBody, request.body, request.locale);
    reply.code(201);
    return { slotFee: await c.slotFees.propose(org(request), body) };
  });
  for (const step of ['accept', 'reject', 'settle'] as const) {
    app.post(`/api/orgs/:orgId/slot-fees/:id/${step}`, { schema: { tags: ['cooperation'], summary: `${step[0]!.toUpperCase()}${step.slice(1)} slot fee`, params: OrgItemParams, ...(step === 'reject' && { body: OptionalReason }) }, config: { access: brandEditors } }, async (request) => {
      const { id } = parseInput(OrgItemParams, request.params, request.locale);
      if (step === 'accept') return { slotFee: await c.slotFees.accept(org(request), id) };
      if (step === 'settle') return { slotFee: await c.slotFees.settle(org(request), id) };
      const body = parseInput(OptionalReason, request.body, request.locale);
      return { slotFee: await c.slotFees.reject(org(request), id, body?.reason) };
    });
  }
  app.post('/api/admin/cooperation/slot-fees/:id/settle', { schema: { tags: ['cooperation'], summary: 'Settle slot fee (operator)', params: IdParams }, config: { access: operator } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { slotFee: await c.slotFees.settle(null, id) };
  });

  // --- the streamer's own ---
  app.get('/api/me/cooperation/applications', { schema: { tags: ['cooperation'], summary: 'List my applications', querystring: ApplicationQuery }, config: { access: user } }, async (request) => {
    const { status } = parseInput(ApplicationQuery, request.query, request.locale);
    return { applications: await c.offers.applications(me(request), status) };
  });
  app.get('/api/me/cooperation/applications/:id', { schema: { tags: ['cooperation'], summary: 'Get my application', params: IdParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { application: await c.offers.application(me(request), id) };
  });
  app.get('/api/me/cooperation/samples', { schema: { tags: ['cooperation'], summary: 'List my samples', querystring: SampleQuery }, config: { access: user } }, async (request) => {
    const { status } = parseInput(SampleQuery, request.query, request.locale);
    return { samples: await c.samples.list(me(request), status) };
  });
  app.get('/api/me/cooperation/samples/:id', { schema: { tags: ['cooperation'], summary: 'Get my sample', params: IdParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { sample: await c.samples.get(me(request), id) };
  });
  app.post('/api/me/cooperation/samples/:id/receive', { schema: { tags: ['cooperation'], summary: 'Receive my sample', params: IdParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { sample: await c.samples.receive(request.user!.id, id) };
  });
  app.post('/api/me/cooperation/samples/:id/return', { schema: { tags: ['cooperation'], summary: 'Return my sample', params: IdParams, body: ShipmentBody }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { sample: await c.samples.sendBack(request.user!.id, id, parseInput(ShipmentBody, request.body, request.locale)) };
  });
  app.post('/api/me/cooperation/samples/:id/keep', { schema: { tags: ['cooperation'], summary: 'Keep my sample', params: IdParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { sample: await c.samples.keep(request.user!.id, id) };
  });
  app.get('/api/me/cooperation/slot-fees', { schema: { tags: ['cooperation'], summary: 'List my slot fees', querystring: SlotFeeQuery }, config: { access: user } }, async (request) => {
    const { status } = parseInput(SlotFeeQuery, request.query, request.locale);
    return { slotFees: await c.slotFees.list(me(request), status) };
  });
  app.post('/api/me/cooperation/slot-fees', { schema: { tags: ['cooperation'], summary: 'Create my slot fee', body: SlotFeeBody }, config: { access: user } }, async (request, reply) => {
    const body = parseInput(SlotFeeBody, request.body, request.locale);
    reply.code(201);
    return { slotFee: await c.slotFees.propose(me(request), body) };
  });
  app.post('/api/me/cooperation/slot-fees/:id/accept', { schema: { tags: ['cooperation'], summary: 'Accept my slot fee', params: IdParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { slotFee: await c.slotFees.accept(me(request), id) };
  });
  app.post('/api/me/cooperation/slot-fees/:id/reject', { schema: { tags: ['cooperation'], summary: 'Reject my slot fee', params: IdParams, body: OptionalReason }, config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    const body = parseInput(OptionalReason, request.body, request.locale);
    return { slotFee: await c.slotFees.reject(me(request), id, body?.reason) };
  });
}
