// Coupon drops: the running one, and a form for a new one.
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { clock, ConsoleCard, useSecondsLeft, yuan } from '../room/parts';
import type { CouponDrop, RoomState } from '../room/types';
import { useAction, yuanToFen } from '../shop/parts';
import { NumberInput, positiveInt } from './forms';

export function CurrentCoupon({ coupon }: { coupon: CouponDrop }) {
  const { t } = useTranslation();
  const left = useSecondsLeft(coupon.endsAt);
  return (
    <div className="console-current-box" data-testid="console-coupon" data-coupon-id={coupon.id}>
      <p>
        <strong>{coupon.title}</strong> · {t('control.coupon.amountOff', { amount: yuan(coupon.amountOffFen) })}
      </p>
      <p className="muted">
        <span data-testid="console-coupon-remaining">{t('room.coupon.remaining', { remaining: coupon.remaining, total: coupon.total })}</span>
        {left !== null ? ` · ${left > 0 ? t('room.coupon.endsIn', { time: clock(left) }) : t('room.coupon.over')}` : ''}
      </p>
    </div>
  );
}

export function CouponCard({ sessionId, state }: { sessionId: string; state: RoomState | null }) {
  const { t } = useTranslation();
  const action = useAction();
  const titleId = useId();
  const [title, setTitle] = useState('');
  const [amount, setAmount] = useState('5');
  const [total, setTotal] = useState('100');
  const [seconds, setSeconds] = useState('60');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const amountOffFen = yuanToFen(amount);
    const totalN = positiveInt(total);
    const secondsN = positiveInt(seconds);
    if (!title.trim()) return action.fail(t('control.coupon.needTitle'));
    if (amountOffFen === null || amountOffFen <= 0) return action.fail(t('control.coupon.badAmount'));
    if (totalN === null) return action.fail(t('control.coupon.badTotal'));
    if (secondsN === null) return action.fail(t('control.coupon.badSeconds'));
    void action.run(() => post(path`/api/rooms/${sessionId}/coupon-drops`, { title: title.trim(), amountOffFen, total: totalN, seconds: secondsN }), t('control.coupon.started')).then((r) => {
      if (r !== undefined) setTitle('');
    });
  };

  return (
    <ConsoleCard title={t('control.coupon.title')} testId="console-coupon-card">
      {state?.coupon ? <CurrentCoupon coupon={state.coupon} /> : null}
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={titleId}>{t('control.coupon.name')}</label>
          <input id={titleId} data-testid="coupon-title" value={title} maxLength={40} placeholder={t('control.coupon.namePlaceholder')} onChange={(e) => setTitle(e.target.value)} required />
        </div>
        <div className="console-form-row">
          <NumberInput label={t('control.coupon.amount')} value={amount} onChange={setAmount} testId="coupon-amount-input" min={0.01} step="0.01" inputMode="decimal" />
          <NumberInput label={t('control.coupon.total')} value={total} onChange={setTotal} testId="coupon-total" />
          <NumberInput label={t('control.coupon.seconds')} value={seconds} onChange={setSeconds} testId="coupon-seconds" />
        </div>
        <button type="submit" className="button button-small" data-testid="coupon-start" disabled={action.busy}>
          {action.busy ? t('common.submitting') : t('control.coupon.start')}
        </button>
      </form>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </ConsoleCard>
  );
}
