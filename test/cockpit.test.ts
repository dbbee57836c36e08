import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { DEMO_ASSISTANT_RIGHTS } from '../server/cockpit/demo.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { RoomSocket } from './helpers/room-client.ts';
import { startTestServer, type TestClient, type TestServer } from './helpers/server.ts';
import { newBuyer, payInSandbox, shop, tag, waitFor } from './helpers/shop.ts';

const numbersOf = async (client: TestClient, sessionId: string) => (await client.get(`/api/rooms/${sessionId}/numbers`)).json().numbers;

/** Buys through checkout as a viewer of the live; pays when asked. Answers the order. */
async function buy(server: TestServer, buyer: Awaited<ReturnType<typeof newBuyer>>, sessionId: string, item: { productId: string; skuId: string; quantity: number }, pay: boolean) {
  const created = await buyer.client.post('/api/orders', { items: [item], sessionId, addressId: buyer.addressId }, { 'idempotency-key': `cockpit-${tag()}` });
  expect(created.status).toBe(201);
  const order = created.json().order;
  return pay ? payInSandbox(server, buyer.client, order.id) : order;
}

const COUPON = { title: '直播间 10 元券', amountOffFen: 1000, total: 50, seconds: 120 };
const FLASH = { priceFen: 990, stock: 5, perUserLimit: 1, startsInSeconds: 0, durationSeconds: 60 };
const BAG = { prize: '蝴蝶酥礼盒', winners: 3, condition: { kind: 'follow' }, drawInSeconds: 300 };

