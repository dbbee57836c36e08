import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import type { LiveSessionSummary } from '../types';
import { useAction, yuanToFen } from '../shop/parts';
import { bpsText, coopLabel, CoopStatus, InlineForm, MiniField, percentToBps, StepButton } from './parts';
import type { SlotFee } from './types';
import './cooperation.css';

/**
 * 提议坑位费: a fixed fee for one product in one live, with the GMV clause (below the target, the refund share goes
 * back to the brand). Yuan and percent typed, fen and basis points sent.
 */
function ProposeForm({ side, orgId, onDone }: { side: 'brand' | 'streamer'; orgId?: string; onDone: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const sessions = useApi<{ sessions: LiveSessionSummary[] }>(side === 'brand' ? '/api/live-sessions?status=live,scheduled' : '/api/streamer/live-sessions');
  const open = (sessions.data?.sessions ?? []).filter((s) => s.status === 'scheduled' || s.status === 'live');
  const [sessionId, setSessionId] = useState('');
  const chosen = sessionId || open[0]?.id || '';
  const products = useApi<unknown>(side === 'brand' ? (orgId ? path`/api/orgs/${orgId}/products` : null) : chosen ? path`/api/rooms/${chosen}/catalogue` : null);
  const productList = listFrom<{ id: string; title: string }>(products.data, 'products');
  const [productId, setProductId] = useState('');
  const [fee, setFee] = useState('');
  const [target, setTarget] = useState('');
  const [refund, setRefund] = useState('50');
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const feeFen = yuanToFen(fee);
    const gmvTargetFen = yuanToFen(target || '0');
    const refundBps = percentToBps(refund || '0');
    if (feeFen === null || feeFen <= 0 || gmvTargetFen === null) return action.fail(t('coop.slotFees.badAmount'));
    if (refundBps === null) return action.fail(t('coop.slotFees.badRefund'));
    const pid = productId || productList[0]?.id;
    if (!chosen || !pid) return action.fail(t('coop.slotFees.pickBoth'));
    const body = { sessionId: chosen, productId: pid, feeFen, gmvTargetFen, refundBps };
    const res = await action.run(() => (side === 'brand' ? post(path`/api/orgs/${orgId!}/slot-fees`, body) : post('/api/me/cooperation/slot-fees', body)), t('coop.slotFees.proposed'));
    if (res !== undefined) onDone();
  };

  return (
    <form className="coop-form" data-testid="slot-fee-form" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('coop.slotFees.propose')}</h3>
      <div className="coop-form-grid">
        <div className="field">
          <label htmlFor={`${id}-session`}>{t('coop.slotFees.session')}</label>
          <select id={`${id}-session`} data-testid="slot-fee-session" value={chosen} onChange={(e) => setSessionId(e.target.value)}>
            {open.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
                {side === 'brand' ? ` · ${s.streamer.displayName}` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-product`}>{t('coop.slotFees.product')}</label>
          <select id={`${id}-product`} data-testid="slot-fee-product" value={productId || productList[0]?.id || ''} onChange={(e) => setProductId(e.target.value)}>
            {productList.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </div>
        <MiniField label={t('coop.slotFees.fee')} value={fee} onChange={setFee} testId="slot-fee-fee" inputMode="decimal" maxLength={12} placeholder="0.00" />
        <MiniField label={t('coop.slotFees.target')} value={target} onChange={setTarget} testId="slot-fee-target" inputMode="decimal" maxLength={12} placeholder="0.00" />
        <MiniField label={t('coop.slotFees.refundShare')} value={refund} onChange={setRefund} testId="slot-fee-refund" inputMode="decimal" maxLength={6} />
      </div>
      <p className="field-hint">{t('coop.slotFees.clause')}</p>
      <button type="submit" className="button button-small" data-testid="slot-fee-submit" disabled={action.busy}>
        {action.busy ? t('common.submitting') : t('coop.slotFees.proposeSubmit')}
      </button>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </form>
  );
}

function RejectFee({ url, onDone }: { url: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  return (
    <InlineForm open={t('coop.slotFees.reject')} label={t('coop.slotFees.reject')} testId="slot-fee-reject" submitLabel={t('coop.slotFees.rejectSubmit')} onSubmit={() => post(url, reason.trim() ? { reason: reason.trim() } : {})} onDone={onDone}>
      <MiniField label={t('coop.applications.reason')} value={reason} onChange={setReason} testId="slot-fee-reason" />
    </InlineForm>
  );
}

/** 坑位费: a brand's or a streamer's (or read by an MCN), with the steps this side may take. */
export function SlotFeeList({ endpoint, view, brandOrgId }: { endpoint: string; view: 'brand' | 'mcn' | 'streamer'; brandOrgId?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ slotFees: SlotFee[] }>(endpoint);
  const [proposing, setProposing] = useState(false);
  const list = state.data?.slotFees ?? [];
  const side = view === 'brand' ? 'brand' : 'streamer';
  const base = (f: SlotFee) => (view === 'brand' ? path`/api/orgs/${brandOrgId ?? ''}/slot-fees/${f.id}` : path`/api/me/cooperation/slot-fees/${f.id}`);
  const mayAct = view === 'streamer' || (view === 'brand' && !!brandOrgId);
  return (
    <div className="coop-panel" data-testid={`slot-fees-${view}`}>
      <div className="card-head">
        <h2>{t('coop.slotFees.title')}</h2>
        {mayAct && !proposing ? (
          <button type="button" className="button button-small" data-testid="slot-fee-new" onClick={() => setProposing(true)}>
            + {t('coop.slotFees.propose')}
          </button>
        ) : null}
      </div>
      <p className="muted">{t('coop.slotFees.intro')}</p>
      {proposing ? (
        <ProposeForm
          side={side}
          orgId={brandOrgId}
          onDone={() => {
            setProposing(false);
            state.reload();
          }}
        />
      ) : null}
      {state.status === 'error' && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty testId="slot-fees-empty">{t('coop.slotFees.none')}</Empty>
      ) : (
        <ul className="coop-list" data-testid="slot-fees">
          {list.map((f) => {
            const theirs = f.proposedBy !== side;
            return (
              <li key={f.id} className="coop-item" data-testid="slot-fee" data-slot-fee-id={f.id} data-status={f.status} data-fen={f.feeFen}>
                <div className="coop-item-head">
                  <div className="coop-item-main">
                    <h3>{f.productTitle ?? f.productId}</h3>
                    <p className="muted">
                      {f.sessionTitle ?? f.sessionId}
                      {view !== 'streamer' ? ` · ${f.streamer.displayName ?? f.streamer.id}` : ''} · {coopLabel(t, 'proposedBy', f.proposedBy)}
                    </p>
                  </div>
                  <CoopStatus status={f.status} testId="slot-fee-status" />
                </div>
                <dl className="facts facts-inline">
                  <dt>{t('coop.slotFees.feeLabel')}</dt>
                  <dd data-testid="slot-fee-amount">{fmt.fen(f.feeFen)}</dd>
                  <dt>{t('coop.slotFees.targetLabel')}</dt>
                  <dd>{fmt.fen(f.gmvTargetFen)}</dd>
                  <dt>{t('coop.slotFees.refundLabel')}</dt>
                  <dd>{bpsText(f.refundBps)}</dd>
                  {f.status === 'accepted' || f.status === 'settled' ? (
                    <>
                      <dt>{t('coop.slotFees.mcnSplit')}</dt>
                      <dd>{f.mcnOrgId ? bpsText(f.mcnSplitBps) : '—'}</dd>
                    </>
                  ) : null}
                  {f.status === 'settled' ? (
                    <>
                      <dt>{t('coop.slotFees.gmv')}</dt>
                      <dd>{fmt.fen(f.gmvFen ?? 0)}</dd>
                      <dt>{t('coop.slotFees.refunded')}</dt>
                      <dd data-testid="slot-fee-refunded">{fmt.fen(f.refundFen ?? 0)}</dd>
                    </>
                  ) : null}
                </dl>
                {f.reason ? <p className="notice notice-rejected pre-wrap">{t('coop.applications.rejectedBecause', { reason: f.reason })}</p> : null}
                {mayAct && f.status === 'proposed' ? (
                  <div className="button-row">
                    {theirs ? <StepButton label={t('coop.slotFees.accept')} testId="slot-fee-accept" tone="primary" run={() => post(`${base(f)}/accept`)} onDone={state.reload} /> : <span className="muted">{t('coop.slotFees.waiting')}</span>}
                    <RejectFee url={`${base(f)}/reject`} onDone={state.reload} />
                  </div>
                ) : null}
                {view === 'brand' && brandOrgId && f.status === 'accepted' ? <StepButton label={t('coop.slotFees.settle')} testId="slot-fee-settle" run={() => post(`${base(f)}/settle`)} onDone={state.reload} /> : null}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
