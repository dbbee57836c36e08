import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { InlineForm, MiniField, StepButton } from '../cooperation/parts';
import { ContractFacts, ContractStateBadge } from './ContractFacts';
import type { Contract } from './types';
import '../cooperation/cooperation.css';

function ContractItem({ c, onDone }: { c: Contract; onDone: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [endReason, setEndReason] = useState('');
  const base = path`/api/me/mcn-contracts/${c.id}`;
  return (
    <li className="coop-item" data-testid="my-contract" data-contract-id={c.id} data-state={c.state}>
      <div className="coop-item-head">
        <div className="coop-item-main">
          <h3>{c.mcn.name}</h3>
          {c.renewedFrom ? <p className="muted">{t('mcn.contract.renewal')}</p> : null}
        </div>
        <ContractStateBadge state={c.state} />
      </div>
      <ContractFacts c={c} />
      {c.state === 'offered' ? (
        <div className="button-row">
          <StepButton label={t('mcn.my.accept')} testId="contract-accept" tone="primary" run={() => post(`${base}/accept`)} onDone={onDone} />
          <InlineForm open={t('mcn.my.decline')} label={t('mcn.my.decline')} testId="contract-decline" submitLabel={t('mcn.my.declineSubmit')} onSubmit={() => post(`${base}/decline`, reason.trim() ? { reason: reason.trim() } : {})} onDone={onDone}>
            <MiniField label={t('coop.applications.reason')} value={reason} onChange={setReason} testId="contract-decline-reason" maxLength={500} />
          </InlineForm>
        </div>
      ) : null}
      {c.state === 'active' || c.state === 'upcoming' ? (
        <InlineForm
          open={t('mcn.contract.terminate')}
          label={t('mcn.contract.terminate')}
          testId="contract-terminate"
          submitLabel={t('mcn.contract.terminateSubmit')}
          validate={() => (endReason.trim().length >= 2 ? null : t('mcn.contract.reasonRequired'))}
          onSubmit={() => post(`${base}/terminate`, { reason: endReason.trim() })}
          onDone={onDone}
        >
          <MiniField label={t('mcn.contract.terminateReason')} value={endReason} onChange={setEndReason} testId="contract-terminate-reason" maxLength={500} />
        </InlineForm>
      ) : null}
    </li>
  );
}

/** 我的签约: the contracts MCNs offered this streamer (accept or decline) and the one in force. */
export function MyContracts() {
  const { t } = useTranslation();
  const state = useApi<{ contracts: Contract[] }>('/api/me/mcn-contracts');
  const list = state.data?.contracts ?? [];
  const inForce = list.find((c) => c.state === 'active');
  return (
    <div className="coop-panel" data-testid="my-contracts">
      <h2>{t('mcn.my.title')}</h2>
      {state.status === 'error' && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty testId="contracts-empty">{t('mcn.my.none')}</Empty>
      ) : (
        <>
          <p className={inForce ? 'notice notice-approved' : 'notice'} data-testid="contract-in-force" data-contract-id={inForce?.id ?? ''}>
            {inForce ? t('mcn.my.inForce', { mcn: inForce.mcn.name, split: `${Number((inForce.splitBps / 100).toFixed(2))}%` }) : t('mcn.my.noneInForce')}
          </p>
          <ul className="coop-list">
            {list.map((c) => (
              <ContractItem key={c.id} c={c} onDone={state.reload} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
