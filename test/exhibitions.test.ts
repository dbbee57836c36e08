// 直播+会展 (docs/EXHIBITIONS.md), on SQLite and PostgreSQL: an exhibition with halls and booths, each
// booth's live schedule (only the exhibitor's own lives), the page's "live now" and "next", follows,
// and inquiries kept only with consent and shown in the exhibitor's console only.
import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/each-database.ts';
import { joinOrg, operator, streamer } from './helpers/people.ts';
import type { TestClient, TestServer } from './helpers/server.ts';
import { newBuyer, tag } from './helpers/shop.ts';

async function exhibitor(server: TestServer, name: string) {
  const owner = server.client();
  await owner.register(`exhibitor-${tag()}@example.com`);
  const org = (await owner.post('/api/orgs', { kind: 'brand', name: `${name}${tag()}`, licenceName: name, licenceNo: '91350100M000100Y43' })).json().org;
  return { owner, orgId: org.id as string };
}

async function sessionOf(server: TestServer, host: { client: TestClient }, orgId: string, title: string, inMinutes: number) {
  const res = await host.client.post('/api/streamer/live-sessions', { title, scheduledAt: new Date(server.clock.now().getTime() + inMinutes * 60_000).toISOString(), brandOrgId: orgId });
  expect(res.status).toBe(201);
  return res.json().session.id as string;
}

