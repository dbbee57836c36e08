import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import type { Campaigns } from './service.ts';
import {
  AddBrandBody,
  AddSessionBody,
  ApplyBody,
  CampaignBrandParams,
  CampaignCouponBody,
  CampaignCouponParams,
  CampaignParams,
  CreateCampaignBody,
  DecisionBody,
  ListQuery,
  OrgCampaignParams,
} from './schema.ts';
import { OrgIdParams } from '../orgs/schema.ts';

const tags = ['campaigns'];
const anyone = { access: { kind: 'public' } } as const;
const user = { access: { kind: 'user' } } as const;
const operator = { access: { kind: 'platform', roles: ['operator'] } } as const;
/** A brand's owner or admin applies and adds its lives; an operator acts through the admin routes. */
const brandManagers = { access: { kind: 'org', roles: ['owner', 'admin'], orgKinds: ['brand'], operators: false } } as const;
const brandReaders = { access: { kind: 'org', roles: 'any', orgKinds: ['brand'] } } as const;

export function campaignRoutes(app: FastifyInstance, campaigns: Campaigns) {
  // --- public: the list and the landing page ---
  app.get('/api/campaigns', { schema: { tags, summary: 'Campaigns in warm-up, running or upcoming (all: with the ended ones)', querystring: ListQuery }, config: anyone }, async (request) => {
    const { all } = parseInput(ListQuery, request.query, request.locale);
    return { campaigns: await campaigns.list(all === 'true') };
  });
  app.get('/api/campaigns/:id', { schema: { tags, summary: 'A campaign landing page: live now, next, brands, shared coupons, leaderboard', params: CampaignParams }, config: anyone }, async (request) => {
    const { id } = parseInput(CampaignParams, request.params, request.locale);
    return campaigns.landing(id, request.user);
  });
  app.get('/api/campaigns/:id/leaderboard', { schema: { tags, summary: 'Sessions and brands of a campaign by GMV (cached ≤ 1 s)', params: CampaignParams }, config: anyone }, async (request) => {
    const { id } = parseInput(CampaignParams, request.params, request.locale);
    return { leaderboard: await campaigns.leaderboard(id) };
  });
  app.post(
    '/api/campaigns/:id/coupons/:couponId/claim',
    { schema: { tags, summary: 'Claim a shared coupon of a campaign', params: CampaignCouponParams }, config: { ...user, rateLimit: { max: 30, timeWindow: 60_000 } } },
    async (request, reply) => {
      const { id, couponId } = parseInput(CampaignCouponParams, request.params, request.locale);
      reply.code(201);
      return { userCoupon: await campaigns.claim(request.user!, id, couponId) };
    },
  );

  // --- operators ---
  app.post('/api/admin/campaigns', { schema: { tags, summary: 'Create a campaign (operator)', body: CreateCampaignBody }, config: operator }, async (request, reply) => {
    const body = parseInput(CreateCampaignBody, request.body, request.locale);
    reply.code(201);
    return { campaign: await campaigns.create(request.user!, body) };
  });
  app.get('/api/admin/campaigns/:id', { schema: { tags, summary: 'A campaign with every brand (applied, approved, rejected), session and coupon (operator)', params: CampaignParams }, config: operator }, async (request) => {
    const { id } = parseInput(CampaignParams, request.params, request.locale);
    return campaigns.admin(id);
  });
  app.post('/api/admin/campaigns/:id/brands', { schema: { tags, summary: 'Add a brand to a campaign (operator)', params: CampaignParams, body: AddBrandBody }, config: operator }, async (request, reply) => {
    const { id } = parseInput(CampaignParams, request.params, request.locale);
    const body = parseInput(AddBrandBody, request.body, request.locale);
    reply.code(201);
    return { brands: await campaigns.addBrand(request.user!, id, body.brandOrgId) };
  });
  app.post('/api/admin/campaigns/:id/brands/:orgId/decision', { schema: { tags, summary: "Approve or reject a brand's application (operator)", params: CampaignBrandParams, body: DecisionBody }, config: operator }, async (request) => {
    const { id, orgId } = parseInput(CampaignBrandParams, request.params, request.locale);
    const body = parseInput(DecisionBody, request.body, request.locale);
    return { brands: await campaigns.decide(request.user!, id, orgId, body.approve) };
  });
  app.post('/api/admin/campaigns/:id/sessions', { schema: { tags, summary: 'Add a live session to a campaign (operator)', params: CampaignParams, body: AddSessionBody }, config: operator }, async (request, reply) => {
    const { id } = parseInput(CampaignParams, request.params, request.locale);
    const body = parseInput(AddSessionBody, request.body, request.locale);
    reply.code(201);
    return { sessions: await campaigns.addSession(id, body.sessionId) };
  });
  app.post('/api/admin/campaigns/:id/coupons', { schema: { tags, summary: 'Create a shared coupon paid by the platform (operator)', params: CampaignParams, body: CampaignCouponBody }, config: operator }, async (request, reply) => {
    const { id } = parseInput(CampaignParams, request.params, request.locale);
    const body = parseInput(CampaignCouponBody, request.body, request.locale);
    reply.code(201);
    return { coupon: await campaigns.createCoupon(id, body) };
  });

  // --- brands ---
  app.get('/api/orgs/:orgId/campaigns', { schema: { tags, summary: 'Campaigns open to a brand, with its status in each', params: OrgIdParams }, config: brandReaders }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return { campaigns: await campaigns.forBrand(orgId) };
  });
  app.post('/api/orgs/:orgId/campaigns/:id/apply', { schema: { tags, summary: 'Apply to join a campaign (brand owner or admin)', params: OrgCampaignParams, body: ApplyBody }, config: brandManagers }, async (request, reply) => {
    const { orgId, id } = parseInput(OrgCampaignParams, request.params, request.locale);
    const body = parseInput(ApplyBody, request.body, request.locale);
    reply.code(201);
    return await campaigns.apply(request.user!, orgId, id, body?.note);
  });
  app.post('/api/orgs/:orgId/campaigns/:id/sessions', { schema: { tags, summary: "Add one of the brand's own lives to a campaign it has joined", params: OrgCampaignParams, body: AddSessionBody }, config: brandManagers }, async (request, reply) => {
    const { orgId, id } = parseInput(OrgCampaignParams, request.params, request.locale);
    const body = parseInput(AddSessionBody, request.body, request.locale);
    reply.code(201);
    return { sessions: await campaigns.addSession(id, body.sessionId, orgId) };
  });
}
