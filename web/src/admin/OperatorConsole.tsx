import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useSession } from '../session';
import type { AdminStreamerProfile, Decision, Org } from '../types';
import { FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { label } from '../shared/labels';
import { Empty, ErrorNotice, Loading, NoAccess } from '../shared/Status';
import { Tabs, useTab, type TabDef } from '../shared/Tabs';
import { listFrom, pick, useApi } from '../shared/useApi';
import { lazyPage } from '../shared/lazyPage';
import { ReviewActions } from './ReviewActions';
import './live-ops.css';

const LiveStreamsPanel = lazyPage(() => import('./LiveStreamsPanel').then((m) => m.LiveStreamsPanel));
const LedgerOverviewPanel = lazyPage(() => import('../ledger/OperatorLedger').then((m) => m.LedgerOverviewPanel));
const WithdrawalQueuePanel = lazyPage(() => import('../ledger/OperatorLedger').then((m) => m.WithdrawalQueuePanel));
const TalentReview = lazyPage(() => import('../talent/TalentReview').then((m) => m.TalentReview));
const ProgrammesPanel = lazyPage(() => import('../bases/ProgrammesPanel').then((m) => m.ProgrammesPanel));

function useDoneMessage() {
  const { t } = useTranslation();
  const [msg, setMsg] = useState<string | null>(null);
  return {
    node: msg ? <FormSuccess>{msg}</FormSuccess> : null,
    done: (name: string, decision: Decision) => setMsg(t(decision === 'approve' ? 'admin.approvedOne' : 'admin.rejectedOne', { name })),
  };
}

function PendingProfiles() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<unknown>('/api/admin/streamer-profiles?status=pending');
  const profiles = listFrom<AdminStreamerProfile>(state.data, 'profiles', 'items');
  const done = useDoneMessage();

  if (state.status === 'error' && state.data === undefined) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  return (
    <div data-testid="pending-profiles">
      {done.node}
      {profiles.length === 0 ? (
        <Empty testId="profiles-empty">{t('admin.noPendingProfiles')}</Empty>
      ) : (
        <div className="review-list">
          {profiles.map((p) => {
            const account = pick(p, 'user.displayName', 'displayName');
            const contact = pick(p, 'user.phone', 'user.email', 'phone', 'email');
            return (
              <article key={p.userId} className="card review-card" data-testid="pending-profile" data-user-id={p.userId}>
                <header>
                  <h3>{p.realName}</h3>
                  {account ? <p className="muted">{t('admin.account', { name: account })}{contact ? ` · ${contact}` : ''}</p> : null}
                </header>
                <dl className="facts">
                  <dt>{t('streamer.idNumber')}</dt>
                  <dd className="mono" data-testid="id-number">
                    {p.idNumber ?? p.idNumberMasked}
                  </dd>
                  <dt>{t('admin.birthDate')}</dt>
                  <dd>
                    {fmt.date(p.birthDate)}
                    {typeof p.age === 'number' ? ` · ${t('admin.age', { count: p.age })}` : ''}
                    {typeof p.age === 'number' && p.age < 18 ? <span className="tag tag-warning">{t('admin.minor')}</span> : null}
                  </dd>
                  <dt>{t('streamer.guardian')}</dt>
                  <dd data-testid="guardian">
                    {p.guardian ? (
                      <>
                        {p.guardian.name} · {p.guardian.relation} · {p.guardian.phone}
                        <br />
                        <span className="muted">{t('admin.consentAt', { time: fmt.timestamp(p.guardian.consentAt) })}</span>
                      </>
                    ) : (
                      t('admin.noGuardian')
                    )}
                  </dd>
                  <dt>{t('streamer.submittedAt')}</dt>
                  <dd>{fmt.timestamp(p.submittedAt)}</dd>
                </dl>
                <ReviewActions
                  endpoint={path`/api/admin/streamer-profiles/${p.userId}/review`}
                  onDone={(d) => {
                    done.done(p.realName, d);
                    state.reload();
                  }}
                />
              </article>
            );
          })}
        </div>
      )}
    </div>
  );
}

