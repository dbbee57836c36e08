// Discovery (docs/DISCOVERY.md): the home page's lists and category tabs, a streamer's and a brand's
// public pages, the following feed, and what each answers to bad input. Runs on the demo data.
import { expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { newId } from '../server/platform/ids.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { streamer } from './helpers/people.ts';
import type { TestServer } from './helpers/server.ts';

type Card = { id: string; title: string; status: string; hasReplay: boolean; viewers: number | null; streamer: { id: string; displayName: string }; brand: { id: string; name: string } | null; categories: string[] };
type Discover = { category: string | null; categories: string[]; live: Card[]; upcoming: Card[]; replays: Card[]; nextCursor: string | null };

const userId = async (server: TestServer, login: string) =>
  (await server.database.db.selectFrom('users').select('id').where((eb) => eb.or([eb('phone', '=', login), eb('email', '=', login)])).executeTakeFirstOrThrow()).id;
const orgId = async (server: TestServer, name: string) => (await server.database.db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
const titles = (cards: Card[]) => cards.map((c) => c.title).sort();

/** A brand of its own, approved, with one product in `category`; returns the brand and product ids. */
async function brandWith(server: TestServer, name: string, category: string, approve = true) {
  const owner = await streamer(server, { approved: false });
  const org = await server.services.orgs.create(owner.id, { kind: 'brand', name, description: `${name}的介绍`, licenceName: `${name}有限公司`, licenceNo: '91310101MA1FPX9999' });
  if (approve) await server.services.orgs.review(org.id, 'approve', 'ok', owner.id);
  const productId = newId();
  const at = server.clock.now().toISOString();
  await server.services.catalog.insertProduct(
    { id: productId, brand_org_id: org.id, title: `${name}的商品`, description: '', category, images: '["https://img.example.com/a.jpg"]', return_policy: 'standard', status: 'on_sale', created_at: at },
    [{ id: newId(), product_id: productId, spec: '{}', price_fen: 9900, stock: 10, created_at: at }, { id: newId(), product_id: productId, spec: '{"a":"b"}', price_fen: 5900, stock: 10, created_at: at }],
  );
  return { brandId: org.id, productId };
}

/** A session by `streamerId` in `status`, carrying `productId`. */
async function sessionWith(server: TestServer, streamerId: string, brandId: string, productId: string, status: 'live' | 'scheduled' | 'ended', title: string, replay: 'ready' | 'none' = 'none') {
  const id = newId();
  const at = server.clock.now().toISOString();
  await server.database.db
    .insertInto('live_sessions')
    .values({ id, streamer_id: streamerId, brand_org_id: brandId, title, cover_url: null, status, scheduled_at: at, started_at: status === 'scheduled' ? null : at, ended_at: status === 'ended' ? at : null, created_at: at, replay_status: replay })
    .execute();
  await server.database.db.insertInto('session_products').values({ session_id: id, product_id: productId, link: 1, live_prices: '{}', added_at: at }).execute();
  return id;
}

describeEachDatabase(
  'discovery',
  ({ server }) => {
    const discover = async (query = '') => {
      const response = await server().client().get(`/api/discover${query}`);
      expect(response.status, response.body).toBe(200);
      return response.json<Discover>();
    };

    it('shows the demo on the home page: upcoming lives, replays and the category tabs their products give', async () => {
      const home = await discover();
      expect(home.categories).toEqual(expect.arrayContaining(['食品', '美妆', '家居', '生活服务', '跨境']));
      expect(home.categories).toHaveLength(5);
      expect(home.live).toEqual([]);
      expect(home.upcoming).toHaveLength(4);
      expect(home.upcoming.map((c) => c.status)).toEqual(['scheduled', 'scheduled', 'scheduled', 'scheduled']);
      // Soonest first.
      expect(home.upcoming[0]!.title).toBe('老字号鲜肉月饼现烤直播：新品首发');
      expect(titles(home.replays)).toEqual(['中秋鲜肉月饼专场（回放）', '玉兰凝肌精华液首发（回放）', '阿May的换季家居好物分享（回放）'].sort());
      for (const card of home.replays) expect(card).toMatchObject({ status: 'ended', hasReplay: true });
      const mooncake = home.upcoming[0]!;
      expect(mooncake).toMatchObject({ streamer: { displayName: '小林说吃' }, brand: { name: '德兴斋' }, categories: ['食品'], viewers: null });
      // The 蝴蝶酥 live also carries 玉兰凝肌's 面霜 (cooperation): both categories, the most carried first.
      // It sells the 直播+ demo's milk powder too (跨境); the wholesale carton and the origin-certified tea are 食品.
      expect(home.upcoming.find((c) => c.title === '德兴斋蝴蝶酥工厂溯源专场')!.categories).toEqual(['食品', '美妆', '跨境']);
      expect(home.nextCursor).toBeNull();
    });

    it('filters every list by the top-level category of the products a session carries', async () => {
      const beauty = await discover(`?category=${encodeURIComponent('美妆')}`);
      expect(beauty.category).toBe('美妆');
      expect(titles(beauty.upcoming)).toEqual(['唇釉试色：三支新色首发', '德兴斋蝴蝶酥工厂溯源专场', '玉兰凝肌秋冬护肤专场 · 五五购物节预热'].sort());
      expect(titles(beauty.replays)).toEqual(['玉兰凝肌精华液首发（回放）']);
      const home = await discover(`?category=${encodeURIComponent('家居')}`);
      expect(home.upcoming).toEqual([]);
      expect(titles(home.replays)).toEqual(['阿May的换季家居好物分享（回放）']);
      // The tabs stay the same whichever is chosen; a category nobody sells is simply empty.
      expect(home.categories).toHaveLength(5);
      const none = await discover(`?category=${encodeURIComponent('数码')}`);
      expect([none.live, none.upcoming, none.replays]).toEqual([[], [], []]);
    });

    it('adds a tab when a live carries a new category, lists lives now with their viewers, and leaves out ended sessions without a replay', async () => {
      const s = await streamer(server());
      const { brandId, productId } = await brandWith(server(), '云裳服饰', '服饰/女装');
      const liveId = await sessionWith(server(), s.id, brandId, productId, 'live', '秋冬女装上新直播');
      await sessionWith(server(), s.id, brandId, productId, 'ended', '没有回放的一场', 'none');
      // Tabs are reused for a few seconds.
      server().clock.advance(6000);
      const home = await discover();
      expect(home.categories).toContain('服饰');
      expect(home.live.map((c) => c.id)).toEqual([liveId]);
      expect(home.live[0]).toMatchObject({ status: 'live', viewers: 0, categories: ['服饰'], brand: { id: brandId, name: '云裳服饰' } });
      // Its brand page: the product at its lowest SKU price, with its picture and the live selling it.
      const brandPage = (await server().client().get(`/api/brands/${brandId}/profile`)).json();
      expect(brandPage.products).toEqual([{ id: productId, title: '云裳服饰的商品', category: '服饰/女装', image: 'https://img.example.com/a.jpg', priceFen: 5900, brand: { id: brandId, name: '云裳服饰' }, lives: [{ id: liveId, title: '秋冬女装上新直播', status: 'live' }] }]);
      expect(brandPage.live.map((c: Card) => c.id)).toEqual([liveId]);
      const clothes = await discover(`?category=${encodeURIComponent('服饰')}`);
      expect(clothes.live.map((c) => c.id)).toEqual([liveId]);
      expect(clothes.replays).toEqual([]);
      // The end of it: the live ends without a replay and the tab goes once nothing carries 服饰 any more.
      await server().database.db.updateTable('live_sessions').set({ status: 'ended' }).where('id', '=', liveId).execute();
      server().clock.advance(6000);
      expect((await discover()).categories).not.toContain('服饰');
    });

    it('pages the replays with a cursor', async () => {
      const first = await discover('?limit=2');
      expect(first.replays).toHaveLength(2);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await discover(`?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
      // Live and upcoming were on the first page.
      expect(second.upcoming).toEqual([]);
      expect(second.live).toEqual([]);
      expect(second.replays).toHaveLength(1);
      expect(second.nextCursor).toBeNull();
      const all = [...first.replays, ...second.replays].map((c) => c.id);
      expect(new Set(all).size).toBe(3);
      expect(all.sort()).toEqual((await discover()).replays.map((c) => c.id).sort());
    });

    it('refuses a malformed category, cursor or limit with VALIDATION_FAILED', async () => {
      const client = server().client();
      const bad = [
        `?category=${encodeURIComponent('食品/糕点')}`,
        `?category=${encodeURIComponent('食%')}`,
        '?category=',
        `?category=${'长'.repeat(21)}`,
        '?cursor=not-a-cursor',
        `?cursor=${Buffer.from(JSON.stringify({ at: 'yesterday', id: 'x' })).toString('base64url')}`,
        `?cursor=${Buffer.from('[1,2]').toString('base64url')}`,
        '?limit=0',
        '?limit=51',
        '?page=2',
      ];
      for (const query of bad) {
        const response = await client.get(`/api/discover${query}`);
        expect(response.status, query).toBe(400);
        expect(response.errorCode, query).toBe('VALIDATION_FAILED');
      }
      const en = await server().client({ locale: 'en' }).get('/api/discover?cursor=zzz');
      expect(en.json().error.message).toMatch(/^The request is invalid: cursor/);
    });

    it("shows a streamer's public page: followers, follow state, lives, replays and what they sell", async () => {
      const beautyId = await userId(server(), DEMO_ACCOUNTS.streamerBeauty.login);
      const anonymous = await server().client().get(`/api/streamers/${beautyId}/profile`);
      expect(anonymous.status, anonymous.body).toBe(200);
      const page = anonymous.json();
      expect(page.streamer).toEqual({ id: beautyId, displayName: '阿May美妆', followers: 1, following: null });
      expect(page.live).toEqual([]);
      expect(titles(page.upcoming)).toEqual(['唇釉试色：三支新色首发', '玉兰凝肌秋冬护肤专场 · 五五购物节预热'].sort());
      expect(titles(page.replays)).toEqual(['玉兰凝肌精华液首发（回放）', '阿May的换季家居好物分享（回放）'].sort());
      const titlesSold = page.products.map((p: { title: string }) => p.title);
      expect(titlesSold).toEqual(expect.arrayContaining(['玉兰凝肌焕亮精华液', '玉兰凝肌丝绒唇釉', '玉兰凝肌舒缓面霜', '棉田长绒棉四件套']));
      // Upcoming lives' products come first, each naming the lives that sell it.
      expect(page.products[0]).toMatchObject({ brand: { name: '玉兰凝肌' }, priceFen: expect.any(Number) });
      const serum = page.products.find((p: { title: string }) => p.title === '玉兰凝肌焕亮精华液');
      expect(serum).toMatchObject({ category: '美妆/护肤', priceFen: 29900 });
      expect(serum.lives.map((l: { title: string }) => l.title).sort()).toEqual(['唇釉试色：三支新色首发', '玉兰凝肌秋冬护肤专场 · 五五购物节预热'].sort());
      const sheets = page.products.find((p: { title: string }) => p.title === '棉田长绒棉四件套');
      expect(sheets.lives).toEqual([]);

      // The demo viewer follows her; a newcomer follows and the count moves.
      const viewer = server().client();
      await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
      expect((await viewer.get(`/api/streamers/${beautyId}/profile`)).json().streamer).toMatchObject({ following: true, followers: 1 });
      const newcomer = server().client();
      await newcomer.register('13700009991');
      expect((await newcomer.get(`/api/streamers/${beautyId}/profile`)).json().streamer.following).toBe(false);
      expect((await newcomer.post(`/api/streamers/${beautyId}/follow`)).status).toBe(200);
      expect((await newcomer.get(`/api/streamers/${beautyId}/profile`)).json().streamer).toMatchObject({ following: true, followers: 2 });
      expect((await newcomer.delete(`/api/streamers/${beautyId}/follow`)).status).toBe(200);
      expect((await newcomer.get(`/api/streamers/${beautyId}/profile`)).json().streamer).toMatchObject({ following: false, followers: 1 });
    });

    it('answers 404 STREAMER_PROFILE_NOT_FOUND for anyone who is not an approved streamer', async () => {
      const client = server().client();
      const viewerId = await userId(server(), DEMO_ACCOUNTS.viewer.login);
      const pending = await streamer(server(), { approved: false });
      for (const id of [newId(), viewerId, pending.id, 'nobody']) {
        const response = await client.get(`/api/streamers/${encodeURIComponent(id)}/profile`);
        expect(response.status, id).toBe(404);
        expect(response.errorCode).toBe('STREAMER_PROFILE_NOT_FOUND');
      }
      const tooLong = await client.get(`/api/streamers/${'x'.repeat(65)}/profile`);
      expect(tooLong.errorCode).toBe('VALIDATION_FAILED');
    });

    it("shows a brand's public page with its licence, products and the lives that sell them", async () => {
      const foodId = await orgId(server(), '德兴斋');
      const response = await server().client().get(`/api/brands/${foodId}/profile`);
      expect(response.status, response.body).toBe(200);
      const page = response.json();
      expect(page.brand).toEqual({ id: foodId, name: '德兴斋', description: expect.stringContaining('老字号'), licenceName: '上海德兴斋食品有限公司', licenceNo: '91310101MA1FPX1234' });
      // The catalogue's first three, then the 直播+ demo's products (a voucher, cross-border, wholesale, origin-certified …).
      expect(page.products.slice(0, 3).map((p: { title: string }) => p.title)).toEqual(['德兴斋鲜肉月饼', '德兴斋蝴蝶酥礼盒', '德兴斋八宝饭']);
      expect(page.products.length).toBeGreaterThan(3);
      const mooncake = page.products[0];
      expect(mooncake).toMatchObject({ priceFen: 3980, category: '食品/糕点', brand: { id: foodId, name: '德兴斋' } });
      expect(mooncake.lives.map((l: { title: string }) => l.title).sort()).toEqual(['德兴斋蝴蝶酥工厂溯源专场', '老字号鲜肉月饼现烤直播：新品首发'].sort());
      expect(mooncake.lives[0].status).toBe('scheduled');
      expect(titles(page.upcoming)).toEqual(['德兴斋蝴蝶酥工厂溯源专场', '老字号鲜肉月饼现烤直播：新品首发'].sort());
      expect(titles(page.replays)).toEqual(['中秋鲜肉月饼专场（回放）']);

      // 玉兰凝肌's 面霜 sells in 小林说吃's 蝴蝶酥 live: that live is on its page too.
      const beauty = (await server().client().get(`/api/brands/${await orgId(server(), '玉兰凝肌')}/profile`)).json();
      expect(beauty.upcoming.map((c: Card) => c.title)).toContain('德兴斋蝴蝶酥工厂溯源专场');
      const cream = beauty.products.find((p: { title: string }) => p.title === '玉兰凝肌舒缓面霜');
      expect(cream.lives.map((l: { title: string }) => l.title)).toContain('德兴斋蝴蝶酥工厂溯源专场');
    });

    it('answers 404 ORG_NOT_FOUND for an unknown, unapproved or non-brand organisation', async () => {
      const client = server().client();
      const { brandId: pendingBrand } = await brandWith(server(), '待审品牌', '食品/零食', false);
      for (const id of [newId(), pendingBrand, await orgId(server(), '星火互娱 MCN')]) {
        const response = await client.get(`/api/brands/${id}/profile`);
        expect(response.status, id).toBe(404);
        expect(response.errorCode).toBe('ORG_NOT_FOUND');
      }
      expect((await client.get(`/api/brands/${'y'.repeat(65)}/profile`)).errorCode).toBe('VALIDATION_FAILED');
    });

    it('gives a logged-in viewer the lives and replays of the streamers they follow', async () => {
      expect((await server().client().get('/api/me/following-feed')).errorCode).toBe('AUTH_REQUIRED');
      const viewer = server().client();
      await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
      const feed = (await viewer.get('/api/me/following-feed')).json();
      expect(feed.streamers.map((s: { displayName: string }) => s.displayName).sort()).toEqual(['小林说吃', '阿May美妆'].sort());
      expect(feed.upcoming).toHaveLength(4);
      expect(feed.upcoming[0].title).toBe('老字号鲜肉月饼现烤直播：新品首发');
      expect(feed.replays).toHaveLength(3);

      // Someone who follows nobody gets empty lists; after following one streamer, only theirs.
      const newcomer = server().client();
      await newcomer.register('13700009992');
      expect((await newcomer.get('/api/me/following-feed')).json()).toEqual({ streamers: [], live: [], upcoming: [], replays: [] });
      const foodId = await userId(server(), DEMO_ACCOUNTS.streamerFood.login);
      await newcomer.post(`/api/streamers/${foodId}/follow`);
      const mine = (await newcomer.get('/api/me/following-feed')).json();
      expect(mine.streamers).toEqual([{ id: foodId, displayName: '小林说吃', liveSessionId: null }]);
      expect(mine.upcoming.every((c: Card) => c.streamer.id === foodId)).toBe(true);
      expect(titles(mine.replays)).toEqual(['中秋鲜肉月饼专场（回放）']);
    });

    it('serves the demo replays it lists', async () => {
      const [card] = (await discover()).replays;
      const detail = (await server().client().get(`/api/live-sessions/${card!.id}`)).json();
      expect(detail.playback.replay).toMatch(/\/replay\/.+\/index\.m3u8$/);
      const playlist = await server().client().get(`/replay/${card!.id}/index.m3u8`);
      expect(playlist.status).toBe(200);
      expect(playlist.body).toContain('part-00000.ts');
      expect((await server().client().get(`/replay/${card!.id}/part-00000.ts`)).status).toBe(200);
    });

    it('leaves out a scheduled live that has not started six hours after its time', async () => {
      const s = await streamer(server());
      const { brandId, productId } = await brandWith(server(), '迟到食品', '食品/零食');
      const late = await sessionWith(server(), s.id, brandId, productId, 'scheduled', '晚了一小时的直播');
      const stale = await sessionWith(server(), s.id, brandId, productId, 'scheduled', '七小时前就该开播的直播');
      const at = (hoursAgo: number) => new Date(server().clock.now().getTime() - hoursAgo * 3_600_000).toISOString();
      await server().database.db.updateTable('live_sessions').set({ scheduled_at: at(1) }).where('id', '=', late).execute();
      await server().database.db.updateTable('live_sessions').set({ scheduled_at: at(7) }).where('id', '=', stale).execute();
      const ids = (cards: Card[]) => cards.map((c) => c.id);
      const home = await discover();
      expect(ids(home.upcoming)).toContain(late);
      expect(ids(home.upcoming)).not.toContain(stale);
      expect(ids((await server().client().get(`/api/streamers/${s.id}/profile`)).json().upcoming)).toEqual([late]);
      expect(ids((await server().client().get(`/api/brands/${brandId}/profile`)).json().upcoming)).toEqual([late]);
      const fan = server().client();
      await fan.register('13700009993');
      await fan.post(`/api/streamers/${s.id}/follow`);
      expect(ids((await fan.get('/api/me/following-feed')).json().upcoming)).toEqual([late]);
    });
  },
  { demo: true },
);