describeEachDatabase(
  'the streamer’s cockpit',
  ({ server }) => {
    it('counts the live numbers: online, peak and likes from the room, orders and GMV from paid orders only', async () => {
      const s = await shop(server());
      const empty = await numbersOf(s.host.client, s.sessionId);
      expect(empty).toMatchObject({ online: 0, peakOnline: 0, likes: 0, orders: 0, buyers: 0, gmvFen: 0, refundedFen: 0 });

      const watcher = await RoomSocket.open(server(), s.sessionId, { client: s.buyer.client });
      watcher.send({ t: 'like', n: 3 });
      // Paid through checkout: 2 × 61.00 at the live price, free shipping over 99.00.
      const paid = await buy(server(), s.buyer, s.sessionId, { productId: s.butterfly.id, skuId: s.butterfly.skus[0]!.id, quantity: 2 }, true);
      expect(paid.totalFen).toBe(12200);
      // Left unpaid: not an order of the live yet.
      const second = await newBuyer(server());
      await buy(server(), second, s.sessionId, { productId: s.mooncake.id, skuId: s.mooncake.skus[0]!.id, quantity: 1 }, false);
      // A flash-sale order, paid.
      const sale = (await s.host.client.post(`/api/rooms/${s.sessionId}/flash-sales`, { ...FLASH, skuId: s.butterfly.skus[1]!.id })).json().flashSale;
      const flashOrder = (await second.client.post(`/api/flash-sales/${sale.id}/orders`, { quantity: 1, addressId: second.addressId }, { 'idempotency-key': `flash-${tag()}` })).json().order;
      const flashPaid = await payInSandbox(server(), second.client, flashOrder.id);

      const numbers = await waitFor(async () => {
        const n = await numbersOf(s.host.client, s.sessionId);
        return n.likes === 3 ? n : null;
      });
      expect(numbers).toMatchObject({ status: 'scheduled', online: 1, peakOnline: 1, likes: 3, orders: 2, buyers: 2, gmvFen: 12200 + flashPaid.totalFen, refundedFen: 0 });
      expect(Number.isInteger(numbers.gmvFen)).toBe(true);
      watcher.close();
      // The peak stays when the viewer leaves.
      const after = await waitFor(async () => {
        const n = await numbersOf(s.host.client, s.sessionId);
        return n.online === 0 ? n : null;
      });
      expect(after.peakOnline).toBe(1);

      // The numbers are for the live's staff only.
      const refused = await s.buyer.client.get(`/api/rooms/${s.sessionId}/numbers`);
      expect(refused.status).toBe(403);
      expect(refused.errorCode).toBe('FORBIDDEN');
      expect((await server().client().get(`/api/rooms/${s.sessionId}/numbers`)).errorCode).toBe('AUTH_REQUIRED');
    });

    it('keeps presets per streamer, checked with the launch limits, and launches each kind in one tap', async () => {
      const s = await shop(server());
      const base = `/api/rooms/${s.sessionId}/presets`;
      const create = (kind: string, name: string, payload: unknown) => s.host.client.post(base, { kind, name, payload: payload as Record<string, unknown> });

      // Bad payloads answer COCKPIT_PRESET_INVALID, naming the field.
      for (const [kind, payload, field] of [
        ['coupon', { ...COUPON, amountOffFen: 0 }, 'payload.amountOffFen'],
        ['coupon', { ...COUPON, seconds: 3601 }, 'payload.seconds'],
        ['coupon', { ...COUPON, thresholdFen: 10000 }, 'payload'],
        ['flash_sale', { ...FLASH, stock: 0 }, 'payload.stock'],
        ['flash_sale', { ...FLASH, durationSeconds: 1 }, 'payload.durationSeconds'],
        ['lucky_bag', { ...BAG, condition: { kind: 'keyword' } }, 'payload.condition.keyword'],
        ['lucky_bag', COUPON, 'payload.prize'],
      ] as const) {
        const response = await create(kind, '坏预设', payload);
        expect(response.status, JSON.stringify(payload)).toBe(422);
        expect(response.errorCode).toBe('COCKPIT_PRESET_INVALID');
        expect(response.json().error.fields.map((f: { path: string }) => f.path)).toContain(field);
      }
      expect((await create('giveaway', '未知类型', COUPON)).errorCode).toBe('VALIDATION_FAILED');
      // A flash-sale preset naming its SKU at a price above the SKU's (¥39.80): refused when saved, as the launch would be.
      const dearSku = s.mooncake.skus[0]!.id;
      const dear = await create('flash_sale', '贵了', { ...FLASH, skuId: dearSku, priceFen: 3981 });
      expect([dear.status, dear.errorCode, dear.json().error.message]).toEqual([409, 'FLASH_PRICE_ABOVE_PRICE', '秒杀价不能高于该规格的售价 ¥39.80']);
      expect((await create('flash_sale', '没有这个规格', { ...FLASH, skuId: 'no-such-sku' })).errorCode).toBe('SKU_NOT_FOUND');
      expect((await s.host.client.get(base)).json().presets).toEqual([]);

      const coupon = (await create('coupon', '10 元券 50 张 2 分钟', COUPON)).json().preset;
      const flash = (await create('flash_sale', '9.9 秒杀 5 件 60 秒', FLASH)).json().preset;
      const bag = (await create('lucky_bag', '关注抽奖 3 人', BAG)).json().preset;
      expect(coupon).toMatchObject({ kind: 'coupon', name: '10 元券 50 张 2 分钟', payload: COUPON, launchCount: 0, launchedAt: null });
      expect((await s.host.client.get(base)).json().presets.map((p: { id: string }) => p.id)).toEqual([coupon.id, flash.id, bag.id]);

      // Edit: the name, and a payload checked again.
      expect((await s.host.client.patch(`${base}/${coupon.id}`, { name: '10 元券' })).json().preset).toMatchObject({ name: '10 元券', payload: COUPON });
      const badEdit = await s.host.client.patch(`${base}/${coupon.id}`, { payload: { ...COUPON, total: 0 } });
      expect(badEdit.errorCode).toBe('COCKPIT_PRESET_INVALID');
      const dearEdit = await s.host.client.patch(`${base}/${flash.id}`, { payload: { ...FLASH, skuId: dearSku, priceFen: 3981 } });
      expect(dearEdit.errorCode).toBe('FLASH_PRICE_ABOVE_PRICE');
      expect((await s.host.client.get(base)).json().presets.find((p: { id: string }) => p.id === flash.id)).toMatchObject({ payload: FLASH });

      // A flash sale without a SKU goes to the pinned product: none pinned yet.
      const unpinned = await s.host.client.post(`${base}/${flash.id}/launch`);
      expect(unpinned.status).toBe(409);
      expect(unpinned.errorCode).toBe('COCKPIT_PRESET_NEEDS_PRODUCT');
      await s.host.client.post(`/api/rooms/${s.sessionId}/pin`, { productId: s.butterfly.id });
      const launchedFlash = await s.host.client.post(`${base}/${flash.id}/launch`);
      expect(launchedFlash.status).toBe(201);
      // The pinned product's cheapest SKU, at the preset's price and stock.
      expect(launchedFlash.json().flashSale).toMatchObject({ skuId: s.butterfly.skus[0]!.id, priceFen: 990, stock: 5, remaining: 5 });
      expect(launchedFlash.json().preset).toMatchObject({ id: flash.id, launchCount: 1 });
      const { flashSales } = (await server().client().get(`/api/rooms/${s.sessionId}/products`)).json();
      expect(flashSales.map((f: { id: string }) => f.id)).toContain(launchedFlash.json().flashSale.id);
      // A SKU given at launch wins.
      const chosen = await s.host.client.post(`${base}/${flash.id}/launch`, { skuId: s.mooncake.skus[0]!.id });
      expect(chosen.json().flashSale).toMatchObject({ skuId: s.mooncake.skus[0]!.id });
      // A preset whose price is now above the SKU's (the brand lowered it to ¥9.00 since): the flash sale's own refusal, nothing launched or counted.
      const db = server().database.db;
      await db.updateTable('skus').set({ price_fen: 900 }).where('id', '=', s.mooncake.skus[0]!.id).execute();
      const dearer = await s.host.client.post(`${base}/${flash.id}/launch`, { skuId: s.mooncake.skus[0]!.id });
      expect([dearer.status, dearer.errorCode, dearer.json().error.message]).toEqual([409, 'FLASH_PRICE_ABOVE_PRICE', '秒杀价不能高于该规格的售价 ¥9.00']);
      expect((await s.host.client.get(base)).json().presets.find((p: { id: string }) => p.id === flash.id)).toMatchObject({ launchCount: 2 });
      expect(await db.selectFrom('flash_sales').select('id').where('sku_id', '=', s.mooncake.skus[0]!.id).execute()).toHaveLength(1);
      await db.updateTable('skus').set({ price_fen: 3980 }).where('id', '=', s.mooncake.skus[0]!.id).execute();

      const launchedCoupon = await s.host.client.post(`${base}/${coupon.id}/launch`);
      expect(launchedCoupon.json().coupon).toMatchObject({ title: COUPON.title, amountOffFen: 1000, total: 50, remaining: 50 });
      const launchedBag = await s.host.client.post(`${base}/${bag.id}/launch`);
      expect(launchedBag.json().luckyBag).toMatchObject({ prize: BAG.prize, winners: 3, condition: { kind: 'follow' }, status: 'open' });
      const state = (await server().client().get(`/api/rooms/${s.sessionId}`)).json();
      expect(state.coupon.id).toBe(launchedCoupon.json().coupon.id);
      expect(state.luckyBag.id).toBe(launchedBag.json().luckyBag.id);

      // The presets belong to the streamer: another streamer's live cannot use them, nor can its streamer.
      const other = await shop(server());
      const foreign = await other.host.client.post(`/api/rooms/${other.sessionId}/presets/${coupon.id}/launch`);
      expect(foreign.status).toBe(403);
      expect(foreign.errorCode).toBe('COCKPIT_PRESET_NOT_YOURS');
      expect((await other.host.client.patch(`/api/rooms/${other.sessionId}/presets/${coupon.id}`, { name: '我的' })).errorCode).toBe('COCKPIT_PRESET_NOT_YOURS');
      expect((await other.host.client.delete(`/api/rooms/${other.sessionId}/presets/${coupon.id}`)).errorCode).toBe('COCKPIT_PRESET_NOT_YOURS');
      // …and the other streamer cannot reach them through this live either (not its staff).
      expect((await other.host.client.post(`${base}/${coupon.id}/launch`)).errorCode).toBe('FORBIDDEN');
      expect((await other.host.client.get(base)).errorCode).toBe('FORBIDDEN');
      expect((await other.host.client.get(`/api/rooms/${other.sessionId}/presets`)).json().presets).toEqual([]);

      // Removed: gone for good.
      expect((await s.host.client.delete(`${base}/${bag.id}`)).status).toBe(204);
      const gone = await s.host.client.post(`${base}/${bag.id}/launch`);
      expect(gone.status).toBe(404);
      expect(gone.errorCode).toBe('COCKPIT_PRESET_NOT_FOUND');
      // Viewers cannot see or launch presets.
      expect((await s.buyer.client.get(base)).errorCode).toBe('FORBIDDEN');
      expect((await s.buyer.client.post(`${base}/${coupon.id}/launch`)).errorCode).toBe('FORBIDDEN');

      // At most 50 presets per streamer.
      const have = (await s.host.client.get(base)).json().presets.length;
      for (let i = have; i < 50; i++) expect((await create('coupon', `券 ${i}`, COUPON)).status).toBe(201);
      const over = await create('coupon', '第 51 个', COUPON);
      expect(over.status).toBe(409);
      expect(over.errorCode).toBe('COCKPIT_PRESET_LIMIT');
    });

    it('enforces each assistant’s rights on every console route, as the streamer sets them', async () => {
      const s = await shop(server());
      const helper = server().client();
      const login = `assistant-${tag()}@example.com`;
      const helperUser = await helper.register(login, 'Secret123x', '场控小李');
      expect((await s.host.client.post('/api/streamer/assistants', { login })).status).toBe(201);

      // New assistants may do what assistants always could, but not manage presets.
      const listed = (await s.host.client.get('/api/streamer/assistants')).json().assistants;
      expect(listed).toEqual([expect.objectContaining({ id: helperUser.id, displayName: '场控小李', login, rights: ['moderate', 'products', 'flash_sales', 'coupons', 'lucky_bags'] })]);
      expect((await helper.get(`/api/rooms/${s.sessionId}/cockpit`)).json()).toMatchObject({ role: 'assistant', rights: ['moderate', 'products', 'flash_sales', 'coupons', 'lucky_bags'] });
      expect((await s.host.client.get(`/api/rooms/${s.sessionId}/cockpit`)).json()).toMatchObject({ role: 'streamer', rights: ['moderate', 'products', 'flash_sales', 'coupons', 'lucky_bags', 'presets'] });
      expect((await helper.get('/api/me/assisting')).json().streamers).toEqual([
        expect.objectContaining({ streamer: expect.objectContaining({ id: s.host.id }), sessions: [expect.objectContaining({ id: s.sessionId, status: 'scheduled' })] }),
      ]);
      const preset = (await s.host.client.post(`/api/rooms/${s.sessionId}/presets`, { kind: 'coupon', name: '10 元券', payload: COUPON })).json().preset;

      // Only chat moderation now.
      const narrowed = await s.host.client.put(`/api/streamer/assistants/${helperUser.id}/rights`, { rights: ['moderate'] });
      expect(narrowed.json().assistant.rights).toEqual(['moderate']);
      const sku = s.butterfly.skus[0]!.id;
      const refusals: [string, 'post' | 'put' | 'patch' | 'delete', string, Record<string, unknown> | undefined][] = [
        ['products', 'post', `/api/rooms/${s.sessionId}/pin`, { productId: s.butterfly.id }],
        ['products', 'put', `/api/rooms/${s.sessionId}/products`, { items: [{ productId: s.butterfly.id }] }],
        ['flash_sales', 'post', `/api/rooms/${s.sessionId}/flash-sales`, { ...FLASH, skuId: sku }],
        ['coupons', 'post', `/api/rooms/${s.sessionId}/coupon-drops`, COUPON],
        ['coupons', 'post', `/api/rooms/${s.sessionId}/presets/${preset.id}/launch`, {}],
        ['lucky_bags', 'post', `/api/rooms/${s.sessionId}/lucky-bags`, BAG],
        ['presets', 'post', `/api/rooms/${s.sessionId}/presets`, { kind: 'coupon', name: '场控的券', payload: COUPON }],
        ['presets', 'patch', `/api/rooms/${s.sessionId}/presets/${preset.id}`, { name: '改名' }],
        ['presets', 'delete', `/api/rooms/${s.sessionId}/presets/${preset.id}`, undefined],
      ];
      for (const [right, method, url, body] of refusals) {
        const response = method === 'delete' ? await helper.delete(url) : await helper[method](url, body!);
        expect(response.status, url).toBe(403);
        expect(response.errorCode, url).toBe('COCKPIT_RIGHT_MISSING');
        expect(response.json().error.message, url).toContain(right);
      }
      // In the assistant's language.
      await helper.patch('/api/me', { locale: 'en' });
      const english = await helper.post(`/api/rooms/${s.sessionId}/pin`, { productId: s.butterfly.id });
      expect(english.json().error.message).toBe('The streamer has not given you this right (products)');
      await helper.patch('/api/me', { locale: 'zh-CN' });
      expect((await helper.post(`/api/rooms/${s.sessionId}/pin`, { productId: s.butterfly.id })).json().error.message).toBe('主播没有授予你这项权限（products）');
      // A lucky bag the streamer started: the assistant cannot draw it either.
      const bag = (await s.host.client.post(`/api/rooms/${s.sessionId}/lucky-bags`, BAG)).json().luckyBag;
      expect((await helper.post(`/api/rooms/${s.sessionId}/lucky-bags/${bag.id}/draw`)).errorCode).toBe('COCKPIT_RIGHT_MISSING');
      // What moderation covers still works, and the numbers and presets can be read.
      expect((await helper.post(`/api/rooms/${s.sessionId}/announcement`, { text: '场控公告' })).status).toBe(200);
      expect((await helper.post(`/api/rooms/${s.sessionId}/settings`, { slowModeSeconds: 5 })).status).toBe(200);
      expect((await helper.post(`/api/rooms/${s.sessionId}/mutes`, { userId: s.buyer.id, kind: 'mute', minutes: 5 })).status).toBe(200);
      expect((await helper.get(`/api/rooms/${s.sessionId}/numbers`)).status).toBe(200);
      expect((await helper.get(`/api/rooms/${s.sessionId}/presets`)).json().presets).toHaveLength(1);
      // Nothing was done on the assistant's refused requests.
      const state = (await server().client().get(`/api/rooms/${s.sessionId}`)).json();
      expect(state).toMatchObject({ pinned: null, coupon: null, announcement: '场控公告' });

      // The streamer takes moderation away and gives coupons and presets.
      await s.host.client.put(`/api/streamer/assistants/${helperUser.id}/rights`, { rights: ['presets', 'coupons'] });
      expect((await helper.post(`/api/rooms/${s.sessionId}/announcement`, { text: '再发一条' })).errorCode).toBe('COCKPIT_RIGHT_MISSING');
      expect((await helper.post(`/api/rooms/${s.sessionId}/presets/${preset.id}/launch`)).status).toBe(201);
      expect((await helper.post(`/api/rooms/${s.sessionId}/presets`, { kind: 'lucky_bag', name: '场控的福袋', payload: BAG })).status).toBe(201);
      // A preset of a kind the assistant may not launch.
      const bagPreset = (await helper.get(`/api/rooms/${s.sessionId}/presets`)).json().presets.find((p: { kind: string }) => p.kind === 'lucky_bag');
      expect((await helper.post(`/api/rooms/${s.sessionId}/presets/${bagPreset.id}/launch`)).errorCode).toBe('COCKPIT_RIGHT_MISSING');

      // Bad rights and strangers.
      expect((await s.host.client.put(`/api/streamer/assistants/${helperUser.id}/rights`, { rights: ['withdraw'] })).errorCode).toBe('VALIDATION_FAILED');
      const missing = await s.host.client.put(`/api/streamer/assistants/${s.buyer.id}/rights`, { rights: ['moderate'] });
      expect(missing.status).toBe(404);
      expect(missing.errorCode).toBe('COCKPIT_ASSISTANT_NOT_FOUND');
      expect((await helper.put(`/api/streamer/assistants/${helperUser.id}/rights`, { rights: ['moderate'] })).errorCode).toBe('FORBIDDEN');

      // Removed: no longer staff in the streamer's lives.
      expect((await s.host.client.delete(`/api/streamer/assistants/${helperUser.id}`)).status).toBe(204);
      expect((await helper.get(`/api/rooms/${s.sessionId}/cockpit`)).errorCode).toBe('FORBIDDEN');
      expect((await helper.post(`/api/rooms/${s.sessionId}/coupon-drops`, COUPON)).errorCode).toBe('FORBIDDEN');
      expect((await s.host.client.delete(`/api/streamer/assistants/${helperUser.id}`)).errorCode).toBe('COCKPIT_ASSISTANT_NOT_FOUND');
    });
  },
  { listen: true, timeoutMs: 60_000 },
);

