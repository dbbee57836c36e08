import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { reviewCsv } from '../server/analytics/csv.ts';
import { DEMO_REVIEW_TITLE } from '../server/analytics/demo.ts';
import { MEDIAN_MIN_LIVES, MEDIAN_MIN_STREAMERS, MEDIAN_WINDOW_DAYS } from '../server/analytics/review.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { paidOrder as insertPaidOrder } from './helpers/bases.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { gmvTruth, setLiveStatus } from './helpers/orders-truth.ts';
import { streamer } from './helpers/people.ts';
import { RoomSocket } from './helpers/room-client.ts';
import type { TestClient, TestServer } from './helpers/server.ts';
import { newBuyer, payInSandbox, shop, tag, waitFor } from './helpers/shop.ts';

describeEachDatabase(
  'live numbers: the big screen and the review',
  ({ server }) => {
    it('shows a live’s figures to its staff and brand only, with GMV equal to the orders table to the fen after refunds', async () => {
      const s = await shop(server());
      await setLiveStatus(server(), s.sessionId, 'live');
      const screenUrl = `/api/analytics/sessions/${s.sessionId}/screen`;
      const screenOf = async () => (await s.host.client.get(screenUrl)).json();

      const empty = await screenOf();
      expect(empty).toMatchObject({ scope: 'all', gmv: { placedFen: 0, paidFen: 0, refundedFen: 0, netFen: 0 }, orders: { placed: 0, paid: 0 }, units: 0, buyers: 0, conversion: 0 });

      // A viewer likes and chats, opens a product card, and buys; another places an order and leaves it unpaid.
      const watcher = await RoomSocket.open(server(), s.sessionId, { client: s.buyer.client });
      watcher.send({ t: 'like', n: 4 });
      await s.host.client.post(`/api/rooms/${s.sessionId}/pin`, { productId: s.butterfly.id });
      expect((await s.buyer.client.post(`/api/rooms/${s.sessionId}/products/${s.butterfly.id}/click`)).status).toBe(204);
      expect((await s.buyer.client.post(`/api/rooms/${s.sessionId}/products/${s.butterfly.id}/click`)).status).toBe(204);
      const order = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 2 }], sessionId: s.sessionId, addressId: s.buyer.addressId }, { 'idempotency-key': `a-${tag()}` })).json().order;
      const paid = await payInSandbox(server(), s.buyer.client, order.id);
      const second = await newBuyer(server());
      const unpaid = await second.client.post('/api/orders', { items: [{ productId: s.mooncake.id, skuId: s.mooncake.skus[0]!.id, quantity: 1 }], sessionId: s.sessionId, addressId: second.addressId }, { 'idempotency-key': `b-${tag()}` });
      expect(unpaid.status).toBe(201);

      const live = await waitFor(async () => {
        const f = await screenOf();
        return f.likes === 4 && f.orders.paid === 1 ? f : null;
      });
      const truth = await gmvTruth(server(), s.sessionId);
      expect(live.gmv).toEqual(truth);
      expect(live.gmv.paidFen).toBe(paid.totalFen);
      expect(live.gmv.placedFen).toBe(paid.totalFen + unpaid.json().order.totalFen);
      expect(live).toMatchObject({ orders: { placed: 2, paid: 1 }, units: 2, buyers: 1, viewers: { online: 1, unique: 1 } });
      expect(live.conversion).toBe(1);
      expect(live.gpmFen).toBe(paid.totalFen * 1000);
      expect(live.topProducts[0]).toMatchObject({ productId: s.butterfly.id, units: 2, orders: 1, gmvFen: paid.totalFen });
      expect(live.markers).toEqual([expect.objectContaining({ kind: 'pin', productId: s.butterfly.id })]);

      // A partial refund: the screen follows the orders table, at once.
      const afterSale = (await s.buyer.client.post(`/api/orders/${order.id}/after-sales`, { kind: 'refund_only', amountFen: 1000, reason: '价保差价' })).json().afterSale;
      await s.owner.post(`/api/orgs/${s.orgId}/after-sales/${afterSale.id}/approve`, { reason: '同意' });
      const refunded = await waitFor(async () => {
        const f = await screenOf();
        return f.gmv.refundedFen === 1000 ? f : null;
      });
      expect(refunded.gmv).toEqual(await gmvTruth(server(), s.sessionId));
      expect(refunded.gmv.netFen).toBe(paid.totalFen - 1000);

      // The brand whose live it is sees its own orders (here all of them) through its organisation (test/brand-lines.test.ts: a live selling two brands').
      const asBrand = (await s.owner.get(`/api/orgs/${s.orgId}/analytics/sessions/${s.sessionId}/screen`)).json();
      expect(asBrand).toMatchObject({ scope: 'brand', gmv: refunded.gmv });
      expect((await s.owner.get(`/api/orgs/${s.orgId}/analytics/sessions`)).json().sessions.map((x: { id: string }) => x.id)).toContain(s.sessionId);

      // A brand whose product is only linked in the live sees the room and its own orders (none).
      const other = await shop(server());
      await server().database.db.insertInto('session_products').values({ session_id: s.sessionId, product_id: other.serum.id, link: 9, live_prices: '{}', added_at: server().clock.now().toISOString() }).execute();
      const asGuest = (await other.owner.get(`/api/orgs/${other.orgId}/analytics/sessions/${s.sessionId}/screen`)).json();
      expect(asGuest).toMatchObject({ scope: 'brand', gmv: { paidFen: 0, placedFen: 0 }, likes: 4, topProducts: [], markers: [] });
      // Refused: a viewer, a stranger, another streamer, a brand with nothing in the live.
      expect((await s.buyer.client.get(screenUrl)).errorCode).toBe('ANALYTICS_FORBIDDEN');
      expect((await server().client().get(screenUrl)).errorCode).toBe('AUTH_REQUIRED');
      const stranger = await streamer(server());
      expect((await stranger.client.get(screenUrl)).errorCode).toBe('ANALYTICS_FORBIDDEN');
      const third = await shop(server());
      const outsider = await third.owner.get(`/api/orgs/${third.orgId}/analytics/sessions/${s.sessionId}/screen`);
      expect(outsider.status).toBe(403);
      expect(outsider.errorCode).toBe('ANALYTICS_FORBIDDEN');
      expect((await s.host.client.get(`/api/analytics/sessions/${crypto.randomUUID()}/screen`)).errorCode).toBe('LIVE_SESSION_NOT_FOUND');
      // A click on a product that is not in the live.
      expect((await s.buyer.client.post(`/api/rooms/${s.sessionId}/products/${third.butterfly.id}/click`)).errorCode).toBe('PRODUCT_NOT_IN_ROOM');

      // No review or export while the live is on.
      for (const path of ['review', 'review.csv']) {
        const early = await s.host.client.get(`/api/analytics/sessions/${s.sessionId}/${path}`);
        expect(early.status).toBe(409);
        expect(early.errorCode).toBe('ANALYTICS_NOT_ENDED');
      }
      watcher.close();
    });

    it('samples the room per minute, and reviews an ended live: products, funnel, comparisons and CSV with the same figures', async () => {
      // The test takes the samples itself (tick) at the minutes it moves the clock to: the test server runs no
      // sampler timer while its clock stands still (test/helpers/server.ts).
      const s = await shop(server());
      // An earlier live of the same streamer, ended, with one paid order: the comparison's previous life.
      const earlier = (await s.host.client.post('/api/streamer/live-sessions', { title: '上一场', scheduledAt: new Date(server().clock.now().getTime() + 1000).toISOString() })).json().session;
      await server().database.db.updateTable('live_sessions').set({ status: 'ended', started_at: new Date(server().clock.now().getTime() - 7_200_000).toISOString(), ended_at: new Date(server().clock.now().getTime() - 3_600_000).toISOString() }).where('id', '=', earlier.id).execute();

      await setLiveStatus(server(), s.sessionId, 'live');
      const watcher = await RoomSocket.open(server(), s.sessionId, { client: s.buyer.client });
      watcher.send({ t: 'like', n: 2 });
      await s.host.client.post(`/api/rooms/${s.sessionId}/pin`, { productId: s.butterfly.id });
      await s.buyer.client.post(`/api/rooms/${s.sessionId}/products/${s.butterfly.id}/click`);
      await waitFor(async () => ((await s.host.client.get(`/api/analytics/sessions/${s.sessionId}/screen`)).json().likes === 2 ? true : null));
      await server().services.analytics.sampler.tick();
      server().clock.advance(90_000);
      await s.host.client.post(`/api/rooms/${s.sessionId}/pin`, { productId: s.mooncake.id });
      const order = (await s.buyer.client.post('/api/orders', { items: [{ productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 3 }], sessionId: s.sessionId, addressId: s.buyer.addressId }, { 'idempotency-key': `c-${tag()}` })).json().order;
      const paid = await payInSandbox(server(), s.buyer.client, order.id);
      await server().services.analytics.sampler.tick();
      server().clock.advance(30_000);
      await setLiveStatus(server(), s.sessionId, 'ended');
      watcher.close();

      const minutes = await server().database.db.selectFrom('live_minutes').selectAll().where('session_id', '=', s.sessionId).orderBy('minute').execute();
      expect(minutes.length).toBe(2);
      expect(minutes[0]).toMatchObject({ online_max: 1, uv: 1, likes: 2 });

      const review = (await s.host.client.get(`/api/analytics/sessions/${s.sessionId}/review`)).json();
      expect(review.figures.gmv).toEqual(await gmvTruth(server(), s.sessionId));
      expect(review.durationSeconds).toBe(120);
      // The curve: one point a minute, the order in the minute it was paid, the room's counts carried.
      expect(review.figures.curve.length).toBeGreaterThanOrEqual(2);
      expect(review.figures.curve.reduce((sum: number, p: { gmvFen: number }) => sum + p.gmvFen, 0)).toBe(paid.totalFen);
      expect(review.figures.markers.map((m: { kind: string; productId: string }) => [m.kind, m.productId])).toEqual([
        ['pin', s.butterfly.id],
        ['pin', s.mooncake.id],
      ]);
      // Average watch time: one viewer for the whole two minutes sampled.
      expect(review.figures.avgWatchSeconds).toBeGreaterThan(60);

      const butterfly = review.products.find((p: { productId: string }) => p.productId === s.butterfly.id);
      expect(butterfly).toMatchObject({ explainedSeconds: 90, clicks: 1, clickers: 1, orders: 1, units: 3, gmvFen: paid.totalFen, conversion: 1 });
      const mooncake = review.products.find((p: { productId: string }) => p.productId === s.mooncake.id);
      expect(mooncake).toMatchObject({ explainedSeconds: 30, clicks: 0, orders: 0, gmvFen: 0 });
      expect(review.funnel.map((f: { step: string; count: number }) => [f.step, f.count])).toEqual([
        ['view', 1],
        ['click', 1],
        ['order', 1],
        ['paid', 1],
      ]);
      expect(review.comparison.previous.map((p: { id: string }) => p.id)).toEqual([earlier.id]);
      expect(review.comparison.category).toBeTruthy();

      // The CSV carries the same figures (yuan with two decimals), and defuses formula-looking text.
      await server().database.db.updateTable('products').set({ title: '=HYPERLINK("x")' }).where('id', '=', s.mooncake.id).execute();
      const csv = await s.host.client.get(`/api/analytics/sessions/${s.sessionId}/review.csv`);
      expect(csv.status).toBe(200);
      expect(csv.raw.headers['content-type']).toContain('text/csv');
      const text = csv.body;
      expect(text.charCodeAt(0)).toBe(0xfeff);
      expect(text).toContain(`成交金额（元）,${(paid.totalFen / 100).toFixed(2)}`);
      expect(text).toContain(`${s.butterfly.id},`);
      expect(text).toContain(`"'=HYPERLINK(""x"")"`);
      const reviewed = (await s.host.client.get(`/api/analytics/sessions/${s.sessionId}/review`)).json();
      expect(reviewCsv(reviewed, 'en')).toContain(`Net GMV (CNY),${((paid.totalFen) / 100).toFixed(2)}`);
    });

    it('shows the category’s platform median only over at least MEDIAN_MIN_LIVES lives of MEDIAN_MIN_STREAMERS other streamers, and below that no figures at all', async () => {
      expect(MEDIAN_MIN_LIVES).toBe(5); // as docs/ANALYTICS.md says
      expect(MEDIAN_MIN_STREAMERS).toBe(3);
      const s = await shop(server());
      const { db } = server().database;
      // A category of this test's own, so the other tests' lives are not its peers.
      const category = `复盘类目${tag()}`;
      await db.updateTable('products').set({ category }).where('brand_org_id', '=', s.orgId).execute();
      await setLiveStatus(server(), s.sessionId, 'live');
      server().clock.advance(60_000);
      await setLiveStatus(server(), s.sessionId, 'ended');
      const now = server().clock.now().getTime();
      const iso = (ms: number) => new Date(ms).toISOString();
      // An ended live of the category by `by`, with one paid order of `netFen`.
      const ended = async (by: TestClient, netFen: number) => {
        const created = await by.post('/api/streamer/live-sessions', { title: '同类目直播', scheduledAt: iso(now + 60_000) });
        expect(created.status, created.body).toBe(201);
        const id = created.json().session.id as string;
        await db.insertInto('session_products').values({ session_id: id, product_id: s.butterfly.id, link: 1, live_prices: '{}', added_at: iso(now) }).execute();
        await db.updateTable('live_sessions').set({ status: 'ended', started_at: iso(now - 7_200_000), ended_at: iso(now - 3_600_000) }).where('id', '=', id).execute();
        await insertPaidOrder(server(), { sessionId: id, buyerId: s.buyer.id, brandOrgId: s.orgId, totalFen: netFen, paidAt: iso(now - 5_000_000) });
      };
      const medianOf = async (client: TestClient, prefix: string) => {
        const res = await client.get(`${prefix}/sessions/${s.sessionId}/review`);
        expect(res.status, res.body).toBe(200);
        expect(res.json().comparison.category).toBe(category);
        return res.json().comparison.platformMedian;
      };
      const head = { windowDays: MEDIAN_WINDOW_DAYS, minLives: MEDIAN_MIN_LIVES, minStreamers: MEDIAN_MIN_STREAMERS };
      const tooFew = (lives: number, streamers: number) => ({ lives, streamers, ...head, tooFew: true });

      // No other live, then one: its figures would be the median. Neither the streamer nor the brand gets any figure.
      expect(await medianOf(s.host.client, '/api/analytics')).toEqual(tooFew(0, 0));
      // The streamer's own earlier lives never count: the streamer knows their figures and could work out the rest.
      for (let i = 0; i < MEDIAN_MIN_LIVES; i++) await ended(s.host.client, 1_000_000);
      expect(await medianOf(s.host.client, '/api/analytics')).toEqual(tooFew(0, 0));
      const others = [await streamer(server()), await streamer(server()), await streamer(server())];
      await ended(others[0]!.client, 123_400);
      expect(await medianOf(s.host.client, '/api/analytics')).toEqual(tooFew(1, 1));
      expect(await medianOf(s.owner, `/api/orgs/${s.orgId}/analytics`)).toEqual(tooFew(1, 1));
      // Five lives, but of two streamers: each one's lives are most of the median. Still too few.
      const netFens = [123_400, 5_000, 9_900, 70_000, 2_500];
      for (const fen of netFens.slice(1, MEDIAN_MIN_LIVES - 1)) await ended(others[1]!.client, fen);
      expect(await medianOf(s.host.client, '/api/analytics')).toEqual(tooFew(MEDIAN_MIN_LIVES - 1, 2));
      await ended(others[0]!.client, 44_000);
      expect(await medianOf(s.host.client, '/api/analytics')).toEqual(tooFew(MEDIAN_MIN_LIVES, 2));
      // A third streamer: the median of the six, the same for the brand.
      await ended(others[2]!.client, netFens[MEDIAN_MIN_LIVES - 1]!);
      // 2,500 5,000 9,900 44,000 70,000 123,400: the mean of the middle two.
      const shown = { lives: MEDIAN_MIN_LIVES + 1, streamers: 3, ...head, tooFew: false, netFen: 26_950, uv: 0, conversion: 0, gpmFen: 0 };
      expect(await medianOf(s.host.client, '/api/analytics')).toEqual(shown);
      expect(await medianOf(s.owner, `/api/orgs/${s.orgId}/analytics`)).toEqual(shown);
    });

    it('keeps a minute’s average when several nodes sample it', async () => {
      const { analytics } = server().services;
      const id = crypto.randomUUID();
      const store = (await import('../server/analytics/store.ts')).createAnalyticsStore(server().database.db, server().database.dialect);
      await store.addSample(id, '2026-11-26T08:00', { online: 10, uv: 5, likes: 1, comments: 0 });
      await store.addSample(id, '2026-11-26T08:00', { online: 10, uv: 7, likes: 3, comments: 2 });
      await store.addSample(id, '2026-11-26T08:00', { online: 4, uv: 6, likes: 2, comments: 1 });
      const [row] = await server().database.db.selectFrom('live_minutes').selectAll().where('session_id', '=', id).execute();
      expect(row).toMatchObject({ online_max: 10, online_sum: 24, samples: 3, uv: 7, likes: 3, comments: 2 });
      expect(analytics).toBeTruthy();
      await sql`delete from live_minutes where session_id = ${id}`.execute(server().database.db);
    });
  },
  // Sign-ups are rate limited per address; these tests make many people.
  { timeoutMs: 60_000, listen: true, env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } },
);

