import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { path, post } from '../api';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { bpsText, CoopStatus, InlineForm, MiniField, percentToBps } from './parts';
import type { Application, ApplicationStatus } from './types';
import './cooperation.css';

const FILTERS = ['all', 'pending', 'approved', 'rejected', 'revoked'] as const;
type Filter = (typeof FILTERS)[number];

function StatusFilter({ value, onChange }: { value: Filter; onChange: (f: Filter) => void }) {
  const { t } = useTranslation();
  return (
    <div className="choice-group coop-filter" role="group" aria-label={t('coop.applications.filter')}>
      {FILTERS.map((f) => (
        <button key={f} type="button" className={f === value ? 'choice choice-small choice-active' : 'choice choice-small'} aria-pressed={f === value} data-testid={`applications-filter-${f}`} onClick={() => onChange(f)}>
          {f === 'all' ? t('coop.applications.all') : t(`coop.status.${f}`)}
        </button>
      ))}
    </div>
  );
}

/** The brand's decision: approve at the offer's rate or another (typed as a percent), or reject with a reason. */
function Decide({ orgId, a, onDone }: { orgId: string; a: Application; onDone: () => void }) {
  const { t } = useTranslation();
  const [rate, setRate] = useState('');
  const [reason, setReason] = useState('');
  return (
    <div className="coop-decide">
      <InlineForm
        open={t('coop.applications.approve')}
        tone="primary"
        label={t('coop.applications.approve')}
        testId="application-approve"
        submitLabel={t('coop.applications.approveSubmit')}
        validate={() => (rate.trim() && percentToBps(rate) === null ? t('coop.offers.badCommission') : null)}
        onSubmit={() => post(path`/api/orgs/${orgId}/applications/${a.id}/approve`, rate.trim() ? { commissionBps: percentToBps(rate) } : {})}
        onDone={onDone}
      >
        <MiniField label={t('coop.applications.rate')} value={rate} onChange={setRate} testId="application-rate" inputMode="decimal" maxLength={6} placeholder={t('coop.applications.ratePlaceholder')} />
      </InlineForm>
      <InlineForm
        open={t('coop.applications.reject')}
        label={t('coop.applications.reject')}
        testId="application-reject"
        submitLabel={t('coop.applications.rejectSubmit')}
        validate={() => (reason.trim() ? null : t('coop.applications.reasonRequired'))}
        onSubmit={() => post(path`/api/orgs/${orgId}/applications/${a.id}/reject`, { reason: reason.trim() })}
        onDone={onDone}
      >
        <MiniField label={t('coop.applications.reason')} value={reason} onChange={setReason} testId="application-reason" maxLength={200} />
      </InlineForm>
    </div>
  );
}

