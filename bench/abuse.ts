// Abuse, all at once, against a Zhibo process on embedded defaults: garbage RTMP connections (random
// bytes, then close), half-open RTMP handshakes, silent room sockets that never say hello, and a
// logged-in viewer flooding chat. Meanwhile a joined bystander viewer pings every 200 ms and times
// each pong, a live ffmpeg publisher keeps the room live, and the server's RSS is sampled every
// 100 ms. Afterwards a fresh ffmpeg publish must play over HTTP-FLV.
//
// Garbage and half-open connections come from many loopback source addresses (127.0.0.x, 127.0.1.x),
// as from many clients, so that the guard, not only the per-address limit, has to deal with them.
// The room sockets come from 127.0.0.1, like the bystander and the flooder, which join first.
//
// With --scaled, Zhibo runs on PostgreSQL (a fresh schema of TEST_DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/test) and Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379).
//
//   npm run bench:abuse [-- --garbage=1000 --half-open=30 --silent-ws=1000 --garbage-sources=50 --scaled]
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { parseArgs } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { locateFfmpeg } from '../server/live/media/ffmpeg.ts';
import { apiClient, percentile, startZhibo } from './lib.ts';

const { values: args } = parseArgs({
  options: {
    garbage: { type: 'string', default: '1000' },
    'garbage-bytes': { type: 'string', default: '6144' },
    'garbage-concurrency': { type: 'string', default: '50' },
    /** Loopback source addresses the garbage comes from (127.0.0.2 onwards). */
    'garbage-sources': { type: 'string', default: '50' },
    /** Make the garbage start with the RTMP version byte, so that it reaches the chunk parser. */
    'valid-c0': { type: 'string', default: 'false' },
    'half-open': { type: 'string', default: '30' },
    'silent-ws': { type: 'string', default: '1000' },
    /** How long to wait, once the storm is sent, for the server to close what it should. */
    wait: { type: 'string', default: '15' },
    /** Internal: run as the bystander of this room URL (a child process of the bench). */
    'bystander-of': { type: 'string' },
    /** Run Zhibo on PostgreSQL and Redis instead of the embedded defaults. */
    scaled: { type: 'boolean', default: false },
  },
});
const GARBAGE = Number(args.garbage);
const HALF_OPEN = Number(args['half-open']);
const SILENT_WS = Number(args['silent-ws']);
const WAIT_MS = Number(args.wait) * 1000;

const rssMb = (pid: number) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (args['bystander-of']) bystander(args['bystander-of']);
else await main();

/**
 * The bystander, in its own process so that the storm this one generates does not delay its pongs:
 * it joins the room, says so, pings every 200 ms, and when asked answers with the time to each pong.
 */
function bystander(url: string) {
  // After the parent's question the channel closes; the socket's own close may come later.
  const report = (message: unknown) => process.connected && process.send!(message);
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const pongs: number[] = [];
  const pending: number[] = [];
  let pinger: NodeJS.Timeout | null = null;
  ws.once('open', () => ws.send(JSON.stringify({ t: 'hello', v: 1 })));
  ws.on('message', (data) => {
    const text = String(data);
    if (text === '{"t":"pong"}' && pending.length) pongs.push(performance.now() - pending.shift()!);
    else if (text.startsWith('{"t":"snapshot"') && !pinger) {
      report('joined');
      pinger = setInterval(() => {
        pending.push(performance.now());
        ws.send('{"t":"ping"}');
      }, 200);
    }
  });
  ws.once('close', (code) => report({ closed: code }));
  process.once('message', () => {
    if (pinger) clearInterval(pinger);
    ws.terminate();
    report({ pongs });
    process.disconnect();
  });
}

