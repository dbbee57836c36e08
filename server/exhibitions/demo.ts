import type { Services } from '../app.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';

/**
 * 直播+会展 (docs/EXHIBITIONS.md): 第十届中国国际进口博览会 with three halls, 德兴斋 and 玉兰凝肌's booths,
 * each with the brand's coming lives on its schedule; the demo viewer follows 德兴斋's booth and left an inquiry.
 */
export async function seedExhibitionsDemo(services: Services, db: Db, clock: Clock, ctx: { operatorId: string; viewerId: string; booths: { orgId: string; hall: number; boothNo: string; name: string }[] }) {
  const ex = services.exhibitions.service;
  const now = clock.now();
  const exhibition = await ex.create(
    { name: '第十届中国国际进口博览会', shortName: '进博会', city: '上海', venue: '国家会展中心（上海）', startsOn: '2027-11-05', endsOn: '2027-11-10', halls: ['1.1 号馆 · 食品及农产品', '4.1 号馆 · 消费品', '7.2 号馆 · 医疗器械及医药保健'] },
    ctx.operatorId,
  );
  const booths = [];
  for (const b of ctx.booths) {
    const booth = await ex.addBooth(exhibition.id, { hallId: exhibition.halls[b.hall]!.id, boothNo: b.boothNo, exhibitorOrgId: b.orgId, name: b.name, intro: '' });
    // The booth's schedule: the exhibitor's lives still to come.
    const lives = await db.selectFrom('live_sessions').select('id').where('brand_org_id', '=', b.orgId).where('status', '=', 'scheduled').where('scheduled_at', '>', now.toISOString()).execute();
    await ex.setLives(b.orgId, booth.id, lives.map((l) => l.id));
    booths.push(booth);
  }
  const viewer = { id: ctx.viewerId, displayName: '观众小王', platformRole: 'viewer' as const, locale: 'zh-CN' as const, sessionId: '' };
  await ex.follow(ctx.viewerId, booths[0]!.id, true);
  await ex.inquire(viewer, booths[0]!.id, { name: '王先生', contact: '13900000001', company: '上海小王商贸有限公司', message: '想了解蝴蝶酥出口装的起订量和报关资料', consent: true });
  return { exhibitionId: exhibition.id };
}
