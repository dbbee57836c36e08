// A base's corrections (docs/BASES.md, "Price changes", "Maintenance", "Tenants and events"), on SQLite and
// PostgreSQL: its owners and admins change a booking's price before it is charged, with a reason (recorded, seen
// by the base and the booker, charged by the sweep, the base of a late cancellation's fee), and edit or delete
// maintenance periods and events with the rules of adding them; the monthly report follows. Every refused
// request changes nothing.
import { expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { baseWithStudio, mcnWithStreamer, type BaseFixture, type McnFixture } from './helpers/bases.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator } from './helpers/people.ts';
import type { TestClient, TestResponse, TestServer } from './helpers/server.ts';
import { tag } from './helpers/shop.ts';

/** The test clock starts at 2026-11-26T08:00Z (16:00 in Shanghai). Local 'YYYY-MM-DD HH:MM' (UTC+8) → ISO UTC. */
const local = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`).toISOString();

/** Everything a refused request must leave as it was. */
async function snapshot(server: TestServer) {
  const { db } = server.database;
  return {
    bookings: await db.selectFrom('studio_bookings').select(['id', 'status', 'price_fen', 'cancel_fee_fen', 'charged_at']).orderBy('id').execute(),
    changes: await db.selectFrom('studio_booking_price_changes').selectAll().orderBy('id').execute(),
    maintenance: await db.selectFrom('studio_maintenance').selectAll().orderBy('id').execute(),
    events: await db.selectFrom('base_events').selectAll().orderBy('id').execute(),
    transfers: (await db.selectFrom('ledger_transfers').select('key').orderBy('key').execute()).map((t) => t.key),
  };
}

describeEachDatabase('bases edits: price changes, maintenance and events', ({ server }) => {
  let base: BaseFixture;
  let otherBase: BaseFixture;
  let mcn: McnFixture;
  let admin: TestClient;
  let staff: TestClient;
  let op: TestClient;
  let secondStudio: string;
  const ids = {} as Record<'ahead' | 'ended' | 'free' | 'late' | 'race', string>;
  const balance = (id: string) => server().services.ledger.store.balanceOf(id);
  const setPrice = (who: TestClient, bookingId: string, body: unknown, orgId = base.orgId) => who.post(`/api/orgs/${orgId}/base/bookings/${bookingId}/price`, body as Record<string, unknown>);
  /** The request is refused with this status and code, and nothing stored changed. */
  async function refusedUnchanged(send: () => Promise<TestResponse>, status: number, code: string) {
    const before = await snapshot(server());
    const res = await send();
    expect(res.status, res.body).toBe(status);
    expect(res.errorCode).toBe(code);
    expect(await snapshot(server())).toEqual(before);
    return res;
  }
  const member = async (role: 'admin' | 'staff') => {
    const client = server().client();
    const login = `base-${role}-${tag()}@example.com`;
    await client.register(login, 'Secret123x', `基地${role === 'admin' ? '管理员' : '员工'}`);
    const added = await base.owner.post(`/api/orgs/${base.orgId}/members`, { login, role });
    expect(added.status, added.body).toBe(201);
    return client;
  };
  const book = async (from: string, to: string) => {
    const res = await mcn.owner.post(`/api/bases/${base.orgId}/studios/${base.studioId}/bookings`, { startsAt: from, endsAt: to, orgId: mcn.orgId, streamerId: mcn.streamer.id, title: '星火专场' });
    expect(res.status, res.body).toBe(201);
    return res.json().booking.id as string;
  };
  const report = async (month: string) => (await base.owner.get(`/api/orgs/${base.orgId}/base/report?month=${month}`)).json().report;

  it('sets up a base with an admin and a staff member, another base, an MCN and its bookings', async () => {
    base = await baseWithStudio(server());
    otherBase = await baseWithStudio(server());
    mcn = await mcnWithStreamer(server());
    admin = await member('admin');
    staff = await member('staff');
    op = (await operator(server())).client;
    const studio = await base.owner.post(`/api/orgs/${base.orgId}/studios`, { name: 'B2 食品直播间', areaSqm: 40, hourlyRateFen: 20000 });
    secondStudio = studio.json().studio.id;
    // ¥300.00 an hour: 2 h = 60 000 fen.
    ids.ahead = await book(local('2026-11-28', '10:00'), local('2026-11-28', '12:00'));
    ids.ended = await book(local('2026-11-27', '10:00'), local('2026-11-27', '12:00'));
    ids.free = await book(local('2026-11-30', '10:00'), local('2026-11-30', '11:00'));
    ids.late = await book(local('2026-11-27', '15:00'), local('2026-11-27', '17:00'));
    ids.race = await book(local('2026-11-27', '18:00'), local('2026-11-27', '19:00'));
    expect((await mcn.owner.post(`/api/studio-bookings/${ids.free}/cancel`)).json().booking).toMatchObject({ status: 'cancelled', cancelFeeFen: 0 });
  });

  it('an admin changes a booking’s price with a reason: recorded, and seen by the base and by the booker and its streamer', async () => {
    const res = await setPrice(admin, ids.ahead, { priceFen: 48_000, reason: '  长期合作租户八折 ' });
    expect(res.status, res.body).toBe(201);
    const { booking, change } = res.json();
    expect(booking).toMatchObject({ id: ids.ahead, priceFen: 48_000, status: 'booked', chargedAt: null });
    expect(change).toMatchObject({ bookingId: ids.ahead, baseId: base.orgId, oldPriceFen: 60_000, newPriceFen: 48_000, reason: '长期合作租户八折', changedByName: '基地管理员', createdAt: server().clock.now().toISOString() });

    // The same price again (a retry): 200, nothing more recorded.
    const before = await snapshot(server());
    const again = await setPrice(base.owner, ids.ahead, { priceFen: 48_000, reason: '长期合作租户八折' });
    expect(again.status, again.body).toBe(200);
    expect(again.json()).toMatchObject({ booking: { priceFen: 48_000 }, change: null });
    expect(await snapshot(server())).toEqual(before);

    const expected = [expect.objectContaining({ oldPriceFen: 60_000, newPriceFen: 48_000, reason: '长期合作租户八折', changedByName: '基地管理员' })];
    // The booker (the MCN's owner) and the streamer it booked for.
    for (const who of [mcn.owner, mcn.streamer.client]) {
      const mine = ((await who.get('/api/me/studio-bookings')).json().bookings as { id: string; priceFen: number; priceChanges: unknown[] }[]).find((b) => b.id === ids.ahead);
      expect(mine).toMatchObject({ priceFen: 48_000, priceChanges: expected });
    }
    // The base's calendar (its members, staff included); someone else sees only the slot.
    const from = encodeURIComponent(local('2026-11-28', '00:00'));
    const cal = (await staff.get(`/api/orgs/${base.orgId}/base/calendar?from=${from}&days=1`)).json();
    expect(cal.bookings.find((b: { id: string }) => b.id === ids.ahead)).toMatchObject({ priceFen: 48_000, priceChanges: expected });
    const outsider = (await otherBase.owner.get(`/api/bases/${base.orgId}/calendar?from=${from}&days=1`)).json();
    expect(outsider.bookings.find((b: { id: string }) => b.id === ids.ahead)).toEqual({ id: ids.ahead, studioId: base.studioId, startsAt: local('2026-11-28', '10:00'), endsAt: local('2026-11-28', '12:00'), status: 'booked', mine: false });
    // The base's price panel: its bookings not charged yet, and the changes.
    const panel = (await base.owner.get(`/api/orgs/${base.orgId}/base/booking-prices`)).json();
    expect(panel.bookings.map((b: { id: string }) => b.id).sort()).toEqual([ids.ahead, ids.ended, ids.late, ids.race].sort());
    expect(panel.bookings.find((b: { id: string }) => b.id === ids.ahead)).toMatchObject({ priceFen: 48_000, studioName: 'A1 美妆直播间', bookerName: expect.stringMatching(/^星火/), priceChanges: expected });
    expect(panel.changes).toEqual([expect.objectContaining({ bookingId: ids.ahead, oldPriceFen: 60_000, newPriceFen: 48_000, title: '星火专场', studioName: 'A1 美妆直播间', bookerName: expect.stringMatching(/^星火/) })]);
    expect((await otherBase.owner.get(`/api/orgs/${base.orgId}/base/booking-prices`)).errorCode).toBe('FORBIDDEN');
  });

  it('price: staff, another base’s owner, the booker, its streamer and an operator are FORBIDDEN; another base’s booking, or none, is not found', async () => {
    const body = { priceFen: 1_000, reason: '折扣' };
    for (const who of [staff, otherBase.owner, mcn.owner, mcn.streamer.client, op]) await refusedUnchanged(() => setPrice(who, ids.ahead, body), 403, 'FORBIDDEN');
    await refusedUnchanged(() => setPrice(otherBase.owner, ids.ahead, body, otherBase.orgId), 404, 'BOOKING_NOT_FOUND');
    await refusedUnchanged(() => setPrice(base.owner, 'no-such-booking', body), 404, 'BOOKING_NOT_FOUND');
  });

  it('price: a non-integer, negative, textual, missing or absurd price, and an empty reason: VALIDATION_FAILED', async () => {
    for (const priceFen of [1.5, -1, '100', null, 100_000_000_01, 1e20]) await refusedUnchanged(() => setPrice(base.owner, ids.ahead, { priceFen, reason: '折扣' }), 400, 'VALIDATION_FAILED');
    await refusedUnchanged(() => setPrice(base.owner, ids.ahead, { reason: '折扣' }), 400, 'VALIDATION_FAILED');
    for (const reason of ['', '   ']) await refusedUnchanged(() => setPrice(base.owner, ids.ahead, { priceFen: 1_000, reason }), 400, 'VALIDATION_FAILED');
    await refusedUnchanged(() => setPrice(base.owner, ids.ahead, { priceFen: 1_000 }), 400, 'VALIDATION_FAILED');
    await refusedUnchanged(() => setPrice(base.owner, ids.ahead, { priceFen: 1_000, reason: '折'.repeat(201) }), 400, 'VALIDATION_FAILED');
  });

  it('a late cancellation’s fee is reckoned from the changed price; a cancelled booking’s price cannot change (free or with a fee)', async () => {
    expect((await setPrice(base.owner, ids.late, { priceFen: 40_000, reason: '设备升级期间优惠' })).status).toBe(201);
    const cancelled = await mcn.owner.post(`/api/studio-bookings/${ids.late}/cancel`);
    expect(cancelled.json().booking).toMatchObject({ status: 'cancelled', priceFen: 40_000, cancelFeeFen: 20_000 });
    expect(await balance(`mcn:${mcn.orgId}`)).toBe(-20_000);
    for (const id of [ids.late, ids.free]) {
      const res = await refusedUnchanged(() => setPrice(base.owner, id, { priceFen: 0, reason: '免单' }), 409, 'BOOKING_STATE_CONFLICT');
      expect(res.json().error.message).toContain('cancelled');
    }
  });

  it('a charged booking’s price cannot change (a refund is the adjustment): BOOKING_ALREADY_CHARGED', async () => {
    server().clock.advance(Date.parse(local('2026-11-27', '13:00')) - server().clock.now().getTime());
    expect(await server().services.bases.fees.chargeDue()).toBe(1);
    await refusedUnchanged(() => setPrice(base.owner, ids.ended, { priceFen: 30_000, reason: '补折扣' }), 409, 'BOOKING_ALREADY_CHARGED');
    // The refund route takes it instead.
    const refund = await base.owner.post(`/api/orgs/${base.orgId}/base/bookings/${ids.ended}/refunds`, { amountFen: 30_000, reason: '补折扣' }, { 'idempotency-key': `price-${tag()}-${tag()}` });
    expect(refund.status, refund.body).toBe(201);
  });

  it('a price change racing the sweep: the booking is charged exactly what its price ends up being', async () => {
    // The race booking (18:00–19:00, 30 000) has ended; the sweep and a price change arrive at once.
    server().clock.advance(Date.parse(local('2026-11-27', '20:00')) - server().clock.now().getTime());
    const [swept, res] = await Promise.all([server().services.bases.fees.chargeDue(), setPrice(base.owner, ids.race, { priceFen: 12_000, reason: '临时停电补偿' })]);
    // On PostgreSQL a sweep that meets the change's row lock skips the row (skip locked): the next turn charges it.
    expect(swept + (await server().services.bases.fees.chargeDue())).toBe(1);
    expect([201, 409]).toContain(res.status);
    const { db } = server().database;
    const row = await db.selectFrom('studio_bookings').select(['price_fen', 'charged_at']).where('id', '=', ids.race).executeTakeFirstOrThrow();
    const postings = await db.selectFrom('ledger_postings as p').innerJoin('ledger_transfers as t', 't.id', 'p.transfer_id').select(['p.account_id', 'p.amount_fen']).where('t.key', '=', `studio-fee:${ids.race}`).execute();
    expect(row.charged_at).not.toBeNull();
    expect(postings.find((p) => p.account_id === `base:${base.orgId}`)?.amount_fen).toBe(Number(row.price_fen));
    const changes = await db.selectFrom('studio_booking_price_changes').select('new_price_fen').where('booking_id', '=', ids.race).execute();
    if (res.status === 201) expect([Number(row.price_fen), changes.length]).toEqual([12_000, 1]);
    else expect([res.errorCode, Number(row.price_fen), changes.length]).toEqual(['BOOKING_ALREADY_CHARGED', 30_000, 0]);
  });

  it('the sweep charges the changed price; the report counts it', async () => {
    const mcnBefore = await balance(`mcn:${mcn.orgId}`);
    server().clock.advance(Date.parse(local('2026-11-28', '13:00')) - server().clock.now().getTime());
    expect(await server().services.bases.fees.chargeDue()).toBe(1);
    expect(await balance(`mcn:${mcn.orgId}`)).toBe(mcnBefore - 48_000);
    const { db } = server().database;
    expect(await db.selectFrom('ledger_transfers').select('id').where('key', '=', `studio-fee:${ids.ahead}`).execute()).toHaveLength(1);
    await refusedUnchanged(() => setPrice(base.owner, ids.ahead, { priceFen: 1, reason: '再改' }), 409, 'BOOKING_ALREADY_CHARGED');
    const race = Number((await db.selectFrom('studio_bookings').select('price_fen').where('id', '=', ids.race).executeTakeFirstOrThrow()).price_fen);
    // Live bookings of November: ahead 48 000, ended 60 000, race; the late one's fee 20 000 of its changed 40 000.
    expect((await report('2026-11')).summary).toMatchObject({ bookings: 3, bookingRevenueFen: 48_000 + 60_000 + race, bookingToChargeFen: 0, cancelFeesFen: 20_000 });
    expect(await server().services.ledger.store.verify()).toMatchObject({ journalSum: 0, mismatches: [], unbalancedTransfers: [] });
  });

  it('maintenance: edited (times and note) and deleted by an admin; an overlap with a live booking or an end before the start is refused as adding one is', async () => {
    const added = await base.owner.post(`/api/orgs/${base.orgId}/studios/${base.studioId}/maintenance`, { startsAt: local('2026-12-01', '09:00'), endsAt: local('2026-12-01', '12:00'), reason: '灯光检修' });
    expect(added.status, added.body).toBe(201);
    const m = added.json().maintenance.id as string;
    const url = (mid = m, studioId = base.studioId, orgId = base.orgId) => `/api/orgs/${orgId}/studios/${studioId}/maintenance/${mid}`;
    const booked = await book(local('2026-12-02', '10:00'), local('2026-12-02', '12:00'));
    const times = (day: string, from: string, to: string, reason = '灯光检修') => ({ startsAt: local(day, from), endsAt: local(day, to), reason });

    // Adding over the booking is refused; so is editing onto it.
    await refusedUnchanged(() => base.owner.post(`/api/orgs/${base.orgId}/studios/${base.studioId}/maintenance`, times('2026-12-02', '11:00', '13:00')), 409, 'MAINTENANCE_OVERLAPS_BOOKING');
    await refusedUnchanged(() => admin.put(url(), times('2026-12-02', '11:00', '13:00')), 409, 'MAINTENANCE_OVERLAPS_BOOKING');
    await refusedUnchanged(() => admin.put(url(), times('2026-12-02', '08:00', '10:01')), 409, 'MAINTENANCE_OVERLAPS_BOOKING');
    for (const [from, to] of [['13:00', '12:00'], ['13:00', '13:00']] as const) await refusedUnchanged(() => admin.put(url(), times('2026-12-02', from, to)), 422, 'BOOKING_TIMES_INVALID');
    for (const body of [{ startsAt: 'tomorrow', endsAt: local('2026-12-02', '14:00') }, { startsAt: local('2026-12-02', '12:00') }, { ...times('2026-12-02', '12:00', '14:00'), reason: 'x'.repeat(201) }, { ...times('2026-12-02', '12:00', '14:00'), extra: 1 }]) {
      await refusedUnchanged(() => admin.put(url(), body), 400, 'VALIDATION_FAILED');
    }
    // Another base's period, another studio's, or none: not found; staff, another base, the booker, an operator: FORBIDDEN.
    await refusedUnchanged(() => otherBase.owner.put(url(m, otherBase.studioId, otherBase.orgId), times('2026-12-02', '12:00', '14:00')), 404, 'MAINTENANCE_NOT_FOUND');
    await refusedUnchanged(() => otherBase.owner.put(url(m, base.studioId, otherBase.orgId), times('2026-12-02', '12:00', '14:00')), 404, 'MAINTENANCE_NOT_FOUND');
    await refusedUnchanged(() => otherBase.owner.delete(url(m, otherBase.studioId, otherBase.orgId)), 404, 'MAINTENANCE_NOT_FOUND');
    await refusedUnchanged(() => admin.put(url(m, secondStudio), times('2026-12-02', '12:00', '14:00')), 404, 'MAINTENANCE_NOT_FOUND');
    await refusedUnchanged(() => admin.put(url('no-such-period'), times('2026-12-02', '12:00', '14:00')), 404, 'MAINTENANCE_NOT_FOUND');
    for (const who of [staff, otherBase.owner, mcn.owner, op]) {
      await refusedUnchanged(() => who.put(url(), times('2026-12-02', '12:00', '14:00')), 403, 'FORBIDDEN');
      await refusedUnchanged(() => who.delete(url()), 403, 'FORBIDDEN');
    }

    // Right after the booking (half-open intervals): accepted, with a new note.
    const edited = await admin.put(url(), times('2026-12-02', '12:00', '14:00', '  更换绿幕 '));
    expect(edited.status, edited.body).toBe(200);
    expect(edited.json().maintenance).toEqual({ id: m, studioId: base.studioId, startsAt: local('2026-12-02', '12:00'), endsAt: local('2026-12-02', '14:00'), reason: '更换绿幕' });
    const listed = (await staff.get(`/api/orgs/${base.orgId}/base/maintenance`)).json().maintenance;
    expect(listed).toEqual([{ id: m, studioId: base.studioId, studioName: 'A1 美妆直播间', startsAt: local('2026-12-02', '12:00'), endsAt: local('2026-12-02', '14:00'), reason: '更换绿幕' }]);
    const cal = (await base.owner.get(`/api/orgs/${base.orgId}/base/calendar?from=${encodeURIComponent(local('2026-12-01', '00:00'))}&days=2`)).json();
    expect(cal.maintenance).toEqual([{ id: m, studioId: base.studioId, startsAt: local('2026-12-02', '12:00'), endsAt: local('2026-12-02', '14:00'), reason: '更换绿幕' }]);
    // The new period blocks bookings; the old one no longer does.
    const during = await mcn.owner.post(`/api/bases/${base.orgId}/studios/${base.studioId}/bookings`, { startsAt: local('2026-12-02', '13:00'), endsAt: local('2026-12-02', '15:00'), orgId: mcn.orgId });
    expect(during.errorCode).toBe('BOOKING_DURING_MAINTENANCE');
    await book(local('2026-12-01', '09:00'), local('2026-12-01', '10:00'));

    // Deleted: gone from the list and the calendar; the slot can be booked; a second delete is not found.
    const removed = await admin.delete(url());
    expect(removed.status, removed.body).toBe(204);
    expect((await base.owner.get(`/api/orgs/${base.orgId}/base/maintenance`)).json().maintenance).toEqual([]);
    await book(local('2026-12-02', '13:00'), local('2026-12-02', '15:00'));
    await refusedUnchanged(() => admin.delete(url()), 404, 'MAINTENANCE_NOT_FOUND');
    expect(booked).toBeTruthy();
  });

  it('events: edited and deleted by an admin with the rules of adding one; another base’s event is not found; the monthly report follows', async () => {
    const add = async (title: string, heldAt: string, attendees: number) => {
      const res = await base.owner.post(`/api/orgs/${base.orgId}/base/events`, { title, heldAt, attendees });
      expect(res.status, res.body).toBe(201);
      return res.json().event.id as string;
    };
    const nov = await add('品牌招商会', local('2026-11-20', '14:00'), 120);
    const oct = await add('主播培训日', local('2026-10-10', '14:00'), 60);
    expect((await report('2026-11')).summary).toMatchObject({ events: 1, eventsYear: 2 });
    expect((await report('2026-10')).summary).toMatchObject({ events: 1, eventsYear: 1 });
    const url = (id: string, orgId = base.orgId) => `/api/orgs/${orgId}/base/events/${id}`;

    // The same validations as adding one.
    for (const body of [{ title: '', heldAt: local('2026-11-20', '14:00') }, { title: '   ', heldAt: local('2026-11-20', '14:00') }, { title: '招商会', heldAt: '2026-11-20' }, { title: '招商会' }, { title: '招商会', heldAt: local('2026-11-20', '14:00'), attendees: -1 }, { title: '招商会', heldAt: local('2026-11-20', '14:00'), attendees: 1.5 }, { title: 'x'.repeat(81), heldAt: local('2026-11-20', '14:00') }]) {
      await refusedUnchanged(() => admin.put(url(nov), body), 400, 'VALIDATION_FAILED');
      await refusedUnchanged(() => base.owner.post(`/api/orgs/${base.orgId}/base/events`, body), 400, 'VALIDATION_FAILED');
    }
    // Another base's event, or none: not found; staff, another base, an MCN, an operator: FORBIDDEN.
    const theirs = (await otherBase.owner.post(`/api/orgs/${otherBase.orgId}/base/events`, { title: '他们的活动', heldAt: local('2026-11-21', '14:00') })).json().event.id as string;
    await refusedUnchanged(() => otherBase.owner.put(url(nov, otherBase.orgId), { title: '改名', heldAt: local('2026-11-20', '14:00') }), 404, 'BASE_EVENT_NOT_FOUND');
    await refusedUnchanged(() => otherBase.owner.delete(url(nov, otherBase.orgId)), 404, 'BASE_EVENT_NOT_FOUND');
    await refusedUnchanged(() => admin.put(url(theirs), { title: '改名', heldAt: local('2026-11-20', '14:00') }), 404, 'BASE_EVENT_NOT_FOUND');
    await refusedUnchanged(() => admin.delete(url(theirs)), 404, 'BASE_EVENT_NOT_FOUND');
    await refusedUnchanged(() => admin.put(url('no-such-event'), { title: '改名', heldAt: local('2026-11-20', '14:00') }), 404, 'BASE_EVENT_NOT_FOUND');
    for (const who of [staff, otherBase.owner, mcn.owner, op]) {
      await refusedUnchanged(() => who.put(url(nov), { title: '改名', heldAt: local('2026-11-20', '14:00') }), 403, 'FORBIDDEN');
      await refusedUnchanged(() => who.delete(url(nov)), 403, 'FORBIDDEN');
    }

    // Moved to October with a new title: November has none, October two, the year still two.
    const edited = await admin.put(url(nov), { title: '  双十一品牌招商会 ', heldAt: '2026-10-28T15:00:00+08:00', attendees: 150 });
    expect(edited.status, edited.body).toBe(200);
    expect(edited.json().event).toEqual({ id: nov, title: '双十一品牌招商会', heldAt: local('2026-10-28', '15:00'), attendees: 150 });
    const november = await report('2026-11');
    expect(november.summary).toMatchObject({ events: 0, eventsYear: 2 });
    const october = await report('2026-10');
    expect(october.summary).toMatchObject({ events: 2, eventsYear: 2 });
    expect(october.events).toEqual([
      { id: oct, title: '主播培训日', heldAt: local('2026-10-10', '14:00'), attendees: 60 },
      { id: nov, title: '双十一品牌招商会', heldAt: local('2026-10-28', '15:00'), attendees: 150 },
    ]);
    // The programme check reads the same counts.
    expect((await base.owner.get(`/api/orgs/${base.orgId}/base/programme-check?month=2026-10`)).json().summary).toMatchObject({ events: 2, eventsYear: 2 });

    // Deleted: the report drops it; a second delete is not found.
    const removed = await admin.delete(url(oct));
    expect(removed.status, removed.body).toBe(204);
    expect((await report('2026-10')).summary).toMatchObject({ events: 1, eventsYear: 1 });
    expect((await report('2026-11')).summary).toMatchObject({ events: 0, eventsYear: 1 });
    await refusedUnchanged(() => admin.delete(url(oct)), 404, 'BASE_EVENT_NOT_FOUND');
    const csv = (await base.owner.get(`/api/orgs/${base.orgId}/base/report?month=2026-10&format=csv`)).body;
    expect(csv).toContain('本月活动,1');
  });
});

describeEachDatabase(
  'bases edits demo',
  ({ server }) => {
    it('the demo base gave 玉兰凝肌 a discount on a booking ahead: the base and the brand see the change', async () => {
      // Seeded after the test server is ready; `npm start` seeds before, and the sweep at start charges what has ended.
      await server().services.bases.fees.chargeDue();
      const client = server().client();
      await client.login(DEMO_ACCOUNTS.base.login, DEMO_PASSWORD);
      const orgId = (await client.get('/api/me/orgs')).json().memberships.find((m: { org: { kind: string } }) => m.org.kind === 'base').org.id;
      const panel = (await client.get(`/api/orgs/${orgId}/base/booking-prices`)).json();
      expect(panel.changes).toEqual([expect.objectContaining({ reason: '长期合作品牌，本场租用费九折', bookerName: '玉兰凝肌', changedByName: DEMO_ACCOUNTS.base.name })]);
      const change = panel.changes[0];
      expect(change.newPriceFen).toBe(Math.round(change.oldPriceFen * 0.9));
      expect(panel.bookings.find((b: { id: string }) => b.id === change.bookingId)).toMatchObject({ priceFen: change.newPriceFen, chargedAt: null });

      const brand = server().client();
      await brand.login(DEMO_ACCOUNTS.beautyBrand.login, DEMO_PASSWORD);
      const mine = ((await brand.get('/api/me/studio-bookings')).json().bookings as { id: string; priceFen: number; priceChanges: { reason: string }[] }[]).find((b) => b.id === change.bookingId);
      expect(mine).toMatchObject({ priceFen: change.newPriceFen, priceChanges: [expect.objectContaining({ reason: '长期合作品牌，本场租用费九折', oldPriceFen: change.oldPriceFen })] });
    });
  },
  { demo: true, timeoutMs: 120_000 },
);
