// A stranger's phone, in zh-CN and in English, at 390 px and at 320 px: the site header, the buy sheet's 看讲解
// and a landscape live with a flash sale (the 横屏 button beside it, the card's price) must fit and stay usable.
// Held sideways (844×390, 667×330) the room takes the whole screen (docs/ROOM.md, On a phone held sideways).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { launchChromium, screenshotPath } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { publish, waitUntil } from '../helpers/publisher.ts';
import { startTestServer, type TestClient, type TestServer } from '../helpers/server.ts';
import { newBuyer } from '../helpers/shop.ts';

const chromiumAvailable = await requireService('chromium');

type Box = { left: number; right: number; top: number; bottom: number };
const WIDE = { width: 390, height: 844 };
const NARROW = { width: 320, height: 568 };

describe.skipIf(!chromiumAvailable.ok)('a phone at 390 and 320 px, in zh-CN and English, in Chromium', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect: 'sqlite', demo: true, media: true, realTime: true });
    const address = server.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function phone(client: TestClient | null, viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    if (client) await context.addCookies([{ name: 'zhibo_session', value: client.cookie('zhibo_session')!, url: base }]);
    return context.newPage();
  }

  async function buyerIn(locale: 'zh-CN' | 'en') {
    const buyer = await newBuyer(server);
    expect((await buyer.client.patch('/api/me', { locale })).status).toBe(200);
    return buyer;
  }

  const box = (page: Page, selector: string) =>
    page.locator(selector).first().evaluate((el): Box => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    });

  it('keeps the header inside the screen: the avatar is not under 退出登录 and nothing scrolls sideways', async () => {
    const cases = [
      { locale: 'zh-CN', viewport: WIDE },
      { locale: 'zh-CN', viewport: NARROW },
      { locale: 'en', viewport: NARROW },
    ] as const;
    for (const { locale, viewport } of cases) {
      const buyer = await buyerIn(locale);
      const page = await phone(buyer.client, viewport);
      await page.goto(`${base}/orders`);
      await page.locator('[data-testid="logout-button"]').waitFor();
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(locale);
      const avatar = await box(page, '[data-testid="nav-account"] .avatar');
      const logout = await box(page, '[data-testid="logout-button"]');
      const what = `${locale} at ${viewport.width} px`;
      expect(avatar.right, `${what}: the avatar ends before 退出登录 starts`).toBeLessThanOrEqual(logout.left);
      expect(logout.right, `${what}: 退出登录 on the screen`).toBeLessThanOrEqual(viewport.width);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${what}: no sideways scrolling`).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: screenshotPath(`phone-narrow-header-${locale}-${viewport.width}`), clip: { x: 0, y: 0, width: viewport.width, height: 120 } });
      await page.context().close();
    }
    // Signed out: English, 登录 and 注册 fit a 320 px screen too.
    const page = await phone(null, NARROW);
    await page.goto(`${base}/`);
    await page.locator('[data-testid="nav-register"]').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);
    await page.context().close();
  });

  it('puts 看讲解 on its own line in the buy sheet, not run into the price', async () => {
    // The food streamer's next live lists 德兴斋's 蝴蝶酥, explained in a demo replay.
    const { db } = server.database;
    const session = await db.selectFrom('live_sessions').select('id').where('title', '=', '德兴斋蝴蝶酥工厂溯源专场').executeTakeFirstOrThrow();
    const product = await db.selectFrom('products').select('id').where('title', 'like', '%蝴蝶酥%').executeTakeFirstOrThrow();
    for (const locale of ['zh-CN', 'en'] as const) {
      const buyer = await buyerIn(locale);
      const page = await phone(buyer.client, WIDE);
      await page.goto(`${base}/watch/${session.id}`);
      await page.locator('[data-testid="watch-page"] [data-testid="cart-button"]').click();
      await page.locator(`[data-testid="cart-buy"][data-product-id="${product.id}"]`).click();
      await page.locator('[data-testid="buy-sheet"] [data-testid="explanation-link"]').waitFor({ timeout: 15_000 });
      // Both measured at once: the sheet may still be sliding up.
      const { link, price } = await page.locator('[data-testid="buy-sheet"]').evaluate((sheet) => ({
        link: sheet.querySelector('[data-testid="explanation-link"]')!.getBoundingClientRect().toJSON() as Box,
        price: sheet.querySelector('[data-testid="buy-unit-price"]')!.getBoundingClientRect().toJSON() as Box,
      }));
      expect(link.bottom, `${locale}: 看讲解 above the price`).toBeLessThanOrEqual(price.top + 1);
      await page.screenshot({ path: screenshotPath(`phone-narrow-buy-sheet-${locale}`) });
      await page.context().close();
    }
  });

  it('on a landscape live with a flash sale: the 横屏 button is not under the card, and the price stays on one line at 320 px', async () => {
    const streamer = server.client();
    await streamer.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
    const own = (await streamer.get('/api/streamer/live-sessions')).json().sessions as { id: string; status: string; brand: unknown; scheduledAt: string }[];
    const session = own.filter((s) => s.brand && s.status === 'scheduled').sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt))[0]!;
    const { push } = (await streamer.get(`/api/streamer/live-sessions/${session.id}`)).json();
    const run = publish(push.url, { seconds: 120, size: '1280x720' });
    try {
      await waitUntil(async () => (await streamer.get(`/api/streamer/live-sessions/${session.id}`)).json().session.status === 'live', 30_000, 'the live to start');
      const products = (await streamer.get(`/api/rooms/${session.id}/products`)).json().products as { title: string; skus: { id: string; priceFen: number }[] }[];
      // The 500 g 蝴蝶酥 (¥128) at ¥118.80: a price of seven characters, as most are above ¥100.
      const giftBox = products.find((p) => p.title.includes('蝴蝶酥'))!.skus.find((s) => s.priceFen === 12_800)!;
      // Upcoming, so the card's head reads "Starts in …" (the longest line it has).
      const sale = await streamer.post(`/api/rooms/${session.id}/flash-sales`, { skuId: giftBox.id, priceFen: 11_880, stock: 300, perUserLimit: 2, startsInSeconds: 3600, durationSeconds: 600 });
      expect(sale.status, sale.body).toBe(201);
      // An announcement under the card makes the stack at the left as tall as an auction's card: 点击开启声音 once hid under it.
      expect((await streamer.post(`/api/rooms/${session.id}/announcement`, { text: '今晚 8 点抽福袋，关注主播不迷路；满 199 元包邮，蝴蝶酥限量 300 盒' })).status).toBe(200);

      for (const locale of ['en', 'zh-CN'] as const) {
        for (const viewport of [WIDE, NARROW]) {
          const buyer = await buyerIn(locale);
          const page = await phone(buyer.client, viewport);
          await page.goto(`${base}/watch/${session.id}`);
          const room = '[data-testid="watch-page"]';
          await page.locator(`${room} [data-testid="live-player"][data-phase="playing"]`).waitFor({ timeout: 40_000 });
          await page.locator(`${room} [data-testid="rotate-button"]`).waitFor();
          await page.locator(`${room} [data-testid="flash-card"]`).waitFor();
          const what = `${locale} at ${viewport.width} px`;
          // A tap anywhere on the button reaches it (the flash card sits over whatever it overlaps).
          const hits = await page.locator(`${room} [data-testid="rotate-button"]`).evaluate((button) => {
            const r = button.getBoundingClientRect();
            return [3, r.width / 2, r.width - 3].map((dx) => button.contains(document.elementFromPoint(r.left + dx, r.top + r.height / 2)));
          });
          expect(hits, `${what}: 横屏观看 is not covered`).toEqual([true, true, true]);
          expect((await page.locator(`${room} [data-testid="rotate-button"]`).innerText()).trim(), `${what}: upright, the button turns the picture`).toBe(locale === 'en' ? 'Rotate' : '横屏观看');
          const price = await page.locator(`${room} [data-testid="flash-price"]`).evaluate((el) => ({ height: el.getBoundingClientRect().height, line: parseFloat(getComputedStyle(el).lineHeight) }));
          expect(price.height, `${what}: the flash price on one line`).toBeLessThan(price.line * 1.5);
          // 点击开启声音 (the picture starts muted) sits below the cards at the left, where a tap reaches it.
          await page.locator(`${room} [data-testid="room-announcement"]`).waitFor();
          const unmute = page.locator(`${room} [data-testid="player-unmute"]`);
          await unmute.waitFor();
          await expect
            .poll(async () => (await box(page, `${room} [data-testid="player-unmute"]`)).top - (await box(page, `${room} .imm-stack`)).bottom, { message: `${what}: 点击开启声音 below the cards` })
            .toBeGreaterThanOrEqual(0);
          // At 390 px it is clear of the chat too (at 320×568 the card and the announcement leave no room between them).
          if (viewport === WIDE) {
            const unmuteHit = await unmute.evaluate((button) => {
              const r = button.getBoundingClientRect();
              return [0.15, 0.5, 0.85].map((fy) => button.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height * fy)));
            });
            expect(unmuteHit, `${what}: 点击开启声音 is not covered`).toEqual([true, true, true]);
          }
          await page.screenshot({ path: screenshotPath(`phone-narrow-flash-${locale}-${viewport.width}`) });
          await page.context().close();
        }
      }
    } finally {
      run.child.kill('SIGINT');
      await run.exited;
    }
  });

  it('held sideways (844×390): the room takes the whole screen, the bar and the buy sheet stay on it; a desktop keeps its column', async () => {
    const SIDEWAYS = { width: 844, height: 390 };
    // A scheduled branded live of each streamer: the food one landscape (flash sale, pinned product), the beauty one portrait.
    async function goLive(login: string, size: string) {
      const streamer = server.client();
      await streamer.login(login, DEMO_PASSWORD);
      const own = (await streamer.get('/api/streamer/live-sessions')).json().sessions as { id: string; status: string; brand: unknown; scheduledAt: string }[];
      const session = own.filter((s) => s.brand && s.status === 'scheduled').sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt))[0]!;
      const { push } = (await streamer.get(`/api/streamer/live-sessions/${session.id}`)).json();
      const run = publish(push.url, { seconds: 120, size });
      await waitUntil(async () => (await streamer.get(`/api/streamer/live-sessions/${session.id}`)).json().session.status === 'live', 30_000, 'the live to start');
      return { streamer, id: session.id, run };
    }
    const wide = await goLive(DEMO_ACCOUNTS.streamerFood.login, '1280x720');
    const tall = await goLive(DEMO_ACCOUNTS.streamerBeauty.login, '720x1280');
    const room = '[data-testid="watch-page"]';
    const video = (page: Page) =>
      page.locator(`${room} [data-testid="live-player"] video`).evaluate((v: HTMLVideoElement) => {
        const r = v.getBoundingClientRect();
        return { width: r.width, height: r.height, fit: getComputedStyle(v).objectFit };
      });
    try {
      const products = (await wide.streamer.get(`/api/rooms/${wide.id}/products`)).json().products as { id: string; title: string; skus: { id: string; priceFen: number }[] }[];
      const butterfly = products.find((p) => p.title.includes('蝴蝶酥'))!;
      expect((await wide.streamer.post(`/api/rooms/${wide.id}/pin`, { productId: butterfly.id })).status).toBe(200);
      const sale = await wide.streamer.post(`/api/rooms/${wide.id}/flash-sales`, { skuId: butterfly.skus[0]!.id, priceFen: butterfly.skus[0]!.priceFen - 1000, stock: 300, perUserLimit: 2, startsInSeconds: 0, durationSeconds: 600 });
      expect(sale.status, sale.body).toBe(201);

      // 844×390, and 667×330: a small phone with the browser's bars showing.
      for (const viewport of [SIDEWAYS, { width: 667, height: 330 }]) {
        const buyer = await buyerIn('zh-CN');
        const page = await phone(buyer.client, viewport);
        await page.goto(`${base}/watch/${wide.id}`);
        await page.locator(`${room} [data-testid="live-player"][data-phase="playing"][data-orientation="landscape"]`).waitFor({ timeout: 40_000 });
        await page.locator(`${room} [data-testid="room-panel"][data-connection="open"]`).waitFor({ timeout: 15_000 });
        await page.locator(`${room} [data-testid="flash-card"]`).waitFor();
        await page.locator(`${room} [data-testid="pinned-card"]`).waitFor();
        // The landscape picture is as tall as the screen and far wider than the desktop's 420 px column.
        const landscape = await video(page);
        expect(landscape.height, 'the video is as tall as the screen').toBeGreaterThanOrEqual(viewport.height * 0.9);
        expect(landscape.width, 'the video is wider than the portrait column').toBeGreaterThan(600);
        expect(landscape.fit).toBe('contain');
        // The bottom bar's buttons, the pinned card, the flash card and 横屏观看 are all on the screen.
        for (const id of ['cart-button', 'chat-input', 'share-button', 'like-button', 'pinned-card', 'flash-card', 'rotate-button', 'danmaku-toggle']) {
          const b = await box(page, `${room} [data-testid="${id}"]`);
          expect(b.left, `${id} inside the screen`).toBeGreaterThanOrEqual(0);
          expect(b.top, `${id} inside the screen`).toBeGreaterThanOrEqual(0);
          expect(b.right, `${id} inside the screen`).toBeLessThanOrEqual(viewport.width);
          expect(b.bottom, `${id} inside the screen`).toBeLessThanOrEqual(viewport.height);
        }
        // Nothing the viewer taps hides under the chat or the flash card: each is what a tap at its centre reaches.
        for (const id of ['cart-button', 'share-button', 'like-button', 'buy-button', 'rotate-button', 'danmaku-toggle', 'flash-buy']) {
          const reached = await page.locator(`${room} [data-testid="${id}"]`).first().evaluate((el) => {
            const r = el.getBoundingClientRect();
            return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
          });
          expect(reached, `${id} is not covered`).toBe(true);
        }
        expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling').toBeLessThanOrEqual(viewport.width);
        // Already sideways, the button only fills the screen, and says so.
        expect((await page.locator(`${room} [data-testid="rotate-button"]`).innerText()).trim()).toBe('全屏观看');
        // The chat input works, and the chat shows at the left under the flash card, not over it.
        await page.locator(`${room} [data-testid="chat-input"]`).fill('横过来看清楚多了');
        await page.locator(`${room} [data-testid="chat-input"]`).press('Enter');
        await page.locator(`${room} [data-testid="danmaku-layer"] .chat-mine`, { hasText: '横过来看清楚多了' }).waitFor({ timeout: 10_000 });
        const chat = await box(page, `${room} .imm-chat .chat-list`);
        const flash = await box(page, `${room} [data-testid="flash-card"]`);
        expect(chat.top, 'the chat under the flash card').toBeGreaterThanOrEqual(flash.bottom);
        expect(chat.right, 'the chat at the left').toBeLessThan(viewport.width / 2);
        await page.screenshot({ path: screenshotPath(`phone-sideways-landscape-live-${viewport.width}`) });

        // The buy sheet: its 提交订单 is on the screen without scrolling.
        await page.locator(`${room} [data-testid="pinned-card"] [data-testid="buy-button"]`).click();
        const sheet = page.locator('[data-testid="buy-sheet"]');
        await sheet.waitFor();
        await page.locator('[data-testid="buy-sheet"] [data-testid="address-form"], [data-testid="buy-sheet"] [data-testid="address-option"]').first().waitFor();
        await page.locator('[data-testid="buy-sheet"] [data-testid="quote"][data-ready="true"]').waitFor({ timeout: 10_000 });
        await page.waitForTimeout(400); // the sheet's slide-up
        const submit = await box(page, '[data-testid="buy-sheet"] [data-testid="submit-order"]');
        expect(submit.top, '提交订单 on the screen').toBeGreaterThanOrEqual(0);
        expect(submit.bottom, '提交订单 on the screen').toBeLessThanOrEqual(viewport.height);
        expect(submit.right, '提交订单 on the screen').toBeLessThanOrEqual(viewport.width);
        const reachable = await page.locator('[data-testid="buy-sheet"] [data-testid="submit-order"]').evaluate((el) => {
          const r = el.getBoundingClientRect();
          return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
        });
        expect(reachable, '提交订单 is not covered').toBe(true);
        await page.screenshot({ path: screenshotPath(`phone-sideways-buy-sheet-${viewport.width}`) });
        await page.locator('[data-testid="buy-close"]').click();
        await page.context().close();
      }

      const page = await phone((await buyerIn('zh-CN')).client, SIDEWAYS);
      await page.goto(`${base}/watch/${wide.id}`);
      await page.locator(`${room} [data-testid="live-player"][data-phase="playing"]`).waitFor({ timeout: 40_000 });

      // 横屏观看 still gives the bare picture on the whole screen (full screen here; a CSS box without it).
      await page.locator(`${room} [data-testid="rotate-button"]`).click();
      await page.locator(`${room} [data-testid="rotate-button"]:not([data-rotated="off"])`).waitFor();
      const full = await page.locator(`${room} .imm-player-box`).evaluate((el) => el.getBoundingClientRect().toJSON() as Box);
      expect(full.right - full.left).toBeGreaterThanOrEqual(SIDEWAYS.width - 1);
      expect(full.bottom - full.top).toBeGreaterThanOrEqual(SIDEWAYS.height - 1);
      await page.locator(`${room} [data-testid="rotate-button"]`).click();
      await page.locator(`${room} [data-testid="rotate-button"][data-rotated="off"]`).waitFor();
      // The share sheet at the right: its QR code and 复制链接 on the screen.
      await page.locator(`${room} [data-testid="share-button"]`).click();
      await page.locator('[data-testid="share-sheet"] [data-testid="share-qr"]').waitFor({ timeout: 10_000 });
      await page.waitForTimeout(400);
      const copy = await box(page, '[data-testid="share-sheet"] [data-testid="share-link"]');
      expect(copy.bottom, 'the link on the screen').toBeLessThanOrEqual(SIDEWAYS.height);
      await page.screenshot({ path: screenshotPath('phone-sideways-share') });
      await page.locator('[data-testid="share-close"]').click();

      // A portrait live: centred at the screen's full height, letterboxed at the sides.
      await page.goto(`${base}/watch/${tall.id}`);
      await page.locator(`${room} [data-testid="live-player"][data-phase="playing"][data-orientation="portrait"]`).waitFor({ timeout: 40_000 });
      const portrait = await video(page);
      expect(portrait.height).toBeGreaterThanOrEqual(SIDEWAYS.height * 0.9);
      expect(portrait.fit).toBe('contain');
      await page.locator(`${room} [data-testid="share-button"]`).waitFor();
      await page.screenshot({ path: screenshotPath('phone-sideways-portrait-live') });
      await page.context().close();

      // A desktop window, even a short one, keeps the centred portrait column: it has a mouse.
      for (const viewport of [{ width: 1280, height: 800 }, { width: 900, height: 450 }]) {
        const desktop = await browser.newPage({ viewport, locale: 'zh-CN' });
        await desktop.goto(`${base}/watch/${wide.id}`);
        await desktop.locator(`${room} [data-testid="live-player"][data-phase="playing"]`).waitFor({ timeout: 40_000 });
        const column = (await desktop.locator('.imm-column').boundingBox())!;
        expect(column.width, `the column at ${viewport.width}×${viewport.height}`).toBe(Math.max(420, Math.floor((viewport.height * 9) / 16)));
        expect(column.height).toBe(viewport.height);
        await desktop.close();
      }
    } finally {
      for (const live of [wide, tall]) {
        live.run.child.kill('SIGINT');
        await live.run.exited;
      }
    }
  });
});
