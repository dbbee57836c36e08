import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { useAction } from '../shop/parts';
import { coopLabel, InlineForm, MiniField, percentToBps, StepButton } from '../cooperation/parts';
import { ContractFacts, ContractStateBadge } from './ContractFacts';
import { RIGHTS, type Contract, type McnRight } from './types';
import '../cooperation/cooperation.css';

/** "2026-12-01" (a day in the viewer's time zone) → the ISO moment it begins. */
function dayStart(day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const d = new Date(`${day}T00:00:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function todayValue(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function RightsPicker({ value, onChange }: { value: McnRight[]; onChange: (r: McnRight[]) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="coop-fieldset">
      <legend>{t('mcn.contract.rights')}</legend>
      <p className="field-hint">{t('mcn.offer.rightsHint')}</p>
      <div className="coop-checks">
        {RIGHTS.map((r) => (
          <label key={r} className="field-checkbox">
            <input type="checkbox" data-testid={`contract-right-${r}`} checked={value.includes(r)} onChange={(e) => onChange(e.target.checked ? [...value, r] : value.filter((x) => x !== r))} />
            {coopLabel(t, 'right', r)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** 发起签约: to a streamer by their phone or email; dates, the MCN's split in percent (sent as basis points), exclusivity, rights. */
function OfferContractForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [login, setLogin] = useState('');
  const [from, setFrom] = useState(todayValue());
  const [to, setTo] = useState('');
  const [split, setSplit] = useState('30');
  const [exclusive, setExclusive] = useState(true);
  const [rights, setRights] = useState<McnRight[]>(['manage_products', 'request_samples']);
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const startsAt = dayStart(from);
    const endsAt = to ? dayStart(to) : null;
    const splitBps = percentToBps(split);
    if (!login.trim()) return action.fail(t('mcn.offer.loginRequired'));
    if (!startsAt || (to && !endsAt)) return action.fail(t('mcn.offer.badDates'));
    if (splitBps === null) return action.fail(t('mcn.offer.badSplit'));
    const res = await action.run(() => post(path`/api/orgs/${orgId}/contracts`, { login: login.trim(), startsAt, endsAt, splitBps, exclusive, rights }), t('mcn.offer.sent'));
    if (res !== undefined) onDone();
  };
  return (
    <form className="coop-form" data-testid="contract-form" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('mcn.offer.title')}</h3>
      <div className="coop-form-grid">
        <MiniField label={t('mcn.offer.login')} value={login} onChange={setLogin} testId="contract-login" maxLength={254} placeholder={t('mcn.offer.loginPlaceholder')} />
        <div className="field">
          <label htmlFor={`${id}-from`}>{t('mcn.offer.startsAt')}</label>
          <input id={`${id}-from`} type="date" data-testid="contract-from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>{t('mcn.offer.endsAt')}</label>
          <input id={`${id}-to`} type="date" data-testid="contract-to" value={to} onChange={(e) => setTo(e.target.value)} />
          <p className="field-hint">{t('mcn.offer.endsAtHint')}</p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-split`}>{t('mcn.contract.split')}</label>
          <div className="range-row">
            <input id={`${id}-split`} data-testid="contract-split-input" inputMode="decimal" value={split} maxLength={6} onChange={(e) => setSplit(e.target.value)} />
            <span className="muted">%</span>
          </div>
        </div>
      </div>
      <label className="field-checkbox">
        <input type="checkbox" data-testid="contract-exclusive" checked={exclusive} onChange={(e) => setExclusive(e.target.checked)} />
        {t('mcn.offer.exclusive')}
      </label>
      <RightsPicker value={rights} onChange={setRights} />
      <button type="submit" className="button" data-testid="contract-submit" disabled={action.busy}>
        {action.busy ? t('common.submitting') : t('mcn.offer.submit')}
      </button>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </form>
  );
}

