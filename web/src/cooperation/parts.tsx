import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { FormError, FormSuccess } from '../shared/Field';
import { StatusBadge } from '../shared/Status';
import { useAction } from '../shop/parts';
import type { Address } from './types';

/** Basis points as a percent a person reads: 1800 → "18%", 1250 → "12.5%". */
export function bpsText(bps: number | null | undefined): string {
  if (typeof bps !== 'number' || !Number.isFinite(bps)) return '—';
  return `${Number((bps / 100).toFixed(2))}%`;
}

/** A typed percent ("18", "12.5") → basis points; null when it is not a number with at most two decimals. */
export function percentToBps(text: string): number | null {
  const m = /^\s*(-?\d{1,4})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  const sign = m[1]!.startsWith('-') ? -1 : 1;
  return sign * (Math.abs(Number(m[1])) * 100 + Number((m[2] ?? '').padEnd(2, '0')));
}

/** A value from the server in words (`coop.status.pending`), or the raw value for one this version does not know. */
export function coopLabel(t: TFunction, group: 'status' | 'deposit' | 'proposedBy' | 'contractState' | 'right', value: string | null | undefined): string {
  if (!value) return '';
  const lookup = t as unknown as (k: string, o: { defaultValue: string }) => string;
  return lookup(`coop.${group}.${value}`, { defaultValue: value });
}

export function CoopStatus({ status, testId }: { status: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <StatusBadge status={status}>
      <span data-testid={testId}>{coopLabel(t, 'status', status)}</span>
    </StatusBadge>
  );
}

/** A one-click step (approve, receive, keep…): the server's refusal is shown beside it. */
export function StepButton({ label, run, testId, tone = 'secondary', onDone }: { label: string; run: () => Promise<unknown>; testId: string; tone?: 'primary' | 'secondary' | 'danger'; onDone: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const cls = tone === 'primary' ? 'button button-small' : tone === 'danger' ? 'button button-danger button-small' : 'button button-secondary button-small';
  return (
    <span className="coop-step">
      <button
        type="button"
        className={cls}
        data-testid={testId}
        disabled={action.busy}
        onClick={async () => {
          const res = await action.run(run);
          if (res !== undefined) onDone();
        }}
      >
        {action.busy ? t('common.submitting') : label}
      </button>
      <FormError error={action.error} />
    </span>
  );
}

/**
 * A small inline form that opens from a button (reject with a reason, ship with a tracking number…).
 * `submit` answers a promise; a refusal stays open with the server's message.
 */
export function InlineForm({
  open,
  label,
  testId,
  children,
  submitLabel,
  onSubmit,
  onDone,
  validate,
  tone = 'ghost',
}: {
  tone?: 'primary' | 'ghost';
  open: string;
  label: string;
  testId: string;
  children: ReactNode;
  submitLabel: string;
  onSubmit: () => Promise<unknown>;
  onDone: () => void;
  validate?: () => string | null;
}) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = validate?.() ?? null;
    if (problem) return action.fail(problem);
    const res = await action.run(onSubmit);
    if (res !== undefined) {
      setShown(false);
      onDone();
    }
  };
  if (!shown)
    return (
      <button type="button" className={tone === 'primary' ? 'button button-small' : 'button button-ghost button-small'} data-testid={`${testId}-open`} onClick={() => setShown(true)}>
        {open}
      </button>
    );
  return (
    <form className="coop-inline-form" data-testid={testId} onSubmit={(e) => void submit(e)} noValidate aria-label={label}>
      {children}
      <div className="button-row">
        <button type="submit" className="button button-small" data-testid={`${testId}-submit`} disabled={action.busy}>
          {action.busy ? t('common.submitting') : submitLabel}
        </button>
        <button type="button" className="button button-ghost button-small" onClick={() => setShown(false)}>
          {t('common.cancel')}
        </button>
      </div>
      <FormError error={action.error} />
    </form>
  );
}

/** A labelled input for the inline forms. */
export function MiniField({ label, value, onChange, testId, inputMode, placeholder, maxLength = 200, multiline = false }: { label: string; value: string; onChange: (v: string) => void; testId: string; inputMode?: 'text' | 'decimal' | 'numeric' | 'tel'; placeholder?: string; maxLength?: number; multiline?: boolean }) {
  const id = useId();
  return (
    <div className="field coop-field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea id={id} data-testid={testId} value={value} maxLength={maxLength} rows={2} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input id={id} data-testid={testId} value={value} inputMode={inputMode} maxLength={maxLength} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
      )}
    </div>
  );
}

/** The carrier and tracking number of a shipment (a sample sent, or sent back). */
export function ShipmentFields({ carrier, trackingNo, setCarrier, setTrackingNo, prefix }: { carrier: string; trackingNo: string; setCarrier: (v: string) => void; setTrackingNo: (v: string) => void; prefix: string }) {
  const { t } = useTranslation();
  return (
    <div className="coop-form-row">
      <MiniField label={t('coop.samples.carrier')} value={carrier} onChange={setCarrier} testId={`${prefix}-carrier`} maxLength={30} placeholder={t('coop.samples.carrierPlaceholder')} />
      <MiniField label={t('coop.samples.trackingNo')} value={trackingNo} onChange={setTrackingNo} testId={`${prefix}-tracking`} maxLength={40} />
    </div>
  );
}

export const emptyAddress: Address = { name: '', phone: '', region: '', detail: '' };

export function AddressFields({ value, onChange }: { value: Address; onChange: (a: Address) => void }) {
  const { t } = useTranslation();
  const set = (k: keyof Address) => (v: string) => onChange({ ...value, [k]: v });
  return (
    <div className="coop-form-row">
      <MiniField label={t('coop.address.name')} value={value.name} onChange={set('name')} testId="sample-name" maxLength={20} />
      <MiniField label={t('coop.address.phone')} value={value.phone} onChange={set('phone')} testId="sample-phone" inputMode="tel" maxLength={11} />
      <MiniField label={t('coop.address.region')} value={value.region} onChange={set('region')} testId="sample-region" maxLength={60} placeholder={t('coop.address.regionPlaceholder')} />
      <MiniField label={t('coop.address.detail')} value={value.detail} onChange={set('detail')} testId="sample-detail" maxLength={120} />
    </div>
  );
}

export function Success({ text }: { text: string | null }) {
  return text ? <FormSuccess>{text}</FormSuccess> : null;
}

/** A moment's calendar day in the viewer's own time zone (contract terms begin at local midnight). */
export function localDay(value: string | null | undefined, locale: string): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(d);
}
