// Studio bookings under a crowd (docs/BASES.md): C logged-in users ask for overlapping bookings of one
// studio's same evening at the same instant, over HTTP, while F others book free slots of other studios.
// Exactly one contended booking must win, every free one must be accepted, nothing double-booked.
//
//   npm run bench:booking -- --db sqlite   --contended 1000 --free 1000
//   npm run bench:booking -- --db postgres --contended 1000 --free 1000   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { percentile, startZhiboOn } from './lib.ts';

/** Each user keeps one connection open, as a browser that has just loaded the booking calendar does. */
type Answer = { status: number; headers: http.IncomingHttpHeaders; text: string };
function send(agent: http.Agent, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method: init.method ?? 'GET', headers: { ...init.headers, ...(init.body !== undefined && { 'content-length': String(Buffer.byteLength(init.body)) }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
const newAgent = () => new http.Agent({ keepAlive: true, maxSockets: 1 });

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    contended: { type: 'string', default: '1000' },
    free: { type: 'string', default: '1000' },
  },
});
const dialect = values.db as 'sqlite' | 'postgres';
if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error('--db is sqlite or postgres');
const C = Number(values.contended);
const F = Number(values.free);
const SLOTS_PER_STUDIO = 10; // 10:00–20:00 local, one hour each
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';


/** Local (Asia/Shanghai, UTC+8) time on the day after tomorrow → ISO UTC. */
const day = new Date(Date.now() + 8 * 3_600_000 + 2 * 86_400_000).toISOString().slice(0, 10);
const at = (minutes: number) => new Date(Date.parse(`${day}T00:00:00+08:00`) + minutes * 60_000).toISOString();

