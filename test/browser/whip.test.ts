import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from '../helpers/browser.ts';
import { requireService } from '../helpers/env.ts';
import { streamer } from '../helpers/people.ts';
import { waitUntil } from '../helpers/publisher.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const chromiumAvailable = await requireService('chromium');

// WebRTC in Chromium, werift and an H.264 encode in ffmpeg take about a core between them: on a busy
// 2-core machine the stream takes a while to arrive, so the waits are long (they end as soon as it does).
describe.skipIf(!chromiumAvailable.ok)('browser go-live (WHIP) in Chromium', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect: 'sqlite', media: true, env: { LIVE_RECONNECT_GRACE_SECONDS: '2' } });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('publishes a camera from a browser page over WHIP, and the live plays over HTTP-FLV', async () => {
    const { client, id: streamerId } = await streamer(server);
    const created = await client.post('/api/streamer/live-sessions', { title: '浏览器开播', scheduledAt: new Date(Date.now() + 60_000).toISOString() });
    const sessionId = created.json().session.id as string;
    const token = client.cookie('zhibo_session')!;
    const context = await browser.newContext();
    await context.addCookies([{ name: 'zhibo_session', value: token, url: base }]);
    const page = await context.newPage();
    await page.goto(`${base}/`);
    const result = await page.evaluate(async (id) => {
      const { csrfToken } = await (await fetch('/api/auth/session')).json();
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 }, audio: true });
      const pc = new RTCPeerConnection({ iceServers: [] });
      for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly' });
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise<void>((resolve) => {
        if (pc.iceGatheringState === 'complete') return resolve();
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
        // A cap only (gathering host candidates takes milliseconds): an offer sent before any candidate is gathered cannot connect.
        setTimeout(resolve, 10_000);
      });
      const response = await fetch(`/api/streamer/live-sessions/${id}/whip`, {
        method: 'POST',
        headers: { 'content-type': 'application/sdp', 'x-csrf-token': csrfToken },
        body: pc.localDescription!.sdp,
      });
      const answer = await response.text();
      if (response.status !== 201) return { status: response.status, answer };
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      (window as unknown as { pc: RTCPeerConnection }).pc = pc;
      return { status: response.status, location: response.headers.get('location') };
    }, sessionId);
    expect(result.status, JSON.stringify(result)).toBe(201);
    expect(result.location).toMatch(new RegExp(`^/api/streamer/live-sessions/${sessionId}/whip/[0-9a-f]{24}$`));

    const live = await waitUntil(async () => {
      const detail = (await client.get(`/api/streamer/live-sessions/${sessionId}`)).json();
      return detail.health.stream?.fps > 5 && detail.health.stream.keyframeIntervalS !== null ? detail : null;
    }, 60_000, 'the browser stream to arrive');
    expect(live.session.status).toBe('live');
    expect(live.health.stream).toMatchObject({ videoCodec: 'H.264', audioCodec: 'AAC' });
    // A keyframe about every second (for a quick start); a busy machine can stretch one a little.
    expect(live.health.stream.keyframeIntervalS).toBeLessThanOrEqual(2);
    const controller = new AbortController();
    const flv = await fetch(`${base}/live/${sessionId}.flv`, { signal: controller.signal });
    const reader = flv.body!.getReader();
    let received = Buffer.alloc(0);
    while (received.length < 20_000) received = Buffer.concat([received, Buffer.from((await reader.read()).value!)]);
    controller.abort();
    expect(received.subarray(0, 3).toString('latin1')).toBe('FLV');

    // Someone else's WHIP resource cannot be stopped; the streamer's own can.
    const other = await streamer(server);
    expect((await other.client.delete(result.location!)).status).toBe(404);
    expect((await client.delete(result.location!)).status).toBe(204);
    await waitUntil(async () => !(await client.get(`/api/streamer/live-sessions/${sessionId}`)).json().health.publishing, 30_000, 'the browser stream to stop');
    expect(streamerId).toBeTruthy();
    await context.close();
  });

  it('goes live from the go-live page with the camera and microphone it lists, and stops', async () => {
    const { client } = await streamer(server);
    const created = await client.post('/api/streamer/live-sessions', { title: '网页开播', scheduledAt: new Date(Date.now() + 60_000).toISOString() });
    const sessionId = created.json().session.id as string;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    await context.addCookies([{ name: 'zhibo_session', value: client.cookie('zhibo_session')!, url: base }]);
    const page = await context.newPage();
    await page.goto(`${base}/streamer/sessions/${sessionId}/go-live`);
    await waitUntil(async () => (await page.locator('[data-testid="camera-select"] option').count()) > 0, 15_000, 'the camera list');
    await page.click('[data-testid="go-live-start"]');
    await page.waitForSelector('[data-testid="go-live-state"][data-state="connected"]', { timeout: 40_000 });
    await waitUntil(async () => (await client.get(`/api/streamer/live-sessions/${sessionId}`)).json().health.stream?.videoCodec === 'H.264', 60_000, 'the stream to arrive');
    await page.screenshot({ path: screenshotPath('video-go-live-desktop'), fullPage: true });
    await page.click('[data-testid="go-live-stop"]');
    // The server marks the stream as no longer publishing, then writes the event that says how it stopped;
    // LIVE_RECONNECT_GRACE_SECONDS later the session ends and an `ended` event follows. Wait for the stream's
    // own last event (newest first), whether or not the grace period has run out yet.
    const last = await waitUntil(async () => {
      const detail = (await client.get(`/api/streamer/live-sessions/${sessionId}`)).json();
      const kind = (detail.events as { kind: string }[]).map((e) => e.kind).find((k) => k !== 'ended');
      return !detail.health.publishing && kind !== 'publish' && kind !== 'reconnect' ? kind : null;
    }, 30_000, 'the stop');
    expect(last).toBe('unpublish');
    await context.close();
  });

  it('goes live in portrait from a phone: the camera is asked for 9:16 and the stream arrives upright', async () => {
    const { client } = await streamer(server);
    const created = await client.post('/api/streamer/live-sessions', { title: '竖屏开播', scheduledAt: new Date(Date.now() + 60_000).toISOString() });
    const sessionId = created.json().session.id as string;
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, locale: 'zh-CN' });
    await context.addCookies([{ name: 'zhibo_session', value: client.cookie('zhibo_session')!, url: base }]);
    const page = await context.newPage();
    await page.goto(`${base}/streamer/sessions/${sessionId}/go-live`);
    await waitUntil(async () => (await page.locator('[data-testid="camera-select"] option').count()) > 0, 15_000, 'the camera list');
    await page.selectOption('[data-testid="orientation-select"]', 'portrait');
    // The camera is reopened upright: the preview's picture is taller than wide.
    await waitUntil(
      async () => page.locator('[data-testid="local-preview"]').evaluate((v: HTMLVideoElement) => v.videoWidth > 0 && v.videoWidth < v.videoHeight),
      15_000,
      'a portrait preview',
    );
    await page.click('[data-testid="go-live-start"]');
    await page.waitForSelector('[data-testid="go-live-state"][data-state="connected"]', { timeout: 40_000 });
    expect(await page.locator('[data-testid="orientation-select"]').isDisabled()).toBe(true);
    const stream = await waitUntil(async () => {
      const s = (await client.get(`/api/streamer/live-sessions/${sessionId}`)).json().health.stream;
      return s?.videoCodec === 'H.264' && s.width && s.height ? s : null;
    }, 60_000, 'the stream to arrive');
    expect(stream.width).toBeLessThan(stream.height);
    await page.screenshot({ path: screenshotPath('video-go-live-portrait-phone'), fullPage: true });
    await page.click('[data-testid="go-live-stop"]');
    await context.close();
  });

  it('refuses an offer that is not SDP', async () => {
    const { client } = await streamer(server);
    const created = await client.post('/api/streamer/live-sessions', { title: '坏的 offer', scheduledAt: new Date(Date.now() + 60_000).toISOString() });
    const response = await client.request('POST', `/api/streamer/live-sessions/${created.json().session.id}/whip`, 'hello', { 'content-type': 'application/sdp' });
    expect(response.status).toBe(400);
    expect(response.errorCode).toBe('WHIP_OFFER_INVALID');
  });
});
