import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { entryKindLabel } from '../ledger/labels';
import type { Withdrawal } from '../ledger/types';
import { WithdrawalForm, WithdrawalList } from '../ledger/Withdrawals';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { BookingRefunds, type ChargedBooking, type RefundRow } from './BookingRefunds';
import { beijingDate, beijingTime } from './time';
// The ledger's withdrawal form and list, with their styles (web/src/ledger).
import '../ledger/ledger.css';

type Income = {
  accountId: string;
  balanceFen: number;
  studioFeesFen: number;
  cancelFeesFen: number;
  refundsFen: number;
  inWithdrawalFen: number;
  withdrawnFen: number;
  withdrawals: Withdrawal[];
  toChargeFen: number;
  toChargeBookings: number;
  entries: { transferId: string; time: string; kind: string; memo: string; amountFen: number; balanceAfterFen: number }[];
  refunds: RefundRow[];
  charged: ChargedBooking[];
};

/**
 * The base's studio income (docs/BASES.md, "Charging", "Refunds", "Withdrawals"): its ledger account
 * `base:<orgId>`, what the studio time and the late-cancellation fees brought in, what it refunded, what is
 * being or has been withdrawn, what is still to charge; the withdrawal form (the ledger's own withdrawal
 * flow, POST /api/orgs/:orgId/ledger/withdrawals) and the base's withdrawals; refunds of charged bookings;
 * the latest entries. Owners and admins only (GET /api/orgs/:orgId/base/income).
 */
export function StudioIncome({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ income: Income }>(path`/api/orgs/${orgId}/base/income`);
  const income = state.data?.income;
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!income) return <Loading />;
  return (
    <section className="base-income" data-testid="base-income" aria-labelledby="base-income-title">
      <h3 id="base-income-title">{t('bases.income.title')}</h3>
      <dl className="base-kpis">
        {(
          [
            ['balance', t('bases.income.balance'), income.balanceFen],
            ['studioFees', t('bases.income.studioFees'), income.studioFeesFen],
            ['cancelFees', t('bases.income.cancelFees'), income.cancelFeesFen],
            ['refunds', t('bases.income.refunds'), income.refundsFen],
            ['inWithdrawal', t('bases.income.inWithdrawal'), income.inWithdrawalFen],
            ['withdrawn', t('bases.income.withdrawn'), income.withdrawnFen],
            ['toCharge', t('bases.income.toCharge', { count: income.toChargeBookings }), income.toChargeFen],
          ] as const
        ).map(([key, label, fen]) => (
          <div className="base-kpi" key={key} data-testid={`income-${key}`} data-fen={fen}>
            <dt>{label}</dt>
            <dd>{fmt.fen(fen)}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">{t('bases.income.note')}</p>

      <section className="base-withdrawals" data-testid="base-withdrawals" aria-labelledby="base-withdrawals-title">
        <h4 id="base-withdrawals-title">{t('bases.income.withdrawTitle')}</h4>
        <p className="muted">{t('bases.income.withdrawNote')}</p>
        <WithdrawalForm endpoint={path`/api/orgs/${orgId}/ledger/withdrawals`} availableFen={income.balanceFen} onDone={state.reload} />
        <WithdrawalList withdrawals={income.withdrawals} />
      </section>

      <BookingRefunds orgId={orgId} charged={income.charged} refunds={income.refunds} onDone={state.reload} />

      <h4>{t('bases.income.recent')}</h4>
      {!income.entries.length ? (
        <Empty testId="income-empty">{t('bases.income.empty')}</Empty>
      ) : (
        <div className="table-wrap">
          <table data-testid="income-entries">
            <thead>
              <tr>
                <th scope="col">{t('bases.income.time')}</th>
                <th scope="col">{t('bases.income.kind')}</th>
                <th scope="col" className="num">{t('bases.income.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {income.entries.map((e) => (
                <tr key={e.transferId} data-testid="income-entry" data-kind={e.kind}>
                  <td className="mono">
                    {beijingDate(Date.parse(e.time))} {beijingTime(e.time)}
                  </td>
                  <td>{entryKindLabel(t, e.kind, 'base')}</td>
                  <td className="num">{fmt.fen(e.amountFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
