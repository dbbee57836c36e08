import type { BasesDomain } from '../bases/index.ts';
import { programmeMetricOf } from '../bases/report.ts';
import type { ProgrammeMetric } from '../bases/schema.ts';
import type { Db } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';
import type { Talent } from './index.ts';

const METRIC_NAMES: Record<string, string> = { public_studios: '公共直播间数', resident_firms: '入驻机构数', events_year: '全年活动场次', monthly_gmv_fen: '月成交额', monthly_lives: '月直播场次', monthly_live_hours: '月直播时长' };

/**
 * The talent catalogue's demo (docs/TALENT.md): the criteria (直播销售员, 视频创推员 or 选品员 五级 or
 * higher; ¥1,000.00 net GMV over 365 days; no live cut off), 小林说吃 nominated by 海上直播电商学院 and
 * approved by the operator, 虹桥直播电商基地's application for the 闵行区 programme with the month's
 * report as evidence, pending, and its application for last year's (retired) 上海市 programme with last
 * November's report, rejected last December.
 */
export async function seedTalentDemo(
  talent: Talent,
  db: Db,
  ids: { operatorId: string; trainingOrgId: string; trainerId: string; streamerFood: string; baseOrgId: string; baseUserId: string },
  reports: BasesDomain['reports'],
) {
  const { service } = talent;
  await service.saveCriteria({ minLevels: { seller: 5, creator: 5, selector: 5 }, minGmvFen: 100_000, windowDays: 365, maxViolations: 0 }, ids.operatorId);
  const nomination = await service.nominate(ids.trainingOrgId, 'training', ids.streamerFood, '结业实训评分优秀，近一年直播带货表现稳定。', ids.trainerId, 'zh-CN');
  await service.review(nomination.id, 'approve', '证书、成交额与合规记录均符合条件', ids.operatorId, 'zh-CN');
  const programme = await db.selectFrom('base_programmes').select('id').where('region', '=', '闵行区').executeTakeFirst();
  if (programme) await service.apply(ids.baseOrgId, { programmeId: programme.id, note: '申报区级直播电商基地扶持。' }, ids.baseUserId);

  // Last year's programme is retired, so no base applies for it now (BASE_PROGRAMME_RETIRED): the application
  // the base made then is written as it was stored, its evidence the base's report of that November checked
  // against the programme's criteria, as the programme check does.
  const retired = await db.selectFrom('base_programmes').select(['id', 'year', 'criteria']).where('region', '=', '上海市').where('retired_at', 'is not', null).executeTakeFirst();
  if (retired) {
    const year = Number(retired.year);
    const month = `${year}-11`;
    const report = await reports.report(ids.baseOrgId, month);
    const criteria = (JSON.parse(retired.criteria) as { metric: string; min: number }[]).map((c) => {
      const value = programmeMetricOf(report, c.metric as ProgrammeMetric) ?? 0;
      return { metric: c.metric, min: c.min, value, met: value >= c.min };
    });
    const unmet = criteria.filter((c) => !c.met).map((c) => METRIC_NAMES[c.metric] ?? c.metric);
    await talent.store.insertApplication({
      id: newId(),
      base_org_id: ids.baseOrgId,
      programme_id: retired.id,
      month,
      applied_by: ids.baseUserId,
      note: '申报市级直播电商示范基地。',
      status: unmet.length ? 'rejected' : 'approved',
      met: unmet.length ? 0 : 1,
      evidence: JSON.stringify({ month, criteria, summary: report.summary }),
      created_at: new Date(Date.UTC(year, 11, 3, 2)).toISOString(),
      reviewed_by: ids.operatorId,
      reviewed_at: new Date(Date.UTC(year, 11, 18, 6, 30)).toISOString(),
      review_reason: unmet.length ? `${unmet.join('、')}未达到示范基地条件` : '各项条件均达标',
    });
  }
}