describeEachDatabase(
  'live numbers in the demo',
  ({ server }) => {
    const login = async (key: keyof typeof DEMO_ACCOUNTS) => {
      const client = server().client();
      await client.login(DEMO_ACCOUNTS[key].login, DEMO_PASSWORD);
      return client;
    };

    it('shows 小林说吃’s ended 年货节 live to her, her MCN and 德兴斋, with the review agreeing with its orders', async () => {
      const streamerClient = await login('streamerFood');
      const { sessions } = (await streamerClient.get('/api/analytics/sessions')).json();
      const demo = sessions.find((x: { title: string }) => x.title === DEMO_REVIEW_TITLE);
      expect(demo).toMatchObject({ status: 'ended' });
      const review = (await streamerClient.get(`/api/analytics/sessions/${demo.id}/review`)).json();
      expect(review.figures.gmv).toEqual(await gmvTruth(server(), demo.id));
      expect(review.figures.gmv.refundedFen).toBeGreaterThan(0);
      expect(review.figures.gmv.placedFen).toBeGreaterThan(review.figures.gmv.paidFen);
      expect(review.figures.curve.length).toBe(121);
      expect(review.figures.markers.map((m: { kind: string }) => m.kind)).toEqual(expect.arrayContaining(['pin', 'flash_sale', 'coupon']));
      expect(review.figures.coupons.orders).toBeGreaterThan(0);
      expect(review.figures.avgWatchSeconds).toBeGreaterThan(0);
      expect(review.products.every((p: { explainedSeconds: number; clickers: number }) => p.explainedSeconds > 0 && p.clickers > 0)).toBe(true);
      expect(review.funnel.every((f: { count: number }) => f.count > 0)).toBe(true);
      expect(review.comparison.previous.length).toBeGreaterThanOrEqual(1);

      const orgOf = async (client: Awaited<ReturnType<typeof login>>) => (await client.get('/api/me/orgs')).json().memberships[0].org.id as string;
      for (const key of ['foodBrand', 'mcn'] as const) {
        const client = await login(key);
        const viaOrg = await client.get(`/api/orgs/${await orgOf(client)}/analytics/sessions/${demo.id}/review`);
        expect(viaOrg.status, key).toBe(200);
        expect(viaOrg.json().figures.gmv).toEqual(review.figures.gmv);
      }
      const beauty = await login('beautyBrand');
      expect((await beauty.get(`/api/orgs/${await orgOf(beauty)}/analytics/sessions/${demo.id}/review`)).errorCode).toBe('ANALYTICS_FORBIDDEN');
      expect((await (await login('viewer')).get(`/api/analytics/sessions/${demo.id}/review`)).errorCode).toBe('ANALYTICS_FORBIDDEN');
    });
  },
  { demo: true, timeoutMs: 60_000 },
);
