import type { AuditLog } from '../compliance/audit.ts';
import type { Notifications } from '../notifications/index.ts';
import type { Db } from '../platform/db.ts';
import type { Booking } from './store.ts';

export type BookingLiveNoticeDeps = {
  /** The transaction that stores the live and its link to the booking: all of it is stored, or none. */
  db: Db;
  /** The compliance audit trail (server/compliance/audit.ts). */
  audit: Pick<AuditLog, 'record'>;
  /** The notification centre (server/notifications). */
  notifications: Pick<Notifications, 'enqueue'>;
};

/**
 * What follows a live a brand scheduled from its own booking (docs/BASES.md, "Lives from a booking"): an audit-log
 * row `bases.booking_live.create` (actor: the brand's owner, admin or staff who scheduled it; target: the live), and,
 * unless they picked themself, a site notification to the streamer who goes live, in their language (zh-CN unless
 * their locale is English), linking to the session's page in their console. Once per live (its dedupe key). Written in
 * the transaction that stores the live, so a live is never without its audit row and notice, nor they without it.
 */
export async function announceBrandLive(
  deps: BookingLiveNoticeDeps,
  input: { booking: Booking; actorId: string; streamerId: string; session: { id: string; title: string; scheduledAt: string } },
) {
  const { booking, actorId, streamerId, session } = input;
  const brandOrgId = booking.bookerOrgId!;
  await deps.audit.record({ actorId, action: 'bases.booking_live.create', targetType: 'live_session', targetId: session.id, detail: { bookingId: booking.id, brandOrgId, streamerId } }, deps.db);
  if (streamerId === actorId) return;
  const { db } = deps;
  const [user, studio, orgs] = await Promise.all([
    db.selectFrom('users').select('locale').where('id', '=', streamerId).executeTakeFirst(),
    db.selectFrom('studios').select('name').where('id', '=', booking.studioId).executeTakeFirst(),
    db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [brandOrgId, booking.baseId]).execute(),
  ]);
  const name = (id: string) => orgs.find((o) => o.id === id)?.name ?? '';
  const brand = name(brandOrgId);
  const base = name(booking.baseId);
  const en = user?.locale === 'en';
  const when = new Date(session.scheduledAt).toLocaleString(en ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  await deps.notifications.enqueue(db, {
    userId: streamerId,
    kind: 'bases.booking_live',
    dedupeKey: `booking-live:${session.id}`,
    title: (en ? `${brand} scheduled a live for you: ${session.title}` : `${brand} 为你安排了直播「${session.title}」`).slice(0, 200),
    body: en
      ? `${when} (Beijing time), in studio ${studio?.name ?? ''} at ${base}. Its push details are on the session page.`
      : `${when}（北京时间），${base} · ${studio?.name ?? ''}。推流地址和推流码在场次页面。`,
    link: `/streamer/sessions/${session.id}`,
    channels: ['site'],
  });
}
