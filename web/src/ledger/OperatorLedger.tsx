import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { useAction } from '../shop/parts';
import { describeAccountId, withdrawalStatusLabel } from './labels';
import { Metric, StatementView, useStatement } from './StatementView';
import type { AdminLedger, LedgerVerify, SettlementRun, Withdrawal, WithdrawalStatus } from './types';
import { WithdrawalDetail } from './Withdrawals';
import './ledger.css';

/** The journal check: the journal sums to 0, every transfer balances, every kept balance equals its postings, no posting names a missing transfer or account, every pending total equals its pending orders. */
function JournalCheck({ verify }: { verify: LedgerVerify }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const ok = verify.journalSum === 0 && verify.unbalancedTransfers.length === 0 && verify.mismatches.length === 0 && verify.orphanPostings.length === 0 && verify.pendingMismatches.length === 0;
  return (
    <div className={`notice ${ok ? 'notice-approved' : 'notice-error'} ledger-check`} data-testid="ledger-check" data-ok={ok ? 'true' : 'false'} role={ok ? undefined : 'alert'}>
      <p className="ledger-check-title">
        <strong>{ok ? t('ledger.check.ok') : t('ledger.check.bad')}</strong>
      </p>
      <ul className="ledger-check-list">
        <li data-testid="ledger-check-sum" data-fen={verify.journalSum}>
          {t('ledger.check.journalSum', { amount: fmt.fen(verify.journalSum) })}
        </li>
        <li>{t('ledger.check.unbalanced', { count: verify.unbalancedTransfers.length })}</li>
        <li data-testid="ledger-check-orphans" data-count={verify.orphanPostings.length}>
          {t('ledger.check.orphans', { count: verify.orphanPostings.length })}
        </li>
        <li data-testid="ledger-check-pending" data-count={verify.pendingMismatches.length}>
          {t('ledger.check.pending', { count: verify.pendingMismatches.length })}
        </li>
        <li data-testid="ledger-check-mismatches" data-count={verify.mismatches.length}>
          {t('ledger.check.mismatches', { mismatches: verify.mismatches.length, count: verify.accounts })}
        </li>
      </ul>
      {verify.mismatches.length ? (
        <ul className="ledger-check-list mono">
          {verify.mismatches.slice(0, 20).map((m) => (
            <li key={m.accountId}>
              {m.accountId}: {fmt.fen(m.balanceFen)} ≠ {fmt.fen(m.journalFen)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function SettlementRuns({ runs, onRan }: { runs: SettlementRun[]; onRan: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const action = useAction();
  const runNow = async () => {
    const res = await action.run(() => post<{ run: SettlementRun }>('/api/admin/ledger/settlement-runs', {}));
    if (res?.run) onRan();
  };
  const cols = { started: t('ledger.runs.started'), trigger: t('ledger.runs.trigger'), orders: t('ledger.runs.orders'), transfers: t('ledger.runs.transfers'), total: t('ledger.runs.total'), state: t('ledger.runs.state') };
  return (
    <section className="ledger-runs" aria-labelledby="ledger-runs-heading" data-testid="settlement-runs">
      <div className="card-head">
        <h2 id="ledger-runs-heading">{t('ledger.runs.title')}</h2>
        <button type="button" className="button button-small" data-testid="settlement-run-now" disabled={action.busy} onClick={() => void runNow()}>
          {action.busy ? t('common.submitting') : t('ledger.runs.runNow')}
        </button>
      </div>
      <p className="muted">{t('ledger.runs.intro')}</p>
      <FormError error={action.error} />
      {runs.length === 0 ? (
        <Empty testId="settlement-runs-empty">{t('ledger.runs.none')}</Empty>
      ) : (
        <div className="table-wrap ledger-table-wrap">
          <table className="ledger-table">
            <thead>
              <tr>
                <th scope="col">{cols.started}</th>
                <th scope="col">{cols.trigger}</th>
                <th scope="col" className="num">
                  {cols.orders}
                </th>
                <th scope="col" className="num">
                  {cols.transfers}
                </th>
                <th scope="col" className="num">
                  {cols.total}
                </th>
                <th scope="col">{cols.state}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} data-testid="settlement-run" data-run-id={r.id} data-trigger={r.trigger} data-orders={r.orders}>
                  <td data-label={cols.started}>
                    <time dateTime={r.startedAt}>{fmt.timestamp(r.startedAt)}</time>
                  </td>
                  <td data-label={cols.trigger}>{r.trigger === 'operator' || r.trigger === 'sweep' ? t(`ledger.runs.triggers.${r.trigger}`) : r.trigger}</td>
                  <td data-label={cols.orders} className="num">
                    {fmt.number(r.orders)}
                  </td>
                  <td data-label={cols.transfers} className="num">
                    {fmt.number(r.transfers)}
                  </td>
                  <td data-label={cols.total} className="num">
                    {fmt.fen(r.totalFen)}
                  </td>
                  <td data-label={cols.state} className="wrap">
                    {r.error ? (
                      <span className="text-danger">{t('ledger.runs.failed', { error: r.error })}</span>
                    ) : r.finishedAt ? (
                      t('ledger.runs.finished', { time: fmt.moment(r.finishedAt) })
                    ) : (
                      t('ledger.runs.unfinished')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** 资金结算: the platform's fee income and the books around it, the journal check, the settlement runs, the fee statement. */
export function LedgerOverviewPanel() {
  const { t } = useTranslation();
  const state = useApi<AdminLedger>('/api/admin/ledger');
  const fees = useStatement(path`/api/admin/ledger/accounts/${'platform:fees'}`);
  const data = state.data;
  if (state.status === 'error' && data === undefined) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (data === undefined) return <Loading />;
  return (
    <div className="ledger-admin" data-testid="ledger-admin">
      <div className="card-head">
        <h2>{t('ledger.admin.books')}</h2>
        <button type="button" className="button button-ghost button-small" data-testid="ledger-admin-refresh" onClick={state.reload}>
          {t('shop.common.refresh')}
        </button>
      </div>
      <dl className="ledger-metrics">
        <Metric label={t('ledger.admin.fees')} fen={data.platformFeesFen} testId="ledger-fees" tone="good" />
        <Metric label={t('ledger.admin.clearing')} fen={data.clearingFen} testId="ledger-clearing" sub={t('ledger.admin.clearingSub')} />
        <Metric label={t('ledger.admin.buyers')} fen={-data.buyersFen} testId="ledger-buyers" sub={t('ledger.admin.buyersSub')} />
        <Metric label={t('ledger.admin.payoutsPending')} fen={data.payoutsPendingFen} testId="ledger-payouts-pending" sub={t('ledger.admin.payoutsPendingSub', { count: data.pendingWithdrawals.length })} tone={data.pendingWithdrawals.length ? 'warn' : undefined} />
        <Metric label={t('ledger.admin.payouts')} fen={data.payoutsFen} testId="ledger-payouts" />
      </dl>
      <JournalCheck verify={data.verify} />
      <SettlementRuns
        runs={data.runs}
        onRan={() => {
          state.reload();
          fees.state.reload();
        }}
      />
      <StatementView s={fees} title={t('ledger.admin.feeStatement')} withdrawals={false} testId="fee-statement" />
    </div>
  );
}

const FILTERS: readonly (WithdrawalStatus | '')[] = ['requested', 'approved', 'paid', 'rejected', ''];

function QueueRow({ w, onChanged }: { w: Withdrawal; onChanged: (done: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const action = useAction();
  const reasonId = useId();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const account = describeAccountId(t, w.accountId);
  const approve = async () => {
    const res = await action.run(() => post<{ withdrawal: Withdrawal }>(path`/api/admin/ledger/withdrawals/${w.id}/approve`));
    if (res) onChanged(res.withdrawal.status === 'paid' ? t('ledger.queue.paid', { amount: fmt.fen(w.amountFen), payoutNo: res.withdrawal.payoutNo ?? '—' }) : t('ledger.queue.approved', { amount: fmt.fen(w.amountFen) }));
  };
  const reject = async () => {
    if (!reason.trim()) return action.fail(t('ledger.queue.needReason'));
    const res = await action.run(() => post<{ withdrawal: Withdrawal }>(path`/api/admin/ledger/withdrawals/${w.id}/reject`, { reason: reason.trim() }));
    if (res) onChanged(t('ledger.queue.rejected', { amount: fmt.fen(w.amountFen) }));
  };
  return (
    <article className="card ledger-queue-item" data-testid="queue-withdrawal" data-withdrawal-id={w.id} data-status={w.status} data-account-id={w.accountId} data-fen={w.amountFen}>
      <header className="ledger-queue-head">
        <strong className="ledger-queue-amount">{fmt.fen(w.amountFen)}</strong>
        <StatusBadge status={w.status}>{withdrawalStatusLabel(t, w.status)}</StatusBadge>
        <span className="tag tag-muted">{account.word}</span>
        {account.owner ? <span className="mono ledger-queue-owner">{account.owner}</span> : null}
      </header>
      <p className="muted ledger-queue-meta">
        {t('ledger.queue.requestedAt', { time: fmt.timestamp(w.requestedAt) })} · <WithdrawalDetail w={w} />
      </p>
      {w.status === 'requested' ? (
        <>
          <div className="button-row">
            <button type="button" className="button button-success button-small" data-testid="queue-approve" disabled={action.busy} onClick={() => void approve()}>
              {t('ledger.queue.approve')}
            </button>
            {!rejecting ? (
              <button type="button" className="button button-danger button-small" data-testid="queue-reject-open" disabled={action.busy} onClick={() => setRejecting(true)}>
                {t('ledger.queue.reject')}
              </button>
            ) : null}
          </div>
          {rejecting ? (
            <div className="ledger-reject">
              <div className="field">
                <label htmlFor={reasonId}>{t('ledger.queue.reason')}</label>
                <input id={reasonId} data-testid="queue-reason" value={reason} maxLength={200} placeholder={t('ledger.queue.reasonPlaceholder')} onChange={(e) => setReason(e.target.value)} />
              </div>
              <div className="button-row">
                <button type="button" className="button button-danger button-small" data-testid="queue-reject" disabled={action.busy} onClick={() => void reject()}>
                  {t('ledger.queue.rejectConfirm')}
                </button>
                <button type="button" className="button button-ghost button-small" onClick={() => setRejecting(false)}>
                  {t('common.cancel')}
                </button>
              </div>
            </div>
          ) : null}
        </>
      ) : null}
      <FormError error={action.error} />
    </article>
  );
}

/** 提现审核: withdrawals by status; approving pays out through the payment provider (the sandbox in development). */
export function WithdrawalQueuePanel() {
  const { t } = useTranslation();
  const filterId = useId();
  const [status, setStatus] = useState<WithdrawalStatus | ''>('requested');
  const [done, setDone] = useState<string | null>(null);
  const state = useApi<{ withdrawals: Withdrawal[] }>(status ? `/api/admin/ledger/withdrawals?status=${status}` : '/api/admin/ledger/withdrawals');
  const list = state.data?.withdrawals ?? [];
  return (
    <div data-testid="withdrawal-queue">
      <div className="panel-toolbar">
        <div className="field field-inline">
          <label htmlFor={filterId}>{t('ledger.queue.filter')}</label>
          <select id={filterId} data-testid="queue-filter" value={status} onChange={(e) => setStatus(e.target.value as WithdrawalStatus | '')}>
            {FILTERS.map((f) => (
              <option key={f || 'all'} value={f}>
                {f ? withdrawalStatusLabel(t, f) : t('ledger.queue.all')}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button button-ghost button-small" data-testid="queue-refresh" onClick={state.reload}>
          {t('shop.common.refresh')}
        </button>
      </div>
      {done ? <FormSuccess>{done}</FormSuccess> : null}
      {state.status === 'error' && state.data === undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : state.data === undefined ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty testId="queue-empty">{status === 'requested' ? t('ledger.queue.empty') : t('ledger.withdraw.none')}</Empty>
      ) : (
        <div className="ledger-queue">
          {list.map((w) => (
            <QueueRow
              key={w.id}
              w={w}
              onChanged={(msg) => {
                setDone(msg);
                state.reload();
              }}
            />
          ))}
        </div>
      )}
    </div>
  );
}
