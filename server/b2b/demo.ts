import type { Services } from '../app.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { makeCreditCode } from './credit-code.ts';

/**
 * 直播+产业供应链 (docs/B2B.md): in 德兴斋's factory live, a 蝴蝶酥 carton sold wholesale at the tiers
 * 1–99 ¥12.00, 100–999 ¥10.00, ≥1000 ¥8.50 (MOQ 50, samples ¥5.00, 2 per buyer). The demo viewer's
 * business licence is approved (so they see the tiers), they asked for a quotation the brand answered,
 * and left a lead (with consent) in the live.
 */
export async function seedB2bDemo(services: Services, db: Db, clock: Clock, ctx: { brandOrgId: string; sessionId: string; viewerId: string; operatorId: string }) {
  const b2b = services.b2b.service;
  const now = clock.now();
  const product = await b2b.createProduct(ctx.brandOrgId, {
    title: '德兴斋蝴蝶酥 · 企业团购整箱（工厂直供）',
    description: '工厂直供，60g 小盒独立包装，可定制企业 logo 腰封。批发价仅对营业执照已认证的采购商开放。',
    category: '食品/糕点',
    images: [],
    skus: [
      { spec: { 规格: '60g 小盒' }, priceFen: 1800, stock: 50_000 },
      { spec: { 规格: '60g 小盒 · 定制腰封' }, priceFen: 2000, stock: 20_000 },
    ],
    tiers: [
      { minQty: 1, unitPriceFen: 1200 },
      { minQty: 100, unitPriceFen: 1000 },
      { minQty: 1000, unitPriceFen: 850 },
    ],
    moq: 50,
    samplePriceFen: 500,
    sampleLimit: 2,
  });
  const last = await db.selectFrom('session_products').select((eb) => eb.fn.max('link').as('link')).where('session_id', '=', ctx.sessionId).executeTakeFirst();
  await db.insertInto('session_products').values({ session_id: ctx.sessionId, product_id: product.id, link: Number(last?.link ?? 0) + 1, live_prices: '{}', added_at: now.toISOString(), commission_bps: 0 }).execute();

  const viewer = { id: ctx.viewerId, displayName: '观众小王', platformRole: 'viewer' as const, locale: 'zh-CN' as const, sessionId: '' };
  const licence = await b2b.submitLicence(ctx.viewerId, { companyName: '上海小王商贸有限公司', creditCode: makeCreditCode('91310106MA1FY6K2X') });
  await b2b.reviewLicence(licence.id, 'approve', '执照信息与国家企业信用信息公示系统一致', ctx.operatorId);
  const rfq = await b2b.createRfq(viewer, product.id, { skuId: product.skus[1]!.id, quantity: 3000, targetPriceFen: 900, note: '年会伴手礼，需印公司 logo' });
  await b2b.quote(ctx.brandOrgId, rfq.id, { unitPriceFen: 920, note: '含定制腰封与上海市内配送', validDays: 14 });
  await b2b.captureLead(viewer, { sessionId: ctx.sessionId, productId: product.id, name: '王先生', contact: '13900000001', company: '上海小王商贸有限公司', need: '中秋团购 500 盒，需开增值税专票', consent: true });
  return { productId: product.id };
}
