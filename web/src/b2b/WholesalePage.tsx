// /b2b/products/:productId (phone first): a wholesale product. The tiers, the sample price, ordering and
// requests for quotation appear only once the buyer's business licence is approved (the server sends
// no prices before). ?sessionId=… (opened from a factory live) adds the lead form (留资).
import { useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path, post, type ApiError } from '../api';
import { useSession } from '../session';
import { useFormat } from '../shared/format';
import { ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import { LeadForm } from './LeadForm';
import { LicenceForm } from './LicenceForm';
import { specText, tierPrice, type Licence, type Rfq, type WholesaleView } from './types';
import './b2b.css';

export function WholesalePage() {
  const { productId = '' } = useParams();
  const [params] = useSearchParams();
  const sessionId = params.get('sessionId');
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const navigate = useNavigate();
  const view = useApi<WholesaleView>(path`/api/b2b/products/${productId}`);
  const licence = useApi<{ licence: Licence | null }>(user ? '/api/b2b/licences/me' : null);
  const [skuId, setSkuId] = useState('');
  const [quantity, setQuantity] = useState(0);
  const [rfq, setRfq] = useState({ quantity: '', target: '', note: '' });
  const [rfqSent, setRfqSent] = useState<Rfq | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  if (view.status === 'error') return <div className="page"><ErrorNotice error={view.error} onRetry={view.reload} /></div>;
  if (!view.data) return <Loading />;
  const { product, qualified } = view.data;
  const sku = product.skus.find((s) => s.id === skuId) ?? product.skus[0]!;
  const qty = quantity || product.moq;
  const tiers = product.tiers;
  const unit = tiers ? tierPrice(tiers, qty) : null;
  const run = async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(toApiError(err));
    }
  };
  const l = licence.data?.licence;
  return (
    <div className="page b2b-page" data-testid="b2b-product" data-qualified={qualified ? 'yes' : 'no'}>
      <header className="page-header">
        <p><span className="b2b-badge">{t('b2b.badge')}</span>{product.brand.name}</p>
        <h1>{product.title}</h1>
        <p className="muted">{product.description}</p>
      </header>
      <section className="card">
        <ul>
          {product.skus.map((s) => (
            <li key={s.id}>{specText(s.spec)} · {t('b2b.retail', { price: fmt.fen(s.suggestedRetailFen) })}</li>
          ))}
        </ul>
        <p data-testid="b2b-moq">{t('b2b.moq', { count: product.moq })}</p>
        {tiers ? (
          <table className="b2b-tiers" data-testid="b2b-tiers">
            <caption>{t('b2b.tiers')}</caption>
            <tbody>
              {tiers.map((tier, i) => (
                <tr key={tier.minQty} data-testid="b2b-tier">
                  <td>{tiers[i + 1] ? t('b2b.tierRange', { from: tier.minQty, to: tiers[i + 1]!.minQty - 1 }) : t('b2b.tier', { from: tier.minQty })}</td>
                  <td>{t('b2b.unit', { price: fmt.fen(tier.unitPriceFen) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="b2b-locked" role="note" data-testid="b2b-locked">
            {!user ? t('b2b.loginToSee') : l?.status === 'pending' ? t('b2b.pending', { company: l.companyName }) : l?.status === 'rejected' ? t('b2b.rejected', { reason: l.reason ?? '' }) : t('b2b.locked')}
          </p>
        )}
      </section>
      {user && !qualified && licence.data && (!l || l.status === 'rejected') ? <LicenceForm onDone={() => { licence.reload(); view.reload(); }} /> : null}
      {tiers && unit !== null ? (
        <section className="card" data-testid="b2b-order">
          <h2>{t('b2b.order.title')}</h2>
          <div className="b2b-row">
            <label>{t('b2b.order.sku')}
              <select value={sku.id} onChange={(e) => setSkuId(e.target.value)}>
                {product.skus.map((s) => <option key={s.id} value={s.id}>{specText(s.spec)}</option>)}
              </select>
            </label>
            <label>{t('b2b.order.quantity')}
              <input type="number" min={product.moq} value={qty} onChange={(e) => setQuantity(Number(e.target.value))} data-testid="b2b-quantity" />
            </label>
          </div>
          <p data-testid="b2b-unit">{t('b2b.order.unitAt', { count: qty, price: fmt.fen(unit), total: fmt.fen(unit * qty) })}</p>
          <button className="button" data-testid="b2b-place" onClick={() => run(async () => {
            const { order } = await post<{ order: { id: string } }>('/api/orders', { items: [{ productId, skuId: sku.id, quantity: qty }] });
            void navigate(`/orders/${order.id}`);
          })}>{t('b2b.order.place')}</button>
          {product.samples?.priceFen !== undefined ? (
            <p>
              {t('b2b.sample.price', { price: fmt.fen(product.samples.priceFen), limit: product.samples.limit })}{' '}
              <button className="button button-secondary" data-testid="b2b-sample" onClick={() => run(async () => {
                const { order } = await post<{ order: { id: string } }>(path`/api/b2b/products/${productId}/samples`, { skuId: sku.id, quantity: 1 });
                void navigate(`/orders/${order.id}`);
              })}>{t('b2b.sample.request')}</button>
            </p>
          ) : null}
          <h3>{t('b2b.rfq.title')}</h3>
          {rfqSent ? <p role="status" data-testid="b2b-rfq-sent">{t('b2b.rfq.sent')}</p> : (
            <div className="b2b-row">
              <label>{t('b2b.rfq.quantity')}<input type="number" min={product.moq} value={rfq.quantity} onChange={(e) => setRfq({ ...rfq, quantity: e.target.value })} /></label>
              <label>{t('b2b.rfq.target')}<input inputMode="decimal" value={rfq.target} onChange={(e) => setRfq({ ...rfq, target: e.target.value })} /></label>
              <label>{t('b2b.rfq.note')}<input value={rfq.note} maxLength={500} onChange={(e) => setRfq({ ...rfq, note: e.target.value })} /></label>
              <button className="button button-secondary" onClick={() => run(async () => {
                const target = rfq.target ? Math.round(Number(rfq.target) * 100) : undefined;
                const res = await post<{ rfq: Rfq }>(path`/api/b2b/products/${productId}/rfqs`, { skuId: sku.id, quantity: Number(rfq.quantity), targetPriceFen: target, note: rfq.note });
                setRfqSent(res.rfq);
              })}>{t('b2b.rfq.send')}</button>
            </div>
          )}
        </section>
      ) : null}
      <ErrorNotice error={error} />
      {user && sessionId ? <LeadForm sessionId={sessionId} productId={productId} /> : null}
    </div>
  );
}
