// A brand schedules a live straight from its own studio booking (docs/BASES.md, "Lives from a booking"): its
// owners, admins and staff pick the streamer among those who may stand in for the brand (a member who streams
// for it, or an approved 带货申请 with it, server/live/brands.ts), and the live names the brand. Everyone else,
// and a streamer outside that set, is refused with a stable code and nothing is stored. On SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import { beijing as local, brandBookings, brandWithStreamers, mcnWithStreamer, type BaseFixture } from './helpers/bases.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { joinOrg, streamer } from './helpers/people.ts';
import type { TestClient, TestResponse } from './helpers/server.ts';
import { approvedBrand as brand, type Brand } from './helpers/shop.ts';

type Person = { client: TestClient; id: string };

function refused(res: TestResponse, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.errorCode).toBe(code);
}

describeEachDatabase('a brand schedules a live from its own booking', ({ server }) => {
  let base: BaseFixture;
  let b: Brand;
  /** The brand's 运营 (role staff), its member streamer, a streamer with an approved 带货申请, and others. */
  let staff: Person;
  let member: Person;
  let partner: Person;
  let outsider: Person;
  let storeStaff: Person;
  let unverified: Person;
  const { bookFor, schedule, nextDay } = brandBookings(() => ({ base, brand: b, staff, member, partner, outsider }));
  const stored = async () => {
    const { db } = server().database;
    return {
      sessions: await db.selectFrom('live_sessions').select(['id', 'streamer_id', 'brand_org_id']).orderBy('id').execute(),
      links: await db.selectFrom('studio_booking_lives').selectAll().orderBy('session_id').execute(),
      bookings: await db.selectFrom('studio_bookings').selectAll().orderBy('id').execute(),
    };
  };

  it('sets up a base, a brand, its staff and the streamers around it', async () => {
    ({ base, brand: b, staff, member, partner, outsider } = await brandWithStreamers(server()));
    storeStaff = await streamer(server());
    await joinOrg(server(), b.orgId, storeStaff.id, 'store_staff');
    unverified = await streamer(server(), { approved: false });
    await joinOrg(server(), b.orgId, unverified.id, 'streamer');
  });

  it('lists the streamers the brand may pick: its member streamer and its approved partner, not store staff, strangers or the unverified', async () => {
    const booking = await bookFor();
    const list = await staff.client.get(`/api/studio-bookings/${booking.id}/live-streamers`);
    expect(list.status, list.body).toBe(200);
    const streamers = list.json().streamers as { id: string; displayName: string; via: string }[];
    expect(streamers.map((s) => [s.id, s.via]).sort()).toEqual([[member.id, 'member'], [partner.id, 'cooperation']].sort());
    expect(list.json().defaultStreamerId).toBeNull();
    // Only the booking brand's owners, admins and staff read it.
    refused(await outsider.client.get(`/api/studio-bookings/${booking.id}/live-streamers`), 403, 'BOOKING_NOT_YOURS');
    refused(await member.client.get(`/api/studio-bookings/${booking.id}/live-streamers`), 403, 'BOOKING_NOT_YOURS');
    refused(await base.owner.get(`/api/studio-bookings/${booking.id}/live-streamers`), 403, 'BOOKING_NOT_YOURS');
    refused(await staff.client.get('/api/studio-bookings/no-such-booking/live-streamers'), 404, 'BOOKING_NOT_FOUND');
    const mcn = await mcnWithStreamer(server());
    const d = nextDay();
    const mcnBooking = await mcn.owner.post(`/api/bases/${base.orgId}/studios/${base.studioId}/bookings`, { startsAt: local(d, '10:00'), endsAt: local(d, '12:00'), orgId: mcn.orgId, streamerId: mcn.streamer.id });
    expect(mcnBooking.status, mcnBooking.body).toBe(201);
    refused(await mcn.owner.get(`/api/studio-bookings/${mcnBooking.json().booking.id}/live-streamers`), 403, 'BOOKING_NOT_YOURS');
  });

  it('the brand’s staff schedules a live for its member streamer; the live names the brand, is linked, and its stream key stays with the streamer', async () => {
    const booking = await bookFor();
    const res = await schedule(staff.client, booking.id, { streamerId: member.id });
    expect(res.status, res.body).toBe(201);
    const session = res.json().session;
    expect(session).toMatchObject({ scheduledAt: booking.startsAt, brand: { id: b.orgId, name: b.name } });
    expect(res.json().push).toBeUndefined();
    expect(res.body).not.toMatch(/streamKey|key=/);
    const row = await server().database.db.selectFrom('live_sessions').select(['streamer_id', 'brand_org_id']).where('id', '=', session.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ streamer_id: member.id, brand_org_id: b.orgId });
    const links = await server().database.db.selectFrom('studio_booking_lives').select('booking_id').where('session_id', '=', session.id).execute();
    expect(links).toEqual([{ booking_id: booking.id }]);
    // The streamer finds it among her own lives, with its push details.
    const own = await member.client.get(`/api/streamer/live-sessions/${session.id}`);
    expect(own.status, own.body).toBe(200);
    expect(own.json().push).toBeTruthy();
    // The brand's owner schedules a second live in the same booking for its partner, an hour later.
    const second = await schedule(b.owner, booking.id, { streamerId: partner.id, scheduledAt: local(booking.startsAt.slice(0, 10), '20:30'), brandOrgId: b.orgId });
    expect(second.status, second.body).toBe(201);
    expect(second.json().session.brand).toEqual({ id: b.orgId, name: b.name });
  });

  it('a booking made for a streamer: the brand schedules for her without naming her again', async () => {
    const booking = await bookFor(member.id);
    const list = (await b.owner.get(`/api/studio-bookings/${booking.id}/live-streamers`)).json();
    expect(list.defaultStreamerId).toBe(member.id);
    const res = await schedule(b.owner, booking.id, {});
    expect(res.status, res.body).toBe(201);
    const row = await server().database.db.selectFrom('live_sessions').select(['streamer_id', 'brand_org_id']).where('id', '=', res.json().session.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ streamer_id: member.id, brand_org_id: b.orgId });
  });

  it('refuses everyone else, and a streamer outside the brand’s set, with stable codes, storing nothing', async () => {
    const booking = await bookFor();
    const other = await brand(server());
    const before = await stored();

    // Who may not: another brand's owner, a stranger, the base, the brand's own member streamer (not its staff).
    refused(await schedule(other.owner, booking.id, { streamerId: member.id }), 403, 'BOOKING_NOT_YOURS');
    refused(await schedule(outsider.client, booking.id, { streamerId: outsider.id }), 403, 'BOOKING_NOT_YOURS');
    refused(await schedule(base.owner, booking.id, { streamerId: member.id }), 403, 'BOOKING_NOT_YOURS');
    refused(await schedule(member.client, booking.id, { streamerId: member.id }), 403, 'BOOKING_NOT_YOURS');
    refused(await schedule(staff.client, 'no-such-booking', { streamerId: member.id }), 404, 'BOOKING_NOT_FOUND');
    // Whom the brand may not pick: no one, a streamer with no tie, its store staff, a member not verified.
    refused(await schedule(staff.client, booking.id, {}), 422, 'BOOKING_LIVE_STREAMER_REQUIRED');
    refused(await schedule(staff.client, booking.id, { streamerId: outsider.id }), 403, 'LIVE_BRAND_NOT_PARTNER');
    refused(await schedule(staff.client, booking.id, { streamerId: storeStaff.id }), 403, 'LIVE_BRAND_NOT_PARTNER');
    refused(await schedule(staff.client, booking.id, { streamerId: unverified.id }), 403, 'STREAMER_NOT_APPROVED');
    refused(await schedule(staff.client, booking.id, { streamerId: 'no-such-user' }), 403, 'STREAMER_NOT_APPROVED');
    // What: another brand's name, a start outside the booking, bad input.
    refused(await schedule(staff.client, booking.id, { streamerId: member.id, brandOrgId: other.orgId }), 422, 'BOOKING_LIVE_BRAND_MISMATCH');
    refused(await schedule(staff.client, booking.id, { streamerId: member.id, scheduledAt: local(booking.startsAt.slice(0, 10), '22:30') }), 422, 'BOOKING_LIVE_OUTSIDE');
    refused(await schedule(staff.client, booking.id, { streamerId: '' }), 400, 'VALIDATION_FAILED');
    expect(await stored()).toEqual(before);

    // A cancelled booking takes no live.
    expect((await b.owner.post(`/api/studio-bookings/${booking.id}/cancel`)).status).toBe(200);
    const cancelled = await stored();
    refused(await schedule(staff.client, booking.id, { streamerId: member.id }), 409, 'BOOKING_STATE_CONFLICT');
    expect(await stored()).toEqual(cancelled);
  });

  it('the others keep their rules: the MCN only for the booking’s streamer, a streamer only for herself', async () => {
    const mcn = await mcnWithStreamer(server());
    const d = nextDay();
    const booked = await mcn.owner.post(`/api/bases/${base.orgId}/studios/${base.studioId}/bookings`, { startsAt: local(d, '10:00'), endsAt: local(d, '12:00'), orgId: mcn.orgId, streamerId: mcn.streamer.id });
    expect(booked.status, booked.body).toBe(201);
    const id = booked.json().booking.id as string;
    const before = await stored();
    refused(await schedule(mcn.owner, id, { streamerId: outsider.id }), 422, 'BOOKING_STREAMER_INVALID');
    refused(await schedule(mcn.streamer.client, id, { streamerId: outsider.id }), 422, 'BOOKING_STREAMER_INVALID');
    expect(await stored()).toEqual(before);
    const ok = await schedule(mcn.owner, id, { streamerId: mcn.streamer.id });
    expect(ok.status, ok.body).toBe(201);

    // The brand's booking made for its member: she schedules her own live, naming the brand (the booking is its say).
    const mine = await bookFor(member.id);
    const own = await schedule(member.client, mine.id, { brandOrgId: b.orgId });
    expect(own.status, own.body).toBe(201);
    expect(own.json().session.brand).toEqual({ id: b.orgId, name: b.name });
  });

  it('a cancel that lands while the live is being scheduled leaves no live behind, on every path (brand, MCN, streamer)', async () => {
    const { live } = server().services;
    const create = live.create;
    // The booking is cancelled after the request's checks and just before the live is stored: the worst moment.
    const cancelFirst = (who: TestClient, bookingId: string) => {
      live.create = async (...args: Parameters<typeof create>) => {
        const cancelled = await who.post(`/api/studio-bookings/${bookingId}/cancel`);
        expect(cancelled.status, cancelled.body).toBe(200);
        return create.apply(live, args);
      };
    };
    const mcn = await mcnWithStreamer(server());
    const d = nextDay();
    const mcnBooking = (await mcn.owner.post(`/api/bases/${base.orgId}/studios/${base.studioId}/bookings`, { startsAt: local(d, '10:00'), endsAt: local(d, '12:00'), orgId: mcn.orgId, streamerId: mcn.streamer.id })).json().booking;
    const brandBooking = await bookFor(member.id);
    const cases: [TestClient, TestClient, string, Record<string, unknown>][] = [
      [staff.client, b.owner, (await bookFor()).id, { streamerId: partner.id }],
      [mcn.owner, mcn.owner, mcnBooking.id, {}],
      [member.client, b.owner, brandBooking.id, { brandOrgId: b.orgId }],
    ];
    try {
      for (const [who, canceller, bookingId, body] of cases) {
        const before = await stored();
        cancelFirst(canceller, bookingId);
        refused(await schedule(who, bookingId, body), 409, 'BOOKING_STATE_CONFLICT');
        live.create = create;
        const after = await stored();
        expect(after.sessions).toEqual(before.sessions);
        expect(after.links).toEqual(before.links);
      }
    } finally {
      live.create = create;
    }
  });
}, { env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } });
