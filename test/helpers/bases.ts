// Shared set-up of the bases tests (test/bases.test.ts, test/browser/bases.test.ts): a base with a
// studio, an MCN with a signed streamer, and a live held with its paid orders (written straight into
// the database, as test/analytics.test.ts does, instead of publishing video).
import { newId } from '../../server/platform/ids.ts';
import { operator, streamer } from './people.ts';
import type { TestClient, TestServer } from './server.ts';
import { tag } from './shop.ts';

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
