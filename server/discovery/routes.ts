import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import { BrandProfileParams, DiscoverQuery, StreamerProfileParams } from './schema.ts';
import type { Discovery } from './service.ts';

const everyone = { kind: 'public' } as const;

/** The viewer-facing discovery pages: home, a streamer's and a brand's public pages, the following feed (docs/DISCOVERY.md). */
export function discoveryRoutes(app: FastifyInstance, discovery: Discovery) {
  app.get('/api/discover', { schema: { tags: ['discovery'], summary: 'Home page: live now, upcoming, replays', querystring: DiscoverQuery }, config: { access: everyone } }, async (request) => {
    const query = parseInput(DiscoverQuery, request.query, request.locale);
    return discovery.discover(query);
  });

  // :streamerId, as the follow routes beside it name the same path segment.
  app.get('/api/streamers/:streamerId/profile', { schema: { tags: ['discovery'], summary: "A streamer's public page", params: StreamerProfileParams }, config: { access: everyone } }, async (request) => {
    const { streamerId } = parseInput(StreamerProfileParams, request.params, request.locale);
    return discovery.streamerProfile(streamerId, request.user?.id ?? null);
  });

  app.get('/api/brands/:id/profile', { schema: { tags: ['discovery'], summary: "A brand's public page", params: BrandProfileParams }, config: { access: everyone } }, async (request) => {
    const { id } = parseInput(BrandProfileParams, request.params, request.locale);
    return discovery.brandProfile(id);
  });

  app.get('/api/me/following-feed', { schema: { tags: ['discovery'], summary: 'Lives of the streamers I follow' }, config: { access: { kind: 'user' } } }, async (request) => discovery.followingFeed(request.user!.id));
}