/** The brand revokes an approval, with a reason (what that does is said before it is confirmed). */
function Revoke({ orgId, a, onDone }: { orgId: string; a: Application; onDone: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  return (
    <div className="coop-decide">
      <InlineForm
        open={t('coop.applications.revoke')}
        label={t('coop.applications.revoke')}
        testId="application-revoke"
        submitLabel={t('coop.applications.revokeSubmit')}
        validate={() => (reason.trim() ? null : t('coop.applications.reasonRequired'))}
        onSubmit={() => post(path`/api/orgs/${orgId}/applications/${a.id}/revoke`, { reason: reason.trim() })}
        onDone={onDone}
      >
        <p className="field-hint">{t('coop.applications.revokeHint')}</p>
        <MiniField label={t('coop.applications.reason')} value={reason} onChange={setReason} testId="application-revoke-reason" maxLength={200} />
      </InlineForm>
    </div>
  );
}

/**
 * 带货申请: a brand's (to decide), an MCN's (made for its streamers) or a streamer's own (我的带货), newest first.
 * `decideAs` is the brand's organisation when this viewer may decide.
 */
export function ApplicationList({ endpoint, view, decideAs }: { endpoint: string; view: 'brand' | 'mcn' | 'streamer'; decideAs?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [filter, setFilter] = useState<Filter>(view === 'brand' ? 'pending' : 'all');
  const state = useApi<{ applications: Application[] }>(filter === 'all' ? endpoint : `${endpoint}?status=${filter}`);
  const list = state.data?.applications ?? [];
  return (
    <div className="coop-panel" data-testid={`applications-${view}`}>
      <div className="card-head">
        <h2>{view === 'streamer' ? t('coop.applications.mine') : view === 'mcn' ? t('coop.applications.mcnTitle') : t('coop.applications.title')}</h2>
      </div>
      {view === 'streamer' ? <p className="muted">{t('coop.applications.mineIntro')}</p> : null}
      <StatusFilter value={filter} onChange={setFilter} />
      {state.status === 'error' && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty testId="applications-empty">{t('coop.applications.none')}</Empty>
      ) : (
        <ul className="coop-list" data-testid="applications" data-ready={state.status === 'ready'}>
          {list.map((a) => (
            <li key={a.id} className="coop-item" data-testid="application" data-application-id={a.id} data-offer-id={a.offerId} data-product-id={a.productId} data-status={a.status as ApplicationStatus} data-commission-bps={a.commissionBps ?? ''}>
              <div className="coop-item-head">
                <div className="coop-item-main">
                  <h3>{a.productTitle ?? a.productId}</h3>
                  <p className="muted">
                    {view === 'brand' || view === 'mcn' ? (
                      <>
                        <span data-testid="application-streamer">{t('coop.applications.streamerIs', { name: a.streamer.displayName ?? a.streamer.id })}</span> · {t('coop.applications.followers', { count: a.followers })}
                      </>
                    ) : (
                      a.brandName ?? ''
                    )}
                    {a.viaMcnOrgId ? ` · ${t('coop.applications.viaMcn')}` : ''}
                  </p>
                </div>
                <CoopStatus status={a.status} testId="application-status" />
              </div>
              <dl className="facts facts-inline">
                <dt>{t('coop.applications.appliedAt')}</dt>
                <dd>{fmt.timestamp(a.createdAt)}</dd>
                {a.status === 'approved' || a.status === 'revoked' ? (
                  <>
                    <dt>{t('coop.applications.agreedRate')}</dt>
                    <dd data-testid="application-rate-value">{bpsText(a.commissionBps)}</dd>
                  </>
                ) : null}
                {a.decidedAt ? (
                  <>
                    <dt>{t('coop.applications.decidedAt')}</dt>
                    <dd>{fmt.timestamp(a.decidedAt)}</dd>
                  </>
                ) : null}
                {a.revokedAt ? (
                  <>
                    <dt>{t('coop.applications.revokedAt')}</dt>
                    <dd data-testid="application-revoked-at">{fmt.timestamp(a.revokedAt)}</dd>
                  </>
                ) : null}
              </dl>
              {a.message ? <p className="pre-wrap coop-message">{t('coop.applications.messageSaid', { message: a.message })}</p> : null}
              {a.status === 'rejected' && a.reason ? (
                <p className="notice notice-rejected pre-wrap" data-testid="application-reject-reason">
                  {t('coop.applications.rejectedBecause', { reason: a.reason })}
                </p>
              ) : null}
              {a.status === 'revoked' ? (
                <div className="notice notice-rejected" data-testid="application-revoked">
                  <p className="pre-wrap" data-testid="application-revoked-reason">{t('coop.applications.revokedBecause', { reason: a.reason ?? '' })}</p>
                  {view === 'streamer' ? <p>{t('coop.applications.revokedNote')}</p> : null}
                </div>
              ) : null}
              {a.status === 'approved' && view === 'streamer' ? (
                <p className="notice notice-approved" data-testid="application-cart-hint">
                  {t('coop.applications.cartHint')} <Link to="/streamer?tab=overview">{t('coop.applications.toSessions')}</Link>
                </p>
              ) : null}
              {decideAs && a.status === 'pending' ? <Decide orgId={decideAs} a={a} onDone={state.reload} /> : null}
              {decideAs && a.status === 'approved' ? <Revoke orgId={decideAs} a={a} onDone={state.reload} /> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
