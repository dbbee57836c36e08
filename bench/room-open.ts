// Opening a live room on a phone: in headless Chromium with a phone viewport and the CPU slowed down 4× (Chrome
// DevTools' throttling), the time from a tap on a live in the home page to the room's first video frame, and from a
// swipe (the arrow key) to the next room's first frame on screen; the gzipped JavaScript the room loads; and the
// search figures of bench/search.ts. Two portrait lives (720×1280) are published by ffmpeg into a fresh Zhibo process.
//
//   npm run bench:room-open [-- --opens 8 --swipes 8 --cpu 4 --skip-search]
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { locateFfmpeg } from '../server/live/media/ffmpeg.ts';
import { apiClient, percentile, startZhibo } from './lib.ts';

const { values: args } = parseArgs({
  options: {
    opens: { type: 'string', default: '8' },
    swipes: { type: 'string', default: '8' },
    cpu: { type: 'string', default: '4' },
    'skip-search': { type: 'boolean', default: false },
  },
});
const PHONE = { width: 390, height: 844 };
const FPS = 25;

// Runs in every page before its own scripts: each <video> reports the wall-clock time of every frame it presents
// (requestVideoFrameCallback), so the bench can tell when a room's picture first shows. Plain JavaScript: tsx's
// helpers do not exist in the page.
const FRAME_WATCH = `(() => {
  const track = (v) => {
    if (v.__frames) return;
    v.__frames = [];
    const onFrame = () => { v.__frames.push(Date.now()); if (v.__frames.length > 50) v.__frames.shift(); v.requestVideoFrameCallback(onFrame); };
    v.requestVideoFrameCallback(onFrame);
  };
  const scan = () => { document.querySelectorAll('video').forEach(track); requestAnimationFrame(scan); };
  requestAnimationFrame(scan);
})()`;

// The first wall-clock time after `since` at which the video of `room` (inside its slide, [data-session-id]) covers the
// middle of the screen and presents a frame, with the page's path ending in `room`: during a swipe's slide the room
// being left still covers the middle, and its frames do not count. Polled on animation frames (slowed by the CPU
// throttling too). docs/ROOM.md names the attributes.
const VISIBLE_FRAME_AFTER = `({ since, room, timeoutMs }) => new Promise((resolve, reject) => {
  const deadline = Date.now() + timeoutMs;
  const check = () => {
    if (location.pathname.endsWith('/' + room)) {
      const cx = innerWidth / 2, cy = innerHeight / 2;
      for (const v of document.querySelectorAll('[data-session-id="' + room + '"]:not([data-testid="immersive-room"]) video')) {
        const r = v.getBoundingClientRect();
        const onScreen = r.left <= cx && r.right >= cx && r.top <= cy && r.bottom >= cy && getComputedStyle(v).visibility !== 'hidden';
        const frame = (v.__frames || []).find((t) => t > since);
        if (onScreen && frame && v.videoWidth > 0) return resolve({ at: Math.max(frame, since), width: v.videoWidth, height: v.videoHeight });
      }
    }
    if (Date.now() > deadline) return reject(new Error('no frame of room ' + room + ' on screen within ' + timeoutMs + ' ms (at ' + location.pathname + ')'));
    requestAnimationFrame(check);
  };
  check();
})`;

function publishPortrait(ffmpeg: string, url: string): ChildProcess {
  return spawn(ffmpeg, [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-re'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=720x1280:rate=${FPS}`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(FPS), '-pix_fmt', 'yuv420p', '-b:v', '1500k'],
    ...['-c:a', 'aac', '-b:a', '64k', '-f', 'flv', url],
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function phonePage(browser: Browser, cpuRate: number): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 3, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  await context.addInitScript(FRAME_WATCH);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuRate });
  return page;
}

const gzipKb = (bytes: Buffer[]) => Math.round((bytes.reduce((sum, b) => sum + zlib.gzipSync(b, { level: 9 }).length, 0) / 1024) * 10) / 10;

