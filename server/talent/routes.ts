import type { FastifyInstance, FastifyRequest } from 'fastify';
import { applicationsCsv, nominationsCsv } from '../commission/csv.ts';
import { parseInput } from '../platform/validate.ts';
import type { Talent } from './index.ts';
import { ApplicationParams, ApplyBody, CriteriaBody, FormatQuery, NominateBody, NominationParams, OrgParams, ReviewBody, StatusQuery } from './schema.ts';

const tags = ['talent'];
const operator = { access: { kind: 'platform', roles: ['operator'] } } as const;
const nominatorRead = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['training', 'mcn'] } } as const;
const nominatorWrite = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['training', 'mcn'], operators: false } } as const;
const baseRead = { access: { kind: 'org', roles: 'any', orgKinds: ['base'] } } as const;
const baseWrite = { access: { kind: 'org', roles: ['owner', 'admin'], orgKinds: ['base'], operators: false } } as const;

/** The origin the request came to, for absolute verification links in CSV exports. */
/**
 * The origin absolute links are built on (CSV exports, link previews). Behind a trusted proxy
 * request.protocol comes from X-Forwarded-Proto as the client sent it: anything but https counts as http.
 */
export const originOf = (request: FastifyRequest) => `${request.protocol === 'https' ? 'https' : 'http'}://${request.host}`;

/**
 * The talent catalogue (docs/TALENT.md): criteria as data, nominations by training centres and MCNs,
 * operator review, the catalogue as JSON and CSV; and bases' applications for a city programme.
 */
export function talentRoutes(app: FastifyInstance, talent: Talent) {
  const { service } = talent;

  app.get('/api/talent/criteria', { schema: { tags, summary: "The talent catalogue's criteria" }, config: { access: { kind: 'user' } } }, async () => ({ criteria: await service.criteria() }));
  app.put('/api/admin/talent/criteria', { schema: { tags, summary: "Change the talent catalogue's criteria (operator)", body: CriteriaBody }, config: operator }, async (request) => {
    const body = parseInput(CriteriaBody, request.body, request.locale);
    return { criteria: await service.saveCriteria(body, request.user!.id) };
  });
  app.get('/api/talent/catalogue', { schema: { tags, summary: 'The talent catalogue: approved nominations with their evidence (JSON or CSV)', querystring: FormatQuery }, config: { access: { kind: 'user' } } }, async (request, reply) => {
    const { format } = parseInput(FormatQuery, request.query, request.locale);
    const list = await service.catalogue();
    if (format === 'json') return { talent: list };
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', 'attachment; filename="zhibo-talent-catalogue.csv"');
    return nominationsCsv(list, request.locale, originOf(request));
  });

  // A training centre (its certified trainees) or an MCN (its signed streamers) nominates.
  app.get('/api/orgs/:orgId/talent/candidates', { schema: { tags, summary: "The organisation's streamers, each checked against the criteria with evidence", params: OrgParams }, config: nominatorRead }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { criteria: await service.criteria(), candidates: await service.candidates(orgId, request.membership!.orgKind) };
  });
  app.get('/api/orgs/:orgId/talent/nominations', { schema: { tags, summary: "The organisation's nominations", params: OrgParams }, config: nominatorRead }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { nominations: await service.nominations({ orgId }) };
  });
  app.post('/api/orgs/:orgId/talent/nominations', { schema: { tags, summary: 'Nominate a streamer for the talent catalogue', params: OrgParams, body: NominateBody }, config: nominatorWrite }, async (request, reply) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    const body = parseInput(NominateBody, request.body, request.locale);
    const nomination = await service.nominate(orgId, request.membership!.orgKind, body.streamerId, body.note, request.user!.id, request.locale);
    reply.code(201);
    return { nomination };
  });

  // Operators review nominations.
  app.get('/api/admin/talent/nominations', { schema: { tags, summary: 'Nominations, by status (operator)', querystring: StatusQuery }, config: operator }, async (request) => {
    const { status } = parseInput(StatusQuery, request.query, request.locale);
    return { nominations: await service.nominations({ status }) };
  });
  app.post('/api/admin/talent/nominations/:nominationId/review', { schema: { tags, summary: 'Approve (criteria checked again) or reject a nomination (operator)', params: NominationParams, body: ReviewBody }, config: operator }, async (request) => {
    const { nominationId } = parseInput(NominationParams, request.params, request.locale);
    const body = parseInput(ReviewBody, request.body, request.locale);
    return { nomination: await service.review(nominationId, body.decision, body.reason, request.user!.id, request.locale) };
  });

  // Bases apply for a city programme; operators review; the commission reads (server/commission/routes.ts).
  app.get('/api/orgs/:orgId/base/applications', { schema: { tags, summary: "The base's programme applications", params: OrgParams }, config: baseRead }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return { applications: await service.applications({ baseOrgId: orgId }) };
  });
  app.post('/api/orgs/:orgId/base/applications', { schema: { tags, summary: "Apply for a city programme with the month's programme check as evidence", params: OrgParams, body: ApplyBody }, config: baseWrite }, async (request, reply) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    const body = parseInput(ApplyBody, request.body, request.locale);
    reply.code(201);
    return { application: await service.apply(orgId, body, request.user!.id) };
  });
  app.get('/api/admin/base-applications', { schema: { tags, summary: 'Programme applications, by status (operator)', querystring: StatusQuery }, config: operator }, async (request, reply) => {
    const { status, format } = parseInput(StatusQuery, request.query, request.locale);
    const list = await service.applications({ status });
    if (format === 'json') return { applications: list };
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', 'attachment; filename="zhibo-base-applications.csv"');
    return applicationsCsv(list, request.locale);
  });
  app.post('/api/admin/base-applications/:applicationId/review', { schema: { tags, summary: 'Approve (every criterion met) or reject a programme application (operator)', params: ApplicationParams, body: ReviewBody }, config: operator }, async (request) => {
    const { applicationId } = parseInput(ApplicationParams, request.params, request.locale);
    const body = parseInput(ReviewBody, request.body, request.locale);
    return { application: await service.reviewApplication(applicationId, body.decision, body.reason, request.user!.id, request.locale) };
  });
}