async function main() {
  const ffmpeg = locateFfmpeg(process.env.FFMPEG_PATH);
  if (!ffmpeg) throw new Error('ffmpeg is required');
  const publisher = (url: string, seconds: number) =>
    spawn(ffmpeg.path, [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-re'],
      ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '25', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k'],
      ...['-t', String(seconds), '-f', 'flv', url],
    ], { stdio: ['ignore', 'ignore', 'inherit'] });

  const scaled = args.scaled ? await scaledEnv() : null;
  const zhibo = await startZhibo(scaled?.env ?? {});
  const pid = zhibo.child.pid!;
  const room = `${zhibo.base.replace('http', 'ws')}/ws/rooms/`;
  const sockets: WebSocket[] = [];
  let live: ChildProcess | null = null;
  let watcher: ChildProcess | null = null;
  try {
    const streamerApi = await apiClient(zhibo.base);
    await streamerApi.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
    const sessions = (await streamerApi.call('GET', '/api/streamer/live-sessions')).json.sessions as { id: string }[];
    const [stormed, later] = sessions;
    if (!stormed || !later) throw new Error('the demo streamer needs two sessions');
    const pushUrl = async (id: string) => (await streamerApi.call('GET', `/api/streamer/live-sessions/${id}`)).json.push.url as string;
    const waitLive = async (id: string) => {
      for (let i = 0; i < 100; i++) {
        if ((await streamerApi.call('GET', `/api/streamer/live-sessions/${id}`)).json.health?.publishing) return;
        await sleep(200);
      }
      throw new Error(`session ${id} did not go live`);
    };

    // The room is live while the storm hits.
    live = publisher(await pushUrl(stormed.id), 300);
    await waitLive(stormed.id);

    // The bystander and the flooder join before the storm.
    watcher = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, `--bystander-of=${room}${stormed.id}`], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      watcher!.once('message', (message) => (message === 'joined' ? resolve() : reject(new Error(`the bystander could not join: ${JSON.stringify(message)}`))));
      watcher!.once('exit', (code) => reject(new Error(`the bystander exited (${code})`)));
    });
    const viewerApi = await apiClient(zhibo.base);
    await viewerApi.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
    const flooder = new WebSocket(room + stormed.id, { headers: { cookie: [...viewerApi.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }, perMessageDeflate: false });
    sockets.push(flooder);
    flooder.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      flooder.once('open', () => flooder.send(JSON.stringify({ t: 'hello', v: 1 })));
      flooder.on('message', (data) => String(data).startsWith('{"t":"snapshot"') && resolve());
      flooder.once('close', (code) => reject(new Error(`the flooder was closed before joining (${code})`)));
    });
    await sleep(1000);

    const rssBefore = rssMb(pid);
    let peak = rssBefore;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, rssMb(pid));
      } catch {
        // the process is gone: the publish afterwards will say so
      }
    }, 100);
    const storm = performance.now();
    // Closes after this are the bench's own clean-up, not the server's doing.
    let over = false;

    // 1. Garbage: random bytes, then close; spread over source addresses, a few dozen at a time.
    const rtmp = (source: string, onConnect: (socket: net.Socket) => void) =>
      new Promise<void>((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port: zhibo.rtmpPort, localAddress: source });
        socket.on('error', () => undefined);
        socket.resume();
        socket.once('connect', () => onConnect(socket));
        socket.once('close', () => resolve());
      });
    let next = 0;
    const sources = Number(args['garbage-sources']);
    const garbage = Promise.all(
      Array.from({ length: Number(args['garbage-concurrency']) }, async () => {
        while (next < GARBAGE) {
          const n = next++;
          await rtmp(`127.0.0.${2 + (n % sources)}`, (socket) => {
            const junk = crypto.randomBytes(Number(args['garbage-bytes']));
            if (args['valid-c0'] === 'true') junk[0] = 3;
            socket.end(junk);
          });
        }
      }),
    );

    // 2. Half-open handshakes: C0 and half of C1, then nothing; each from its own address.
    let halfOpenClosed = 0;
    const halfOpen: net.Socket[] = [];
    const halfOpenDone = Promise.all(
      Array.from({ length: HALF_OPEN }, (_, i) =>
        Promise.race([
          rtmp(`127.0.1.${1 + (i % 250)}`, (socket) => {
            halfOpen.push(socket);
            socket.write(Buffer.concat([Buffer.from([3]), crypto.randomBytes(768)]));
          }).then(() => void (over || halfOpenClosed++)),
          sleep(WAIT_MS),
        ]),
      ),
    );

    // 3. Silent room sockets: connect and never say hello; count those the server closes, and when.
    const silentCloses: number[] = [];
    const silentDone = Promise.all(
      Array.from({ length: SILENT_WS }, () => {
        const started = performance.now();
        const ws = new WebSocket(room + stormed.id, { perMessageDeflate: false });
        sockets.push(ws);
        ws.on('error', () => undefined);
        const closed = new Promise<void>((resolve) =>
          ws.once('close', () => {
            if (!over) silentCloses.push((performance.now() - started) / 1000);
            resolve();
          }),
        );
        return Promise.race([closed, sleep(WAIT_MS)]);
      }),
    );

    // 4. The flooder: chat frames as fast as it can until the server cuts it off.
    const flooded = new Promise<number>((resolve) => {
      flooder.once('close', (code) => resolve(code));
      let n = 0;
      const burst = () => {
        if (flooder.readyState !== WebSocket.OPEN) return;
        for (let i = 0; i < 50; i++, n++) flooder.send(JSON.stringify({ t: 'chat', text: `刷屏${n}`, nonce: `f${n}` }));
        setImmediate(burst);
      };
      burst();
      setTimeout(() => resolve(-1), WAIT_MS);
    });

    const [, , , flooderCode] = await Promise.all([garbage, halfOpenDone, silentDone, flooded]);
    const stormSeconds = (performance.now() - storm) / 1000;
    over = true;
    const pongs = await new Promise<number[]>((resolve) => {
      watcher!.on('message', (message: { pongs?: number[] }) => message.pongs && resolve(message.pongs));
      watcher!.send('stop');
    });
    for (const ws of sockets) ws.terminate();
    for (const socket of halfOpen) socket.destroy();
    live.kill('SIGINT');
    await sleep(1000);
    clearInterval(sampler);
    const rssAfter = rssMb(pid);

    // A fresh publish after the storm must play.
    const after = publisher(await pushUrl(later.id), 30);
    let publishedAfter = false;
    try {
      await waitLive(later.id);
      publishedAfter = await playsOverFlv(zhibo.base, later.id);
    } catch (error) {
      console.error(String(error));
    } finally {
      after.kill('SIGKILL');
    }

    console.error(`storm took ${stormSeconds.toFixed(1)} s; ${pongs.length} bystander pongs, the slowest ${Math.round(Math.max(...pongs))} ms`);
    console.log(
      JSON.stringify({
        bench: 'abuse',
        mode: scaled ? 'postgres+redis' : 'embedded',
        rss_mb_before: rssBefore,
        rss_mb_peak: peak,
        rss_mb_after: rssAfter,
        rtmp_garbage: GARBAGE,
        rtmp_half_open_closed: halfOpenClosed,
        silent_ws: SILENT_WS,
        silent_ws_closed: silentCloses.length,
        silent_ws_closed_max_s: silentCloses.length ? Number(Math.max(...silentCloses).toFixed(1)) : null,
        flooder_cut_off: flooderCode === 4029,
        bystander_pong_p50_ms: Math.round(percentile(pongs, 50)),
        bystander_pong_p99_ms: Math.round(percentile(pongs, 99)),
        published_after: publishedAfter,
      }),
    );
  } finally {
    for (const ws of sockets) ws.terminate();
    live?.kill('SIGKILL');
    watcher?.kill('SIGKILL');
    await zhibo.stop();
    await scaled?.drop();
  }
}