describe('the cockpit demo', { timeout: 60_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dialect: 'sqlite', demo: true });
  });
  afterAll(async () => server?.close());

  it('gives 小林说吃 three presets that launch, and 王经纪 as a 场控 with narrower rights', async () => {
    const host = server.client();
    await host.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
    const [session] = (await host.get('/api/streamer/live-sessions')).json().sessions;
    const presets = (await host.get(`/api/rooms/${session.id}/presets`)).json().presets;
    expect(presets.map((p: { kind: string; name: string }) => [p.kind, p.name])).toEqual([
      ['flash_sale', '9.9 秒杀 100 件 60 秒'],
      ['coupon', '10 元券 50 张 2 分钟'],
      ['lucky_bag', '关注抽奖 3 人'],
    ]);
    await host.post(`/api/rooms/${session.id}/pin`, { productId: (await host.get(`/api/rooms/${session.id}`)).json().products[0].id });
    for (const p of presets) expect((await host.post(`/api/rooms/${session.id}/presets/${p.id}/launch`)).status, p.name).toBe(201);

    const assistant = server.client();
    await assistant.login(DEMO_ACCOUNTS.mcn.login, DEMO_PASSWORD);
    expect((await assistant.get(`/api/rooms/${session.id}/cockpit`)).json()).toMatchObject({ role: 'assistant', rights: DEMO_ASSISTANT_RIGHTS });
    expect((await host.get('/api/streamer/assistants')).json().assistants).toEqual([expect.objectContaining({ displayName: DEMO_ACCOUNTS.mcn.name, rights: DEMO_ASSISTANT_RIGHTS })]);
  });
});
