// /me/presales: the buyer's pre-sale orders.
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import type { PresaleOrder } from './types';
import './presale.css';

export function PresaleOrdersPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const state = useApi<{ presaleOrders: PresaleOrder[] }>('/api/me/presale-orders');
  return (
    <div className="page presale-page" data-testid="presale-orders-page">
      <header className="page-header">
        <h1>{t('presale.myOrders')}</h1>
      </header>
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={state.reload} /> : null}
      {!state.data ? <Loading /> : null}
      {state.data && !state.data.presaleOrders.length ? <Empty testId="presale-orders-empty">{t('presale.empty')}</Empty> : null}
      <ul className="presale-list">
        {state.data?.presaleOrders.map((po) => (
          <li key={po.id} className="card" data-testid="presale-order" data-status={po.status}>
            <h2>{po.presale.title}</h2>
            <p>{t(`presale.status.${po.status}`)}</p>
            <p className="muted">
              {t('presale.depositPaid', { amount: f.fen(po.depositFen) })} · {t('presale.balanceDue', { amount: f.fen(po.balanceFen) })}
            </p>
            <Link className="button" to={`/presale-orders/${encodeURIComponent(po.id)}`} data-testid="presale-order-open">
              {t('presale.open')}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
