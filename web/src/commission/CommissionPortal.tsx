import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useSession } from '../session';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading, NoAccess, StatusBadge } from '../shared/Status';
import { Tabs, useTab, type TabDef } from '../shared/Tabs';
import { useApi } from '../shared/useApi';
import { ApplicationCard, useYearFilter, YearFilter } from '../talent/Applications';
import { CriteriaLine, EvidenceList } from '../talent/Evidence';
import { CampaignStats } from './CampaignStats';
import type { Application, Criteria, Nomination } from '../talent/types';

type PortalTab = 'applications' | 'registries' | 'talent' | 'campaigns';
const REGISTRIES = ['mcn', 'base', 'brand', 'training', 'talent'] as const;
type Registry = (typeof REGISTRIES)[number];

function CsvLink({ href }: { href: string }) {
  const { t } = useTranslation();
  return (
    <a className="button button-ghost button-small" href={href} download data-testid="commission-csv">
      {t('commission.exportCsv')}
    </a>
  );
}

function Applications() {
  const { t } = useTranslation();
  const state = useApi<{ applications: Application[] }>('/api/commission/base-applications');
  const filter = useYearFilter(state.data?.applications);
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  return (
    <div data-testid="commission-applications">
      <div className="panel-toolbar">
        {filter.years.length ? <YearFilter {...filter} /> : null}
        <CsvLink href="/api/commission/base-applications?format=csv" />
      </div>
      {state.data.applications.length === 0 ? <Empty>{t('commission.noApplications')}</Empty> : null}
      {filter.shown.map((a) => (
        <ApplicationCard key={a.id} application={a} testId="commission-application" />
      ))}
    </div>
  );
}

type RegistryRow = Record<string, unknown> & { id?: string; name?: string; licenceNo?: string | null };

function Registries() {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<Registry>('mcn');
  const loaded = useApi<{ kind: Registry; rows: RegistryRow[] }>(path`/api/commission/registries/${kind}`);
  // Until the new kind's rows arrive, the previous kind's are still loaded: never draw them with the new columns.
  const state = { ...loaded, data: loaded.data?.kind === kind ? loaded.data : undefined };
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const detail = (r: RegistryRow) => {
    if (kind === 'mcn') return t('commission.signed', { count: Number(r.signedStreamers) });
    if (kind === 'base') return `${t('commission.studios', { studios: t('commission.studioCount', { count: Number(r.studios) }), public: Number(r.publicStudios), tenants: t('commission.tenantCount', { count: Number(r.tenants) }) })}${(r.programmes as string[]).length ? ` · ${(r.programmes as string[]).join('、')}` : ''}`;
    if (kind === 'brand') return t('commission.products', { count: Number(r.productsOnSale) });
    return t('commission.trainees', { trainees: t('commission.traineeCount', { count: Number(r.trainees) }), certificates: t('commission.certificateCount', { count: Number(r.certificates) }) });
  };
  return (
    <div data-testid="commission-registries">
      <div className="button-row" role="group">
        {REGISTRIES.map((k) => (
          <button key={k} type="button" className={`button button-small${k === kind ? '' : ' button-ghost'}`} aria-pressed={k === kind} onClick={() => setKind(k)} data-testid={`registry-${k}`}>
            {t(`commission.registry.${k}`)}
          </button>
        ))}
        <CsvLink href={`/api/commission/registries/${kind}?format=csv`} />
      </div>
      {state.status === 'error' && !state.data ? <ErrorNotice error={state.error} onRetry={state.reload} /> : null}
      {!state.data ? <Loading /> : state.data.rows.length === 0 ? <Empty>{t('commission.empty')}</Empty> : null}
      {state.data?.rows.length ? (
        <div className="table-wrap">
          <table data-testid="registry-table">
            {kind === 'talent' ? (
              <>
                <thead>
                  <tr>
                    <th scope="col">{t('commission.certificate')}</th>
                    <th scope="col">{t('commission.holder')}</th>
                    <th scope="col">{t('commission.detail')}</th>
                    <th scope="col">{t('commission.inCatalogue')}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.data.rows.map((r) => (
                    <tr key={String(r.number)}>
                      <td className="mono">
                        <a href={String(r.verifyPath)} target="_blank" rel="noreferrer">
                          {String(r.number)}
                        </a>
                      </td>
                      <td>{String(r.holderName)}</td>
                      <td>
                        {String(r.orgName)} · {(r.jobName as Record<string, string> | undefined)?.[lang]} · L{String(r.level)}
                      </td>
                      <td>{r.inCatalogue ? '✓' : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </>
            ) : (
              <>
                <thead>
                  <tr>
                    <th scope="col">{t('commission.name')}</th>
                    <th scope="col">{t('commission.licenceNo')}</th>
                    <th scope="col">{t('commission.detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.data.rows.map((r) => (
                    <tr key={String(r.id)} data-testid="registry-row">
                      <td>{r.name}</td>
                      <td className="mono">{r.licenceNo ?? '—'}</td>
                      <td>{detail(r)}</td>
                    </tr>
                  ))}
                </tbody>
              </>
            )}
          </table>
        </div>
      ) : null}
    </div>
  );
}

function Talent() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ criteria: Criteria; nominations: Nomination[] }>('/api/commission/talent');
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  return (
    <div data-testid="commission-talent">
      <CriteriaLine criteria={state.data.criteria} />
      <CsvLink href="/api/commission/talent?format=csv" />
      {state.data.nominations.length === 0 ? <Empty>{t('commission.empty')}</Empty> : null}
      {state.data.nominations.map((n) => (
        <article key={n.id} className="card" data-testid="commission-nomination">
          <h3>
            {n.streamer.displayName} <StatusBadge status={n.status}>{t(`talent.status.${n.status}`)}</StatusBadge>
          </h3>
          <p className="muted">
            {t('talent.org')}: {n.org.name} · {fmt.timestamp(n.createdAt)}
            {n.reviewReason ? ` · ${n.reviewReason}` : ''}
          </p>
          <EvidenceList e={n.evidence} />
        </article>
      ))}
    </div>
  );
}

/** The commission's portal (docs/TALENT.md): read-only, for the commission's reviewers and operators. */
export function CommissionPortal() {
  const { t } = useTranslation();
  const { user } = useSession();
  const tabs: TabDef<PortalTab>[] = (['applications', 'registries', 'talent', 'campaigns'] as const).map((id) => ({ id, label: t(`commission.tabs.${id}`) }));
  const [active, setActive] = useTab(tabs);
  if (user?.platformRole !== 'commission' && user?.platformRole !== 'operator') return <NoAccess />;
  return (
    <div className="page" data-testid="commission-portal">
      <header className="page-header">
        <h1>{t('commission.title')}</h1>
        <p className="muted">{t('commission.subtitle')}</p>
        {user.platformRole === 'commission' ? <p className="notice" data-testid="commission-read-only">{t('commission.readOnly')}</p> : null}
      </header>
      <Tabs tabs={tabs} active={active} onChange={setActive} label={t('commission.title')} />
      <section className="card tab-panel" role="tabpanel" aria-labelledby={`tab-${active}`}>
        {active === 'applications' ? <Applications /> : null}
        {active === 'registries' ? <Registries /> : null}
        {active === 'talent' ? <Talent /> : null}
        {active === 'campaigns' ? <CampaignStats /> : null}
      </section>
    </div>
  );
}
