// The brand's form for a new pre-sale (docs/PRESALE.md): the server checks the rules (P1–P6) and answers each with its code.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { toApiError, useApi } from '../shared/useApi';
import { yuanToFen } from '../shop/parts';

type BrandProduct = { id: string; title: string; skus: { id: string; spec: Record<string, string>; stock: number }[] };

const local = (d: Date) => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const DAY = 86_400_000;

export function PresaleForm({ orgId, onCreated }: { orgId: string; onCreated: () => void }) {
  const { t } = useTranslation();
  const products = useApi<{ products: BrandProduct[] }>(path`/api/orgs/${orgId}/products`);
  const start = Date.now() + 3_600_000;
  const [v, setV] = useState({ skuId: '', sessionId: '', title: '', deposit: '50', expansion: '100', final: '', depositStartsAt: local(new Date(start)), depositEndsAt: local(new Date(start + 3 * DAY)), balanceStartsAt: local(new Date(start + 3 * DAY)), balanceEndsAt: local(new Date(start + 5 * DAY)), stock: '100', limit: '2', shipDays: '5', rules: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    const [depositFen, expansionFen, finalPriceFen] = [yuanToFen(v.deposit), yuanToFen(v.expansion), yuanToFen(v.final)];
    if (depositFen === null || expansionFen === null || finalPriceFen === null) {
      setError(new ApiError({ code: 'PRESALE_MONEY_INVALID', status: 0, message: t('presale.brand.badMoney') }));
      return;
    }
    setBusy(true);
    try {
      const iso = (s: string) => new Date(s).toISOString();
      await post(path`/api/orgs/${orgId}/presales`, {
        skuId: v.skuId,
        ...(v.sessionId.trim() && { sessionId: v.sessionId.trim() }),
        title: v.title,
        depositFen,
        expansionFen,
        finalPriceFen,
        depositStartsAt: iso(v.depositStartsAt),
        depositEndsAt: iso(v.depositEndsAt),
        balanceStartsAt: iso(v.balanceStartsAt),
        balanceEndsAt: iso(v.balanceEndsAt),
        stock: Number(v.stock),
        perBuyerLimit: Number(v.limit),
        shipWithinDays: Number(v.shipDays),
        rules: v.rules,
      });
      setDone(true);
      onCreated();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const field = (k: keyof typeof v, label: string, type = 'text') => (
    <label className="presale-field">
      <span>{label}</span>
      <input type={type} value={v[k]} onChange={set(k)} data-testid={`presale-form-${k}`} />
    </label>
  );
  return (
    <form className="card presale-form" onSubmit={(e) => void submit(e)} data-testid="presale-form">
      <h2>{t('presale.brand.create')}</h2>
      <label className="presale-field">
        <span>{t('presale.brand.sku')}</span>
        <select value={v.skuId} onChange={set('skuId')} data-testid="presale-form-sku" required>
          <option value="" />
          {products.data?.products.flatMap((p) =>
            p.skus.map((s) => (
              <option key={s.id} value={s.id}>
                {p.title} · {Object.values(s.spec).join(' ')} ({s.stock})
              </option>
            )),
          )}
        </select>
      </label>
      {field('title', t('presale.brand.name'))}
      {field('sessionId', t('presale.brand.live'))}
      <div className="presale-form-row">
        {field('deposit', t('presale.brand.depositYuan'))}
        {field('expansion', t('presale.brand.expansionYuan'))}
        {field('final', t('presale.brand.finalYuan'))}
      </div>
      <div className="presale-form-row presale-form-dates">
        {field('depositStartsAt', t('presale.brand.depositStarts'), 'datetime-local')}
        {field('depositEndsAt', t('presale.brand.depositEnds'), 'datetime-local')}
        {field('balanceStartsAt', t('presale.brand.balanceStarts'), 'datetime-local')}
        {field('balanceEndsAt', t('presale.brand.balanceEnds'), 'datetime-local')}
      </div>
      <div className="presale-form-row">
        {field('stock', t('presale.brand.stock'), 'number')}
        {field('limit', t('presale.brand.limit'), 'number')}
        {field('shipDays', t('presale.brand.shipDays'), 'number')}
      </div>
      <label className="presale-field">
        <span>{t('presale.brand.rules')}</span>
        <textarea rows={4} value={v.rules} onChange={set('rules')} data-testid="presale-form-rules" />
      </label>
      <FormError error={error} />
      {done ? <FormSuccess>{t('presale.brand.created')}</FormSuccess> : null}
      <button type="submit" className="button" disabled={busy} data-testid="presale-form-submit">
        {t('presale.brand.submit')}
      </button>
    </form>
  );
}