function ContractRow({ orgId, c, canEdit, onDone }: { orgId: string; c: Contract; canEdit: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const base = path`/api/orgs/${orgId}/contracts/${c.id}`;
  const [renewTo, setRenewTo] = useState('');
  const [renewSplit, setRenewSplit] = useState('');
  const [reason, setReason] = useState('');
  return (
    <li className="coop-item" data-testid="contract" data-contract-id={c.id} data-state={c.state} data-streamer-id={c.streamer.id}>
      <div className="coop-item-head">
        <div className="coop-item-main">
          <h3>{c.streamer.displayName}</h3>
          {c.renewedFrom ? <p className="muted">{t('mcn.contract.renewal')}</p> : null}
        </div>
        <ContractStateBadge state={c.state} />
      </div>
      <ContractFacts c={c} />
      {canEdit ? (
      <div className="button-row">
        {c.state === 'offered' ? <StepButton label={t('mcn.contract.cancel')} testId="contract-cancel" run={() => post(`${base}/cancel`)} onDone={onDone} /> : null}
        {(c.state === 'active' || c.state === 'upcoming') && c.endsAt ? (
          <InlineForm
            open={t('mcn.contract.renew')}
            label={t('mcn.contract.renew')}
            testId="contract-renew"
            submitLabel={t('mcn.contract.renewSubmit')}
            validate={() => (dayStart(renewTo) ? (renewSplit.trim() && percentToBps(renewSplit) === null ? t('mcn.offer.badSplit') : null) : t('mcn.offer.badDates'))}
            onSubmit={() => post(`${base}/renew`, { endsAt: dayStart(renewTo), ...(renewSplit.trim() ? { splitBps: percentToBps(renewSplit) } : {}) })}
            onDone={onDone}
          >
            <div className="coop-form-row">
              <div className="field coop-field">
                <label>
                  {t('mcn.offer.endsAt')}
                  <input type="date" data-testid="contract-renew-to" value={renewTo} onChange={(e) => setRenewTo(e.target.value)} />
                </label>
              </div>
              <MiniField label={t('mcn.contract.renewSplit')} value={renewSplit} onChange={setRenewSplit} testId="contract-renew-split" inputMode="decimal" maxLength={6} placeholder={String(c.splitBps / 100)} />
            </div>
          </InlineForm>
        ) : null}
        {c.state === 'active' || c.state === 'upcoming' ? (
          <InlineForm
            open={t('mcn.contract.terminate')}
            label={t('mcn.contract.terminate')}
            testId="contract-terminate"
            submitLabel={t('mcn.contract.terminateSubmit')}
            validate={() => (reason.trim().length >= 2 ? null : t('mcn.contract.reasonRequired'))}
            onSubmit={() => post(`${base}/terminate`, { reason: reason.trim() })}
            onDone={onDone}
          >
            <MiniField label={t('mcn.contract.terminateReason')} value={reason} onChange={setReason} testId="contract-terminate-reason" maxLength={500} />
          </InlineForm>
        ) : null}
      </div>
      ) : null}
    </li>
  );
}

/** 签约: the MCN's contracts, newest first; offer one, renew, terminate, or withdraw an unanswered offer. */
export function McnContracts({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const state = useApi<{ contracts: Contract[] }>(path`/api/orgs/${orgId}/contracts`);
  const [offering, setOffering] = useState(false);
  const list = state.data?.contracts ?? [];
  return (
    <div className="coop-panel" data-testid="mcn-contracts">
      <div className="card-head">
        <h2>{t('mcn.contracts.title')}</h2>
        {canEdit && !offering ? (
          <button type="button" className="button button-small" data-testid="contract-new" onClick={() => setOffering(true)}>
            + {t('mcn.offer.title')}
          </button>
        ) : null}
      </div>
      {offering ? (
        <OfferContractForm
          orgId={orgId}
          onDone={() => {
            setOffering(false);
            state.reload();
          }}
        />
      ) : null}
      {state.status === 'error' && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty testId="contracts-empty">{t('mcn.contracts.none')}</Empty>
      ) : (
        <ul className="coop-list">
          {list.map((c) => (
            <ContractRow key={c.id} orgId={orgId} c={c} canEdit={canEdit} onDone={state.reload} />
          ))}
        </ul>
      )}
    </div>
  );
}
