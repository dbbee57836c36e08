import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post, type ApiError } from '../api';
import { FormError } from '../shared/Field';
import { StatusBadge } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import { ApplicationCard } from './Applications';
import type { Application } from './types';

/**
 * Under a programme in the base's report: its application's status, or a button to apply with this month's report as
 * evidence. A retired programme takes no application: the button gives way to a note, also when the server refuses one
 * because an operator retired the programme after the report was loaded (its message stays on screen).
 */
export function ApplyProgramme({ orgId, programmeId, month, canEdit }: { orgId: string; programmeId: string; month: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const state = useApi<{ applications: Application[] }>(path`/api/orgs/${orgId}/base/applications`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const latest = state.data?.applications.find((a) => a.programme.id === programmeId);
  const retired = error?.code === 'BASE_PROGRAMME_RETIRED' || Boolean(latest?.programme.retiredAt);
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
      {retired ? (
        <span className="muted" data-testid="programme-apply-closed">
          {t('talent.applyClosed')}
        </span>
      ) : canEdit && (!latest || latest.status === 'rejected') ? (
        <button type="button" className="button button-small" disabled={busy} onClick={() => void apply()} data-testid="programme-apply-button">
          {t('talent.apply')}
        </button>
      ) : null}
      <FormError error={error} />
    </div>
  );
}

/**
 * The base's applications for programmes retired since (they are no longer in the programme check): each with its
 * programme's year, 已停止受理, its status and its evidence; a note that the programme takes no application stands
 * where the apply button would be.
 */
export function RetiredProgrammeApplications({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const state = useApi<{ applications: Application[] }>(path`/api/orgs/${orgId}/base/applications`);
  const applications = state.data?.applications.filter((a) => a.programme.retiredAt) ?? [];
  if (!applications.length) return null;
  return (
    <section data-testid="retired-programme-applications">
      <h3>{t('talent.retiredApplications')}</h3>
      {applications.map((a) => (
        <ApplicationCard key={a.id} application={a} showBase={false} testId="retired-programme-application" />
      ))}
    </section>
  );
}
