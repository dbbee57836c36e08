import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { screenshotPath, useBrowserServer } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { publish, waitUntil } from '../helpers/publisher.ts';
import { RoomSocket } from '../helpers/room-client.ts';
import { payInSandbox } from '../helpers/shop.ts';

const chromiumAvailable = await requireService('chromium');

/** Frames the preview's video has decoded so far, and its current time. */
const videoProgress = (page: Page) =>
  page.locator('[data-testid="cockpit-preview"] video').evaluate((v: HTMLVideoElement) => ({ frames: v.getVideoPlaybackQuality().totalVideoFrames, time: v.currentTime, width: v.videoWidth }));

describe.skipIf(!chromiumAvailable.ok)('the streamer’s cockpit during a live, in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserServer({ dialect: 'sqlite', demo: true, media: true, realTime: true });
  const { pageAs } = suite;

  it('shows the live picture and numbers on a tablet, pins and launches in one tap, and gives the assistant’s phone only their rights', async () => {
    const { server, base } = suite;
    const host = server.client();
    await host.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
    const [session] = (await host.get('/api/streamer/live-sessions')).json().sessions as { id: string; status: string }[];
    const { push } = (await host.get(`/api/streamer/live-sessions/${session!.id}`)).json();
    const sessionId = session!.id;

    const run = publish(push.url, { seconds: 90, size: '640x360' });
    try {
      await waitUntil(async () => (await host.get(`/api/streamer/live-sessions/${sessionId}`)).json().session.status === 'live', 20_000, 'the live to start');

      // A real order of this live, paid: the numbers count it.
      const viewer = server.client();
      await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
      const addressId = (await viewer.post('/api/me/addresses', { name: '王小明', phone: '13912345678', region: '上海市 静安区', detail: '南京西路 1 号' })).json().address.id;
      const { products } = (await server.client().get(`/api/rooms/${sessionId}/products`)).json();
      const first = products[0];
      const created = await viewer.post('/api/orders', { items: [{ productId: first.id, skuId: first.skus[0].id, quantity: 1 }], sessionId, addressId }, { 'idempotency-key': 'cockpit-browser-order-1' });
      expect(created.status).toBe(201);
      const paid = await payInSandbox(server, viewer, created.json().order.id);

      // --- the streamer on a tablet, landscape ---
      const page = await pageAs(host, { width: 1024, height: 768 });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}/streamer/sessions/${sessionId}/console`);
      await page.waitForSelector('[data-testid="console-page"][data-role="streamer"][data-connection="open"]', { timeout: 15_000 });

      // The preview plays: a muted video element with decoded frames, moving on.
      await page.waitForSelector('[data-testid="cockpit-preview"] [data-testid="live-player"][data-phase="playing"]', { timeout: 30_000 });
      expect(await page.locator('[data-testid="cockpit-preview"] [data-testid="live-player"]').getAttribute('data-tech')).toBe('flv');
      expect(await page.locator('[data-testid="cockpit-preview"] video').evaluate((v: HTMLVideoElement) => v.muted)).toBe(true);
      const start = await videoProgress(page);
      await waitUntil(async () => {
        const now = await videoProgress(page);
        return now.frames > start.frames + 10 && now.time > start.time + 0.5 && now.width === 640;
      }, 15_000, 'the preview to decode frames');

      // The numbers: the paid order and its amount; the streamer's own socket is online.
      await page.waitForSelector('[data-testid="cockpit-numbers"][data-ready="true"]');
      await expect.poll(() => page.locator('[data-testid="number-orders"]').getAttribute('data-value'), { timeout: 10_000 }).toBe('1');
      expect(await page.locator('[data-testid="number-gmv"]').getAttribute('data-value')).toBe(String(paid.totalFen));
      expect(await page.locator('[data-testid="number-gmv"]').innerText()).toContain((paid.totalFen / 100).toFixed(2));
      expect(Number(await page.locator('[data-testid="number-online"]').getAttribute('data-value'))).toBeGreaterThanOrEqual(1);

      // One tap pins the next product (link 1, nothing pinned yet); the next tap moves to link 2.
      await page.click('[data-testid="pin-next"]');
      await page.waitForSelector(`[data-testid="console-pinned"][data-product-id="${products[0].id}"]`, { timeout: 10_000 });
      await page.click('[data-testid="pin-next"]');
      await page.waitForSelector(`[data-testid="console-pinned"][data-product-id="${products[1].id}"]`, { timeout: 10_000 });
      expect((await server.client().get(`/api/rooms/${sessionId}`)).json().pinned.id).toBe(products[1].id);

      // One tap launches a saved preset: the coupon drop, then the 9.9 flash sale on the pinned product.
      const presets = page.locator('[data-testid="preset-launch"]');
      await presets.first().waitFor();
      expect(await presets.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(['flash_sale', 'coupon', 'lucky_bag']);
      await page.click('[data-testid="preset-launch"][data-kind="coupon"]');
      await expect.poll(async () => (await server.client().get(`/api/rooms/${sessionId}`)).json().coupon?.title, { timeout: 10_000 }).toBe('直播间 10 元立减券');
      await page.click('[data-testid="preset-launch"][data-kind="flash_sale"]');
      await expect
        .poll(async () => ((await server.client().get(`/api/rooms/${sessionId}/products`)).json().flashSales as { productId: string; priceFen: number }[]).map((f) => [f.productId, f.priceFen]), { timeout: 10_000 })
        .toEqual([[products[1].id, 990]]);
      await page.locator('[data-testid="console-flash-sale"]').first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: screenshotPath('cockpit-streamer-tablet-landscape') });
      await page.screenshot({ path: screenshotPath('cockpit-streamer-tablet-landscape-full'), fullPage: true });
      // Portrait: the same cockpit, rearranged.
      await page.setViewportSize({ width: 768, height: 1024 });
      await page.screenshot({ path: screenshotPath('cockpit-streamer-tablet-portrait') });
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.screenshot({ path: screenshotPath('cockpit-streamer-desktop') });
      expect(errors).toEqual([]);
      // The same preset once the pinned product's price is below ¥9.90: the server's refusal shows under the presets, nothing launches.
      const skuPrices = products[1].skus as { id: string; priceFen: number }[];
      await server.database.db.updateTable('skus').set({ price_fen: 900 }).where('product_id', '=', products[1].id).execute();
      await page.click('[data-testid="preset-launch"][data-kind="flash_sale"]');
      const refusal = page.locator('[data-testid="cockpit-presets"] [data-testid="form-error"][data-code="FLASH_PRICE_ABOVE_PRICE"]');
      await refusal.waitFor({ timeout: 10_000 });
      expect(await refusal.innerText()).toContain('¥9.00');
      expect((await server.client().get(`/api/rooms/${sessionId}/products`)).json().flashSales).toHaveLength(1);
      for (const sku of skuPrices) await server.database.db.updateTable('skus').set({ price_fen: sku.priceFen }).where('id', '=', sku.id).execute();

      // --- the demo 场控 (王经纪) on a phone: chat, the 小黄车 and coupons only ---
      const assistant = server.client();
      await assistant.login(DEMO_ACCOUNTS.mcn.login, DEMO_PASSWORD);
      const phone = await pageAs(assistant, { width: 390, height: 844 });
      await phone.goto(`${base}/assist`);
      await phone.click(`[data-testid="assisting-open"][data-session-id="${sessionId}"]`);
      await phone.waitForSelector('[data-testid="console-page"][data-role="assistant"][data-connection="open"]', { timeout: 15_000 });
      expect(await phone.locator('[data-testid="console-page"]').getAttribute('data-rights')).toBe('moderate products coupons');
      await phone.locator('[data-testid="preset-launch"]').first().waitFor();
      expect(await phone.locator('[data-testid="preset-launch"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(['coupon']);
      expect(await phone.locator('[data-testid="pin-product"]').count()).toBeGreaterThan(0);
      expect(await phone.locator('[data-testid="pin-next"]').count()).toBe(1);
      for (const hidden of ['presets-manage', 'console-flash', 'console-luckybag-card', 'cockpit-assistants', 'flash-form']) {
        expect(await phone.locator(`[data-testid="${hidden}"]`).count(), hidden).toBe(0);
      }
      // One-tap moderation from the phone: a viewer's message, muted for 10 minutes.
      const viewerSocket = await RoomSocket.open(server, sessionId, { client: viewer });
      viewerSocket.send({ t: 'chat', text: '主播好，蝴蝶酥还有吗', nonce: 'cockpit-1' });
      const message = phone.locator('[data-testid="console-chat"] [data-testid="chat-message"]', { hasText: '蝴蝶酥还有吗' });
      await message.waitFor({ timeout: 10_000 });
      await message.locator('[data-testid="msg-mute"]').click();
      await expect
        .poll(async () => ((await host.get(`/api/rooms/${sessionId}/moderation-log`)).json().entries as { action: string; actor: string }[]).find((e) => e.action === 'user.mute')?.actor, { timeout: 10_000 })
        .toBe(DEMO_ACCOUNTS.mcn.name);
      viewerSocket.close();
      // The page fits the phone: nothing wider than the screen.
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      // The preview plays on the phone too.
      await phone.waitForSelector('[data-testid="cockpit-preview"] [data-testid="live-player"][data-phase="playing"]', { timeout: 30_000 });
      // The assistant pins in one tap.
      await phone.click('[data-testid="pin-next"]');
      await phone.waitForSelector(`[data-testid="console-pinned"][data-product-id="${products[2].id}"]`, { timeout: 10_000 });
      await phone.screenshot({ path: screenshotPath('cockpit-assistant-phone') });
      await phone.screenshot({ path: screenshotPath('cockpit-assistant-phone-full'), fullPage: true });
      await phone.context().close();
      await page.context().close();
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
