import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import type { Origin } from './index.ts';
import { AreaBody, CertBody, OrgParams, ProducerBody, ProductParams, ReportQuery } from './schema.ts';

const tags = ['origin'];
const operator = { access: { kind: 'platform', roles: ['operator'] } } as const;
const reviewer = { access: { kind: 'platform', roles: ['operator', 'commission'] } } as const;
const sellerReader = { access: { kind: 'org', roles: 'any', orgKinds: ['brand'] } } as const;
const sellerEditor = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'] } } as const;

/** 直播+消费帮扶 (docs/ORIGIN.md). */
export function originRoutes(app: FastifyInstance, origin: Origin) {
  const { service } = origin;
  // Proceeds are posted from the database on every node, after the ledger settles (docs/ORIGIN.md).
  app.addHook('onReady', async () => origin.proceeds.start());
  app.addHook('onClose', async () => origin.proceeds.stop());

  app.get('/api/origin/areas', { schema: { tags, summary: 'The designated areas (帮扶县) a certified product may come from' }, config: { access: { kind: 'public' } } }, async () => ({ areas: await service.areas() }));
  app.post('/api/admin/origin/areas', { schema: { tags, summary: 'Add a designated area (operator)', body: AreaBody }, config: operator }, async (request, reply) => {
    const body = parseInput(AreaBody, request.body, request.locale);
    reply.code(201);
    return { area: await service.addArea(body, request.user!.id) };
  });
  app.get('/api/origin/products/:productId', { schema: { tags, summary: 'A product’s traceability: its certified batches, producer, county, certifier', params: ProductParams }, config: { access: { kind: 'public' } } }, async (request) => {
    const { productId } = parseInput(ProductParams, request.params, request.locale);
    return service.trace(productId);
  });

  app.get('/api/orgs/:orgId/origin/producers', { schema: { tags, summary: 'The brand’s producers', params: OrgParams }, config: sellerReader }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { producers: await service.producers(orgId) };
  });
  app.post('/api/orgs/:orgId/origin/producers', { schema: { tags, summary: 'Add a producer in a designated area', params: OrgParams, body: ProducerBody }, config: sellerEditor }, async (request, reply) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    const body = parseInput(ProducerBody, request.body, request.locale);
    reply.code(201);
    return { producer: await service.addProducer(orgId, body) };
  });
  app.get('/api/orgs/:orgId/origin/certifications', { schema: { tags, summary: 'The brand’s origin certifications', params: OrgParams }, config: sellerReader }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { certifications: await service.certified(orgId) };
  });
  app.post('/api/orgs/:orgId/origin/certifications', { schema: { tags, summary: 'Certify a batch of a product (certifier, certificate, batch, producer, share)', params: OrgParams, body: CertBody }, config: sellerEditor }, async (request, reply) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    const body = parseInput(CertBody, request.body, request.locale);
    reply.code(201);
    return { certification: await service.certify(orgId, body) };
  });
  app.get('/api/orgs/:orgId/origin/report', { schema: { tags, summary: 'Sales and producer proceeds by county and producer (JSON or CSV)', params: OrgParams, querystring: ReportQuery }, config: sellerReader }, async (request, reply) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    const query = parseInput(ReportQuery, request.query, request.locale);
    const report = await service.report(orgId, query);
    if (query.format === 'json') return report;
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', 'attachment; filename="zhibo-origin-report.csv"');
    return service.csv(report, request.locale);
  });
  app.get('/api/admin/origin/report', { schema: { tags, summary: 'Platform-wide sales and proceeds by county and producer (operator, commission)', querystring: ReportQuery }, config: reviewer }, async (request, reply) => {
    const query = parseInput(ReportQuery, request.query, request.locale);
    const report = await service.report(null, query);
    if (query.format === 'json') return report;
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', 'attachment; filename="zhibo-origin-report.csv"');
    return service.csv(report, request.locale);
  });
}
