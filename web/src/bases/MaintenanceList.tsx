import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, del, path, put } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import { useAction } from '../shared/useAction';
import type { Maintenance } from './types';
import { beijingDate, beijingTime, fromBeijing } from './time';

const at = (iso: string) => `${beijingDate(Date.parse(iso))} ${beijingTime(iso)}`;

/**
 * The base's maintenance periods (from 30 days ago on, soonest first), each editable (times in Beijing time and
 * the note) and deletable by owners and admins (docs/BASES.md, "Maintenance"). An edit onto a live booking is
 * refused as adding one is; the server's message is shown.
 */
export function MaintenanceList({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const state = useApi<{ maintenance: Maintenance[] }>(path`/api/orgs/${orgId}/base/maintenance`);
  const rows = listFrom<Maintenance>(state.data, 'maintenance');
  const [editing, setEditing] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const titleId = useId();

  const remove = async (m: Maintenance) => {
    setDone(null);
    await action.run(async () => {
      await del(path`/api/orgs/${orgId}/studios/${m.studioId}/maintenance/${m.id}`);
      setDone(t('bases.maintenance.removed'));
      state.reload();
    });
  };

  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  return (
    <section className="base-maintenance" data-testid="maintenance-list" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('bases.maintenance.title')}</h3>
      <p className="muted">{t('bases.timeNote')}</p>
      {done ? <FormSuccess>{done}</FormSuccess> : null}
      <FormError error={action.error} />
      {!rows.length ? (
        <Empty testId="maintenance-empty">{t('bases.maintenance.none')}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('bases.book.studio')}</th>
                <th scope="col">{t('bases.maintenance.period')}</th>
                <th scope="col">{t('bases.studios.reason')}</th>
                {canEdit ? <th scope="col" /> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <MaintenanceRow
                  key={m.id}
                  m={m}
                  canEdit={canEdit}
                  busy={action.busy}
                  editing={editing === m.id}
                  onEdit={() => setEditing(editing === m.id ? null : m.id)}
                  onRemove={() => void remove(m)}
                  form={
                    <MaintenanceForm
                      orgId={orgId}
                      m={m}
                      onSaved={() => {
                        setEditing(null);
                        setDone(t('bases.maintenance.saved'));
                        state.reload();
                      }}
                    />
                  }
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function MaintenanceRow({ m, canEdit, busy, editing, onEdit, onRemove, form }: { m: Maintenance; canEdit: boolean; busy: boolean; editing: boolean; onEdit: () => void; onRemove: () => void; form: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <tr data-testid="maintenance" data-maintenance-id={m.id}>
        <td>{m.studioName ?? '—'}</td>
        <td className="mono">
          {at(m.startsAt)} – {beijingDate(Date.parse(m.startsAt)) === beijingDate(Date.parse(m.endsAt)) ? beijingTime(m.endsAt) : at(m.endsAt)}
        </td>
        <td className="wrap">{m.reason || '—'}</td>
        {canEdit ? (
          <td>
            <div className="button-row">
              <button type="button" className="button button-small button-ghost" data-testid="maintenance-edit" aria-expanded={editing} onClick={onEdit}>
                {t('bases.maintenance.edit')}
              </button>
              <button type="button" className="button button-small button-ghost" data-testid="maintenance-remove" disabled={busy} onClick={onRemove}>
                {t('bases.maintenance.remove')}
              </button>
            </div>
          </td>
        ) : null}
      </tr>
      {editing ? (
        <tr data-testid="maintenance-form-row">
          <td colSpan={4}>{form}</td>
        </tr>
      ) : null}
    </>
  );
}

function MaintenanceForm({ orgId, m, onSaved }: { orgId: string; m: Maintenance; onSaved: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [form, setForm] = useState({ fromDate: beijingDate(Date.parse(m.startsAt)), from: beijingTime(m.startsAt), toDate: beijingDate(Date.parse(m.endsAt)), to: beijingTime(m.endsAt), reason: m.reason });
  const [clientError, setClientError] = useState<ApiError | null>(null);
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const startsAt = fromBeijing(form.fromDate, form.from);
    const endsAt = fromBeijing(form.toDate, form.to);
    if (!startsAt || !endsAt) {
      setClientError(new ApiError({ code: 'CLIENT_INVALID', status: 0, message: t('bases.book.badTime') }));
      return;
    }
    setClientError(null);
    await action.run(async () => {
      await put(path`/api/orgs/${orgId}/studios/${m.studioId}/maintenance/${m.id}`, { startsAt, endsAt, reason: form.reason.trim() });
      onSaved();
    });
  };

  const field = (key: 'fromDate' | 'from' | 'toDate' | 'to', label: string, type: 'date' | 'time') => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input id={`${id}-${key}`} type={type} data-testid={`maintenance-${key}`} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
    </div>
  );
  return (
    <form className="base-refund-form" data-testid="maintenance-edit-form" onSubmit={(e) => void submit(e)} noValidate>
      {field('fromDate', t('bases.maintenance.fromDate'), 'date')}
      {field('from', t('bases.studios.from'), 'time')}
      {field('toDate', t('bases.maintenance.toDate'), 'date')}
      {field('to', t('bases.studios.to'), 'time')}
      <div className="field base-refund-reason">
        <label htmlFor={`${id}-r`}>{t('bases.studios.reason')}</label>
        <input id={`${id}-r`} data-testid="maintenance-edit-reason" maxLength={200} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
      </div>
      <button type="submit" className="button" data-testid="maintenance-save" disabled={action.busy}>
        {action.busy ? t('common.submitting') : t('bases.maintenance.save')}
      </button>
      <div className="base-refund-wide">
        <FormError error={clientError ?? action.error} />
      </div>
    </form>
  );
}
