import type { Services } from '../app.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';
import { makeIdNumber } from '../streamers/idcard.ts';

/** The demo viewer's verified identity for cross-border orders (a made-up person; the number passes GB 11643). */
export const DEMO_CROSSBORDER_BUYER = { realName: '王小满', idNumber: makeIdNumber('310104', '1995-06-18', '026') };

/**
 * 直播+跨境电商 (docs/CROSSBORDER.md): an Australian milk powder, 保税备货 (bonded warehouse), listed in
 * a demo live of the brand at a ¥399.00 tin; the demo viewer has verified a real name and ID number,
 * so the buy sheet quotes the 9.1 % tax and the order goes through.
 */
export async function seedCrossBorderDemo(services: Services, db: Db, clock: Clock, ctx: { brandOrgId: string; sessionId: string; viewerId: string }) {
  const iso = clock.now().toISOString();
  const productId = newId();
  await services.catalog.insertProduct(
    {
      id: productId,
      brand_org_id: ctx.brandOrgId,
      title: '澳洲 A2 婴幼儿配方奶粉 3 段 900g（跨境保税）',
      description: '原装进口，澳大利亚产。跨境电商零售进口商品，保税仓发货；下单须实名认证，按跨境综合税 9.1% 计税。',
      category: '跨境/母婴',
      images: '[]',
      return_policy: 'standard',
      status: 'on_sale',
      created_at: iso,
      kind: 'crossborder',
    },
    [
      { id: newId(), product_id: productId, spec: JSON.stringify({ 规格: '900g × 1 罐' }), price_fen: 39_900, stock: 500, created_at: iso },
      { id: newId(), product_id: productId, spec: JSON.stringify({ 规格: '900g × 3 罐' }), price_fen: 114_900, stock: 200, created_at: iso },
    ],
  );
  await db
    .insertInto('crossborder_products')
    .values({ product_id: productId, brand_org_id: ctx.brandOrgId, origin_country: 'AU', mode: 'bonded', vat_rate_bp: 1300, consumption_tax_rate_bp: 0, tariff_rate_bp: 1500, indivisible: 0, hs_code: '1901101000', updated_at: iso })
    .execute();
  const last = await db.selectFrom('session_products').select((eb) => eb.fn.max('link').as('link')).where('session_id', '=', ctx.sessionId).executeTakeFirst();
  await db
    .insertInto('session_products')
    .values({ session_id: ctx.sessionId, product_id: productId, link: Number(last?.link ?? 0) + 1, live_prices: '{}', added_at: iso, commission_bps: 1000 })
    .execute();
  await services.crossBorder.verify(ctx.viewerId, DEMO_CROSSBORDER_BUYER);
  return { productId };
}
