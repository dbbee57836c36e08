// /orgs/:orgId/crossborder (desktop): the brand's cross-border products and the customs messages of paid orders.
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { pct, type CrossBorderProduct } from './types';
import './crossborder.css';

type Declaration = { orderId: string; status: string; totalFen: number; taxFen: number; paidAt: string | null; waybillPlaceholder: boolean; declaredAt: string };

export function CrossBorderConsole() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { orgId = '' } = useParams();
  const products = useApi<{ products: CrossBorderProduct[] }>(path`/api/orgs/${orgId}/crossborder/products`);
  const declarations = useApi<{ declarations: Declaration[] }>(path`/api/orgs/${orgId}/crossborder/declarations`);
  return (
    <div className="page crossborder-console" data-testid="crossborder-console">
      <header className="page-header">
        <h1>{t('crossborder.console.title')}</h1>
        <p className="muted">{t('crossborder.console.intro')}</p>
      </header>
      <section className="card">
        <h2>{t('crossborder.console.products')}</h2>
        {products.status === 'error' ? <ErrorNotice error={products.error} onRetry={products.reload} /> : null}
        {!products.data ? <Loading /> : !products.data.products.length ? <Empty>{t('crossborder.console.noProducts')}</Empty> : null}
        <ul>
          {products.data?.products.map((p) => (
            <li key={p.productId} data-testid="crossborder-product">
              {t('crossborder.origin', { country: t(`crossborder.countries.${p.originCountry as 'AU'}`, { defaultValue: p.originCountry }) })} · {t(`crossborder.mode.${p.mode}`)} ·{' '}
              {t('crossborder.taxClass', { vat: pct(p.vatRateBp), ct: pct(p.consumptionTaxRateBp), rate: pct(p.retailRateBp) })} · {t('crossborder.console.hs', { code: p.hsCode })}
              {p.indivisible ? ` · ${t('crossborder.indivisible')}` : ''}
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <h2>{t('crossborder.console.declarations')}</h2>
        {declarations.status === 'error' ? <ErrorNotice error={declarations.error} onRetry={declarations.reload} /> : null}
        {!declarations.data ? <Loading /> : !declarations.data.declarations.length ? <Empty>{t('crossborder.console.noDeclarations')}</Empty> : null}
        {declarations.data?.declarations.length ? (
          <table className="crossborder-table">
            <thead>
              <tr>
                <th>{t('crossborder.console.order')}</th>
                <th>{t('crossborder.console.status')}</th>
                <th>{t('crossborder.console.total')}</th>
                <th>{t('crossborder.console.taxCol')}</th>
                <th>{t('crossborder.console.declaredAt')}</th>
                <th>{t('crossborder.console.download')}</th>
              </tr>
            </thead>
            <tbody>
              {declarations.data.declarations.map((d) => (
                <tr key={d.orderId} data-testid="crossborder-declaration">
                  <td>{d.orderId.slice(-8)}</td>
                  <td>{t(`shop.orderStatus.${d.status as 'paid'}`, { defaultValue: d.status })}</td>
                  <td>{fmt.fen(d.totalFen)}</td>
                  <td>{fmt.fen(d.taxFen)}</td>
                  <td>{fmt.dateTime(d.declaredAt)}</td>
                  <td>
                    {(['CEB311', 'CEB411', 'CEB511'] as const).map((type) => (
                      <a key={type} className="button button-ghost button-small" href={path`/api/orgs/${orgId}/crossborder/orders/${d.orderId}/messages/${type}`} download data-testid={`crossborder-download-${type}`}>
                        {type}
                      </a>
                    ))}
                    {d.waybillPlaceholder ? <span className="muted"> ({t('crossborder.console.placeholder')})</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}
