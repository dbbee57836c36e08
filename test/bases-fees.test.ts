// Live-streaming bases charge through the ledger (docs/BASES.md, "Charging"): a late cancellation's fee
// in the cancellation's transaction, the studio time by the sweep once a booking has ended; each posted
// once (two cancels at once, two sweeps at once), booker → base; a free cancellation and a refused one
// post nothing; the journal sums to 0; the base's income; the demo's bookings, refund and withdrawal. On SQLite and
// PostgreSQL. Refunds and the base's withdrawals: test/bases-money.test.ts.
import { expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { baseWithStudio, mcnWithStreamer, type BaseFixture, type McnFixture } from './helpers/bases.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/** The test clock starts at 2026-11-26T08:00Z (16:00 in Shanghai). Local 'YYYY-MM-DD HH:MM' (UTC+8) → ISO UTC. */
const local = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`).toISOString();

async function journal(server: TestServer) {
  const { db } = server.database;
  const transfers = await db.selectFrom('ledger_transfers').select(['key', 'kind']).where('key', 'like', 'studio-%').orderBy('key').execute();
  const verify = await server.services.ledger.store.verify();
  return { transfers, verify };
}

describeEachDatabase('bases fees', ({ server, dialect }) => {
  let base: BaseFixture;
  let mcn: McnFixture;
  let other: McnFixture;
  const balance = (id: string) => server().services.ledger.store.balanceOf(id);
  const book = (body: Record<string, unknown>, who = mcn.owner) => who.post(`/api/bases/${base.orgId}/studios/${base.studioId}/bookings`, body);
  const booking = (id: string) => server().database.db.selectFrom('studio_bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('sets up a base and two MCNs', async () => {
    base = await baseWithStudio(server());
    mcn = await mcnWithStreamer(server());
    other = await mcnWithStreamer(server());
  });

  it('someone else cannot cancel (BOOKING_NOT_YOURS) and nothing is posted; a free cancellation posts nothing', async () => {
    const res = await book({ startsAt: local('2026-11-28', '10:00'), endsAt: local('2026-11-28', '12:00'), orgId: mcn.orgId });
    expect(res.status, res.body).toBe(201);
    const id = res.json().booking.id;
    const before = { row: await booking(id), ledger: await journal(server()) };
    for (const who of [other.owner, base.owner, other.streamer.client]) {
      const refused = await who.post(`/api/studio-bookings/${id}/cancel`);
      expect(refused.status).toBe(403);
      expect(refused.errorCode).toBe('BOOKING_NOT_YOURS');
    }
    expect({ row: await booking(id), ledger: await journal(server()) }).toEqual(before);

    // 42 hours ahead: free, and nothing moves.
    const free = await mcn.owner.post(`/api/studio-bookings/${id}/cancel`);
    expect(free.status, free.body).toBe(200);
    expect(free.json().booking).toMatchObject({ status: 'cancelled', cancelFeeFen: 0, chargedAt: null });
    expect((await journal(server())).transfers).toEqual([]);
    expect(await balance(`mcn:${mcn.orgId}`)).toBe(0);
  });

  it('a late cancellation sent twice at once: one succeeds, its fee is posted once, MCN → base', async () => {
    // Starts 18 hours from now: within the 24 free hours, so half of 2 × ¥300.00 is due.
    const res = await book({ startsAt: local('2026-11-27', '10:00'), endsAt: local('2026-11-27', '12:00'), orgId: mcn.orgId });
    const id = res.json().booking.id;
    const [a, b] = await Promise.all([mcn.owner.post(`/api/studio-bookings/${id}/cancel`), mcn.owner.post(`/api/studio-bookings/${id}/cancel`)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const ok = a.status === 200 ? a : b;
    expect(ok.json().booking).toMatchObject({ status: 'cancelled', priceFen: 60_000, cancelFeeFen: 30_000, chargedAt: expect.any(String) });
    expect((a.status === 409 ? a : b).errorCode).toBe('BOOKING_STATE_CONFLICT');
    const { transfers, verify } = await journal(server());
    expect(transfers).toEqual([{ key: `studio-cancel-fee:${id}`, kind: 'studio_cancel_fee' }]);
    expect(verify).toMatchObject({ journalSum: 0, mismatches: [], unbalancedTransfers: [] });
    expect(await balance(`mcn:${mcn.orgId}`)).toBe(-30_000);
    expect(await balance(`base:${base.orgId}`)).toBe(30_000);
    // The sweep leaves it alone (charged already).
    expect(await server().services.bases.fees.chargeDue()).toBe(0);
  });

  it('the sweep charges ended bookings once, also when two nodes sweep at once; the booker pays: the MCN, or the streamer who booked for themself', async () => {
    const forMcn = (await book({ startsAt: local('2026-11-27', '13:00'), endsAt: local('2026-11-27', '15:00'), orgId: mcn.orgId, streamerId: mcn.streamer.id })).json().booking;
    const own = (await book({ startsAt: local('2026-11-27', '16:00'), endsAt: local('2026-11-27', '17:30') }, mcn.streamer.client)).json().booking;
    const later = (await book({ startsAt: local('2026-11-29', '10:00'), endsAt: local('2026-11-29', '11:00'), orgId: mcn.orgId })).json().booking;
    expect([forMcn.priceFen, own.priceFen, later.priceFen]).toEqual([60_000, 45_000, 30_000]);
    // Nothing has ended yet.
    expect(await server().services.bases.fees.chargeDue()).toBe(0);

    server().clock.advance(Date.parse(local('2026-11-27', '18:00')) - server().clock.now().getTime());
    const counts = await Promise.all([server().services.bases.fees.chargeDue(), server().services.bases.fees.chargeDue(1)]);
    expect(counts[0] + counts[1]).toBe(2);
    expect(await server().services.bases.fees.chargeDue()).toBe(0);
    const { transfers, verify } = await journal(server());
    expect(transfers.filter((t) => t.kind === 'studio_fee').map((t) => t.key).sort()).toEqual([`studio-fee:${forMcn.id}`, `studio-fee:${own.id}`].sort());
    expect(verify).toMatchObject({ journalSum: 0, mismatches: [], unbalancedTransfers: [] });
    expect((await booking(forMcn.id)).charged_at).not.toBeNull();
    expect((await booking(later.id)).charged_at).toBeNull();
    expect(await balance(`mcn:${mcn.orgId}`)).toBe(-90_000);
    expect(await balance(`streamer:${mcn.streamer.id}`)).toBe(-45_000);
    expect(await balance(`base:${base.orgId}`)).toBe(135_000);

    // The bookers' statements list the new kinds; a negative balance withdraws nothing.
    const statement = (await mcn.owner.get(`/api/orgs/${mcn.orgId}/ledger`)).json();
    expect(statement.account.balanceFen).toBe(-90_000);
    expect(statement.entries.map((e: { kind: string }) => e.kind).sort()).toEqual(['studio_cancel_fee', 'studio_fee']);
    const withdrawal = await mcn.streamer.client.post('/api/me/ledger/withdrawals', { amountFen: 1 });
    expect(withdrawal.errorCode).toBe('LEDGER_INSUFFICIENT_BALANCE');
    expect(await server().database.db.selectFrom('ledger_withdrawals').select('id').execute()).toEqual([]);
    expect(await balance(`streamer:${mcn.streamer.id}`)).toBe(-45_000);

    // The base's income, and its report: revenue = charged + to charge.
    const income = await base.owner.get(`/api/orgs/${base.orgId}/base/income`);
    expect(income.status, income.body).toBe(200);
    expect(income.json().income).toMatchObject({ accountId: `base:${base.orgId}`, balanceFen: 135_000, studioFeesFen: 105_000, cancelFeesFen: 30_000, toChargeFen: 30_000, toChargeBookings: 1 });
    expect(income.json().income.entries).toHaveLength(3);
    expect((await mcn.owner.get(`/api/orgs/${base.orgId}/base/income`)).status).toBe(403);
    const report = (await base.owner.get(`/api/orgs/${base.orgId}/base/report?month=2026-11`)).json().report;
    expect(report.summary).toMatchObject({ bookings: 3, bookingRevenueFen: 135_000, bookingChargedFen: 105_000, bookingToChargeFen: 30_000, lateCancellations: 1, cancelFeesFen: 30_000 });
    const csv = (await base.owner.get(`/api/orgs/${base.orgId}/base/report?month=2026-11&format=csv`)).body;
    expect(csv).toContain('其中已收取（元）,1050.00');
    expect(csv).toContain('逾时取消费（元）,300.00');
  });

  it('two nodes sweeping one PostgreSQL database at once charge each ended booking once', async () => {
    // Several nodes share PostgreSQL; SQLite is one node's (its single writer is the guarantee there).
    if (dialect !== 'postgres') return;
    const first = (await book({ startsAt: local('2026-11-28', '13:00'), endsAt: local('2026-11-28', '14:00'), orgId: mcn.orgId })).json().booking;
    const second = (await book({ startsAt: local('2026-11-28', '15:00'), endsAt: local('2026-11-28', '16:00'), orgId: mcn.orgId })).json().booking;
    const nodeB = await startTestServer({ dialect: 'postgres', shareDatabaseWith: server() });
    try {
      const to = Date.parse(local('2026-11-28', '20:00'));
      server().clock.advance(to - server().clock.now().getTime());
      nodeB.clock.advance(to - nodeB.clock.now().getTime());
      const a = server().services.bases.fees;
      const b = nodeB.services.bases.fees;
      const counts = await Promise.all([a.chargeDue(1), b.chargeDue(1), a.chargeDue(), b.chargeDue()]);
      expect(counts.reduce((x, y) => x + y, 0)).toBe(2);
      const { transfers, verify } = await journal(server());
      expect(transfers.filter((t) => t.key === `studio-fee:${first.id}` || t.key === `studio-fee:${second.id}`)).toHaveLength(2);
      expect(verify).toMatchObject({ journalSum: 0, mismatches: [], unbalancedTransfers: [] });
      expect(await balance(`mcn:${mcn.orgId}`)).toBe(-90_000 - 60_000);
      expect(await balance(`base:${base.orgId}`)).toBe(135_000 + 60_000);
    } finally {
      await nodeB.close();
    }
  });
});

describeEachDatabase(
  'bases fees demo',
  ({ server }) => {
    it('the demo base’s ended bookings and its late cancellation are charged by the sweep, once; the books balance', async () => {
      const { db } = server().database;
      // Seeded after the test server is ready; `npm start` seeds before, and the sweep at start charges them.
      const charged = await server().services.bases.fees.chargeDue();
      expect(charged).toBeGreaterThan(60);
      expect(await server().services.bases.fees.chargeDue()).toBe(0);
      const now = server().clock.now().toISOString();
      const left = await db.selectFrom('studio_bookings').select('id').where('status', '=', 'booked').where('ends_at', '<=', now).where('charged_at', 'is', null).execute();
      expect(left).toEqual([]);
      const late = await db.selectFrom('studio_bookings').selectAll().where('status', '=', 'cancelled').where('cancel_fee_fen', '>', 0).execute();
      expect(late).toHaveLength(1);
      expect(late[0]!.charged_at).not.toBeNull();
      expect(late[0]!.cancelled_at! < now).toBe(true);
      expect(await db.selectFrom('ledger_transfers').select('id').where('key', '=', `studio-cancel-fee:${late[0]!.id}`).execute()).toHaveLength(1);
      expect(await server().services.ledger.store.verify()).toMatchObject({ journalSum: 0, mismatches: [], unbalancedTransfers: [] });

      const client = server().client();
      await client.login(DEMO_ACCOUNTS.base.login, DEMO_PASSWORD);
      const orgId = (await client.get('/api/me/orgs')).json().memberships.find((m: { org: { kind: string } }) => m.org.kind === 'base').org.id;
      const income = (await client.get(`/api/orgs/${orgId}/base/income`)).json().income;
      expect(income.balanceFen).toBe(income.studioFeesFen + income.cancelFeesFen - income.refundsFen - income.inWithdrawalFen - income.withdrawnFen);
      expect(income.cancelFeesFen).toBe(Number(late[0]!.cancel_fee_fen));
      expect(income.toChargeFen).toBeGreaterThan(0);
      // The demo's money (server/bases/demo.ts, seedBasesMoneyDemo): one of 玉兰凝肌's bookings refunded an hour, one withdrawal paid out.
      expect(income.refunds).toEqual([expect.objectContaining({ seq: 1, reason: '直播中灯光故障停播约 1 小时，退还 1 小时租用费', accountId: expect.stringMatching(/^brand:/) })]);
      expect(income.refundsFen).toBe(income.refunds[0].amountFen);
      const refunded = income.charged.find((b: { id: string }) => b.id === income.refunds[0].bookingId);
      expect(refunded).toMatchObject({ refundedFen: income.refundsFen, bookerName: '玉兰凝肌' });
      expect(income.withdrawals).toEqual([expect.objectContaining({ status: 'paid', accountId: `base:${orgId}` })]);
      expect(income.withdrawnFen).toBe(income.withdrawals[0].amountFen);
      expect(income.inWithdrawalFen).toBe(0);
    });
  },
  { demo: true, timeoutMs: 120_000 },
);
