import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, post } from '../api';
import type { Decision } from '../types';
import { FieldErrorText, FormError, fieldMessage } from '../shared/Field';
import { toApiError } from '../shared/useApi';

/** Approve / reject with an optional reason, posted to `endpoint`. */
export function ReviewActions({ endpoint, onDone }: { endpoint: string; onDone: (decision: Decision) => void }) {
  const { t } = useTranslation();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<Decision | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const decide = async (decision: Decision) => {
    setBusy(decision);
    setError(null);
    try {
      const trimmed = reason.trim();
      await post(endpoint, trimmed ? { decision, reason: trimmed } : { decision });
      onDone(decision);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="review-actions" data-testid="review-actions">
      <FormError error={error} shownPaths={['reason']} />
      <div className={`field${fieldMessage(error, 'reason') ? ' field-invalid' : ''}`}>
        <label htmlFor={reasonId}>{t('admin.reason')}</label>
        <textarea id={reasonId} name="reason" rows={2} value={reason} maxLength={500} placeholder={t('admin.reasonPlaceholder')} onChange={(e) => setReason(e.target.value)} />
        <FieldErrorText name="reason" message={fieldMessage(error, 'reason')} />
      </div>
      <div className="button-row">
        <button type="button" className="button button-success" data-testid="approve" disabled={busy !== null} onClick={() => void decide('approve')}>
          {busy === 'approve' ? t('common.submitting') : t('admin.approve')}
        </button>
        <button type="button" className="button button-danger" data-testid="reject" disabled={busy !== null} onClick={() => void decide('reject')}>
          {busy === 'reject' ? t('common.submitting') : t('admin.reject')}
        </button>
      </div>
    </div>
  );
}
