// What follows a live a brand schedules from its own studio booking (docs/BASES.md, "Lives from a booking"): an
// audit-log row naming who scheduled it and the live; a site notification to the streamer it picked (zh-CN, or English
// for an English user), linking to the session's page in their console; and the booking in the streamer's own list
// (GET /api/me/studio-bookings), marked `arranged` and read-only to them. A refused attempt writes neither; a streamer
// scheduling their own live gets no notification. On SQLite and PostgreSQL.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import type { NotificationTables } from '../server/notifications/index.ts';
import { beijing as local, brandBookings, brandWithStreamers, type BaseFixture } from './helpers/bases.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import type { TestClient, TestResponse } from './helpers/server.ts';
import type { Brand } from './helpers/shop.ts';

type Person = { client: TestClient; id: string };
type MyBooking = { id: string; arranged?: boolean; mine: boolean; bookerName: string | null; lives: { id: string; title: string; status: string; streamerId: string }[] };

function refused(res: TestResponse, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.errorCode).toBe(code);
}

describeEachDatabase('what follows a live a brand schedules from its booking', ({ server, dialect }) => {
  let base: BaseFixture;
  let b: Brand;
  /** The brand's 运营 (role staff), its member streamer (English), a streamer with an approved 带货申请, and a stranger. */
  let staff: Person;
  let member: Person;
  let partner: Person;
  let outsider: Person;
  const { bookFor, schedule } = brandBookings(() => ({ base, brand: b, staff, member, partner, outsider }));
  const audits = () => server().database.db.selectFrom('audit_log').select(['actor_id', 'action', 'target_type', 'target_id', 'detail']).where('action', '=', 'bases.booking_live.create').orderBy('id').execute();
  const notices = () => server().database.db.withTables<NotificationTables>().selectFrom('notifications').select(['user_id', 'kind', 'title', 'body', 'link', 'channels']).where('kind', '=', 'bases.booking_live').orderBy('id').execute();
  const centre = async (who: Person) => {
    await server().services.notifications.sweep();
    const res = await who.client.get('/api/notifications');
    expect(res.status, res.body).toBe(200);
    return (res.json().items as { kind: string; title: string; body: string; link: string }[]).filter((n) => n.kind === 'bases.booking_live');
  };
  const myBookings = async (who: Person) => {
    const res = await who.client.get('/api/me/studio-bookings');
    expect(res.status, res.body).toBe(200);
    return res.json().bookings as MyBooking[];
  };

  it('sets up a base, a brand, its staff and the streamers around it', async () => {
    ({ base, brand: b, staff, member, partner, outsider } = await brandWithStreamers(server()));
    await server().database.db.updateTable('users').set({ locale: 'en' }).where('id', '=', member.id).execute();
  });

  it('audits the brand’s act and tells the streamer it picked, in Chinese, linking to her session page; nobody else hears of it', async () => {
    const booking = await bookFor();
    const res = await schedule(staff.client, booking.id, { streamerId: partner.id, title: '新品蝴蝶酥试吃' });
    expect(res.status, res.body).toBe(201);
    const session = res.json().session as { id: string };

    const rows = await audits();
    expect(rows).toHaveLength(1);
    expect({ ...rows[0], detail: JSON.parse(rows[0]!.detail) }).toEqual({
      actor_id: staff.id,
      action: 'bases.booking_live.create',
      target_type: 'live_session',
      target_id: session.id,
      detail: { bookingId: booking.id, brandOrgId: b.orgId, streamerId: partner.id },
    });

    const mine = await centre(partner);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.link).toBe(`/streamer/sessions/${session.id}`);
    expect(mine[0]!.title).toBe(`${b.name} 为你安排了直播「新品蝴蝶酥试吃」`);
    // 19:00 Beijing time on the booking's day, in the base's studio.
    expect(mine[0]!.body).toContain('19:00');
    expect(mine[0]!.body).toContain('北京时间');
    expect(mine[0]!.body).toContain('A1 美妆直播间');
    expect(mine[0]!.body).toContain('虹桥基地');
    // The link opens: the session is hers, with its push details.
    const page = await partner.client.get(`/api/streamer/live-sessions/${session.id}`);
    expect(page.status, page.body).toBe(200);
    // Only she is told: not the staff who scheduled it, not the brand's member streamer, not a stranger.
    for (const other of [staff, member, outsider]) expect(await centre(other)).toEqual([]);
    expect((await notices()).map((n) => [n.user_id, n.channels])).toEqual([[partner.id, 'site']]);
  });

  it('an English streamer is told in English', async () => {
    const booking = await bookFor(member.id);
    const res = await schedule(b.owner, booking.id, { title: 'Autumn launch' });
    expect(res.status, res.body).toBe(201);
    const told = await centre(member);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ title: `${b.name} scheduled a live for you: Autumn launch`, link: `/streamer/sessions/${res.json().session.id}` });
    expect(told[0]!.body).toMatch(/19:00 \(Beijing time\), in studio A1 美妆直播间 at 虹桥基地/);
    expect((await audits()).at(-1)).toMatchObject({ target_id: res.json().session.id, target_type: 'live_session' });
  });

  it('a refused attempt writes no audit row and no notification; the streamer scheduling her own live is not notified', async () => {
    const booking = await bookFor();
    const audited = (await audits()).length;
    const told = (await notices()).length;
    refused(await schedule(staff.client, booking.id, { streamerId: outsider.id }), 403, 'LIVE_BRAND_NOT_PARTNER');
    refused(await schedule(outsider.client, booking.id, { streamerId: partner.id }), 403, 'BOOKING_NOT_YOURS');
    refused(await schedule(staff.client, booking.id, { streamerId: partner.id, scheduledAt: local(booking.startsAt.slice(0, 10), '22:30') }), 422, 'BOOKING_LIVE_OUTSIDE');
    refused(await schedule(staff.client, booking.id, {}), 422, 'BOOKING_LIVE_STREAMER_REQUIRED');
    expect((await audits()).length).toBe(audited);
    expect((await notices()).length).toBe(told);

    // The booking's streamer schedules her own live: hers, not the brand's act.
    const own = await bookFor(member.id);
    const res = await schedule(member.client, own.id, { brandOrgId: b.orgId });
    expect(res.status, res.body).toBe(201);
    expect((await audits()).length).toBe(audited);
    expect((await notices()).length).toBe(told);
  });

  it('the audit row and the notice are stored with the live: when the notice cannot be written, nothing is stored, and a retry stores one of each', async () => {
    const booking = await bookFor();
    const { db } = server().database;
    const lives = () => db.selectFrom('studio_booking_lives').select('session_id').where('booking_id', '=', booking.id).execute();
    const sessions = () => db.selectFrom('live_sessions').select('id').where('title', '=', '断电重试专场').execute();
    const audited = (await audits()).length;
    const told = (await notices()).length;
    // The database refuses this one notice, as a full disk or a lost connection would at that moment.
    if (dialect === 'postgres') {
      await sql`create function refuse_booking_notice() returns trigger language plpgsql as $$ begin raise exception 'notice refused'; end $$`.execute(db);
      await sql`create trigger refuse_booking_notice before insert on notifications for each row when (new.kind = 'bases.booking_live') execute function refuse_booking_notice()`.execute(db);
    } else {
      await sql`create trigger refuse_booking_notice before insert on notifications when new.kind = 'bases.booking_live' begin select raise(abort, 'notice refused'); end`.execute(db);
    }
    try {
      const res = await schedule(staff.client, booking.id, { streamerId: partner.id, title: '断电重试专场' });
      expect(res.status, res.body).toBe(500);
      expect(await sessions()).toEqual([]);
      expect(await lives()).toEqual([]);
      expect((await audits()).length).toBe(audited);
      expect((await notices()).length).toBe(told);
    } finally {
      await sql`drop trigger refuse_booking_notice${sql.raw(dialect === 'postgres' ? ' on notifications' : '')}`.execute(db);
      if (dialect === 'postgres') await sql`drop function refuse_booking_notice()`.execute(db);
    }
    // The booker retries: one live, one link, one audit row, one notice.
    const res = await schedule(staff.client, booking.id, { streamerId: partner.id, title: '断电重试专场' });
    expect(res.status, res.body).toBe(201);
    expect((await sessions()).map((r) => r.id)).toEqual([res.json().session.id]);
    expect((await lives()).map((r) => r.session_id)).toEqual([res.json().session.id]);
    expect((await audits()).length).toBe(audited + 1);
    expect((await notices()).length).toBe(told + 1);
  });

  it('the picked streamer finds the brand’s booking in her own list, arranged by the brand and read-only to her', async () => {
    // A booking the brand made for its member: the brand schedules one live for her, one for its partner.
    const booking = await bookFor(member.id);
    const forMember = await schedule(staff.client, booking.id, {});
    expect(forMember.status, forMember.body).toBe(201);
    const forPartner = await schedule(staff.client, booking.id, { streamerId: partner.id, scheduledAt: local(booking.startsAt.slice(0, 10), '20:30') });
    expect(forPartner.status, forPartner.body).toBe(201);
    const partnerLive = forPartner.json().session.id as string;

    const listed = (await myBookings(partner)).find((x) => x.id === booking.id);
    expect(listed).toMatchObject({ arranged: true, mine: false, bookerName: b.name, bookerOrgId: b.orgId, streamerId: member.id });
    // Only her own live in it, which she can open.
    expect(listed!.lives.map((l) => [l.id, l.streamerId])).toEqual([[partnerLive, partner.id]]);
    // The booking's own streamer sees both lives, and it is not `arranged` for her.
    const theirs = (await myBookings(member)).find((x) => x.id === booking.id);
    expect(theirs).toMatchObject({ arranged: false, mine: true });
    expect(theirs!.lives.map((l) => l.id).sort()).toEqual([forMember.json().session.id, partnerLive].sort());
    // A stranger does not see it.
    expect((await myBookings(outsider)).some((x) => x.id === booking.id)).toBe(false);

    // Read-only: she may neither cancel the brand's booking nor schedule from it; nothing changes.
    const stored = () => server().database.db.selectFrom('studio_bookings').select(['status', 'cancel_fee_fen', 'cancelled_at']).where('id', '=', booking.id).executeTakeFirstOrThrow();
    const before = await stored();
    refused(await partner.client.post(`/api/studio-bookings/${booking.id}/cancel`), 403, 'BOOKING_NOT_YOURS');
    refused(await schedule(partner.client, booking.id, {}), 403, 'BOOKING_NOT_YOURS');
    expect(await stored()).toEqual(before);
    expect(before.status).toBe('booked');
  });
}, { env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } });

