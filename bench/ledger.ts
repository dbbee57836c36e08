// The ledger at volume: N orders' business events (a realistic mix: ~10 % refunded before settlement,
// ~2 % after, several brands, 1,000 streamers, 50 MCNs) are written straight into business_events,
// fed through the real ledger consumer (the event runner), settled by a real settlement run, refunded
// after settlement for 2 %, and then every balance is recomputed from the journal. In the same run the
// same number of journal rows (transfers and postings) is inserted in a tight loop without the
// ledger's logic, for ratio = transfers/s ÷ raw transfers/s.
//
//   npm run bench:ledger -- --orders 1000000 --db sqlite
//   npm run bench:ledger -- --orders 1000000 --db postgres
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pino from 'pino';
import { createEventRunner } from '../server/events/runner.ts';
import { createLedger } from '../server/ledger/index.ts';
import type { Clock } from '../server/platform/clock.ts';
import { migrateToLatest, type DatabaseHandle } from '../server/platform/db.ts';
import { journalId } from '../server/ledger/ids.ts';
import { newId } from '../server/platform/ids.ts';
import { createSandboxProvider } from '../server/commerce/payments/sandbox.ts';
import { openScratchDatabase } from './lib.ts';
import { Secrets } from '../server/platform/secrets.ts';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '100000' },
    db: { type: 'string', default: 'sqlite' },
    brands: { type: 'string', default: '20' },
    streamers: { type: 'string', default: '1000' },
    mcns: { type: 'string', default: '50' },
    batch: { type: 'string', default: '5000' },
  },
});
const N = Number(values.orders);
const dialect = values.db as 'sqlite' | 'postgres';
if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error('--db is sqlite or postgres');
const BRANDS = Number(values.brands);
const STREAMERS = Number(values.streamers);
const MCNS = Number(values.mcns);
const BATCH = Number(values.batch);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const log = (...args: unknown[]) => console.error('[bench:ledger]', ...args);

// A deterministic mix.
let seed = 0x2026_1206;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;

const now = Date.now();
const clock: Clock = { now: () => new Date() };
const iso = (ms: number) => new Date(ms).toISOString();


type Row = { id: string; type: string; subject_id: string; payload: string; occurred_at: string };

async function insertEvents(database: DatabaseHandle, rows: Row[]) {
  if (database.sqlite) {
    const st = database.sqlite.prepare('insert into business_events (id, type, subject_id, payload, occurred_at) values (?, ?, ?, ?, ?)');
    database.sqlite.transaction(() => {
      for (const r of rows) st.run(r.id, r.type, r.subject_id, r.payload, r.occurred_at);
    })();
    return;
  }
  for (let i = 0; i < rows.length; i += 20_000) {
    const c = rows.slice(i, i + 20_000);
    await sql`insert into business_events (id, type, subject_id, payload, occurred_at)
      select * from unnest(${c.map((r) => r.id)}::text[], ${c.map((r) => r.type)}::text[], ${c.map((r) => r.subject_id)}::text[], ${c.map((r) => r.payload)}::text[], ${c.map((r) => r.occurred_at)}::text[])`.execute(database.db);
  }
}

