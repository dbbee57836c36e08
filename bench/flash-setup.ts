// Set-up for the flash-sale benchmark: a product and a room to sell it in (over HTTP, as the brand
// and the streamer would), and many logged-in buyers written straight into the database.
import crypto from 'node:crypto';
import { hashPassword } from '../server/accounts/passwords.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import type { AddressesTable, SessionsTable, UsersTable } from '../server/platform/db-types.ts';
import type { Db } from '../server/platform/db.ts';
import { newId } from '../server/platform/ids.ts';
import { apiClient } from './lib.ts';

export type Buyer = { id: string; cookie: string };

/**
 * B buyers with a session each and a default address, as accounts (service.ts) would write them: the
 * cookie carries a random token and the sessions row id is its SHA-256. Registering 5,000 users over
 * the API would spend minutes in scrypt, so they share one precomputed password hash.
 */
export async function createBuyers(db: Db, count: number): Promise<Buyer[]> {
  const tag = crypto.randomBytes(3).toString('hex');
  const passwordHash = await hashPassword('Bench@2026');
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + 86_400_000).toISOString();
  const buyers: Buyer[] = [];
  const users: UsersTable[] = [];
  const sessions: SessionsTable[] = [];
  const addresses: AddressesTable[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId();
    const token = crypto.randomBytes(32).toString('base64url');
    users.push({ id, phone: null, email: `flash-${tag}-${i}@bench.local`, password_hash: passwordHash, display_name: `秒杀买家${i}`, platform_role: 'viewer', locale: 'zh-CN', failed_logins: 0, locked_until: null, created_at: now, updated_at: now });
    // last_seen_at = now: resolveSession writes only when it is more than a minute old.
    sessions.push({ id: crypto.createHash('sha256').update(token).digest('hex'), user_id: id, created_at: now, expires_at: expires, last_seen_at: now, user_agent: 'bench', ip: '127.0.0.1' });
    addresses.push({ id: newId(), user_id: id, name: `买家${i}`, phone: `139${String(i).padStart(8, '0')}`, region: '上海市 徐汇区', detail: `漕溪北路 ${i} 号`, is_default: 1, created_at: now });
    buyers.push({ id, cookie: `zhibo_session=${token}` });
  }
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < count; i += 500) {
      await trx.insertInto('users').values(users.slice(i, i + 500)).execute();
      await trx.insertInto('sessions').values(sessions.slice(i, i + 500)).execute();
      await trx.insertInto('addresses').values(addresses.slice(i, i + 500)).execute();
    }
  });
  return buyers;
}

export type Room = {
  sessionId: string;
  skuId: string;
  createSale: (input: { stock: number; perUserLimit: number; startsInSeconds: number; durationSeconds: number; priceFen?: number }) => Promise<{ id: string; startsAt: string; stock: number }>;
};

/**
 * On a server with the demo data: the demo brand 德兴斋 adds a product with one SKU holding `skuStock`,
 * and its streamer 小林说吃 adds it to the 小黄车 of her next session (PUT /api/rooms/:id/products).
 */
export async function prepareRoom(base: string, skuStock: number): Promise<Room> {
  const streamer = await apiClient(base);
  await streamer.login(DEMO_ACCOUNTS.streamerFood.login, DEMO_PASSWORD);
  const own = await streamer.call('GET', '/api/streamer/live-sessions');
  const session = (own.json.sessions as { id: string; status: string; brand: { id: string } | null }[]).find((s) => s.brand && s.status !== 'ended');
  if (!session) throw new Error(`the demo streamer has no session with a brand: ${JSON.stringify(own.json)}`);

  const brand = await apiClient(base);
  await brand.login(DEMO_ACCOUNTS.foodBrand.login, DEMO_PASSWORD);
  const created = await brand.call('POST', `/api/orgs/${session.brand!.id}/products`, {
    title: '德兴斋蝴蝶酥 秒杀装',
    category: '食品/糕点',
    returnPolicy: 'standard',
    skus: [{ spec: { 规格: '秒杀 250g' }, priceFen: 6800, stock: skuStock }],
  });
  if (created.status !== 201) throw new Error(`product not created: ${created.status} ${JSON.stringify(created.json)}`);
  const product = created.json.product as { id: string; skus: { id: string }[] };

  const listed = await streamer.call('GET', `/api/rooms/${session.id}/products`);
  const items = (listed.json.products as { id: string; skus: { id: string; livePriceFen: number | null }[] }[]).map((p) => ({
    productId: p.id,
    livePrices: Object.fromEntries(p.skus.filter((s) => s.livePriceFen !== null).map((s) => [s.id, s.livePriceFen])),
  }));
  const put = await streamer.call('PUT', `/api/rooms/${session.id}/products`, { items: [...items, { productId: product.id }] });
  if (put.status !== 200) throw new Error(`room products not set: ${put.status} ${JSON.stringify(put.json)}`);

  return {
    sessionId: session.id,
    skuId: product.skus[0]!.id,
    async createSale(input) {
      const res = await streamer.call('POST', `/api/rooms/${session.id}/flash-sales`, {
        skuId: product.skus[0]!.id,
        priceFen: input.priceFen ?? 990,
        stock: input.stock,
        perUserLimit: input.perUserLimit,
        startsInSeconds: input.startsInSeconds,
        durationSeconds: input.durationSeconds,
      });
      if (res.status !== 201) throw new Error(`flash sale not created: ${res.status} ${JSON.stringify(res.json)}`);
      return res.json.flashSale as { id: string; startsAt: string; stock: number };
    },
  };
}
