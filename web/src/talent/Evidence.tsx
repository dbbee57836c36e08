import { useTranslation } from 'react-i18next';
import { useFormat } from '../shared/format';
import { StatusBadge } from '../shared/Status';
import type { Criteria, Eligibility } from './types';

const LEVELS: Record<number, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级', 5: '五级' };

/** The criteria in words. */
export function CriteriaLine({ criteria }: { criteria: Criteria }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const zh = i18n.language === 'zh-CN';
  const names: Record<string, [string, string]> = { seller: ['直播销售员', 'Live seller'], creator: ['视频创推员', 'Video promoter'], selector: ['选品员', 'Product selector'], admin: ['平台管理员', 'Platform administrator'] };
  const levels = Object.entries(criteria.minLevels)
    .map(([job, level]) => (zh ? `${names[job]?.[0] ?? job}${LEVELS[level] ?? level}及以上` : `${names[job]?.[1] ?? job} level ${level}+`))
    .join(zh ? '或' : ' or ');
  return <p className="muted" data-testid="talent-criteria">{t('talent.criteria', { levels, days: t('talent.days', { count: criteria.windowDays }), gmv: fmt.fen(criteria.minGmvFen), violations: t('talent.livesN', { count: criteria.maxViolations }) })}</p>;
}

/** Each criterion met or not, with its evidence: certificates (numbers, verification links), GMV and the lives counted, violations. */
export function EvidenceList({ e }: { e: Eligibility }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const badge = (met: boolean) => <StatusBadge status={met ? 'approved' : 'rejected'}>{met ? t('talent.met') : t('talent.unmet')}</StatusBadge>;
  const met = (id: string) => e.checks.find((c) => c.criterion === id)?.met ?? false;
  return (
    <ul className="talent-evidence" data-testid="talent-evidence">
      <li>
        {t('talent.criterion.verified')} {badge(met('verified'))}
      </li>
      <li>
        {t('talent.criterion.certificate')} {badge(met('certificate'))}{' '}
        {e.certificates.map((c) => (
          <span key={c.number} className="mono">
            {c.number} {c.jobName[lang]} {lang === 'zh-CN' ? LEVELS[c.level] : `L${c.level}`} (<a href={c.verifyPath} target="_blank" rel="noreferrer">{t('talent.verify')}</a>){' '}
          </span>
        ))}
      </li>
      <li>
        {t('talent.criterion.gmv')} {badge(met('gmv'))} {t('talent.gmvLine', { gmv: fmt.fen(e.gmv.netFen), lives: t('talent.livesN', { count: e.gmv.lives.length }), orders: t('talent.ordersN', { count: e.gmv.orders }) })}
      </li>
      <li>
        {t('talent.criterion.violations')} {badge(met('violations'))} {t('talent.violationsLine', { count: e.violations.length })}
        {e.violations.map((v) => ` · ${v.title}（${v.reason ?? ''}）`).join('')}
      </li>
    </ul>
  );
}
