import { cell } from '../analytics/csv.ts';
import type { CampaignStatistics } from '../campaigns/statistics.ts';
import type { Locale } from '../platform/errors.ts';
import type { ApplicationView, NominationView } from '../talent/service.ts';
import type { RegistryKind } from '../talent/schema.ts';
import type { Registries } from './registries.ts';

/**
 * The portal's exports: CSV in UTF-8 with a BOM (spreadsheets read the Chinese), CRLF line ends,
 * every cell through analytics' cell() (formula-safe: a leading =, +, -, @ gets an apostrophe).
 * Amounts are yuan with two decimals, times Beijing time as "2026-12-08 09:48:54" (the headers say so); the JSON
 * keeps fen and ISO UTC.
 */
const yuan = (fen: number) => (fen / 100).toFixed(2);
const beijingFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
/** An ISO time as Beijing wall-clock time, "YYYY-MM-DD HH:mm:ss"; empty for none. */
export const beijing = (iso: string | null | undefined) => (iso ? beijingFormat.format(new Date(iso)) : '');
const LEVELS: Record<number, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级', 5: '五级' };

function csv(rows: (string | number | null)[][]): string {
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

const T = {
  'zh-CN': {
    status: { pending: '待审核', approved: '已入选', rejected: '未通过' } as Record<string, string>,
    appStatus: { pending: '待审核', approved: '已通过', rejected: '未通过' } as Record<string, string>,
    yes: '是',
    no: '否',
    kind: { mcn: 'MCN 机构', training: '培训机构', brand: '品牌', base: '直播基地' } as Record<string, string>,
    nominations: ['主播', '推荐机构', '机构类型', '状态', '证书（编号 工种 等级）', '证书核验链接', '近12个月净成交额（元）', '计入场次', '违规场次', '推荐时间（北京时间）', '审核时间（北京时间）', '审核意见', '推荐说明'],
    applications: ['基地', '申报项目', '年度', '项目停止受理时间（北京时间）', '地区', '材料月份', '状态', '是否达标', '各项条件（指标 实际/要求）', '申报时间（北京时间）', '审核时间（北京时间）', '审核意见'],
    mcn: ['机构', '营业执照名称', '统一社会信用代码', '签约主播数', '审核通过时间（北京时间）'],
    base: ['基地', '营业执照名称', '统一社会信用代码', '直播间数', '公共直播间数', '在租入驻机构', '已获认定项目', '审核通过时间（北京时间）'],
    brand: ['品牌（商家）', '营业执照名称', '统一社会信用代码', '在售商品数', '审核通过时间（北京时间）'],
    training: ['培训机构', '营业执照名称', '统一社会信用代码', '学员数', '已发证书数', '审核通过时间（北京时间）'],
    talent: ['证书编号', '持证人', '发证机构', '工种', '等级', '发证时间（北京时间）', '核验链接', '是否入选人才目录'],
  },
  en: {
    status: { pending: 'Pending', approved: 'Listed', rejected: 'Rejected' } as Record<string, string>,
    appStatus: { pending: 'Pending', approved: 'Approved', rejected: 'Rejected' } as Record<string, string>,
    yes: 'yes',
    no: 'no',
    kind: { mcn: 'MCN', training: 'Training centre', brand: 'Brand', base: 'Live-streaming base' } as Record<string, string>,
    nominations: ['Streamer', 'Nominated by', 'Organisation kind', 'Status', 'Certificates (number job level)', 'Verification links', 'Net GMV, last 12 months (CNY)', 'Lives counted', 'Violations', 'Nominated at (Beijing time)', 'Reviewed at (Beijing time)', 'Review reason', 'Note'],
    applications: ['Base', 'Programme', 'Year', 'Programme retired at (Beijing time)', 'Region', 'Evidence month', 'Status', 'Criteria met', 'Criteria (metric value/minimum)', 'Applied at (Beijing time)', 'Reviewed at (Beijing time)', 'Review reason'],
    mcn: ['MCN', 'Licence name', 'Licence number', 'Signed streamers', 'Approved at (Beijing time)'],
    base: ['Base', 'Licence name', 'Licence number', 'Studios', 'Public studios', 'Current tenants', 'Programmes approved', 'Approved at (Beijing time)'],
    brand: ['Brand (merchant)', 'Licence name', 'Licence number', 'Products on sale', 'Approved at (Beijing time)'],
    training: ['Training centre', 'Licence name', 'Licence number', 'Trainees', 'Certificates issued', 'Approved at (Beijing time)'],
    talent: ['Certificate number', 'Holder', 'Issued by', 'Job', 'Level', 'Issued at (Beijing time)', 'Verification link', 'In the talent catalogue'],
  },
};

export function nominationsCsv(list: NominationView[], locale: Locale, origin: string): string {
  const L = T[locale];
  return csv([
    L.nominations,
    ...list.map((x) => {
      const e = x.evidence;
      return [
        x.streamer.displayName,
        x.org.name,
        L.kind[x.org.kind] ?? x.org.kind,
        L.status[x.status] ?? x.status,
        e.certificates.map((c) => `${c.number} ${c.jobName[locale]} ${locale === 'zh-CN' ? LEVELS[c.level] ?? c.level : `level ${c.level}`}`).join('; '),
        e.certificates.map((c) => `${origin}${c.verifyPath}`).join(' '),
        yuan(e.gmv.netFen),
        e.gmv.lives.length,
        e.violations.length,
        beijing(x.createdAt),
        beijing(x.reviewedAt),
        x.reviewReason,
        x.note,
      ];
    }),
  ]);
}

export function applicationsCsv(list: ApplicationView[], locale: Locale): string {
  const L = T[locale];
  return csv([
    L.applications,
    ...list.map((a) => [
      a.base.name,
      a.programme.name,
      a.programme.year,
      beijing(a.programme.retiredAt),
      a.programme.region,
      a.month,
      L.appStatus[a.status] ?? a.status,
      a.met ? L.yes : L.no,
      a.evidence.criteria.map((c) => `${c.metric} ${c.value}/${c.min}`).join('; '),
      beijing(a.createdAt),
      beijing(a.reviewedAt),
      a.reviewReason,
    ]),
  ]);
}

export async function registryCsv(kind: RegistryKind, registries: Registries, locale: Locale, origin: string): Promise<string> {
  const L = T[locale];
  const yesNo = (v: boolean) => (v ? L.yes : L.no);
  switch (kind) {
    case 'mcn':
      return csv([L.mcn, ...(await registries.mcn()).map((o) => [o.name, o.licenceName, o.licenceNo, o.signedStreamers, beijing(o.approvedAt)])]);
    case 'base':
      return csv([L.base, ...(await registries.base()).map((o) => [o.name, o.licenceName, o.licenceNo, o.studios, o.publicStudios, o.tenants, o.programmes.join('; '), beijing(o.approvedAt)])]);
    case 'brand':
      return csv([L.brand, ...(await registries.brand()).map((o) => [o.name, o.licenceName, o.licenceNo, o.productsOnSale, beijing(o.approvedAt)])]);
    case 'training':
      return csv([L.training, ...(await registries.training()).map((o) => [o.name, o.licenceName, o.licenceNo, o.trainees, o.certificates, beijing(o.approvedAt)])]);
    case 'talent':
      return csv([
        L.talent,
        ...(await registries.talent()).map((c) => [c.number, c.holderName, c.orgName, c.jobName[locale], locale === 'zh-CN' ? (LEVELS[c.level] ?? String(c.level)) : `level ${c.level}`, beijing(c.issuedAt), `${origin}${c.verifyPath}`, yesNo(c.inCatalogue)]),
      ]);
  }
}

const CAMPAIGN_HEADERS = {
  'zh-CN': { head: ['活动', '阶段', '预热开始', '开始', '结束', '参与品牌', '直播场次', '已开播场次', '首发', '定金预售', '竞拍', '成交金额（元，扣除退款，含平台补贴）', '订单数', '平台补贴（元）'], phase: { upcoming: '未开始', warmup: '预热中', running: '进行中', ended: '已结束' } as Record<string, string> },
  en: { head: ['Campaign', 'Phase', 'Warm-up from', 'Starts', 'Ends', 'Brands', 'Lives', 'Lives held', 'Launches', 'Pre-sales', 'Auctions', 'GMV (CNY, less refunds, with the platform subsidy)', 'Orders', 'Platform subsidy (CNY)'], phase: { upcoming: 'Upcoming', warmup: 'Warm-up', running: 'Running', ended: 'Ended' } as Record<string, string> },
};

export function campaignsCsv(list: CampaignStatistics[], locale: Locale): string {
  const h = CAMPAIGN_HEADERS[locale];
  return csv([h.head, ...list.map((c) => [c.name, h.phase[c.phase] ?? c.phase, c.warmupAt ?? '', c.startsAt, c.endsAt, c.brands, c.sessions, c.livesHeld, c.launches, c.presales, c.auctions, yuan(c.gmvFen), c.orders, yuan(c.subsidyFen)])]);
}
