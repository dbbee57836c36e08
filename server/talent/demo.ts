import type { Db } from '../platform/db.ts';
import type { Talent } from './index.ts';

/**
 * The talent catalogue's demo (docs/TALENT.md): the criteria (直播销售员, 视频创推员 or 选品员 五级 or
 * higher; ¥1,000.00 net GMV over 365 days; no live cut off), 小林说吃 nominated by 海上直播电商学院 and
 * approved by the operator, and 虹桥直播电商基地's application for the 闵行区 programme with the month's
 * report as evidence, pending.
 */
export async function seedTalentDemo(
  talent: Talent,
  db: Db,
  ids: { operatorId: string; trainingOrgId: string; trainerId: string; streamerFood: string; baseOrgId: string; baseUserId: string },
) {
  const { service } = talent;
  await service.saveCriteria({ minLevels: { seller: 5, creator: 5, selector: 5 }, minGmvFen: 100_000, windowDays: 365, maxViolations: 0 }, ids.operatorId);
  const nomination = await service.nominate(ids.trainingOrgId, 'training', ids.streamerFood, '结业实训评分优秀，近一年直播带货表现稳定。', ids.trainerId, 'zh-CN');
  await service.review(nomination.id, 'approve', '证书、成交额与合规记录均符合条件', ids.operatorId, 'zh-CN');
  const programme = await db.selectFrom('base_programmes').select('id').where('region', '=', '闵行区').executeTakeFirst();
  if (programme) await service.apply(ids.baseOrgId, { programmeId: programme.id, note: '申报区级直播电商基地扶持。' }, ids.baseUserId);
}
