import crypto from 'node:crypto';
import { expect } from 'vitest';
import { DEMO_ACCOUNTS } from '../../server/demo/seed.ts';
import type { DatabaseHandle } from '../../server/platform/db.ts';
import { newId } from '../../server/platform/ids.ts';
import { HttpClient } from './process.ts';

/** Buyers written straight into the database (as accounts does: the sessions row id is the token's SHA-256). */
export async function createBuyers(database: DatabaseHandle, base: string, count: number, withAddress = false): Promise<{ id: string; client: HttpClient }[]> {
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + 86_400_000).toISOString();
  const tag = crypto.randomBytes(3).toString('hex');
  const rows = Array.from({ length: count }, (_, i) => ({ id: newId(), token: crypto.randomBytes(32).toString('base64url'), i }));
  await database.db.transaction().execute(async (trx) => {
    await trx.insertInto('users').values(rows.map((r) => ({ id: r.id, phone: null, email: `buyer-${tag}-${r.i}@example.com`, password_hash: 'scrypt$test', display_name: `买家${r.i}`, platform_role: 'viewer' as const, locale: 'zh-CN' as const, failed_logins: 0, locked_until: null, created_at: now, updated_at: now }))).execute();
    await trx.insertInto('sessions').values(rows.map((r) => ({ id: crypto.createHash('sha256').update(r.token).digest('hex'), user_id: r.id, created_at: now, expires_at: expires, last_seen_at: now, user_agent: null, ip: null }))).execute();
    if (withAddress)
      await trx.insertInto('addresses').values(rows.map((r) => ({ id: newId(), user_id: r.id, name: `买家${r.i}`, phone: '13912345678', region: '上海市 黄浦区', detail: `南京东路 ${r.i} 号`, is_default: 1, created_at: now }))).execute();
  });
  const buyers = rows.map((r) => {
    const client = new HttpClient(base);
    client.jar.set('zhibo_session', r.token);
    return { id: r.id, client };
  });
  await Promise.all(buyers.map((b) => b.client.refreshCsrf()));
  return buyers;
}

/** A flash sale of 蝴蝶酥 in the demo food streamer's session (its 小黄车 lists every 德兴斋 product). */
export async function openFlashSale(streamer: HttpClient, input: { stock: number; perUserLimit: number }) {
  const own = await streamer.call('GET', '/api/streamer/live-sessions');
  const session = (own.json.sessions as { id: string; brand: { id: string } | null; status: string }[]).find((s) => s.brand && s.status !== 'ended')!;
  const listed = await streamer.call('GET', `/api/rooms/${session.id}/products`);
  const product = (listed.json.products as { id: string; title: string; skus: { id: string }[] }[]).find((p) => p.title.includes('蝴蝶酥'))!;
  const created = await streamer.call('POST', `/api/rooms/${session.id}/flash-sales`, {
    skuId: product.skus[0]!.id,
    priceFen: 990,
    stock: input.stock,
    perUserLimit: input.perUserLimit,
    startsInSeconds: 0,
    durationSeconds: 600,
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return { saleId: created.json.flashSale.id as string, sessionId: session.id, productId: product.id, skuId: product.skus[0]!.id };
}

export async function demoStreamer(base: string) {
  const streamer = new HttpClient(base);
  await streamer.login(DEMO_ACCOUNTS.streamerFood.login);
  return streamer;
}

/** What the database holds for a sale: the truth every crash and outage test checks against. */
export async function saleBooks(database: DatabaseHandle, saleId: string) {
  const { db } = database;
  const sale = await db.selectFrom('flash_sales').select(['remaining', 'stock']).where('id', '=', saleId).executeTakeFirstOrThrow();
  const orders = await db.selectFrom('orders').select('id').where('flash_sale_id', '=', saleId).execute();
  const units = await db.selectFrom('order_items').innerJoin('orders', 'orders.id', 'order_items.order_id').select((eb) => eb.fn.sum<number>('order_items.quantity').as('n')).where('orders.flash_sale_id', '=', saleId).executeTakeFirst();
  const purchases = await db.selectFrom('flash_purchases').select(['user_id', 'quantity']).where('sale_id', '=', saleId).execute();
  return {
    stock: sale.stock,
    remaining: sale.remaining,
    orderIds: new Set(orders.map((o) => o.id)),
    units: Number(units?.n ?? 0),
    purchased: purchases.reduce((s, p) => s + p.quantity, 0),
    maxPerUser: Math.max(0, ...purchases.map((p) => p.quantity)),
  };
}
