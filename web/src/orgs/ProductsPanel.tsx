import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { patch, path } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { label } from '../shared/labels';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { listFrom, objectFrom, pick, useApi } from '../shared/useApi';
import { fenToYuanInput, ReturnPolicyNote, useAction, yuanToFen } from '../shop/parts';
import { ProductPictures } from '../pictures/ProductPictures';
import { thumbnailUrl } from '../pictures/urls';
import type { ReturnPolicy } from '../shop/types';
import { POLICIES, ProductFields, ProductForm, type ProductFieldValues } from './ProductForm';

type Sku = { id: string; spec?: Record<string, string> | string | null; priceFen?: number; stock?: number };
/** The server's bounds (server/catalog/schema.ts). */
const MAX_PRICE_FEN = 1_000_000_000;
const MAX_STOCK = 10_000_000;

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
  const [notice, setNotice] = useState<string | null>(null);
  const state = useApi<{ products: Product[] }>(path`/api/orgs/${orgId}/products`);
  return (
    <>
      {canEdit ? (
        creating ? (
          <ProductForm
            orgId={orgId}
            onCancel={() => setCreating(false)}
            onCreated={(message) => {
              setCreating(false);
              setNotice(message ?? null);
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
      {notice ? (
        <div className="form-error" role="alert" data-testid="product-pictures-notice">
          <p>{notice}</p>
        </div>
      ) : null}
      <ProductList orgId={orgId} canEdit={canEdit} state={state} />
    </>
  );
}

type ProductsState = ReturnType<typeof useApi<{ products: Product[] }>>;

function ProductList({ orgId, canEdit, state }: { orgId: string; canEdit: boolean; state: ProductsState }) {
  const { t } = useTranslation();
  // A PATCH answers with the whole product: show it at once, until the next fetch of the list replaces it.
  const [updates, setUpdates] = useState<{ base: unknown; byId: Record<string, Product> }>({ base: undefined, byId: {} });
  const updated = updates.base === state.data ? updates.byId : {};
  const products = listFrom<Product>(state.data, 'products').map((p) => updated[p.id] ?? p);
  const onSaved = (res: unknown) => {
    const product = objectFrom<Product>(res, 'product');
    if (product && typeof product.id === 'string') {
      setUpdates((u) => ({ base: state.data, byId: { ...(u.base === state.data ? u.byId : {}), [product.id]: product } }));
    } else {
      state.reload();
    }
  };

  if (state.status === 'error' && state.data === undefined) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  if (products.length === 0) return <Empty testId="products-empty">{t('orgs.products.empty')}</Empty>;

  return (
    <div className="product-list" data-testid="products">
      {products.map((p) => (
        <ProductCard key={p.id} orgId={orgId} product={p} canEdit={canEdit} onSaved={onSaved} />
      ))}
    </div>
  );
}

function ProductCard({ orgId, product: p, canEdit, onSaved }: { orgId: string; product: Product; canEdit: boolean; onSaved: (res: unknown) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const action = useAction();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const skus = Array.isArray(p.skus) ? p.skus : [];
  const image = safeImage(p.images?.[0] ? thumbnailUrl(p.images[0]) : null);
  const prices = skus.map((s) => s.priceFen).filter((n): n is number => typeof n === 'number');
  const canToggle = canEdit && (p.status === 'on_sale' || p.status === 'off_sale');

  const toggleStatus = () => {
    const status = p.status === 'on_sale' ? 'off_sale' : 'on_sale';
    setSaved(false);
    void action.run(() => patch(path`/api/orgs/${orgId}/products/${p.id}`, { status })).then((res) => {
      if (res !== undefined) onSaved(res);
    });
  };

  return (
    <article className="card product-card" data-testid="product" data-product-id={p.id} data-status={p.status}>
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
        <div className="product-side">
          {p.status ? <StatusBadge status={p.status}>{label(t, 'status', p.status)}</StatusBadge> : null}
          {canEdit ? (
            <div className="button-row product-actions">
              {canToggle ? (
                <button
                  type="button"
                  className={`button button-small ${p.status === 'on_sale' ? 'button-ghost' : ''}`}
                  data-testid="product-status-toggle"
                  disabled={action.busy}
                  onClick={toggleStatus}
                >
                  {p.status === 'on_sale' ? t('orgs.products.takeOffSale') : t('orgs.products.putOnSale')}
                </button>
              ) : null}
              {!editing ? (
                <button
                  type="button"
                  className="button button-ghost button-small"
                  data-testid="product-edit-open"
                  onClick={() => {
                    action.clear();
                    setSaved(false);
                    setEditing(true);
                  }}
                >
                  {t('orgs.products.edit')}
                </button>
              ) : null}
            </div>
          ) : null}
        </div>
      </header>
      <FormError error={action.error} />
      {saved ? <FormSuccess>{t('orgs.products.saved')}</FormSuccess> : null}
      <ProductPictures orgId={orgId} productId={p.id} title={p.title ?? p.name ?? ''} images={Array.isArray(p.images) ? p.images : []} canEdit={canEdit} onChanged={onSaved} />
      {editing ? (
        <ProductEditForm
          orgId={orgId}
          product={p}
          onCancel={() => setEditing(false)}
          onSaved={(res) => {
            setEditing(false);
            setSaved(true);
            onSaved(res);
          }}
        />
      ) : p.description ? (
        <p className="muted">{p.description}</p>
      ) : null}
      {skus.length === 0 ? (
        <Empty>{t('orgs.products.noSkus')}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="sku-table">
            <thead>
              <tr>
                <th scope="col">{t('orgs.products.sku')}</th>
                <th scope="col" className="num">
                  {t('orgs.products.price')}
                </th>
                <th scope="col" className="num">
                  {t('orgs.products.stock')}
                </th>
                {canEdit ? (
                  <th scope="col" className="actions">
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {skus.map((s, j) => (
                <SkuRow key={s.id ?? j} orgId={orgId} productId={p.id} sku={s} canEdit={canEdit} onSaved={onSaved} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

/** 编辑商品: title, category, return policy and description (the fields the create form has, minus images and SKUs). */
function ProductEditForm({ orgId, product: p, onSaved, onCancel }: { orgId: string; product: Product; onSaved: (res: unknown) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [fields, setFields] = useState<ProductFieldValues>(() => ({
    title: p.title ?? p.name ?? '',
    category: p.category ?? '',
    description: p.description ?? '',
    policy: POLICIES.includes(p.returnPolicy as ReturnPolicy) ? (p.returnPolicy as ReturnPolicy) : 'standard',
  }));
  const setField = (patch: Partial<ProductFieldValues>) => setFields((f) => ({ ...f, ...patch }));
  const { title, category, description, policy } = fields;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (title.trim().length < 2) return action.fail(t('shop.productForm.needTitle'));
    if (!category.trim()) return action.fail(t('shop.productForm.needCategory'));
    // Only what changed, so nothing someone else changed meanwhile is overwritten.
    const body: { title?: string; category?: string; description?: string; returnPolicy?: ReturnPolicy } = {};
    if (title.trim() !== (p.title ?? p.name ?? '')) body.title = title.trim();
    if (category.trim() !== (p.category ?? '')) body.category = category.trim();
    if (description.trim() !== (p.description ?? '')) body.description = description.trim();
    if (policy !== p.returnPolicy) body.returnPolicy = policy;
    if (Object.keys(body).length === 0) return onCancel();
    const res = await action.run(() => patch(path`/api/orgs/${orgId}/products/${p.id}`, body));
    if (res !== undefined) onSaved(res);
  };

  return (
    <form className="product-edit-form" data-testid="product-edit-form" onSubmit={(e) => void submit(e)} noValidate>
      <h4>{t('orgs.products.editTitle')}</h4>
      <ProductFields testIdPrefix="product-edit" value={fields} onChange={setField} />
      <div className="button-row">
        <button type="submit" className="button button-small" data-testid="product-edit-submit" disabled={action.busy}>
          {action.busy ? t('common.submitting') : t('common.save')}
        </button>
        <button type="button" className="button button-ghost button-small" data-testid="product-edit-cancel" onClick={onCancel}>
          {t('shop.common.cancel')}
        </button>
      </div>
      <FormError error={action.error} />
    </form>
  );
}

/** One SKU: spec, price and stock; editors change the price (yuan → integer fen) and the stock in place. */
function SkuRow({ orgId, productId, sku: s, canEdit, onSaved }: { orgId: string; productId: string; sku: Sku; canEdit: boolean; onSaved: (res: unknown) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const action = useAction();
  const formId = useId();
  const [editing, setEditing] = useState(false);
  const [price, setPrice] = useState('');
  const [stock, setStock] = useState('');
  const name = specText(s.spec) || String(pick(s, 'name', 'title') ?? '—');

  const open = () => {
    setPrice(fenToYuanInput(s.priceFen));
    setStock(typeof s.stock === 'number' ? String(s.stock) : '');
    action.clear();
    setEditing(true);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const priceFen = yuanToFen(price);
    if (priceFen === null || priceFen < 1 || priceFen > MAX_PRICE_FEN) return action.fail(t('orgs.products.badPrice'));
    const stockText = stock.trim();
    const stockNum = /^\d{1,9}$/.test(stockText) ? Number(stockText) : NaN;
    if (!Number.isInteger(stockNum) || stockNum < 0 || stockNum > MAX_STOCK) return action.fail(t('orgs.products.badStock'));
    // Only what changed: sending an unchanged stock back could undo sales made meanwhile.
    const body: { priceFen?: number; stock?: number } = {};
    if (priceFen !== s.priceFen) body.priceFen = priceFen;
    if (stockNum !== s.stock) body.stock = stockNum;
    if (Object.keys(body).length === 0) return setEditing(false);
    const res = await action.run(() => patch(path`/api/orgs/${orgId}/products/${productId}/skus/${s.id}`, body));
    if (res !== undefined) {
      setEditing(false);
      onSaved(res);
    }
  };

  return (
    <>
      <tr data-testid="sku" data-sku-id={s.id} data-editing={editing ? 'true' : undefined}>
        <td>{name}</td>
        <td className="num" data-testid="sku-price">
          {editing ? (
            <input
              form={formId}
              data-testid="sku-edit-price"
              aria-label={t('orgs.products.skuPriceLabel', { sku: name })}
              inputMode="decimal"
              autoComplete="off"
              value={price}
              onChange={(e) => setPrice(e.target.value)}
            />
          ) : typeof s.priceFen === 'number' ? (
            fmt.fen(s.priceFen)
          ) : (
            '—'
          )}
        </td>
        <td className="num" data-testid="sku-stock">
          {editing ? (
            <input
              form={formId}
              data-testid="sku-edit-stock"
              aria-label={t('orgs.products.skuStockLabel', { sku: name })}
              type="number"
              min={0}
              max={MAX_STOCK}
              step={1}
              inputMode="numeric"
              value={stock}
              onChange={(e) => setStock(e.target.value)}
            />
          ) : typeof s.stock === 'number' ? (
            s.stock
          ) : (
            '—'
          )}
        </td>
        {canEdit ? (
          <td className="actions">
            {editing ? (
              <form id={formId} className="sku-edit-actions" onSubmit={(e) => void submit(e)} noValidate>
                <button type="submit" className="button button-small" data-testid="sku-edit-submit" disabled={action.busy}>
                  {action.busy ? t('common.submitting') : t('common.save')}
                </button>
                <button type="button" className="link-button" data-testid="sku-edit-cancel" onClick={() => setEditing(false)}>
                  {t('shop.common.cancel')}
                </button>
              </form>
            ) : (
              <button type="button" className="link-button" data-testid="sku-edit-open" aria-label={t('orgs.products.editSkuLabel', { sku: name })} onClick={open}>
                {t('orgs.products.editSku')}
              </button>
            )}
          </td>
        ) : null}
      </tr>
      {editing && action.error ? (
        <tr className="sku-edit-error">
          <td colSpan={canEdit ? 4 : 3}>
            <FormError error={action.error} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
