import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import { couponValueText, shopLabel, useAction, yuanToFen } from '../shop/parts';
import type { Coupon, CouponInput, CouponKind } from '../shop/types';

type BrandProduct = { id: string; title: string; status?: string };

/** `<input type="datetime-local">` value for a Date, in the viewer's own time zone. */
function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function positiveInt(v: string): number | null {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : null;
}

function CouponForm({ orgId, onCreated }: { orgId: string; onCreated: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const ids = { title: useId(), kind: useId(), amount: useId(), threshold: useId(), percent: useId(), cap: useId(), starts: useId(), ends: useId(), perUser: useId(), total: useId() };
  const products = useApi<{ products: BrandProduct[] }>(path`/api/orgs/${orgId}/products`);
  const productList = listFrom<BrandProduct>(products.data, 'products');
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<CouponKind>('amount');
  const [amount, setAmount] = useState('');
  const [threshold, setThreshold] = useState('');
  const [percent, setPercent] = useState('');
  const [cap, setCap] = useState('');
  const [scope, setScope] = useState<'brand' | 'products'>('brand');
  const [productIds, setProductIds] = useState<string[]>([]);
  const [startsAt, setStartsAt] = useState(() => localInput(new Date()));
  const [endsAt, setEndsAt] = useState(() => localInput(new Date(Date.now() + 7 * 86400_000)));
  const [perUserLimit, setPerUserLimit] = useState('1');
  const [total, setTotal] = useState('100');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) return action.fail(t('shop.brandCoupons.needTitle'));
    const input: CouponInput = { title: title.trim(), kind, scope, startsAt: '', endsAt: '', perUserLimit: 0, total: 0 };
    if (kind === 'amount' || kind === 'threshold') {
      const off = yuanToFen(amount);
      if (off === null || off <= 0) return action.fail(t('shop.brandCoupons.badAmount'));
      input.amountOffFen = off;
    }
    if (kind === 'threshold') {
      const th = yuanToFen(threshold);
      if (th === null || th <= 0) return action.fail(t('shop.brandCoupons.badThreshold'));
      input.thresholdFen = th;
    }
    if (kind === 'percent') {
      const p = Number(percent);
      if (!Number.isInteger(p) || p < 1 || p > 99) return action.fail(t('shop.brandCoupons.badPercent'));
      input.percentOff = p;
      if (cap.trim()) {
        const c = yuanToFen(cap);
        if (c === null || c <= 0) return action.fail(t('shop.brandCoupons.badCap'));
        input.capFen = c;
      }
    }
    if (scope === 'products') {
      if (productIds.length === 0) return action.fail(t('shop.brandCoupons.needProducts'));
      input.productIds = productIds;
    }
    const s = new Date(startsAt);
    const en = new Date(endsAt);
    if (Number.isNaN(s.getTime()) || Number.isNaN(en.getTime()) || en <= s) return action.fail(t('shop.brandCoupons.badTimes'));
    input.startsAt = s.toISOString();
    input.endsAt = en.toISOString();
    const per = positiveInt(perUserLimit);
    const tot = positiveInt(total);
    if (per === null || tot === null) return action.fail(t('shop.brandCoupons.badCounts'));
    input.perUserLimit = per;
    input.total = tot;
    const res = await action.run(() => post(path`/api/orgs/${orgId}/coupons`, input), t('shop.brandCoupons.created'));
    if (res !== undefined) {
      setTitle('');
      onCreated();
    }
  };

  return (
    <form className="coupon-form" data-testid="coupon-form" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('shop.brandCoupons.create')}</h3>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.title}>{t('shop.brandCoupons.title')}</label>
          <input id={ids.title} data-testid="coupon-title" value={title} maxLength={30} onChange={(e) => setTitle(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor={ids.kind}>{t('shop.brandCoupons.kind')}</label>
          <select id={ids.kind} data-testid="coupon-kind" value={kind} onChange={(e) => setKind(e.target.value as CouponKind)}>
            {(['amount', 'threshold', 'percent'] as const).map((k) => (
              <option key={k} value={k}>
                {shopLabel(t, 'couponKind', k)}
              </option>
            ))}
          </select>
        </div>
        {kind === 'threshold' ? (
          <div className="field">
            <label htmlFor={ids.threshold}>{t('shop.brandCoupons.threshold')}</label>
            <input id={ids.threshold} data-testid="coupon-threshold" inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
          </div>
        ) : null}
        {kind !== 'percent' ? (
          <div className="field">
            <label htmlFor={ids.amount}>{t('shop.brandCoupons.amountOff')}</label>
            <input id={ids.amount} data-testid="coupon-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
          </div>
        ) : (
          <>
            <div className="field">
              <label htmlFor={ids.percent}>{t('shop.brandCoupons.percentOff')}</label>
              <input id={ids.percent} data-testid="coupon-percent" type="number" min={1} max={99} inputMode="numeric" value={percent} onChange={(e) => setPercent(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.cap}>{t('shop.brandCoupons.cap')}</label>
              <input id={ids.cap} data-testid="coupon-cap" inputMode="decimal" value={cap} onChange={(e) => setCap(e.target.value)} />
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor={ids.starts}>{t('shop.brandCoupons.startsAt')}</label>
          <input id={ids.starts} data-testid="coupon-starts" type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.ends}>{t('shop.brandCoupons.endsAt')}</label>
          <input id={ids.ends} data-testid="coupon-ends" type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.perUser}>{t('shop.brandCoupons.perUserLimit')}</label>
          <input id={ids.perUser} data-testid="coupon-per-user" type="number" min={1} inputMode="numeric" value={perUserLimit} onChange={(e) => setPerUserLimit(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.total}>{t('shop.brandCoupons.total')}</label>
          <input id={ids.total} data-testid="coupon-total" type="number" min={1} inputMode="numeric" value={total} onChange={(e) => setTotal(e.target.value)} />
        </div>
      </div>
      <fieldset className="console-fieldset">
        <legend>{t('shop.brandCoupons.scope')}</legend>
        <div className="choice-group">
          <label className={`choice${scope === 'brand' ? ' choice-active' : ''}`}>
            <input type="radio" name="coupon-scope" data-testid="coupon-scope-brand" checked={scope === 'brand'} onChange={() => setScope('brand')} />
            {t('shop.coupon.scopeBrand')}
          </label>
          <label className={`choice${scope === 'products' ? ' choice-active' : ''}`}>
            <input type="radio" name="coupon-scope" data-testid="coupon-scope-products" checked={scope === 'products'} onChange={() => setScope('products')} />
            {t('shop.coupon.scopeProducts')}
          </label>
        </div>
        {scope === 'products' ? (
          <ul className="check-list" data-testid="coupon-products">
            {productList.map((p) => (
              <li key={p.id}>
                <label>
                  <input
                    type="checkbox"
                    data-testid="coupon-product"
                    value={p.id}
                    checked={productIds.includes(p.id)}
                    onChange={(e) => setProductIds((list) => (e.target.checked ? [...list, p.id] : list.filter((x) => x !== p.id)))}
                  />{' '}
                  {p.title}
                </label>
              </li>
            ))}
          </ul>
        ) : null}
      </fieldset>
      <button type="submit" className="button button-small" data-testid="coupon-submit" disabled={action.busy}>
        {action.busy ? t('common.submitting') : t('shop.brandCoupons.submit')}
      </button>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </form>
  );
}

/** 优惠券: the brand's coupons (including those handed out by room coupon drops) and a form to make one. */
export function CouponsPanel({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ coupons: Coupon[] }>(path`/api/orgs/${orgId}/coupons`);
  const coupons = listFrom<Coupon>(state.data, 'coupons');
  return (
    <div data-testid="brand-coupons">
      {state.status === 'error' && state.data === undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : state.data === undefined ? (
        <Loading />
      ) : coupons.length === 0 ? (
        <Empty testId="brand-coupons-empty">{t('shop.brandCoupons.empty')}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('shop.brandCoupons.title')}</th>
                <th>{t('shop.brandCoupons.value')}</th>
                <th>{t('shop.brandCoupons.scope')}</th>
                <th>{t('shop.brandCoupons.validity')}</th>
                <th className="num">{t('shop.brandCoupons.issued')}</th>
              </tr>
            </thead>
            <tbody>
              {coupons.map((c) => (
                <tr key={c.id} data-testid="brand-coupon" data-coupon-id={c.id}>
                  <td>
                    {c.title}
                    {c.sessionId ? <span className="tag tag-muted">{t('shop.brandCoupons.fromLive')}</span> : null}
                  </td>
                  <td>{couponValueText(t, fmt.fen, c)}</td>
                  <td>{c.scope === 'products' ? t('shop.brandCoupons.productsCount', { count: c.productIds?.length ?? 0 }) : t('shop.coupon.scopeBrand')}</td>
                  <td>
                    {fmt.timestamp(c.startsAt)} – {fmt.timestamp(c.endsAt)}
                  </td>
                  <td className="num">
                    {c.issued}/{c.total} · {t('shop.brandCoupons.perUser', { count: c.perUserLimit })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit ? <CouponForm orgId={orgId} onCreated={state.reload} /> : null}
    </div>
  );
}
