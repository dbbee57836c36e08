// Store redemption under load (docs/VOUCHERS.md), and the cross-border annual-limit race (docs/CROSSBORDER.md).
// A Zhibo process without the demo data (the bench writes the brand it needs: 德兴斋's demo login, which the
// cross-border race also uses, an approved brand, a live): 德兴斋 sells 1,000 set-meal vouchers in a live (500 buyers × 2,
// ordered and paid through the sandbox over HTTP); then 20 store staff sessions at once make 5,000
// redemption attempts: each code is tried 5 times, 4 times by staff of its store (at the same moment
// from different phones) and once by staff of the brand's other store, where it is not valid. The
// truth is read back from the database: every code redeemed exactly once, none at the wrong store.
// Then bench/lib/crossborder-race.ts: 1,000 verified buyers race orders that together pass their limit.
//
//   npm run bench:redeem -- --db sqlite
//   npm run bench:redeem -- --db postgres   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { withVoucherTables } from '../server/vouchers/store.ts';
import { createBuyers } from './flash-setup.ts';
import { apiClient, percentile, startZhiboOn } from './lib.ts';

const { values } = parseArgs({ options: { db: { type: 'string', default: 'sqlite' }, buyers: { type: 'string', default: '500' }, 'crossborder-buyers': { type: 'string', default: '1000' } } });
const dialect = values.db as 'sqlite' | 'postgres';
if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error('--db is sqlite or postgres');
const BUYERS = Number(values.buyers);
const PER_BUYER = 2;
const STAFF = 20;
const TRIES = 5; // per code: 4 at its store, 1 at the other store
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';


async function pool(count: number, width: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, count) }, async () => { while (next < count) await task(next++); }));
}

