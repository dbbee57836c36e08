// Shared set-up of the bases tests (test/bases.test.ts, test/browser/bases.test.ts): a base with a
// studio, an MCN with a signed streamer, and a live held with its paid orders (written straight into
// the database, as test/analytics.test.ts does, instead of publishing video).
import { newId } from '../../server/platform/ids.ts';
import { expect } from 'vitest';
import { joinOrg, operator, streamer } from './people.ts';
import type { TestClient, TestServer } from './server.ts';
import { approvedBrand, tag, type Brand } from './shop.ts';

export type BaseFixture = { owner: TestClient; ownerId: string; orgId: string; studioId: string };
export type McnFixture = { owner: TestClient; ownerId: string; orgId: string; streamer: { client: TestClient; id: string } };

async function approvedOrg(server: TestServer, kind: 'base' | 'mcn' | 'brand', name: string) {
  const owner = server.client();
  const user = await owner.register(`${kind}-${tag()}@example.com`);
  const org = (await owner.post('/api/orgs', { kind, name })).json().org;
  const op = await operator(server);
  await op.client.post(`/api/admin/orgs/${org.id}/review`, { decision: 'approve' });
  return { owner, ownerId: user.id as string, orgId: org.id as string };
}

/** An approved base open 09:00–23:00 Beijing time (free cancellation until 24 h before, then 50 %), with one studio at ¥300.00 an hour. */
export async function baseWithStudio(server: TestServer): Promise<BaseFixture> {
  const b = await approvedOrg(server, 'base', `虹桥基地${tag()}`);
  const profile = await b.owner.put(`/api/orgs/${b.orgId}/base/profile`, { areaSqm: 12000, theme: '食品美妆', address: '上海市闵行区申长路 1 号', opensAt: '09:00', closesAt: '23:00', photos: [], freeCancelHours: 24, cancelFeeBps: 5000 });
  if (profile.status !== 200) throw new Error(profile.body);
  const studio = await b.owner.post(`/api/orgs/${b.orgId}/studios`, { name: 'A1 美妆直播间', areaSqm: 36, scenes: ['美妆台'], equipment: ['4K 摄像机 ×2', '环形补光灯', '绿幕', '提词器'], capacity: 6, hourlyRateFen: 30000 });
  if (studio.status !== 201) throw new Error(studio.body);
  return { ...b, studioId: studio.json().studio.id };
}

/** An approved MCN with a verified streamer under an accepted contract granting 'manage_sessions'. */
export async function mcnWithStreamer(server: TestServer): Promise<McnFixture> {
  const m = await approvedOrg(server, 'mcn', `星火${tag()}`);
  const s = await streamer(server);
  const now = server.clock.now().getTime();
  const offered = await m.owner.post(`/api/orgs/${m.orgId}/contracts`, { streamerId: s.id, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 365 * 86_400_000).toISOString(), splitBps: 3000, exclusive: true, rights: ['manage_sessions'] });
  if (offered.status !== 201) throw new Error(offered.body);
  await s.client.post(`/api/me/mcn-contracts/${offered.json().contract.id}/accept`);
  return { ...m, streamer: s };
}

/** The live went on air at `startedAt` for `minutes` and ended, as the media server would have recorded it. */
export async function holdLive(server: TestServer, sessionId: string, startedAt: string, minutes: number, peakViewers = 0) {
  const ended = new Date(Date.parse(startedAt) + minutes * 60_000).toISOString();
  await server.database.db.updateTable('live_sessions').set({ status: 'ended', started_at: startedAt, ended_at: ended, ended_reason: 'streamer_ended', peak_viewers: peakViewers }).where('id', '=', sessionId).execute();
}

/** A paid order of the live (total and refunded in fen). */
export async function paidOrder(server: TestServer, input: { sessionId: string; buyerId: string; brandOrgId: string; totalFen: number; refundedFen?: number; paidAt: string }) {
  const row = server.services.commerce.orders.newOrderRow({
    id: newId(),
    buyer_id: input.buyerId,
    brand_org_id: input.brandOrgId,
    session_id: input.sessionId,
    flash_sale_id: null,
    items_total_fen: input.totalFen,
    discount_fen: 0,
    shipping_fen: 0,
    total_fen: input.totalFen,
    user_coupon_id: null,
    coupon_title: null,
    address: '{}',
    confirmed_no_return: 0,
    idempotency_key: `base-${tag()}`,
    request_hash: 'test',
  });
  await server.database.db.insertInto('orders').values({ ...row, status: 'paid', paid_at: input.paidAt, refunded_fen: input.refundedFen ?? 0 }).execute();
}

/** Local 'YYYY-MM-DD HH:MM' (UTC+8) → ISO UTC. */
export const beijing = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`).toISOString();

type Person = { client: TestClient; id: string };
/**
 * A base with a studio and an approved brand with the people around it, for a live the brand schedules from its own
 * booking (test/bases-brand-live*.test.ts): its 运营 (role staff), its member streamer, a streamer with an approved
 * 带货申请 with it, and a streamer with no tie to it.
 */
export type BrandBookingFixture = { base: BaseFixture; brand: Brand; staff: Person; member: Person; partner: Person; outsider: Person };

export async function brandWithStreamers(server: TestServer): Promise<BrandBookingFixture> {
  const base = await baseWithStudio(server);
  const brand = await approvedBrand(server);
  const staff = await streamer(server, { approved: false });
  await joinOrg(server, brand.orgId, staff.id, 'staff');
  const member = await streamer(server);
  await joinOrg(server, brand.orgId, member.id, 'streamer');
  const partner = await streamer(server);
  const offer = await brand.owner.post(`/api/orgs/${brand.orgId}/offers`, { productId: brand.productId, commissionBps: 2000 });
  expect(offer.status, offer.body).toBe(201);
  const applied = await partner.client.post(`/api/offers/${offer.json().offer.id}/applications`, { message: '想带货' });
  expect(applied.status, applied.body).toBe(201);
  expect((await brand.owner.post(`/api/orgs/${brand.orgId}/applications/${applied.json().application.id}/approve`, {})).status).toBe(200);
  const outsider = await streamer(server);
  return { base, brand, staff, member, partner, outsider };
}

/** The brand books the studio 19:00–22:00 of a new day each time (for `streamerId` if given), and schedules lives from its bookings. */
export function brandBookings(fixture: () => BrandBookingFixture) {
  let day = 0;
  const nextDay = () => new Date(Date.parse('2026-11-27T00:00:00Z') + day++ * 86_400_000).toISOString().slice(0, 10);
  return {
    /** A new day, 'YYYY-MM-DD', for a booking of the test's own (the brand's bookings take the next ones). */
    nextDay,
    async bookFor(streamerId?: string) {
      const { base, brand } = fixture();
      const d = nextDay();
      const res = await brand.owner.post(`/api/bases/${base.orgId}/studios/${base.studioId}/bookings`, { startsAt: beijing(d, '19:00'), endsAt: beijing(d, '22:00'), title: '品牌自播专场', orgId: brand.orgId, ...(streamerId && { streamerId }) });
      expect(res.status, res.body).toBe(201);
      return res.json().booking as { id: string; startsAt: string; endsAt: string };
    },
    schedule: (who: TestClient, bookingId: string, body: Record<string, unknown>) => who.post(`/api/studio-bookings/${bookingId}/live-sessions`, { title: '品牌自播：新品', ...body }),
  };
}
