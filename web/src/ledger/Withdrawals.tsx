import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, StatusBadge } from '../shared/Status';
import { useAction, yuanToFen } from '../shop/parts';
import { withdrawalStatusLabel } from './labels';
import type { Withdrawal } from './types';

/**
 * 申请提现: the amount is typed in yuan and sent as integer fen; the server decides whether the balance covers it
 * and its message (余额不足 …) is shown as it comes.
 */
export function WithdrawalForm({ endpoint, availableFen, onDone }: { endpoint: string; availableFen: number; onDone: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const amountId = useId();
  const hintId = useId();
  const [amount, setAmount] = useState('');
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const amountFen = yuanToFen(amount);
    if (amountFen === null || amountFen <= 0) return action.fail(t('ledger.withdraw.badAmount'));
    const res = await action.run(() => post<{ withdrawal: Withdrawal }>(endpoint, { amountFen }), t('ledger.withdraw.requested', { amount: fmt.fen(amountFen) }));
    if (res !== undefined) {
      setAmount('');
      onDone();
    }
  };

  return (
    <form className="ledger-withdraw-form" data-testid="withdraw-form" onSubmit={(e) => void submit(e)} noValidate>
      <div className={`field${action.error ? ' field-invalid' : ''}`}>
        <label htmlFor={amountId}>{t('ledger.withdraw.amount')}</label>
        <div className="ledger-amount-row">
          <span className="ledger-currency" aria-hidden="true">
            ¥
          </span>
          <input
            id={amountId}
            name="amount"
            data-testid="withdraw-amount"
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            maxLength={12}
            placeholder="0.00"
            aria-describedby={hintId}
            onChange={(e) => setAmount(e.target.value)}
          />
          <button type="button" className="button button-ghost button-small" data-testid="withdraw-all" disabled={availableFen <= 0} onClick={() => setAmount((availableFen / 100).toFixed(2))}>
            {t('ledger.withdraw.all')}
          </button>
          <button type="submit" className="button" data-testid="withdraw-submit" disabled={action.busy}>
            {action.busy ? t('common.submitting') : t('ledger.withdraw.submit')}
          </button>
        </div>
        <p className="field-hint" id={hintId}>
          {t('ledger.withdraw.hint', { amount: fmt.fen(Math.max(0, availableFen)) })}
        </p>
      </div>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </form>
  );
}

/** A party's withdrawals, newest first, with their status, payout number or rejection reason. */
export function WithdrawalList({ withdrawals }: { withdrawals: Withdrawal[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (withdrawals.length === 0) return <Empty testId="withdrawals-empty">{t('ledger.withdraw.none')}</Empty>;
  const cols = { time: t('ledger.withdraw.requestedAt'), amount: t('ledger.withdraw.amountCol'), status: t('ledger.withdraw.status'), detail: t('ledger.withdraw.detail') };
  return (
    <div className="table-wrap ledger-table-wrap">
      <table className="ledger-table" data-testid="withdrawals">
        <thead>
          <tr>
            <th scope="col">{cols.time}</th>
            <th scope="col" className="num">
              {cols.amount}
            </th>
            <th scope="col">{cols.status}</th>
            <th scope="col">{cols.detail}</th>
          </tr>
        </thead>
        <tbody>
          {withdrawals.map((w) => (
            <tr key={w.id} data-testid="withdrawal" data-withdrawal-id={w.id} data-status={w.status} data-fen={w.amountFen}>
              <td data-label={cols.time}>
                <time dateTime={w.requestedAt}>{fmt.timestamp(w.requestedAt)}</time>
              </td>
              <td data-label={cols.amount} className="num">
                {fmt.fen(w.amountFen)}
              </td>
              <td data-label={cols.status}>
                <StatusBadge status={w.status}>
                  <span data-testid="withdrawal-status">{withdrawalStatusLabel(t, w.status)}</span>
                </StatusBadge>
              </td>
              <td data-label={cols.detail} className="wrap">
                <WithdrawalDetail w={w} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function WithdrawalDetail({ w }: { w: Withdrawal }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (w.status === 'paid') {
    return (
      <>
        {t('ledger.withdraw.paidAt', { time: fmt.timestamp(w.paidAt) })}
        {w.payoutNo ? (
          <>
            {' · '}
            <span className="mono">{w.payoutNo}</span>
          </>
        ) : null}
      </>
    );
  }
  if (w.status === 'rejected') return <>{t('ledger.withdraw.rejectedBecause', { reason: w.reason ?? '—' })}</>;
  if (w.status === 'approved') return <>{t('ledger.withdraw.approvedWaiting')}</>;
  return <>{t('ledger.withdraw.waiting')}</>;
}
