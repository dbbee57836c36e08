import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { streamer } from '../helpers/people.ts';
import { publish, waitUntil } from '../helpers/publisher.ts';
import { RoomSocket } from '../helpers/room-client.ts';
import { startTestServer, type TestClient, type TestServer } from '../helpers/server.ts';

const chromiumAvailable = await requireService('chromium');

const PHONE = { width: 390, height: 844 };

/** The current room's video: its box, the picture's own size and how it is fitted. */
const currentVideo = (page: Page) =>
  page.locator('[data-testid="watch-page"] [data-testid="live-player"] video').evaluate((v: HTMLVideoElement) => {
    const r = v.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height, videoWidth: v.videoWidth, videoHeight: v.videoHeight, fit: getComputedStyle(v).objectFit, time: v.currentTime };
  });

/** ms from the swipe to the first frame the room it led to presented (the swiper's data attributes). */
async function swipeToFirstFrame(page: Page, sessionId: string): Promise<{ ms: number; preloaded: string }> {
  const root = page.locator('[data-testid="immersive-room"]');
  await page.waitForSelector(`[data-testid="immersive-room"][data-first-frame-session="${sessionId}"]`, { timeout: 30_000 });
  const [swipeAt, firstFrameAt, preloaded] = await Promise.all([root.getAttribute('data-swipe-at'), root.getAttribute('data-first-frame-at'), root.getAttribute('data-preloaded')]);
  const ms = Number(firstFrameAt) - Number(swipeAt);
  expect(ms).toBeGreaterThanOrEqual(0);
  return { ms: Math.round(ms), preloaded: preloaded ?? '' };
}

/** A finger drag on the touch screen, through the DevTools protocol (Playwright has taps only). */
async function touchSwipe(page: Page, fromY: number, toY: number) {
  const cdp = await page.context().newCDPSession(page);
  const x = PHONE.width / 2;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: fromY }] });
  for (let i = 1; i <= 6; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: fromY + ((toY - fromY) * i) / 6 }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

