// The console's two creation forms: a voucher product, and a first-store opening with its O2O coupon.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post, type ApiError } from '../api';
import { ErrorNotice } from '../shared/Status';
import { toApiError } from '../shared/useApi';
import type { Store } from './types';

const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7] as const;
/** A date picked in the form is a day in China time: 00:00 on that day, +08:00. */
const chinaMidnight = (day: string) => `${day}T00:00:00+08:00`;

function DaysPicker() {
  const { t } = useTranslation();
  return (
    <fieldset className="inline">
      {ALL_DAYS.map((d) => (
        <label key={d}><input type="checkbox" name="day" value={d} defaultChecked />{t(`vouchers.days.${d}`)}</label>
      ))}
    </fieldset>
  );
}

function useSubmit(onCreated: () => void) {
  const [error, setError] = useState<ApiError | null>(null);
  async function send(url: string, body: unknown, form: HTMLFormElement) {
    setError(null);
    try {
      await post(url, body);
      form.reset();
      onCreated();
    } catch (e) {
      setError(toApiError(e));
    }
  }
  return { error, send };
}

export function NewVoucherForm({ orgId, stores, onCreated }: { orgId: string; stores: Store[]; onCreated: () => void }) {
  const { t } = useTranslation();
  const { error, send } = useSubmit(onCreated);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void send(
      path`/api/orgs/${orgId}/vouchers`,
      {
        title: f.get('title'),
        category: f.get('category'),
        priceFen: Math.round(Number(f.get('price')) * 100),
        stock: Number(f.get('stock')),
        validFrom: chinaMidnight(String(f.get('validFrom'))),
        validTo: chinaMidnight(String(f.get('validTo'))),
        storeIds: f.getAll('storeId'),
        days: f.getAll('day').map(Number),
        slots: [{ from: f.get('slotFrom'), to: f.get('slotTo') }],
      },
      e.currentTarget,
    );
  }
  return (
    <form className="inline" onSubmit={submit} data-testid="new-voucher">
      <strong>{t('vouchers.console.newVoucher')}</strong>
      <input name="title" required placeholder={t('vouchers.console.title_')} aria-label={t('vouchers.console.title_')} />
      <select name="category" aria-label="category">
        {(['set_meal', 'hotel_night', 'beauty', 'ticket'] as const).map((c) => <option key={c} value={c}>{t(`vouchers.category.${c}`)}</option>)}
      </select>
      <input name="price" type="number" min="0.01" step="0.01" required placeholder={t('vouchers.console.price')} aria-label={t('vouchers.console.price')} />
      <input name="stock" type="number" min="0" required placeholder={t('vouchers.console.stock')} aria-label={t('vouchers.console.stock')} />
      <label>{t('vouchers.console.validFrom')} <input name="validFrom" type="date" required /></label>
      <label>{t('vouchers.console.validTo')} <input name="validTo" type="date" required /></label>
      <label>{t('vouchers.console.slotFrom')} <input name="slotFrom" type="time" defaultValue="11:00" required /></label>
      <label>{t('vouchers.console.slotTo')} <input name="slotTo" type="time" defaultValue="14:00" required /></label>
      <DaysPicker />
      <fieldset className="inline">
        {stores.map((s) => <label key={s.id}><input type="checkbox" name="storeId" value={s.id} defaultChecked />{s.name}</label>)}
      </fieldset>
      <button type="submit" className="button">{t('vouchers.console.create')}</button>
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
}

export function NewFirstStoreForm({ orgId, stores, onCreated }: { orgId: string; stores: Store[]; onCreated: () => void }) {
  const { t } = useTranslation();
  const { error, send } = useSubmit(onCreated);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const opensOn = String(f.get('opensOn'));
    const sessionId = String(f.get('sessionId') ?? '').trim();
    void send(
      path`/api/orgs/${orgId}/first-stores`,
      {
        storeId: f.get('storeId'),
        level: f.get('level'),
        title: f.get('title'),
        opensOn,
        ...(sessionId ? { sessionId } : {}),
        coupon: { title: f.get('couponTitle'), total: Number(f.get('couponTotal')), validTo: new Date(Date.parse(chinaMidnight(opensOn)) + 30 * 86_400_000).toISOString(), days: [...ALL_DAYS], slots: [{ from: '10:00', to: '22:00' }] },
      },
      e.currentTarget,
    );
  }
  return (
    <form className="inline" onSubmit={submit} data-testid="new-first-store">
      <strong>{t('vouchers.console.newFirstStore')}</strong>
      <select name="storeId" aria-label={t('vouchers.staff.store')}>{stores.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}</select>
      <select name="level" aria-label={t('vouchers.console.level')}>
        {(['global', 'asia', 'mainland', 'regional'] as const).map((l) => <option key={l} value={l}>{t(`vouchers.firstStores.level.${l}`)}</option>)}
      </select>
      <input name="title" required placeholder={t('vouchers.console.title_')} aria-label={t('vouchers.console.title_')} />
      <label>{t('vouchers.console.opensOn')} <input name="opensOn" type="date" required /></label>
      <input name="sessionId" placeholder={t('vouchers.console.sessionId')} aria-label={t('vouchers.console.sessionId')} />
      <input name="couponTitle" required placeholder={t('vouchers.console.couponTitle')} aria-label={t('vouchers.console.couponTitle')} />
      <input name="couponTotal" type="number" min="1" required placeholder={t('vouchers.console.couponTotal')} aria-label={t('vouchers.console.couponTotal')} />
      <button type="submit" className="button">{t('vouchers.console.create')}</button>
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
}
