// Pieces shared by the room's buy sheet, the buyer's pages and the consoles.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ApiError, get } from '../api';
import { FormError, TextField, fieldMessage } from '../shared/Field';
import { toApiError } from '../shared/useApi';
import { TRACKING_RE } from './constants';
import { addAddress, specText } from './shopApi';
import type { Address, Brand, Coupon, ReturnPolicy } from './types';

type LabelGroup = 'orderStatus' | 'afterSaleStatus' | 'afterSaleKind' | 'returnPolicy' | 'couponStatus' | 'couponKind';

/** A server value in words (`shop.<group>.<value>`), or the value itself when the catalogue has no entry. */
export function shopLabel(t: TFunction, group: LabelGroup, value: string | null | undefined): string {
  if (!value) return '';
  const lookup = t as unknown as (k: string, o: { defaultValue: string }) => string;
  return lookup(`shop.${group}.${value}`, { defaultValue: value });
}

/**
 * An order line's spec in words. A voucher's one SKU stores `{ 券: its title }` (server/vouchers/service.ts),
 * copied onto its order lines: it only repeats the line's title, so a voucher's line says what it is instead.
 */
export function lineSpecText(t: TFunction, order: { kind?: string }, spec: Record<string, string> | null | undefined): string {
  return order.kind === 'voucher' ? t('shop.order.voucherLine') : specText(spec);
}

/**
 * A carrier + tracking-number form (a brand ships an order, a buyer sends a return): both are needed (else `needBothKey`'s
 * message), the number must match TRACKING_RE; then `send` gets the trimmed values and `onDone` runs once it succeeded.
 */
export function useTrackingForm(needBothKey: 'shop.ship.needBoth' | 'shop.afterSale.needTracking', send: (body: { carrier: string; trackingNo: string }) => Promise<unknown>, onDone: () => void, success?: string) {
  const { t } = useTranslation();
  const action = useAction();
  const carrierId = useId();
  const trackingId = useId();
  const [carrier, setCarrier] = useState('');
  const [trackingNo, setTrackingNo] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!carrier.trim() || !trackingNo.trim()) return action.fail(t(needBothKey));
    if (!TRACKING_RE.test(trackingNo.trim())) return action.fail(t('shop.ship.badTracking'));
    const res = await action.run(() => send({ carrier: carrier.trim(), trackingNo: trackingNo.trim() }), success);
    if (res !== undefined) onDone();
  };
  return { action, carrierId, trackingId, carrier, setCarrier, trackingNo, setTrackingNo, submit };
}

/** One action's busy flag, the server's error and a success message. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>, success?: string): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const res = await fn();
      if (success) setDone(success);
      return res;
    } catch (e) {
      setError(toApiError(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const fail = useCallback((message: string, code = 'CLIENT_INVALID') => {
    setDone(null);
    setError(new ApiError({ code, status: 0, message }));
  }, []);
  const clear = useCallback(() => {
    setError(null);
    setDone(null);
  }, []);
  return { busy, error, done, run, fail, clear };
}

/** 七天无理由退货 / 不支持七天无理由 / 需确认 — shown to buyers before they pay. */
export function ReturnPolicyNote({ policy }: { policy: ReturnPolicy | string }) {
  const { t } = useTranslation();
  return (
    <span className={`tag return-policy return-policy-${policy}`} data-testid="return-policy" data-policy={policy}>
      {shopLabel(t, 'returnPolicy', policy)}
    </span>
  );
}

/** The seller and its business licence (营业执照), shown to buyers. */
export function BrandLicence({ brand }: { brand: Brand | null | undefined }) {
  const { t } = useTranslation();
  if (!brand) return null;
  return (
    <dl className="facts brand-licence" data-testid="brand-licence">
      <dt>{t('shop.brand.seller')}</dt>
      <dd data-testid="brand-name">{brand.name}</dd>
      <dt>{t('shop.brand.licence')}</dt>
      <dd data-testid="licence-name">{brand.licenceName || t('shop.brand.none')}</dd>
      <dt>{t('shop.brand.licenceNo')}</dt>
      <dd className="mono" data-testid="licence-no">
        {brand.licenceNo || t('shop.brand.none')}
      </dd>
    </dl>
  );
}

export function AddressLine({ address }: { address: { name: string; phone: string; region: string; detail: string } }) {
  return (
    <span className="address-line">
      <span className="address-who">
        <strong>{address.name}</strong> <span className="mono">{address.phone}</span>
      </span>
      <span className="address-where">
        {address.region} {address.detail}
      </span>
    </span>
  );
}

