import type { FastifyInstance } from 'fastify';
import { ReviewBody } from '../orgs/schema.ts';
import { parseInput } from '../platform/validate.ts';
import { ProfileParams, ProfileStatusQuery, SubmitProfileBody } from './schema.ts';
import type { StreamersService } from './service.ts';

export function streamersRoutes(app: FastifyInstance, deps: { streamers: StreamersService }) {
  const { streamers } = deps;

  app.get('/api/streamer/profile', { schema: { tags: ['streamers'], summary: "Get streamer's profile" }, config: { access: { kind: 'user' } } }, async (request) => ({
    profile: await streamers.own(request.user!.id),
  }));

  app.put('/api/streamer/profile', { schema: { tags: ['streamers'], summary: "Set streamer's profile", body: SubmitProfileBody }, config: { access: { kind: 'user' } } }, async (request) => {
    const body = parseInput(SubmitProfileBody, request.body, request.locale);
    return { profile: await streamers.submit(request.user!.id, body) };
  });

  app.get('/api/admin/streamer-profiles', { schema: { tags: ['streamers'], summary: 'List streamer profiles (operator)', querystring: ProfileStatusQuery }, config: { access: { kind: 'platform', roles: ['operator'] } } }, async (request) => {
    const { status } = parseInput(ProfileStatusQuery, request.query, request.locale);
    return { profiles: await streamers.listForOperator(status) };
  });

  app.post('/api/admin/streamer-profiles/:userId/review', { schema: { tags: ['streamers'], summary: 'Review streamer profile (operator)', params: ProfileParams, body: ReviewBody }, config: { access: { kind: 'platform', roles: ['operator'] } } }, async (request) => {
    const { userId } = parseInput(ProfileParams, request.params, request.locale);
    const body = parseInput(ReviewBody, request.body, request.locale);
    return { profile: await streamers.review(userId, body.decision, body.reason, request.user!.id) };
  });
}
