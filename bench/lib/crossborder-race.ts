// 直播+跨境电商 under load (docs/CROSSBORDER.md): 1,000 verified buyers each race several cross-border
// orders at once that together would pass their ¥26,000 annual limit. Imported by bench/redeem.ts.
//
// On a running Zhibo with the demo data: the demo brand 德兴斋 lists four cross-border products (Australian
// milk powder, ¥399), buyers are written straight into the database (bench/flash-setup.ts) and verify
// their real name and ID number over the API; then each buyer fires `ordersPerBuyer` orders of 12 tins
// (¥4,788 each, within the ¥5,000 per-transaction limit) at the same instant, 7 × ¥4,788 = ¥33,516 > ¥26,000.
// Afterwards the orders table is read: over_limit counts buyers whose paid + pending cross-border
// dutiable value (total − tax) in the year passes ¥26,000. It must be 0 on both databases.
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { ANNUAL_LIMIT_FEN } from '../../server/crossborder/rules.ts';
import type { Db } from '../../server/platform/db.ts';
import { makeIdNumber } from '../../server/streamers/idcard.ts';
import { createBuyers } from '../flash-setup.ts';
import { apiClient } from '../lib.ts';

export type CrossBorderRaceResult = { buyers: number; orders: number; over_limit: number; errors_5xx: number; latenciesMs: number[] };

const UNIT_FEN = 39_900;
const TINS = 12; // ¥4,788 per order
const PRODUCTS = 4;

export async function crossBorderRace(options: { baseUrl: string; db: Db; buyers?: number; ordersPerBuyer?: number; concurrency?: number }): Promise<CrossBorderRaceResult> {
  const { baseUrl, db } = options;
  const count = options.buyers ?? 1000;
  const perBuyer = options.ordersPerBuyer ?? 7;
  const concurrency = options.concurrency ?? 2;
  if (perBuyer * TINS * UNIT_FEN <= ANNUAL_LIMIT_FEN) throw new Error('the orders of a buyer must pass the annual limit together');

  // The brand lists the products and makes them cross-border.
  const brand = await apiClient(baseUrl);
  await brand.login(DEMO_ACCOUNTS.foodBrand.login, DEMO_PASSWORD);
  const me = await brand.call('GET', '/api/me/orgs');
  const orgId = (me.json?.memberships as { org: { id: string; kind: string } }[] | undefined)?.find((m) => m.org.kind === 'brand')?.org.id;
  if (!orgId) throw new Error(`the demo food brand has no brand organisation: ${JSON.stringify(me.json)}`);
  const skus: { productId: string; skuId: string }[] = [];
  for (let p = 0; p < PRODUCTS; p++) {
    const created = await brand.call('POST', `/api/orgs/${orgId}/products`, {
      title: `澳洲婴幼儿配方奶粉 900g 压测 ${p + 1}`,
      category: '跨境/母婴',
      returnPolicy: 'standard',
      skus: [{ spec: { 规格: '900g' }, priceFen: UNIT_FEN, stock: Math.ceil((count / PRODUCTS) * perBuyer * TINS) + 100 }],
    });
    if (created.status !== 201) throw new Error(`product not created: ${created.status} ${JSON.stringify(created.json)}`);
    const product = created.json.product as { id: string; skus: { id: string }[] };
    const cb = await brand.call('PUT', `/api/orgs/${orgId}/crossborder/products/${product.id}`, { originCountry: 'AU', mode: 'bonded', vatRateBp: 1300, consumptionTaxRateBp: 0, tariffRateBp: 1500, indivisible: false, hsCode: '1901101000' });
    if (cb.status !== 200) throw new Error(`product not made cross-border: ${cb.status} ${JSON.stringify(cb.json)}`);
    skus.push({ productId: product.id, skuId: product.skus[0]!.id });
  }

  // Buyers with a session and an address, each verifying a distinct identity.
  const buyers = await createBuyers(db, count);
  const clientOf = async (cookie: string) => {
    const c = await apiClient(baseUrl);
    const [name, value] = cookie.split('=');
    c.cookies.set(name!, value!);
    return c;
  };
  const clients = new Array<Awaited<ReturnType<typeof clientOf>>>(count);
  const base = Date.UTC(1960, 0, 1);
  await pool(count, concurrency, async (i) => {
    const c = await clientOf(buyers[i]!.cookie);
    // A fresh CSRF token bound to this session.
    const csrf = (await c.call('GET', '/api/auth/session')).json.csrfToken as string;
    const call = (method: string, url: string, body?: unknown) => callWith(baseUrl, c.cookies, csrf, method, url, body);
    const birth = new Date(base + (i % 15_000) * 86_400_000).toISOString().slice(0, 10);
    const verified = await call('PUT', '/api/crossborder/identity', { realName: `跨境买家${i}`, idNumber: makeIdNumber('310104', birth, String(100 + Math.floor(i / 15_000)).padStart(3, '0')) });
    if (verified.status !== 200) throw new Error(`identity not verified: ${verified.status} ${JSON.stringify(verified.json)}`);
    clients[i] = { ...c, call } as typeof c;
  });

  // The race: every buyer fires all its orders at the same instant.
  const latenciesMs: number[] = [];
  let orders = 0;
  let errors5xx = 0;
  await pool(count, concurrency, async (i) => {
    const sku = skus[i % PRODUCTS]!;
    await Promise.all(
      Array.from({ length: perBuyer }, async () => {
        const started = performance.now();
        const r = await clients[i]!.call('POST', '/api/orders', { items: [{ productId: sku.productId, skuId: sku.skuId, quantity: TINS }] });
        latenciesMs.push(performance.now() - started);
        if (r.status === 201) orders++;
        else if (r.status >= 500) errors5xx++;
      }),
    );
  });

  // The truth, from the orders table.
  let overLimit = 0;
  const ids = buyers.map((b) => b.id);
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('orders')
      .select(['buyer_id', (eb) => eb.fn.sum<number>(eb('total_fen', '-', eb.ref('tax_fen'))).as('fen')])
      .where('buyer_id', 'in', ids.slice(i, i + 500))
      .where('kind', '=', 'crossborder')
      .where('status', '!=', 'cancelled')
      .groupBy('buyer_id')
      .execute();
    overLimit += rows.filter((r) => Number(r.fen) > ANNUAL_LIMIT_FEN).length;
  }
  return { buyers: count, orders, over_limit: overLimit, errors_5xx: errors5xx, latenciesMs };
}

async function callWith(base: string, cookies: Map<string, string>, csrf: string, method: string, url: string, body?: unknown) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: {
      cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(method !== 'GET' && { 'x-csrf-token': csrf }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

async function pool(count: number, width: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}