describeEachDatabase(
  'the demo’s live arranged by a brand',
  ({ server }) => {
    it('小林说吃 has 德兴斋’s booking in her list, marked arranged, and the notice of its live; the audit log has the row', async () => {
      const client = server().client();
      await client.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
      const bookings = (await client.get('/api/me/studio-bookings')).json().bookings as (MyBooking & { status: string; endsAt: string; studioName: string })[];
      const arranged = bookings.filter((x) => x.arranged);
      expect(arranged).toHaveLength(1);
      expect(arranged[0]).toMatchObject({ bookerName: '德兴斋', status: 'booked', streamerId: null, studioName: 'B2 食品厨房直播间' });
      expect(Date.parse(arranged[0]!.endsAt)).toBeGreaterThan(server().clock.now().getTime());
      expect(arranged[0]!.lives).toHaveLength(1);
      const live = arranged[0]!.lives[0]!;
      expect(live).toMatchObject({ title: '老字号鲜肉月饼现烤直播：新品首发', status: 'scheduled' });
      await server().services.notifications.sweep();
      const items = (await client.get('/api/notifications')).json().items as { kind: string; title: string; link: string }[];
      expect(items.filter((n) => n.kind === 'bases.booking_live')).toEqual([expect.objectContaining({ title: '德兴斋 为你安排了直播「老字号鲜肉月饼现烤直播：新品首发」', link: `/streamer/sessions/${live.id}` })]);
      const audit = await server().database.db.selectFrom('audit_log').select(['target_id', 'detail']).where('action', '=', 'bases.booking_live.create').execute();
      expect(audit.map((a) => [a.target_id, JSON.parse(a.detail).bookingId])).toEqual([[live.id, arranged[0]!.id]]);
    });
  },
  { demo: true, timeoutMs: 120_000 },
);
