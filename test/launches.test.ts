import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/each-database.ts';
import type { TestServer } from './helpers/server.ts';
import { newBuyer, orderCount, shop } from './helpers/shop.ts';

const count = async (server: TestServer, table: 'launches' | 'flash_sales' | 'reservations' | 'notifications') =>
  Number((await server.database.db.selectFrom(table as 'flash_sales').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describeEachDatabase('launches (首发), reservations and reminders', ({ server }) => {
  let s: Awaited<ReturnType<typeof shop>>;
  let other: Awaited<ReturnType<typeof shop>>;
  let launch: { id: string; launchAt: string; firstRelease: { flashSaleId: string; stock: number; remaining: number; perUserLimit: number; priceFen: number } };

  it('a brand announces a launch: level, live, teaser and first-release stock sold as a flash sale from the launch', async () => {
    s = await shop(server());
    const launchAt = new Date(server().clock.now().getTime() + 30 * 60_000).toISOString();
    const skuStock = Number((await server().database.db.selectFrom('skus').select('stock').where('id', '=', s.butterfly.skus[0]!.id).executeTakeFirstOrThrow()).stock);
    const created = await s.owner.post(`/api/orgs/${s.orgId}/launches`, {
      productId: s.butterfly.id,
      skuId: s.butterfly.skus[0]!.id,
      sessionId: s.sessionId,
      level: 'shanghai',
      title: '蝴蝶酥新口味上海首发',
      launchAt,
      teaserUrl: 'https://video.example.com/teaser.mp4',
      priceFen: 5900,
      stock: 5,
      perUserLimit: 2,
    });
    expect(created.status).toBe(201);
    launch = created.json().launch;
    expect(launch).toMatchObject({ level: 'shanghai', levelName: { zh: '上海首发' }, launchAt, teaserUrl: 'https://video.example.com/teaser.mp4', firstRelease: { stock: 5, remaining: 5, perUserLimit: 2, priceFen: 5900 } });
    // The first-release stock left the SKU's stock for the sale: it can never be sold twice.
    expect(Number((await server().database.db.selectFrom('skus').select('stock').where('id', '=', s.butterfly.skus[0]!.id).executeTakeFirstOrThrow()).stock)).toBe(skuStock - 5);
    const sale = (await server().client().get(`/api/flash-sales/${launch.firstRelease.flashSaleId}`)).json().flashSale;
    expect(sale).toMatchObject({ startsAt: launchAt, perUserLimit: 2, sessionId: s.sessionId });
    // Public: the list of upcoming launches and the launch page.
    const list = (await server().client().get('/api/launches')).json().launches;
    expect(list.map((l: { id: string }) => l.id)).toContain(launch.id);
    const page = (await server().client().get(`/api/launches/${launch.id}`)).json().launch;
    expect(page).toMatchObject({ reservations: 0, reserved: null, product: { title: '蝴蝶酥礼盒' }, session: { id: s.sessionId } });
    // Another brand's staff do not see this brand's console list.
    other = await shop(server());
    expect((await other.owner.get(`/api/orgs/${s.orgId}/launches`)).status).toBe(403);
    expect((await s.owner.get(`/api/orgs/${s.orgId}/launches`)).json().launches).toHaveLength(1);
    // The brand's own lives to hold a launch in: its scheduled live, not another brand's; only its staff ask.
    const lives = (await s.owner.get(`/api/orgs/${s.orgId}/lives`)).json().lives;
    expect(lives).toEqual([expect.objectContaining({ id: s.sessionId, status: 'scheduled', streamer: expect.objectContaining({ id: s.host.id }) })]);
    expect((await other.owner.get(`/api/orgs/${s.orgId}/lives`)).status).toBe(403);
  });

  it('refuses a launch whose date is in the past, and stores nothing', async () => {
    const before = [await count(server(), 'launches'), await count(server(), 'flash_sales')];
    const refused = await s.owner.post(`/api/orgs/${s.orgId}/launches`, {
      productId: s.butterfly.id,
      skuId: s.butterfly.skus[0]!.id,
      sessionId: s.sessionId,
      level: 'global',
      title: '过期的首发',
      launchAt: new Date(server().clock.now().getTime() - 60_000).toISOString(),
      stock: 1,
      perUserLimit: 1,
    });
    expect(refused.status).toBe(422);
    expect(refused.errorCode).toBe('LAUNCH_IN_PAST');
    expect([await count(server(), 'launches'), await count(server(), 'flash_sales')]).toEqual(before);
    // A live of another brand is not this brand's to launch in.
    const wrongLive = await s.owner.post(`/api/orgs/${s.orgId}/launches`, { productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, sessionId: other.sessionId, level: 'china', title: '错误的直播', launchAt: new Date(server().clock.now().getTime() + 3_600_000).toISOString(), stock: 1, perUserLimit: 1 });
    expect(wrongLive.errorCode).toBe('LIVE_SESSION_NOT_FOUND');
    // A first release above the SKU's own price (¥68.00): the flash sale's refusal, given before anything is stored.
    const inHalfAnHour = new Date(server().clock.now().getTime() + 30 * 60_000).toISOString();
    const dearer = await s.owner.post(`/api/orgs/${s.orgId}/launches`, { productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, sessionId: s.sessionId, level: 'china', title: '比原价贵的首发', launchAt: inHalfAnHour, priceFen: 6801, stock: 1, perUserLimit: 1 });
    expect([dearer.status, dearer.errorCode]).toEqual([409, 'FLASH_PRICE_ABOVE_PRICE']);
    expect([await count(server(), 'launches'), await count(server(), 'flash_sales')]).toEqual(before);
    // Without a price, the first release sells at the SKU's own price: allowed.
    const full = await other.owner.post(`/api/orgs/${other.orgId}/launches`, { productId: other.serum.id, skuId: other.serum.skus[0]!.id, sessionId: other.sessionId, level: 'china', title: '原价首发', launchAt: inHalfAnHour, stock: 1, perUserLimit: 1 });
    expect(full.status, full.body).toBe(201);
    expect(full.json().launch.firstRelease).toMatchObject({ priceFen: 29_900, stock: 1 });
  });

  it('a viewer reserves once; reserving twice is refused and changes nothing', async () => {
    const first = await s.buyer.client.post(`/api/launches/${launch.id}/reservation`, {});
    expect(first.status).toBe(201);
    const before = await count(server(), 'reservations');
    const again = await s.buyer.client.post(`/api/launches/${launch.id}/reservation`, {});
    expect(again.status).toBe(409);
    expect(again.errorCode).toBe('RESERVATION_EXISTS');
    expect(await count(server(), 'reservations')).toBe(before);
    expect((await s.buyer.client.get(`/api/launches/${launch.id}`)).json().launch).toMatchObject({ reservations: 1, reserved: true });
    expect((await s.buyer.client.get('/api/reservations')).json().launches.map((l: { id: string }) => l.id)).toEqual([launch.id]);
  });

  it('reminds 10 minutes before and at the start, in the centre and by e-mail, each once', async () => {
    const notifications = server().services.notifications;
    await notifications.sweep();
    // The reservation's confirmation, in the centre only (no e-mail for it).
    const confirmed = (await s.buyer.client.get('/api/notifications')).json();
    expect(confirmed).toMatchObject({ unread: 1, items: [{ kind: 'reservation.confirmed', title: '预约成功：「蝴蝶酥新口味上海首发」', link: `/launches/${launch.id}` }] });
    expect(await notifications.sandbox!.recent({ to: (await emailOf(server(), s.buyer.id))! })).toHaveLength(0);
    await s.buyer.client.post('/api/notifications/read-all', {});
    server().clock.advance(20 * 60_000 + 1000); // 9:59 before the launch
    await notifications.sweep();
    await notifications.sweep();
    let centre = (await s.buyer.client.get('/api/notifications')).json();
    expect(centre.unread).toBe(1);
    expect(centre.items.slice(0, 1)).toMatchObject([{ kind: 'launch.reminder', title: '「蝴蝶酥新口味上海首发」10 分钟后首发', link: `/launches/${launch.id}`, read: false }]);
    const mails = await notifications.sandbox!.recent({ to: (await emailOf(server(), s.buyer.id))! });
    expect(mails.map((m) => m.channel)).toEqual(['email']);

    // Someone who reserves after that round went out still gets it, and nobody gets it twice.
    const latecomer = await newBuyer(server(), false);
    expect((await latecomer.client.post(`/api/launches/${launch.id}/reservation`, {})).status).toBe(201);
    server().clock.advance(6000);
    await notifications.sweep();
    expect((await latecomer.client.get('/api/notifications')).json().items.map((i: { kind: string }) => i.kind)).toEqual(['launch.reminder', 'reservation.confirmed']);
    expect((await s.buyer.client.get('/api/notifications/unread')).json().unread).toBe(1);

    server().clock.advance(10 * 60_000 - 6000);
    await notifications.sweep();
    centre = (await s.buyer.client.get('/api/notifications')).json();
    expect(centre.unread).toBe(2);
    expect(centre.items.map((i: { title: string }) => i.title)).toContain('「蝴蝶酥新口味上海首发」首发开始了');
    expect(await notifications.sandbox!.recent({ to: (await emailOf(server(), s.buyer.id))! })).toHaveLength(2);

    // Reading: one, then all; someone else cannot touch mine.
    const stranger = await newBuyer(server(), false);
    expect((await stranger.client.post(`/api/notifications/${centre.items[0].id}/read`, {})).errorCode).toBe('NOTIFICATION_NOT_FOUND');
    expect((await s.buyer.client.post(`/api/notifications/${centre.items[0].id}/read`, {})).json().unread).toBe(1);
    expect((await s.buyer.client.post('/api/notifications/read-all', {})).json()).toMatchObject({ marked: 1, unread: 0 });
    expect((await s.buyer.client.get('/api/notifications/unread')).json().unread).toBe(0);
  });

  it('sells the first-release stock with its per-buyer limit; beyond it is refused and changes nothing', async () => {
    const bought = await s.buyer.client.post(`/api/flash-sales/${launch.firstRelease.flashSaleId}/orders`, { quantity: 2, addressId: s.buyer.addressId });
    expect(bought.status).toBe(201);
    const orders = await orderCount(server());
    const beyond = await s.buyer.client.post(`/api/flash-sales/${launch.firstRelease.flashSaleId}/orders`, { quantity: 1, addressId: s.buyer.addressId });
    expect(beyond.status).toBe(409);
    expect(beyond.errorCode).toBe('FLASH_LIMIT_EXCEEDED');
    expect(await orderCount(server())).toBe(orders);
    expect((await server().client().get(`/api/launches/${launch.id}`)).json().launch.firstRelease.remaining).toBe(3);
    // The launch has started: reservations are closed.
    const late = await newBuyer(server(), false);
    expect((await late.client.post(`/api/launches/${launch.id}/reservation`, {})).errorCode).toBe('RESERVATION_CLOSED');
  });

  it('reserves a scheduled live (twice refused); followers hear once when the streamer goes live', async () => {
    const host = s.host;
    const at = new Date(server().clock.now().getTime() + 3_600_000).toISOString();
    const { session } = (await host.client.post('/api/streamer/live-sessions', { title: '晚间上新', scheduledAt: at })).json();
    const viewer = await newBuyer(server(), false);
    expect((await viewer.client.post(`/api/lives/${session.id}/reservation`, {})).status).toBe(201);
    const twice = await viewer.client.post(`/api/lives/${session.id}/reservation`, {});
    expect([twice.status, twice.errorCode]).toEqual([409, 'RESERVATION_EXISTS']);
    expect((await viewer.client.get(`/api/lives/${session.id}/reservation`)).json()).toEqual({ reservations: 1, reserved: true });
    const fan = await newBuyer(server(), false);
    expect((await fan.client.post(`/api/streamers/${host.id}/follow`, {})).status).toBeLessThan(300);

    // 10 minutes before: the reservation's reminder.
    server().clock.advance(50 * 60_000 + 1000);
    await server().services.notifications.sweep();
    expect((await viewer.client.get('/api/notifications')).json().items.map((i: { kind: string }) => i.kind)).toEqual(['live.reminder', 'reservation.confirmed']);
    expect((await viewer.client.get('/api/notifications')).json().items.slice(0, 1)).toMatchObject([{ kind: 'live.reminder', title: '「晚间上新」10 分钟后开播', link: `/watch/${session.id}` }]);
    // The streamer goes live (as the ingest marks it): every follower hears once, however many sweeps run.
    await server().database.db.updateTable('live_sessions').set({ status: 'live', started_at: server().clock.now().toISOString() }).where('id', '=', session.id).execute();
    await Promise.all([server().services.notifications.sweep(), server().services.notifications.sweep()]);
    await server().services.notifications.sweep();
    const fanItems = (await fan.client.get('/api/notifications')).json().items;
    expect(fanItems).toMatchObject([{ kind: 'live.started', title: `${'测试用户'} 开播了`, body: '晚间上新', link: `/watch/${session.id}` }]);
  });

  it('reminds a reserved live again before its new time when it is rescheduled after a reminder went out, once', async () => {
    const host = s.host;
    const first = new Date(server().clock.now().getTime() + 3_600_000);
    const { session } = (await host.client.post('/api/streamer/live-sessions', { title: '改期专场', scheduledAt: first.toISOString() })).json();
    const viewer = await newBuyer(server(), false);
    expect((await viewer.client.post(`/api/lives/${session.id}/reservation`, {})).status).toBe(201);
    const reminders = async () => (await viewer.client.get('/api/notifications')).json().items.filter((i: { kind: string; link: string }) => i.kind === 'live.reminder' && i.link === `/watch/${session.id}`).length;
    // 10 minutes before the first time: one reminder.
    server().clock.advance(50 * 60_000 + 1000);
    await server().services.notifications.sweep();
    expect(await reminders()).toBe(1);
    // Moved an hour later: nothing more until 10 minutes before the new time, then one more, however many sweeps run.
    const moved = await host.client.patch(`/api/streamer/live-sessions/${session.id}`, { scheduledAt: new Date(first.getTime() + 3_600_000).toISOString() });
    expect(moved.status, moved.body).toBe(200);
    await server().services.notifications.sweep();
    expect(await reminders()).toBe(1);
    server().clock.advance(60 * 60_000);
    await Promise.all([server().services.notifications.sweep(), server().services.notifications.sweep()]);
    await server().services.notifications.sweep();
    expect(await reminders()).toBe(2);
  });
});

async function emailOf(server: TestServer, userId: string) {
  return (await server.database.db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow()).email;
}
