import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import type { ApiError } from '../api';
import { CriteriaLine, EvidenceList } from './Evidence';
import type { Candidate, Criteria, Nomination } from './types';

/** A training centre's or an MCN's tab: its candidates checked against the criteria, nominate, and its nominations. */
export function TalentPanel({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const candidates = useApi<{ criteria: Criteria; candidates: Candidate[] }>(path`/api/orgs/${orgId}/talent/candidates`);
  const nominations = useApi<{ nominations: Nomination[] }>(path`/api/orgs/${orgId}/talent/nominations`);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  if (candidates.status === 'error' && !candidates.data) return <ErrorNotice error={candidates.error} onRetry={candidates.reload} />;
  if (!candidates.data) return <Loading />;

  const nominate = async (streamerId: string) => {
    setBusy(streamerId);
    setError(null);
    try {
      await post(path`/api/orgs/${orgId}/talent/nominations`, { streamerId, note: notes[streamerId] ?? '' });
      candidates.reload();
      nominations.reload();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div data-testid="talent-panel">
      <CriteriaLine criteria={candidates.data.criteria} />
      <FormError error={error} />
      <h3>{t('talent.candidates')}</h3>
      {candidates.data.candidates.length === 0 ? <Empty testId="talent-no-candidates">{t('talent.noCandidates')}</Empty> : null}
      {candidates.data.candidates.map((c) => (
        <article key={c.streamer.id} className="card talent-candidate" data-testid="talent-candidate" data-eligible={c.eligible}>
          <h4>
            {c.streamer.displayName} <StatusBadge status={c.eligible ? 'approved' : 'rejected'}>{c.eligible ? t('talent.met') : t('talent.unmet')}</StatusBadge>
            {c.nomination ? <> <StatusBadge status={c.nomination.status}>{t(`talent.status.${c.nomination.status as Nomination['status']}`)}</StatusBadge></> : null}
          </h4>
          <EvidenceList e={c} />
          {canEdit && c.eligible && !c.nomination ? (
            <div className="button-row">
              <input type="text" maxLength={500} placeholder={t('talent.notePlaceholder')} value={notes[c.streamer.id] ?? ''} onChange={(e) => setNotes({ ...notes, [c.streamer.id]: e.target.value })} />
              <button type="button" className="button" data-testid="talent-nominate" disabled={busy !== null} onClick={() => void nominate(c.streamer.id)}>
                {t('talent.nominate')}
              </button>
            </div>
          ) : null}
        </article>
      ))}
      <h3>{t('talent.nominations')}</h3>
      {nominations.data?.nominations.length ? (
        <div className="table-wrap">
          <table data-testid="talent-nominations">
            <thead>
              <tr>
                <th scope="col">{t('talent.streamer')}</th>
                <th scope="col">{t('talent.createdAt')}</th>
                <th scope="col">{t('talent.reason')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {nominations.data.nominations.map((n) => (
                <tr key={n.id}>
                  <td>{n.streamer.displayName}</td>
                  <td>{fmt.timestamp(n.createdAt)}</td>
                  <td>{n.reviewReason ?? '—'}</td>
                  <td>
                    <StatusBadge status={n.status}>{t(`talent.status.${n.status}`)}</StatusBadge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>{t('talent.noNominations')}</Empty>
      )}
    </div>
  );
}
