// 竞拍 under load: N logged-in bidders bid on one auction of a real Zhibo process over the documented
// API (POST /api/auctions/:id/bids), a few early and most of them in the last 10 s before the planned
// close, proxy maximums mixed in; the anti-sniping rule moves the close while they do. Afterwards:
//   - every request was answered once (201 accepted, 409/403 refused, never a 5xx or a lost socket),
//     every accepted bid is stored exactly once, no refused one is, and a replay of a sample of the
//     requests with the same client keys answers the same bids without storing new ones;
//   - an independent model (written here, not server/auctions/rules.ts) replays the stored bids in the
//     order the server decided them and must agree with every price the server gave, the final price,
//     the leader, and the winner's order at the hammer price.
//
//   npm run bench:auction                        (SQLite, the embedded default)
//   npm run bench:auction -- --db postgres       (PostgreSQL)
//   npm run bench:auction -- --bidders 2000 --early 0.2 --proxy 0.3
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { openDatabase } from '../server/platform/db.ts';
import { createBuyers } from './flash-setup.ts';
import { apiClient, freePort, percentile, ROOT } from './lib.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    bidders: { type: 'string', default: '2000' },
    /** Share of bidders who also bid before the last 10 s. */
    early: { type: 'string', default: '0.2' },
    /** Share of bids that are proxy maximums. */
    proxy: { type: 'string', default: '0.3' },
    /** Seconds from the start to the planned close. */
    duration: { type: 'string', default: '30' },
  },
});
const DB = values.db as 'sqlite' | 'postgres';
if (DB !== 'sqlite' && DB !== 'postgres') throw new Error('--db is sqlite or postgres');
const N = Number(values.bidders);
const EARLY = Number(values.early);
const PROXY = Number(values.proxy);
const DURATION = Number(values.duration);
const LAST = 10;
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const cleanups: (() => Promise<void>)[] = [];

let seed = 20261207;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;

// --- the independent model ---
type Band = { belowFen: number | null; stepFen: number };
function step(table: Band[], price: number) {
  return table.find((b) => b.belowFen === null || price < b.belowFen)!.stepFen;
}
type StoredBid = { seq: number; userId: string; kind: 'bid' | 'proxy'; amountFen: number; priceAfterFen: number; leaderAfter: string; clientKey: string };
/**
 * Replays the bids as order statistics: after each bid the leader is the highest maximum (the earlier
 * on a tie) and the price is the runner-up's maximum plus its step, capped at the leader's maximum;
 * except that a first bid, and a plain bid that takes the lead, set the price to their amount (a
 * proxy first bid: the starting price), and a leader raising its own maximum moves nothing.
 */
function replay(bids: StoredBid[], startFen: number, table: Band[]) {
  const maxes = new Map<string, { max: number; seq: number }>();
  let price: number | null = null;
  let leader: string | null = null;
  const problems: string[] = [];
  for (const b of bids) {
    const least = price === null ? startFen : price + step(table, price);
    const own = maxes.get(b.userId);
    if (b.amountFen < least || (own && b.userId === leader && b.amountFen <= own.max)) problems.push(`seq ${b.seq}: accepted below the minimum`);
    if (!own || b.amountFen > own.max) maxes.set(b.userId, { max: b.amountFen, seq: b.seq });
    const ranked = [...maxes].sort((x, y) => y[1].max - x[1].max || x[1].seq - y[1].seq);
    const [top, runner] = ranked;
    const wasLeader: string | null = leader;
    leader = top![0];
    if (price === null) price = b.kind === 'bid' ? b.amountFen : startFen;
    else if (wasLeader === b.userId) {
      // unchanged
    } else if (leader === b.userId && b.kind === 'bid') price = b.amountFen;
    else price = Math.min(top![1].max, runner![1].max + step(table, runner![1].max));
    if (price !== b.priceAfterFen || leader !== b.leaderAfter) problems.push(`seq ${b.seq}: model ${price}/${leader}, server ${b.priceAfterFen}/${b.leaderAfter}`);
  }
  return { price, leader, problems };
}

