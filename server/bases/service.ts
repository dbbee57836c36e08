import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { LiveService } from '../live/service.ts';
import type { Mcn } from '../mcn/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from 'pino';
import type { Db, Dialect } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { BookingBody, BookingLiveBody, EventBody, MaintenanceBody, ProfileBody, StudioBody, TenantBody } from './schema.ts';
import { createStudioFees, type FeesDeps } from './fees.ts';
import { createStudioRefunds, type RefundsDeps } from './refunds.ts';
import { captionsOf, captionsOfBases, checkProfilePhotos, photoList } from './photos.ts';
import { createBookingPrices } from './prices.ts';
import { createBaseEdits } from './edits.ts';
import { createProgrammes } from './programmes.ts';
import { createPublicBases } from './public.ts';
import { createTenancies } from './tenancies.ts';
import { bookingOut, createBasesStore, type Booking } from './store.ts';
import { announceBrandLive, type BookingLiveNoticeDeps } from './booking-live-notice.ts';
import { minutesOf, withinHours } from './time.ts';

export type BasesDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  live: Pick<LiveService, 'create'>;
  mcn: Pick<Mcn, 'isSignedTo' | 'scheduleSession'>;
  /** The ledger's journal: studio time and late-cancellation fees are posted there (server/bases/fees.ts). */
  ledger: FeesDeps['ledger'] & RefundsDeps['ledger'];
  /** The ledger's withdrawals: a base's, listed in its studio income. */
  withdrawals: FeesDeps['withdrawals'];
  /** A live a brand schedules from its booking is audited, and its streamer notified (server/bases/booking-live-notice.ts). */
  audit: BookingLiveNoticeDeps['audit'];
  notifications: BookingLiveNoticeDeps['notifications'];
  logger?: Logger;
};

const HOUR = 3_600_000;
const MAX_BOOKING_HOURS = 24;
const DAY = 86_400_000;

/**
 * Live-streaming bases (docs/BASES.md): the base's console (profile, studios, maintenance, tenants,
 * events) and the booking calendar that MCNs, brands and streamers book from. A booking's overlap
 * check and insert run in one transaction: on PostgreSQL it first locks the studio's row
 * (select … for update), so simultaneous requests for one studio queue there; SQLite has one writer
 * and Kysely runs one transaction at a time on its single connection. Within a node, bookings of one
 * studio also take turns in memory first (an optimisation only; the lock is the guarantee).
 */
