import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { ReviewActions } from '../admin/ReviewActions';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { ProgrammeLabel, RetiredNote, useCriterionText, useYearFilter, YearFilter } from './Applications';
import { CriteriaEditor } from './CriteriaEditor';
import { EvidenceList } from './Evidence';
import type { Application, Nomination } from './types';

/**
 * The operator console's tab: pending nominations with their evidence, and bases' pending programme applications,
 * each with its programme's year (and 已停止受理 if retired since: it is still decided on its evidence), by year.
 */
export function TalentReview() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const nominations = useApi<{ nominations: Nomination[] }>('/api/admin/talent/nominations?status=pending');
  const applications = useApi<{ applications: Application[] }>('/api/admin/base-applications?status=pending');
  const filter = useYearFilter(applications.data?.applications);
  const criterion = useCriterionText();
  if (nominations.status === 'error' && !nominations.data) return <ErrorNotice error={nominations.error} onRetry={nominations.reload} />;
  if (!nominations.data) return <Loading />;
  return (
    <div data-testid="talent-review">
      <p>
        <a className="button button-ghost button-small" href="/api/talent/catalogue?format=csv" download>
          {t('talent.catalogue')} · {t('talent.exportCsv')}
        </a>
      </p>
      {nominations.data.nominations.length === 0 ? <Empty testId="talent-review-empty">{t('talent.noNominations')}</Empty> : null}
      {nominations.data.nominations.map((n) => (
        <article key={n.id} className="card" data-testid="talent-review-item">
          <h3>
            {n.streamer.displayName} <StatusBadge status={n.status}>{t(`talent.status.${n.status}`)}</StatusBadge>
          </h3>
          <p className="muted">
            {t('talent.org')}: {n.org.name} · {t('talent.createdAt')}: {fmt.timestamp(n.createdAt)}
            {n.note ? ` · ${n.note}` : ''}
          </p>
          <EvidenceList e={n.evidence} />
          <ReviewActions endpoint={path`/api/admin/talent/nominations/${n.id}/review`} onDone={() => nominations.reload()} />
        </article>
      ))}
      <CriteriaEditor />
      <h2>{t('talent.applications')}</h2>
      {filter.years.length ? (
        <div className="panel-toolbar">
          <YearFilter {...filter} />
        </div>
      ) : null}
      {applications.data?.applications.length ? null : <Empty>{t('talent.noApplications')}</Empty>}
      {filter.shown.map((a) => (
        <article key={a.id} className="card" data-testid="application-review-item" data-application-id={a.id}>
          <h3>
            {a.base.name} · <ProgrammeLabel programme={a.programme} /> <StatusBadge status={a.met ? 'approved' : 'rejected'}>{a.met ? t('talent.met') : t('talent.unmet')}</StatusBadge>
          </h3>
          <p className="muted">
            {t('commission.month')}: {a.month} · {fmt.timestamp(a.createdAt)}
            {a.note ? ` · ${a.note}` : ''}
          </p>
          <RetiredNote programme={a.programme} />
          <ul>
            {a.evidence.criteria.map((c) => (
              <li key={c.metric}>
                {t(`commission.metric.${c.metric as 'public_studios'}`)}: {criterion(c, c.value)} / {criterion(c, c.min)} {c.met ? '✓' : '✗'}
              </li>
            ))}
          </ul>
          {!a.met ? <p className="muted">{t('talent.unmetNote')}</p> : null}
          <ReviewActions endpoint={path`/api/admin/base-applications/${a.id}/review`} onDone={() => applications.reload()} />
        </article>
      ))}
    </div>
  );
}