// --- HTTP: one keep-alive pool; a bidder sends its bids one after another ---
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
function request(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; json: any; headers: http.IncomingHttpHeaders }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: url.hostname, port: url.port, method, path: url.pathname, headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Starts server/main.ts with the demo (as bench/lib.ts's startZhibo does), but waits up to two minutes
 * for it on a busy machine and stops it if it never answers.
 */
async function startServer(env: Record<string, string>) {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-auction-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env: { ...process.env, PORT: String(port), RTMP_PORT: String(await freePort()), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  cleanups.unshift(stop);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('Zhibo did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, dataDir };
}

async function pgAdmin(query: string) {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(query);
  } finally {
    await admin.end();
  }
}

async function main() {
  let env: Record<string, string> = { LOGIN_RATE_LIMIT_PER_MIN: '100000', HLS_ENABLED: 'false', RECORDING_ENABLED: 'false' };
  // PostgreSQL: a database of its own (a fresh schema in a shared one can meet another run's migration table).
  const dbName = `zb_auction_${crypto.randomBytes(4).toString('hex')}`;
  const dbUrl = new URL(PG_URL);
  dbUrl.pathname = `/${dbName}`;
  if (DB === 'postgres') {
    await pgAdmin(`create database ${dbName}`);
    cleanups.push(() => pgAdmin(`drop database if exists ${dbName} with (force)`));
    env = { ...env, DATABASE_URL: dbUrl.toString() };
  }
  const zhibo = await startServer(env);
  const database = DB === 'postgres' ? openDatabase({ url: dbUrl.toString(), dataDir: zhibo.dataDir, poolSize: 4 }) : openDatabase({ url: `sqlite:${zhibo.dataDir}/zhibo.db`, dataDir: zhibo.dataDir });
  cleanups.unshift(() => database.close());

  // The lot: the demo brand's one-off product; the auction in its streamer's next live with a brand.
  const streamer = await apiClient(zhibo.base);
  await streamer.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
  const own = await streamer.call('GET', '/api/streamer/live-sessions');
  const session = (own.json.sessions as { id: string; status: string; brand: { id: string } | null }[]).find((s) => s.brand && s.status !== 'ended')!;
  const brand = await apiClient(zhibo.base);
  await brand.login(DEMO_ACCOUNTS.foodBrand.login, DEMO_PASSWORD);
  const product = await brand.call('POST', `/api/orgs/${session.brand!.id}/products`, { title: '百年老字号 手绘礼盒 孤品', category: '食品/糕点', returnPolicy: 'standard', skus: [{ spec: { 编号: 'No.1' }, priceFen: 88_800, stock: 1 }] });
  if (product.status !== 201) throw new Error(`product: ${JSON.stringify(product.json)}`);

  const bidders = await createBuyers(database.db, N);
  // Each bidder's CSRF token and cookie (not timed): a viewer in the room has them already.
  const sessions: { id: string; cookie: string; token: string }[] = [];
  for (let i = 0; i < bidders.length; i += 100) {
    sessions.push(
      ...(await Promise.all(
        bidders.slice(i, i + 100).map(async (b) => {
          for (let attempt = 1; ; attempt++) {
            const res = await request(zhibo.base, 'GET', '/api/auth/session', { cookie: b.cookie }).catch(() => null);
            const csrf = /(_csrf=[^;]*)/.exec(String(res?.headers['set-cookie'] ?? ''))?.[1];
            if (res?.status === 200 && csrf && res.json?.csrfToken) return { id: b.id, cookie: `${b.cookie}; ${csrf}`, token: res.json.csrfToken as string };
            if (attempt >= 5) throw new Error(`no CSRF token for a bidder: ${res?.status}`);
            await new Promise((r) => setTimeout(r, 200 * attempt));
          }
        }),
      )),
    );
  }

  const created = await streamer.call('POST', `/api/rooms/${session.id}/auctions`, { skuId: product.json.product.skus[0].id, startingPriceFen: 10_000, durationSeconds: DURATION, extendSeconds: LAST, maxExtensionSeconds: 30, paySeconds: 600 });
  if (created.status !== 201) throw new Error(`auction: ${JSON.stringify(created.json)}`);
  const auction = created.json.auction as { id: string; startsAt: string; plannedCloseAt: string; increments: Band[]; startingPriceFen: number };
  const t0 = Date.parse(auction.startsAt);
  const planned = Date.parse(auction.plannedCloseAt);

  // The plan: each bidder bids once in the last 10 s; EARLY of them also before; a third bid again when outbid.
  type Planned = { who: (typeof sessions)[number]; at: number; kind: 'bid' | 'proxy' };
  const plan: Planned[] = [];
  for (const who of sessions) {
    if (rand() < EARLY) plan.push({ who, at: t0 + rand() * (planned - t0 - LAST * 1000), kind: rand() < PROXY ? 'proxy' : 'bid' });
    plan.push({ who, at: planned - LAST * 1000 + rand() * LAST * 1000, kind: rand() < PROXY ? 'proxy' : 'bid' });
  }
  plan.sort((x, y) => x.at - y.at);

  let seenPrice = auction.startingPriceFen;
  const sent: { key: string; who: string; status: number; bidId?: string; code?: string; ms: number }[] = [];
  const latencies: number[] = [];
  const lastWindow: number[] = [];
  let netErrors = 0;
  async function send(p: Planned, again = false): Promise<void> {
    // What a person types: a step or a few over the price they last saw; proxy maximums go further.
    const stepFen = step(auction.increments, seenPrice);
    const amountFen = seenPrice + stepFen * (p.kind === 'proxy' ? 2 + Math.floor(rand() * 6) : 1 + Math.floor(rand() * 3));
    const key = `b-${crypto.randomBytes(6).toString('hex')}`;
    const body = JSON.stringify({ kind: p.kind, amountFen, clientKey: key });
    const started = performance.now();
    try {
      const res = await request(zhibo.base, 'POST', `/api/auctions/${auction.id}/bids`, { cookie: p.who.cookie, 'x-csrf-token': p.who.token }, body);
      const ms = performance.now() - started;
      latencies.push(ms);
      if (Date.now() >= planned - LAST * 1000) lastWindow.push(ms);
      sent.push({ key, who: p.who.id, status: res.status, bidId: res.json?.bid?.id, code: res.json?.error?.code, ms });
      if (res.status === 201) seenPrice = Math.max(seenPrice, res.json.bid.priceFen);
      else if (res.json?.error?.code === 'AUCTION_BID_TOO_LOW' || res.json?.error?.code === 'AUCTION_PROXY_TOO_LOW') {
        seenPrice = Math.max(seenPrice, Number(res.json.error.message.match(/¥([\d.]+)/)?.[1] ?? 0) * 100 - step(auction.increments, seenPrice));
        if (!again && rand() < 0.5) return send(p, true);
      }
      if (res.status === 201 && !res.json.bid.leading && !again && rand() < 0.3) return send(p, true);
    } catch {
      netErrors++;
      sent.push({ key, who: p.who.id, status: 0, ms: performance.now() - started });
    }
  }
  const firstAt = Date.now();
  await Promise.all(
    plan.map(async (p) => {
      const wait = p.at - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await send(p);
    }),
  );
  const lastAt = Date.now();

  // The close (moved by late bids), then the sweep's order.
  let final: any;
  for (;;) {
    final = (await request(zhibo.base, 'GET', `/api/auctions/${auction.id}`, {})).json.auction;
    if (final.status !== 'open' && final.status !== 'closing') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  // Replays: a sample of the requests again with the same keys answers the same bid, or refuses again.
  const stored = (await brand.call('GET', `/api/auctions/${auction.id}/bids`)).json.bids as StoredBid[];
  const sample = sent.filter((_, i) => i % 10 === 0);
  let replayMismatch = 0;
  for (const s of sample) {
    const original = stored.find((b) => b.clientKey === s.key);
    const who = sessions.find((x) => x.id === s.who)!;
    const res = await request(zhibo.base, 'POST', `/api/auctions/${auction.id}/bids`, { cookie: who.cookie, 'x-csrf-token': who.token }, JSON.stringify({ kind: original?.kind ?? 'bid', amountFen: original?.amountFen ?? 1, clientKey: s.key }));
    if (original ? res.status !== 200 || res.json.bid.id !== s.bidId : res.status === 200 || res.status === 201) replayMismatch++;
  }
  const after = (await brand.call('GET', `/api/auctions/${auction.id}/bids`)).json.bids as StoredBid[];

  const acceptedKeys = new Set(sent.filter((s) => s.status === 201).map((s) => s.key));
  const storedKeys = stored.map((b) => b.clientKey);
  const lostOrDouble =
    [...acceptedKeys].filter((k) => !storedKeys.includes(k)).length + // accepted, not stored
    storedKeys.filter((k) => !acceptedKeys.has(k)).length + // stored, not accepted
    (storedKeys.length - new Set(storedKeys).size) + // stored twice
    sent.filter((s) => s.status === 0 || s.status >= 500).length + // no answer
    replayMismatch +
    (after.length - stored.length); // the replays stored something new

  const model = replay(stored, auction.startingPriceFen, auction.increments);
  const orderRow = final.winner ? await database.db.selectFrom('orders').select(['buyer_id', 'total_fen', 'status']).where('id', '=', (await database.db.selectFrom('auctions').select('order_id').where('id', '=', auction.id).executeTakeFirstOrThrow()).order_id!).executeTakeFirst() : null;
  const finalPriceCorrect = model.problems.length === 0 && final.priceFen === model.price && final.leader?.id === model.leader && final.winner?.id === model.leader && final.winner?.priceFen === model.price && orderRow?.buyer_id === model.leader && orderRow?.total_fen === model.price;
  if (model.problems.length) console.error(model.problems.slice(0, 10).join('\n'));

  const codes: Record<string, number> = {};
  for (const s of sent) codes[s.code ?? String(s.status)] = (codes[s.code ?? String(s.status)] ?? 0) + 1;
  console.log(
    JSON.stringify({
      bench: 'auction',
      db: DB,
      bidders: N,
      bids: sent.length,
      accepted: acceptedKeys.size,
      outcomes: codes,
      bids_per_s: Math.round(sent.length / ((lastAt - firstAt) / 1000)),
      last_10s_bids: lastWindow.length,
      last_10s_bids_per_s: Math.round(lastWindow.length / ((lastAt - (planned - LAST * 1000)) / 1000)),
      ack_p50_ms: Math.round(percentile(latencies, 50) * 10) / 10,
      ack_p99_ms: Math.round(percentile(latencies, 99) * 10) / 10,
      ack_max_ms: Math.round(Math.max(...latencies) * 10) / 10,
      close_extended_s: Math.round((Date.parse(final.closesAt) - planned) / 100) / 10,
      final_price_fen: final.priceFen,
      final_price_correct: finalPriceCorrect,
      lost_or_double: lostOrDouble,
      net_errors: netErrors,
    }),
  );
}

try {
  await main();
} finally {
  agent.destroy();
  for (const cleanup of cleanups) await cleanup().catch((err: unknown) => console.error('cleanup failed:', err));
}
