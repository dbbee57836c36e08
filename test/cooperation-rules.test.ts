// The square's rules that finish issue 11 (docs/COOPERATION.md): the category requirement enforced
// from what a streamer has sold in their lives, and shown per offer; a brand revoking an approval,
// with what that does to the 小黄车 of scheduled and running lives and to paid orders; the approved
// brands for pickers; and the MCN refusal that names a right in words. On SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import { newId } from '../server/platform/ids.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator } from './helpers/people.ts';
import type { TestServer } from './helpers/server.ts';
import { newBuyer, payInSandbox, shop, tag } from './helpers/shop.ts';

type Shop = Awaited<ReturnType<typeof shop>>;
type Eligibility = { met: boolean; followers: { required: number; count: number; met: boolean }; categories: { required: string[]; streamer: string[]; met: boolean } };

async function offer(s: Shop, productId: string, body: Record<string, unknown> = {}) {
  const res = await s.owner.post(`/api/orgs/${s.orgId}/offers`, { productId, commissionBps: 2000, ...body });
  expect(res.status, res.body).toBe(201);
  return res.json().offer as { id: string };
}

/** A session of the streamer inserted as it stands (a live needs a publisher otherwise), with an empty 小黄车. */
async function sessionOf(server: TestServer, streamerId: string, brandId: string, status: 'scheduled' | 'live') {
  const id = newId();
  const at = server.clock.now().toISOString();
  await server.database.db
    .insertInto('live_sessions')
    .values({ id, streamer_id: streamerId, brand_org_id: brandId, title: status === 'live' ? '正在直播' : '下周专场', cover_url: null, status, scheduled_at: at, started_at: status === 'live' ? at : null, ended_at: null, created_at: at })
    .execute();
  return id;
}

