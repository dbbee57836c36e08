import type { AuthUser } from '../accounts/service.ts';
import { approvedOrgIds, brandsApproved } from '../orgs/approval.ts';
import type { Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { createPinStore } from '../replays/pins.ts';
import type { RoomContext, SessionInfo } from './service.ts';

export type RoomProduct = { id: string; title: string; priceFen: number; livePriceFen: number | null; image: string | null; link: number };

/** The 小黄车 summary: the session's list in link order (see docs/COMMERCE.md), on-sale products of approved brands only. */
export async function roomProducts(db: Db, info: SessionInfo): Promise<RoomProduct[]> {
  const rows = await db
    .selectFrom('session_products')
    .innerJoin('products', 'products.id', 'session_products.product_id')
    .innerJoin('skus', 'skus.product_id', 'products.id')
    .select(['products.id', 'products.title', 'products.images', 'session_products.link', 'session_products.live_prices'])
    .select((eb) => eb.fn.min<number>('skus.price_fen').as('price_fen'))
    .where('session_products.session_id', '=', info.id)
    .where('products.status', '=', 'on_sale')
    .where('products.brand_org_id', 'in', approvedOrgIds(db))
    .groupBy(['products.id', 'products.title', 'products.images', 'session_products.link', 'session_products.live_prices'])
    .orderBy('session_products.link')
    .execute();
  return rows.map((r) => {
    const live = Object.values(JSON.parse(r.live_prices) as Record<string, number>);
    return { id: r.id, title: r.title, priceFen: Number(r.price_fen), livePriceFen: live.length ? Math.min(...live) : null, image: (JSON.parse(r.images) as string[])[0] ?? null, link: r.link };
  });
}

/** The room's product list (小黄车, set by the shopping side: server/commerce/shop.ts) and the pinned 讲解中 product. */
export function createRoomProducts(ctx: RoomContext) {
  const { db, store, now, session, requireStaff, publish } = ctx;
  // Each pin is kept with its time: a replay's chapters and a product's explanation (server/replays).
  const pins = createPinStore(db);

  return {
    async pin(sessionId: string, actor: AuthUser, productId: string | null) {
      const { info } = await requireStaff(sessionId, actor, 'products');
      const list = await roomProducts(db, info);
      const product = productId ? list.find((p) => p.id === productId) : null;
      const brand = productId && !product ? await db.selectFrom('products').select('brand_org_id').where('id', '=', productId).executeTakeFirst() : undefined;
      if (brand && !(await brandsApproved(db, [brand.brand_org_id]))) throw new AppError('BRAND_NOT_APPROVED');
      if (productId && !product) throw new AppError('PRODUCT_NOT_IN_ROOM');
      const at = now();
      await store.saveSettings(sessionId, { pinned_product_id: productId }, at);
      await pins.record(sessionId, productId, actor.id, at);
      await store.log(sessionId, actor.id, productId ? 'product.pin' : 'product.unpin', {}, { productId }, at);
      await publish(sessionId, { type: 'pin', product: product ?? null, priority: true });
      return product ?? null;
    },

    /** The 小黄车 changed: every viewer gets the new list. */
    async productsChanged(sessionId: string, actor: AuthUser) {
      const info = await session(sessionId);
      const list = await roomProducts(db, info);
      await store.log(sessionId, actor.id, 'products.set', {}, { products: list.map((p) => p.id) }, now());
      await publish(sessionId, { type: 'products', products: list, priority: true });
      return list;
    },
  };
}
