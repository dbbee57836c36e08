import type {} from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { brandTakesPart } from '../analytics/takes-part.ts';
import { inForceAt } from '../mcn/window.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { parseInput } from '../platform/validate.ts';
import type { ApiKeyPrincipal } from './apikeys.ts';
import { rateLimitKey } from './apikeys.ts';
import type { LiveStreams, OpenGrant } from './live-stream.ts';

/** Connection attempts (upgrade requests) per key per minute, refused with RATE_LIMITED (429) past it. */
export const OPEN_WS_ATTEMPTS_PER_MIN = 30;

const OpenSessionParams = z.strictObject({ sessionId: z.string().min(1).max(64) });

/**
 * Which lives an organisation may read (docs/WEBHOOKS.md): its own brand's (live_sessions.brand_org_id);
 * those of a streamer signed to it as an MCN by a contract in force now (server/mcn/window.ts); and
 * those it takes part in, by the rule the live numbers use too (server/analytics/takes-part.ts: one of
 * its products in the 小黄车, or one of its orders in the live). A brand gets only its own orders (orders.brand_org_id),
 * on its own live too, since the live may sell other brands' products; only an MCN gets every order.
 */
export async function grantFor(db: Db, clock: Clock, key: ApiKeyPrincipal, sessionId: string): Promise<Omit<OpenGrant, 'locale'>> {
  const session = await db.selectFrom('live_sessions').select(['id', 'streamer_id', 'brand_org_id', 'status', 'mode']).where('id', '=', sessionId).executeTakeFirst();
  // A practice live (实训) is no organisation's to read through the open platform.
  if (!session || session.mode === 'practice') throw new AppError('LIVE_SESSION_NOT_FOUND');
  const readsOrders = key.scopes.includes('orders:read');
  const grant = (access: OpenGrant['access']) => ({
    keyId: key.keyId,
    orgId: key.orgId,
    sessionId,
    status: session.status,
    access,
    orders: !readsOrders ? ('none' as const) : access === 'mcn' ? ('all' as const) : ('own' as const),
  });
  if (session.brand_org_id === key.orgId) return grant('brand');
  const contracts = await db
    .selectFrom('mcn_contracts')
    .select(['status', 'starts_at', 'ends_at', 'accepted_at', 'terminated_at'])
    .where('mcn_org_id', '=', key.orgId)
    .where('streamer_id', '=', session.streamer_id)
    .where('status', 'in', ['accepted', 'terminated'])
    .execute();
  const at = clock.now().toISOString();
  if (contracts.some((c) => inForceAt(c, at))) return grant('mcn');
  if (await brandTakesPart(db, sessionId, key.orgId)) return grant('seller');
  throw new AppError('OPEN_SESSION_FORBIDDEN');
}

/**
 * The open event WebSocket, GET /api/open/v1/sessions/:sessionId/events (docs/WEBHOOKS.md). Everything
 * that can refuse a socket is decided before the upgrade, as an ordinary HTTP error answer: the
 * attempt rate (onRequest), the key and its events:read scope (the access rule), then the live,
 * the organisation's right to it and the key's open sockets (the route's preHandler).
 */
export function liveEventsRoutes(app: FastifyInstance, deps: { streams: LiveStreams; db: Db; clock: Clock }) {
  const { streams, db, clock } = deps;
  const grants = new WeakMap<FastifyRequest, OpenGrant>();
  const rateLimit = {
    max: OPEN_WS_ATTEMPTS_PER_MIN,
    timeWindow: 60_000,
    keyGenerator: (request: { headers: { authorization?: string }; ip: string }) => rateLimitKey(request.headers.authorization, request.ip),
  };

  app.addHook('onClose', async () => streams.closeAll());

  app.get(
    '/api/open/v1/sessions/:sessionId/events',
    {
      websocket: true,
      // @fastify/websocket hides WebSocket routes from the OpenAPI document: this one is described in docs/WEBHOOKS.md.
      schema: { tags: ['webhooks'], summary: 'Open event WebSocket of a live', params: OpenSessionParams },
      config: { access: { kind: 'apiKey', scope: 'events:read' }, rateLimit },
      preHandler: async (request) => {
        const key = request.apiKey!;
        const { sessionId } = parseInput(OpenSessionParams, request.params, request.locale);
        if (!request.ws) throw new AppError('OPEN_WS_UPGRADE_REQUIRED');
        const grant = await grantFor(db, clock, key, sessionId);
        const max = streams.options.maxPerKey;
        if (streams.openFor(key.keyId) >= max) throw new AppError('OPEN_WS_TOO_MANY', { max });
        grants.set(request, { ...grant, locale: request.locale });
      },
    },
    (socket: WebSocket, request: FastifyRequest) => {
      const grant = grants.get(request);
      if (!grant) return socket.close(1011, 'internal error');
      void streams.attach(socket, grant);
    },
  );
}
