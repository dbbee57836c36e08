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
 * The operator console's tab: pending nominations with their evidence, the decided ones below them, and bases' pending programme applications,
 * each with its programme's year (and 已停止受理 if retired since: it is still decided on its evidence), by year.
 */
export function TalentReview() {
  const { t } = useTranslation();
  const fmt = useFormat();
  // Every nomination: the pending ones to decide, then the decided ones (approved or rejected) for the record.
  const nominations = useApi<{ nominations: Nomination[] }>('/api/admin/talent/nominations');
  const applications = useApi<{ applications: Application[] }>('/api/admin/base-applications?status=pending');
  const filter = useYearFilter(applications.data?.applications);
  const criterion = useCriterionText();
  if (nominations.status === 'error' && !nominations.data) return <ErrorNotice error={nominations.error} onRetry={nominations.reload} />;
  if (!nominations.data) return <Loading />;
  const pending = nominations.data.nominations.filter((n) => n.status === 'pending');
  const decided = nominations.data.nominations.filter((n) => n.status !== 'pending');
  return (
    <div data-testid="talent-review">
      <p>
        <a className="button button-ghost button-small" href="/api/talent/catalogue?format=csv" download>
          {t('talent.catalogue')} · {t('talent.exportCsv')}
        </a>
      </p>
      <h2>{t('talent.pendingNominations')}</h2>
      {pending.length === 0 ? <Empty testId="talent-review-empty">{t('talent.noPendingNominations')}</Empty> : null}
      {pending.map((n) => (
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
      {decided.length ? (
        <>
          <h2>{t('talent.decidedNominations')}</h2>
          <div className="table-wrap" data-testid="talent-decided">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('talent.streamer')}</th>
                  <th scope="col">{t('talent.org')}</th>
                  <th scope="col">{t('talent.createdAt')}</th>
                  <th scope="col">{t('talent.reviewedAt')}</th>
                  <th scope="col">{t('talent.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {decided.map((n) => (
                  <tr key={n.id} data-testid="talent-decided-item" data-status={n.status}>
                    <td>
                      {n.streamer.displayName} <StatusBadge status={n.status}>{t(`talent.status.${n.status}`)}</StatusBadge>
                    </td>
                    <td>{n.org.name}</td>
                    <td>{fmt.timestamp(n.createdAt)}</td>
                    <td>{n.reviewedAt ? fmt.timestamp(n.reviewedAt) : '—'}</td>
                    <td className="wrap">{n.reviewReason || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
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
