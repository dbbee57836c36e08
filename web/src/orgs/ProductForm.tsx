import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { QueuedPictures } from '../pictures/ProductPictures';
import { uploadPictures } from '../pictures/upload';
import { shopLabel, useAction, yuanToFen } from '../shop/parts';
import type { ReturnPolicy } from '../shop/types';

type SkuDraft = { key: number; values: string[]; price: string; stock: string };

export const POLICIES: readonly ReturnPolicy[] = ['standard', 'excluded', 'confirm'];
const MAX_DIMENSIONS = 4;

export type ProductFieldValues = { title: string; category: string; description: string; policy: ReturnPolicy };

/** The fields the create and the edit form share: title, category, return policy (with its hint) and description. */
export function ProductFields({ testIdPrefix, value, onChange }: { testIdPrefix: 'product' | 'product-edit'; value: ProductFieldValues; onChange: (patch: Partial<ProductFieldValues>) => void }) {
  const { t } = useTranslation();
  const ids = { title: useId(), category: useId(), description: useId(), policy: useId() };
  const { title, category, description, policy } = value;
  return (
    <>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.title}>{t('shop.productForm.name')}</label>
          <input id={ids.title} data-testid={`${testIdPrefix}-title`} value={title} maxLength={60} onChange={(e) => onChange({ title: e.target.value })} required />
        </div>
        <div className="field">
          <label htmlFor={ids.category}>{t('shop.productForm.category')}</label>
          <input id={ids.category} data-testid={`${testIdPrefix}-category`} value={category} maxLength={40} onChange={(e) => onChange({ category: e.target.value })} required />
        </div>
        <div className="field">
          <label htmlFor={ids.policy}>{t('shop.productForm.returnPolicy')}</label>
          <select id={ids.policy} data-testid={`${testIdPrefix}-return-policy`} value={policy} onChange={(e) => onChange({ policy: e.target.value as ReturnPolicy })}>
            {POLICIES.map((p) => (
              <option key={p} value={p}>
                {shopLabel(t, 'returnPolicy', p)}
              </option>
            ))}
          </select>
          <p className="field-hint">{t(`shop.productForm.policyHint.${policy}`)}</p>
        </div>
      </div>
      <div className="field">
        <label htmlFor={ids.description}>{t('shop.productForm.description')}</label>
        <textarea id={ids.description} data-testid={`${testIdPrefix}-description`} value={description} maxLength={5000} rows={3} onChange={(e) => onChange({ description: e.target.value })} />
      </div>
    </>
  );
}

let skuKey = 0;
const newSku = (dims: number): SkuDraft => ({ key: ++skuKey, values: Array.from({ length: dims }, () => ''), price: '', stock: '100' });

