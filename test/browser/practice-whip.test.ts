// A trainee pushes a practice live (实训, docs/TRAINING.md) from the practice page with the browser's camera
// and microphone (WHIP, the publisher the streamer's go-live page uses too), and the centre's trainer,
// on the same practice page, sees the video play. Chromium's fake camera stands in for a real one.
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { waitUntil } from '../helpers/publisher.ts';
import { startTestServer, type TestClient, type TestServer } from '../helpers/server.ts';

const chromiumAvailable = await requireService('chromium');

const playerVideo = (page: Page) =>
  page.locator('[data-testid="training-player"] video').evaluate((v: HTMLVideoElement) => ({ time: v.currentTime, width: v.videoWidth, height: v.videoHeight }));

// WebRTC in Chromium, werift and an H.264 encode in ffmpeg take about a core between them: on a busy
// 2-core machine the stream takes a while to arrive, so the waits are long (they end as soon as it does).
describe.skipIf(!chromiumAvailable.ok)('practice live pushed from the browser (WHIP), in Chromium', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect: 'sqlite', media: true, realTime: true, env: { LIVE_RECONNECT_GRACE_SECONDS: '2' } });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function pageAs(client: TestClient) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    await context.addCookies([{ name: 'zhibo_session', value: client.cookie('zhibo_session')!, url: base }]);
    return context.newPage();
  }

  it('the trainee goes live from the practice page with the camera; the trainer watches it play; stop, then end', async () => {
    const stamp = Date.now().toString(36);
    const trainer = server.client();
    await trainer.register(`whip-trainer-${stamp}@example.com`, 'Secret123x', '培训老师');
    const org = (await trainer.post('/api/orgs', { kind: 'training', name: `浏览器实训学院${stamp}`, description: '' })).json().org;
    // The trainee is an ordinary user: no streamer verification, so the streamer's go-live is not open to them.
    const trainee = server.client();
    const login = `whip-trainee-${stamp}@example.com`;
    await trainee.register(login, 'Secret123x', '学员小何');
    const enrollmentId = (await trainer.post(`/api/orgs/${org.id}/training/enrollments`, { login, job: 'seller', level: 5 })).json().enrollment.id as string;

    const page = await pageAs(trainee);
    await page.goto(`${base}/training/${enrollmentId}`);
    await page.click('[data-testid="training-start-practice"]');
    await page.locator('[data-testid="training-practice"][data-live="true"]').waitFor();
    const practiceUrl = page.url();
    const practiceId = practiceUrl.split('/').pop()!;
    const sessionId = (await page.locator('[data-testid="training-practice-room"]').getAttribute('data-session'))!;

    // The browser push panel: the fake camera is listed and previewed; go live.
    const panel = page.locator('[data-testid="training-browser-push"]');
    await waitUntil(async () => (await panel.locator('[data-testid="camera-select"] option').count()) > 0, 15_000, 'the camera list');
    await waitUntil(async () => panel.locator('[data-testid="local-preview"]').evaluate((v: HTMLVideoElement) => v.videoWidth > 0), 15_000, 'the local preview');
    await panel.locator('[data-testid="go-live-start"]').click();
    await panel.locator('[data-testid="go-live-state"][data-state="connected"]').waitFor({ timeout: 60_000 });
    const session = await waitUntil(async () => {
      const s = (await trainee.get(`/api/training/practices/${practiceId}`)).json().practice.session;
      return s.status === 'live' && s.publishing ? s : null;
    }, 90_000, 'the practice live to go live from the browser');
    expect(session.id).toBe(sessionId);
    // The same relay as the streamer's go-live: ffmpeg's H.264 through the session's own key.
    await waitUntil(async () => server.services.media.ingest?.health(sessionId)?.videoCodec === 'H.264', 60_000, 'the H.264 stream');
    // The trainee's own page plays it back too (the room's player, below the preview).
    await page.locator('[data-testid="training-player"] video').waitFor({ timeout: 30_000 });
    await waitUntil(async () => (await playerVideo(page)).time > 0.5, 60_000, 'the trainee’s player to play');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('training-practice-whip-trainee'), fullPage: true });

    // The trainer, on the same practice page, sees the video play (time moving, a picture of some size) and no push panel.
    const trainerPage = await pageAs(trainer);
    await trainerPage.goto(practiceUrl);
    await trainerPage.locator('[data-testid="training-player"] video').waitFor({ timeout: 30_000 });
    const first = await waitUntil(async () => {
      const v = await playerVideo(trainerPage);
      return v.width > 0 && v.time > 0.5 ? v : null;
    }, 60_000, 'the trainer’s player to play');
    await waitUntil(async () => (await playerVideo(trainerPage)).time > first.time + 1, 30_000, 'the trainer’s video to keep playing');
    expect(await trainerPage.locator('[data-testid="training-browser-push"]').count()).toBe(0);
    expect(await trainerPage.locator('[data-testid="training-push"]').count()).toBe(0);
    await trainerPage.screenshot({ path: screenshotPath('training-practice-whip-trainer'), fullPage: true });
    await trainerPage.context().close();

    // Stop: the server hears the DELETE and the stream stops; then the trainee ends the practice.
    await panel.locator('[data-testid="go-live-stop"]').click();
    await panel.locator('[data-testid="go-live-state"][data-state="closed"]').waitFor({ timeout: 15_000 });
    await waitUntil(async () => !(await trainee.get(`/api/training/practices/${practiceId}`)).json().practice.session.publishing, 30_000, 'the push to stop');
    await page.click('[data-testid="training-practice-end"]');
    await page.locator('[data-testid="training-practice"][data-live="false"]').waitFor();
    expect(await page.locator('[data-testid="training-browser-push"]').count()).toBe(0);
    await page.context().close();
  });

  it('shows the server’s refusal in the panel, in English, when the server cannot take a browser push (no ffmpeg)', async () => {
    const bare = await startTestServer({ dialect: 'sqlite', listen: true, ffmpeg: null, realTime: true });
    try {
      const bareBase = `http://127.0.0.1:${(bare.app.server.address() as AddressInfo).port}`;
      const stamp = Date.now().toString(36);
      const trainer = bare.client();
      await trainer.register(`whip-trainer-${stamp}@example.com`, 'Secret123x', 'Trainer');
      const org = (await trainer.post('/api/orgs', { kind: 'training', name: `No-ffmpeg academy ${stamp}`, description: '' })).json().org;
      const trainee = bare.client();
      const login = `whip-trainee-${stamp}@example.com`;
      await trainee.register(login, 'Secret123x', 'Trainee Lee');
      expect((await trainee.patch('/api/me', { locale: 'en' })).status).toBe(200);
      const enrollmentId = (await trainer.post(`/api/orgs/${org.id}/training/enrollments`, { login, job: 'seller', level: 5 })).json().enrollment.id as string;
      const practice = (await trainee.post(`/api/training/enrollments/${enrollmentId}/practices`, { title: 'Browser push practice' })).json().practice;

      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en' });
      await context.addCookies([{ name: 'zhibo_session', value: trainee.cookie('zhibo_session')!, url: bareBase }]);
      const page = await context.newPage();
      await page.goto(`${bareBase}/training/practices/${practice.id}`);
      const panel = page.locator('[data-testid="training-browser-push"]');
      await waitUntil(async () => (await panel.locator('[data-testid="camera-select"] option').count()) > 0, 15_000, 'the camera list');
      await panel.locator('[data-testid="go-live-start"]').click();
      // WHIP_UNAVAILABLE (503), shown with its English message; the page stays ready to try again.
      const refusal = panel.locator('[data-testid="form-error"][data-code="WHIP_UNAVAILABLE"]');
      await refusal.waitFor({ timeout: 15_000 });
      expect(await refusal.innerText()).toContain('Browser go-live needs ffmpeg');
      expect(await panel.locator('[data-testid="go-live-state"]').getAttribute('data-state')).toBe('idle');
      expect(await panel.locator('[data-testid="go-live-start"]').isEnabled()).toBe(true);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: screenshotPath('training-practice-whip-unavailable-en'), fullPage: true });
      await context.close();
    } finally {
      await bare.close();
    }
  });
});
