// A live names a brand only with that brand's say (server/live/brands.ts, docs/API.md "Live video"): the
// streamer is a member of the brand in a role that streams for it, or holds an approved cooperation
// application (带货申请) with it, or the brand arranged the live (a studio booking it made). Otherwise
// LIVE_BRAND_NOT_PARTNER, on create and on update, through the streamer's, the MCN's and the booking's
// routes, with nothing stored. On SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import { ERRORS } from '../server/platform/errors.ts';
import { baseWithStudio, mcnWithStreamer } from './helpers/bases.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { joinOrg, operator, streamer } from './helpers/people.ts';
import type { TestClient, TestResponse, TestServer } from './helpers/server.ts';
import { approvedBrand as brand, tag, type Brand } from './helpers/shop.ts';


function refused(res: TestResponse, locale: 'zh-CN' | 'en' = 'zh-CN') {
  expect(res.status, res.body).toBe(403);
  expect(res.errorCode).toBe('LIVE_BRAND_NOT_PARTNER');
  expect(res.json().error.message).toBe(ERRORS.LIVE_BRAND_NOT_PARTNER[locale]);
}

describeEachDatabase('a live names a brand only with its say', ({ server }) => {
  const inHours = (h: number) => new Date(server().clock.now().getTime() + h * 3_600_000).toISOString();
  const livesOf = (streamerId: string) => server().database.db.selectFrom('live_sessions').select(['id', 'title', 'brand_org_id']).where('streamer_id', '=', streamerId).orderBy('created_at').orderBy('id').execute();
  const create = (s: { client: TestClient }, title: string, brandOrgId?: string) => s.client.post('/api/streamer/live-sessions', { title, scheduledAt: inHours(1), ...(brandOrgId && { brandOrgId }) });
  const namable = async (s: { client: TestClient }) => (await s.client.get('/api/streamer/live-brands')).json().brands as { id: string; name: string; via: string }[];
  const setLocale = async (s: { client: TestClient }, locale: 'zh-CN' | 'en') => expect((await s.client.patch('/api/me', { locale })).status).toBe(200);

  it('refuses a streamer with no tie to the brand on create and on update, in both languages, storing nothing', async () => {
    const b = await brand(server());
    const s = await streamer(server());
    expect(await namable(s)).toEqual([]);

    // Create: refused, and no live is stored.
    refused(await create(s, '蹭品牌的直播', b.orgId));
    await setLocale(s, 'en');
    refused(await create(s, 'Riding on a brand', b.orgId), 'en');
    expect(await livesOf(s.id)).toEqual([]);
    // A brand that does not exist (or is not approved) is still LIVE_BRAND_INVALID.
    expect((await create(s, 'No such brand', 'nope')).errorCode).toBe('LIVE_BRAND_INVALID');

    // Update: a live of hers without a brand cannot be given one; the patch changes nothing, not even its title.
    const own = await create(s, '我的日常直播');
    expect(own.status, own.body).toBe(201);
    const id = own.json().session.id as string;
    refused(await s.client.patch(`/api/streamer/live-sessions/${id}`, { title: 'Renamed', brandOrgId: b.orgId }), 'en');
    await setLocale(s, 'zh-CN');
    refused(await s.client.patch(`/api/streamer/live-sessions/${id}`, { title: '改名', brandOrgId: b.orgId }));
    expect(await livesOf(s.id)).toEqual([{ id, title: '我的日常直播', brand_org_id: null }]);
    // The brand's console does not list it.
    const brandLives = await b.owner.get(`/api/orgs/${b.orgId}/lives`);
    expect(brandLives.status).toBe(200);
    expect(brandLives.json().lives).toEqual([]);
  });

  it('accepts the brand’s members who stream for it (streamer, staff, admin), not its store staff', async () => {
    const b = await brand(server());
    // Added by the brand's owner through its console, with the role streamer.
    const member = await streamer(server());
    const { phone } = await server().database.db.selectFrom('users').select('phone').where('id', '=', member.id).executeTakeFirstOrThrow();
    expect((await b.owner.post(`/api/orgs/${b.orgId}/members`, { login: phone, role: 'streamer' })).status).toBe(201);
    expect(await namable(member)).toEqual([{ id: b.orgId, name: b.name, via: 'member' }]);
    const made = await create(member, '品牌自播：新品首发', b.orgId);
    expect(made.status, made.body).toBe(201);
    expect(made.json().session.brand).toEqual({ id: b.orgId, name: b.name });

    for (const role of ['staff', 'admin'] as const) {
      const s = await streamer(server());
      await joinOrg(server(), b.orgId, s.id, role);
      expect((await create(s, `品牌${role}开播`, b.orgId)).status).toBe(201);
    }
    const storeStaff = await streamer(server());
    await joinOrg(server(), b.orgId, storeStaff.id, 'store_staff');
    expect(await namable(storeStaff)).toEqual([]);
    refused(await create(storeStaff, '门店店员开播', b.orgId));
    expect(await livesOf(storeStaff.id)).toEqual([]);
  });

  it('accepts an approved 带货申请 with the brand; not a pending one, not once revoked (its lives keep the brand)', async () => {
    const b = await brand(server());
    const other = await brand(server());
    const s = await streamer(server());
    const offer = await b.owner.post(`/api/orgs/${b.orgId}/offers`, { productId: b.productId, commissionBps: 2000 });
    expect(offer.status, offer.body).toBe(201);
    const applied = await s.client.post(`/api/offers/${offer.json().offer.id}/applications`, { message: '想带货' });
    expect(applied.status, applied.body).toBe(201);
    const applicationId = applied.json().application.id as string;

    refused(await create(s, '申请还没通过', b.orgId));
    expect((await b.owner.post(`/api/orgs/${b.orgId}/applications/${applicationId}/approve`, {})).status).toBe(200);
    expect(await namable(s)).toEqual([{ id: b.orgId, name: b.name, via: 'cooperation' }]);
    const made = await create(s, '带货专场', b.orgId);
    expect(made.status, made.body).toBe(201);
    const id = made.json().session.id as string;
    // An approval with one brand is no say for another.
    refused(await create(s, '另一个品牌', other.orgId));
    refused(await s.client.patch(`/api/streamer/live-sessions/${id}`, { brandOrgId: other.orgId }));

    // Revoked: no new live may name it; the live that does keeps it, and may still be edited (its brand unchanged, or removed).
    expect((await b.owner.post(`/api/orgs/${b.orgId}/applications/${applicationId}/revoke`, { reason: '暂停合作' })).status).toBe(200);
    expect(await namable(s)).toEqual([]);
    refused(await create(s, '撤销之后', b.orgId));
    const kept = await s.client.patch(`/api/streamer/live-sessions/${id}`, { title: '带货专场（改期）', brandOrgId: b.orgId });
    expect(kept.status, kept.body).toBe(200);
    expect(kept.json().session.brand).toEqual({ id: b.orgId, name: b.name });
    const removed = await s.client.patch(`/api/streamer/live-sessions/${id}`, { brandOrgId: null });
    expect(removed.json().session.brand).toBeNull();
    refused(await s.client.patch(`/api/streamer/live-sessions/${id}`, { brandOrgId: b.orgId }));
    expect((await livesOf(s.id)).map((l) => [l.title, l.brand_org_id])).toEqual([['带货专场（改期）', null]]);
  });

  it('accepts a live from a studio booking the brand made for the streamer, naming that brand only', async () => {
    const base = await baseWithStudio(server());
    const b = await brand(server());
    const other = await brand(server());
    const s = await streamer(server());
    const day = new Date(server().clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
    const booked = await b.owner.post(`/api/bases/${base.orgId}/studios/${base.studioId}/bookings`, { startsAt: `${day}T11:00:00.000Z`, endsAt: `${day}T13:00:00.000Z`, title: '品牌包场', orgId: b.orgId, streamerId: s.id });
    expect(booked.status, booked.body).toBe(201);
    const bookingId = booked.json().booking.id as string;
    const links = () => server().database.db.selectFrom('studio_booking_lives').select('session_id').where('booking_id', '=', bookingId).execute();

    // Another brand than the booker: refused, nothing stored or linked.
    refused(await s.client.post(`/api/studio-bookings/${bookingId}/live-sessions`, { title: '借场蹭品牌', brandOrgId: other.orgId }));
    expect(await livesOf(s.id)).toEqual([]);
    expect(await links()).toEqual([]);
    // The booker brand: scheduled, linked, named.
    const live = await s.client.post(`/api/studio-bookings/${bookingId}/live-sessions`, { title: '品牌包场直播', brandOrgId: b.orgId });
    expect(live.status, live.body).toBe(201);
    expect(live.json().session.brand).toEqual({ id: b.orgId, name: b.name });
    expect(await links()).toEqual([{ session_id: live.json().session.id }]);
    // The booking is no standing tie: outside it the streamer still may not name the brand.
    refused(await create(s, '包场之外', b.orgId));

    // Her own booking (no organisation) is no brand's say.
    const own = await s.client.post(`/api/bases/${base.orgId}/studios/${base.studioId}/bookings`, { startsAt: `${day}T05:00:00.000Z`, endsAt: `${day}T06:00:00.000Z`, title: '个人专场' });
    expect(own.status, own.body).toBe(201);
    refused(await s.client.post(`/api/studio-bookings/${own.json().booking.id}/live-sessions`, { title: '自己订的场', brandOrgId: b.orgId }));
    expect((await livesOf(s.id)).map((l) => l.title)).toEqual(['品牌包场直播']);
  });

  it('holds for an MCN scheduling for its streamer, whose picker lists the brands she may name', async () => {
    const m = await mcnWithStreamer(server());
    const b = await brand(server());
    const schedule = (brandOrgId?: string) => m.owner.post(`/api/orgs/${m.orgId}/streamers/${m.streamer.id}/live-sessions`, { title: '机构代排', scheduledAt: inHours(3), ...(brandOrgId && { brandOrgId }) });
    const picker = async () => (await m.owner.get(`/api/orgs/${m.orgId}/streamers/${m.streamer.id}/live-brands`)).json().brands as { id: string }[];

    expect(await picker()).toEqual([]);
    refused(await schedule(b.orgId));
    expect(await livesOf(m.streamer.id)).toEqual([]);
    await joinOrg(server(), b.orgId, m.streamer.id);
    expect((await picker()).map((x) => x.id)).toEqual([b.orgId]);
    const made = await schedule(b.orgId);
    expect(made.status, made.body).toBe(201);
    expect(made.json().session.brand).toEqual({ id: b.orgId, name: b.name });
    // Another MCN's owner cannot read her list: it has no contract with her.
    const stranger = await mcnWithStreamer(server());
    expect((await stranger.owner.get(`/api/orgs/${stranger.orgId}/streamers/${m.streamer.id}/live-brands`)).errorCode).toBe('CONTRACT_NOT_FOUND');
  });
}, { env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } });
