import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post, type ApiError } from '../api';
import { FormError } from '../shared/Field';
import { StatusBadge } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import type { Application } from './types';

/** Under a programme in the base's report: its application's status, or a button to apply with this month's report as evidence. */
export function ApplyProgramme({ orgId, programmeId, month, canEdit }: { orgId: string; programmeId: string; month: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const state = useApi<{ applications: Application[] }>(path`/api/orgs/${orgId}/base/applications`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const latest = state.data?.applications.find((a) => a.programme.id === programmeId);
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      await post(path`/api/orgs/${orgId}/base/applications`, { programmeId, month });
      state.reload();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="button-row" data-testid="programme-apply">
      {latest ? (
        <span>
          {t('talent.applications')} ({latest.month}): <StatusBadge status={latest.status}>{t(`commission.status.${latest.status}`)}</StatusBadge>
        </span>
      ) : null}
      {canEdit && (!latest || latest.status === 'rejected') ? (
        <button type="button" className="button button-small" disabled={busy} onClick={() => void apply()} data-testid="programme-apply-button">
          {t('talent.apply')}
        </button>
      ) : null}
      <FormError error={error} />
    </div>
  );
}
