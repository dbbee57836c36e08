// /b2b/rfqs: the buyer's requests for quotation; a quoted one is accepted into an order at the quoted price.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path, post, type ApiError } from '../api';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import type { Rfq } from './types';
import './b2b.css';

export function MyRfqsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const rfqs = useApi<{ rfqs: Rfq[] }>('/api/b2b/rfqs');
  const [error, setError] = useState<ApiError | null>(null);
  async function accept(id: string) {
    setError(null);
    try {
      const { order } = await post<{ order: { id: string } }>(path`/api/b2b/rfqs/${id}/accept`, {});
      void navigate(`/orders/${order.id}`);
    } catch (err) {
      setError(toApiError(err));
    }
  }
  return (
    <div className="page b2b-page" data-testid="b2b-my-rfqs">
      <header className="page-header"><h1>{t('b2b.myRfqs.title')}</h1></header>
      <ErrorNotice error={error ?? rfqs.error} />
      {!rfqs.data ? <Loading /> : !rfqs.data.rfqs.length ? <Empty>{t('b2b.myRfqs.none')}</Empty> : (
        <ul>
          {rfqs.data.rfqs.map((r) => (
            <li key={r.id} className="card">
              <strong>{r.productTitle}</strong> × {r.quantity} · {t(`b2b.console.status.${r.status}`)}
              {r.quote ? <p>{t('b2b.console.quoted', { price: fmt.fen(r.quote.unitPriceFen), until: fmt.date(r.quote.validUntil) })}</p> : null}
              {r.status === 'quoted' ? <button className="button" onClick={() => void accept(r.id)}>{t('b2b.myRfqs.accept')}</button> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
