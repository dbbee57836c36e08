import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { BaseProfilesTable, BaseTenantsTable, Database, StudioBookingsTable, StudiosTable } from '../platform/db-types.ts';
import { STREAMING_ROLES, type BrandTie } from '../live/brands.ts';
import { captionsOf, captionsOfBases } from './photos.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Rows → the shapes the API answers (camelCase, JSON columns parsed). */
export function studioOut(r: Selectable<StudiosTable>) {
  return {
    id: r.id,
    baseId: r.base_org_id,
    name: r.name,
    areaSqm: r.area_sqm,
    equipment: JSON.parse(r.equipment) as string[],
    scenes: JSON.parse(r.scenes) as string[],
    capacity: Number(r.capacity),
    hourlyRateFen: Number(r.hourly_rate_fen),
    isPublic: Number(r.is_public) === 1,
    /** Photo URLs in order (docs/BASES.md, "Photos"). */
    photos: JSON.parse(r.photos ?? '[]') as string[],
  };
}
export type Studio = ReturnType<typeof studioOut>;

/** A base's profile, or the defaults of migration 0018 when the base has not written one. */
export function profileOut(orgId: string, r: BaseProfilesTable | undefined) {
  return {
    orgId,
    areaSqm: r?.area_sqm ?? 0,
    theme: r?.theme ?? '',
    address: r?.address ?? '',
    opensAt: r?.opens_at ?? '09:00',
    closesAt: r?.closes_at ?? '23:00',
    timeZone: 'Asia/Shanghai' as const,
    photos: r ? (JSON.parse(r.photos) as string[]) : [],
    freeCancelHours: r?.free_cancel_hours ?? 24,
    cancelFeeBps: r?.cancel_fee_bps ?? 5000,
  };
}
export type BaseProfile = ReturnType<typeof profileOut>;

export function bookingOut(r: StudioBookingsTable) {
  return {
    id: r.id,
    studioId: r.studio_id,
    baseId: r.base_org_id,
    bookedBy: r.booked_by,
    bookerOrgId: r.booker_org_id,
    streamerId: r.streamer_id,
    title: r.title,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    status: r.status,
    priceFen: Number(r.price_fen),
    cancelFeeFen: Number(r.cancel_fee_fen),
    cancelledAt: r.cancelled_at,
    createdAt: r.created_at,
    /** When its money was posted to the ledger (docs/BASES.md, "Charging"); null until then. */
    chargedAt: r.charged_at ?? null,
    /** What the base has refunded of its charge (docs/BASES.md, "Refunds"). */
    refundedFen: Number(r.refunded_fen ?? 0),
  };
}
export type Booking = ReturnType<typeof bookingOut>;

/**
 * How far a tenant is vouched for: `self_declared` (free text, no organisation link), or the linked
 * organisation's answer, `pending`, `confirmed` or `declined` (migration 0039), or `withdrawn` (a confirmation it
 * took back, migration 0040). Counted in the report, the city programmes' `resident_firms`, the public page and the
 * commission's registry: `confirmed` and `self_declared`.
 */
export type TenantConfirmation = 'self_declared' | 'pending' | 'confirmed' | 'declined' | 'withdrawn';
export const confirmationOf = (r: Pick<BaseTenantsTable, 'org_id' | 'org_status'>): TenantConfirmation => (r.org_id ? (r.org_status ?? 'pending') : 'self_declared');
export const COUNTED_CONFIRMATIONS: readonly TenantConfirmation[] = ['confirmed', 'self_declared'];

export function tenantOut(r: BaseTenantsTable) {
  const confirmation = confirmationOf(r);
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    orgId: r.org_id,
    leaseStart: r.lease_start,
    leaseEnd: r.lease_end,
    areaSqm: r.area_sqm,
    monthlyRentFen: Number(r.monthly_rent_fen),
    confirmation,
    /** Counted as a resident firm: confirmed by its organisation, or self-declared (no organisation linked). */
    counted: COUNTED_CONFIRMATIONS.includes(confirmation),
    /** When the linked organisation last answered (confirmed, declined or withdrew); null while pending or without a link. */
    decidedAt: r.org_decided_at ?? null,
  };
}
export type Tenant = ReturnType<typeof tenantOut>;

