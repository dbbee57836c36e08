// /orgs/:orgId/b2b (desktop): the seller's requests for quotation (answered with a quote) and leads (留资).
import { useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path, post, type ApiError } from '../api';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import type { Lead, Rfq } from './types';
import './b2b.css';

export function B2bConsole() {
  const { orgId = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const rfqs = useApi<{ rfqs: Rfq[] }>(path`/api/orgs/${orgId}/b2b/rfqs`);
  const leads = useApi<{ leads: Lead[] }>(path`/api/orgs/${orgId}/b2b/leads`);
  const [prices, setPrices] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  async function quote(rfqId: string) {
    setError(null);
    try {
      await post(path`/api/orgs/${orgId}/b2b/rfqs/${rfqId}/quote`, { unitPriceFen: Math.round(Number(prices[rfqId] ?? '0') * 100) });
      rfqs.reload();
    } catch (err) {
      setError(toApiError(err));
    }
  }
  return (
    <div className="page b2b-console" data-testid="b2b-console">
      <header className="page-header"><h1>{t('b2b.console.title')}</h1></header>
      <ErrorNotice error={error ?? rfqs.error ?? leads.error} />
      <section className="card">
        <h2>{t('b2b.console.rfqs')}</h2>
        {!rfqs.data ? <Loading /> : !rfqs.data.rfqs.length ? <Empty>{t('b2b.console.noRfqs')}</Empty> : (
          <table>
            <tbody>
              {rfqs.data.rfqs.map((r) => (
                <tr key={r.id} data-testid="b2b-rfq">
                  <td>{r.productTitle}</td>
                  <td>{r.quantity}</td>
                  <td>{r.targetPriceFen !== null ? t('b2b.console.target', { price: fmt.fen(r.targetPriceFen) }) : ''}{r.note ? ` · ${r.note}` : ''}</td>
                  <td>{t(`b2b.console.status.${r.status}`)}{r.quote ? ` · ${t('b2b.console.quoted', { price: fmt.fen(r.quote.unitPriceFen), until: fmt.date(r.quote.validUntil) })}` : ''}</td>
                  <td>
                    {r.status === 'open' ? (
                      <span className="b2b-row">
                        <input aria-label={t('b2b.console.quotePrice')} inputMode="decimal" value={prices[r.id] ?? ''} onChange={(e) => setPrices({ ...prices, [r.id]: e.target.value })} />
                        <button className="button button-secondary" onClick={() => void quote(r.id)}>{t('b2b.console.send')}</button>
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <h2>{t('b2b.console.leads')}</h2>
        {!leads.data ? <Loading /> : !leads.data.leads.length ? <Empty>{t('b2b.console.noLeads')}</Empty> : (
          <table>
            <tbody>
              {leads.data.leads.map((l) => (
                <tr key={l.id} data-testid="b2b-lead">
                  <td>{fmt.dateTime(l.createdAt)}</td>
                  <td>{l.name}</td>
                  <td>{l.contact}</td>
                  <td>{l.company}</td>
                  <td>{l.need}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
