import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { StatementView, useStatement } from './StatementView';
import { WithdrawalForm, WithdrawalList } from './Withdrawals';

/**
 * A party's money: its statement and its withdrawals. `withdrawEndpoint` is null for whoever may read the account
 * but not take money out of it (an operator looking at an organisation).
 */
export function AccountMoney({ endpoint, withdrawEndpoint, title, testId }: { endpoint: string; withdrawEndpoint: string | null; title: string; testId: string }) {
  const { t } = useTranslation();
  const s = useStatement(endpoint);
  const statement = s.state.data;
  return (
    <div className="ledger-account" data-testid={testId}>
      <StatementView s={s} title={title} />
      {statement ? (
        <section className="ledger-withdrawals" aria-labelledby={`${testId}-withdrawals`} data-testid="ledger-withdrawals">
          <h2 id={`${testId}-withdrawals`}>{t('ledger.withdraw.title')}</h2>
          {withdrawEndpoint ? (
            <WithdrawalForm endpoint={withdrawEndpoint} availableFen={statement.account.balanceFen} onDone={s.state.reload} />
          ) : (
            <p className="muted" data-testid="withdraw-not-allowed">
              {t('ledger.withdraw.readOnly')}
            </p>
          )}
          <WithdrawalList withdrawals={statement.withdrawals} />
        </section>
      ) : null}
    </div>
  );
}

/** 我的收益: a streamer's own commission account. */
export function MyEarnings() {
  const { t } = useTranslation();
  return <AccountMoney endpoint="/api/me/ledger" withdrawEndpoint="/api/me/ledger/withdrawals" title={t('ledger.myEarnings')} testId="my-earnings" />;
}

/** 结算与提现: a brand's or an MCN's account; only its own owners and admins withdraw (never an operator). */
export function OrgMoney({ orgId, orgKind, canWithdraw }: { orgId: string; orgKind: 'brand' | 'mcn'; canWithdraw: boolean }) {
  const { t } = useTranslation();
  return (
    <AccountMoney
      endpoint={path`/api/orgs/${orgId}/ledger`}
      withdrawEndpoint={canWithdraw ? path`/api/orgs/${orgId}/ledger/withdrawals` : null}
      title={orgKind === 'brand' ? t('ledger.brandStatement') : t('ledger.mcnEarnings')}
      testId="org-money"
    />
  );
}
