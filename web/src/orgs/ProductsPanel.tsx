import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useFormat } from '../shared/format';
import { label } from '../shared/labels';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { listFrom, pick, useApi } from '../shared/useApi';
import { ReturnPolicyNote } from '../shop/parts';
import { ProductForm } from './ProductForm';

type Sku = { id: string; spec?: Record<string, string> | string | null; priceFen?: number; stock?: number };
type Product = {
  id: string;
  title?: string;
  name?: string;
  description?: string;
  category?: string;
  images?: string[];
  status?: string;
  returnPolicy?: string;
  skus?: Sku[];
};

/** "颜色: 红 / 尺码: L" from a SKU's spec object. */
function specText(spec: Sku['spec']): string {
  if (!spec) return '';
  if (typeof spec === 'string') return spec;
  return Object.entries(spec)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' / ');
}

function safeImage(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  return /^https?:\/\//i.test(url) ? url : null;
}

/** Brand → its products, each with SKUs and prices (integer fen). */
export function ProductsPanel({ orgId, canEdit = false }: { orgId: string; canEdit?: boolean }) {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const state = useApi<{ products: Product[] }>(path`/api/orgs/${orgId}/products`);
  return (
    <>
      {canEdit ? (
        creating ? (
          <ProductForm
            orgId={orgId}
            onCancel={() => setCreating(false)}
            onCreated={() => {
              setCreating(false);
              state.reload();
            }}
          />
        ) : (
          <div className="panel-toolbar">
            <button type="button" className="button button-small" data-testid="product-create-open" onClick={() => setCreating(true)}>
              + {t('shop.productForm.title')}
            </button>
          </div>
        )
      ) : null}
      <ProductList state={state} />
    </>
  );
}

function ProductList({ state }: { state: ReturnType<typeof useApi<{ products: Product[] }>> }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const products = listFrom<Product>(state.data, 'products');

  if (state.status === 'error' && state.data === undefined) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  if (products.length === 0) return <Empty testId="products-empty">{t('orgs.products.empty')}</Empty>;

  return (
    <div className="product-list" data-testid="products">
      {products.map((p) => {
        const skus = Array.isArray(p.skus) ? p.skus : [];
        const image = safeImage(p.images?.[0]);
        const prices = skus.map((s) => s.priceFen).filter((n): n is number => typeof n === 'number');
        return (
          <article key={p.id} className="card product-card" data-testid="product" data-product-id={p.id}>
            <header className="product-head">
              {image ? <img className="product-thumb" src={image} alt="" loading="lazy" referrerPolicy="no-referrer" /> : null}
              <div className="product-info">
                <h3>{p.title ?? p.name ?? p.id}</h3>
                <p className="muted product-meta">
                  {p.category ? <span className="tag tag-muted">{p.category}</span> : null}
                  {p.returnPolicy ? <ReturnPolicyNote policy={p.returnPolicy} /> : null}
                  {prices.length ? (
                    <span className="price">
                      {Math.min(...prices) === Math.max(...prices)
                        ? fmt.fen(prices[0] ?? 0)
                        : t('orgs.products.priceRange', { min: fmt.fen(Math.min(...prices)), max: fmt.fen(Math.max(...prices)) })}
                    </span>
                  ) : null}
                </p>
              </div>
              {p.status ? <StatusBadge status={p.status}>{label(t, 'status', p.status)}</StatusBadge> : null}
            </header>
            {p.description ? <p className="muted">{p.description}</p> : null}
            {skus.length === 0 ? (
              <Empty>{t('orgs.products.noSkus')}</Empty>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('orgs.products.sku')}</th>
                      <th scope="col" className="num">
                        {t('orgs.products.price')}
                      </th>
                      <th scope="col" className="num">
                        {t('orgs.products.stock')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {skus.map((s, j) => (
                      <tr key={s.id ?? j} data-testid="sku" data-sku-id={s.id}>
                        <td>{specText(s.spec) || (pick(s, 'name', 'title') ?? '—')}</td>
                        <td className="num" data-testid="sku-price">
                          {typeof s.priceFen === 'number' ? fmt.fen(s.priceFen) : '—'}
                        </td>
                        <td className="num">{typeof s.stock === 'number' ? s.stock : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </article>
        );
      })}
    </div>
  );
}
