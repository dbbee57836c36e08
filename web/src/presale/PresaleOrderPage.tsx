// /presale-orders/:id: the buyer's pre-sale order: the deposit, then the balance inside its window.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { post, type ApiError } from '../api';
import { FormError } from '../shared/Field';
import { useFormat } from '../shared/format';
import { ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import { PresaleRules } from './PresaleRules';
import type { PayAnswer, PresaleOrder } from './types';
import './presale.css';

export function PresaleOrderPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const state = useApi<{ presaleOrder: PresaleOrder }>(`/api/presale-orders/${encodeURIComponent(id)}`);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  const po = state.data.presaleOrder;

  const act = async (path: string, redirect: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await post<PayAnswer>(path, {});
      if (redirect) window.location.assign(answer.payUrl);
      else state.reload();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      if (!redirect) setBusy(false);
    }
  };
  const waiting = po.status === 'deposit_paid' && !po.balanceOpen;

  return (
    <div className="page presale-page" data-testid="presale-order-page" data-status={po.status}>
      <header className="page-header">
        <p className="eyebrow">{t('presale.orderTitle')}</p>
        <h1>{po.presale.title}</h1>
        <p className="presale-status" data-testid="presale-order-status" data-status={po.status}>{t(`presale.status.${po.status}`)}</p>
      </header>
      <section className="card presale-prices">
        <dl>
          <dt>{t('presale.depositPaid', { amount: '' })}</dt>
          <dd>
            {f.fen(po.depositFen)} · <Link to={`/orders/${encodeURIComponent(po.depositOrderId)}`}>{t('presale.viewOrder')}</Link>
          </dd>
          <dt>{t('presale.balanceDue', { amount: '' })}</dt>
          <dd data-testid="presale-order-balance">
            {f.fen(po.balanceFen)}
            {po.balanceOrderId ? (
              <>
                {' · '}
                <Link to={`/orders/${encodeURIComponent(po.balanceOrderId)}`}>{t('presale.viewOrder')}</Link>
              </>
            ) : null}
          </dd>
        </dl>
        <p className="muted">{t('presale.balanceWindow', { from: f.dateTime(po.balanceStartsAt), to: f.dateTime(po.balanceEndsAt) })}</p>
        {waiting && Date.now() < Date.parse(po.balanceStartsAt) ? <p className="muted" data-testid="presale-balance-not-yet">{t('presale.balanceNotYet', { from: f.dateTime(po.balanceStartsAt) })}</p> : null}
        {waiting && Date.now() >= Date.parse(po.balanceEndsAt) ? <p className="muted">{t('presale.balanceClosed')}</p> : null}
        <FormError error={error} />
        {po.balanceOpen ? (
          <button type="button" className="button" disabled={busy} onClick={() => void act(`/api/presale-orders/${encodeURIComponent(po.id)}/balance`, true)} data-testid="presale-pay-balance">
            {t('presale.payBalance', { amount: f.fen(po.balanceFen) })}
          </button>
        ) : null}
        {po.status === 'deposit_paid' ? (
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => void act(`/api/presale-orders/${encodeURIComponent(po.id)}/deposit-refund`, false)} data-testid="presale-refund-deposit">
            {t('presale.refundDeposit')}
          </button>
        ) : null}
      </section>
      <PresaleRules presale={po.presale} />
    </div>
  );
}
