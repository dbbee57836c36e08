import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, put } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { fenToYuanInput, useAction, yuanToFen } from '../shop/parts';
import type { ShippingRule } from '../shop/types';

/** 运费: a fee per order, waived from an items total. */
export function ShippingPanel({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const baseId = useId();
  const freeId = useId();
  const state = useApi<{ rule: ShippingRule }>(path`/api/orgs/${orgId}/shipping-rule`);
  const rule = state.data?.rule;
  const action = useAction();
  const [base, setBase] = useState('');
  const [freeOver, setFreeOver] = useState('');
  useEffect(() => {
    if (!rule) return;
    setBase(fenToYuanInput(rule.baseFeeFen ?? 0));
    setFreeOver(rule.freeOverFen === null || rule.freeOverFen === undefined ? '' : fenToYuanInput(rule.freeOverFen));
  }, [rule]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const baseFeeFen = base.trim() === '' ? 0 : yuanToFen(base);
    if (baseFeeFen === null) return action.fail(t('shop.shipping.badFee'));
    let freeOverFen: number | null = null;
    if (freeOver.trim() !== '') {
      freeOverFen = yuanToFen(freeOver);
      if (freeOverFen === null) return action.fail(t('shop.shipping.badFreeOver'));
    }
    const res = await action.run(() => put<{ rule?: ShippingRule }>(path`/api/orgs/${orgId}/shipping-rule`, { baseFeeFen, freeOverFen }), t('shop.shipping.saved'));
    if (res !== undefined) state.reload();
  };

  if (state.status === 'error' && state.data === undefined) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;

  return (
    <div data-testid="brand-shipping">
      <p className="muted" data-testid="shipping-current">
        {rule && rule.baseFeeFen > 0
          ? rule.freeOverFen !== null && rule.freeOverFen !== undefined
            ? t('shop.shipping.currentFreeOver', { fee: fmt.fen(rule.baseFeeFen), over: fmt.fen(rule.freeOverFen) })
            : t('shop.shipping.current', { fee: fmt.fen(rule.baseFeeFen) })
          : t('shop.shipping.free')}
      </p>
      {canEdit ? (
        <form className="inline-form shipping-form" data-testid="shipping-form" onSubmit={(e) => void submit(e)} noValidate>
          <div className="field">
            <label htmlFor={baseId}>{t('shop.shipping.baseFee')}</label>
            <input id={baseId} data-testid="shipping-base" inputMode="decimal" value={base} onChange={(e) => setBase(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={freeId}>{t('shop.shipping.freeOver')}</label>
            <input id={freeId} data-testid="shipping-free-over" inputMode="decimal" value={freeOver} placeholder={t('shop.shipping.freeOverPlaceholder')} onChange={(e) => setFreeOver(e.target.value)} />
          </div>
          <button type="submit" className="button button-small" data-testid="shipping-submit" disabled={action.busy}>
            {action.busy ? t('common.submitting') : t('common.save')}
          </button>
          <FormError error={action.error} />
          {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
        </form>
      ) : null}
    </div>
  );
}
