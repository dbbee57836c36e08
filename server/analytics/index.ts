import type { Logger } from 'pino';
import type { AuthUser } from '../accounts/service.ts';
import type { Membership } from '../platform/access.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import type { RoomBus } from '../room/bus.ts';
import type { RoomService } from '../room/service.ts';
import { createAnalyticsAccess, type AnalyticsSession, type Viewer } from './access.ts';
import { createReview } from './review.ts';
import { createSampler } from './sampler.ts';
import { createScreen } from './screen.ts';
import { createAnalyticsStore } from './store.ts';

export type AnalyticsDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  logger: Logger;
  bus: RoomBus;
  room: RoomService;
  /** ANALYTICS_SAMPLE_SECONDS × 1000; 0: no sampling. */
  sampleMs: number;
  mcn: { isSignedTo(mcnOrgId: string, streamerId: string): Promise<boolean>; streamersInForce(mcnOrgId: string): { execute(): Promise<{ streamer_id: string }[]> } };
};

/** Who is asking: a user for themselves (streamer, assistant, operator), or an organisation's member. */
export type Asker = { user: AuthUser; membership: Membership | null };

const LIST_LIMIT = 100;

/**
 * Live numbers (docs/ANALYTICS.md): the big screen while a live is on, the review after it, the CSV
 * export, and the per-minute samples and product clicks they need.
 */
export function createAnalytics(deps: AnalyticsDeps) {
  const { db, dialect, clock, logger, bus, room, mcn } = deps;
  const store = createAnalyticsStore(db, dialect);
  const access = createAnalyticsAccess({ store, room, mcn });
  const screen = createScreen({ store, bus, clock });
  const reviews = createReview({ store, clock });
  const sampler = createSampler({ store, bus, clock, logger, sampleMs: deps.sampleMs });

  const resolve = (sessionId: string, asker: Asker): Promise<{ session: AnalyticsSession; viewer: Viewer }> =>
    asker.membership ? access.forOrg(sessionId, asker.membership) : access.forUser(sessionId, asker.user);

  const listRow = (r: { id: string; title: string; status: string; scheduled_at: string; started_at: string | null; ended_at: string | null; streamer_name: string }) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    scheduledAt: r.scheduled_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    streamerName: r.streamer_name,
  });

  return {
    sampler,

    async screen(sessionId: string, asker: Asker) {
      const { session, viewer } = await resolve(sessionId, asker);
      return screen.figures(session, viewer);
    },

    async review(sessionId: string, asker: Asker) {
      const { session, viewer } = await resolve(sessionId, asker);
      if (session.status !== 'ended') throw new AppError('ANALYTICS_NOT_ENDED', { status: session.status });
      return reviews.review(session, viewer, await screen.figures(session, viewer));
    },

    /** The lives whose numbers the asker may open, newest first. */
    async sessions(asker: Asker) {
      const m = asker.membership;
      if (!m) {
        if (asker.user.platformRole === 'operator') {
          const rows = await db.selectFrom('live_sessions').select('streamer_id').where('status', 'in', ['live', 'ended']).where('mode', '=', 'public').orderBy('scheduled_at', 'desc').limit(LIST_LIMIT).execute();
          return (await store.sessionsOfStreamers([...new Set(rows.map((r) => r.streamer_id))], LIST_LIMIT)).map(listRow);
        }
        return (await store.sessionsOfStreamers([asker.user.id], LIST_LIMIT)).map(listRow);
      }
      if (m.orgKind === 'brand') return (await store.sessionsOfBrand(m.orgId, LIST_LIMIT)).map(listRow);
      if (m.orgKind === 'mcn') {
        const signed = await mcn.streamersInForce(m.orgId).execute();
        return (await store.sessionsOfStreamers(signed.map((s) => s.streamer_id), LIST_LIMIT)).map(listRow);
      }
      throw new AppError('ANALYTICS_FORBIDDEN');
    },

    /** A viewer opened a product's card in the 小黄车 (the review's clicks and funnel). */
    async click(sessionId: string, productId: string, visitorId: string) {
      const linked = await db.selectFrom('session_products').select('product_id').where('session_id', '=', sessionId).where('product_id', '=', productId).executeTakeFirst();
      if (!linked) throw new AppError('PRODUCT_NOT_IN_ROOM');
      await store.addClick(sessionId, productId, visitorId, clock.now().toISOString());
    },
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;

