import { useTranslation } from 'react-i18next';
import { useFormat } from '../shared/format';
import { StatusBadge } from '../shared/Status';
import { bpsText, coopLabel, localDay } from '../cooperation/parts';
import type { Contract } from './types';

export function ContractStateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <StatusBadge status={state === 'active' ? 'approved' : state === 'offered' || state === 'upcoming' ? 'pending' : state === 'terminated' ? 'rejected' : 'ended'}>
      <span data-testid="contract-state" data-state={state}>
        {coopLabel(t, 'contractState', state)}
      </span>
    </StatusBadge>
  );
}

/** A contract's terms: split, exclusivity, rights, dates, and how it ended. */
export function ContractFacts({ c }: { c: Contract }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <dl className="facts facts-inline">
      <dt>{t('mcn.contract.split')}</dt>
      <dd data-testid="contract-split" data-bps={c.splitBps}>
        {bpsText(c.splitBps)}
      </dd>
      <dt>{t('mcn.contract.exclusive')}</dt>
      <dd>{c.exclusive ? t('mcn.contract.exclusiveYes') : t('mcn.contract.exclusiveNo')}</dd>
      <dt>{t('mcn.contract.term')}</dt>
      <dd>
        {localDay(c.startsAt, fmt.locale)} – {c.endsAt ? localDay(c.endsAt, fmt.locale) : t('mcn.contract.openEnded')}
      </dd>
      <dt>{t('mcn.contract.rights')}</dt>
      <dd data-testid="contract-rights">{c.rights.length ? c.rights.map((r) => coopLabel(t, 'right', r)).join(t('common.listSeparator')) : t('mcn.contract.noRights')}</dd>
      {c.acceptedAt ? (
        <>
          <dt>{t('mcn.contract.acceptedAt')}</dt>
          <dd>{fmt.timestamp(c.acceptedAt)}</dd>
        </>
      ) : null}
      {c.terminatedAt ? (
        <>
          <dt>{t('mcn.contract.terminatedAt')}</dt>
          <dd>
            {fmt.timestamp(c.terminatedAt)} · {c.terminatedBy === 'mcn' ? t('mcn.contract.byMcn') : t('mcn.contract.byStreamer')}
            {c.terminationReason ? ` · ${c.terminationReason}` : ''}
          </dd>
        </>
      ) : null}
      {c.declineReason ? (
        <>
          <dt>{t('mcn.contract.declineReason')}</dt>
          <dd>{c.declineReason}</dd>
        </>
      ) : null}
    </dl>
  );
}
