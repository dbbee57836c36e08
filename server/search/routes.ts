import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import { SearchQuery } from './schema.ts';
import type { SearchService } from './service.ts';

/**
 * GET /api/search (docs/SEARCH.md): public, like the other viewer reads (GET /api/live-sessions,
 * /api/discover), which carry no rate limit of their own either.
 */
export function searchRoutes(app: FastifyInstance, search: SearchService) {
  app.get('/api/search', { schema: { tags: ['search'], summary: 'Search lives, streamers, brands and products', querystring: SearchQuery }, config: { access: { kind: 'public' } } }, async (request) => {
    const query = parseInput(SearchQuery, request.query, request.locale);
    return search.search(query.q, query.type, query.limit);
  });
}
