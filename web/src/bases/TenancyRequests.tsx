import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { StatusBadge } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import { useAction } from '../shop/parts';
import type { Tenancy } from './types';
import './bases.css';

/**
 * In any organisation's console, for its owners and admins: the bases that list it as their tenant (入驻机构,
 * docs/BASES.md "Tenants and events"). A request waiting for an answer has 确认 and 拒绝 (once; the server refuses a
 * second answer); answered ones show how they were answered, and a confirmed one has 撤回确认 (asked once more first:
 * a withdrawn link counts nowhere and only the base listing it anew asks again). Nothing is shown when no base lists
 * the organisation.
 */
export function TenancyRequests({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ tenancies: Tenancy[] }>(path`/api/orgs/${orgId}/base-tenancies`);
  const rows = listFrom<Tenancy>(state.data, 'tenancies');
  const action = useAction();
  if (!rows.length) return null;
  const pending = rows.filter((r) => r.confirmation === 'pending').length;

  const answer = async (r: Tenancy, decision: 'confirm' | 'decline' | 'withdraw') => {
    if (decision === 'withdraw' && !window.confirm(t('bases.tenancies.confirmWithdraw', { base: r.baseName }))) return;
    const done = t(`bases.tenancies.${decision === 'confirm' ? 'confirmed' : decision === 'decline' ? 'declined' : 'withdrawn'}`, { base: r.baseName });
    if ((await action.run(() => post(path`/api/orgs/${orgId}/base-tenancies/${r.id}/${decision}`), done)) !== undefined) state.reload();
  };

  return (
    <section className="card tenancy-requests" data-testid="tenancy-requests" aria-labelledby={`tenancies-${orgId}`}>
      <h2 id={`tenancies-${orgId}`}>{t('bases.tenancies.title')}</h2>
      <p className="muted">{pending ? t('bases.tenancies.pendingNote', { count: pending }) : t('bases.tenancies.note')}</p>
      <ul className="plain-list">
        {rows.map((r) => (
          <li key={r.id} data-testid="tenancy-request" data-confirmation={r.confirmation}>
            <strong>{r.baseName}</strong> · {r.name} · {t(`bases.tenants.kinds.${r.kind}`)} · <span className="mono">{r.leaseStart} – {r.leaseEnd}</span>
            {r.areaSqm ? ` · ${t('bases.studios.areaValue', { area: r.areaSqm })}` : ''}
            {r.monthlyRentFen ? ` · ${t('bases.tenants.rent')} ${fmt.fen(r.monthlyRentFen)}` : ''}{' '}
            <StatusBadge status={r.confirmation === 'confirmed' ? 'approved' : r.confirmation === 'declined' || r.confirmation === 'withdrawn' ? 'rejected' : 'pending'}>{t(`bases.tenants.confirmations.${r.confirmation}`)}</StatusBadge>
            {r.confirmation === 'pending' ? (
              <span className="button-row">
                <button type="button" className="button button-small" data-testid="tenancy-confirm" disabled={action.busy} onClick={() => void answer(r, 'confirm')}>
                  {t('bases.tenancies.confirm')}
                </button>
                <button type="button" className="button button-small button-ghost" data-testid="tenancy-decline" disabled={action.busy} onClick={() => void answer(r, 'decline')}>
                  {t('bases.tenancies.decline')}
                </button>
              </span>
            ) : (
              <>
                {r.decidedAt ? <span className="muted"> {fmt.timestamp(r.decidedAt)}</span> : null}
                {r.confirmation === 'confirmed' ? (
                  <span className="button-row">
                    <button type="button" className="button button-small button-ghost" data-testid="tenancy-withdraw" disabled={action.busy} onClick={() => void answer(r, 'withdraw')}>
                      {t('bases.tenancies.withdraw')}
                    </button>
                  </span>
                ) : null}
              </>
            )}
          </li>
        ))}
      </ul>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </section>
  );
}
