import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../platform/validate.ts';
import { toSummary, type LiveStore } from './store.ts';

const ListQuery = z.strictObject({
  status: z
    .string()
    .default('live,scheduled')
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(['scheduled', 'live', 'ended'])).min(1)),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function liveRoutes(app: FastifyInstance, deps: { store: LiveStore }) {
  app.get('/api/live-sessions', { config: { access: { kind: 'public' } } }, async (request) => {
    const query = parseInput(ListQuery, request.query, request.locale);
    const rows = await deps.store.listByStatus(query.status, query.limit);
    return { sessions: rows.map(toSummary) };
  });

  app.get('/api/streamer/live-sessions', { config: { access: { kind: 'platform', roles: ['streamer'] } } }, async (request) => {
    const rows = await deps.store.listByStreamer(request.user!.id);
    return { sessions: rows.map(toSummary) };
  });
}