/** A fresh PostgreSQL schema and Redis prefix for the scaled run, and how to drop the schema afterwards. */
async function scaledEnv() {
  const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `zb_abuse_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = new URL(pgUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    env: { DATABASE_URL: url.toString(), REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_PREFIX: `${schema}:` },
    drop: async () => {
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    },
  };
}

/** Reads the session's HTTP-FLV stream until it has `tags` video tags, or gives up after `ms`. */
async function playsOverFlv(base: string, id: string, tags = 10, ms = 20_000): Promise<boolean> {
  const controller = new AbortController();
  const stop = setTimeout(() => controller.abort(), ms);
  try {
    const response = await fetch(`${base}/live/${id}.flv`, { signal: controller.signal });
    if (response.status !== 200) return false;
    const reader = response.body!.getReader();
    let bytes = Buffer.alloc(0);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return false;
      bytes = Buffer.concat([bytes, Buffer.from(value)]);
      if (bytes.subarray(0, 3).toString('latin1') !== 'FLV') return false;
      // Tags after the 9-byte header and the first 4-byte previous-tag-size: 11-byte tag header, data, size.
      let at = 13;
      let video = 0;
      while (at + 11 <= bytes.length) {
        const size = bytes.readUIntBE(at + 1, 3);
        if (at + 15 + size > bytes.length) break;
        if (bytes[at] === 9) video++;
        at += 15 + size;
      }
      if (video >= tags) return true;
    }
  } catch {
    return false;
  } finally {
    clearTimeout(stop);
    controller.abort();
  }
}