describeEachDatabase('exhibitions', ({ server }) => {
  let op: TestClient;
  let exhibitionId = '';
  let halls: { id: string; name: string }[] = [];
  let a: Awaited<ReturnType<typeof exhibitor>>;
  let b: Awaited<ReturnType<typeof exhibitor>>;
  let boothA = '';
  let boothB = '';

  it('creates an exhibition with halls, and gives booths only to approved brands, one per number', async () => {
    op = (await operator(server())).client;
    const bad = await op.post('/api/admin/exhibitions', { name: '第十届中国国际进口博览会', shortName: '进博会', city: '上海', venue: '国家会展中心（上海）', startsOn: '2027-11-10', endsOn: '2027-11-05', halls: ['1.1 号馆'] });
    expect(bad.json().error.code).toBe('EXHIBITION_DATES_INVALID');
    const created = await op.post('/api/admin/exhibitions', { name: '第十届中国国际进口博览会', shortName: '进博会', city: '上海', venue: '国家会展中心（上海）', startsOn: '2027-11-05', endsOn: '2027-11-10', halls: ['1.1 号馆 食品及农产品', '4.1 号馆 消费品'] });
    expect(created.status).toBe(201);
    exhibitionId = created.json().exhibition.id;
    halls = created.json().exhibition.halls;
    a = await exhibitor(server(), '新西兰乳业');
    b = await exhibitor(server(), '法国酒庄');
    const booth = (org: string, boothNo: string, hall = halls[0]!.id) => op.post(`/api/admin/exhibitions/${exhibitionId}/booths`, { hallId: hall, boothNo, exhibitorOrgId: org, name: '展台', intro: '进口好物' });
    expect((await booth(a.orgId, '1.1A-01')).json().error.code).toBe('EXHIBITION_EXHIBITOR_INVALID'); // not yet approved
    for (const org of [a, b]) await op.post(`/api/admin/orgs/${org.orgId}/review`, { decision: 'approve' });
    const first = await booth(a.orgId, '1.1A-01');
    expect(first.status).toBe(201);
    boothA = first.json().booth.id;
    expect((await booth(b.orgId, '1.1A-01')).json().error.code).toBe('EXHIBITION_BOOTH_TAKEN');
    boothB = (await booth(b.orgId, '4.1B-12', halls[1]!.id)).json().booth.id;
    expect((await a.owner.post(`/api/admin/exhibitions/${exhibitionId}/booths`, { hallId: halls[0]!.id, boothNo: 'X', exhibitorOrgId: a.orgId, name: 'x' })).status).toBe(403);
  });

  it('lists what is live now and what is next, from the booths’ schedules of the exhibitors’ own lives', async () => {
    const host = await streamer(server());
    // A streamer who streams for both exhibitors: a live names a brand only with its say (server/live/brands.ts).
    for (const org of [a, b]) await joinOrg(server(), org.orgId, host.id);
    const soon = await sessionOf(server(), host, a.orgId, '新西兰牧场直连：A2 奶粉', 30);
    const later = await sessionOf(server(), host, b.orgId, '波尔多列级庄品鉴', 120);
    const onAir = await sessionOf(server(), host, b.orgId, '勃艮第现场开箱', 5);
    // Another exhibitor's live cannot be put on a booth's schedule.
    const refused = await a.owner.put(`/api/orgs/${a.orgId}/exhibitions/booths/${boothA}/lives`, { sessionIds: [soon, later] });
    expect(refused.status).toBe(404);
    expect(refused.json().error.code).toBe('EXHIBITION_SESSION_NOT_YOURS');
    expect((await a.owner.put(`/api/orgs/${a.orgId}/exhibitions/booths/${boothB}/lives`, { sessionIds: [soon] })).json().error.code).toBe('EXHIBITION_BOOTH_NOT_FOUND');
    expect((await a.owner.put(`/api/orgs/${a.orgId}/exhibitions/booths/${boothA}/lives`, { sessionIds: [soon] })).status).toBe(200);
    expect((await b.owner.put(`/api/orgs/${b.orgId}/exhibitions/booths/${boothB}/lives`, { sessionIds: [later, onAir] })).status).toBe(200);
    await server().database.db.updateTable('live_sessions').set({ status: 'live', started_at: server().clock.now().toISOString() }).where('id', '=', onAir).execute();

    const page = (await server().client().get(`/api/exhibitions/${exhibitionId}`)).json();
    expect(page.exhibition).toMatchObject({ shortName: '进博会', venue: '国家会展中心（上海）' });
    expect(page.halls.map((h: { name: string; booths: unknown[] }) => [h.name, h.booths.length])).toEqual([['1.1 号馆 食品及农产品', 1], ['4.1 号馆 消费品', 1]]);
    expect(page.liveNow.map((l: { sessionId: string; booth: { boothNo: string } }) => [l.sessionId, l.booth.boothNo])).toEqual([[onAir, '4.1B-12']]);
    expect(page.upNext.map((l: { sessionId: string }) => l.sessionId)).toEqual([soon, later]);
    expect(page.halls[1].booths[0].schedule.map((l: { sessionId: string }) => l.sessionId)).toEqual([onAir, later]);
    // Once its time has passed, a live that never started is no longer "next".
    server().clock.advance(60 * 60_000);
    expect((await server().client().get(`/api/exhibitions/${exhibitionId}`)).json().upNext.map((l: { sessionId: string }) => l.sessionId)).toEqual([later]);
  });

  it('lets visitors follow booths', async () => {
    const visitor = await newBuyer(server(), false);
    expect((await visitor.client.put(`/api/exhibitions/booths/${boothA}/follow`, {})).json()).toMatchObject({ following: true, followers: 1 });
    expect((await visitor.client.put(`/api/exhibitions/booths/${boothA}/follow`, {})).json().followers).toBe(1);
    const page = (await visitor.client.get(`/api/exhibitions/${exhibitionId}`)).json();
    expect(page.halls[0].booths[0]).toMatchObject({ following: true, followers: 1 });
    expect((await visitor.client.get('/api/me/exhibition-follows')).json().booths.map((x: { boothId: string }) => x.boothId)).toEqual([boothA]);
    expect((await visitor.client.delete(`/api/exhibitions/booths/${boothA}/follow`)).json()).toMatchObject({ following: false, followers: 0 });
    expect((await server().client().put(`/api/exhibitions/booths/${boothA}/follow`, {})).status).toBe(401);
  });

  it('keeps an inquiry only with consent, for the exhibitor’s console only', async () => {
    const visitor = await newBuyer(server(), false);
    const inquiry = { name: '陈女士', contact: 'chen@example.com', company: '盒马采购部', message: '想了解 A2 奶粉的一般贸易进口报价' };
    for (const consent of [undefined, false]) {
      const refused = await visitor.client.post(`/api/exhibitions/booths/${boothA}/inquiries`, { ...inquiry, consent });
      expect(refused.status).toBe(422);
      expect(refused.json().error.code).toBe('EXHIBITION_INQUIRY_CONSENT_REQUIRED');
    }
    expect((await a.owner.get(`/api/orgs/${a.orgId}/exhibitions`)).json().inquiries).toEqual([]);
    const kept = await visitor.client.post(`/api/exhibitions/booths/${boothA}/inquiries`, { ...inquiry, consent: true });
    expect(kept.status).toBe(201);
    const console = (await a.owner.get(`/api/orgs/${a.orgId}/exhibitions`)).json();
    expect(console.inquiries).toEqual([expect.objectContaining({ boothId: boothA, name: '陈女士', contact: 'chen@example.com', message: inquiry.message })]);
    expect(console.booths[0]).toMatchObject({ boothNo: '1.1A-01', exhibition: '第十届中国国际进口博览会' });
    expect((await b.owner.get(`/api/orgs/${b.orgId}/exhibitions`)).json().inquiries).toEqual([]);
    expect((await b.owner.get(`/api/orgs/${a.orgId}/exhibitions`)).status).toBe(403);
    const events = await server().database.db.selectFrom('business_events').select('payload').where('type', '=', 'exhibition.inquiry.received').execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).not.toContain('chen@example.com');
  });
});