/** New product: title, category, description, images, return policy, and SKUs (spec per dimension, price in yuan, stock). */
export function ProductForm({ orgId, onCreated, onCancel }: { orgId: string; onCreated: (notice?: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const ids = { dims: useId() };
  const [fields, setFields] = useState<ProductFieldValues>({ title: '', category: '', description: '', policy: 'standard' });
  const setField = (patch: Partial<ProductFieldValues>) => setFields((f) => ({ ...f, ...patch }));
  const { title, category, description, policy } = fields;
  const [pictures, setPictures] = useState<File[]>([]);
  const [dimsText, setDimsText] = useState(() => t('shop.productForm.defaultDimension'));
  const dims = dimsText
    .split(/[,，、]/)
    .map((d) => d.trim())
    .filter(Boolean)
    .slice(0, MAX_DIMENSIONS);
  const [skus, setSkus] = useState<SkuDraft[]>(() => [newSku(1)]);

  const setSku = (key: number, patch: Partial<SkuDraft>) => setSkus((list) => list.map((s) => (s.key === key ? { ...s, ...patch } : s)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (title.trim().length < 2) return action.fail(t('shop.productForm.needTitle'));
    if (!category.trim()) return action.fail(t('shop.productForm.needCategory'));
    if (dims.length === 0) return action.fail(t('shop.productForm.needDimension'));
    const outSkus = [];
    for (const [i, s] of skus.entries()) {
      const spec: Record<string, string> = {};
      dims.forEach((d, j) => {
        const v = (s.values[j] ?? '').trim();
        if (v) spec[d] = v;
      });
      if (Object.keys(spec).length === 0) return action.fail(t('shop.productForm.needSpec', { n: i + 1 }));
      const priceFen = yuanToFen(s.price);
      if (priceFen === null || priceFen <= 0) return action.fail(t('shop.productForm.badPrice', { n: i + 1 }));
      const stock = Number(s.stock);
      if (!Number.isInteger(stock) || stock < 0) return action.fail(t('shop.productForm.badStock', { n: i + 1 }));
      outSkus.push({ spec, priceFen, stock });
    }
    const body = { title: title.trim(), category: category.trim(), description: description.trim(), returnPolicy: policy, skus: outSkus };
    const res = await action.run(() => post<{ product: { id: string } }>(path`/api/orgs/${orgId}/products`, body), t('shop.productForm.created'));
    if (res === undefined) return;
    // The pictures go up once the product exists; a refusal leaves the product, said on the list.
    if (pictures.length && res.product?.id) {
      try {
        await uploadPictures(orgId, res.product.id, pictures);
      } catch (e) {
        return onCreated(t('pictures.createdWithoutPictures', { message: e instanceof Error ? e.message : String(e) }));
      }
    }
    onCreated();
  };

  return (
    <form className="card product-form" data-testid="product-form" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('shop.productForm.title')}</h3>
      <ProductFields testIdPrefix="product" value={fields} onChange={setField} />
      <QueuedPictures files={pictures} onChange={setPictures} />
      <div className="field">
        <label htmlFor={ids.dims}>{t('shop.productForm.dimensions')}</label>
        <input id={ids.dims} data-testid="product-dimensions" value={dimsText} maxLength={80} onChange={(e) => setDimsText(e.target.value)} />
        <p className="field-hint">{t('shop.productForm.dimensionsHint')}</p>
      </div>
      <div className="table-wrap">
        <table className="sku-table" data-testid="product-skus">
          <thead>
            <tr>
              {dims.map((d) => (
                <th key={d}>{d}</th>
              ))}
              <th>{t('shop.productForm.price')}</th>
              <th>{t('shop.productForm.stock')}</th>
              <th>
                <span className="sr-only">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {skus.map((s, i) => (
              <tr key={s.key} data-testid="product-sku-row">
                {dims.map((d, j) => (
                  <td key={d}>
                    <input
                      aria-label={`${d} ${i + 1}`}
                      data-testid="product-sku-spec"
                      value={s.values[j] ?? ''}
                      maxLength={40}
                      onChange={(e) => {
                        const values = [...s.values];
                        values[j] = e.target.value;
                        setSku(s.key, { values });
                      }}
                    />
                  </td>
                ))}
                <td>
                  <input aria-label={`${t('shop.productForm.price')} ${i + 1}`} data-testid="product-sku-price" inputMode="decimal" value={s.price} onChange={(e) => setSku(s.key, { price: e.target.value })} />
                </td>
                <td>
                  <input aria-label={`${t('shop.productForm.stock')} ${i + 1}`} data-testid="product-sku-stock" type="number" min={0} inputMode="numeric" value={s.stock} onChange={(e) => setSku(s.key, { stock: e.target.value })} />
                </td>
                <td>
                  {skus.length > 1 ? (
                    <button type="button" className="link-button link-danger" data-testid="product-sku-remove" onClick={() => setSkus((list) => list.filter((x) => x.key !== s.key))}>
                      {t('shop.common.remove')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="button button-ghost button-small" data-testid="product-sku-add" disabled={skus.length >= 100} onClick={() => setSkus((list) => [...list, newSku(dims.length)])}>
        + {t('shop.productForm.addSku')}
      </button>
      <div className="button-row product-form-actions">
        <button type="submit" className="button" data-testid="product-submit" disabled={action.busy}>
          {action.busy ? t('common.submitting') : t('shop.productForm.submit')}
        </button>
        <button type="button" className="button button-ghost" onClick={onCancel}>
          {t('shop.common.cancel')}
        </button>
      </div>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </form>
  );
}
