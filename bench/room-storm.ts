// A bystander viewer's ping → pong while one address storms the room listener: N sockets that open
// the room and never say hello, plus one logged-in chat flooder that sends 500 chat frames at once
// and reconnects whenever it is cut off. With --reconnect, each silent socket is reopened as soon as
// the server closes it (a connection flood). The storm runs in its own process; the bystander, a
// welcomed viewer in the same room, pings every 200 ms.
//
//   npx tsx bench/room-storm.ts [--silent 1000] [--seconds 10] [--reconnect] [--flooder false] [--env KEY=VALUE,...]
//   taskset -c 0 npx tsx bench/room-storm.ts --storm-cpus 1     (server and bystander on one core, the storm on the other)
//
// It prints one JSON line: the bystander's pong p50/p99/max (STORM_SERIES=1: every pong), how many
// silent sockets were still open at the end and how the others were closed, the server's peak RSS
// and CPU time over the storm, and the storm process's own CPU time.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { apiClient, percentile, ROOT, startZhibo } from './lib.ts';

const { values } = parseArgs({
  options: {
    silent: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    env: { type: 'string', default: '' },
    reconnect: { type: 'boolean', default: false },
    // --flooder false: the silent sockets alone.
    flooder: { type: 'string', default: 'true' },
    // Linux: run the storm on these CPUs (`taskset -c`), e.g. with the bench itself under `taskset -c 0`,
    // so that the attacker's own work does not take the server's core.
    'storm-cpus': { type: 'string', default: '' },
    // Internal: the storm process.
    role: { type: 'string', default: 'main' },
    url: { type: 'string', default: '' },
    cookie: { type: 'string', default: '' },
  },
});
const seconds = Number(values.seconds);

function procStat(pid: number) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { cpuMs: (Number(stat[11]) + Number(stat[12])) * 10, rssMb: Math.round((Number(stat[21]) * 4096) / 1024 / 1024) };
}

async function storm() {
  const url = values.url;
  const wanted = Number(values.silent);
  const closes = new Map<number, number>();
  let open = 0;
  let opened = 0;
  let stopping = false;
  const silent = () => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let wasOpen = false;
    ws.on('open', () => {
      wasOpen = true;
      open++;
      opened++;
    });
    ws.on('close', (code) => {
      if (wasOpen) open--;
      closes.set(code, (closes.get(code) ?? 0) + 1);
      // Reopen at once (after a tick, so a refused one does not spin the loop synchronously).
      if (values.reconnect && !stopping) setImmediate(silent);
    });
    ws.on('error', () => undefined);
  };
  for (let i = 0; i < wanted; i++) silent();
  let floods = 0;
  const flooder = () => {
    const ws = new WebSocket(url, { headers: { cookie: values.cookie }, perMessageDeflate: false });
    ws.on('open', () => {
      ws.send('{"t":"hello","v":1}');
      floods++;
      for (let i = 0; i < 500; i++) ws.send(JSON.stringify({ t: 'chat', text: `刷屏 ${i}`, nonce: `n${i}` }));
    });
    ws.on('close', () => !stopping && setTimeout(flooder, 10));
    ws.on('error', () => undefined);
  };
  if (values.flooder !== 'false') flooder();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  stopping = true;
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ silent_open_at_end: open, silent_opened: opened, closes: Object.fromEntries(closes), flood_connections: floods, storm_cpu_ms: Math.round((cpu.user + cpu.system) / 1000) })}\n`);
  process.exit(0);
}

async function main() {
  const env = Object.fromEntries(values.env.split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
  const zhibo = await startZhibo({ HLS_ENABLED: 'false', RECORDING_ENABLED: 'false', ...env });
  try {
    const sessions = (await (await fetch(`${zhibo.base}/api/live-sessions?status=scheduled`)).json()) as { sessions: { id: string }[] };
    const room = sessions.sessions[0]!.id;
    const url = `${zhibo.base.replace('http', 'ws')}/ws/rooms/${room}`;
    // The sandbox payment provider makes its RSA key on first use (~0.3 s of CPU): not part of the storm.
    await fetch(`${zhibo.base}/api/payments/sandbox/public-key`);
    const viewer = await apiClient(zhibo.base);
    await viewer.login(DEMO_ACCOUNTS.viewer.login, DEMO_PASSWORD);
    const cookie = [...viewer.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

    // The bystander: welcomed before the storm starts, then one ping every 200 ms.
    const bystander = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      bystander.once('open', () => bystander.send('{"t":"hello","v":1}'));
      bystander.on('message', (data) => String(data).includes('"snapshot"') && resolve());
      bystander.once('error', reject);
    });
    let bystanderClosed: number | null = null;
    bystander.on('close', (code) => (bystanderClosed = code));
    const sentAt: number[] = [];
    const rtts: number[] = [];
    bystander.on('message', (data) => {
      if (String(data) === '{"t":"pong"}') rtts.push(Date.now() - sentAt.shift()!);
    });

    const node = values['storm-cpus'] ? ['taskset', '-c', values['storm-cpus'], process.execPath] : [process.execPath];
    const stormer = spawn(node[0]!, [...node.slice(1), '--import', 'tsx', new URL(import.meta.url).pathname, '--role', 'storm', '--url', url, '--cookie', cookie, '--silent', values.silent, '--seconds', String(seconds), ...(values.reconnect ? ['--reconnect'] : []), '--flooder', values.flooder], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    stormer.stdout.on('data', (chunk) => (out += chunk));
    const pinger = setInterval(() => {
      sentAt.push(Date.now());
      bystander.send('{"t":"ping"}');
    }, 200);
    let rssPeak = 0;
    const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, procStat(zhibo.child.pid!).rssMb)), 500);
    const cpuBefore = procStat(zhibo.child.pid!).cpuMs;
    await new Promise((resolve) => stormer.once('exit', resolve));
    clearInterval(pinger);
    clearInterval(rssTimer);
    const serverCpuMs = procStat(zhibo.child.pid!).cpuMs - cpuBefore;
    const stormResult = JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
    console.log(
      JSON.stringify({
        bench: 'room-storm',
        ...(process.env.STORM_SERIES && { series: rtts }),
        silent: Number(values.silent),
        reconnect: values.reconnect,
        flooder: values.flooder !== 'false',
        seconds,
        env,
        pings: sentAt.length + rtts.length,
        pongs: rtts.length,
        pong_p50_ms: percentile(rtts, 50),
        pong_p99_ms: percentile(rtts, 99),
        pong_max_ms: Math.max(...rtts),
        bystander_closed: bystanderClosed,
        rss_peak_mb: rssPeak,
        server_cpu_ms: serverCpuMs,
        ...stormResult,
      }),
    );
    bystander.terminate();
  } finally {
    await zhibo.stop();
  }
}

if (values.role === 'storm') await storm();
else await main();
