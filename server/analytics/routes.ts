import type { FastifyInstance, FastifyReply } from 'fastify';
import { OrgIdParams } from '../orgs/schema.ts';
import { parseInput } from '../platform/validate.ts';
import { visitorIdOf } from '../room/visitor.ts';
import { reviewCsv } from './csv.ts';
import type { Analytics, Asker } from './index.ts';
import { ClickParams, OrgSessionParams, SessionParams } from './schema.ts';

/**
 * Live numbers over HTTP (docs/ANALYTICS.md). The same three reads twice: for a user in their own
 * right (the streamer, an assistant, an operator) under /api/analytics, and for an organisation's
 * member (a brand, an MCN) under /api/orgs/:orgId/analytics, where the organisation's relation to the
 * live decides what is shown.
 */
export function analyticsRoutes(app: FastifyInstance, analytics: Analytics) {
  const user = { kind: 'user' } as const;
  const member = { kind: 'org', roles: 'any', orgKinds: ['brand', 'mcn'], operators: true } as const;

  app.addHook('onReady', async () => analytics.sampler.start());
  app.addHook('onClose', async () => analytics.sampler.stop());

  const sendCsv = async (reply: FastifyReply, sessionId: string, asker: Asker, locale: 'zh-CN' | 'en') => {
    const review = await analytics.review(sessionId, asker);
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="zhibo-review-${sessionId}.csv"`);
    reply.header('cache-control', 'no-store');
    return reviewCsv(review, locale);
  };

  // --- in one's own right ---
  app.get('/api/analytics/sessions', { schema: { tags: ['analytics'], summary: 'Lives whose numbers I may see' }, config: { access: user } }, async (request) => ({ sessions: await analytics.sessions({ user: request.user!, membership: null }) }));
  app.get('/api/analytics/sessions/:id/screen', { schema: { tags: ['analytics'], summary: "A live's big screen (直播大屏)", params: SessionParams }, config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(SessionParams, request.params, request.locale);
    reply.header('cache-control', 'no-store');
    return analytics.screen(id, { user: request.user!, membership: null });
  });
  app.get('/api/analytics/sessions/:id/review', { schema: { tags: ['analytics'], summary: "A live's review (复盘)", params: SessionParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(SessionParams, request.params, request.locale);
    return analytics.review(id, { user: request.user!, membership: null });
  });
  app.get('/api/analytics/sessions/:id/review.csv', { schema: { tags: ['analytics'], summary: "A live's review as CSV", params: SessionParams }, config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(SessionParams, request.params, request.locale);
    return sendCsv(reply, id, { user: request.user!, membership: null }, request.locale);
  });

  // --- for an organisation ---
  app.get('/api/orgs/:orgId/analytics/sessions', { schema: { tags: ['analytics'], summary: 'Lives whose numbers the organisation may see', params: OrgIdParams }, config: { access: member } }, async (request) => {
    parseInput(OrgIdParams, request.params, request.locale);
    return { sessions: await analytics.sessions({ user: request.user!, membership: request.membership }) };
  });
  app.get('/api/orgs/:orgId/analytics/sessions/:id/screen', { schema: { tags: ['analytics'], summary: "A live's big screen, for an organisation", params: OrgSessionParams }, config: { access: member } }, async (request, reply) => {
    const { id } = parseInput(OrgSessionParams, request.params, request.locale);
    reply.header('cache-control', 'no-store');
    return analytics.screen(id, { user: request.user!, membership: request.membership });
  });
  app.get('/api/orgs/:orgId/analytics/sessions/:id/review', { schema: { tags: ['analytics'], summary: "A live's review, for an organisation", params: OrgSessionParams }, config: { access: member } }, async (request) => {
    const { id } = parseInput(OrgSessionParams, request.params, request.locale);
    return analytics.review(id, { user: request.user!, membership: request.membership });
  });
  app.get('/api/orgs/:orgId/analytics/sessions/:id/review.csv', { schema: { tags: ['analytics'], summary: "A live's review as CSV, for an organisation", params: OrgSessionParams }, config: { access: member } }, async (request, reply) => {
    const { id } = parseInput(OrgSessionParams, request.params, request.locale);
    return sendCsv(reply, id, { user: request.user!, membership: request.membership }, request.locale);
  });

  // --- a viewer opened a product card (anyone in the room, logged in or not) ---
  app.post('/api/rooms/:id/products/:productId/click', { schema: { tags: ['analytics'], summary: 'A viewer opened a product card', params: ClickParams }, config: { access: { kind: 'public' }, rateLimit: { max: 120, timeWindow: 60_000 } } }, async (request, reply) => {
    const { id, productId } = parseInput(ClickParams, request.params, request.locale);
    await analytics.click(id, productId, visitorIdOf(request.user, request.ip, request.headers['user-agent']));
    return reply.code(204).send();
  });
}