/** The signed-in buyer's addresses, default first. */
export function useAddresses(enabled: boolean) {
  const [addresses, setAddresses] = useState<Address[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const ac = new AbortController();
    get<{ addresses: Address[] }>('/api/me/addresses', ac.signal).then(
      (res) => {
        setAddresses(Array.isArray(res?.addresses) ? res.addresses : []);
        setError(null);
      },
      (e: unknown) => {
        if (ac.signal.aborted) return;
        setError(toApiError(e));
        setAddresses((a) => a ?? []);
      },
    );
    return () => ac.abort();
  }, [enabled, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { addresses, error, reload, setAddresses };
}

const PHONE_RE = /^1\d{10}$/;

/** Add an address (name, mainland mobile, region, street); `onSaved` gets the new one. */
export function AddressForm({ onSaved, onCancel, defaultChecked = false, compact = false }: { onSaved: (a: Address) => void; onCancel?: () => void; defaultChecked?: boolean; compact?: boolean }) {
  const { t } = useTranslation();
  const action = useAction();
  const defaultId = useId();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [region, setRegion] = useState('');
  const [detail, setDetail] = useState('');
  const [isDefault, setIsDefault] = useState(defaultChecked);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    if (!name.trim() || !region.trim() || !detail.trim()) return action.fail(t('shop.address.incomplete'));
    if (!PHONE_RE.test(phone.trim())) return action.fail(t('shop.address.badPhone'));
    const res = await action.run(() => addAddress({ name: name.trim(), phone: phone.trim(), region: region.trim(), detail: detail.trim(), isDefault }));
    if (res?.address) onSaved(res.address);
  };

  return (
    <form className={`address-form${compact ? ' address-form-compact' : ''}`} data-testid="address-form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="address-form-row">
        <TextField name="name" label={t('shop.address.name')} value={name} onChange={setName} autoComplete="name" maxLength={20} required error={fieldMessage(action.error, 'name')} />
        <TextField name="phone" label={t('shop.address.phone')} value={phone} onChange={setPhone} type="tel" inputMode="tel" autoComplete="tel" maxLength={11} required error={fieldMessage(action.error, 'phone')} />
      </div>
      <TextField name="region" label={t('shop.address.region')} value={region} onChange={setRegion} placeholder={t('shop.address.regionPlaceholder')} maxLength={60} required error={fieldMessage(action.error, 'region')} />
      <TextField name="detail" label={t('shop.address.detail')} value={detail} onChange={setDetail} autoComplete="street-address" placeholder={t('shop.address.detailPlaceholder')} maxLength={120} required error={fieldMessage(action.error, 'detail')} />
      <div className="field field-checkbox">
        <input id={defaultId} type="checkbox" data-testid="address-default" checked={isDefault} onChange={(e) => setIsDefault(e.target.checked)} />
        <label htmlFor={defaultId}>{t('shop.address.makeDefault')}</label>
      </div>
      <FormError error={action.error} shownPaths={['name', 'phone', 'region', 'detail']} />
      <div className="button-row">
        <button type="submit" className="button button-small" data-testid="address-submit" disabled={action.busy}>
          {action.busy ? t('common.submitting') : t('shop.address.save')}
        </button>
        {onCancel ? (
          <button type="button" className="button button-ghost button-small" data-testid="address-cancel" onClick={onCancel}>
            {t('shop.common.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** 75 → "01:15"; days shown as "1天 02:03:04". */
export function countdownText(t: TFunction, seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const clock = h > 0 || d > 0 ? `${pad(h)}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
  return d > 0 ? t('shop.common.days', { days: d, clock }) : clock;
}

/** Yuan typed by a person ("5", "5.5", "5.50") → integer fen; null when it is not an amount. */
export function yuanToFen(text: string): number | null {
  const m = /^\s*(\d{1,8})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Integer fen → the yuan a person would type ("12.5" → "12.50"). */
export function fenToYuanInput(fen: number | null | undefined): string {
  if (typeof fen !== 'number' || !Number.isFinite(fen)) return '';
  return (fen / 100).toFixed(2);
}

/** What a coupon takes off: "立减 ¥5.00", "满 ¥99.00 减 ¥10.00", "8 折（最多减 ¥20.00）". */
export function couponValueText(t: TFunction, fen: (n: number) => string, c: Pick<Coupon, 'kind' | 'amountOffFen' | 'thresholdFen' | 'percentOff' | 'capFen'>): string {
  if (c.kind === 'percent') {
    const base = t('shop.coupon.percentOff', { percent: c.percentOff ?? 0 });
    return typeof c.capFen === 'number' ? `${base} ${t('shop.coupon.cap', { amount: fen(c.capFen) })}` : base;
  }
  if (c.kind === 'threshold') return t('shop.coupon.threshold', { threshold: fen(c.thresholdFen ?? 0), amount: fen(c.amountOffFen ?? 0) });
  return t('shop.coupon.amountOff', { amount: fen(c.amountOffFen ?? 0) });
}