async function measureRoom() {
  const ffmpeg = locateFfmpeg(process.env.FFMPEG_PATH);
  if (!ffmpeg) throw new Error('ffmpeg is required');
  const cpuRate = Number(args.cpu);
  const zhibo = await startZhibo({ LIVE_RECONNECT_GRACE_SECONDS: '60' });
  const publishers: ChildProcess[] = [];
  let browser: Browser | undefined;
  try {
    // Two lives: each demo streamer goes live in their first session.
    const rooms: string[] = [];
    for (const account of [DEMO_ACCOUNTS.streamerFood, DEMO_ACCOUNTS.streamerBeauty]) {
      const api = await apiClient(zhibo.base);
      await api.login(account.login, DEMO_PASSWORD);
      const [session] = (await api.call('GET', '/api/streamer/live-sessions')).json.sessions;
      const detail = (await api.call('GET', `/api/streamer/live-sessions/${session.id}`)).json;
      publishers.push(publishPortrait(ffmpeg.path, detail.push.url));
      rooms.push(session.id);
    }
    const anonymous = await apiClient(zhibo.base);
    for (let i = 0; ; i++) {
      const live = (await anonymous.call('GET', '/api/live-sessions?status=live')).json.sessions as { id: string }[];
      if (rooms.every((id) => live.some((s) => s.id === id))) break;
      if (i > 150) throw new Error('the lives did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    // The room's order is the home page's; swiping down from the first live reaches the second.
    const order = ((await anonymous.call('GET', '/api/live-sessions?status=live')).json.sessions as { id: string }[]).map((s) => s.id).filter((id) => rooms.includes(id));
    await new Promise((r) => setTimeout(r, 2000)); // a full GOP in the server's cache

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    });

    // 1. From the home page to the first frame: a fresh phone each time (nothing cached), the tap is timed.
    const firstFrames: number[] = [];
    let roomJs: Buffer[] = [];
    let failures = 0;
    for (let i = 0; i < Number(args.opens); i++) {
      const page = await phonePage(browser, cpuRate);
      const scripts = new Map<string, Promise<Buffer>>();
      page.on('response', (response) => {
        if (response.request().resourceType() === 'script') scripts.set(response.url(), response.body().catch(() => Buffer.alloc(0)));
      });
      try {
        await page.goto(`${zhibo.base}/`);
        const card = page.locator(`a[href="/watch/${order[0]}"]`).first();
        await card.waitFor({ timeout: 30_000 });
        const since = Date.now();
        await card.click();
        const frame = (await page.evaluate(`(${VISIBLE_FRAME_AFTER})(${JSON.stringify({ since, room: order[0], timeoutMs: 30_000 })})`)) as { at: number };
        firstFrames.push(frame.at - since);
        if (i === 0) roomJs = await Promise.all(scripts.values());
      } catch (error) {
        failures++;
        console.error(`open ${i + 1}: ${(error as Error).message}`);
      }
      await page.context().close();
    }

    // 2. Swiping: in an open room, the arrow key moves to the neighbour; timed to its first frame on screen.
    const swipeFrames: number[] = [];
    const page = await phonePage(browser, cpuRate);
    await page.goto(`${zhibo.base}/watch/${order[0]}`);
    await page.evaluate(`(${VISIBLE_FRAME_AFTER})(${JSON.stringify({ since: Date.now(), room: order[0], timeoutMs: 30_000 })})`);
    let at = 0;
    for (let i = 0; i < Number(args.swipes); i++) {
      const next = at === 0 ? 1 : 0;
      await new Promise((r) => setTimeout(r, 1500)); // the neighbour loads meanwhile, as it would while someone watches
      const since = Date.now();
      await page.keyboard.press(next > at ? 'ArrowDown' : 'ArrowUp');
      try {
        const frame = (await page.evaluate(`(${VISIBLE_FRAME_AFTER})(${JSON.stringify({ since, room: order[next], timeoutMs: 15_000 })})`)) as { at: number };
        swipeFrames.push(frame.at - since);
        at = next;
      } catch (error) {
        failures++;
        console.error(`swipe ${i + 1}: ${(error as Error).message}`);
      }
    }
    await page.context().close();

    return { firstFrames, swipeFrames, roomJs, failures, cpuRate };
  } finally {
    await browser?.close();
    // The encoders finish their streams before the server goes (else ffmpeg reports a broken pipe).
    await Promise.all(publishers.map((p) => new Promise((resolve) => (p.exitCode !== null ? resolve(null) : (p.once('exit', resolve), p.kill('SIGINT'))))));
    await zhibo.stop();
  }
}

// The room first; search once the browser, the encoders and the server are gone (they would share its CPU).
const { firstFrames, swipeFrames, roomJs, failures, cpuRate } = await measureRoom();
const search = args['skip-search'] ? null : await (await import('./search.ts')).measureSearch();
const round = (n: number) => Math.round(n);
console.log(
  JSON.stringify({
    bench: 'room-open',
    first_frame_p50_ms: round(percentile(firstFrames, 50)),
    first_frame_p95_ms: round(percentile(firstFrames, 95)),
    swipe_frame_p50_ms: round(percentile(swipeFrames, 50)),
    swipe_frame_p95_ms: round(percentile(swipeFrames, 95)),
    room_js_gzip_kb: gzipKb(roomJs),
    room_js_files: roomJs.length,
    search_p99_ms_sqlite: search?.search_p99_ms_sqlite ?? null,
    search_p99_ms_postgres: search?.search_p99_ms_postgres ?? null,
    opens: firstFrames.length,
    swipes: swipeFrames.length,
    failures,
    cpu_slowdown: cpuRate,
    swipe_over_open: Number((percentile(swipeFrames, 50) / percentile(firstFrames, 50)).toFixed(2)),
  }),
);