const { zhibo, database, stop } = await startZhiboOn(dialect, 'booking', PG_URL);
const { db } = database;
const clients: { cookie: string; csrf: string; agent: http.Agent }[] = [];
try {
  // The base, open 09:00–23:00 Beijing time; one contended studio and enough others for the free slots.
  const now = new Date().toISOString();
  const baseId = crypto.randomUUID();
  await db.insertInto('organisations').values({ id: baseId, kind: 'base', name: '压测基地', description: '', licence_name: null, licence_no: null, status: 'approved', review_reason: null, reviewed_at: now, created_at: now }).execute();
  await db.insertInto('base_profiles').values({ org_id: baseId, area_sqm: 1000, theme: '', address: '', opens_at: '09:00', closes_at: '23:00', photos: '[]', free_cancel_hours: 24, cancel_fee_bps: 5000, updated_at: now }).execute();
  const studioIds = Array.from({ length: 1 + Math.ceil(F / SLOTS_PER_STUDIO) }, () => crypto.randomUUID());
  await db.insertInto('studios').values(studioIds.map((id, i) => ({ id, base_org_id: baseId, name: `S${i}`, area_sqm: 30, equipment: '[]', scenes: '[]', hourly_rate_fen: 30000, created_at: now }))).execute();

  // Logged-in verified streamers made straight in the database, each with a CSRF token of their own.
  const users = Array.from({ length: C + F }, (_, i) => ({ id: crypto.randomUUID(), token: crypto.randomBytes(32).toString('base64url'), i }));
  const expires = new Date(Date.now() + 86_400_000).toISOString();
  for (let k = 0; k < users.length; k += 500) {
    const chunk = users.slice(k, k + 500);
    await db.insertInto('users').values(chunk.map((u) => ({ id: u.id, phone: null, email: `booking${u.i}-${u.id.slice(0, 8)}@example.com`, password_hash: 'scrypt$bench', display_name: `主播${u.i}`, platform_role: 'viewer' as const, locale: 'zh-CN' as const, failed_logins: 0, locked_until: null, created_at: now, updated_at: now }))).execute();
    await db.insertInto('sessions').values(chunk.map((u) => ({ id: crypto.createHash('sha256').update(u.token).digest('hex'), user_id: u.id, created_at: now, expires_at: expires, last_seen_at: now }))).execute();
    await db.insertInto('streamer_profiles').values(chunk.map((u) => ({ user_id: u.id, real_name: `主播${u.i}`, id_number_enc: 'x', id_number_masked: 'x', id_number_hash: crypto.randomUUID(), birth_date: '1995-01-01', status: 'approved' as const, submitted_at: now, reviewed_at: now }))).execute();
  }
  for (let k = 0; k < users.length; k += 100) {
    clients.push(
      ...(await Promise.all(
        users.slice(k, k + 100).map(async (u) => {
          const agent = newAgent();
          const res = await send(agent, `${zhibo.base}/api/auth/session`, { headers: { cookie: `zhibo_session=${u.token}` } });
          const csrfCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).join('; ');
          const csrf = (JSON.parse(res.text) as { csrfToken: string }).csrfToken;
          return { cookie: `zhibo_session=${u.token}; ${csrfCookie}`, csrf, agent };
        }),
      )),
    );
  }

  // Warm-up, not measured: each route's first calls (JIT, first queries) on another day of the free studios.
  const warmDay = new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000);
  for (let w = 0; w < 20; w++) {
    const c = clients[C + w] ?? clients[w]!;
    const start = new Date(warmDay.getTime() + (10 + (w % SLOTS_PER_STUDIO)) * 3_600_000).toISOString();
    await send(c.agent, `${zhibo.base}/api/bases/${baseId}/studios/${studioIds[1 + Math.floor(w / SLOTS_PER_STUDIO)] ?? studioIds[0]!}/bookings`, { method: 'POST', headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': 'application/json' }, body: JSON.stringify({ startsAt: start, endsAt: new Date(Date.parse(start) + 3_600_000).toISOString() }) });
  }

  // Two floors for the same burst, measured in this run: the cheapest logged-in route of this Zhibo (GET
  // /api/auth/session), and a bare node:http server in a process of its own that answers 201 at once.
  const burst = async (make: (i: number) => Promise<Answer>) => {
    const ms = await Promise.all(clients.map(async (_, i) => { const t = performance.now(); await make(i); return performance.now() - t; }));
    return Math.round(percentile(ms, 99));
  };
  const bare = spawn(process.execPath, ['-e', `const s = require('node:http').createServer((q, r) => { q.resume(); q.on('end', () => { r.writeHead(201, { 'content-type': 'application/json' }); r.end('{"ok":true}'); }); }); s.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => console.log(s.address().port));`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const barePort = await new Promise<number>((resolve) => bare.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
  const bareAgents = clients.map(() => newAgent());
  for (let k = 0; k < bareAgents.length; k += 100) await Promise.all(bareAgents.slice(k, k + 100).map((agent) => send(agent, `http://127.0.0.1:${barePort}/`)));
  const bareP99 = await burst((i) => send(bareAgents[i]!, `http://127.0.0.1:${barePort}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i }) }));
  for (const agent of bareAgents) agent.destroy();
  bare.kill();
  const sessionP99 = await burst((i) => send(clients[i]!.agent, `${zhibo.base}/api/auth/session`, { headers: { cookie: clients[i]!.cookie } }));

  // Contended: the evening 19:00–22:00 of studio 0, starts spread over 19:00–19:25 (all overlap). Free: one hour each elsewhere.
  const requests = clients.map((c, i) => {
    const contended = i < C;
    const f = i - C;
    const studioId = contended ? studioIds[0]! : studioIds[1 + Math.floor(f / SLOTS_PER_STUDIO)]!;
    const start = contended ? 19 * 60 + (i % 6) * 5 : (10 + (f % SLOTS_PER_STUDIO)) * 60;
    const body = { startsAt: at(start), endsAt: at(contended ? start + 180 : start + 60) };
    return { contended, c, url: `${zhibo.base}/api/bases/${baseId}/studios/${studioId}/bookings`, body: JSON.stringify(body) };
  });
  const results = await Promise.all(
    requests.map(async (r) => {
      const t0 = performance.now();
      try {
        const res = await send(r.c.agent, r.url, { method: 'POST', headers: { cookie: r.c.cookie, 'x-csrf-token': r.c.csrf, 'content-type': 'application/json' }, body: r.body });
        const text = res.text;
        return { contended: r.contended, status: res.status, code: res.status >= 400 ? (JSON.parse(text) as { error?: { code?: string } }).error?.code : undefined, ms: performance.now() - t0 };
      } catch {
        return { contended: r.contended, status: 0, code: 'NETWORK', ms: performance.now() - t0 };
      }
    }),
  );

  // Double bookings: two live bookings of one studio that overlap, read back from the database.
  const rows = await db.selectFrom('studio_bookings').select(['studio_id', 'starts_at', 'ends_at']).where('base_org_id', '=', baseId).where('starts_at', '<', at(24 * 60)).where('status', '=', 'booked').orderBy('studio_id').orderBy('starts_at').execute();
  let doubleBooked = 0;
  for (let k = 1; k < rows.length; k++) if (rows[k]!.studio_id === rows[k - 1]!.studio_id && rows[k]!.starts_at < rows[k - 1]!.ends_at) doubleBooked++;
  const unexpected = results.filter((r) => r.status !== 201 && !(r.contended && r.code === 'BOOKING_CONFLICT'));
  console.error('p50', Math.round(percentile(results.map((r) => r.ms), 50)), 'min', Math.round(Math.min(...results.map((r) => r.ms))));
  if (unexpected.length) console.error('unexpected answers:', JSON.stringify(unexpected.slice(0, 5)));
  console.log(
    JSON.stringify({
      bench: 'booking',
      db: dialect,
      contended_requests: C,
      contended_accepted: results.filter((r) => r.contended && r.status === 201).length,
      double_booked: doubleBooked,
      free_requests: F,
      free_accepted: results.filter((r) => !r.contended && r.status === 201).length,
      errors_5xx: results.filter((r) => r.status >= 500 || r.status === 0).length,
      p99_ms: Math.round(percentile(results.map((r) => r.ms), 99)),
      session_burst_p99_ms: sessionP99,
      bare_http_burst_p99_ms: bareP99,
      p99_vs_bare: Number((percentile(results.map((r) => r.ms), 99) / bareP99).toFixed(2)),
    }),
  );
} finally {
  for (const c of clients) c.agent.destroy();
  await stop();
}
