import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { MiniField } from '../cooperation/parts';
import { FormError, FormSuccess } from '../shared/Field';
import { useAction } from '../shop/parts';
import { beijingDate, fromBeijing } from './time';

/** Records an event held at the base (a training day, a brand day …): the report's events and the programmes' `events_year` count them. */
export function BaseEventForm({ orgId, onAdded }: { orgId: string; onAdded: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const action = useAction();
  const [form, setForm] = useState({ title: '', date: beijingDate(Date.now()), time: '14:00', attendees: '' });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const heldAt = fromBeijing(form.date, form.time) ?? '';
    const body = { title: form.title.trim(), heldAt, attendees: Number(form.attendees || 0) };
    if ((await action.run(() => post(path`/api/orgs/${orgId}/base/events`, body), t('bases.events.added'))) !== undefined) {
      setForm({ ...form, title: '', attendees: '' });
      onAdded();
    }
  };

  return (
    <form className="coop-form" data-testid="base-event-form" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('bases.events.title')}</h3>
      <div className="coop-form-grid">
        <MiniField label={t('bases.events.name')} value={form.title} onChange={(v) => setForm({ ...form, title: v })} testId="base-event-title" maxLength={80} />
        <div className="field">
          <label htmlFor={`${id}-d`}>{t('bases.book.date')}</label>
          <input id={`${id}-d`} type="date" value={form.date} onChange={(e) => setForm({ ...form, date: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-t`}>{t('bases.book.start')}</label>
          <input id={`${id}-t`} type="time" value={form.time} onChange={(e) => setForm({ ...form, time: e.target.value })} />
        </div>
        <MiniField label={t('bases.events.attendees')} value={form.attendees} onChange={(v) => setForm({ ...form, attendees: v })} testId="base-event-attendees" inputMode="numeric" />
      </div>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
      <button type="submit" className="button button-secondary" disabled={action.busy}>{t('bases.events.submit')}</button>
    </form>
  );
}
