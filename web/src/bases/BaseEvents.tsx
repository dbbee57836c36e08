import { Fragment, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { del, path, post, put } from '../api';
import { MiniField } from '../cooperation/parts';
import { FormError, FormSuccess } from '../shared/Field';
import { Empty } from '../shared/Status';
import { useAction as useSharedAction } from '../shared/useAction';
import { useAction } from '../shop/parts';
import type { BaseEvent } from './types';
import { beijingDate, beijingTime, fromBeijing } from './time';

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

/**
 * The month's events (from the report), each editable (title, Beijing date and time, attendees) and deletable by
 * owners and admins (docs/BASES.md, "Tenants and events"); `onChanged` reloads the report, so the month's and the
 * year's counts follow.
 */
export function BaseEventList({ orgId, events, canEdit, onChanged }: { orgId: string; events: BaseEvent[]; canEdit: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useSharedAction();

  const remove = async (ev: BaseEvent) => {
    setDone(null);
    await action.run(async () => {
      await del(path`/api/orgs/${orgId}/base/events/${ev.id}`);
      setDone(t('bases.events.removed'));
      onChanged();
    });
  };

  return (
    <section className="base-events" data-testid="base-events">
      <h3>{t('bases.events.listTitle')}</h3>
      {done ? <FormSuccess>{done}</FormSuccess> : null}
      <FormError error={action.error} />
      {!events.length ? (
        <Empty testId="base-events-empty">{t('bases.events.none')}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('bases.events.heldAt')}</th>
                <th scope="col">{t('bases.events.name')}</th>
                <th scope="col" className="num">{t('bases.events.attendees')}</th>
                {canEdit ? <th scope="col" /> : null}
              </tr>
            </thead>
            <tbody>
              {events.map((ev) => (
                <Fragment key={ev.id}>
                  <tr data-testid="base-event" data-event-id={ev.id}>
                    <td className="mono">
                      {beijingDate(Date.parse(ev.heldAt))} {beijingTime(ev.heldAt)}
                    </td>
                    <td className="wrap">{ev.title}</td>
                    <td className="num">{ev.attendees}</td>
                    {canEdit ? (
                      <td>
                        <div className="button-row">
                          <button type="button" className="button button-small button-ghost" data-testid="base-event-edit" aria-expanded={editing === ev.id} onClick={() => setEditing(editing === ev.id ? null : ev.id)}>
                            {t('bases.events.edit')}
                          </button>
                          <button type="button" className="button button-small button-ghost" data-testid="base-event-remove" disabled={action.busy} onClick={() => void remove(ev)}>
                            {t('bases.events.remove')}
                          </button>
                        </div>
                      </td>
                    ) : null}
                  </tr>
                  {editing === ev.id ? (
                    <tr>
                      <td colSpan={4}>
                        <EventEditForm
                          orgId={orgId}
                          ev={ev}
                          onSaved={() => {
                            setEditing(null);
                            setDone(t('bases.events.saved'));
                            onChanged();
                          }}
                        />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function EventEditForm({ orgId, ev, onSaved }: { orgId: string; ev: BaseEvent; onSaved: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [form, setForm] = useState({ title: ev.title, date: beijingDate(Date.parse(ev.heldAt)), time: beijingTime(ev.heldAt), attendees: String(ev.attendees) });
  const action = useSharedAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { title: form.title.trim(), heldAt: fromBeijing(form.date, form.time) ?? '', attendees: Number(form.attendees || 0) };
    await action.run(async () => {
      await put(path`/api/orgs/${orgId}/base/events/${ev.id}`, body);
      onSaved();
    });
  };

  return (
    <form className="base-refund-form" data-testid="base-event-edit-form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field base-refund-reason">
        <label htmlFor={`${id}-n`}>{t('bases.events.name')}</label>
        <input id={`${id}-n`} data-testid="base-event-edit-title" maxLength={80} value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-d`}>{t('bases.book.date')}</label>
        <input id={`${id}-d`} type="date" data-testid="base-event-edit-date" value={form.date} onChange={(e) => setForm({ ...form, date: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-t`}>{t('bases.book.start')}</label>
        <input id={`${id}-t`} type="time" value={form.time} onChange={(e) => setForm({ ...form, time: e.target.value })} />
      </div>
      <div className="field base-refund-amount">
        <label htmlFor={`${id}-a`}>{t('bases.events.attendees')}</label>
        <input id={`${id}-a`} inputMode="numeric" value={form.attendees} onChange={(e) => setForm({ ...form, attendees: e.target.value })} />
      </div>
      <button type="submit" className="button" data-testid="base-event-save" disabled={action.busy}>
        {action.busy ? t('common.submitting') : t('bases.events.save')}
      </button>
      <div className="base-refund-wide">
        <FormError error={action.error} />
      </div>
    </form>
  );
}
