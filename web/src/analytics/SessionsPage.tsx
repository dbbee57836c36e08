import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useSession } from '../session';
import { useFormat } from '../shared/format';
import { label } from '../shared/labels';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import type { AnalyticsSessionRow } from './types';
import './review.css';

/** The lives whose numbers one may open, each with its big screen and (once ended) its review. */
export function AnalyticsSessions({ orgId }: { orgId?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<unknown>(orgId ? path`/api/orgs/${orgId}/analytics/sessions` : '/api/analytics/sessions');
  if (state.status === 'error' && state.data === undefined) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  const rows = listFrom<AnalyticsSessionRow>(state.data, 'sessions');
  if (!rows.length) return <Empty testId="analytics-empty">{t('analytics.list.empty')}</Empty>;
  const base = (id: string) => (orgId ? path`/orgs/${orgId}/analytics/sessions/${id}` : path`/analytics/sessions/${id}`);
  return (
    <div className="table-wrap">
      <table className="table an-table" data-testid="analytics-sessions">
        <thead>
          <tr>
            <th scope="col">{t('analytics.list.live')}</th>
            <th scope="col">{t('analytics.list.streamer')}</th>
            <th scope="col">{t('analytics.list.time')}</th>
            <th scope="col">{t('analytics.list.status')}</th>
            <th scope="col">
              <span className="sr-only">{t('analytics.list.open')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id} data-testid="analytics-session" data-session-id={s.id} data-status={s.status}>
              <th scope="row">{s.title}</th>
              <td>{s.streamerName}</td>
              <td>{fmt.dateTime(s.startedAt ?? s.scheduledAt)}</td>
              <td>
                <StatusBadge status={s.status}>{label(t, 'status', s.status)}</StatusBadge>
              </td>
              <td className="an-links">
                <Link className="button button-small button-secondary" to={`${base(s.id)}/screen`} data-testid="analytics-screen-link">
                  {t('analytics.list.screen')}
                </Link>
                {s.status === 'ended' ? (
                  <Link className="button button-small button-ghost" to={`${base(s.id)}/review`} data-testid="analytics-review-link">
                    {t('analytics.list.review')}
                  </Link>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** /analytics: the signed-in streamer's (or an operator's) lives. */
export function AnalyticsPage() {
  const { t } = useTranslation();
  const { user, memberships } = useSession();
  // A brand's or an MCN's lives are on its console's 直播数据 tab: say so here, where its members look first.
  const orgs = memberships.filter((m) => m.org.kind === 'brand' || m.org.kind === 'mcn');
  return (
    <div className="page" data-testid="analytics-page">
      <header className="page-header">
        <h1>{t('analytics.list.title')}</h1>
        <p className="muted">{user?.platformRole === 'operator' ? t('analytics.list.operatorIntro') : t('analytics.list.intro')}</p>
        {orgs.length ? (
          <p className="an-org-links" data-testid="analytics-org-links">
            {t('analytics.list.orgLinks')}{' '}
            {orgs.map((m) => (
              <Link key={m.org.id} className="button button-small button-secondary" to={`${path`/orgs/${m.org.id}`}?tab=analytics`} data-testid="analytics-org-link" data-org-id={m.org.id}>
                {m.org.name}
              </Link>
            ))}
          </p>
        ) : null}
      </header>
      <section className="card">
        <AnalyticsSessions />
      </section>
    </div>
  );
}

/** The 直播数据 tab of a brand's or an MCN's console. */
export function OrgAnalytics({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid="org-analytics">
      <p className="muted">{t('analytics.list.orgIntro')}</p>
      <AnalyticsSessions orgId={orgId} />
    </div>
  );
}
