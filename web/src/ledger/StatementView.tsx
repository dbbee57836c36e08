import { useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { entryKindLabel, entryWord } from './labels';
import { dayValue, PERIOD_CHOICES, periodOf, periodQuery, type PeriodChoice } from './period';
import type { Statement, Withdrawal } from './types';
import './ledger.css';

/** The newest entries a statement page shows; the CSV has every entry of the period. */
export const STATEMENT_LIMIT = 1000;

/** One account's statement: the period chosen, the API's answer for it, and the CSV address. */
export function useStatement(endpoint: string) {
  const [choice, setChoice] = useState<PeriodChoice>('thisMonth');
  const [custom, setCustom] = useState(() => {
    const now = new Date();
    return { from: dayValue(new Date(now.getFullYear(), now.getMonth(), 1)), to: dayValue(now) };
  });
  const period = useMemo(() => periodOf(choice, custom), [choice, custom]);
  const state = useApi<Statement>(period ? `${endpoint}?${periodQuery(period, { limit: String(STATEMENT_LIMIT) })}` : null);
  const csvHref = period ? `${endpoint}?${periodQuery(period, { format: 'csv' })}` : null;
  return { endpoint, choice, setChoice, custom, setCustom, period, state, csvHref };
}

export type StatementState = ReturnType<typeof useStatement>;

const sum = (list: Withdrawal[], ...statuses: string[]) => list.filter((w) => statuses.includes(w.status)).reduce((s, w) => s + w.amountFen, 0);

/** A signed amount: "+¥12.00" / "-¥3.00". */
export function useSignedFen() {
  const fmt = useFormat();
  return (fen: number) => (fen > 0 ? `+${fmt.fen(fen)}` : fmt.fen(fen));
}

export function Metric({ label, fen, testId, sub, tone }: { label: string; fen: number; testId: string; sub?: ReactNode; tone?: 'good' | 'warn' | 'bad' }) {
  const fmt = useFormat();
  return (
    <div className={`metric ledger-metric${tone ? ` metric-${tone}` : ''}`} data-testid={testId} data-fen={fen}>
      <dt>{label}</dt>
      <dd>
        <span className="metric-value" data-testid={`${testId}-value`}>
          {fmt.fen(fen)}
        </span>
        {sub ? <span className="metric-sub">{sub}</span> : null}
      </dd>
    </div>
  );
}

/** Available now, waiting for settlement (when the API says), being withdrawn, withdrawn. */
export function BalanceCards({ statement, withdrawals = true }: { statement: Statement; withdrawals?: boolean }) {
  const { t } = useTranslation();
  const balance = statement.account.balanceFen;
  return (
    <dl className="ledger-metrics" data-testid="ledger-balances" data-account-id={statement.account.id}>
      <Metric label={withdrawals ? t('ledger.balance.available') : t('ledger.balance.current')} fen={balance} testId="ledger-available" tone={balance < 0 ? 'bad' : 'good'} sub={balance < 0 ? t('ledger.balance.negative') : undefined} />
      {typeof statement.pendingSettlementFen === 'number' ? (
        <Metric label={t('ledger.balance.pendingSettlement')} fen={statement.pendingSettlementFen} testId="ledger-pending-settlement" sub={t('ledger.balance.pendingSettlementSub')} />
      ) : null}
      {withdrawals ? (
        <>
          <Metric label={t('ledger.balance.inWithdrawal')} fen={sum(statement.withdrawals, 'requested', 'approved')} testId="ledger-in-withdrawal" sub={t('ledger.balance.inWithdrawalSub')} />
          <Metric label={t('ledger.balance.withdrawn')} fen={sum(statement.withdrawals, 'paid')} testId="ledger-withdrawn" />
        </>
      ) : null}
    </dl>
  );
}

export function PeriodPicker({ s }: { s: StatementState }) {
  const { t } = useTranslation();
  const name = useId();
  const fromId = useId();
  const toId = useId();
  return (
    <fieldset className="ledger-period" data-testid="ledger-period" data-choice={s.choice}>
      <legend className="ledger-period-legend">{t('ledger.period.label')}</legend>
      <div className="choice-group">
        {PERIOD_CHOICES.map((c) => (
          <label key={c} className={`choice choice-small${s.choice === c ? ' choice-active' : ''}`}>
            <input type="radio" name={name} data-testid={`ledger-period-${c}`} checked={s.choice === c} onChange={() => s.setChoice(c)} />
            {t(`ledger.period.${c}`)}
          </label>
        ))}
      </div>
      {s.choice === 'custom' ? (
        <div className="ledger-custom">
          <div className="field">
            <label htmlFor={fromId}>{t('ledger.period.from')}</label>
            <input id={fromId} type="date" data-testid="ledger-period-from" value={s.custom.from} max={s.custom.to || undefined} onChange={(e) => s.setCustom({ ...s.custom, from: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={toId}>{t('ledger.period.to')}</label>
            <input id={toId} type="date" data-testid="ledger-period-to" value={s.custom.to} min={s.custom.from || undefined} onChange={(e) => s.setCustom({ ...s.custom, to: e.target.value })} />
          </div>
          {s.period === null ? (
            <p className="field-error" role="alert" data-testid="ledger-period-invalid">
              {t('ledger.period.invalid')}
            </p>
          ) : null}
        </div>
      ) : null}
    </fieldset>
  );
}

/** Opening, in, out, closing of the period; in and out are summed from the lines only when every line of the period is shown. */
function PeriodTotals({ statement }: { statement: Statement }) {
  const { t } = useTranslation();
  const signed = useSignedFen();
  const fmt = useFormat();
  const complete = statement.entries.length === statement.count;
  const income = statement.entries.filter((e) => e.amountFen > 0).reduce((s, e) => s + e.amountFen, 0);
  const out = statement.entries.filter((e) => e.amountFen < 0).reduce((s, e) => s + e.amountFen, 0);
  return (
    <dl className="ledger-totals" data-testid="ledger-totals" data-opening-fen={statement.openingFen} data-closing-fen={statement.closingFen} data-count={statement.count}>
      <div>
        <dt>{t('ledger.totals.opening')}</dt>
        <dd data-testid="ledger-opening">{fmt.fen(statement.openingFen)}</dd>
      </div>
      {complete ? (
        <>
          <div>
            <dt>{t('ledger.totals.in')}</dt>
            <dd className="ledger-plus" data-testid="ledger-in" data-fen={income}>
              {signed(income)}
            </dd>
          </div>
          <div>
            <dt>{t('ledger.totals.out')}</dt>
            <dd className="ledger-minus" data-testid="ledger-out" data-fen={out}>
              {signed(out)}
            </dd>
          </div>
        </>
      ) : null}
      <div>
        <dt>{t('ledger.totals.net')}</dt>
        <dd data-testid="ledger-net" data-fen={statement.closingFen - statement.openingFen}>
          {signed(statement.closingFen - statement.openingFen)}
        </dd>
      </div>
      <div>
        <dt>{t('ledger.totals.closing')}</dt>
        <dd className="ledger-strong" data-testid="ledger-closing">
          {fmt.fen(statement.closingFen)}
        </dd>
      </div>
      <div>
        <dt>{t('ledger.totals.count')}</dt>
        <dd data-testid="ledger-count">{fmt.number(statement.count)}</dd>
      </div>
    </dl>
  );
}

function JournalLines({ statement }: { statement: Statement }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const signed = useSignedFen();
  const kind = statement.account.kind;
  const cols = { time: t('ledger.cols.time'), kind: t('ledger.cols.kind'), order: t('ledger.cols.order'), amount: t('ledger.cols.amount'), balance: t('ledger.cols.balanceAfter') };
  if (statement.entries.length === 0) return <Empty testId="ledger-empty">{t('ledger.noEntries')}</Empty>;
  return (
    <>
      {statement.entries.length < statement.count ? (
        <p className="muted" data-testid="ledger-truncated">
          {t('ledger.truncated', { shown: statement.entries.length, count: statement.count })}
        </p>
      ) : null}
      <div className="table-wrap ledger-table-wrap">
        <table className="ledger-table" data-testid="ledger-entries">
          <thead>
            <tr>
              <th scope="col">{cols.time}</th>
              <th scope="col">{cols.kind}</th>
              <th scope="col">{cols.order}</th>
              <th scope="col" className="num">
                {cols.amount}
              </th>
              <th scope="col" className="num">
                {cols.balance}
              </th>
            </tr>
          </thead>
          <tbody>
            {statement.entries.map((e) => (
              <tr key={`${e.transferId}-${e.amountFen}`} data-testid="ledger-entry" data-kind={e.kind} data-word={entryWord(e.kind, kind) ?? e.kind} data-order-id={e.orderId ?? ''} data-fen={e.amountFen}>
                <td data-label={cols.time}>
                  <time dateTime={e.time}>{fmt.timestamp(e.time)}</time>
                </td>
                <td data-label={cols.kind}>
                  <span className={`ledger-kind ledger-kind-${entryWord(e.kind, kind) ?? 'other'}`}>{entryKindLabel(t, e.kind, kind)}</span>
                </td>
                <td data-label={cols.order} className="mono ledger-order" title={e.orderId ?? undefined}>
                  {e.orderId ?? '—'}
                </td>
                <td data-label={cols.amount} className={`num ${e.amountFen < 0 ? 'ledger-minus' : 'ledger-plus'}`}>
                  {signed(e.amountFen)}
                </td>
                <td data-label={cols.balance} className="num">
                  {fmt.fen(e.balanceAfterFen)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/**
 * A party's statement (对账单), the same for a streamer, a brand, an MCN and the platform: the balances, a period,
 * the period's totals and journal lines, and the CSV of the period.
 */
export function StatementView({ s, title, withdrawals = true, testId = 'ledger-statement' }: { s: StatementState; title: string; withdrawals?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const { state } = s;
  const statement = state.data;
  // The balances do not depend on the period: keep showing them while another period loads.
  const last = useRef<Statement | undefined>(undefined);
  if (statement) last.current = statement;
  return (
    <section
      className="ledger-statement"
      data-testid={testId}
      data-ready={state.status === 'ready' ? 'true' : 'false'}
      data-period={statement ? `${statement.period.from ?? ''}/${statement.period.to ?? ''}` : undefined}
      aria-label={title}
    >
      <div className="card-head ledger-head">
        <h2>{title}</h2>
        <div className="button-row">
          <button type="button" className="button button-ghost button-small" data-testid="ledger-refresh" onClick={state.reload} disabled={state.status === 'loading'}>
            {t('shop.common.refresh')}
          </button>
          {s.csvHref ? (
            <a className="button button-secondary button-small" href={s.csvHref} download data-testid="ledger-csv">
              {t('ledger.csv')}
            </a>
          ) : null}
        </div>
      </div>
      {last.current ? <BalanceCards statement={last.current} withdrawals={withdrawals} /> : null}
      <PeriodPicker s={s} />
      {state.status === 'error' ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : state.status === 'idle' ? null : statement === undefined ? (
        <Loading />
      ) : (
        <>
          <PeriodTotals statement={statement} />
          <JournalLines statement={statement} />
        </>
      )}
    </section>
  );
}