describeEachDatabase(
  'cooperation rules',
  ({ server }) => {
    const db = () => server().database.db;
    const count = async (table: 'cooperation_applications' | 'business_events' | 'session_products') => Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const cart = (sessionId: string) => db().selectFrom('session_products').select(['product_id', 'link', 'commission_bps']).where('session_id', '=', sessionId).orderBy('link').execute().then((rows) => rows.map((r) => [r.product_id, r.link, Number(r.commission_bps)]));

    it('categories: refused until the streamer has sold in one of them in a paid order of their lives; the square shows each requirement met or not', async () => {
      const a = await shop(server());
      const b = await shop(server());
      const cream = (await a.owner.post(`/api/orgs/${a.orgId}/products`, { title: '修护面霜', category: '美妆/护肤', returnPolicy: 'standard', skus: [{ spec: { 容量: '50g' }, priceFen: 19_900, stock: 50 }] })).json().product as { id: string };
      const beautyOnly = await offer(a, cream.id, { requirements: { minFollowers: 0, categories: ['美妆'] } });
      const s = b.host; // b's streamer has sold nothing yet
      const eligibility = async () => ((await s.client.get(`/api/offers?brandOrgId=${a.orgId}&q=面霜`)).json().offers[0].eligibility as Eligibility);

      expect(await eligibility()).toEqual({ met: false, followers: { required: 0, count: 0, met: true }, categories: { required: ['美妆'], streamer: [], met: false } });
      const snapshot = async () => [await count('cooperation_applications'), await count('business_events')];
      const before = await snapshot();
      const refused = await s.client.post(`/api/offers/${beautyOnly.id}/applications`, {});
      expect(refused.status).toBe(422);
      expect(refused.errorCode).toBe('REQUIREMENT_CATEGORIES');
      expect(refused.json().error.message).toBe('该商品要求主播带货过以下品类之一：美妆（主播已带货品类：—）');
      // In English for a streamer whose language setting is English.
      expect((await s.client.patch('/api/me', { locale: 'en' })).status).toBe(200);
      expect((await s.client.post(`/api/offers/${beautyOnly.id}/applications`, {})).json().error.message).toBe('This offer asks for a streamer who has sold one of: 美妆 (the streamer has sold: —)');
      expect((await s.client.patch('/api/me', { locale: 'zh-CN' })).status).toBe(200);
      expect(await snapshot()).toEqual(before);

      // Brand b gets a lipstick; its streamer lists it. An order placed but not paid does not count.
      const lipstick = (await b.owner.post(`/api/orgs/${b.orgId}/products`, { title: '丝绒口红', category: '美妆/彩妆', returnPolicy: 'standard', skus: [{ spec: { 色号: '01' }, priceFen: 9900, stock: 50 }] })).json().product as { id: string; skus: { id: string }[] };
      expect((await s.client.put(`/api/rooms/${b.sessionId}/products`, { items: [{ productId: b.butterfly.id }, { productId: lipstick.id }] })).status).toBe(200);
      const buyer = await newBuyer(server());
      const unpaid = await buyer.client.post('/api/orders', { items: [{ productId: lipstick.id, skuId: lipstick.skus[0]!.id, quantity: 1 }], sessionId: b.sessionId });
      expect(unpaid.status, unpaid.body).toBe(201);
      expect((await s.client.post(`/api/offers/${beautyOnly.id}/applications`, {})).errorCode).toBe('REQUIREMENT_CATEGORIES');
      // Paid: she has sold 美妆 (美妆/彩妆 is under 美妆), and food (食品) is not needed.
      await payInSandbox(server(), buyer.client, unpaid.json().order.id);
      expect(await eligibility()).toEqual({ met: true, followers: { required: 0, count: 0, met: true }, categories: { required: ['美妆'], streamer: ['美妆'], met: true } });
      // Compare and the offer itself carry it too.
      expect((await s.client.get(`/api/offers/${beautyOnly.id}`)).json().offer.eligibility.met).toBe(true);
      expect((await s.client.get(`/api/offers/compare?ids=${beautyOnly.id}`)).json().offers[0].eligibility.categories.streamer).toEqual(['美妆']);
      const applied = await s.client.post(`/api/offers/${beautyOnly.id}/applications`, {});
      expect(applied.status, applied.body).toBe(201);

      // A sub-category asks for exactly that branch: 美妆/护肤 is not met by 美妆/彩妆.
      const serumOffer = await offer(a, a.serum.id, { requirements: { minFollowers: 0, categories: ['美妆/护肤', '家居'] } });
      const card = (await s.client.get(`/api/offers/${serumOffer.id}`)).json().offer.eligibility as Eligibility;
      expect(card.categories).toEqual({ required: ['美妆/护肤', '家居'], streamer: ['美妆'], met: false });
      const sub = await s.client.post(`/api/offers/${serumOffer.id}/applications`, {});
      expect(sub.errorCode).toBe('REQUIREMENT_CATEGORIES');
      expect(sub.json().error.message).toBe('该商品要求主播带货过以下品类之一：美妆/护肤、家居（主播已带货品类：美妆）');
      // Followers are checked first, and say so.
      const both = await offer(a, a.mooncake.id, { requirements: { minFollowers: 5, categories: ['家居'] } });
      expect((await s.client.post(`/api/offers/${both.id}/applications`, {})).errorCode).toBe('REQUIREMENT_FOLLOWERS');
    });

    it('revoking an approval: gone from scheduled 小黄车 and new lists, kept by the running live at its rate, paid orders keep their commission', async () => {
      const a = await shop(server());
      const b = await shop(server());
      const s = b.host;
      const butterflyOffer = await offer(a, a.butterfly.id);
      const applied = (await s.client.post(`/api/offers/${butterflyOffer.id}/applications`, {})).json().application;
      const appUrl = `/api/orgs/${a.orgId}/applications/${applied.id}`;
      // Only an approved application can be revoked.
      expect((await a.owner.post(`${appUrl}/revoke`, { reason: '太早了' })).errorCode).toBe('APPLICATION_STATE_CONFLICT');
      expect((await a.owner.post(`${appUrl}/approve`, { commissionBps: 2500 })).status).toBe(200);

      // The approved product in a scheduled live (between b's own products) and in a running live.
      const scheduled = b.sessionId;
      const list = (sessionId: string, ids: string[]) => s.client.put(`/api/rooms/${sessionId}/products`, { items: ids.map((productId) => ({ productId })) });
      expect((await list(scheduled, [b.butterfly.id, a.butterfly.id, b.serum.id])).status).toBe(200);
      const running = await sessionOf(server(), s.id, b.orgId, 'live');
      expect((await list(running, [a.butterfly.id, b.mooncake.id])).status).toBe(200);
      // Bought and paid in the running live before the revocation.
      const buyer = await newBuyer(server());
      const order = (await buyer.client.post('/api/orders', { items: [{ productId: a.butterfly.id, skuId: a.butterfly.skus[0]!.id, quantity: 1 }], sessionId: running })).json().order;
      await payInSandbox(server(), buyer.client, order.id);
      await server().services.events.drain();

      // Refusals change nothing: no reason, another brand, a missing one.
      const stored = async () => [await db().selectFrom('cooperation_applications').selectAll().where('id', '=', applied.id).executeTakeFirstOrThrow(), await count('business_events'), await cart(scheduled), await cart(running)];
      const before = await stored();
      expect((await a.owner.post(`${appUrl}/revoke`, {})).errorCode).toBe('VALIDATION_FAILED');
      expect((await a.owner.post(`${appUrl}/revoke`, { reason: '  ' })).errorCode).toBe('VALIDATION_FAILED');
      const otherBrand = await b.owner.post(`/api/orgs/${b.orgId}/applications/${applied.id}/revoke`, { reason: '不是我的' });
      expect(otherBrand.status).toBe(404);
      expect(otherBrand.errorCode).toBe('APPLICATION_NOT_FOUND');
      expect((await b.owner.post(`/api/orgs/${a.orgId}/applications/${applied.id}/revoke`, { reason: '越权' })).errorCode).toBe('FORBIDDEN');
      expect((await s.client.post(`${appUrl}/revoke`, { reason: '主播自己' })).errorCode).toBe('FORBIDDEN');
      expect((await a.owner.post(`/api/orgs/${a.orgId}/applications/${newId()}/revoke`, { reason: '无' })).errorCode).toBe('APPLICATION_NOT_FOUND');
      expect(await stored()).toEqual(before);

      const revoked = await a.owner.post(`${appUrl}/revoke`, { reason: '渠道调整，暂停合作' });
      expect(revoked.status, revoked.body).toBe(200);
      expect(revoked.json().application).toMatchObject({ status: 'revoked', commissionBps: 2500, reason: '渠道调整，暂停合作', revokedAt: server().clock.now().toISOString() });
      expect((await a.owner.post(`${appUrl}/revoke`, { reason: '再来一次' })).errorCode).toBe('APPLICATION_STATE_CONFLICT');

      // The scheduled live's 小黄车 lost it and its links closed up; the running live keeps it at 25 %.
      expect(await cart(scheduled)).toEqual([
        [b.butterfly.id, 1, 0],
        [b.serum.id, 2, 0],
      ]);
      expect(await cart(running)).toEqual([
        [a.butterfly.id, 1, 2500],
        [b.mooncake.id, 2, 0],
      ]);
      // Re-saving the running live's list keeps it; it cannot go back into the scheduled one, nor a new live.
      expect((await list(running, [b.mooncake.id, a.butterfly.id])).status).toBe(200);
      expect(await cart(running)).toEqual([
        [b.mooncake.id, 1, 0],
        [a.butterfly.id, 2, 2500],
      ]);
      const again = await list(scheduled, [b.butterfly.id, a.butterfly.id]);
      expect(again.status).toBe(403);
      expect(again.errorCode).toBe('OFFER_NOT_APPROVED');
      const fresh = await sessionOf(server(), s.id, b.orgId, 'scheduled');
      expect((await list(fresh, [a.butterfly.id])).errorCode).toBe('OFFER_NOT_APPROVED');
      expect((await s.client.get(`/api/rooms/${fresh}/catalogue`)).json().products.map((p: { id: string }) => p.id)).not.toContain(a.butterfly.id);

      // The order paid before keeps its 25 % in the ledger.
      const terms = await db().selectFrom('ledger_orders').select('lines').where('order_id', '=', order.id).executeTakeFirstOrThrow();
      expect(JSON.parse(terms.lines)).toEqual([expect.objectContaining({ productId: a.butterfly.id, commissionBps: 2500 })]);
      // One event in the outbox says so.
      const events = await db().selectFrom('business_events').select(['type', 'payload']).where('subject_id', '=', applied.id).where('type', '=', 'application.revoked').execute();
      expect(events).toHaveLength(1);
      expect(JSON.parse(events[0]!.payload)).toMatchObject({ applicationId: applied.id, brandOrgId: a.orgId, streamerId: s.id, productId: a.butterfly.id, commissionBps: 2500, reason: '渠道调整，暂停合作', removedFromSessionIds: [scheduled] });

      // 我的带货: the streamer sees it revoked, with the reason; the brand's list filters it.
      const mine = (await s.client.get('/api/me/cooperation/applications?status=revoked')).json().applications;
      expect(mine).toEqual([expect.objectContaining({ id: applied.id, status: 'revoked', reason: '渠道调整，暂停合作' })]);
      expect((await a.owner.get(`/api/orgs/${a.orgId}/applications?status=revoked`)).json().applications.map((x: { id: string }) => x.id)).toEqual([applied.id]);
      // The streamer may apply again.
      expect((await s.client.post(`/api/offers/${butterflyOffer.id}/applications`, {})).status).toBe(201);
    });

    it('revoking in a scheduled live of the product’s own brand keeps it there at 0 %', async () => {
      const a = await shop(server());
      const s = (await shop(server())).host;
      const butterflyOffer = await offer(a, a.butterfly.id);
      const applied = (await s.client.post(`/api/offers/${butterflyOffer.id}/applications`, {})).json().application;
      await a.owner.post(`/api/orgs/${a.orgId}/applications/${applied.id}/approve`, {});
      const ownBrandLive = await sessionOf(server(), s.id, a.orgId, 'scheduled');
      expect((await s.client.put(`/api/rooms/${ownBrandLive}/products`, { items: [{ productId: a.butterfly.id }] })).status).toBe(200);
      expect(await cart(ownBrandLive)).toEqual([[a.butterfly.id, 1, 2000]]);
      expect((await a.owner.post(`/api/orgs/${a.orgId}/applications/${applied.id}/revoke`, { reason: '调整' })).status).toBe(200);
      expect(await cart(ownBrandLive)).toEqual([[a.butterfly.id, 1, 0]]);
    });

    it('the approved brands for pickers: by name, with their offer counts, paged; logged-in only', async () => {
      const a = await shop(server());
      await offer(a, a.butterfly.id);
      await offer(a, a.serum.id);
      const paused = await offer(a, a.mooncake.id);
      await a.owner.patch(`/api/orgs/${a.orgId}/offers/${paused.id}`, { status: 'paused' });
      const b = await shop(server());
      // A brand still waiting for review is not listed.
      const pending = server().client();
      await pending.register(`brand-${tag()}@example.com`);
      const waiting = (await pending.post('/api/orgs', { kind: 'brand', name: `待审品牌${tag()}`, licenceName: '上海某某有限公司', licenceNo: '91310000MA1FL0XX2X' })).json().org;

      const viewer = (await newBuyer(server(), false)).client;
      const all = (await viewer.get('/api/offers/brands?pageSize=100')).json();
      const find = (id: string) => all.brands.find((x: { id: string }) => x.id === id);
      expect(find(a.orgId)).toEqual({ id: a.orgId, name: expect.any(String), offerCount: 2 });
      expect(find(b.orgId)).toMatchObject({ offerCount: 0 });
      expect(find(waiting.id)).toBeUndefined();
      const names = all.brands.map((x: { name: string }) => x.name);
      expect(names).toEqual([...names].sort((x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)));
      expect(all).toMatchObject({ total: all.brands.length, page: 1, pageSize: 100 });
      // Paged, and found by name.
      const first = (await viewer.get('/api/offers/brands?pageSize=1')).json();
      const second = (await viewer.get('/api/offers/brands?pageSize=1&page=2')).json();
      expect(first.brands).toHaveLength(1);
      expect(second.brands[0].id).not.toBe(first.brands[0].id);
      expect(first.total).toBe(all.total);
      const byName = (await viewer.get(`/api/offers/brands?q=${encodeURIComponent(find(a.orgId).name)}`)).json();
      expect(byName.brands.map((x: { id: string }) => x.id)).toEqual([a.orgId]);
      // Bad paging and no login are refused.
      expect((await viewer.get('/api/offers/brands?pageSize=101')).errorCode).toBe('VALIDATION_FAILED');
      expect((await viewer.get('/api/offers/brands?page=0')).errorCode).toBe('VALIDATION_FAILED');
      const anonymous = await server().client().get('/api/offers/brands');
      expect(anonymous.status).toBe(401);
      expect(anonymous.errorCode).toBe('AUTH_REQUIRED');
    });

    it('an MCN refused a right it was not granted hears the right named in words, in zh-CN and en', async () => {
      const s = (await shop(server())).host;
      const owner = server().client();
      await owner.register(`mcn-${tag()}@example.com`);
      const org = (await owner.post('/api/orgs', { kind: 'mcn', name: `MCN${tag()}` })).json().org;
      await (await operator(server())).client.post(`/api/admin/orgs/${org.id}/review`, { decision: 'approve' });
      const startsAt = server().clock.now().toISOString();
      const offered = await owner.post(`/api/orgs/${org.id}/contracts`, { streamerId: s.id, startsAt, endsAt: new Date(server().clock.now().getTime() + 86_400_000 * 30).toISOString(), splitBps: 3000, exclusive: false, rights: ['manage_products'] });
      expect(offered.status, offered.body).toBe(201);
      expect((await s.client.post(`/api/me/mcn-contracts/${offered.json().contract.id}/accept`)).status).toBe(200);
      const body = { title: '机构代排直播', scheduledAt: new Date(server().clock.now().getTime() + 86_400_000).toISOString() };
      const zh = await owner.post(`/api/orgs/${org.id}/streamers/${s.id}/live-sessions`, body);
      expect(zh.status).toBe(403);
      expect(zh.errorCode).toBe('MCN_RIGHT_NOT_GRANTED');
      expect(zh.json().error.message).toBe('主播未授予机构「排期直播」权限');
      expect((await owner.patch('/api/me', { locale: 'en' })).status).toBe(200);
      const en = await owner.post(`/api/orgs/${org.id}/streamers/${s.id}/live-sessions`, body);
      expect(en.json().error.message).toBe('The streamer has not granted the MCN the right “Schedule lives”');
    });
  },
  { listen: true, timeoutMs: 120_000, env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } },
);