function PendingOrgs() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<unknown>('/api/admin/orgs?status=pending');
  const orgs = listFrom<Org>(state.data, 'orgs', 'items');
  const done = useDoneMessage();

  if (state.status === 'error' && state.data === undefined) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  return (
    <div data-testid="pending-orgs">
      {done.node}
      {orgs.length === 0 ? (
        <Empty testId="orgs-empty">{t('admin.noPendingOrgs')}</Empty>
      ) : (
        <div className="review-list">
          {orgs.map((o) => (
            <article key={o.id} className="card review-card" data-testid="pending-org" data-org-id={o.id}>
              <header>
                <p className="eyebrow">{label(t, 'orgKind', o.kind)}</p>
                <h3>{o.name}</h3>
              </header>
              {o.description ? <p className="muted">{o.description}</p> : null}
              <dl className="facts">
                <dt>{t('orgs.licenceName')}</dt>
                <dd>{o.licenceName ?? '—'}</dd>
                <dt>{t('orgs.licenceNo')}</dt>
                <dd className="mono">{o.licenceNo ?? '—'}</dd>
                <dt>{t('orgs.createdAt')}</dt>
                <dd>{fmt.timestamp(o.createdAt)}</dd>
              </dl>
              <ReviewActions
                endpoint={path`/api/admin/orgs/${o.id}/review`}
                onDone={(d) => {
                  done.done(o.name, d);
                  state.reload();
                }}
              />
            </article>
          ))}
        </div>
      )}
    </div>
  );
}

type AuditEntry = {
  id: string;
  action: string;
  targetType: string;
  targetId: string;
  detail?: Record<string, unknown> | null;
  createdAt: string;
  actor: { id: string; displayName: string | null } | null;
};

function AuditDetail({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const d = entry.detail ?? {};
  const parts: string[] = [];
  if (typeof d.reason === 'string' && d.reason) parts.push(t('admin.detailReason', { reason: d.reason }));
  if (typeof d.role === 'string') parts.push(t('admin.detailRole', { role: label(t, 'role', d.role) }));
  if (typeof d.userId === 'string') parts.push(t('admin.detailUser', { id: d.userId }));
  return <>{parts.length ? parts.join(t('common.listSeparator')) : '—'}</>;
}

function AuditLog() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ entries: AuditEntry[] }>('/api/admin/audit-log');
  const entries = listFrom<AuditEntry>(state.data, 'entries');

  if (state.status === 'error' && state.data === undefined) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  if (entries.length === 0) return <Empty testId="audit-empty">{t('admin.noAudit')}</Empty>;
  return (
    <div className="table-wrap" data-testid="audit-log">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('admin.auditTime')}</th>
            <th scope="col">{t('admin.auditActor')}</th>
            <th scope="col">{t('admin.auditAction')}</th>
            <th scope="col">{t('admin.auditTarget')}</th>
            <th scope="col">{t('admin.auditDetail')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-testid="audit-entry" data-action={e.action}>
              <td>
                <time dateTime={e.createdAt}>{fmt.timestamp(e.createdAt)}</time>
              </td>
              <td>{e.actor?.displayName ?? e.actor?.id ?? t('admin.system')}</td>
              <td>{label(t, 'audit', e.action)}</td>
              <td>
                <span className="tag tag-muted">{label(t, 'auditTarget', e.targetType)}</span>
                <span className="mono">{e.targetId}</span>
              </td>
              <td className="wrap">
                <AuditDetail entry={e} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type AdminTab = 'profiles' | 'orgs' | 'live' | 'ledger' | 'withdrawals' | 'talent' | 'programmes' | 'audit';

export function OperatorConsole() {
  const { t } = useTranslation();
  const { user } = useSession();
  const tabs: TabDef<AdminTab>[] = [
    { id: 'profiles', label: t('admin.tabs.profiles') },
    { id: 'orgs', label: t('admin.tabs.orgs') },
    { id: 'live', label: t('admin.tabs.live') },
    { id: 'ledger', label: t('admin.tabs.ledger') },
    { id: 'withdrawals', label: t('admin.tabs.withdrawals') },
    { id: 'talent', label: t('talent.review') },
    { id: 'programmes', label: t('bases.programmes.tab') },
    { id: 'audit', label: t('admin.tabs.audit') },
  ];
  const [active, setActive] = useTab(tabs);

  if (user?.platformRole !== 'operator') return <NoAccess />;

  return (
    <div className="page" data-testid="operator-console">
      <h1>{t('admin.title')}</h1>
      <Tabs tabs={tabs} active={active} onChange={setActive} label={t('admin.title')} />
      <section className="card tab-panel" role="tabpanel" aria-labelledby={`tab-${active}`}>
        {active === 'profiles' ? <PendingProfiles /> : null}
        {active === 'orgs' ? <PendingOrgs /> : null}
        {active === 'live' ? <LiveStreamsPanel /> : null}
        {active === 'ledger' ? <LedgerOverviewPanel /> : null}
        {active === 'withdrawals' ? <WithdrawalQueuePanel /> : null}
        {active === 'talent' ? <TalentReview /> : null}
        {active === 'programmes' ? <ProgrammesPanel /> : null}
        {active === 'audit' ? <AuditLog /> : null}
      </section>
    </div>
  );
}