/** exists() answers 1/0 on SQLite and true/false on PostgreSQL. */
const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';

export function createBasesStore(db: Db) {
  return {
    async insertStudio(row: Insertable<StudiosTable>) {
      await db.insertInto('studios').values(row).execute();
    },
    async listStudios(baseOrgId: string) {
      const rows = await db.selectFrom('studios').selectAll().where('base_org_id', '=', baseOrgId).orderBy('name').execute();
      return rows.map(studioOut);
    },
    async studio(studioId: string, q: Q = db) {
      const row = await q.selectFrom('studios').selectAll().where('id', '=', studioId).executeTakeFirst();
      return row ? studioOut(row) : null;
    },
    async updateStudio(studioId: string, patch: Partial<Insertable<StudiosTable>>) {
      await db.updateTable('studios').set(patch).where('id', '=', studioId).execute();
    },

    /** An approved organisation of kind 'base', or null. */
    async base(orgId: string) {
      return (await db.selectFrom('organisations').select(['id', 'name', 'description']).where('id', '=', orgId).where('kind', '=', 'base').where('status', '=', 'approved').executeTakeFirst()) ?? null;
    },
    async listBases() {
      const orgs = await db.selectFrom('organisations').select(['id', 'name', 'description']).where('kind', '=', 'base').where('status', '=', 'approved').orderBy('name').execute();
      const profiles = orgs.length ? await db.selectFrom('base_profiles').selectAll().where('org_id', 'in', orgs.map((o) => o.id)).execute() : [];
      const counts = orgs.length
        ? await db.selectFrom('studios').select(['base_org_id', (eb) => eb.fn.countAll<number>().as('n')]).where('base_org_id', 'in', orgs.map((o) => o.id)).groupBy('base_org_id').execute()
        : [];
      const captions = await captionsOfBases(db, orgs.map((o) => o.id));
      return orgs.map((o) => {
        const profile = profileOut(o.id, profiles.find((p) => p.org_id === o.id));
        // The profile's photos stay URLs; their captions beside them, in the same order (docs/BASES.md, "Photos").
        return { ...o, profile: { ...profile, photoCaptions: captionsOf(profile.photos, captions) }, studios: Number(counts.find((c) => c.base_org_id === o.id)?.n ?? 0) };
      });
    },
    async profile(orgId: string, q: Q = db) {
      return profileOut(orgId, await q.selectFrom('base_profiles').selectAll().where('org_id', '=', orgId).executeTakeFirst());
    },
    /** Inserts or updates the profile; with `keepPhotos` an existing row keeps its photo list. */
    async saveProfile(row: BaseProfilesTable, q: Q = db, keepPhotos = false) {
      const { org_id, photos, ...rest } = row;
      await q.insertInto('base_profiles').values(row).onConflict((oc) => oc.column('org_id').doUpdateSet(keepPhotos ? rest : { ...rest, photos })).execute();
    },

    async maintenance(studioIds: string[], from: string, to: string) {
      if (!studioIds.length) return [];
      const rows = await db.selectFrom('studio_maintenance').selectAll().where('studio_id', 'in', studioIds).where('starts_at', '<', to).where('ends_at', '>', from).orderBy('starts_at').execute();
      return rows.map((r) => ({ id: r.id, studioId: r.studio_id, startsAt: r.starts_at, endsAt: r.ends_at, reason: r.reason }));
    },
    /** A studio of an approved base with the base's profile, in one query (the booking path). */
    async studioOfBase(baseOrgId: string, studioId: string) {
      const row = await db
        .selectFrom('studios as s')
        .innerJoin('organisations as o', 'o.id', 's.base_org_id')
        .leftJoin('base_profiles as p', 'p.org_id', 's.base_org_id')
        .selectAll('s')
        .select(['o.status as org_status', 'o.kind as org_kind', 'p.opens_at', 'p.closes_at'])
        .where('s.id', '=', studioId)
        .where('s.base_org_id', '=', baseOrgId)
        .executeTakeFirst();
      if (!row || row.org_kind !== 'base' || row.org_status !== 'approved') return null;
      return { studio: studioOut(row), opensAt: row.opens_at ?? '09:00', closesAt: row.closes_at ?? '23:00' };
    },
    /** What stands in the way of booking [from, to): a maintenance period, a live booking, or nothing (one query). */
    async obstacle(studioId: string, from: string, to: string, q: Q = db): Promise<'maintenance' | 'booking' | null> {
      const row = await q
        .selectNoFrom((eb) => [
          eb.exists(eb.selectFrom('studio_maintenance').select('id').where('studio_id', '=', studioId).where('starts_at', '<', to).where('ends_at', '>', from)).as('maintenance'),
          eb.exists(eb.selectFrom('studio_bookings').select('id').where('studio_id', '=', studioId).where('status', '=', 'booked').where('starts_at', '<', to).where('ends_at', '>', from)).as('booking'),
        ])
        .executeTakeFirstOrThrow();
      return truthy(row.maintenance) ? 'maintenance' : truthy(row.booking) ? 'booking' : null;
    },
    /** A live booking of the studio overlapping [from, to), if any. */
    async bookingOverlapping(studioId: string, from: string, to: string, q: Q = db) {
      return q.selectFrom('studio_bookings').select('id').where('studio_id', '=', studioId).where('status', '=', 'booked').where('starts_at', '<', to).where('ends_at', '>', from).executeTakeFirst();
    },

    async bookingsOfBase(baseOrgId: string, from: string, to: string) {
      const rows = await db.selectFrom('studio_bookings').selectAll().where('base_org_id', '=', baseOrgId).where('status', '=', 'booked').where('starts_at', '<', to).where('ends_at', '>', from).orderBy('starts_at').execute();
      return rows.map(bookingOut);
    },
    /**
     * Bookings the user made, made by organisations where they are staff, where they are the streamer, or where a
     * live linked to it is theirs (one a brand scheduled for them from its booking).
     */
    async bookingsOfUser(userId: string, orgIds: string[]) {
      let query = db.selectFrom('studio_bookings').selectAll();
      const livesOfUser = db.selectFrom('studio_booking_lives as l').innerJoin('live_sessions as s', 's.id', 'l.session_id').select('l.booking_id').where('s.streamer_id', '=', userId);
      query = query.where((eb) => eb.or([eb('booked_by', '=', userId), eb('streamer_id', '=', userId), eb('id', 'in', livesOfUser), ...(orgIds.length ? [eb('booker_org_id', 'in', orgIds)] : [])]));
      return (await query.orderBy('starts_at', 'desc').limit(200).execute()).map(bookingOut);
    },
    async booking(bookingId: string, q: Q = db) {
      const row = await q.selectFrom('studio_bookings').selectAll().where('id', '=', bookingId).executeTakeFirst();
      return row ? bookingOut(row) : null;
    },
    async livesOf(bookingIds: string[]) {
      if (!bookingIds.length) return [];
      return db
        .selectFrom('studio_booking_lives as l')
        .innerJoin('live_sessions as s', 's.id', 'l.session_id')
        .select(['l.booking_id', 's.id', 's.title', 's.status', 's.scheduled_at', 's.started_at', 's.ended_at', 's.streamer_id'])
        .where('l.booking_id', 'in', bookingIds)
        .orderBy('s.scheduled_at')
        .execute();
    },
    /** Names for ids: organisations and users (display names). */
    async names(orgIds: string[], userIds: string[]) {
      const orgs = orgIds.length ? await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', orgIds).execute() : [];
      const users = userIds.length ? await db.selectFrom('users').select(['id', 'display_name as name']).where('id', 'in', userIds).execute() : [];
      return new Map([...orgs, ...users].map((r) => [r.id, r.name]));
    },
    /** The user's organisations where they are owner, admin or staff, with their kinds. */
    async staffOrgs(userId: string) {
      return db
        .selectFrom('org_members as m')
        .innerJoin('organisations as o', 'o.id', 'm.org_id')
        .select(['o.id', 'o.kind', 'o.status', 'm.role'])
        .where('m.user_id', '=', userId)
        .where('m.role', 'in', ['owner', 'admin', 'staff'])
        .execute();
    },
    async isApprovedStreamer(userId: string) {
      const row = await db.selectFrom('streamer_profiles').select('status').where('user_id', '=', userId).executeTakeFirst();
      return row?.status === 'approved';
    },
    /**
     * Verified streamers who may stand in for a brand (its say, server/live/brands.ts): its members in a role that
     * streams for it, then those with an approved 带货申请 with it; by name.
     */
    async brandStreamers(brandOrgId: string) {
      const verified = () => db.selectFrom('users as u').innerJoin('streamer_profiles as p', 'p.user_id', 'u.id').select(['u.id', 'u.display_name as name']).where('p.status', '=', 'approved');
      const members = await verified().innerJoin('org_members as m', 'm.user_id', 'u.id').where('m.org_id', '=', brandOrgId).where('m.role', 'in', STREAMING_ROLES).execute();
      const partners = await verified()
        .where('u.id', 'in', (eb) => eb.selectFrom('cooperation_applications').select('streamer_id').where('brand_org_id', '=', brandOrgId).where('status', '=', 'approved'))
        .execute();
      const streamers = new Map<string, { id: string; displayName: string; via: BrandTie }>();
      for (const m of members) streamers.set(m.id, { id: m.id, displayName: m.name, via: 'member' });
      for (const p of partners) if (!streamers.has(p.id)) streamers.set(p.id, { id: p.id, displayName: p.name, via: 'cooperation' });
      return [...streamers.values()].sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN') || a.id.localeCompare(b.id));
    },
    async isMember(orgId: string, userId: string) {
      return !!(await db.selectFrom('org_members').select('role').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst());
    },

    /** The base's tenants with their leases and whether their organisation link is confirmed (docs/BASES.md, "Tenants and events"). */
    async tenants(baseOrgId: string) {
      const rows = await db.selectFrom('base_tenants').selectAll().where('base_org_id', '=', baseOrgId).orderBy('kind').orderBy('name').execute();
      return rows.map(tenantOut);
    },
    async events(baseOrgId: string, from: string, to: string) {
      const rows = await db.selectFrom('base_events').selectAll().where('base_org_id', '=', baseOrgId).where('held_at', '>=', from).where('held_at', '<', to).orderBy('held_at').execute();
      return rows.map((r) => ({ id: r.id, title: r.title, heldAt: r.held_at, attendees: r.attendees }));
    },
    /** The programmes in force (not retired), checked against and applied for (docs/BASES.md, "City programmes"). */
    async programmes() {
      const rows = await db.selectFrom('base_programmes').selectAll().where('retired_at', 'is', null).orderBy('name').orderBy('year', 'desc').orderBy('region').execute();
      return rows.map((r) => ({ id: r.id, name: r.name, region: r.region, year: r.year, criteria: JSON.parse(r.criteria) as { metric: string; min: number }[] }));
    },
    /** Whether a programme exists and has been retired (a retired one takes no new applications). */
    async programmeRetired(id: string) {
      const row = await db.selectFrom('base_programmes').select('retired_at').where('id', '=', id).executeTakeFirst();
      return Boolean(row?.retired_at);
    },
  };
}

export type BasesStore = ReturnType<typeof createBasesStore>;
