import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import type { Exhibitions } from './index.ts';
import { BoothBody, BoothLivesBody, BoothParams, EmptyBody, ExhibitionBody, ExhibitionParams, InquiryBody, OrgBoothParams, OrgParams } from './schema.ts';

const tags = ['exhibitions'];
const user = { access: { kind: 'user' } } as const;
const operator = { access: { kind: 'platform', roles: ['operator'] } } as const;
// Buyers' and visitors' personal data (names, phones, addresses, contacts) and the seller's terms: its desk —
// owners, admins and staff (and operators), not the members who only stream for it or serve in its stores.
const exhibitorReader = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'] } } as const;
const exhibitorEditor = { access: { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'] } } as const;

/** 直播+会展 (docs/EXHIBITIONS.md). */
export function exhibitionsRoutes(app: FastifyInstance, exhibitions: Exhibitions) {
  const { service } = exhibitions;

  app.get('/api/exhibitions', { schema: { tags, summary: 'Exhibitions' }, config: { access: { kind: 'public' } } }, async () => ({ exhibitions: await service.list() }));
  app.get('/api/exhibitions/:exhibitionId', { schema: { tags, summary: 'An exhibition: halls, booths and schedules, live now and next', params: ExhibitionParams }, config: { access: { kind: 'public' } } }, async (request) => {
    const { exhibitionId } = parseInput(ExhibitionParams, request.params, request.locale);
    return service.page(exhibitionId, request.user);
  });
  app.post('/api/admin/exhibitions', { schema: { tags, summary: 'Create an exhibition with its halls (operator)', body: ExhibitionBody }, config: operator }, async (request, reply) => {
    const body = parseInput(ExhibitionBody, request.body, request.locale);
    reply.code(201);
    return { exhibition: await service.create(body, request.user!.id) };
  });
  app.post('/api/admin/exhibitions/:exhibitionId/booths', { schema: { tags, summary: 'Give a booth to an exhibitor (operator)', params: ExhibitionParams, body: BoothBody }, config: operator }, async (request, reply) => {
    const { exhibitionId } = parseInput(ExhibitionParams, request.params, request.locale);
    const body = parseInput(BoothBody, request.body, request.locale);
    reply.code(201);
    return { booth: await service.addBooth(exhibitionId, body) };
  });

  app.put('/api/exhibitions/booths/:boothId/follow', { schema: { tags, summary: 'Follow a booth', params: BoothParams, body: EmptyBody }, config: user }, async (request) => {
    const { boothId } = parseInput(BoothParams, request.params, request.locale);
    parseInput(EmptyBody, request.body, request.locale);
    return service.follow(request.user!.id, boothId, true);
  });
  app.delete('/api/exhibitions/booths/:boothId/follow', { schema: { tags, summary: 'Stop following a booth', params: BoothParams }, config: user }, async (request) => {
    const { boothId } = parseInput(BoothParams, request.params, request.locale);
    return service.follow(request.user!.id, boothId, false);
  });
  app.get('/api/me/exhibition-follows', { schema: { tags, summary: 'Booths I follow' }, config: user }, async (request) => ({ booths: await service.myFollows(request.user!.id) }));
  app.post('/api/exhibitions/booths/:boothId/inquiries', { schema: { tags, summary: 'Leave an inquiry for the exhibitor (with consent)', params: BoothParams, body: InquiryBody }, config: { ...user, rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const { boothId } = parseInput(BoothParams, request.params, request.locale);
    const body = parseInput(InquiryBody, request.body, request.locale);
    reply.code(201);
    return { inquiry: await service.inquire(request.user!, boothId, body) };
  });

  app.get('/api/orgs/:orgId/exhibitions', { schema: { tags, summary: 'The exhibitor’s booths and the inquiries left at them', params: OrgParams }, config: exhibitorReader }, async (request) => {
    const { orgId } = parseInput(OrgParams, request.params, request.locale);
    return service.console(orgId);
  });
  app.put('/api/orgs/:orgId/exhibitions/booths/:boothId/lives', { schema: { tags, summary: 'Put the exhibitor’s lives on its booth’s schedule', params: OrgBoothParams, body: BoothLivesBody }, config: exhibitorEditor }, async (request) => {
    const { orgId, boothId } = parseInput(OrgBoothParams, request.params, request.locale);
    const body = parseInput(BoothLivesBody, request.body, request.locale);
    return service.setLives(orgId, boothId, body.sessionIds);
  });
}