describe.skipIf(!chromiumAvailable.ok)('the immersive live room on a phone, in Chromium', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect: 'sqlite', media: true, env: { LIVE_RECONNECT_GRACE_SECONDS: '2' } });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function phonePage(client?: TestClient) {
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', hasTouch: true });
    if (client) await context.addCookies([{ name: 'zhibo_session', value: client.cookie('zhibo_session')!, url: base }]);
    return context.newPage();
  }

  async function goLive(title: string, minutesAhead: number, size: string) {
    const { client } = await streamer(server);
    const { session, push } = (await client.post('/api/streamer/live-sessions', { title, scheduledAt: new Date(Date.now() + minutesAhead * 60_000).toISOString() })).json();
    const run = publish(push.url, { seconds: 120, size });
    await waitUntil(async () => (await client.get(`/api/streamer/live-sessions/${session.id}`)).json().session.status === 'live', 30_000, `${title} to go live`);
    return { id: session.id as string, run, client };
  }

  it('fills the screen with a portrait live, shows danmaku over it, swipes to the next live and back, and shares a QR code', async () => {
    // Two portrait lives; the list orders them by their scheduled time, so A comes before B.
    const a = await goLive('竖屏直播 A', 1, '720x1280');
    const b = await goLive('竖屏直播 B', 2, '360x640');
    try {
      const viewer = await streamer(server); // any signed-in account can chat
      const page = await phonePage(viewer.client);
      await page.goto(`${base}/watch/${a.id}`);
      await page.waitForSelector('[data-testid="watch-page"] [data-testid="live-player"][data-phase="playing"]', { timeout: 40_000 });
      await page.waitForSelector('[data-testid="room-panel"][data-connection="open"]', { timeout: 15_000 });

      // The portrait picture covers the whole phone screen.
      await waitUntil(async () => (await currentVideo(page)).videoWidth > 0, 15_000, 'the video size');
      const video = await currentVideo(page);
      expect(video.videoWidth).toBeLessThan(video.videoHeight);
      expect(video.fit).toBe('cover');
      expect(video.x).toBeLessThanOrEqual(0);
      expect(video.y).toBeLessThanOrEqual(0);
      expect(video.x + video.width).toBeGreaterThanOrEqual(PHONE.width);
      expect(video.y + video.height).toBeGreaterThanOrEqual(PHONE.height);
      expect(await page.locator('[data-testid="watch-page"] [data-testid="live-player"]').getAttribute('data-orientation')).toBe('portrait');

      // Someone else's message shows over the video, lower left.
      const other = await streamer(server);
      const socket = await RoomSocket.open(server, a.id, { client: other.client });
      expect((await socket.chat('主播好，月饼怎么卖')).t).toBe('ack');
      const message = page.locator('[data-testid="danmaku-layer"] [data-testid="chat-message"]', { hasText: '主播好，月饼怎么卖' });
      await message.waitFor({ timeout: 10_000 });
      const box = (await message.boundingBox())!;
      expect(box.x).toBeLessThan(PHONE.width / 2);
      expect(box.y).toBeGreaterThan(PHONE.height / 2);
      // …drawn over the video: what is under the message belongs to the room's overlay, not a panel below it.
      expect(await page.evaluate(({ x, y }) => !!document.elementFromPoint(x, y)?.closest('[data-testid="room-panel"]'), { x: box.x + 8, y: box.y + box.height / 2 })).toBe(true);
      socket.close();
      await page.screenshot({ path: screenshotPath('immersive-portrait-phone') });

      // A double tap on the video likes.
      const likes = page.locator('[data-testid="watch-page"] [data-testid="like-count"]');
      const before = Number(await likes.getAttribute('data-count'));
      await page.mouse.dblclick(PHONE.width / 2, 420);
      await waitUntil(async () => Number(await likes.getAttribute('data-count')) > before, 10_000, 'the double-tap like');

      // The next live is already attached (muted, off screen) before the swipe.
      await page.waitForSelector(`[data-testid="watch-slide"][data-session-id="${b.id}"] [data-testid="live-player-preload"][data-phase="playing"]`, { timeout: 40_000 });

      // Swipe up with a finger: the next room slides in, the URL follows, and its video plays at once.
      await touchSwipe(page, 600, 200);
      await page.waitForURL(`${base}/watch/${b.id}`, { timeout: 10_000 });
      const preloaded = await swipeToFirstFrame(page, b.id);
      await page.waitForSelector(`[data-testid="watch-page"][data-session-id="${b.id}"] [data-testid="live-player"][data-phase="playing"]`, { timeout: 30_000 });
      const t0 = (await currentVideo(page)).time;
      await waitUntil(async () => (await currentVideo(page)).time > t0 + 0.5, 15_000, 'the second room to play');
      await page.waitForSelector('[data-testid="room-panel"][data-connection="open"]', { timeout: 15_000 });
      expect(await page.locator('[data-testid="watch-page"] [data-testid="watch-title"]').innerText()).toContain('竖屏直播 B');
      await page.screenshot({ path: screenshotPath('immersive-swiped-phone') });

      // Past the last live: a clear hint, and the room stays.
      await page.keyboard.press('ArrowDown');
      const hint = page.locator('[data-testid="swipe-no-more"]');
      await hint.waitFor({ timeout: 5_000 });
      expect(await hint.innerText()).toBe('没有更多直播了');
      await page.screenshot({ path: screenshotPath('immersive-no-more-phone') });
      expect(page.url()).toBe(`${base}/watch/${b.id}`);
      expect(await page.getAttribute('[data-testid="watch-page"]', 'data-session-id')).toBe(b.id);

      // Back up with the mouse wheel to A, which kept its player: as quick.
      await page.mouse.move(PHONE.width / 2, 420);
      await page.mouse.wheel(0, -120);
      await page.waitForURL(`${base}/watch/${a.id}`, { timeout: 10_000 });
      const back = await swipeToFirstFrame(page, a.id);
      expect(back.preloaded).toBe('true');

      // The same swipe A → B with preloading turned off.
      await page.goto(`${base}/watch/${a.id}?preload=0`);
      await page.waitForSelector('[data-testid="watch-page"] [data-testid="live-player"][data-phase="playing"]', { timeout: 40_000 });
      await page.waitForSelector(`[data-testid="watch-slide"][data-session-id="${b.id}"]`, { timeout: 15_000 });
      expect(await page.locator('[data-testid="live-player-preload"]').count()).toBe(0);
      await page.keyboard.press('ArrowDown');
      await page.waitForURL(`${base}/watch/${b.id}?preload=0`, { timeout: 10_000 });
      const unpreloaded = await swipeToFirstFrame(page, b.id);
      console.log(`swipe → first frame: preloaded next ${preloaded.ms} ms (data-preloaded=${preloaded.preloaded}); back to the room just left ${back.ms} ms; next with ?preload=0 ${unpreloaded.ms} ms`);
      expect(preloaded.preloaded).toBe('true');
      expect(unpreloaded.preloaded).toBe('false');

      // Share: the room's link and its QR code.
      await page.click('[data-testid="share-button"]');
      const qr = page.locator('[data-testid="share-sheet"] [data-testid="share-qr"]');
      await qr.waitFor({ timeout: 10_000 });
      expect(Number(await qr.getAttribute('data-modules'))).toBeGreaterThanOrEqual(21);
      expect((await qr.locator('path').getAttribute('d'))!.length).toBeGreaterThan(200);
      expect(await page.inputValue('[data-testid="share-link"]')).toBe(`${base}/watch/${b.id}`);
      await page.screenshot({ path: screenshotPath('immersive-share-phone') });
      // While the sheet is open the arrow keys are the sheet's.
      await page.keyboard.press('ArrowUp');
      expect(page.url()).toBe(`${base}/watch/${b.id}?preload=0`);
      await page.click('[data-testid="share-close"]');
      await page.context().close();
    } finally {
      a.run.child.kill('SIGKILL');
      b.run.child.kill('SIGKILL');
    }
    await waitUntil(async () => (await a.client.get(`/api/streamer/live-sessions/${a.id}`)).json().session.status === 'ended', 30_000, 'A to end');
    await waitUntil(async () => (await b.client.get(`/api/streamer/live-sessions/${b.id}`)).json().session.status === 'ended', 30_000, 'B to end');
  });

  it('letterboxes a landscape live and turns it to full-screen landscape on demand', async () => {
    const c = await goLive('横屏直播', 3, '640x360');
    try {
      const page = await phonePage();
      await page.goto(`${base}/watch/${c.id}`);
      await page.waitForSelector('[data-testid="watch-page"] [data-testid="live-player"][data-phase="playing"][data-orientation="landscape"]', { timeout: 40_000 });
      const video = await currentVideo(page);
      expect(video.videoWidth).toBeGreaterThan(video.videoHeight);
      expect(video.fit).toBe('contain');
      const rotate = page.locator('[data-testid="rotate-button"]');
      await rotate.waitFor();
      await page.screenshot({ path: screenshotPath('immersive-landscape-phone') });

      // Chromium here has no orientation lock: the picture is turned a quarter with CSS and fills the screen.
      await rotate.click();
      await page.waitForSelector('[data-testid="rotate-button"]:not([data-rotated="off"])');
      const turned = await page.locator('.imm-player-box').evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { width: r.width, height: r.height, rotated: el.classList.contains('imm-rotated') || !!document.fullscreenElement };
      });
      expect(turned.rotated).toBe(true);
      expect(turned.width).toBeGreaterThanOrEqual(PHONE.width - 1);
      expect(turned.height).toBeGreaterThanOrEqual(PHONE.height - 1);
      await page.screenshot({ path: screenshotPath('immersive-rotated-phone') });
      await page.click('[data-testid="rotate-button"]');
      await page.waitForSelector('[data-testid="rotate-button"][data-rotated="off"]');
      await page.context().close();

      // On a desktop the room is a centred portrait column.
      const desktop = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
      await desktop.goto(`${base}/watch/${c.id}`);
      await desktop.waitForSelector('[data-testid="watch-page"] [data-testid="live-player"][data-phase="playing"]', { timeout: 40_000 });
      const column = (await desktop.locator('.imm-column').boundingBox())!;
      expect(column.height).toBe(900);
      expect(column.width).toBeLessThan(600);
      expect(Math.round(column.x + column.width / 2)).toBe(683);
      // A mouse gets buttons too; this is the only live, so there is nothing further.
      await desktop.click('[data-testid="swipe-next"]');
      await desktop.locator('[data-testid="swipe-no-more"][data-direction="next"]').waitFor({ timeout: 5_000 });
      expect(desktop.url()).toBe(`${base}/watch/${c.id}`);
      await desktop.screenshot({ path: screenshotPath('immersive-landscape-desktop') });
      await desktop.close();
    } finally {
      c.run.child.kill('SIGKILL');
    }
  });
});
