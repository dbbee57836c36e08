// A live-streaming base's money (docs/BASES.md, "Refunds" and "Withdrawals"), on SQLite and PostgreSQL: the base's
// owners and admins refund part or all of what a booking was charged (studio time or a late-cancellation fee) back
// to the account that paid, once per Idempotency-Key, never beyond what is left (also two at once), and withdraw the
// base's balance through the ledger's withdrawal flow (held, then paid out or rejected by an operator). Every refused
// request changes nothing; the income, the report and the statements show the refunds; the journal stays clean.
import { expect, it } from 'vitest';
import { baseWithStudio, mcnWithStreamer, type BaseFixture, type McnFixture } from './helpers/bases.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator } from './helpers/people.ts';
import type { TestClient, TestResponse, TestServer } from './helpers/server.ts';
import { tag } from './helpers/shop.ts';

/** The test clock starts at 2026-11-26T08:00Z (16:00 in Shanghai). Local 'YYYY-MM-DD HH:MM' (UTC+8) → ISO UTC. */
const local = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`).toISOString();
const key = () => `refund-${tag()}-${tag()}`;

/** Everything a refused request must leave as it was. */
async function snapshot(server: TestServer, baseOrgId: string) {
  const { db } = server.database;
  return {
    bookings: await db.selectFrom('studio_bookings').select(['id', 'status', 'charged_at', 'refunded_fen']).where('base_org_id', '=', baseOrgId).orderBy('id').execute(),
    refunds: await db.selectFrom('studio_booking_refunds').selectAll().orderBy('id').execute(),
    transfers: (await db.selectFrom('ledger_transfers').select('key').orderBy('key').execute()).map((t) => t.key),
    accounts: await db.selectFrom('ledger_accounts').select(['id', 'balance_fen']).orderBy('id').execute(),
    withdrawals: await db.selectFrom('ledger_withdrawals').select(['id', 'status', 'amount_fen']).orderBy('id').execute(),
  };
}

describeEachDatabase('bases money: refunds and withdrawals', ({ server }) => {
  let base: BaseFixture;
  let otherBase: BaseFixture;
  let mcn: McnFixture;
  let admin: TestClient;
  let staff: TestClient;
  let op: TestClient;
  const ids = {} as Record<'studio' | 'own' | 'late' | 'free' | 'future', string>;
  const balance = (id: string) => server().services.ledger.store.balanceOf(id);
  const refund = (who: TestClient, bookingId: string, body: unknown, idempotencyKey: string | null = key(), orgId = base.orgId) =>
    who.post(`/api/orgs/${orgId}/base/bookings/${bookingId}/refunds`, body as Record<string, unknown>, idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey });
  const withdraw = (who: TestClient, body: unknown, orgId = base.orgId) => who.post(`/api/orgs/${orgId}/ledger/withdrawals`, body as Record<string, unknown>);
  /** The request is refused with this status and code, and nothing stored changed. */
  async function refusedUnchanged(send: () => Promise<TestResponse>, status: number, code: string) {
    const before = await snapshot(server(), base.orgId);
    const res = await send();
    expect(res.status, res.body).toBe(status);
    expect(res.errorCode).toBe(code);
    expect(await snapshot(server(), base.orgId)).toEqual(before);
    return res;
  }
  const member = async (role: 'admin' | 'staff') => {
    const client = server().client();
    const login = `base-${role}-${tag()}@example.com`;
    await client.register(login);
    const added = await base.owner.post(`/api/orgs/${base.orgId}/members`, { login, role });
    expect(added.status, added.body).toBe(201);
    return client;
  };

  it('sets up a base with an admin and a staff member, another base, an MCN; books, cancels late and free, and charges', async () => {
    base = await baseWithStudio(server());
    otherBase = await baseWithStudio(server());
    mcn = await mcnWithStreamer(server());
    admin = await member('admin');
    staff = await member('staff');
    op = (await operator(server())).client;
    const book = async (from: string, to: string, who: TestClient = mcn.owner, orgId: string | null = mcn.orgId) => {
      const res = await who.post(`/api/bases/${base.orgId}/studios/${base.studioId}/bookings`, { startsAt: from, endsAt: to, ...(orgId ? { orgId } : {}) });
      expect(res.status, res.body).toBe(201);
      return res.json().booking.id as string;
    };
    ids.studio = await book(local('2026-11-27', '10:00'), local('2026-11-27', '12:00'));
    ids.own = await book(local('2026-11-27', '13:00'), local('2026-11-27', '14:00'), mcn.streamer.client, null);
    ids.late = await book(local('2026-11-27', '15:00'), local('2026-11-27', '17:00'));
    ids.free = await book(local('2026-11-29', '10:00'), local('2026-11-29', '11:00'));
    ids.future = await book(local('2026-11-30', '10:00'), local('2026-11-30', '11:00'));
    // Within the 24 free hours: half of ¥600.00, charged MCN → base now. Three days ahead: free.
    expect((await mcn.owner.post(`/api/studio-bookings/${ids.late}/cancel`)).json().booking).toMatchObject({ cancelFeeFen: 30_000 });
    expect((await mcn.owner.post(`/api/studio-bookings/${ids.free}/cancel`)).json().booking).toMatchObject({ cancelFeeFen: 0 });
    server().clock.advance(Date.parse(local('2026-11-27', '18:00')) - server().clock.now().getTime());
    expect(await server().services.bases.fees.chargeDue()).toBe(2);
    expect(await balance(`base:${base.orgId}`)).toBe(60_000 + 30_000 + 30_000);
    expect(await balance(`mcn:${mcn.orgId}`)).toBe(-90_000);
    expect(await balance(`streamer:${mcn.streamer.id}`)).toBe(-30_000);
  });

  it('refunds: only the base’s own owners and admins (FORBIDDEN for its staff, another base, the booker, an operator); another base’s booking is not found', async () => {
    const body = { amountFen: 100, reason: '设备故障' };
    for (const who of [staff, otherBase.owner, mcn.owner, mcn.streamer.client, op]) await refusedUnchanged(() => refund(who, ids.studio, body), 403, 'FORBIDDEN');
    // Another base's owner through their own base: the booking is not theirs to see.
    await refusedUnchanged(() => refund(otherBase.owner, ids.studio, body, key(), otherBase.orgId), 404, 'BOOKING_NOT_FOUND');
    await refusedUnchanged(() => refund(base.owner, 'no-such-booking', body), 404, 'BOOKING_NOT_FOUND');
  });

  it('refunds: zero, negative, fractional, text or missing amounts, an empty reason, no Idempotency-Key: VALIDATION_FAILED', async () => {
    for (const amountFen of [0, -100, 1.5, '100', null, 100_000_000_001]) await refusedUnchanged(() => refund(base.owner, ids.studio, { amountFen, reason: '设备故障' }), 400, 'VALIDATION_FAILED');
    await refusedUnchanged(() => refund(base.owner, ids.studio, { reason: '设备故障' }), 400, 'VALIDATION_FAILED');
    for (const reason of ['', '   ']) await refusedUnchanged(() => refund(base.owner, ids.studio, { amountFen: 100, reason }), 400, 'VALIDATION_FAILED');
    await refusedUnchanged(() => refund(base.owner, ids.studio, { amountFen: 100 }), 400, 'VALIDATION_FAILED');
    await refusedUnchanged(() => refund(base.owner, ids.studio, { amountFen: 100, reason: '设备故障' }, null), 400, 'VALIDATION_FAILED');
    await refusedUnchanged(() => refund(base.owner, ids.studio, { amountFen: 100, reason: '设备故障' }, 'short'), 400, 'VALIDATION_FAILED');
  });

  it('refunds: a booking not charged (still to come, or cancelled free) is refused BOOKING_NOT_CHARGED; more than charged BOOKING_REFUND_EXCEEDS', async () => {
    for (const id of [ids.future, ids.free]) await refusedUnchanged(() => refund(base.owner, id, { amountFen: 100, reason: '设备故障' }), 409, 'BOOKING_NOT_CHARGED');
    const over = await refusedUnchanged(() => refund(base.owner, ids.studio, { amountFen: 60_001, reason: '设备故障' }), 422, 'BOOKING_REFUND_EXCEEDS');
    expect(over.json().error.message).toContain('¥600.00');
    await refusedUnchanged(() => refund(base.owner, ids.late, { amountFen: 30_001, reason: '设备故障' }), 422, 'BOOKING_REFUND_EXCEEDS');
  });

  it('a partial refund goes back to the account that paid, once per Idempotency-Key; the same key for another refund is refused', async () => {
    const k = key();
    const first = await refund(admin, ids.studio, { amountFen: 20_000, reason: '  灯光故障 40 分钟 ' }, k);
    expect(first.status, first.body).toBe(201);
    const { refund: made, booking } = first.json();
    expect(made).toMatchObject({ bookingId: ids.studio, seq: 1, amountFen: 20_000, reason: '灯光故障 40 分钟', accountId: `mcn:${mcn.orgId}`, transferKey: `studio-refund:${ids.studio}:1` });
    expect(booking).toMatchObject({ id: ids.studio, priceFen: 60_000, refundedFen: 20_000 });
    // A retry (a lost answer): the same refund, nothing more posted.
    const before = await snapshot(server(), base.orgId);
    const again = await refund(admin, ids.studio, { amountFen: 20_000, reason: '灯光故障 40 分钟' }, k);
    expect(again.status, again.body).toBe(200);
    expect(again.json().refund.id).toBe(made.id);
    expect(await snapshot(server(), base.orgId)).toEqual(before);
    await refusedUnchanged(() => refund(admin, ids.studio, { amountFen: 20_001, reason: '灯光故障 40 分钟' }, k), 422, 'BOOKING_REFUND_KEY_REUSED');
    await refusedUnchanged(() => refund(admin, ids.studio, { amountFen: 20_000, reason: '另一个原因' }, k), 422, 'BOOKING_REFUND_KEY_REUSED');
    // Charged 60 000, refunded 20 000: at most 40 000 more.
    const over = await refusedUnchanged(() => refund(base.owner, ids.studio, { amountFen: 40_001, reason: '再退' }), 422, 'BOOKING_REFUND_EXCEEDS');
    expect(over.body).toContain('¥400.00');

    const { db } = server().database;
    const transfers = await db.selectFrom('ledger_transfers').select(['key', 'kind', 'memo']).where('kind', '=', 'studio_refund').execute();
    expect(transfers).toEqual([{ key: `studio-refund:${ids.studio}:1`, kind: 'studio_refund', memo: '直播间退款 studio refund: 灯光故障 40 分钟' }]);
    expect(await balance(`base:${base.orgId}`)).toBe(100_000);
    expect(await balance(`mcn:${mcn.orgId}`)).toBe(-70_000);
  });

  it('two refunds at once that together exceed what is left: exactly one is made; the same request twice at once refunds once', async () => {
    // 40 000 left on the studio booking: 30 000 + 30 000 cannot both pass.
    const [a, b] = await Promise.all([refund(base.owner, ids.studio, { amountFen: 30_000, reason: '停电' }), refund(admin, ids.studio, { amountFen: 30_000, reason: '停电' })]);
    expect([a.status, b.status].sort()).toEqual([201, 422]);
    expect((a.status === 422 ? a : b).errorCode).toBe('BOOKING_REFUND_EXCEEDS');
    expect((a.status === 201 ? a : b).json().refund).toMatchObject({ seq: 2, amountFen: 30_000 });
    // The same key sent twice at once (a double click): one refund, both answers name it.
    const k = key();
    const [c, d] = await Promise.all([refund(base.owner, ids.own, { amountFen: 10_000, reason: '提前结束' }, k), refund(base.owner, ids.own, { amountFen: 10_000, reason: '提前结束' }, k)]);
    expect([c.status, d.status].sort()).toEqual([200, 201]);
    expect(c.json().refund.id).toBe(d.json().refund.id);
    expect(c.json().refund.accountId).toBe(`streamer:${mcn.streamer.id}`);

    const { db } = server().database;
    expect((await db.selectFrom('studio_bookings').select('refunded_fen').where('id', '=', ids.studio).executeTakeFirstOrThrow()).refunded_fen).toBe(50_000);
    expect((await db.selectFrom('ledger_transfers').select('key').where('kind', '=', 'studio_refund').orderBy('key').execute()).map((t) => t.key).sort()).toEqual(
      [`studio-refund:${ids.own}:1`, `studio-refund:${ids.studio}:1`, `studio-refund:${ids.studio}:2`].sort(),
    );
    expect(await server().services.ledger.store.verify()).toMatchObject({ journalSum: 0, mismatches: [], unbalancedTransfers: [], orphanPostings: [] });
  });

  it('a late-cancellation fee is refunded in full to the booker', async () => {
    const res = await refund(base.owner, ids.late, { amountFen: 30_000, reason: '基地临时停电，免收取消费' });
    expect(res.status, res.body).toBe(201);
    expect(res.json().booking).toMatchObject({ status: 'cancelled', cancelFeeFen: 30_000, refundedFen: 30_000 });
    await refusedUnchanged(() => refund(base.owner, ids.late, { amountFen: 1, reason: '再退' }), 422, 'BOOKING_REFUND_EXCEEDS');
    // base: 120 000 − 20 000 − 30 000 − 10 000 − 30 000; MCN: −90 000 + 80 000; the streamer: −30 000 + 10 000.
    expect(await balance(`base:${base.orgId}`)).toBe(30_000);
    expect(await balance(`mcn:${mcn.orgId}`)).toBe(-10_000);
    expect(await balance(`streamer:${mcn.streamer.id}`)).toBe(-20_000);
  });

  it('withdrawals: the base’s admin withdraws through the ledger; staff, another base, the booker and an operator are FORBIDDEN; bad amounts and more than the balance change nothing', async () => {
    const first = await withdraw(admin, { amountFen: 10_000 });
    expect(first.status, first.body).toBe(201);
    expect(first.json().withdrawal).toMatchObject({ accountId: `base:${base.orgId}`, amountFen: 10_000, status: 'requested' });
    expect(await balance(`base:${base.orgId}`)).toBe(20_000);
    for (const who of [staff, otherBase.owner, mcn.owner, op]) await refusedUnchanged(() => withdraw(who, { amountFen: 100 }), 403, 'FORBIDDEN');
    for (const amountFen of [0, -100, 1.5, '100', null]) await refusedUnchanged(() => withdraw(admin, { amountFen }), 400, 'VALIDATION_FAILED');
    const over = await refusedUnchanged(() => withdraw(base.owner, { amountFen: 20_001 }), 422, 'LEDGER_INSUFFICIENT_BALANCE');
    expect(over.body).toContain('¥200.00');
  });

  it('withdrawals: two at once that together exceed the balance: one is held, the other refused; a refund beyond the balance is refused', async () => {
    const [a, b] = await Promise.all([withdraw(base.owner, { amountFen: 12_000 }), withdraw(admin, { amountFen: 12_000 })]);
    expect([a.status, b.status].sort()).toEqual([201, 422]);
    expect((a.status === 422 ? a : b).errorCode).toBe('LEDGER_INSUFFICIENT_BALANCE');
    expect(await balance(`base:${base.orgId}`)).toBe(8_000);
    // 10 000 of the studio booking is left to refund, but the base holds 8 000.
    const low = await refusedUnchanged(() => refund(base.owner, ids.studio, { amountFen: 9_000, reason: '补退' }), 422, 'BOOKING_REFUND_BALANCE_LOW');
    expect(low.body).toContain('¥80.00');
  });

  it('the operator’s queue shows the base’s withdrawals: one paid out, one rejected (the hold comes back)', async () => {
    const queue = (await op.get('/api/admin/ledger/withdrawals?status=requested')).json().withdrawals as { id: string; accountId: string; amountFen: number }[];
    const mine = queue.filter((w) => w.accountId === `base:${base.orgId}`).sort((x, y) => x.amountFen - y.amountFen);
    expect(mine.map((w) => w.amountFen)).toEqual([10_000, 12_000]);
    const paid = await op.post(`/api/admin/ledger/withdrawals/${mine[0]!.id}/approve`);
    expect(paid.json().withdrawal).toMatchObject({ status: 'paid', payoutNo: expect.any(String) });
    const rejected = await op.post(`/api/admin/ledger/withdrawals/${mine[1]!.id}/reject`, { reason: '收款账户信息不完整' });
    expect(rejected.json().withdrawal).toMatchObject({ status: 'rejected' });
    expect(await balance(`base:${base.orgId}`)).toBe(20_000);
    expect(await server().services.ledger.store.verify()).toMatchObject({ journalSum: 0, mismatches: [], unbalancedTransfers: [], orphanPostings: [] });
  });

  it('the income, the report and the statements show the refunds and withdrawals, to the fen', async () => {
    const income = (await admin.get(`/api/orgs/${base.orgId}/base/income`)).json().income;
    expect(income).toMatchObject({ balanceFen: 20_000, studioFeesFen: 90_000, cancelFeesFen: 30_000, refundsFen: 90_000, inWithdrawalFen: 0, withdrawnFen: 10_000, toChargeFen: 30_000, toChargeBookings: 1 });
    expect(income.balanceFen).toBe(income.studioFeesFen + income.cancelFeesFen - income.refundsFen - income.inWithdrawalFen - income.withdrawnFen);
    expect(income.withdrawals.map((w: { status: string }) => w.status).sort()).toEqual(['paid', 'rejected']);
    expect(income.refunds.map((r: { amountFen: number }) => r.amountFen).sort((x: number, y: number) => x - y)).toEqual([10_000, 20_000, 30_000, 30_000]);
    const charged = new Map((income.charged as { id: string; chargedFen: number; refundedFen: number; refundableFen: number }[]).map((c) => [c.id, c]));
    expect(charged.get(ids.studio)).toMatchObject({ chargedFen: 60_000, refundedFen: 50_000, refundableFen: 10_000 });
    expect(charged.get(ids.late)).toMatchObject({ chargedFen: 30_000, refundedFen: 30_000, refundableFen: 0 });
    expect(charged.get(ids.own)).toMatchObject({ chargedFen: 30_000, refundedFen: 10_000, refundableFen: 20_000 });
    expect(charged.has(ids.future) || charged.has(ids.free)).toBe(false);
    expect(income.entries.filter((e: { kind: string }) => e.kind === 'studio_refund')).toHaveLength(4);
    expect((await staff.get(`/api/orgs/${base.orgId}/base/income`)).errorCode).toBe('FORBIDDEN');

    // The month's report: revenue = charged + to charge; net = revenue + cancellation fees − refunds.
    const report = (await base.owner.get(`/api/orgs/${base.orgId}/base/report?month=2026-11`)).json().report;
    expect(report.summary).toMatchObject({ bookings: 3, bookingRevenueFen: 120_000, bookingChargedFen: 90_000, bookingToChargeFen: 30_000, cancelFeesFen: 30_000, refundedFen: 90_000, refundedBookings: 3, netBookingRevenueFen: 60_000 });
    const csv = (await base.owner.get(`/api/orgs/${base.orgId}/base/report?month=2026-11&format=csv`)).body;
    expect(csv).toContain('已退款（元）,900.00');
    expect(csv).toContain('预订净收入（元，含取消费、扣除退款）,600.00');

    // The bookers' statements list each refund as studio_refund, with the reason in the memo.
    const mine = (await mcn.streamer.client.get('/api/me/ledger')).json();
    expect(mine.entries.filter((e: { kind: string }) => e.kind === 'studio_refund')).toEqual([expect.objectContaining({ amountFen: 10_000, memo: '直播间退款 studio refund: 提前结束' })]);
    const mcnStatement = (await mcn.owner.get(`/api/orgs/${mcn.orgId}/ledger`)).json();
    expect(mcnStatement.entries.filter((e: { kind: string }) => e.kind === 'studio_refund').map((e: { amountFen: number }) => e.amountFen).sort()).toEqual([20_000, 30_000, 30_000]);
    expect(mcnStatement.account.balanceFen).toBe(-10_000);
    // The base's own statement through the ledger's organisation route.
    const baseStatement = (await admin.get(`/api/orgs/${base.orgId}/ledger`)).json();
    expect(baseStatement.account).toEqual({ id: `base:${base.orgId}`, kind: 'base', balanceFen: 20_000 });
    expect(baseStatement.withdrawals).toHaveLength(2);
    expect((await staff.get(`/api/orgs/${base.orgId}/ledger`)).errorCode).toBe('FORBIDDEN');
    // And the booker's own view of the booking.
    const own = ((await mcn.streamer.client.get('/api/me/studio-bookings')).json().bookings as { id: string; refundedFen: number }[]).find((b) => b.id === ids.own);
    expect(own?.refundedFen).toBe(10_000);
    expect(await server().services.ledger.store.verify()).toMatchObject({ journalSum: 0, mismatches: [], unbalancedTransfers: [], orphanPostings: [] });
  });
});
