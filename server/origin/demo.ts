import type { Services } from '../app.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';

/**
 * 直播+消费帮扶 (docs/ORIGIN.md): 澜沧拉祜族自治县 (云南) as a designated area, its 景迈山 tea
 * co-operative as 德兴斋's producer, and a 古树普洱 cake certified in two batches (the current one
 * with a 60 % producer share), listed in the brand's factory 溯源 live.
 */
export async function seedOriginDemo(services: Services, db: Db, clock: Clock, ctx: { brandOrgId: string; operatorId: string; sessionId: string }) {
  const origin = services.origin.service;
  const iso = clock.now().toISOString();
  await origin.addArea({ code: '530828', name: '澜沧拉祜族自治县', province: '云南省', designation: '国家乡村振兴重点帮扶县' }, ctx.operatorId);
  const producer = await origin.addProducer(ctx.brandOrgId, { name: '澜沧县惠民镇景迈山古茶专业合作社', areaCode: '530828', description: '景迈山古茶林（世界文化遗产）脚下 126 户拉祜族、布朗族茶农，手工采摘、日光萎凋。' });
  const productId = newId();
  await services.catalog.insertProduct(
    { id: productId, brand_org_id: ctx.brandOrgId, title: '景迈山古树普洱茶饼 357g（消费帮扶）', description: '澜沧县景迈山古树春茶，合作社直供；每饼附产地认证与批次溯源。', category: '食品/茶叶', images: '[]', return_policy: 'standard', status: 'on_sale', created_at: iso },
    [{ id: newId(), product_id: productId, spec: JSON.stringify({ 规格: '357g 饼' }), price_fen: 16_800, stock: 2000, created_at: iso }],
  );
  const cert = { productId, producerId: producer.id, certifier: '云南省绿色食品发展中心', shareBps: 6000 };
  await origin.certify(ctx.brandOrgId, { ...cert, certificateNo: 'YNLS-2025-0612', batchNo: 'JM-2025-AUT', producedOn: '2025-10-08', notes: '2025 年秋茶' });
  await origin.certify(ctx.brandOrgId, { ...cert, certificateNo: 'YNLS-2026-0417', batchNo: 'JM-2026-SPR', producedOn: '2026-04-02', notes: '2026 年春茶，一芽二叶' });
  const last = await db.selectFrom('session_products').select((eb) => eb.fn.max('link').as('link')).where('session_id', '=', ctx.sessionId).executeTakeFirst();
  await db.insertInto('session_products').values({ session_id: ctx.sessionId, product_id: productId, link: Number(last?.link ?? 0) + 1, live_prices: '{}', added_at: iso, commission_bps: 0 }).execute();
  return { productId };
}
