import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import type { B2b } from './index.ts';
import {
  AcceptBody,
  DeclineBody,
  LeadBody,
  LicenceBody,
  LicenceParams,
  LicenceStatusQuery,
  OrgParams,
  OrgProductParams,
  OrgRfqParams,
  ProductParams,
  QuoteBody,
  ReviewBody,
  RfqBody,
  RfqParams,
  SampleBody,
  TermsBody,
  WholesaleProductBody,
} from './schema.ts';

const tags = ['b2b'];
const user = { access: { kind: 'user' } } as const;
const operator = { access: { kind: 'platform', roles: ['operator'] } } as const;
// Buyers' and visitors' personal data (names, phones, addresses, contacts) and the seller's terms: its desk —
// owners, admins and staff (and operators), not the members who only stream for it or serve in its stores.
const sellerReader = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'] } } as const;
const sellerEditor = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'] } } as const;
const limited = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });

/** 直播+产业供应链 (docs/B2B.md). */
export function b2bRoutes(app: FastifyInstance, b2b: B2b) {
  const { service } = b2b;

  // The buyer's business licence (rule B1).
  app.post('/api/b2b/licences', { schema: { tags, summary: 'Submit my business licence (unified social credit code, GB 32100 check character)', body: LicenceBody }, config: { ...user, ...limited(20) } }, async (request, reply) => {
    const body = parseInput(LicenceBody, request.body, request.locale);
    reply.code(201);
    return { licence: await service.submitLicence(request.user!.id, body) };
  });
  app.get('/api/b2b/licences/me', { schema: { tags, summary: 'My business licence and its review' }, config: user }, async (request) => ({ licence: await service.myLicence(request.user!.id) }));
  app.get('/api/admin/b2b/licences', { schema: { tags, summary: 'Business licences to review (operator)', querystring: LicenceStatusQuery }, config: operator }, async (request) => {
    const { status } = parseInput(LicenceStatusQuery, request.query, request.locale);
    return { licences: await service.listLicences(status) };
  });
  app.post('/api/admin/b2b/licences/:licenceId/review', { schema: { tags, summary: 'Approve or reject a business licence (operator)', params: LicenceParams, body: ReviewBody }, config: operator }, async (request) => {
    const { licenceId } = parseInput(LicenceParams, request.params, request.locale);
    const body = parseInput(ReviewBody, request.body, request.locale);
    return { licence: await service.reviewLicence(licenceId, body.decision, body.reason, request.user!.id) };
  });

  // Wholesale products (rules B2–B4).
  app.get('/api/b2b/products/:productId', { schema: { tags, summary: 'A wholesale product: tiers only for a buyer with an approved licence', params: ProductParams }, config: { access: { kind: 'public' } } }, async (request) => {
    const { productId } = parseInput(ProductParams, request.params, request.locale);
    return service.productView(productId, request.user);
  });
  app.get('/api/b2b/products/:productId/prices', { schema: { tags, summary: 'Wholesale prices (tiers, sample price); refused without an approved licence', params: ProductParams }, config: user }, async (request) => {
    const { productId } = parseInput(ProductParams, request.params, request.locale);
    return service.prices(productId, request.user!);
  });
  app.post('/api/b2b/products/:productId/samples', { schema: { tags, summary: 'Order a sample at the sample price, within the per-buyer limit', params: ProductParams, body: SampleBody }, config: { ...user, ...limited(30) } }, async (request, reply) => {
    const { productId } = parseInput(ProductParams, request.params, request.locale);
    const body = parseInput(SampleBody, request.body, request.locale);
    reply.code(201);
    return { order: await service.requestSample(request.user!, productId, body) };
  });
  app.post('/api/b2b/products/:productId/rfqs', { schema: { tags, summary: 'Request a quotation (quantity, target price)', params: ProductParams, body: RfqBody }, config: { ...user, ...limited(30) } }, async (request, reply) => {
    const { productId } = parseInput(ProductParams, request.params, request.locale);
    const body = parseInput(RfqBody, request.body, request.locale);
    reply.code(201);
    return { rfq: await service.createRfq(request.user!, productId, body) };
  });
  app.get('/api/b2b/rfqs', { schema: { tags, summary: 'My requests for quotation' }, config: user }, async (request) => ({ rfqs: await service.rfqs({ buyerId: request.user!.id }) }));
  app.post('/api/b2b/rfqs/:rfqId/accept', { schema: { tags, summary: 'Accept a quote: an order at the quoted price', params: RfqParams, body: AcceptBody }, config: user }, async (request, reply) => {
    const { rfqId } = parseInput(RfqParams, request.params, request.locale);
    const body = parseInput(AcceptBody, request.body ?? {}, request.locale);
    reply.code(201);
    return { order: await service.accept(request.user!, rfqId, body.addressId) };
  });
  app.post('/api/b2b/leads', { schema: { tags, summary: 'Leave my contact and need in a wholesale live (留资), with consent', body: LeadBody }, config: { ...user, ...limited(10) } }, async (request, reply) => {
    const body = parseInput(LeadBody, request.body, request.locale);
    reply.code(201);
    return { lead: await service.captureLead(request.user!, body) };
  });

  // The seller's console.
  app.get('/api/orgs/:orgId/b2b/products', { schema: { tags, summary: 'The seller’s wholesale products with their terms', params: OrgParams }, config: sellerReader }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { products: await service.orgProducts(orgId) };
  });
  app.post('/api/orgs/:orgId/b2b/products', { schema: { tags, summary: 'Create a wholesale product with tiers, MOQ and samples', params: OrgParams, body: WholesaleProductBody }, config: sellerEditor }, async (request, reply) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    const body = parseInput(WholesaleProductBody, request.body, request.locale);
    reply.code(201);
    return { product: await service.createProduct(orgId, body) };
  });
  app.put('/api/orgs/:orgId/b2b/products/:productId/terms', { schema: { tags, summary: 'Change a wholesale product’s tiers, MOQ and samples', params: OrgProductParams, body: TermsBody }, config: sellerEditor }, async (request) => {
    const { orgId, productId } = parseInput(OrgProductParams, request.params, request.locale);
    const body = parseInput(TermsBody, request.body, request.locale);
    return { product: await service.setTerms(orgId, productId, body) };
  });
  app.get('/api/orgs/:orgId/b2b/rfqs', { schema: { tags, summary: 'Requests for quotation to answer', params: OrgParams }, config: sellerReader }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { rfqs: await service.rfqs({ orgId }) };
  });
  app.post('/api/orgs/:orgId/b2b/rfqs/:rfqId/quote', { schema: { tags, summary: 'Answer a request for quotation with a quote', params: OrgRfqParams, body: QuoteBody }, config: sellerEditor }, async (request) => {
    const { orgId, rfqId } = parseInput(OrgRfqParams, request.params, request.locale);
    const body = parseInput(QuoteBody, request.body, request.locale);
    return { rfq: await service.quote(orgId, rfqId, body) };
  });
  app.post('/api/orgs/:orgId/b2b/rfqs/:rfqId/decline', { schema: { tags, summary: 'Decline a request for quotation', params: OrgRfqParams, body: DeclineBody }, config: sellerEditor }, async (request) => {
    const { orgId, rfqId } = parseInput(OrgRfqParams, request.params, request.locale);
    const body = parseInput(DeclineBody, request.body ?? {}, request.locale);
    return { rfq: await service.decline(orgId, rfqId, body.note) };
  });
  app.get('/api/orgs/:orgId/b2b/leads', { schema: { tags, summary: 'Leads (留资) left in the seller’s lives', params: OrgParams }, config: sellerReader }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { leads: await service.leads(orgId) };
  });
}
