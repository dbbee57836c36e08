import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { basePhotoIdOf, photoViews } from './photos.ts';
import { studioOut, type BasesStore } from './store.ts';

const DAY = 86_400_000;
/** Lives held in the base's studios over this many days count in its public figures. */
export const PUBLIC_LIVES_DAYS = 30;
/** At most this many upcoming events on the page, soonest first. */
export const PUBLIC_EVENTS_MAX = 10;
/** At most this many bases in the public list. */
export const PUBLIC_BASES_MAX = 200;

/** Today's date in Beijing ('YYYY-MM-DD'): leases are dates of Asia/Shanghai (server/bases/time.ts). */
const beijingDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * A base's public page (docs/BASES.md, "The public page"): what an approved base shows anyone, logged in
 * or not, to MCNs, brands and streamers who are not its customers yet. Only public things are read: the
 * profile, the public studios (no maintenance), the names and kinds of the tenants whose lease covers
 * today and who count as resident firms, each marked confirmed or self-declared (no lease terms, no rent, never a
 * pending, declined or withdrawn link), the events still to come (no attendees), and two figures (public
 * studios, lives held in them over the last 30 days). Nothing about bookings, bookers, money or reasons.
 */
export function createPublicBases(deps: { db: Db; clock: Clock; store: BasesStore }) {
  const { db, clock, store } = deps;

  return {
    /** One approved base; any other id (pending, rejected, another kind, none) is BASE_NOT_FOUND. */
    async page(baseId: string) {
      const base = await store.base(baseId);
      if (!base) throw new AppError('BASE_NOT_FOUND');
      const nowMs = clock.now().getTime();
      const now = new Date(nowMs).toISOString();
      const profile = await store.profile(baseId);
      // Queries one after another: a public page should not hold several pooled connections at once.
      const studioRows = await db.selectFrom('studios').selectAll().where('base_org_id', '=', baseId).where('is_public', '=', 1).orderBy('name').execute();
      const photoRows = await db.selectFrom('base_photos').select(['id', 'width', 'height', 'caption']).where('base_org_id', '=', baseId).execute();
      const uploaded = new Map(photoRows.map((r) => [r.id, r]));
      const today = beijingDate(nowMs);
      // Tenants counted as resident firms only: self-declared ones and those their organisation confirmed (not a link pending or declined).
      const tenants = await db
        .selectFrom('base_tenants')
        .select(['name', 'kind', 'org_id'])
        .where('base_org_id', '=', baseId)
        .where('lease_start', '<=', today)
        .where('lease_end', '>=', today)
        .where((eb) => eb.or([eb('org_id', 'is', null), eb('org_status', '=', 'confirmed')]))
        .orderBy('kind')
        .orderBy('name')
        .execute();
      const events = await db.selectFrom('base_events').select(['id', 'title', 'held_at']).where('base_org_id', '=', baseId).where('held_at', '>=', now).orderBy('held_at').limit(PUBLIC_EVENTS_MAX).execute();
      const lives = await db
        .selectFrom('studio_booking_lives as l')
        .innerJoin('studio_bookings as b', 'b.id', 'l.booking_id')
        .innerJoin('live_sessions as s', 's.id', 'l.session_id')
        .select((eb) => eb.fn.count<number>('s.id').distinct().as('n'))
        .where('b.base_org_id', '=', baseId)
        // As in the monthly report: a practice live (实训) is no output of the base.
        .where('s.mode', '=', 'public')
        .where('s.started_at', 'is not', null)
        .where('s.started_at', '>=', new Date(nowMs - PUBLIC_LIVES_DAYS * DAY).toISOString())
        .where('s.started_at', '<=', now)
        .executeTakeFirst();

      const studios = studioRows.map((row) => {
        const s = studioOut(row);
        return { id: s.id, name: s.name, areaSqm: s.areaSqm, scenes: s.scenes, equipment: s.equipment, capacity: s.capacity > 0 ? s.capacity : null, hourlyRateFen: s.hourlyRateFen, photos: photoViews(s.photos, uploaded) };
      });
      return {
        id: base.id,
        name: base.name,
        description: base.description ?? '',
        theme: profile.theme,
        areaSqm: profile.areaSqm,
        address: profile.address,
        opensAt: profile.opensAt,
        closesAt: profile.closesAt,
        timeZone: profile.timeZone,
        freeCancelHours: profile.freeCancelHours,
        cancelFeeBps: profile.cancelFeeBps,
        photos: photoViews(profile.photos, uploaded),
        studios,
        // Each marked: `confirmed` (its organisation confirmed the link, 已确认) or `self_declared` (the base's word only, 基地自填).
        tenants: tenants.map((t) => ({ name: t.name, kind: t.kind, confirmation: t.org_id ? ('confirmed' as const) : ('self_declared' as const) })),
        events: events.map((e) => ({ id: e.id, title: e.title, heldAt: e.held_at })),
        figures: { studios: studios.length, livesLast30Days: Number(lives?.n ?? 0) },
      };
    },

    /** The approved bases (at most 200, by name): name, theme, address, cover photo and public studios. */
    async list() {
      const orgs = await db.selectFrom('organisations').select(['id', 'name']).where('kind', '=', 'base').where('status', '=', 'approved').orderBy('name').limit(PUBLIC_BASES_MAX).execute();
      if (!orgs.length) return [];
      const ids = orgs.map((o) => o.id);
      const profiles = new Map((await db.selectFrom('base_profiles').select(['org_id', 'theme', 'address', 'photos']).where('org_id', 'in', ids).execute()).map((p) => [p.org_id, p]));
      const counts = await db.selectFrom('studios').select(['base_org_id', (eb) => eb.fn.countAll<number>().as('n')]).where('base_org_id', 'in', ids).where('is_public', '=', 1).groupBy('base_org_id').execute();
      const covers = new Map(orgs.map((o) => [o.id, (JSON.parse(profiles.get(o.id)?.photos ?? '[]') as string[])[0] ?? null]));
      const coverIds = [...covers.values()].map((u) => (u ? basePhotoIdOf(u) : null)).filter((id): id is string => id !== null);
      const rows = coverIds.length ? await db.selectFrom('base_photos').select(['id', 'width', 'height', 'caption']).where('id', 'in', coverIds).execute() : [];
      const uploaded = new Map(rows.map((r) => [r.id, r]));
      return orgs.map((o) => {
        const cover = covers.get(o.id);
        return {
          id: o.id,
          name: o.name,
          theme: profiles.get(o.id)?.theme ?? '',
          address: profiles.get(o.id)?.address ?? '',
          cover: cover ? photoViews([cover], uploaded)[0]! : null,
          studios: Number(counts.find((c) => c.base_org_id === o.id)?.n ?? 0),
        };
      });
    },
  };
}

export type PublicBases = ReturnType<typeof createPublicBases>;
