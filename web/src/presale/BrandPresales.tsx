// /orgs/:orgId/presales: a brand's pre-sales (desktop): the form, and each pre-sale with its units by state and a cancel.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path, post, type ApiError } from '../api';
import { FormError } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import { PresaleForm } from './PresaleForm';
import type { Presale } from './types';
import './presale.css';

type Row = Presale & { units: Partial<Record<string, number>> };

export function BrandPresales() {
  const { orgId = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const state = useApi<{ presales: Row[] }>(path`/api/orgs/${orgId}/presales`);
  const [error, setError] = useState<ApiError | null>(null);
  const cancel = async (id: string) => {
    if (!window.confirm(t('presale.brand.confirmCancel'))) return;
    setError(null);
    try {
      await post(path`/api/orgs/${orgId}/presales/${id}/cancel`, {});
      state.reload();
    } catch (e) {
      setError(toApiError(e));
    }
  };
  const u = (r: Row, ...keys: string[]) => keys.reduce((s, k) => s + (r.units[k] ?? 0), 0);
  return (
    <div className="page presale-console" data-testid="presale-console">
      <header className="page-header">
        <h1>{t('presale.brand.title')}</h1>
        <p className="muted">{t('presale.brand.intro')}</p>
      </header>
      <div className="presale-console-grid">
        <PresaleForm orgId={orgId} onCreated={state.reload} />
        <section>
          <h2>{t('presale.brand.list')}</h2>
          {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={state.reload} /> : null}
          {!state.data ? <Loading /> : null}
          {state.data && !state.data.presales.length ? <Empty>{t('presale.brand.empty')}</Empty> : null}
          <FormError error={error} />
          <ul className="presale-list">
            {state.data?.presales.map((r) => (
              <li key={r.id} className="card" data-testid="presale-row" data-status={r.status}>
                <h3>{r.title}</h3>
                <p>
                  {t(`presale.brand.status.${r.status}`)} · {t('presale.expansion', { deposit: f.fen(r.depositFen), expansion: f.fen(r.expansionFen) })} · {t('presale.finalPrice')} {f.fen(r.finalPriceFen)}
                </p>
                <p className="muted">{t('presale.depositWindow', { from: f.dateTime(r.depositStartsAt), to: f.dateTime(r.depositEndsAt) })}</p>
                <p className="muted">{t('presale.balanceWindow', { from: f.dateTime(r.balanceStartsAt), to: f.dateTime(r.balanceEndsAt) })}</p>
                <p>{t('presale.brand.units', { deposits: t('presale.brand.deposits', { count: u(r, 'deposit_paid', 'balance_paid', 'completed', 'closed_unpaid') }), balances: t('presale.brand.balancesPaid', { count: u(r, 'balance_paid', 'completed') }), kept: t('presale.brand.depositsKept', { count: u(r, 'closed_unpaid') }) })}</p>
                <Link to={`/presales/${encodeURIComponent(r.id)}`}>{t('presale.brand.page')}</Link>
                {r.status !== 'cancelled' ? (
                  <button type="button" className="button button-secondary" onClick={() => void cancel(r.id)} data-testid="presale-cancel">
                    {t('presale.brand.cancel')}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