async function main() {
  const { database, cleanup } = await openScratchDatabase(dialect, 'ledger', PG_URL);
  const { db } = database;
  try {
    await migrateToLatest(db, dialect);
    const logger = pino({ level: 'warn' });
    const at = iso(now - 40 * 86_400_000);

    // --- the world: brands with products, streamers with sessions, MCNs with contracts ---
    const brands = Array.from({ length: BRANDS }, (_, i) => ({ id: newId(), name: `品牌${i}`, products: Array.from({ length: 8 }, () => newId()) }));
    const mcns = Array.from({ length: MCNS }, (_, i) => ({ id: newId(), name: `MCN${i}` }));
    const streamers = Array.from({ length: STREAMERS }, (_, i) => ({ id: newId(), phone: `139${String(i).padStart(8, '0')}`, sessions: [] as { id: string; brand: (typeof brands)[number] }[] }));
    await db.insertInto('organisations').values([...brands.map((b) => ({ id: b.id, kind: 'brand' as const, name: b.name, description: '', licence_name: null, licence_no: null, status: 'approved' as const, review_reason: null, reviewed_at: null, created_at: at })), ...mcns.map((m) => ({ id: m.id, kind: 'mcn' as const, name: m.name, description: '', licence_name: null, licence_no: null, status: 'approved' as const, review_reason: null, reviewed_at: null, created_at: at }))]).execute();
    for (const b of brands) await db.insertInto('products').values(b.products.map((p, k) => ({ id: p, brand_org_id: b.id, title: `商品${k}`, description: '', category: '食品', images: '[]', return_policy: 'standard' as const, status: 'on_sale' as const, kind: 'goods' as const, created_at: at }))).execute();
    for (let i = 0; i < streamers.length; i += 500)
      await db.insertInto('users').values(streamers.slice(i, i + 500).map((s) => ({ id: s.id, phone: s.phone, email: null, password_hash: 'x', display_name: s.phone, platform_role: 'streamer' as const, locale: 'zh-CN' as const, failed_logins: 0, locked_until: null, created_at: at, updated_at: at }))).execute();
    const sessions: { id: string; streamer_id: string; brand_org_id: string; title: string; status: 'ended'; scheduled_at: string; created_at: string }[] = [];
    const listed: { session_id: string; product_id: string; link: number; live_prices: string; added_at: string; commission_bps: number }[] = [];
    for (const s of streamers) {
      for (let k = 0; k < 3; k++) {
        const brand = pick(brands);
        const id = newId();
        s.sessions.push({ id, brand });
        sessions.push({ id, streamer_id: s.id, brand_org_id: brand.id, title: '直播', status: 'ended', scheduled_at: at, created_at: at });
        brand.products.forEach((p, link) => listed.push({ session_id: id, product_id: p, link: link + 1, live_prices: '{}', added_at: at, commission_bps: 500 + 500 * Math.floor(rand() * 6) }));
      }
    }
    for (let i = 0; i < sessions.length; i += 500) await db.insertInto('live_sessions').values(sessions.slice(i, i + 500)).execute();
    for (let i = 0; i < listed.length; i += 1000) await db.insertInto('session_products').values(listed.slice(i, i + 1000)).execute();
    // 80 % of streamers are signed: streamer i to MCN i mod 50, splits 20–50 %.
    const contracts = streamers.filter((_, i) => i % 5 !== 0).map((s, i) => ({ id: newId(), mcn_org_id: mcns[i % MCNS]!.id, streamer_id: s.id, split_bps: 2000 + 1000 * (i % 4), exclusive: 1, starts_at: at, ends_at: null, status: 'accepted' as const, created_at: at, accepted_at: at }));
    for (let i = 0; i < contracts.length; i += 500) await db.insertInto('mcn_contracts').values(contracts.slice(i, i + 500)).execute();

    // --- the orders' events ---
    const paidAt = now - 30 * 86_400_000;
    const completedAt = now - 20 * 86_400_000;
    const before: Row[] = [];
    const later: Row[] = [];
    const after: Row[] = [];
    let refundedBefore = 0;
    let refundedAfter = 0;
    const t0 = performance.now();
    for (let n = 0; n < N; n++) {
      const orderId = journalId();
      const streamer = rand() < 0.9 ? pick(streamers) : null; // 10 % bought outside a live
      const session = streamer ? pick(streamer.sessions) : null;
      const brand = session ? session.brand : pick(brands);
      const lines = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, k) => ({ itemId: journalId(), productId: brand.products[k]!, skuId: brand.products[k]!, quantity: 1, paidFen: 990 + Math.floor(rand() * 50_000) }));
      const items = lines.reduce((s, l) => s + l.paidFen, 0);
      const shipping = items >= 9900 ? 0 : 800;
      const total = items + shipping;
      const payload = { orderId, buyerId: 'bench', brandOrgId: brand.id, sessionId: session?.id ?? null, flashSaleId: null, status: 'paid', totalFen: total, refundedFen: 0, paidAt: iso(paidAt + n) };
      before.push({ id: journalId(), type: 'order.paid', subject_id: orderId, payload: JSON.stringify({ ...payload, items: lines }), occurred_at: iso(paidAt + n) });
      const r = rand();
      let refunded = 0;
      if (r < 0.1) {
        refundedBefore++;
        // refunded before settlement: a line in full (a return), or part of the order (价保), or all of it
        const kind = rand();
        const line = lines[0]!;
        const amount = kind < 0.4 ? line.paidFen : kind < 0.8 ? 1 + Math.floor(rand() * (total - 1)) : total;
        const itemId = kind < 0.4 ? line.itemId : null;
        refunded = amount;
        later.push({ id: journalId(), type: 'order.refunded', subject_id: orderId, payload: JSON.stringify({ ...payload, refundedFen: amount, afterSaleId: journalId(), kind: 'return_refund', itemId, amountFen: amount }), occurred_at: iso(paidAt + 86_400_000 + n) });
        if (amount === total) {
          later.push({ id: journalId(), type: 'order.cancelled', subject_id: orderId, payload: JSON.stringify({ ...payload, status: 'cancelled', refundedFen: amount, cancelReason: 'refunded', wasPaid: true }), occurred_at: iso(paidAt + 86_400_000 + n) });
          continue;
        }
      }
      later.push({ id: journalId(), type: 'order.completed', subject_id: orderId, payload: JSON.stringify({ ...payload, status: 'completed', refundedFen: refunded }), occurred_at: iso(completedAt + n) });
      if (r >= 0.1 && r < 0.12) {
        refundedAfter++;
        const amount = 1 + Math.floor(rand() * total);
        after.push({ id: journalId(), type: 'order.refunded', subject_id: orderId, payload: JSON.stringify({ ...payload, status: 'completed', refundedFen: amount, afterSaleId: journalId(), kind: 'return_refund', itemId: null, amountFen: amount }), occurred_at: iso(now - 1000) });
      }
    }
    // As in life: the orders are paid, and their refunds and completions come later.
    for (const row of later) before.push(row);
    later.length = 0;
    await insertEvents(database, before);
    // The rows are in the database now: the bench lets go of them (about 1 GB at 1,000,000 orders), so that its
    // own garbage does not lengthen the ledger's collections (a server holds no such array).
    const written = before.length;
    before.length = 0;
    // The bulk load is the bench's setup: its WAL (2.1 M rows in one transaction at 1,000,000 orders) goes into the
    // database file now, not in the first commit of the consumer it would otherwise stall for seconds.
    database.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
    log(`${N} orders: ${written} events written in ${((performance.now() - t0) / 1000).toFixed(1)} s (${refundedBefore} refunded before settlement, ${refundedAfter} after)`);

    // --- through the ledger ---
    const sandbox = createSandboxProvider({ db, clock, secrets: new Secrets('bench-secret-0123456789-0123456789-abcdef'), logger, appId: 'a', merchantId: 'm' });
    const ledger = createLedger({ db, dialect, sqlite: database.sqlite, clock, logger, config: { PLATFORM_FEE_BPS: 500, SETTLEMENT_DELAY_DAYS: 7, SETTLEMENT_BATCH_SIZE: BATCH }, provider: sandbox.provider });
    const runner = createEventRunner({ db, dialect, clock, logger, batchSize: BATCH });
    runner.register(ledger.consumer);
    const count = async (table: 'ledger_transfers' | 'ledger_postings') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    // The event loop's longest stall while consuming and while settling: what every other request of this
    // node waits at worst (on SQLite the journal writes are synchronous).
    const stall = { max: 0, last: performance.now(), reset() { this.max = 0; this.last = performance.now(); } };
    const ticker = setInterval(() => {
      const now = performance.now();
      stall.max = Math.max(stall.max, now - stall.last);
      stall.last = now;
    }, 5);
    let t = performance.now();
    await runner.drain();
    const turn = () => new Promise((resolve) => setTimeout(resolve, 50)); // a stalled loop's late tick is counted on its next turn
    await turn();
    const consumeStallMs = stall.max;
    stall.reset();
    const consumeS = (performance.now() - t) / 1000;
    const consumed = await count('ledger_transfers');
    const behind = (await runner.positions())[0]!;
    if (behind.behind !== 0 || behind.lastError) throw new Error(`the consumer did not finish: ${JSON.stringify(behind)}`);
    log(`consumed ${written} events → ${consumed} transfers in ${consumeS.toFixed(1)} s`);

    t = performance.now();
    const run = await ledger.settlement.runDue('operator');
    const settleS = (performance.now() - t) / 1000;
    await turn();
    const settleStallMs = stall.max;
    clearInterval(ticker);
    const pending = Number((await db.selectFrom('ledger_orders').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n);
    if (pending) throw new Error(`${pending} orders left unsettled`);
    log(`settled ${run.orders} orders (${run.transfers} transfers, ${run.totalFen} fen) in ${settleS.toFixed(1)} s`);

    await insertEvents(database, after);
    t = performance.now();
    await runner.drain();
    const clawS = (performance.now() - t) / 1000;
    const transfers = await count('ledger_transfers');
    const postings = await count('ledger_postings');
    log(`${after.length} refunds after settlement clawed back in ${clawS.toFixed(1)} s; ${transfers} transfers, ${postings} postings`);

    t = performance.now();
    const verify = await ledger.store.verify();
    const verifyS = (performance.now() - t) / 1000;
    log(`recomputed ${verify.accounts} balances from the journal in ${verifyS.toFixed(1)} s`);

    // --- the same rows, raw ---
    await sql`create table raw_transfers (id text primary key, key text not null unique, kind text not null, order_id text, event_id text, created_at text not null, memo text not null)`.execute(db);
    await sql`create table raw_postings (transfer_id text not null, account_id text not null, amount_fen bigint not null, primary key (transfer_id, account_id))`.execute(db);
    await sql`create index raw_postings_account on raw_postings (account_id)`.execute(db);
    const perTransfer = postings / transfers;
    const accounts = Array.from({ length: 2000 }, (_, i) => `acct:${i}`);
    t = performance.now();
    const stamp = iso(now);
    if (database.sqlite) {
      const s = database.sqlite;
      const tr = s.prepare('insert into raw_transfers (id, key, kind, order_id, event_id, created_at, memo) values (?, ?, ?, ?, ?, ?, ?)');
      const po = s.prepare('insert into raw_postings (transfer_id, account_id, amount_fen) values (?, ?, ?)');
      let made = 0;
      for (let b = 0; b < transfers; b += BATCH) {
        s.transaction(() => {
          for (let i = b; i < Math.min(transfers, b + BATCH); i++) {
            const id = journalId();
            tr.run(id, `k:${i}`, 'settlement', id, null, stamp, '订单结算 order settled');
            const k = Math.round((i + 1) * perTransfer) - Math.round(i * perTransfer);
            for (let j = 0; j < k; j++) po.run(id, accounts[(i * 7 + j) % accounts.length]!, j === 0 ? -(k - 1) : 1);
            made++;
          }
        })();
      }
    } else {
      for (let b = 0; b < transfers; b += BATCH) {
        const ids: string[] = [];
        const keys: string[] = [];
        const pT: string[] = [];
        const pA: string[] = [];
        const pX: number[] = [];
        for (let i = b; i < Math.min(transfers, b + BATCH); i++) {
          const id = journalId();
          ids.push(id);
          keys.push(`k:${i}`);
          const k = Math.round((i + 1) * perTransfer) - Math.round(i * perTransfer);
          for (let j = 0; j < k; j++) {
            pT.push(id);
            pA.push(accounts[(i * 7 + j) % accounts.length]!);
            pX.push(j === 0 ? -(k - 1) : 1);
          }
        }
        await db.transaction().execute(async (trx) => {
          await sql`insert into raw_transfers (id, key, kind, order_id, event_id, created_at, memo) select * from unnest(${ids}::text[], ${keys}::text[], ${ids.map(() => 'settlement')}::text[], ${ids}::text[], ${ids.map(() => null)}::text[], ${ids.map(() => stamp)}::text[], ${ids.map(() => '订单结算 order settled')}::text[])`.execute(trx);
          await sql`insert into raw_postings (transfer_id, account_id, amount_fen) select * from unnest(${pT}::text[], ${pA}::text[], ${pX}::bigint[])`.execute(trx);
        });
      }
    }
    const rawS = (performance.now() - t) / 1000;
    const rawPerS = transfers / rawS;
    const ledgerS = consumeS + settleS + clawS;
    const transfersPerS = transfers / ledgerS;
    console.log(
      JSON.stringify({
        bench: 'ledger',
        db: dialect,
        orders: N,
        events: written + after.length,
        transfers,
        postings,
        transfers_per_s: Math.round(transfersPerS),
        consume_s: Number(consumeS.toFixed(2)),
        settle_s: Number(settleS.toFixed(2)),
        consume_max_stall_ms: Math.round(consumeStallMs),
        settle_max_stall_ms: Math.round(settleStallMs),
        settled_orders: run.orders,
        clawback_s: Number(clawS.toFixed(2)),
        verify_s: Number(verifyS.toFixed(2)),
        journal_sum: verify.journalSum,
        balances_match: verify.mismatches.length === 0 && verify.unbalancedTransfers.length === 0 && verify.orphanPostings.length === 0 && verify.pendingMismatches.length === 0,
        raw_insert_per_s: Math.round(rawPerS),
        ratio: Number((transfersPerS / rawPerS).toFixed(3)),
      }),
    );
  } finally {
    await cleanup();
  }
}

await main();
