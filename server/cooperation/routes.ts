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
  app.get('/api/offers', { config: { access: user } }, async (request) => c.offers.search(parseInput(SquareQuery, request.query, request.locale), request.user!.id));
  app.get('/api/offers/compare', { config: { access: user } }, async (request) => {
    const { ids } = parseInput(CompareQuery, request.query, request.locale);
    return { offers: await c.offers.compare(ids, request.user!.id) };
  });
  // The approved brands with their offer counts, for the brand pickers (static: matched before /api/offers/:id).
  app.get('/api/offers/brands', { config: { access: user } }, async (request) => {
    const { q, page, pageSize } = parseInput(BrandListQuery, request.query, request.locale);
    return c.offers.brands(page, pageSize, q);
  });
  app.get('/api/offers/:id', { config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { offer: await c.offers.get(id, undefined, request.user!.id) };
  });
  app.post('/api/offers/:id/applications', { config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    const body = parseInput(ApplyBody, request.body ?? {}, request.locale);
    reply.code(201);
    return { application: await c.offers.apply(me(request), id, request.user!.id, body.message) };
  });
  app.post('/api/offers/:id/samples', { config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    const body = parseInput(SampleBody, request.body, request.locale);
    reply.code(201);
    return { sample: await c.samples.request(me(request), id, request.user!.id, body.address, body.message) };
  });

  // --- the brand's offers ---
  app.get('/api/orgs/:orgId/offers', { config: { access: brandReaders } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { offers: await c.offers.brandOffers(orgId) };
  });
  app.post('/api/orgs/:orgId/offers', { config: { access: brandEditors } }, async (request, reply) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(OfferBody, request.body, request.locale);
    reply.code(201);
    return { offer: await c.offers.create(orgId, body) };
  });
  app.get('/api/orgs/:orgId/offers/:id', { config: { access: brandReaders } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    return { offer: await c.offers.get(id, { kind: 'brand', orgId, userId: request.user!.id }) };
  });
  app.patch('/api/orgs/:orgId/offers/:id', { config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    return { offer: await c.offers.update(orgId, id, parseInput(OfferPatch, request.body, request.locale)) };
  });

  // --- applications (带货申请): a brand's to its offers, an MCN's for its streamers ---
  app.get('/api/orgs/:orgId/applications', { config: { access: orgStaff } }, async (request) => {
    parseInput(OrgIdParams, request.params, request.locale);
    const { status } = parseInput(ApplicationQuery, request.query, request.locale);
    return { applications: await c.offers.applications(org(request), status) };
  });
  app.get('/api/orgs/:orgId/applications/:id', { config: { access: orgStaff } }, async (request) => {
    const { id } = parseInput(OrgItemParams, request.params, request.locale);
    return { application: await c.offers.application(org(request), id) };
  });
  app.post('/api/orgs/:orgId/applications', { config: { access: mcnStaff } }, async (request, reply) => {
    parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(McnApplyBody, request.body, request.locale);
    reply.code(201);
    return { application: await c.offers.apply(org(request), body.offerId, body.streamerId, body.message) };
  });
  app.post('/api/orgs/:orgId/applications/:id/approve', { config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    const body = parseInput(ApproveApplicationBody, request.body, request.locale);
    return { application: await c.offers.decide(orgId, id, request.user!.id, { approve: true, commissionBps: body?.commissionBps }) };
  });
  app.post('/api/orgs/:orgId/applications/:id/revoke', { config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    const { reason } = parseInput(RejectBody, request.body, request.locale);
    return { application: await c.offers.revoke(orgId, id, request.user!.id, reason) };
  });
  app.post('/api/orgs/:orgId/applications/:id/reject', { config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    const { reason } = parseInput(RejectBody, request.body, request.locale);
    return { application: await c.offers.decide(orgId, id, request.user!.id, { approve: false, reason }) };
  });

  // --- samples (寄样) ---
  app.get('/api/orgs/:orgId/samples', { config: { access: orgStaff } }, async (request) => {
    parseInput(OrgIdParams, request.params, request.locale);
    const { status } = parseInput(SampleQuery, request.query, request.locale);
    return { samples: await c.samples.list(org(request), status) };
  });
  app.get('/api/orgs/:orgId/samples/:id', { config: { access: orgStaff } }, async (request) => {
    const { id } = parseInput(OrgItemParams, request.params, request.locale);
    return { sample: await c.samples.get(org(request), id) };
  });
  app.post('/api/orgs/:orgId/samples', { config: { access: mcnStaff } }, async (request, reply) => {
    parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(McnSampleBody, request.body, request.locale);
    reply.code(201);
    return { sample: await c.samples.request(org(request), body.offerId, body.streamerId, body.address, body.message) };
  });
  app.post('/api/orgs/:orgId/samples/:id/approve', { config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    return { sample: await c.samples.approve(orgId, id) };
  });
  app.post('/api/orgs/:orgId/samples/:id/reject', { config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    const { reason } = parseInput(RejectBody, request.body, request.locale);
    return { sample: await c.samples.reject(orgId, id, reason) };
  });
  app.post('/api/orgs/:orgId/samples/:id/ship', { config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    return { sample: await c.samples.ship(orgId, id, parseInput(ShipmentBody, request.body, request.locale)) };
  });
  app.post('/api/orgs/:orgId/samples/:id/confirm-return', { config: { access: brandEditors } }, async (request) => {
    const { orgId, id } = parseInput(OrgItemParams, request.params, request.locale);
    return { sample: await c.samples.confirmReturn(orgId, id) };
  });

  // --- slot fees (坑位费) ---
  app.get('/api/orgs/:orgId/slot-fees', { config: { access: orgStaff } }, async (request) => {
    parseInput(OrgIdParams, request.params, request.locale);
    const { status } = parseInput(SlotFeeQuery, request.query, request.locale);
    return { slotFees: await c.slotFees.list(org(request), status) };
  });
  app.get('/api/orgs/:orgId/slot-fees/:id', { config: { access: orgStaff } }, async (request) => {
    const { id } = parseInput(OrgItemParams, request.params, request.locale);
    return { slotFee: await c.slotFees.get(org(request), id) };
  });
  app.post('/api/orgs/:orgId/slot-fees', { config: { access: brandEditors } }, async (request, reply) => {
    parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(SlotFeeBody, request.body, request.locale);
    reply.code(201);
    return { slotFee: await c.slotFees.propose(org(request), body) };
  });
  for (const step of ['accept', 'reject', 'settle'] as const) {
    app.post(`/api/orgs/:orgId/slot-fees/:id/${step}`, { config: { access: brandEditors } }, async (request) => {
      const { id } = parseInput(OrgItemParams, request.params, request.locale);
      if (step === 'accept') return { slotFee: await c.slotFees.accept(org(request), id) };
      if (step === 'settle') return { slotFee: await c.slotFees.settle(org(request), id) };
      const body = parseInput(OptionalReason, request.body, request.locale);
      return { slotFee: await c.slotFees.reject(org(request), id, body?.reason) };
    });
  }
  app.post('/api/admin/cooperation/slot-fees/:id/settle', { config: { access: operator } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { slotFee: await c.slotFees.settle(null, id) };
  });

  // --- the streamer's own ---
  app.get('/api/me/cooperation/applications', { config: { access: user } }, async (request) => {
    const { status } = parseInput(ApplicationQuery, request.query, request.locale);
    return { applications: await c.offers.applications(me(request), status) };
  });
  app.get('/api/me/cooperation/applications/:id', { config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { application: await c.offers.application(me(request), id) };
  });
  app.get('/api/me/cooperation/samples', { config: { access: user } }, async (request) => {
    const { status } = parseInput(SampleQuery, request.query, request.locale);
    return { samples: await c.samples.list(me(request), status) };
  });
  app.get('/api/me/cooperation/samples/:id', { config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { sample: await c.samples.get(me(request), id) };
  });
  app.post('/api/me/cooperation/samples/:id/receive', { config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { sample: await c.samples.receive(request.user!.id, id) };
  });
  app.post('/api/me/cooperation/samples/:id/return', { config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { sample: await c.samples.sendBack(request.user!.id, id, parseInput(ShipmentBody, request.body, request.locale)) };
  });
  app.post('/api/me/cooperation/samples/:id/keep', { config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { sample: await c.samples.keep(request.user!.id, id) };
  });
  app.get('/api/me/cooperation/slot-fees', { config: { access: user } }, async (request) => {
    const { status } = parseInput(SlotFeeQuery, request.query, request.locale);
    return { slotFees: await c.slotFees.list(me(request), status) };
  });
  app.post('/api/me/cooperation/slot-fees', { config: { access: user } }, async (request, reply) => {
    const body = parseInput(SlotFeeBody, request.body, request.locale);
    reply.code(201);
    return { slotFee: await c.slotFees.propose(me(request), body) };
  });
  app.post('/api/me/cooperation/slot-fees/:id/accept', { config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    return { slotFee: await c.slotFees.accept(me(request), id) };
  });
  app.post('/api/me/cooperation/slot-fees/:id/reject', { config: { access: user } }, async (request) => {
    const { id } = parseInput(IdParams, request.params, request.locale);
    const body = parseInput(OptionalReason, request.body, request.locale);
    return { slotFee: await c.slotFees.reject(me(request), id, body?.reason) };
  });
}
