import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, put } from '../api';
import { FieldErrorText, FormError, TextField, fieldMessage } from '../shared/Field';
import { toApiError } from '../shared/useApi';

/**
 * Birth date from an 18-digit resident ID number, only to *hint* that a
 * guardian is needed. The server decides.
 */
export function ageFromIdNumber(idNumber: string, now = new Date()): number | null {
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dXx]$/.exec(idNumber.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const birth = new Date(Date.UTC(y, mo - 1, d));
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== mo - 1 || birth.getUTCDate() !== d) return null;
  let age = now.getFullYear() - y;
  if (now.getMonth() + 1 < mo || (now.getMonth() + 1 === mo && now.getDate() < d)) age -= 1;
  return age >= 0 && age < 150 ? age : null;
}

const SHOWN_PATHS = ['realName', 'idNumber', 'guardian', 'guardian.name', 'guardian.phone', 'guardian.relation', 'guardian.consent', 'guardian.consentAt'];
const RELATIONS = ['father', 'mother', 'other'] as const;

export function VerificationForm({ onSubmitted }: { onSubmitted: () => void }) {
  const { t } = useTranslation();
  const consentId = useId();
  const relationListId = useId();
  const [realName, setRealName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [gName, setGName] = useState('');
  const [gPhone, setGPhone] = useState('');
  const [gRelation, setGRelation] = useState('');
  const [gConsent, setGConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const age = ageFromIdNumber(idNumber);
  const minor = age !== null && age < 18;
  const guardianTouched = gName.trim() !== '' || gPhone.trim() !== '' || gRelation.trim() !== '' || gConsent;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { realName: realName.trim(), idNumber: idNumber.trim().toUpperCase() };
      if (guardianTouched) {
        body.guardian = { name: gName.trim(), phone: gPhone.trim(), relation: gRelation.trim(), consent: gConsent };
      }
      await put('/api/streamer/profile', body);
      onSubmitted();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const consentError = fieldMessage(error, 'guardian.consent', 'guardian.consentAt');

  return (
    <form className="verification-form" onSubmit={onSubmit} noValidate data-testid="verification-form">
      <FormError error={error} shownPaths={SHOWN_PATHS} />
      <div className="form-grid">
        <TextField
          name="realName"
          label={t('streamer.realName')}
          value={realName}
          onChange={setRealName}
          autoComplete="name"
          required
          error={fieldMessage(error, 'realName')}
        />
        <TextField
          name="idNumber"
          label={t('streamer.idNumber')}
          value={idNumber}
          onChange={setIdNumber}
          autoComplete="off"
          maxLength={18}
          hint={t('streamer.idNumberHint')}
          required
          error={fieldMessage(error, 'idNumber')}
        />
      </div>

      <fieldset className={`guardian${minor ? ' guardian-required' : ''}`} data-testid="guardian-section">
        <legend>{t('streamer.guardian')}</legend>
        <p className={minor ? 'notice notice-warning' : 'muted'} data-testid="guardian-hint">
          {minor ? t('streamer.guardianMinor', { age }) : t('streamer.guardianHint')}
        </p>
        <FieldErrorText name="guardian" message={fieldMessage(error, 'guardian')} />
        <div className="form-grid">
          <TextField name="guardianName" label={t('streamer.guardianName')} value={gName} onChange={setGName} error={fieldMessage(error, 'guardian.name')} />
          <TextField
            name="guardianPhone"
            type="tel"
            inputMode="tel"
            label={t('streamer.guardianPhone')}
            value={gPhone}
            onChange={setGPhone}
            error={fieldMessage(error, 'guardian.phone')}
          />
          <div className={`field${fieldMessage(error, 'guardian.relation') ? ' field-invalid' : ''}`}>
            <label htmlFor={`${relationListId}-input`}>{t('streamer.guardianRelation')}</label>
            <input
              id={`${relationListId}-input`}
              name="guardianRelation"
              list={relationListId}
              value={gRelation}
              onChange={(e) => setGRelation(e.target.value)}
              aria-invalid={fieldMessage(error, 'guardian.relation') ? true : undefined}
            />
            <datalist id={relationListId}>
              {RELATIONS.map((r) => (
                <option key={r} value={t(`streamer.relations.${r}`)} />
              ))}
            </datalist>
            <FieldErrorText name="guardianRelation" message={fieldMessage(error, 'guardian.relation')} />
          </div>
        </div>
        <div className={`field field-checkbox${consentError ? ' field-invalid' : ''}`}>
          <input id={consentId} type="checkbox" name="guardianConsent" checked={gConsent} onChange={(e) => setGConsent(e.target.checked)} />
          <label htmlFor={consentId}>{t('streamer.guardianConsent')}</label>
          <FieldErrorText name="guardianConsent" message={consentError} />
        </div>
      </fieldset>

      <button type="submit" className="button" disabled={busy} data-testid="verification-submit">
        {busy ? t('common.submitting') : t('streamer.submit')}
      </button>
    </form>
  );
}