/** A client for a session cookie made in the database, with its own CSRF token. */
async function sessionClient(base: string, cookie: string) {
  const res = await fetch(`${base}/api/auth/session`, { headers: { cookie } });
  const csrfCookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  const cookies = `${cookie}; ${csrfCookie}`;
  return async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${base}${url}`, { method, headers: { cookie: cookies, 'x-csrf-token': csrf, ...(body !== undefined && { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as Record<string, any>) : null }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
}

const { zhibo, database, stop } = await startZhiboOn(dialect, 'redeem', PG_URL);
const { db } = database;
const vdb = withVoucherTables(db);
try {
  // 德兴斋 under its demo login, approved; two stores and a voucher usable at store A only, every day, all day (the bench runs at any hour).
  const brand = await apiClient(zhibo.base);
  const registered = await brand.call('POST', '/api/auth/register', { login: DEMO_ACCOUNTS.foodBrand.login, password: DEMO_PASSWORD, displayName: DEMO_ACCOUNTS.foodBrand.name });
  if (registered.status !== 201) throw new Error(`brand owner not registered: ${JSON.stringify(registered.json)}`);
  await brand.login(DEMO_ACCOUNTS.foodBrand.login, DEMO_PASSWORD);
  const orgId = (await brand.call('POST', '/api/orgs', { kind: 'brand', name: '德兴斋', licenceName: '上海德兴斋食品有限公司', licenceNo: '91310101MA1FPX1234' })).json.org.id as string;
  await db.updateTable('organisations').set({ status: 'approved', reviewed_at: new Date().toISOString() }).where('id', '=', orgId).execute();
  const storeA = (await brand.call('POST', `/api/orgs/${orgId}/stores`, { name: '压测 A 店', city: '上海', address: 'A 路 1 号' })).json.store.id as string;
  const storeB = (await brand.call('POST', `/api/orgs/${orgId}/stores`, { name: '压测 B 店', city: '上海', address: 'B 路 2 号' })).json.store.id as string;
  const created = await brand.call('POST', `/api/orgs/${orgId}/vouchers`, {
    title: '压测双人套餐', category: 'set_meal', priceFen: 9900, stock: BUYERS * PER_BUYER + 100,
    validFrom: new Date(Date.now() - 3600_000).toISOString(), validTo: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    storeIds: [storeA], days: [1, 2, 3, 4, 5, 6, 7], slots: [{ from: '00:00', to: '24:00' }],
  });
  if (created.status !== 201) throw new Error(`voucher not created: ${JSON.stringify(created.json)}`);
  const { productId, skuId } = created.json.voucher as { productId: string; skuId: string };
  // A 德兴斋 live on air, the voucher in its 小黄车 at a live price.
  const [host] = await createBuyers(db, 1);
  const live = { id: crypto.randomUUID() };
  const onAir = new Date().toISOString();
  await db.insertInto('live_sessions').values({ id: live.id, streamer_id: host!.id, brand_org_id: orgId, title: '德兴斋本帮菜团购专场（压测）', cover_url: null, status: 'live', scheduled_at: onAir, started_at: onAir, ended_at: null, created_at: onAir }).execute();
  await db.insertInto('session_products').values({ session_id: live.id, product_id: productId, link: 1, live_prices: JSON.stringify({ [skuId]: 8800 }), added_at: onAir, commission_bps: 1500 }).execute();

  // Sold: each buyer orders two in the live and pays on the sandbox cashier.
  const buyers = await createBuyers(db, BUYERS);
  const sellStarted = performance.now();
  let sold = 0;
  await pool(BUYERS, 20, async (i) => {
    const call = await sessionClient(zhibo.base, buyers[i]!.cookie);
    const order = await call('POST', '/api/orders', { items: [{ productId, skuId, quantity: PER_BUYER }], sessionId: live.id });
    if (order.status !== 201) throw new Error(`order refused: ${JSON.stringify(order.json)}`);
    const pay = await call('POST', `/api/orders/${order.json!.order.id}/pay`, {});
    const paid = await fetch(`${zhibo.base}${pay.json!.payUrl}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });
    if (paid.status !== 303) throw new Error(`sandbox payment failed: ${paid.status}`);
    sold += PER_BUYER;
  });
  const codeCount = async () => Number((await vdb.selectFrom('voucher_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('product_id', '=', productId).executeTakeFirstOrThrow()).n);
  for (const until = Date.now() + 120_000; (await codeCount()) < sold; ) {
    if (Date.now() > until) throw new Error(`only ${await codeCount()} of ${sold} codes issued`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const sellMs = performance.now() - sellStarted;
  const codes = (await vdb.selectFrom('voucher_codes').select('code').where('product_id', '=', productId).orderBy('id').execute()).map((r) => r.code);

  // 20 staff sessions: workers w with w % 5 === 4 work at store B (where the voucher is not valid), the rest at A.
  const staff = await createBuyers(db, STAFF);
  const now = new Date().toISOString();
  const storeOf = (w: number) => (w % TRIES === TRIES - 1 ? storeB : storeA);
  await db.insertInto('org_members').values(staff.map((s) => ({ org_id: orgId, user_id: s.id, role: 'store_staff' as const, created_at: now }))).execute();
  await vdb.insertInto('store_staff').values(staff.map((s, w) => ({ store_id: storeOf(w), user_id: s.id, brand_org_id: orgId, created_at: now }))).execute();
  const phones = await Promise.all(staff.map((s) => sessionClient(zhibo.base, s.cookie)));
  // Warm-up, not measured: unknown codes (refused, nothing changes).
  for (const [w, phone] of phones.entries()) await phone('POST', '/api/staff/redeem', { storeId: storeOf(w), code: '0000000000000000' });

  // Baseline, same phones, same concurrency, same count: the cheapest logged-in read (GET /api/auth/session),
  // so the redemption figures can be read against what this machine answers at that moment.
  const baseline: number[] = [];
  await Promise.all(phones.map(async (phone) => { for (let n = 0; n < (codes.length * TRIES) / STAFF; n++) { const t0 = performance.now(); await phone('GET', '/api/auth/session'); baseline.push(performance.now() - t0); } }));

  // Attempt k of code c is number c*5+k; worker w takes numbers w, w+20, w+40 …: at any moment the 20
  // phones hold the 5 tries of 4 codes, so a code's 4 tries at its store race each other.
  const attempts = codes.length * TRIES;
  const results: { code: string; status: number; error?: string; ms: number; store: string }[] = [];
  const started = performance.now();
  await Promise.all(
    phones.map(async (phone, w) => {
      for (let n = w; n < attempts; n += STAFF) {
        const code = codes[Math.floor(n / TRIES)]!;
        const t0 = performance.now();
        try {
          const r = await phone('POST', '/api/staff/redeem', { storeId: storeOf(w), code });
          results.push({ code, status: r.status, error: r.status === 200 ? undefined : (r.json?.error?.code as string), ms: performance.now() - t0, store: storeOf(w) });
        } catch {
          results.push({ code, status: 0, error: 'NETWORK', ms: performance.now() - t0, store: storeOf(w) });
        }
      }
    }),
  );
  const wallMs = performance.now() - started;

  // The truth, from the database.
  const rows = await vdb.selectFrom('voucher_codes').select(['status', 'redeemed_store_id']).where('product_id', '=', productId).execute();
  const events = await db.selectFrom('business_events').select(['subject_id']).where('type', '=', 'voucher.redeemed').execute();
  const perCode = new Map<string, number>();
  for (const e of events) perCode.set(e.subject_id, (perCode.get(e.subject_id) ?? 0) + 1);
  const okByCode = new Map<string, number>();
  for (const r of results) if (r.status === 200) okByCode.set(r.code, (okByCode.get(r.code) ?? 0) + 1);
  const answers: Record<string, number> = {};
  for (const r of results) answers[r.error ?? 'OK'] = (answers[r.error ?? 'OK'] ?? 0) + 1;
  console.error('sold', sold, 'in', Math.round(sellMs), 'ms; redemption wall', Math.round(wallMs), 'ms; answers', JSON.stringify(answers), 'p50', Math.round(percentile(results.map((r) => r.ms), 50)));

  // The cross-border race, when its helper is there (bench/lib/crossborder-race.ts).
  let cross: { over_limit: number; errors_5xx: number; orders: number; buyers: number; latenciesMs: number[] } | null = null;
  if (fs.existsSync(path.join(import.meta.dirname, 'lib/crossborder-race.ts'))) {
    const { crossBorderRace } = await import('./lib/crossborder-race.ts');
    cross = await crossBorderRace({ baseUrl: zhibo.base, db, buyers: Number(values['crossborder-buyers']) });
    console.error('crossborder', JSON.stringify({ buyers: cross.buyers, orders: cross.orders, over_limit: cross.over_limit, errors_5xx: cross.errors_5xx, p99_ms: Math.round(percentile(cross.latenciesMs, 99)) }));
  } else console.error('bench/lib/crossborder-race.ts is not there: crossborder_over_limit is null');

  console.log(
    JSON.stringify({
      bench: 'redeem',
      db: dialect,
      vouchers: codes.length,
      attempts: results.length,
      redeemed: rows.filter((r) => r.status === 'redeemed').length,
      redeemed_twice: [...okByCode.values()].filter((n) => n > 1).length + [...perCode.values()].filter((n) => n > 1).length,
      wrong_store_redeemed: rows.filter((r) => r.status === 'redeemed' && r.redeemed_store_id !== storeA).length + results.filter((r) => r.status === 200 && r.store !== storeA).length,
      crossborder_over_limit: cross ? cross.over_limit : null,
      errors_5xx: results.filter((r) => r.status >= 500 || r.status === 0).length + (cross?.errors_5xx ?? 0),
      p99_ms: Math.round(percentile(results.map((r) => r.ms), 99)),
      redeem_per_s: Math.round(results.length / (wallMs / 1000)),
      baseline_session_p99_ms: Math.round(percentile(baseline, 99)),
      crossborder_orders: cross?.orders ?? null,
      crossborder_p99_ms: cross ? Math.round(percentile(cross.latenciesMs, 99)) : null,
    }),
  );
} finally {
  await stop();
}
