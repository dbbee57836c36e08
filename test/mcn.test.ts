// MCN operations (docs/MCN.md): contracts offered, accepted, declined, cancelled, renewed and
// terminated; the rights a streamer grants; the ledger splitting only under accepted contracts in
// force; the roster and calendar; and who may see what. On SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator, streamer } from './helpers/people.ts';
import type { TestClient, TestResponse, TestServer } from './helpers/server.ts';
import { payInSandbox, shop, tag } from './helpers/shop.ts';

const DAY = 86_400_000;
const ALL_RIGHTS = ['manage_products', 'manage_sessions', 'view_earnings', 'request_samples'];

type Mcn = { owner: TestClient; orgId: string };

/** An approved MCN and its owner. */
async function mcnOrg(server: TestServer): Promise<Mcn> {
  const owner = server.client();
  await owner.register(`mcn-${tag()}@example.com`);
  const org = (await owner.post('/api/orgs', { kind: 'mcn', name: `星火${tag()}` })).json().org;
  const op = await operator(server);
  await op.client.post(`/api/admin/orgs/${org.id}/review`, { decision: 'approve' });
  return { owner, orgId: org.id as string };
}

/** Everything an MCN request could have changed. */
async function stored(server: TestServer) {
  const { db } = server.database;
  const n = (row: { n: number | string }) => Number(row.n);
  return {
    contracts: await db.selectFrom('mcn_contracts').selectAll().orderBy('id').execute(),
    members: await db.selectFrom('org_members').selectAll().orderBy('org_id').orderBy('user_id').execute(),
    events: n(await db.selectFrom('business_events').select((eb) => eb.fn.countAll<number>().as('n')).where('type', 'like', 'contract.%').executeTakeFirstOrThrow()),
    sessions: n(await db.selectFrom('live_sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()),
  };
}

function refused(res: TestResponse, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.errorCode).toBe(code);
}

describeEachDatabase('mcn', ({ server }) => {
  const at = (days: number) => new Date(server().clock.now().getTime() + days * DAY).toISOString();
  const offer = (m: Mcn, body: Record<string, unknown>) => m.owner.post(`/api/orgs/${m.orgId}/contracts`, body);
  /** An accepted contract between the MCN and the streamer (from now, for a year unless told). */
  const signed = async (m: Mcn, s: { client: TestClient; id: string }, body: Record<string, unknown> = {}) => {
    const offered = await offer(m, { streamerId: s.id, startsAt: at(0), endsAt: at(365), splitBps: 3000, exclusive: true, rights: ALL_RIGHTS, ...body });
    expect(offered.status, offered.body).toBe(201);
    const accepted = await s.client.post(`/api/me/mcn-contracts/${offered.json().contract.id}/accept`);
    expect(accepted.status, accepted.body).toBe(200);
    return accepted.json().contract as { id: string; status: string; state: string; endsAt: string };
  };
  const eventsOf = async (subjectId: string) =>
    (await server().database.db.selectFrom('business_events').select('type').where('subject_id', '=', subjectId).orderBy('seq').execute()).map((e) => e.type);

  it('an offer waits in the streamer’s console; accepted, it takes effect and the streamer joins the MCN', async () => {
    const m = await mcnOrg(server());
    const s = await streamer(server());
    const res = await offer(m, { streamerId: s.id, startsAt: at(0), endsAt: at(365), splitBps: 3000, exclusive: true, rights: ['manage_products', 'manage_sessions', 'view_earnings'] });
    expect(res.status, res.body).toBe(201);
    const contract = res.json().contract;
    expect(contract).toMatchObject({ status: 'offered', state: 'offered', splitBps: 3000, exclusive: true, rights: ['manage_products', 'manage_sessions', 'view_earnings'], streamer: { id: s.id }, mcn: { id: m.orgId } });

    const mine = (await s.client.get('/api/me/mcn-contracts')).json().contracts;
    expect(mine.map((c: { id: string }) => c.id)).toEqual([contract.id]);
    expect(mine[0].mcn.name).toMatch(/^星火/);

    // Not accepted yet: the MCN cannot act under it, and nothing is created.
    const before = await stored(server());
    expect(await server().services.mcn.mayActFor(m.orgId, s.id, 'manage_sessions')).toBe(false);
    const early = await m.owner.post(`/api/orgs/${m.orgId}/streamers/${s.id}/live-sessions`, { title: '代排直播', scheduledAt: at(1) });
    refused(early, 403, 'CONTRACT_NOT_ACCEPTED');
    expect(await stored(server())).toEqual(before);
    expect((await m.owner.get(`/api/orgs/${m.orgId}/roster`)).json().streamers).toEqual([]);

    const accepted = await s.client.post(`/api/me/mcn-contracts/${contract.id}/accept`);
    expect(accepted.status, accepted.body).toBe(200);
    expect(accepted.json().contract).toMatchObject({ status: 'accepted', state: 'active' });
    expect(accepted.json().contract.acceptedAt).toBe(server().clock.now().toISOString());
    refused(await s.client.post(`/api/me/mcn-contracts/${contract.id}/accept`), 409, 'CONTRACT_STATE_CONFLICT');
    expect(await eventsOf(contract.id)).toEqual(['contract.offered', 'contract.accepted']);
    const members = (await m.owner.get(`/api/orgs/${m.orgId}/members`)).json().members;
    expect(members.find((x: { user: { id: string } }) => x.user.id === s.id)).toMatchObject({ role: 'streamer' });

    // Rights: what was granted, nothing else.
    expect(await server().services.mcn.mayActFor(m.orgId, s.id, 'manage_sessions')).toBe(true);
    expect(await server().services.mcn.mayActFor(m.orgId, s.id, 'request_samples')).toBe(false);
    const scheduled = await m.owner.post(`/api/orgs/${m.orgId}/streamers/${s.id}/live-sessions`, { title: '代排直播：秋冬新品', scheduledAt: at(1) });
    expect(scheduled.status, scheduled.body).toBe(201);
    expect(scheduled.json().session).toMatchObject({ title: '代排直播：秋冬新品', status: 'scheduled', streamer: { id: s.id } });
    // The stream key stays with the streamer.
    expect(scheduled.json()).not.toHaveProperty('push');
    const own = (await s.client.get('/api/streamer/live-sessions')).json().sessions;
    expect(own.map((x: { id: string }) => x.id)).toContain(scheduled.json().session.id);
  });

  it('refuses a split over 100 %, the withdraw right and bad dates, changing nothing', async () => {
    const m = await mcnOrg(server());
    const s = await streamer(server());
    const base = { streamerId: s.id, startsAt: at(0), endsAt: at(365), splitBps: 3000, exclusive: true, rights: [] };
    const before = await stored(server());
    for (const splitBps of [10_001, -1, 30.5]) refused(await offer(m, { ...base, splitBps }), 422, 'SPLIT_INVALID');
    refused(await offer(m, { ...base, rights: ['manage_products', 'withdraw'] }), 422, 'CONTRACT_RIGHT_INVALID');
    refused(await offer(m, { ...base, endsAt: at(-1) }), 422, 'CONTRACT_DATES_INVALID');
    refused(await offer(m, { ...base, startsAt: at(10), endsAt: at(5) }), 422, 'CONTRACT_DATES_INVALID');
    const viewer = server().client();
    const v = await viewer.register(`viewer-${tag()}@example.com`);
    refused(await offer(m, { ...base, streamerId: v.id }), 404, 'STREAMER_PROFILE_NOT_FOUND');
    refused(await offer(m, { ...base, streamerId: 'nobody' }), 404, 'USER_NOT_FOUND');
    // By login (phone or email) instead of id.
    refused(await offer(m, { ...base, streamerId: undefined, login: 'nobody@example.com' }), 404, 'USER_NOT_FOUND');
    const viewerLogin = (await viewer.get('/api/auth/session')).json().user.email as string;
    refused(await offer(m, { ...base, streamerId: undefined, login: viewerLogin.toUpperCase() }), 404, 'STREAMER_PROFILE_NOT_FOUND');
    refused(await offer(m, { ...base, streamerId: undefined }), 400, 'VALIDATION_FAILED');
    expect(await stored(server())).toEqual(before);

    // A renewal is checked the same way.
    const c = await signed(m, s, { endsAt: at(30) });
    const after = await stored(server());
    refused(await m.owner.post(`/api/orgs/${m.orgId}/contracts/${c.id}/renew`, { endsAt: at(400), splitBps: 20_000 }), 422, 'SPLIT_INVALID');
    refused(await m.owner.post(`/api/orgs/${m.orgId}/contracts/${c.id}/renew`, { endsAt: at(400), rights: ['withdraw'] }), 422, 'CONTRACT_RIGHT_INVALID');
    refused(await m.owner.post(`/api/orgs/${m.orgId}/contracts/${c.id}/renew`, { endsAt: at(20) }), 422, 'CONTRACT_DATES_INVALID');
    expect(await stored(server())).toEqual(after);
  });

  it('refuses a contract overlapping an exclusive one (or an exclusive one overlapping any), at offer and at acceptance', async () => {
    const a = await mcnOrg(server());
    const b = await mcnOrg(server());
    const s = await streamer(server());
    await signed(a, s, { startsAt: at(0), endsAt: at(180), exclusive: true });
    const before = await stored(server());
    refused(await offer(b, { streamerId: s.id, startsAt: at(90), endsAt: at(400), splitBps: 2000, exclusive: false }), 409, 'CONTRACT_OVERLAP_EXCLUSIVE');
    refused(await offer(b, { streamerId: s.id, startsAt: at(-30), endsAt: null, splitBps: 2000, exclusive: true }), 409, 'CONTRACT_OVERLAP_EXCLUSIVE');
    // The same MCN twice over the same days: renew instead.
    refused(await offer(a, { streamerId: s.id, startsAt: at(100), endsAt: at(200), splitBps: 2000, exclusive: true }), 409, 'CONTRACT_OVERLAP');
    expect(await stored(server())).toEqual(before);
    // From the day A's contract ends, B may sign the streamer.
    expect((await offer(b, { streamerId: s.id, startsAt: at(180), endsAt: at(400), splitBps: 2000, exclusive: true })).status).toBe(201);

    // A non-exclusive contract leaves room for another non-exclusive one, not for an exclusive one.
    const t = await streamer(server());
    await signed(a, t, { exclusive: false });
    const mid = await stored(server());
    refused(await offer(b, { streamerId: t.id, startsAt: at(10), endsAt: at(100), splitBps: 2000, exclusive: true }), 409, 'CONTRACT_OVERLAP_EXCLUSIVE');
    expect(await stored(server())).toEqual(mid);
    await signed(b, t, { exclusive: false, startsAt: at(10), endsAt: at(100) });

    // Two exclusive offers at once: whichever the streamer accepts first wins; the other cannot be accepted.
    const u = await streamer(server());
    const first = (await offer(a, { streamerId: u.id, startsAt: at(0), endsAt: at(365), splitBps: 3000, exclusive: true })).json().contract;
    const second = (await offer(b, { streamerId: u.id, startsAt: at(30), endsAt: at(200), splitBps: 2500, exclusive: true })).json().contract;
    expect((await u.client.post(`/api/me/mcn-contracts/${second.id}/accept`)).status).toBe(200);
    const racing = await stored(server());
    refused(await u.client.post(`/api/me/mcn-contracts/${first.id}/accept`), 409, 'CONTRACT_OVERLAP_EXCLUSIVE');
    expect(await stored(server())).toEqual(racing);
    expect((await u.client.get(`/api/me/mcn-contracts/${first.id}`)).json().contract.status).toBe('offered');
  });

  it('a contract never accepted gives the MCN nothing; an accepted one splits until it is terminated', async () => {
    const w = await shop(server());
    const { db } = server().database;
    await db.updateTable('session_products').set({ commission_bps: 2000 }).where('session_id', '=', w.sessionId).execute();
    const m = await mcnOrg(server());
    const op = await operator(server());
    const host = w.host;
    const offered = (await offer(m, { streamerId: host.id, startsAt: at(-1), endsAt: at(365), splitBps: 3000, exclusive: true, rights: ALL_RIGHTS })).json().contract;
    const ledgerOrder = (orderId: string) => db.selectFrom('ledger_orders').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
    const buy = async () => {
      const sku = w.butterfly.skus[0]!;
      const order = (await w.buyer.client.post('/api/orders', { items: [{ productId: w.butterfly.id, skuId: sku.id, quantity: 2 }], sessionId: w.sessionId })).json().order;
      await payInSandbox(server(), w.buyer.client, order.id);
      await server().services.events.drain();
      return order.id as string;
    };

    // Offered, never accepted: no split, and the MCN cannot act under it.
    const unsigned = await buy();
    expect(await ledgerOrder(unsigned)).toMatchObject({ streamer_id: host.id, mcn_org_id: null, mcn_split_bps: 0 });
    refused(await m.owner.post(`/api/orgs/${m.orgId}/streamers/${host.id}/live-sessions`, { title: '代排直播', scheduledAt: at(1) }), 403, 'CONTRACT_NOT_ACCEPTED');

    server().clock.advance(60_000);
    expect((await host.client.post(`/api/me/mcn-contracts/${offered.id}/accept`)).status).toBe(200);
    server().clock.advance(60_000);
    const underContract = await buy();
    expect(await ledgerOrder(underContract)).toMatchObject({ mcn_org_id: m.orgId, mcn_split_bps: 3000 });

    // Terminated by the MCN from now: the split ends here.
    server().clock.advance(60_000);
    const ended = await m.owner.post(`/api/orgs/${m.orgId}/contracts/${offered.id}/terminate`, { reason: '合作到期前协商解约' });
    expect(ended.status, ended.body).toBe(200);
    expect(ended.json().contract).toMatchObject({ status: 'terminated', state: 'terminated', terminatedBy: 'mcn', terminationReason: '合作到期前协商解约', terminatedAt: server().clock.now().toISOString() });
    expect(await eventsOf(offered.id)).toEqual(['contract.offered', 'contract.accepted', 'contract.terminated']);
    refused(await m.owner.post(`/api/orgs/${m.orgId}/streamers/${host.id}/live-sessions`, { title: '代排直播', scheduledAt: at(1) }), 403, 'CONTRACT_NOT_IN_FORCE');
    server().clock.advance(60_000);
    const afterwards = await buy();
    expect(await ledgerOrder(afterwards)).toMatchObject({ mcn_org_id: null, mcn_split_bps: 0 });

    // Settled: the MCN has 30 % of one order's commission (2440 × 30 % = 732), the streamer the rest of all three.
    for (const orderId of [unsigned, underContract, afterwards]) {
      expect((await w.owner.post(`/api/orgs/${w.orgId}/orders/${orderId}/ship`, { carrier: '顺丰速运', trackingNo: `SF${Date.now()}` })).status).toBe(200);
      expect((await w.owner.post(`/api/orgs/${w.orgId}/orders/${orderId}/deliver`)).status).toBe(200);
      expect((await w.buyer.client.post(`/api/orders/${orderId}/confirm-receipt`)).status).toBe(200);
    }
    await server().services.events.drain();
    server().clock.advance(7 * DAY + 60_000);
    expect((await op.client.post('/api/admin/ledger/settlement-runs', {})).status).toBe(201);
    const balance = (id: string) => server().services.ledger.store.balanceOf(id);
    expect(await balance(`mcn:${m.orgId}`)).toBe(732);
    expect(await balance(`streamer:${host.id}`)).toBe(2440 + 1708 + 2440);
    const verify = await server().services.ledger.store.verify();
    expect(verify).toMatchObject({ journalSum: 0, unbalancedTransfers: [], mismatches: [] });
  });

  it('renews with the streamer’s acceptance; either side terminates from a date; offers can be declined or cancelled', async () => {
    const m = await mcnOrg(server());
    const s = await streamer(server());
    const c = await signed(m, s, { endsAt: at(30) });
    const renewal = await m.owner.post(`/api/orgs/${m.orgId}/contracts/${c.id}/renew`, { endsAt: at(395), splitBps: 2500 });
    expect(renewal.status, renewal.body).toBe(201);
    const r = renewal.json().contract;
    expect(r).toMatchObject({ status: 'offered', renewedFrom: c.id, startsAt: c.endsAt, endsAt: at(395), splitBps: 2500, exclusive: true, rights: ALL_RIGHTS });
    refused(await m.owner.post(`/api/orgs/${m.orgId}/contracts/${c.id}/renew`, { endsAt: at(500) }), 409, 'CONTRACT_STATE_CONFLICT');
    expect((await s.client.post(`/api/me/mcn-contracts/${r.id}/accept`)).json().contract).toMatchObject({ status: 'accepted', state: 'upcoming' });
    expect(await eventsOf(c.id)).toEqual(['contract.offered', 'contract.accepted', 'contract.renewed']);
    const roster = (await m.owner.get(`/api/orgs/${m.orgId}/roster`)).json().streamers;
    expect(roster).toHaveLength(1);
    expect(roster[0].contract).toMatchObject({ id: c.id, state: 'active' });

    // The streamer gives notice: in force for ten more days, then not.
    const before = await stored(server());
    refused(await s.client.post(`/api/me/mcn-contracts/${c.id}/terminate`, { effectiveAt: at(-1), reason: '个人原因' }), 422, 'CONTRACT_DATES_INVALID');
    refused(await s.client.post(`/api/me/mcn-contracts/${c.id}/terminate`, { effectiveAt: at(31), reason: '个人原因' }), 422, 'CONTRACT_DATES_INVALID');
    expect(await stored(server())).toEqual(before);
    const notice = await s.client.post(`/api/me/mcn-contracts/${c.id}/terminate`, { effectiveAt: at(10), reason: '个人原因' });
    expect(notice.json().contract).toMatchObject({ status: 'terminated', state: 'active', terminatedBy: 'streamer', terminatedAt: at(10) });
    refused(await m.owner.post(`/api/orgs/${m.orgId}/contracts/${c.id}/terminate`, { reason: '重复解约' }), 409, 'CONTRACT_STATE_CONFLICT');
    // The renewal no longer continues anything: the streamer ends it too.
    expect((await s.client.post(`/api/me/mcn-contracts/${r.id}/terminate`, { reason: '不再续约' })).json().contract).toMatchObject({ status: 'terminated', state: 'terminated' });
    const signedNow = async () => (await server().services.mcn.streamersInForce(m.orgId).execute()).map((r) => r.streamer_id);
    expect(await server().services.mcn.mayActFor(m.orgId, s.id, 'manage_products')).toBe(true);
    expect(await server().services.mcn.isSignedTo(m.orgId, s.id)).toBe(true);
    expect(await signedNow()).toEqual([s.id]);
    server().clock.advance(10 * DAY);
    expect(await server().services.mcn.mayActFor(m.orgId, s.id, 'manage_products')).toBe(false);
    expect(await server().services.mcn.isSignedTo(m.orgId, s.id)).toBe(false);
    expect(await signedNow()).toEqual([]);
    expect((await s.client.get(`/api/me/mcn-contracts/${c.id}`)).json().contract.state).toBe('terminated');
    expect((await m.owner.get(`/api/orgs/${m.orgId}/roster`)).json().streamers).toEqual([]);

    // Declined by the streamer, cancelled by the MCN: neither can then be accepted.
    const declined = (await offer(m, { streamerId: s.id, startsAt: at(0), endsAt: at(100), splitBps: 3000 })).json().contract;
    expect((await s.client.post(`/api/me/mcn-contracts/${declined.id}/decline`, { reason: '分成比例过高' })).json().contract).toMatchObject({ status: 'declined', declineReason: '分成比例过高' });
    refused(await s.client.post(`/api/me/mcn-contracts/${declined.id}/accept`), 409, 'CONTRACT_STATE_CONFLICT');
    const cancelled = (await offer(m, { streamerId: s.id, startsAt: at(0), endsAt: at(100), splitBps: 3000 })).json().contract;
    expect((await m.owner.post(`/api/orgs/${m.orgId}/contracts/${cancelled.id}/cancel`)).json().contract.status).toBe('cancelled');
    refused(await s.client.post(`/api/me/mcn-contracts/${cancelled.id}/accept`), 409, 'CONTRACT_STATE_CONFLICT');
    expect(await eventsOf(declined.id)).toEqual(['contract.offered', 'contract.declined']);
    expect(await eventsOf(cancelled.id)).toEqual(['contract.offered', 'contract.cancelled']);
    const listed = (await m.owner.get(`/api/orgs/${m.orgId}/contracts?status=offered`)).json().contracts;
    expect(listed).toEqual([]);
  });

  it('the roster: sessions, GMV, followers, earnings (the streamer’s only with view_earnings) and the trend; the calendar', async () => {
    const w = await shop(server());
    const { db } = server().database;
    await db.updateTable('session_products').set({ commission_bps: 2000 }).where('session_id', '=', w.sessionId).execute();
    const m = await mcnOrg(server());
    const op = await operator(server());
    await signed(m, w.host, { rights: ALL_RIGHTS });
    server().clock.advance(1000);
    const other = await streamer(server());
    await signed(m, other, { rights: ['manage_sessions'], exclusive: false });
    await db.insertInto('follows').values({ user_id: w.buyer.id, streamer_id: w.host.id, created_at: server().clock.now().toISOString() }).execute();
    server().clock.advance(60_000);
    const buy = async () => {
      const order = (await w.buyer.client.post('/api/orders', { items: [{ productId: w.butterfly.id, skuId: w.butterfly.skus[0]!.id, quantity: 2 }], sessionId: w.sessionId })).json().order;
      await payInSandbox(server(), w.buyer.client, order.id);
      return order.id as string;
    };
    const first = await buy();
    await buy();
    expect((await w.owner.post(`/api/orgs/${w.orgId}/orders/${first}/ship`, { carrier: '顺丰速运', trackingNo: `SF${Date.now()}` })).status).toBe(200);
    expect((await w.owner.post(`/api/orgs/${w.orgId}/orders/${first}/deliver`)).status).toBe(200);
    expect((await w.buyer.client.post(`/api/orders/${first}/confirm-receipt`)).status).toBe(200);
    await server().services.events.drain();
    server().clock.advance(7 * DAY + 60_000);
    await op.client.post('/api/admin/ledger/settlement-runs', {});
    await buy();
    await server().services.events.drain();
    const session = (await m.owner.post(`/api/orgs/${m.orgId}/streamers/${other.id}/live-sessions`, { title: '代排直播：新人首播', scheduledAt: at(2) })).json().session;

    const res = await m.owner.get(`/api/orgs/${m.orgId}/roster`);
    expect(res.status, res.body).toBe(200);
    const { streamers, totals } = res.json();
    expect(streamers.map((x: { streamer: { id: string } }) => x.streamer.id)).toEqual([w.host.id, other.id]);
    const [host, second] = streamers;
    expect(host).toMatchObject({
      contract: { splitBps: 3000, exclusive: true, rights: ALL_RIGHTS, state: 'active' },
      sessions: { total: 1, scheduled: 1, live: 0, ended: 0 },
      orders: 3,
      gmvFen: 36_600,
      followers: 1,
      // One order settled: C = 2440, the MCN's 30 % = 732, the streamer's 1708.
      earnings: { mcnShareFen: 732, streamerFen: 1708, commissionFen: 2440 },
    });
    // Two orders a week ago, one now.
    expect(host.trend.weeks).toHaveLength(8);
    expect(host.trend).toMatchObject({ last7DaysFen: 12_200, previous7DaysFen: 24_400, changeBps: -5000 });
    expect(host.trend.weeks.reduce((sum: number, x: { gmvFen: number }) => sum + x.gmvFen, 0)).toBe(36_600);
    expect(second).toMatchObject({ sessions: { total: 1, scheduled: 1 }, gmvFen: 0, followers: 0, earnings: { mcnShareFen: 0, streamerFen: null, commissionFen: null } });
    expect(totals).toEqual({ streamers: 2, gmvFen: 36_600, mcnShareFen: 732 });
    // The operator may read it too.
    expect((await op.client.get(`/api/orgs/${m.orgId}/roster`)).status).toBe(200);

    // The calendar: upcoming lives across the MCN's streamers (the shop's live is a week past now).
    const calendar = (await m.owner.get(`/api/orgs/${m.orgId}/calendar`)).json();
    expect(calendar.sessions.map((x: { id: string }) => x.id)).toEqual([session.id]);
    expect(calendar.sessions[0]).toMatchObject({ streamer: { id: other.id }, status: 'scheduled' });
    const later = (await m.owner.get(`/api/orgs/${m.orgId}/calendar?from=${encodeURIComponent(at(3))}&to=${encodeURIComponent(at(10))}`)).json();
    expect(later.sessions).toEqual([]);
    refused(await m.owner.get(`/api/orgs/${m.orgId}/calendar?from=${encodeURIComponent(at(3))}&to=${encodeURIComponent(at(2))}`), 400, 'CALENDAR_PERIOD_INVALID');
    refused(await m.owner.get(`/api/orgs/${m.orgId}/calendar?from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(100))}`), 400, 'CALENDAR_PERIOD_INVALID');
  });

  it('an MCN never sees another MCN’s streamers, contracts or earnings; a streamer never another’s', async () => {
    const a = await mcnOrg(server());
    const b = await mcnOrg(server());
    const s = await streamer(server());
    const c = await signed(a, s);
    const before = await stored(server());
    for (const path of ['contracts', `contracts/${c.id}`, 'roster', 'calendar', 'streamers', 'ledger']) {
      refused(await b.owner.get(`/api/orgs/${a.orgId}/${path}`), 403, 'FORBIDDEN');
    }
    refused(await b.owner.post(`/api/orgs/${a.orgId}/contracts/${c.id}/terminate`, { reason: '越权解约' }), 403, 'FORBIDDEN');
    // Through its own organisation, A's contract does not exist for B.
    refused(await b.owner.get(`/api/orgs/${b.orgId}/contracts/${c.id}`), 404, 'CONTRACT_NOT_FOUND');
    refused(await b.owner.post(`/api/orgs/${b.orgId}/contracts/${c.id}/terminate`, { reason: '越权解约' }), 404, 'CONTRACT_NOT_FOUND');
    refused(await b.owner.post(`/api/orgs/${b.orgId}/contracts/${c.id}/renew`, { endsAt: at(800) }), 404, 'CONTRACT_NOT_FOUND');
    refused(await b.owner.post(`/api/orgs/${b.orgId}/streamers/${s.id}/live-sessions`, { title: '越权排播', scheduledAt: at(1) }), 404, 'CONTRACT_NOT_FOUND');
    expect((await b.owner.get(`/api/orgs/${b.orgId}/roster`)).json().streamers).toEqual([]);
    expect((await b.owner.get(`/api/orgs/${b.orgId}/contracts`)).json().contracts).toEqual([]);
    expect(await stored(server())).toEqual(before);

    // The signed streamer is a member of A (role 'streamer'), yet sees neither the roster nor the contracts.
    for (const path of ['contracts', 'roster', 'calendar', 'ledger']) refused(await s.client.get(`/api/orgs/${a.orgId}/${path}`), 403, 'FORBIDDEN');
    // Another streamer: not the contract, not the money.
    const t = await streamer(server());
    refused(await t.client.get(`/api/me/mcn-contracts/${c.id}`), 404, 'CONTRACT_NOT_FOUND');
    refused(await t.client.post(`/api/me/mcn-contracts/${c.id}/terminate`, { reason: '越权解约' }), 404, 'CONTRACT_NOT_FOUND');
    refused(await t.client.get(`/api/admin/ledger/accounts/streamer:${s.id}`), 403, 'FORBIDDEN');
    expect((await t.client.get('/api/me/ledger')).json().account).toMatchObject({ id: `streamer:${t.id}`, balanceFen: 0 });
    expect(await stored(server())).toEqual(before);
  });
}, { listen: true, timeoutMs: 120_000, env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } });

