// The live room under load: N viewers in one room, chat at R msgs/s and likes at 5×R, against Zhibo
// and, in the same run, against a plain Socket.IO room broadcast (bench/socketio-baseline.ts).
// The load generator (bench/room-load.ts) is a separate process on the same two cores.
//
//   npm run bench:room -- --viewers 2000 --rate 100 --seconds 10
//   npm run bench:room -- --viewers 10000 --rate 1000 --nodes 2 --baseline false   (two processes, one room through Redis)
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { freePort, ROOT, startZhibo } from './lib.ts';

const { values } = parseArgs({
  options: {
    viewers: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    baseline: { type: 'string', default: 'true' },
    nodes: { type: 'string', default: '1' },
    'priority-rate': { type: 'string', default: '2' },
  },
});
const nodes = Number(values.nodes);
const viewers = Number(values.viewers);
const rate = Number(values.rate);
const seconds = Number(values.seconds);

function procStat(pid: number) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { cpuS: (Number(stat[11]) + Number(stat[12])) / 100, rssMb: Math.round((Number(stat[21]) * 4096) / 1024 / 1024) };
}

/** Runs the generator against one or more server processes; CPU and RSS are summed over them. */
function runLoad(target: 'zhibo' | 'socketio', urls: string[], room: string, cookies: string[], pids: number[], operatorCookie?: string) {
  const before = pids.map(procStat);
  const t0 = Date.now();
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/room-load.ts'), JSON.stringify({ target, url: urls[0], urls, room, viewers, rate, seconds, cookies, operatorCookie, priorityRate: Number(values['priority-rate']) })], { maxBuffer: 16 * 1024 * 1024 }).toString();
  const wall = (Date.now() - t0) / 1000;
  const after = pids.map(procStat);
  const result = JSON.parse(out.trim().split('\n').at(-1)!);
  const cpu = after.reduce((sum, a, i) => sum + a.cpuS - before[i]!.cpuS, 0);
  return { viewers, ...result, server_cpu_pct: Math.round((cpu / wall) * 100), rss_mb: after.reduce((sum, a) => sum + a.rssMb, 0) };
}

/**
 * Logged-in posters made straight in the database: each posts at most once a second, so R needs R of
 * them. The last one is a platform operator, whose messages are never thinned (see --priority-rate).
 */
function makePosters(dbFile: string, count: number): string[] {
  const db = new SQLite(dbFile);
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + 86_400_000).toISOString();
  const insertUser = db.prepare("insert into users (id, phone, email, password_hash, display_name, platform_role, locale, failed_logins, created_at, updated_at) values (?, null, ?, 'scrypt$bench', ?, ?, 'zh-CN', 0, ?, ?)");
  const insertSession = db.prepare('insert into sessions (id, user_id, created_at, expires_at, last_seen_at) values (?, ?, ?, ?, ?)');
  const cookies: string[] = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = crypto.randomUUID();
      const token = crypto.randomBytes(32).toString('base64url');
      insertUser.run(id, `bench${i}-${id.slice(0, 8)}@example.com`, i === count - 1 ? '运营' : `观众${i}`, i === count - 1 ? 'operator' : 'viewer', now, now);
      insertSession.run(crypto.createHash('sha256').update(token).digest('hex'), id, now, expires, now);
      cookies.push(`zhibo_session=${token}`);
    }
  })();
  db.close();
  return cookies;
}

// Several nodes: the same SQLite file and one Redis (a fresh key prefix), viewers spread over them.
const redisEnv: Record<string, string> = nodes > 1 ? { REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_PREFIX: `bench${process.pid}:` } : {};
// Every viewer comes from 127.0.0.1: the per-address room socket limits are off for the bench.
const benchEnv = { LOGIN_RATE_LIMIT_PER_MIN: '100000', WS_MAX_SOCKETS_PER_IP: '0', WS_MAX_SOCKETS_PER_IP_PER_ROOM: '0', ...redisEnv };
const zhibo = await startZhibo(benchEnv);
const others = [];
for (let n = 1; n < nodes; n++) others.push(await startZhibo({ ...benchEnv, DEMO_DATA: 'false' }, { dataDir: zhibo.dataDir }));
let zhiboResult;
try {
  const sessions = (await (await fetch(`${zhibo.base}/api/live-sessions?status=scheduled`)).json()) as { sessions: { id: string }[] };
  const room = sessions.sessions[0]!.id;
  const cookies = makePosters(path.join(zhibo.dataDir, 'zhibo.db'), Math.ceil(rate * 1.2) + 1);
  const operatorCookie = cookies.pop();
  const all = [zhibo, ...others];
  zhiboResult = { nodes, ...runLoad('zhibo', all.map((z) => z.base), room, cookies, all.map((z) => z.child.pid!), operatorCookie) };
} finally {
  for (const other of others) await other.stop();
  await zhibo.stop();
}

let baseline = null;
if (values.baseline === 'true') {
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/socketio-baseline.ts'), String(port)], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 2500));
    baseline = runLoad('socketio', [`http://127.0.0.1:${port}`], 'room', Array.from({ length: Math.ceil(rate * 1.2) }, () => ''), [server.pid!]);
  } finally {
    server.kill('SIGKILL');
  }
}

const pick = (r: Record<string, unknown>) => ({
  viewers: r.viewers, chat_in_per_s: r.chat_in_per_s, delivered_per_s: r.delivered_per_s, p50_ms: r.p50_ms, p99_ms: r.p99_ms, max_ms: r.max_ms,
  rss_mb: r.rss_mb, server_cpu_pct: r.server_cpu_pct, disconnected: r.disconnected, ...(r.thinned_per_viewer_per_s !== undefined && { thinned_per_viewer_per_s: r.thinned_per_viewer_per_s }), load_cpu_s: r.load_cpu_s, load_loop_delay_p99_ms: r.load_loop_delay_p99_ms,
  ...(r.priority_p99_ms !== undefined && { priority_p50_ms: r.priority_p50_ms, priority_p99_ms: r.priority_p99_ms }),
  ...(r.ingress_p99_ms !== undefined && { ingress_p50_ms: r.ingress_p50_ms, ingress_p99_ms: r.ingress_p99_ms, egress_p50_ms: r.egress_p50_ms, egress_p99_ms: r.egress_p99_ms }),
});
console.log(JSON.stringify({ bench: 'room', ...(nodes > 1 && { nodes }), ...pick(zhiboResult), baseline_socketio: baseline && pick(baseline), delivered_ratio: baseline ? Number((zhiboResult.delivered_per_s / Math.max(1, baseline.delivered_per_s)).toFixed(2)) : null }));
