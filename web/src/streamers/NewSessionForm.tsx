import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { type ApiError, path, post } from '../api';
import type { StreamerSessionDetail } from '../types';
import { FieldErrorText, FormError, TextField, fieldMessage } from '../shared/Field';
import { toApiError } from '../shared/useApi';
import { LiveBrandField } from './LiveBrandPicker';

const SHOWN_PATHS = ['title', 'description', 'scheduledAt'];

/** `<input type="datetime-local">` wants local "YYYY-MM-DDTHH:mm". */
function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Local wall-clock time from the input → ISO UTC for the server; null when unreadable. */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const d = new Date(value); // no zone in the string: parsed as local time
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function inTenMinutes(): string {
  const d = new Date(Date.now() + 10 * 60_000);
  d.setSeconds(0, 0);
  return toLocalInput(d);
}

export function NewSessionForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const descId = useId();
  const whenId = useId();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [when, setWhen] = useState(inTenMinutes);
  const [brandOrgId, setBrandOrgId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [whenError, setWhenError] = useState<string | null>(null);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const scheduledAt = localInputToIso(when);
    if (!scheduledAt) {
      setWhenError(t('newLive.whenInvalid'));
      return;
    }
    setWhenError(null);
    setBusy(true);
    try {
      const body: Record<string, unknown> = { title: title.trim(), scheduledAt };
      if (description.trim()) body.description = description.trim();
      if (brandOrgId) body.brandOrgId = brandOrgId;
      const created = await post<StreamerSessionDetail>('/api/streamer/live-sessions', body);
      navigate(path`/streamer/sessions/${created.session.id}`);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const scheduleError = whenError ?? fieldMessage(error, 'scheduledAt');
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  return (
    <form className="new-session-form" onSubmit={onSubmit} noValidate data-testid="new-session-form">
      <h3>{t('newLive.title')}</h3>
      <FormError error={error} shownPaths={SHOWN_PATHS} />
      <TextField
        name="title"
        label={t('newLive.name')}
        value={title}
        onChange={setTitle}
        required
        maxLength={60}
        placeholder={t('newLive.namePlaceholder')}
        hint={t('newLive.nameHint')}
        error={fieldMessage(error, 'title')}
      />
      <div className={`field${fieldMessage(error, 'description') ? ' field-invalid' : ''}`}>
        <label htmlFor={descId}>{t('newLive.description')}</label>
        <textarea id={descId} name="description" rows={3} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
        <FieldErrorText name="description" message={fieldMessage(error, 'description')} />
      </div>
      <div className={`field${scheduleError ? ' field-invalid' : ''}`}>
        <label htmlFor={whenId}>
          {t('newLive.when')}
          <span className="required" aria-hidden="true">
            *
          </span>
        </label>
        <input id={whenId} name="scheduledAt" type="datetime-local" required value={when} onChange={(e) => setWhen(e.target.value)} aria-invalid={scheduleError ? true : undefined} />
        <p className="field-hint">{t('newLive.whenHint', { zone })}</p>
        <FieldErrorText name="scheduledAt" message={scheduleError ?? undefined} />
      </div>
      <LiveBrandField value={brandOrgId} onChange={setBrandOrgId} disabled={busy} />
      <div className="button-row">
        <button type="submit" className="button" data-testid="new-session-submit" disabled={busy}>
          {busy ? t('common.submitting') : t('newLive.submit')}
        </button>
        <button type="button" className="button button-ghost" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
