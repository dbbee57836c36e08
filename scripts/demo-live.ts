// Puts the demo on the air: both demo streamers go live in their next session with a portrait test picture
// (720×1280, as a phone or OBS's vertical canvas sends) pushed by ffmpeg over RTMP, until Ctrl-C. With a running
// `npm start` on its defaults:
//
//   npm run demo:live                       # or: npm run demo:live -- --base http://127.0.0.1:8080 --landscape
//
// It uses the same push URLs a streamer copies from the console, so it is also the quickest way to see the room,
// swiping between lives and the 中控台 with real video.
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { locateFfmpeg } from '../server/live/media/ffmpeg.ts';
import { apiClient } from '../bench/lib.ts';

const { values: args } = parseArgs({
  options: {
    // The server `npm start` runs with the same PORT (PORT=18181 npm run demo:live), else the default 8080.
    base: { type: 'string', default: process.env.ZHIBO_URL ?? `http://127.0.0.1:${process.env.PORT || 8080}` },
    landscape: { type: 'boolean', default: false },
  },
});

/** Logs in like the web app (session cookie + CSRF token) and returns a JSON client that throws on refusals. */
async function login(base: string, account: string) {
  const api = await apiClient(base);
  await api.login(account, DEMO_PASSWORD);
  return async (method: string, path: string) => {
    const { status, json } = await api.call(method, path);
    if (status >= 400) throw new Error(`${method} ${path}: ${status} ${json?.error?.message ?? ''}`);
    return json;
  };
}

const ffmpeg = locateFfmpeg(process.env.FFMPEG_PATH);
if (!ffmpeg) {
  console.error('ffmpeg was not found: install it (apt install ffmpeg) or run npm install (it brings @ffmpeg-installer/ffmpeg).');
  process.exit(1);
}
const size = args.landscape ? '1280x720' : '720x1280';
const encoders: ChildProcess[] = [];
for (const [who, account] of [
  ['小林说吃', DEMO_ACCOUNTS.streamerFood.login],
  ['阿May美妆', DEMO_ACCOUNTS.streamerBeauty.login],
] as const) {
  let call;
  try {
    call = await login(args.base, account);
  } catch (error) {
    console.error(`Cannot log in as ${who} at ${args.base} (is npm start running with the demo?): ${(error as Error).message}`);
    process.exit(1);
  }
  const { sessions } = (await call('GET', '/api/streamer/live-sessions')) as { sessions: { id: string; status: string; title: string }[] };
  const next = sessions.find((s) => s.status === 'live' || s.status === 'scheduled');
  if (!next) {
    console.error(`${who} has no scheduled session to go live in: schedule one in the streamer console.`);
    continue;
  }
  const { push } = (await call('GET', `/api/streamer/live-sessions/${next.id}`)) as { push: { url: string } };
  const encoder = spawn(ffmpeg.path, [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-re'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-g', '25', '-pix_fmt', 'yuv420p', '-b:v', '1500k'],
    ...['-c:a', 'aac', '-b:a', '64k', '-f', 'flv', push.url],
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  encoder.on('exit', (code) => console.log(`${who}: ffmpeg stopped (${code ?? 'signal'})`));
  encoders.push(encoder);
  console.log(`${who} is live (${size}): ${args.base}/watch/${next.id}`);
}
if (!encoders.length) process.exit(1);
console.log('Ctrl-C ends the lives.');
const stop = () => {
  for (const encoder of encoders) encoder.kill('SIGINT');
  setTimeout(() => process.exit(0), 500).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
