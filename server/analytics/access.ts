import type { AuthUser } from '../accounts/service.ts';
import type { Membership } from '../platform/access.ts';
import { AppError } from '../platform/errors.ts';
import type { RoomService } from '../room/service.ts';
import type { AnalyticsStore } from './store.ts';

/**
 * Who sees which live's numbers (docs/ANALYTICS.md). Everything (`all`) for the streamer, their
 * assistants, operators and an MCN the streamer is signed to now. A brand (`brand`) sees the room's
 * counts and only its own orders, products, flash sales, coupons and pins (`orders.brand_org_id` is
 * its organisation), whether the live names it (`live_sessions.brand_org_id`) or the brand takes part
 * in it (its products in the 小黄车 or its orders in the live, server/analytics/takes-part.ts, the rule
 * the open event socket uses too): a live may sell several brands' products, and the others' are their business.
 */
export type Viewer = { scope: 'all'; brandOrgId: null } | { scope: 'brand'; brandOrgId: string };

export type AnalyticsAccessDeps = {
  store: AnalyticsStore;
  room: RoomService;
  mcn: { isSignedTo(mcnOrgId: string, streamerId: string): Promise<boolean> };
};

const ALL: Viewer = { scope: 'all', brandOrgId: null };

export function createAnalyticsAccess(deps: AnalyticsAccessDeps) {
  const { store, room, mcn } = deps;

  async function sessionOf(sessionId: string) {
    const session = await store.session(sessionId);
    if (!session) throw new AppError('LIVE_SESSION_NOT_FOUND');
    return session;
  }

  return {
    /** A user's own view: the streamer, an assistant of theirs, or an operator. */
    async forUser(sessionId: string, user: AuthUser) {
      const session = await sessionOf(sessionId);
      const info = { id: session.id, streamerId: session.streamer_id, status: session.status as 'scheduled' | 'live' | 'ended', brandOrgId: session.brand_org_id };
      const { role } = await room.rightsOf(info, user);
      if (role === 'viewer') throw new AppError('ANALYTICS_FORBIDDEN');
      return { session, viewer: ALL };
    },

    /** An organisation's view, for a member (route access kind org has checked the membership). */
    async forOrg(sessionId: string, membership: Membership) {
      const session = await sessionOf(sessionId);
      if (membership.viaOperator) return { session, viewer: ALL };
      // A practice live (实训) is the trainee's and their trainers' only (docs/TRAINING.md): to an organisation's
      // view, even the MCN the trainee is signed to, it does not exist.
      if (session.mode === 'practice') throw new AppError('LIVE_SESSION_NOT_FOUND');
      if (membership.orgKind === 'brand' && (session.brand_org_id === membership.orgId || (await store.brandTakesPart(sessionId, membership.orgId))))
        return { session, viewer: { scope: 'brand', brandOrgId: membership.orgId } as Viewer };
      if (membership.orgKind === 'mcn' && (await mcn.isSignedTo(membership.orgId, session.streamer_id))) return { session, viewer: ALL };
      throw new AppError('ANALYTICS_FORBIDDEN');
    },
  };
}

export type AnalyticsAccess = ReturnType<typeof createAnalyticsAccess>;
export type AnalyticsSession = NonNullable<Awaited<ReturnType<AnalyticsStore['session']>>>;
