import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { beijingDate } from '../bases/time';
import { useFormat } from '../shared/format';
import { StatusBadge } from '../shared/Status';
import type { Application, ApplicationCriterion } from './types';

/**
 * Bases' applications for a city programme as every list shows them (docs/TALENT.md, docs/BASES.md "City
 * programmes"): the programme's name with its year, 已停止受理 when an operator retired it, and the evidence.
 */
export function ProgrammeLabel({ programme }: { programme: Application['programme'] }) {
  const { t } = useTranslation();
  return (
    <span className="application-programme" data-testid="application-programme" data-year={programme.year} data-retired={programme.retiredAt ? 'true' : 'false'}>
      {programme.name} · {t('talent.programmeYear', { year: programme.year })}
      {programme.retiredAt ? (
        <>
          {' '}
          <span data-testid="programme-retired-badge">
            <StatusBadge status="retired">{t('talent.retiredBadge')}</StatusBadge>
          </span>
        </>
      ) : null}
    </span>
  );
}

/** Why a retired programme's application is still listed: it stays on record, with its evidence. */
export function RetiredNote({ programme }: { programme: Application['programme'] }) {
  const { t } = useTranslation();
  if (!programme.retiredAt) return null;
  return (
    <p className="muted" data-testid="application-retired-note">
      {t('talent.retiredNote', { date: beijingDate(Date.parse(programme.retiredAt)) })}
    </p>
  );
}

/** The years of the listed applications' programmes, newest first, and the list narrowed to the one chosen ('' = all). */
export function useYearFilter(applications: Application[] | undefined) {
  const [chosen, setChosen] = useState('');
  const all = applications ?? [];
  const years = [...new Set(all.map((a) => a.programme.year))].sort((a, b) => b - a);
  // A year no longer listed (its last application decided and gone from the list) shows every year again.
  const year = years.some((y) => String(y) === chosen) ? chosen : '';
  const shown = year ? all.filter((a) => String(a.programme.year) === year) : all;
  return { years, year, setYear: setChosen, shown };
}

export function YearFilter({ years, year, setYear }: { years: number[]; year: string; setYear: (year: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{t('talent.yearFilter')}</label>
      <select id={id} data-testid="application-year-filter" value={year} onChange={(e) => setYear(e.target.value)}>
        <option value="">{t('talent.allYears')}</option>
        {years.map((y) => (
          <option key={y} value={String(y)}>
            {t('talent.programmeYear', { year: y })}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A criterion's value and minimum as written in the evidence (GMV in yuan). */
export function useCriterionText() {
  const fmt = useFormat();
  return (c: ApplicationCriterion, v: number) => (c.metric === 'monthly_gmv_fen' ? fmt.fen(v) : String(v));
}

/** Each criterion of the evidence: its value against its minimum, met or not. */
export function CriteriaTable({ criteria }: { criteria: ApplicationCriterion[] }) {
  const { t } = useTranslation();
  const text = useCriterionText();
  return (
    <table data-testid="application-criteria">
      <caption>{t('commission.criteria')}</caption>
      <tbody>
        {criteria.map((c) => (
          <tr key={c.metric}>
            <th scope="row">{t(`commission.metric.${c.metric as 'public_studios'}`)}</th>
            <td>
              {text(c, c.value)} / {text(c, c.min)}
            </td>
            <td>{c.met ? t('commission.met') : t('commission.unmet')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One application: base (unless the base's own list), programme and year, status, month, note, review and evidence. */
export function ApplicationCard({ application: a, showBase = true, testId, children }: { application: Application; showBase?: boolean; testId: string; children?: ReactNode }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <article className="card" data-testid={testId} data-application-id={a.id}>
      <h3>
        {showBase ? `${a.base.name} · ` : null}
        <ProgrammeLabel programme={a.programme} /> <StatusBadge status={a.status}>{t(`commission.status.${a.status}`)}</StatusBadge>{' '}
        <StatusBadge status={a.met ? 'approved' : 'rejected'}>{a.met ? t('commission.met') : t('commission.unmet')}</StatusBadge>
      </h3>
      <p className="muted">
        {t('commission.month')}: {a.month} · {fmt.timestamp(a.createdAt)}
        {a.note ? ` · ${a.note}` : ''}
        {a.reviewReason ? ` · ${a.reviewReason}` : ''}
      </p>
      <RetiredNote programme={a.programme} />
      <CriteriaTable criteria={a.evidence.criteria} />
      {children}
    </article>
  );
}
