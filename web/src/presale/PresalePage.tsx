// /presales/:id: a pre-sale's prices, windows and rules; the buyer accepts the rules, then pays the deposit.
import { useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { post, type ApiError } from '../api';
import { useSession } from '../session';
import { FormError } from '../shared/Field';
import { useFormat } from '../shared/format';
import { ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import { PresaleRules } from './PresaleRules';
import type { PayAnswer, Presale } from './types';
import './presale.css';

export function PresalePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const session = useSession();
  const state = useApi<{ presale: Presale }>(`/api/presales/${encodeURIComponent(id)}`);
  const [accepted, setAccepted] = useState(false);
  const [quantity, setQuantity] = useState(1);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  const p = state.data.presale;
  const now = Date.now();
  const blocked =
    p.status === 'cancelled' ? t('presale.cancelled') : p.status !== 'open' || now >= Date.parse(p.depositEndsAt) ? t('presale.closed') : p.remaining <= 0 ? t('presale.soldOut') : now < Date.parse(p.depositStartsAt) ? t('presale.notOpen') : null;

  const pay = async () => {
    if (!session.user) {
      window.location.assign(`/login?next=${encodeURIComponent(`/presales/${p.id}`)}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await post<PayAnswer>(`/api/presales/${encodeURIComponent(p.id)}/deposits`, { quantity, acceptRules: accepted });
      window.location.assign(answer.payUrl);
    } catch (e) {
      setError(toApiError(e));
      setBusy(false);
    }
  };

  return (
    <div className="page presale-page" data-testid="presale-page" data-presale-id={p.id}>
      <header className="page-header">
        <p className="eyebrow">{t('presale.eyebrow')}</p>
        <h1>{p.title}</h1>
      </header>
      {p.image ? <img className="presale-image" src={p.image} alt="" /> : null}
      <section className="card presale-prices" data-testid="presale-prices">
        <p className="presale-expansion" data-testid="presale-expansion">{t('presale.expansion', { deposit: f.fen(p.depositFen), expansion: f.fen(p.expansionFen) })}</p>
        <dl>
          <dt>{t('presale.deposit')}</dt>
          <dd data-testid="presale-deposit">{f.fen(p.depositFen)}</dd>
          <dt>{t('presale.balance')}</dt>
          <dd data-testid="presale-balance">{f.fen(p.balanceFen)}</dd>
          <dt>{t('presale.finalPrice')}</dt>
          <dd>{f.fen(p.finalPriceFen)}</dd>
        </dl>
        {p.originalPriceFen ? <p className="muted">{t('presale.listPrice', { price: f.fen(p.originalPriceFen) })}</p> : null}
        <p className="muted">{t('presale.depositWindow', { from: f.dateTime(p.depositStartsAt), to: f.dateTime(p.depositEndsAt) })}</p>
        <p className="muted">{t('presale.balanceWindow', { from: f.dateTime(p.balanceStartsAt), to: f.dateTime(p.balanceEndsAt) })}</p>
        <p className="muted">{t('presale.left', { n: p.remaining, limit: p.perBuyerLimit })}</p>
      </section>
      <PresaleRules presale={p} />
      {blocked ? (
        <p className="presale-blocked" data-testid="presale-blocked">{blocked}</p>
      ) : (
        <section className="card presale-checkout">
          <label className="presale-accept">
            <input type="checkbox" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} data-testid="presale-accept" />
            <span>{t('presale.accept')}</span>
          </label>
          <label className="presale-quantity">
            <span>{t('presale.quantity')}</span>
            <input type="number" min={1} max={p.perBuyerLimit} value={quantity} onChange={(e) => setQuantity(Math.max(1, Math.min(p.perBuyerLimit, Number(e.target.value) || 1)))} data-testid="presale-quantity" />
          </label>
          <FormError error={error} />
          <button type="button" className="button" disabled={!accepted || busy} onClick={() => void pay()} data-testid="presale-pay-deposit">
            {t('presale.payDeposit', { amount: f.fen(p.depositFen * quantity) })}
          </button>
        </section>
      )}
    </div>
  );
}
