// Glass-to-glass latency: an ffmpeg publisher stamps each frame's capture time (wall clock, ms) into
// the picture as a 24-bit code; Zhibo's own watch page plays it in headless Chromium; the page reads
// the code back from each presented frame (requestVideoFrameCallback + canvas) and subtracts it
// from the clock. Publisher, server and browser share this machine's clock.
//
//   npm run bench:latency [-- --flv-loads 5 --hls-loads 3 --seconds 8]
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { locateFfmpeg } from '../server/live/media/ffmpeg.ts';
import { apiClient, percentile, startZhibo } from './lib.ts';

const { values: args } = parseArgs({
  options: {
    'flv-loads': { type: 'string', default: '5' },
    'hls-loads': { type: 'string', default: '3' },
    seconds: { type: 'string', default: '8' },
  },
});
const FPS = 25;
const BITS = 24;
const BIT_W = 26;
const BIT_H = 24;

function stampFilter(): string {
  // Frame time := wall clock (µs), then one white box per set bit of (ms mod 2^24), then normal pts again.
  const boxes = Array.from({ length: BITS }, (_, k) => `drawbox=x=${k * BIT_W}:y=0:w=${BIT_W}:h=${BIT_H}:color=white:t=fill:enable='mod(floor(t*1000/${2 ** k})\\,2)'`);
  return ['settb=1/1000000', 'setpts=RTCTIME', `drawbox=x=0:y=0:w=${BITS * BIT_W}:h=${BIT_H}:color=black:t=fill`, ...boxes, `setpts=N/${FPS}/TB`].join(',');
}

// Runs in the page. Plain JavaScript in a string: tsx's helpers (e.g. __name) do not exist there.
const MEASURE_IN_PAGE = `async ({ seconds, BITS, BIT_W, BIT_H }) => {
  const deadline = Date.now() + 20000;
  let video = null;
  while (!video && Date.now() < deadline) {
    video = document.querySelector('[data-testid="live-player"] video');
    if (!video) await new Promise((r) => setTimeout(r, 50));
  }
  if (!video) throw new Error('no player on the page');
  video.muted = true;
  video.play().catch(() => undefined);
  const canvas = document.createElement('canvas');
  canvas.width = BITS * BIT_W;
  canvas.height = BIT_H;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const samples = [];
  let firstFrameAt = 0;
  await new Promise((resolve, reject) => {
    const giveUp = setTimeout(() => reject(new Error('no frame within 20 s')), 20000);
    const onFrame = () => {
      const now = Date.now();
      if (!firstFrameAt) { firstFrameAt = now; clearTimeout(giveUp); }
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height, 0, 0, canvas.width, canvas.height);
      const row = ctx.getImageData(0, BIT_H / 2, canvas.width, 1).data;
      let code = 0;
      for (let k = 0; k < BITS; k++) if (row[(k * BIT_W + BIT_W / 2) * 4] > 128) code += 2 ** k;
      let latency = (now % 2 ** BITS) - code;
      if (latency < 0) latency += 2 ** BITS;
      // Skip the first 2 s (the player may still be catching up) and anything undecodable.
      if (now - firstFrameAt > 2000 && latency < 60000) samples.push(latency);
      if (now - firstFrameAt > seconds * 1000) return resolve();
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  });
  return { samples, firstFrameAt };
}`;

async function main() {
  const ffmpeg = locateFfmpeg(process.env.FFMPEG_PATH);
  if (!ffmpeg) throw new Error('ffmpeg is required');
  const zhibo = await startZhibo({ LIVE_RECONNECT_GRACE_SECONDS: '60' });
  const api = await apiClient(zhibo.base);
  await api.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
  const [session] = (await api.call('GET', '/api/streamer/live-sessions')).json.sessions;
  const detail = (await api.call('GET', `/api/streamer/live-sessions/${session.id}`)).json;

  const publisher = spawn(ffmpeg.path, [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-re'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=${FPS}`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100'],
    ...['-vf', stampFilter(), '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(FPS), '-pix_fmt', 'yuv420p', '-b:v', '1500k'],
    ...['-c:a', 'aac', '-b:a', '64k', '-f', 'flv', detail.push.url],
  ], { stdio: ['ignore', 'ignore', 'inherit'] });

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    // Let the live start and HLS fill a few segments.
    for (let i = 0; i < 100; i++) {
      const view = (await api.call('GET', `/api/live-sessions/${session.id}`)).json;
      if (view.session.status === 'live') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 4000));
    const seconds = Number(args.seconds);
    const results: Record<'flv' | 'hls', { samples: number[]; startups: number[]; failures: number }> = {
      flv: { samples: [], startups: [], failures: 0 },
      hls: { samples: [], startups: [], failures: 0 },
    };
    for (const [tech, loads] of [['flv', Number(args['flv-loads'])], ['hls', Number(args['hls-loads'])]] as const) {
      for (let i = 0; i < loads; i++) {
        const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
        const opened = Date.now();
        await page.goto(`${zhibo.base}/watch/${session.id}?tech=${tech}`);
        const measured = await page
          .evaluate(`(${MEASURE_IN_PAGE})(${JSON.stringify({ seconds, BITS, BIT_W, BIT_H })})`)
          .then((value) => value as { samples: number[]; firstFrameAt: number })
          .catch((error: Error) => ({ error: error.message }));
        if ('error' in measured) {
          results[tech].failures++;
          console.error(`${tech} load ${i + 1}: ${measured.error}`);
        } else {
          results[tech].samples.push(...measured.samples);
          results[tech].startups.push(measured.firstFrameAt - opened);
        }
        await page.close();
      }
    }
    const round = (n: number) => Math.round(n);
    console.log(
      JSON.stringify({
        bench: 'latency',
        flv_p50_ms: round(percentile(results.flv.samples, 50)),
        flv_p95_ms: round(percentile(results.flv.samples, 95)),
        hls_p50_ms: round(percentile(results.hls.samples, 50)),
        hls_p95_ms: round(percentile(results.hls.samples, 95)),
        flv_samples: results.flv.samples.length,
        hls_samples: results.hls.samples.length,
        flv_startup_p50_ms: round(percentile(results.flv.startups, 50)),
        hls_startup_p50_ms: round(percentile(results.hls.startups, 50)),
        failures: results.flv.failures + results.hls.failures,
        hls_over_flv: Number((percentile(results.hls.samples, 50) / percentile(results.flv.samples, 50)).toFixed(2)),
      }),
    );
  } finally {
    await browser.close();
    publisher.kill('SIGINT');
    await zhibo.stop();
  }
}

await main();
