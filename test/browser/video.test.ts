import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { operator, streamer } from '../helpers/people.ts';
import { publish, waitUntil } from '../helpers/publisher.ts';
import { startTestServer, type TestClient, type TestServer } from '../helpers/server.ts';

const chromiumAvailable = await requireService('chromium');

/** Seconds of video the page's player has played so far. */
const playedSeconds = (page: Page) => page.locator('[data-testid="live-player"] video, [data-testid="replay-player"] video').first().evaluate((v: HTMLVideoElement) => v.currentTime);

describe.skipIf(!chromiumAvailable.ok)('watching and running a live in Chromium', { timeout: 120_000 }, () => {
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

  async function loggedInPage(client: TestClient, viewport = { width: 1280, height: 900 }) {
    const context = await browser.newContext({ viewport, locale: 'zh-CN' });
    await context.addCookies([{ name: 'zhibo_session', value: client.cookie('zhibo_session')!, url: base }]);
    return context.newPage();
  }

  it('shows a clear page for a live that does not exist', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/watch/00000000-0000-7000-8000-000000000000`);
    await page.waitForSelector('[data-testid="watch-not-found"]', { timeout: 10_000 });
    await page.screenshot({ path: screenshotPath('video-watch-not-found-phone') });
    await page.close();
  });

  it('waits on a scheduled live, starts playing by itself when it goes live, plays HLS too, and ends with a replay', async () => {
    const { client } = await streamer(server);
    const { session, push } = (await client.post('/api/streamer/live-sessions', { title: '现烤鲜肉月饼', scheduledAt: new Date(Date.now() + 60_000).toISOString() })).json();
    const viewer = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await viewer.goto(`${base}/watch/${session.id}`);
    await viewer.waitForSelector('[data-testid="watch-not-started"]');
    await viewer.screenshot({ path: screenshotPath('video-watch-not-started-phone') });

    const run = publish(push.url, { seconds: 60, size: '640x360' });
    try {
      // The page polls and starts the player by itself.
      await viewer.waitForSelector('[data-testid="live-player"][data-phase="playing"]', { timeout: 30_000 });
      expect(await viewer.locator('[data-testid="live-player"]').getAttribute('data-tech')).toBe('flv');
      const t0 = await playedSeconds(viewer);
      await waitUntil(async () => (await playedSeconds(viewer)) > t0 + 1.5, 10_000, 'the FLV player to advance');
      await viewer.screenshot({ path: screenshotPath('video-watch-live-flv-phone') });

      const hls = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await hls.goto(`${base}/watch/${session.id}?tech=hls`);
      await hls.waitForSelector('[data-testid="live-player"][data-phase="playing"]', { timeout: 30_000 });
      expect(await hls.locator('[data-testid="live-player"]').getAttribute('data-tech')).toBe('hls');
      const h0 = await playedSeconds(hls);
      await waitUntil(async () => (await playedSeconds(hls)) > h0 + 1.5, 15_000, 'the HLS player to advance');
      await hls.close();

      // The streamer's session page shows the stream's health.
      const console = await loggedInPage(client);
      await console.goto(`${base}/streamer/sessions/${session.id}`);
      await console.waitForSelector('[data-testid="stream-health"][data-publishing="true"]', { timeout: 15_000 });
      await waitUntil(async () => /H\.264/.test(await console.locator('[data-testid="stream-health"]').innerText()), 10_000, 'codecs on the health panel');
      await console.screenshot({ path: screenshotPath('video-streamer-session-desktop'), fullPage: true });
      await console.close();
    } finally {
      run.child.kill('SIGKILL');
    }
    await viewer.waitForSelector('[data-testid="watch-ended"]', { timeout: 30_000 });
    await viewer.waitForSelector('[data-testid="replay-player"] video', { timeout: 30_000 });
    // A replay waits for the viewer to press play.
    await viewer.locator('[data-testid="replay-player"] video').evaluate((v: HTMLVideoElement) => {
      v.muted = true;
      void v.play();
    });
    await waitUntil(async () => (await playedSeconds(viewer)) > 0.5, 15_000, 'the replay to play');
    await viewer.screenshot({ path: screenshotPath('video-watch-replay-phone') });
    await viewer.close();
  });

  it('shows the operator every live stream with its health, and cuts one off with a reason', async () => {
    const { client } = await streamer(server);
    const { session, push } = (await client.post('/api/streamer/live-sessions', { title: '待切断的直播', scheduledAt: new Date(Date.now() + 60_000).toISOString() })).json();
    const run = publish(push.url, { seconds: 60 });
    try {
      await waitUntil(async () => (await client.get(`/api/streamer/live-sessions/${session.id}`)).json().health.publishing, 15_000, 'publishing');
      const op = await operator(server);
      const page = await loggedInPage(op.client);
      await page.goto(`${base}/admin?tab=live`);
      const row = page.locator('[data-testid="live-stream-row"]', { hasText: '待切断的直播' });
      await row.waitFor({ timeout: 15_000 });
      await page.screenshot({ path: screenshotPath('video-operator-live-streams-desktop'), fullPage: true });
      await row.locator('[data-testid="cut-off"]').click();
      await page.fill('[data-testid="cut-off-reason"]', '直播内容违规');
      await page.click('[data-testid="cut-off-confirm"]');
      await waitUntil(async () => (await client.get(`/api/streamer/live-sessions/${session.id}`)).json().session.status === 'ended', 10_000, 'the cut-off');
      await page.close();
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
