import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { entryKindLabel } from '../ledger/labels';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { beijingDate, beijingTime } from './time';

type Income = {
  accountId: string;
  balanceFen: number;
  studioFeesFen: number;
  cancelFeesFen: number;
  toChargeFen: number;
  toChargeBookings: number;
  entries: { transferId: string; time: string; kind: string; memo: string; amountFen: number; balanceAfterFen: number }[];
};

/**
 * The base's studio income (docs/BASES.md, "Charging"): its ledger account `base:<orgId>`, what the studio
 * time and the late-cancellation fees brought in, what is still to charge, and the latest entries.
 * Owners and admins only (GET /api/orgs/:orgId/base/income).
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
