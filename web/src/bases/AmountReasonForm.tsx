import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { FormError } from '../shared/Field';
import { useAction } from '../shared/useAction';
import { yuanToFen } from '../shop/parts';

/**
 * An amount in yuan and a reason, for a booking: the base's new price before it is charged, or a refund
 * after. The amount is checked here (yuan with at most two decimals, and `accepts`) before anything is
 * sent; the server's refusals show under the form.
 */
export function AmountReasonForm(props: {
  /** The amount the field starts with, as typed (e.g. '300.00'). */
  initial: string;
  accepts: (fen: number) => boolean;
  text: { amount: string; reason: string; submit: string; invalid: string };
  ids: { form: string; amount: string; reason: string; submit: string };
  /** Above the fields (e.g. how much may be refunded). */
  note?: ReactNode;
  /** The fields the server may name that this form shows itself. */
  shownPaths?: string[];
  onSubmit: (amountFen: number, reason: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [amount, setAmount] = useState(props.initial);
  const [reason, setReason] = useState('');
  const [clientError, setClientError] = useState<ApiError | null>(null);
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fen = yuanToFen(amount);
    if (fen === null || !props.accepts(fen)) {
      setClientError(new ApiError({ code: 'CLIENT_INVALID', status: 0, message: props.text.invalid }));
      return;
    }
    setClientError(null);
    await action.run(() => props.onSubmit(fen, reason.trim()));
  };

  return (
    <form className="base-refund-form" data-testid={props.ids.form} onSubmit={(e) => void submit(e)} noValidate>
      {props.note ? <p className="muted base-refund-wide">{props.note}</p> : null}
      <div className="field base-refund-amount">
        <label htmlFor={`${id}-a`}>{props.text.amount}</label>
        <input id={`${id}-a`} data-testid={props.ids.amount} inputMode="decimal" autoComplete="off" maxLength={12} value={amount} onChange={(e) => setAmount(e.target.value)} />
      </div>
      <div className="field base-refund-reason">
        <label htmlFor={`${id}-r`}>{props.text.reason}</label>
        <input id={`${id}-r`} data-testid={props.ids.reason} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <button type="submit" className="button" data-testid={props.ids.submit} disabled={action.busy}>
        {action.busy ? t('common.submitting') : props.text.submit}
      </button>
      <div className="base-refund-wide">
        <FormError error={clientError ?? action.error} shownPaths={props.shownPaths} />
      </div>
    </form>
  );
}
