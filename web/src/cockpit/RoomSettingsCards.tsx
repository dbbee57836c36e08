// The room's announcement and chat settings (slow mode, followers only).
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { ConsoleCard } from '../room/parts';
import type { RoomState } from '../room/types';
import { useAction } from '../shop/parts';

const SLOW_MODE_CHOICES = [0, 3, 5, 10, 30];

export function AnnouncementCard({ sessionId, state }: { sessionId: string; state: RoomState | null }) {
  const { t } = useTranslation();
  const action = useAction();
  const current = state?.announcement ?? null;
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const inputId = useId();
  useEffect(() => {
    if (!touched) setText(current ?? '');
  }, [current, touched]);

  const save = (value: string | null) =>
    void action.run(() => post(path`/api/rooms/${sessionId}/announcement`, { text: value }), value ? t('control.announcement.saved') : t('control.announcement.cleared')).then((r) => {
      if (r !== undefined) setTouched(false);
    });

  return (
    <ConsoleCard title={t('control.announcement.title')} testId="console-announcement">
      <p className="muted console-current" data-testid="console-announcement-current">
        {current ? current : t('control.announcement.none')}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save(text.trim() || null);
        }}
      >
        <div className="field">
          <label htmlFor={inputId}>{t('control.announcement.label')}</label>
          <input
            id={inputId}
            data-testid="announcement-input"
            value={text}
            maxLength={200}
            placeholder={t('control.announcement.placeholder')}
            onChange={(e) => {
              setTouched(true);
              setText(e.target.value);
            }}
          />
        </div>
        <div className="button-row">
          <button type="submit" className="button button-small" data-testid="announcement-submit" disabled={action.busy}>
            {t('control.announcement.submit')}
          </button>
          {current ? (
            <button type="button" className="button button-ghost button-small" data-testid="announcement-clear" disabled={action.busy} onClick={() => save(null)}>
              {t('control.announcement.clear')}
            </button>
          ) : null}
        </div>
      </form>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </ConsoleCard>
  );
}

export function SettingsCard({ sessionId, state }: { sessionId: string; state: RoomState | null }) {
  const { t } = useTranslation();
  const action = useAction();
  const slowId = useId();
  const followersId = useId();
  const settings = state?.settings;
  const [draft, setDraft] = useState<{ slowModeSeconds?: number; followersOnly?: boolean }>({});
  const slow = draft.slowModeSeconds ?? settings?.slowModeSeconds ?? 0;
  const followersOnly = draft.followersOnly ?? settings?.followersOnly ?? false;
  // Once the room reflects a change, forget the draft.
  useEffect(() => setDraft({}), [settings?.slowModeSeconds, settings?.followersOnly]);

  const save = (patch: { slowModeSeconds?: number; followersOnly?: boolean }) => {
    setDraft((d) => ({ ...d, ...patch }));
    void action.run(() => post(path`/api/rooms/${sessionId}/settings`, patch), t('control.settings.saved')).then((r) => {
      if (r === undefined) setDraft({});
    });
  };
  const choices = SLOW_MODE_CHOICES.includes(slow) ? SLOW_MODE_CHOICES : [...SLOW_MODE_CHOICES, slow].sort((a, b) => a - b);

  return (
    <ConsoleCard title={t('control.settings.title')} testId="console-settings">
      <div className="field">
        <label htmlFor={slowId}>{t('control.settings.slowMode')}</label>
        <select id={slowId} data-testid="slow-mode-select" value={slow} disabled={!settings || action.busy} onChange={(e) => save({ slowModeSeconds: Number(e.target.value) })}>
          {choices.map((s) => (
            <option key={s} value={s}>
              {s === 0 ? t('control.settings.slowOff') : t('control.settings.slowSeconds', { seconds: s })}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-checkbox">
        <input id={followersId} type="checkbox" data-testid="followers-only" checked={followersOnly} disabled={!settings || action.busy} onChange={(e) => save({ followersOnly: e.target.checked })} />
        <label htmlFor={followersId}>{t('control.settings.followersOnly')}</label>
      </div>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </ConsoleCard>
  );
}
