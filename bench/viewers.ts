// How many concurrent HTTP-FLV viewers of one ~2 Mbps stream one Zhibo process serves while every
// viewer keeps up. The publisher loops a pre-encoded clip (-c copy, so encoding costs nothing);
// the load generator is a separate process on the same 2 cores. For a same-run reference, the
// same load runs against a bare Node.js HTTP fan-out of the same FLV bytes (bench/flv-relay-baseline.ts).
//
//   npm run bench:viewers [-- --steps 100,200,400,800,1200,1600,2000 --seconds 8]
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { locateFfmpeg } from '../server/live/media/ffmpeg.ts';
import { apiClient, freePort, percentile, ROOT, startZhibo } from './lib.ts';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '100,250,500,800,1200,1600,2000,2500' },
    seconds: { type: 'string', default: '8' },
    baseline: { type: 'boolean', default: true },
  },
});
const steps = args.steps.split(',').map(Number);
const seconds = Number(args.seconds);

function procStat(pid: number) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rssPages = Number(stat[21]);
  return { cpuS: ticks / 100, rssMb: Math.round((rssPages * 4096) / 1024 / 1024) };
}

async function runStep(url: string, serverPid: number, viewers: number) {
  const before = procStat(serverPid);
  const t0 = Date.now();
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/viewers-load.ts'), url, String(viewers), String(seconds)], { maxBuffer: 64 * 1024 * 1024 }).toString();
  const wall = (Date.now() - t0) / 1000;
  const after = procStat(serverPid);
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as { viewers: number; closed: number; rates_kbps: number[]; load_cpu_s: number };
  return { ...result, server_cpu_pct: Math.round(((after.cpuS - before.cpuS) / wall) * 100), rss_mb: after.rssMb };
}

/** Ramps viewers until some fall behind (< 90 % of the stream's rate) or get disconnected. */
async function ramp(url: string, serverPid: number, label: string) {
  const reference = await runStep(url, serverPid, 10);
  const streamKbps = percentile(reference.rates_kbps, 50);
  let best = { viewers: 0, server_cpu_pct: 0, rss_mb: 0, load_cpu_s: 0 };
  for (const n of steps) {
    const step = await runStep(url, serverPid, n);
    const behind = step.rates_kbps.filter((r) => r < streamKbps * 0.9).length;
    console.error(`${label}: ${n} viewers, ${behind} behind, ${step.closed} closed, p5 ${percentile(step.rates_kbps, 5)} kbps of ${streamKbps}, server CPU ${step.server_cpu_pct}%, RSS ${step.rss_mb} MB`);
    if (behind > 0 || step.closed > 0) break;
    best = { viewers: n, server_cpu_pct: step.server_cpu_pct, rss_mb: step.rss_mb, load_cpu_s: step.load_cpu_s };
  }
  return { streamKbps, ...best };
}

function publishLoop(ffmpegPath: string, clip: string, url: string): ChildProcess {
  return spawn(ffmpegPath, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', clip, '-c', 'copy', '-f', 'flv', url], { stdio: 'ignore' });
}

async function main() {
  const ffmpeg = locateFfmpeg(process.env.FFMPEG_PATH);
  if (!ffmpeg) throw new Error('ffmpeg is required');
  const clip = path.join(os.tmpdir(), 'zhibo-bench-2mbps.flv');
  if (!fs.existsSync(clip)) {
    execFileSync(ffmpeg.path, [
      '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440',
      '-t', '20', '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '1900k', '-maxrate', '2000k', '-bufsize', '2000k', '-g', '25',
      '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '96k', clip,
    ]);
  }
  const zhibo = await startZhibo({ HLS_ENABLED: 'false', RECORDING_ENABLED: 'false' });
  const api = await apiClient(zhibo.base);
  await api.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
  const [session] = (await api.call('GET', '/api/streamer/live-sessions')).json.sessions;
  const detail = (await api.call('GET', `/api/streamer/live-sessions/${session.id}`)).json;
  const publisher = publishLoop(ffmpeg.path, clip, detail.push.url);
  let baseline: Awaited<ReturnType<typeof ramp>> | null = null;
  let zhiboResult: Awaited<ReturnType<typeof ramp>>;
  try {
    await new Promise((r) => setTimeout(r, 3000));
    zhiboResult = await ramp(`${zhibo.base}/live/${session.id}.flv`, zhibo.child.pid!, 'zhibo');
  } finally {
    publisher.kill('SIGKILL');
    await zhibo.stop();
  }
  if (args.baseline) {
    const port = await freePort();
    const relay = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/flv-relay-baseline.ts'), String(port), clip, ffmpeg.path], { stdio: ['ignore', 'ignore', 'inherit'] });
    try {
      await new Promise((r) => setTimeout(r, 3000));
      baseline = await ramp(`http://127.0.0.1:${port}/live.flv`, relay.pid!, 'baseline');
    } finally {
      relay.kill('SIGKILL');
    }
  }
  console.log(
    JSON.stringify({
      bench: 'viewers',
      stream_kbps: zhiboResult.streamKbps,
      max_viewers: zhiboResult.viewers,
      server_cpu_pct_at_max: zhiboResult.server_cpu_pct,
      rss_mb_at_max: zhiboResult.rss_mb,
      load_cpu_s_at_max: zhiboResult.load_cpu_s,
      delivered_mbps_at_max: Math.round((zhiboResult.viewers * zhiboResult.streamKbps) / 1000),
      baseline_bare_node_fanout: baseline && { max_viewers: baseline.viewers, server_cpu_pct_at_max: baseline.server_cpu_pct, rss_mb_at_max: baseline.rss_mb },
      ratio_vs_baseline: baseline && baseline.viewers ? Number((zhiboResult.viewers / baseline.viewers).toFixed(2)) : null,
    }),
  );
}

await main();