export function createBases(deps: BasesDeps) {
  const { db, clock } = deps;
  const store = createBasesStore(db);
  const fees = createStudioFees({ db, dialect: deps.dialect, clock, ledger: deps.ledger, withdrawals: deps.withdrawals, logger: deps.logger });
  const refunds = createStudioRefunds({ db, dialect: deps.dialect, clock, ledger: deps.ledger });
  const prices = createBookingPrices({ db, dialect: deps.dialect, clock });
  const edits = createBaseEdits({ db, dialect: deps.dialect, clock, store });
  /** City programmes, managed by operators (server/bases/programmes.ts). */
  const programmes = createProgrammes({ db, clock });
  /** Public pages of approved bases, for anyone (server/bases/public.ts). */
  const publicPages = createPublicBases({ db, clock, store });
  /** Organisations' answers to the bases that list them as tenants (server/bases/tenancies.ts). */
  const tenancies = createTenancies({ db, clock });
  const now = () => clock.now().toISOString();
  const refuse = (obstacle: 'maintenance' | 'booking' | null) => {
    if (obstacle) throw AppError.refusal(obstacle === 'maintenance' ? 'BOOKING_DURING_MAINTENANCE' : 'BOOKING_CONFLICT');
  };
  /** Runs `work` after the studio's previous bookings on this node have finished (a per-studio queue). */
  const turns = new Map<string, Promise<unknown>>();
  /**
   * The bookings this node stored for a studio while others of it waited their turn, each with the tick it was stored
   * at. A request that arrived before one of them and overlaps it is refused without asking the database: that booking
   * existed while the request was waiting, so refusing it is the answer the database would have given then (a cancel
   * afterwards does not change it). The notes go when the studio's queue empties.
   */
  const storedWhileWaiting = new Map<string, { tick: number; startsAt: string; endsAt: string }[]>();
  let ticks = 0;
  async function inTurn<T>(studioId: string, work: () => Promise<T>): Promise<T> {
    const previous = turns.get(studioId) ?? Promise.resolve();
    const mine = previous.then(work, work);
    const settled = mine.catch(() => undefined);
    turns.set(studioId, settled);
    try {
      return await mine;
    } finally {
      if (turns.get(studioId) === settled) {
        turns.delete(studioId);
        storedWhileWaiting.delete(studioId);
      }
    }
  }

  async function requireBase(baseId: string) {
    const base = await store.base(baseId);
    if (!base) throw new AppError('BASE_NOT_FOUND');
    return base;
  }
  async function requireStudio(baseId: string, studioId: string) {
    const studio = await store.studio(studioId);
    if (!studio || studio.baseId !== baseId) throw new AppError('STUDIO_NOT_FOUND');
    return studio;
  }
  /** Who may act on a booking: its booker, or the owners, admins and staff of the organisation it was booked for. */
  async function mayManage(booking: Booking, userId: string) {
    if (booking.bookedBy === userId) return true;
    if (!booking.bookerOrgId) return false;
    return (await store.staffOrgs(userId)).some((o) => o.id === booking.bookerOrgId);
  }

  /**
   * Names and lives for bookings; `full` adds who booked and its price changes (the base's members and the bookers
   * themselves see them). A streamer a brand scheduled a live for in its booking sees that booking as its own streamer
   * does, `arranged`, with only their own lives in it (docs/BASES.md, "Lives from a booking").
   */
  async function describe(bookings: Booking[], viewerId: string, full: (b: Booking) => boolean) {
    const lives = await store.livesOf(bookings.map((b) => b.id));
    const streamsIn = new Set(lives.filter((l) => l.streamer_id === viewerId).map((l) => l.booking_id));
    const arranged = (b: Booking) => !full(b) && b.bookedBy !== viewerId && b.streamerId !== viewerId && streamsIn.has(b.id);
    const changes = await prices.ofBookings(bookings.filter((b) => full(b) || b.bookedBy === viewerId || b.streamerId === viewerId || arranged(b)).map((b) => b.id));
    const names = await store.names([...new Set(bookings.flatMap((b) => (b.bookerOrgId ? [b.bookerOrgId] : [])))], [...new Set(bookings.flatMap((b) => [b.bookedBy, ...(b.streamerId ? [b.streamerId] : [])]))]);
    return bookings.map((b) => {
      const mine = b.bookedBy === viewerId || b.streamerId === viewerId;
      const forMe = arranged(b);
      if (!full(b) && !mine && !forMe) return { id: b.id, studioId: b.studioId, startsAt: b.startsAt, endsAt: b.endsAt, status: b.status, mine: false };
      return {
        ...b,
        mine,
        /** Seen only because a live in it is the viewer's: the brand that booked scheduled it for them (read-only to them). */
        arranged: forMe,
        bookerName: b.bookerOrgId ? names.get(b.bookerOrgId) ?? null : names.get(b.bookedBy) ?? null,
        streamerName: b.streamerId ? names.get(b.streamerId) ?? null : null,
        lives: lives
          .filter((l) => l.booking_id === b.id && (!forMe || l.streamer_id === viewerId))
          .map((l) => ({ id: l.id, title: l.title, status: l.status, scheduledAt: l.scheduled_at, startedAt: l.started_at, endedAt: l.ended_at, streamerId: l.streamer_id })),
        /** Changes of its price by the base before it was charged, oldest first (docs/BASES.md, "Price changes"). */
        priceChanges: changes.filter((c) => c.bookingId === b.id),
      };
    });
  }

  return {
    store,
    fees,
    refunds,
    prices,
    edits,
    programmes,
    publicPages,
    tenancies,

    listBases: () => store.listBases(),

    /** A base's calendar for a day or a week: studios, bookings (who booked only for its members or the booker) and maintenance. */
    async calendar(baseId: string, viewerId: string, query: { from?: string; days: number }, asMember?: boolean) {
      const base = await requireBase(baseId);
      // A plain day starts at its 00:00 in Beijing time, the base's clock (docs/BASES.md).
      const from = !query.from ? now() : new Date(/^\d{4}-\d{2}-\d{2}$/.test(query.from) ? `${query.from}T00:00:00+08:00` : query.from).toISOString();
      const to = new Date(Date.parse(from) + query.days * DAY).toISOString();
      const member = asMember ?? (await store.isMember(baseId, viewerId));
      const studios = await store.listStudios(baseId);
      const bookings = await store.bookingsOfBase(baseId, from, to);
      const profile = await store.profile(baseId);
      // Photos stay lists of URLs here; their captions beside them, in the same order (docs/BASES.md, "Photos").
      const captions = await captionsOfBases(db, [baseId]);
      return {
        base: { ...base, profile: { ...profile, photoCaptions: captionsOf(profile.photos, captions) } },
        from,
        to,
        studios: studios.map((s) => ({ ...s, photoCaptions: captionsOf(s.photos, captions) })),
        bookings: await describe(bookings, viewerId, () => member),
        maintenance: await store.maintenance(studios.map((s) => s.id), from, to),
      };
    },

    async book(baseId: string, studioId: string, userId: string, input: z.output<typeof BookingBody>) {
      const startMs = Date.parse(input.startsAt);
      const endMs = Date.parse(input.endsAt);
      if (!(endMs > startMs) || endMs - startMs > MAX_BOOKING_HOURS * HOUR) throw AppError.refusal('BOOKING_TIMES_INVALID', { maxHours: MAX_BOOKING_HOURS });
      if (startMs < clock.now().getTime()) throw AppError.refusal('BOOKING_IN_PAST');
      const found = await store.studioOfBase(baseId, studioId);
      if (!found) throw AppError.refusal((await store.base(baseId)) ? 'STUDIO_NOT_FOUND' : 'BASE_NOT_FOUND');
      const { studio } = found;
      // For whom: an organisation the user staffs (a brand or an MCN), or the user as a verified streamer.
      let streamerId: string | null = input.streamerId ?? null;
      if (input.orgId) {
        const org = (await store.staffOrgs(userId)).find((o) => o.id === input.orgId);
        if (!org || org.status !== 'approved' || (org.kind !== 'mcn' && org.kind !== 'brand')) throw AppError.refusal('BOOKING_ORG_FORBIDDEN');
        if (streamerId && (!(await store.isApprovedStreamer(streamerId)) || (org.kind === 'mcn' && !(await deps.mcn.isSignedTo(org.id, streamerId))))) throw AppError.refusal('BOOKING_STREAMER_INVALID');
      } else {
        if (streamerId && streamerId !== userId) throw AppError.refusal('BOOKING_ORG_FORBIDDEN');
        if (!(await store.isApprovedStreamer(userId))) throw AppError.refusal('BOOKING_STREAMER_INVALID');
        streamerId = userId;
      }
      if (!withinHours(startMs, endMs, found.opensAt, found.closesAt)) throw AppError.refusal('BOOKING_OUTSIDE_HOURS', { opens: found.opensAt, closes: found.closesAt });
      const startsAt = new Date(startMs).toISOString();
      const endsAt = new Date(endMs).toISOString();
      const row = {
        id: newId(),
        studio_id: studioId,
        base_org_id: baseId,
        booked_by: userId,
        booker_org_id: input.orgId ?? null,
        streamer_id: streamerId,
        title: input.title,
        starts_at: startsAt,
        ends_at: endsAt,
        status: 'booked' as const,
        price_fen: Math.round((studio.hourlyRateFen * (endMs - startMs)) / HOUR),
        cancel_fee_fen: 0,
        cancelled_at: null,
        created_at: now(),
        charged_at: null,
        refunded_fen: 0,
      };
      // One booking of a studio at a time on this node: a crowd asking for one evening waits here, not on
      // the database's row lock while holding a pooled connection. In its turn each request first looks
      // without the lock, which turns away those whose slot was just taken; the check under the lock
      // decides (and serializes this node with the others).
      const arrived = ++ticks;
      await inTurn(studioId, async () => {
        // A crowd for one evening: the first stores its booking, the rest are refused from memory, not one query each.
        if (storedWhileWaiting.get(studioId)?.some((b) => b.tick > arrived && b.startsAt < endsAt && b.endsAt > startsAt)) refuse('booking');
        refuse(await store.obstacle(studioId, startsAt, endsAt));
        await db.transaction().execute(async (trx) => {
          // The lock is its own statement: the check after it reads the bookings committed while it waited.
          if (deps.dialect === 'postgres') await trx.selectFrom('studios').select('id').where('id', '=', studioId).forUpdate().execute();
          refuse(await store.obstacle(studioId, startsAt, endsAt, trx));
          await trx.insertInto('studio_bookings').values(row).execute();
        });
        const notes = storedWhileWaiting.get(studioId) ?? [];
        notes.push({ tick: ++ticks, startsAt, endsAt });
        storedWhileWaiting.set(studioId, notes);
      });
      return bookingOut(row);
    },

    /** The user's bookings: made by them, for an organisation they staff, or for them as the streamer. */
    async myBookings(userId: string) {
      const orgs = await store.staffOrgs(userId);
      const bookings = await store.bookingsOfUser(userId, orgs.map((o) => o.id));
      const staffed = new Set(orgs.map((o) => o.id));
      const described = await describe(bookings, userId, (b) => !!b.bookerOrgId && staffed.has(b.bookerOrgId));
      const studios = new Map<string, { name: string; baseId: string }>();
      for (const b of bookings) if (!studios.has(b.studioId)) { const s = await store.studio(b.studioId); if (s) studios.set(b.studioId, { name: s.name, baseId: s.baseId }); }
      const baseNames = await store.names([...new Set([...studios.values()].map((s) => s.baseId))], []);
      return described.map((b) => ({ ...b, studioName: studios.get(b.studioId)?.name ?? null, baseName: baseNames.get(studios.get(b.studioId)?.baseId ?? '') ?? null }));
    },

    /**
     * Cancels under the base's rule: free until freeCancelHours before the start, then cancelFeeBps of the
     * price, charged in the same transaction (booker → base, `studio-cancel-fee:<bookingId>`).
     */
    async cancel(bookingId: string, userId: string) {
      const booking = await store.booking(bookingId);
      if (!booking) throw new AppError('BOOKING_NOT_FOUND');
      if (!(await mayManage(booking, userId))) throw new AppError('BOOKING_NOT_YOURS');
      const nowMs = clock.now().getTime();
      if (booking.status !== 'booked') throw new AppError('BOOKING_STATE_CONFLICT', { status: booking.status });
      if (Date.parse(booking.startsAt) <= nowMs) throw new AppError('BOOKING_STATE_CONFLICT', { status: 'started' });
      const profile = await store.profile(booking.baseId);
      const free = Date.parse(booking.startsAt) - nowMs >= profile.freeCancelHours * HOUR;
      const at = now();
      const cancelled = await db.transaction().execute(async (trx) => {
        // The fee is reckoned from the price as it is now, with the row locked (PostgreSQL; SQLite has one
        // writer), so a price change by the base at the same instant is either before it or refused after it.
        if (deps.dialect === 'postgres') await trx.selectFrom('studio_bookings').select('id').where('id', '=', bookingId).forUpdate().execute();
        const priceFen = (await store.booking(bookingId, trx))?.priceFen ?? booking.priceFen;
        const fee = free ? 0 : Math.round((priceFen * profile.cancelFeeBps) / 10_000);
        // The claim: of two cancels at once, only one finds the booking still booked (and posts its fee).
        const row = await trx
          .updateTable('studio_bookings')
          .set({ status: 'cancelled', cancel_fee_fen: fee, cancelled_at: at, charged_at: fee > 0 ? at : null })
          .where('id', '=', bookingId)
          .where('status', '=', 'booked')
          .returningAll()
          .executeTakeFirst();
        if (row && fee > 0) await fees.post(trx, [row], at);
        return row;
      });
      if (!cancelled) throw new AppError('BOOKING_STATE_CONFLICT', { status: 'cancelled' });
      return bookingOut(cancelled);
    },

    /**
     * Schedules a live straight from a booking, linked to it: the booking's streamer schedules their own;
     * the MCN that booked schedules for its streamer (with the contract right 'manage_sessions'); the brand
     * that booked (its owners, admins and staff) schedules it for a streamer it picks among those who may
     * stand in for it (server/live/brands.ts), and the live names the brand. Every refusal comes before
     * anything is stored.
     */
    async scheduleLive(bookingId: string, userId: string, input: z.output<typeof BookingLiveBody>) {
      const booking = await store.booking(bookingId);
      if (!booking) throw new AppError('BOOKING_NOT_FOUND');
      const isStreamer = booking.streamerId === userId;
      if (!isStreamer && !(await mayManage(booking, userId))) throw new AppError('BOOKING_NOT_YOURS');
      if (booking.status !== 'booked') throw new AppError('BOOKING_STATE_CONFLICT', { status: booking.status });
      const bookerOrg = booking.bookerOrgId ? (await store.staffOrgs(userId)).find((o) => o.id === booking.bookerOrgId) : undefined;
      // The booking's streamer on their own behalf, unless they staff the brand that booked and pick someone else.
      const asStreamer = isStreamer && (!input.streamerId || input.streamerId === userId);
      const asBrand = !asStreamer && bookerOrg?.kind === 'brand';
      const asMcn = !asStreamer && !asBrand && bookerOrg?.kind === 'mcn';
      if (!asStreamer && !asBrand && !asMcn) throw new AppError(isStreamer ? 'BOOKING_STREAMER_INVALID' : 'BOOKING_NOT_YOURS');
      // Who goes live: the brand picks (default: the streamer it booked for); otherwise the booking's streamer.
      const streamerId = asBrand ? input.streamerId ?? booking.streamerId : booking.streamerId;
      if (!streamerId) throw new AppError(asBrand ? 'BOOKING_LIVE_STREAMER_REQUIRED' : 'BOOKING_STREAMER_INVALID');
      if (asMcn && input.streamerId && input.streamerId !== streamerId) throw new AppError('BOOKING_STREAMER_INVALID');
      // A live from a brand's booking, scheduled by the brand, names that brand and no other.
      if (asBrand && input.brandOrgId && input.brandOrgId !== booking.bookerOrgId) throw new AppError('BOOKING_LIVE_BRAND_MISMATCH');
      const scheduledAt = input.scheduledAt ? new Date(input.scheduledAt).toISOString() : booking.startsAt;
      if (scheduledAt < booking.startsAt || scheduledAt >= booking.endsAt) throw new AppError('BOOKING_LIVE_OUTSIDE');
      const body = { title: input.title, description: input.description, scheduledAt, brandOrgId: asBrand ? booking.bookerOrgId! : input.brandOrgId };
      // The live and its link to the booking are stored together, and only while the booking is still booked (read
      // with its row locked on PostgreSQL, as a cancel locks it): a cancel at the same moment leaves either a live in
      // a booking then cancelled, or no live at all (BOOKING_STATE_CONFLICT), never a live linked to a cancelled booking.
      const alongside = async (trx: Transaction<Database>, sessionId: string) => {
        let still = trx.selectFrom('studio_bookings').select('status').where('id', '=', booking.id);
        if (deps.dialect === 'postgres') still = still.forUpdate();
        const row = await still.executeTakeFirst();
        if (row?.status !== 'booked') throw new AppError('BOOKING_STATE_CONFLICT', { status: row?.status ?? 'cancelled' });
        await trx.insertInto('studio_booking_lives').values({ session_id: sessionId, booking_id: booking.id, created_at: now() }).execute();
        // The brand's act is audited, and the streamer it picked is told (not when they picked themself), with the live.
        if (asBrand) {
          await announceBrandLive({ db: trx, audit: deps.audit, notifications: deps.notifications }, { booking, actorId: userId, streamerId, session: { id: sessionId, title: body.title, scheduledAt } });
        }
      };
      let session: { id: string; title: string; scheduledAt: string };
      // A booking a brand made for this streamer is the brand's say: the live may name that brand (server/live/brands.ts).
      if (asStreamer) session = (await deps.live.create(userId, body, { arrangedBy: booking.bookerOrgId, alongside })).session;
      // The brand's pick must have its say (a member who streams for it, or an approved 带货申请: LIVE_BRAND_NOT_PARTNER)
      // and be a verified streamer (STREAMER_NOT_APPROVED); the live service checks both before it stores anything.
      // The answer is the summary only: the push URL and stream key stay with the streamer.
      else if (asBrand) session = (await deps.live.create(streamerId, body, { alongside })).session;
      else session = (await deps.mcn.scheduleSession(booking.bookerOrgId!, streamerId, userId, body, alongside)).session;
      return { booking, session };
    },

    /**
     * The streamers a brand may pick for a live from its booking (docs/BASES.md, "Lives from a booking"): verified
     * streamers with the brand's say. For the booking brand's owners, admins and staff only.
     */
    async liveStreamers(bookingId: string, userId: string) {
      const booking = await store.booking(bookingId);
      if (!booking) throw new AppError('BOOKING_NOT_FOUND');
      const bookerOrg = booking.bookerOrgId ? (await store.staffOrgs(userId)).find((o) => o.id === booking.bookerOrgId) : undefined;
      if (!bookerOrg || bookerOrg.kind !== 'brand') throw new AppError('BOOKING_NOT_YOURS');
      return { streamers: await store.brandStreamers(bookerOrg.id), defaultStreamerId: booking.streamerId };
    },

    // --- the base's console ---
    async saveProfile(orgId: string, input: z.output<typeof ProfileBody>) {
      const opens = minutesOf(input.opensAt);
      const closes = minutesOf(input.closesAt);
      if (opens === null || closes === null || opens >= closes) throw new AppError('BASE_HOURS_INVALID');
      const row = { org_id: orgId, area_sqm: input.areaSqm, theme: input.theme, address: input.address, opens_at: input.opensAt, closes_at: input.closesAt, photos: JSON.stringify(input.photos ?? []), free_cancel_hours: input.freeCancelHours, cancel_fee_bps: input.cancelFeeBps, updated_at: now() };
      // Photos omitted: the list stays. Given: each uploaded photo stays in it, checked with the row locked
      // against an upload or a delete at the same moment (server/bases/photos.ts).
      await db.transaction().execute(async (trx) => {
        await photoList(trx, { baseId: orgId, studioId: null }, { dialect: deps.dialect, now: row.updated_at });
        if (input.photos) await checkProfilePhotos(trx, orgId, input.photos);
        await store.saveProfile(row, trx, !input.photos);
      });
      return store.profile(orgId);
    },
    async addStudio(orgId: string, input: z.output<typeof StudioBody>) {
      const id = newId();
      await store.insertStudio({ id, base_org_id: orgId, name: input.name, area_sqm: input.areaSqm, equipment: JSON.stringify(input.equipment), scenes: JSON.stringify(input.scenes), hourly_rate_fen: input.hourlyRateFen, capacity: input.capacity, is_public: input.isPublic ? 1 : 0, created_at: now() });
      return (await store.studio(id))!;
    },
    async updateStudio(orgId: string, studioId: string, input: z.output<typeof StudioBody>) {
      await requireStudio(orgId, studioId);
      await store.updateStudio(studioId, { name: input.name, area_sqm: input.areaSqm, equipment: JSON.stringify(input.equipment), scenes: JSON.stringify(input.scenes), hourly_rate_fen: input.hourlyRateFen, capacity: input.capacity, is_public: input.isPublic ? 1 : 0 });
      return (await store.studio(studioId))!;
    },
    /** A maintenance period; refused over existing bookings (the base settles those with their bookers first). */
    async addMaintenance(orgId: string, studioId: string, input: z.output<typeof MaintenanceBody>) {
      await requireStudio(orgId, studioId);
      const startsAt = new Date(input.startsAt).toISOString();
      const endsAt = new Date(input.endsAt).toISOString();
      if (!(endsAt > startsAt)) throw new AppError('BOOKING_TIMES_INVALID', { maxHours: MAX_BOOKING_HOURS });
      const row = { id: newId(), studio_id: studioId, starts_at: startsAt, ends_at: endsAt, reason: input.reason, created_at: now() };
      await db.transaction().execute(async (trx) => {
        if (deps.dialect === 'postgres') await trx.selectFrom('studios').select('id').where('id', '=', studioId).forUpdate().execute();
        if (await store.bookingOverlapping(studioId, startsAt, endsAt, trx)) throw new AppError('MAINTENANCE_OVERLAPS_BOOKING');
        await trx.insertInto('studio_maintenance').values(row).execute();
      });
      return { id: row.id, studioId, startsAt, endsAt, reason: row.reason };
    },
    /** A tenant; one linked to an organisation (an approved one, not the base) waits for its confirmation (server/bases/tenancies.ts). */
    async addTenant(orgId: string, input: z.output<typeof TenantBody>) {
      if (input.leaseEnd < input.leaseStart) throw new AppError('TENANT_LEASE_INVALID');
      if (input.orgId) {
        const org = await db.selectFrom('organisations').select(['id', 'status']).where('id', '=', input.orgId).executeTakeFirst();
        if (!org || org.status !== 'approved' || org.id === orgId) throw new AppError('TENANT_ORG_INVALID');
      }
      const id = newId();
      await db.insertInto('base_tenants').values({ id, base_org_id: orgId, name: input.name, kind: input.kind, org_id: input.orgId ?? null, org_status: input.orgId ? 'pending' : null, lease_start: input.leaseStart, lease_end: input.leaseEnd, area_sqm: input.areaSqm, monthly_rent_fen: input.monthlyRentFen, created_at: now() }).execute();
      return (await store.tenants(orgId)).find((t) => t.id === id)!;
    },
    async removeTenant(orgId: string, tenantId: string) {
      const removed = await db.deleteFrom('base_tenants').where('id', '=', tenantId).where('base_org_id', '=', orgId).executeTakeFirst();
      if (Number(removed.numDeletedRows) !== 1) throw new AppError('TENANT_NOT_FOUND');
    },
    async addEvent(orgId: string, input: z.output<typeof EventBody>) {
      const row = { id: newId(), base_org_id: orgId, title: input.title, held_at: new Date(input.heldAt).toISOString(), attendees: input.attendees, created_at: now() };
      await db.insertInto('base_events').values(row).execute();
      return { id: row.id, title: row.title, heldAt: row.held_at, attendees: row.attendees };
    },
  };
}

export type Bases = ReturnType<typeof createBases>;