describeEachDatabase(
  'mcn demo',
  ({ server }) => {
    const login = async (key: keyof typeof DEMO_ACCOUNTS) => {
      const client = server().client();
      await client.login(DEMO_ACCOUNTS[key].login, DEMO_PASSWORD);
      return client;
    };

    it('shows the MCN its roster, calendar and contract history, and 小林说吃 the renewal waiting for her', async () => {
      const mcn = await login('mcn');
      const orgId = (await mcn.get('/api/me/orgs')).json().memberships[0].org.id as string;
      const roster = (await mcn.get(`/api/orgs/${orgId}/roster`)).json();
      expect(roster.streamers.map((s: { streamer: { displayName: string } }) => s.streamer.displayName)).toEqual(['阿May美妆', '小林说吃']);
      const [beauty, food] = roster.streamers;
      expect(food).toMatchObject({ contract: { splitBps: 3000, state: 'active', rights: ALL_RIGHTS } });
      expect(food.gmvFen).toBeGreaterThan(0);
      expect(food.earnings.streamerFen).toBeGreaterThan(0);
      // 阿May美妆 granted no view_earnings: the MCN sees its own share only.
      expect(beauty.earnings).toMatchObject({ streamerFen: null, commissionFen: null });
      expect(beauty.earnings.mcnShareFen).toBeGreaterThan(0);
      const contracts = (await mcn.get(`/api/orgs/${orgId}/contracts`)).json().contracts;
      expect(contracts.map((c: { state: string }) => c.state).sort()).toEqual(['active', 'active', 'expired', 'offered', 'terminated']);
      expect((await mcn.get(`/api/orgs/${orgId}/calendar`)).json().sessions).toHaveLength(4);

      const streamerFood = await login('streamerFood');
      const mine = (await streamerFood.get('/api/me/mcn-contracts')).json().contracts;
      const waiting = mine.find((c: { state: string }) => c.state === 'offered');
      expect(waiting).toMatchObject({ splitBps: 2800, mcn: { id: orgId } });
      expect(waiting.renewedFrom).toBe(food.contract.id);
      const accepted = await streamerFood.post(`/api/me/mcn-contracts/${waiting.id}/accept`);
      expect(accepted.status, accepted.body).toBe(200);
      expect(accepted.json().contract.state).toBe('upcoming');
    });
  },
  { demo: true },
);
