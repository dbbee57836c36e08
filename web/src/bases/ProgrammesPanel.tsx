import { Fragment, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post, put } from '../api';
import { fieldMessage, FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { useAction } from '../shared/useAction';
import { useApi } from '../shared/useApi';
import { fenToYuanInput, yuanToFen } from '../shop/parts';
import { beijingDate, beijingMonth } from './time';
import './bases.css';

const METRICS = ['public_studios', 'resident_firms', 'events_year', 'monthly_gmv_fen', 'monthly_lives', 'monthly_live_hours'] as const;
type Metric = (typeof METRICS)[number];
type Criterion = { metric: string; min: number };
export type Programme = {
  id: string;
  name: string;
  region: string;
  year: number;
  criteria: Criterion[];
  createdAt: string;
  updatedAt: string | null;
  retiredAt: string | null;
  applications: { pending: number; approved: number; rejected: number };
};

/**
 * The operators' city programmes (城市政策, docs/BASES.md "City programmes"): every programme with its criteria and
 * its applications, retired ones too; add, edit (name, region, year, thresholds) and retire. A desktop page.
 */
export function ProgrammesPanel() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ programmes: Programme[] }>('/api/admin/base-programmes');
  const [editing, setEditing] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const retire = useAction(() => state.reload());
  const threshold = (c: Criterion) => (c.metric === 'monthly_gmv_fen' ? fmt.fen(c.min) : String(c.min));

  const doRetire = (p: Programme) => {
    if (!window.confirm(t('bases.programmes.confirmRetire', { name: p.name, year: p.year }))) return;
    setDone(null);
    void retire.run(async () => {
      await post(path`/api/admin/base-programmes/${p.id}/retire`);
      setDone(t('bases.programmes.retiredOne', { name: p.name }));
    });
  };

  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  const programmes = state.data.programmes;
  return (
    <div className="base-programmes" data-testid="base-programmes">
      <p className="muted">{t('bases.programmes.intro')}</p>
      {done ? <FormSuccess>{done}</FormSuccess> : null}
      <FormError error={retire.error} />
      {!programmes.length ? (
        <Empty testId="base-programmes-empty">{t('bases.programmes.none')}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('bases.programmes.name')}</th>
                <th scope="col">{t('bases.programmes.region')}</th>
                <th scope="col" className="num">{t('bases.programmes.year')}</th>
                <th scope="col">{t('bases.programmes.criteria')}</th>
                <th scope="col">{t('bases.programmes.applications')}</th>
                <th scope="col">{t('bases.programmes.status')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {programmes.map((p) => (
                <Fragment key={p.id}>
                  <tr data-testid="base-programme-row" data-programme-id={p.id} data-retired={p.retiredAt ? 'true' : 'false'}>
                    <td className="wrap">{p.name}</td>
                    <td>{p.region || '—'}</td>
                    <td className="num">{p.year}</td>
                    <td className="wrap">
                      <ul className="base-programme-criteria">
                        {p.criteria.map((c) => (
                          <li key={c.metric}>
                            {t(`bases.report.metrics.${c.metric as Metric}`)} ≥ {threshold(c)}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>{t('bases.programmes.applicationCounts', p.applications)}</td>
                    <td>
                      {p.retiredAt ? (
                        <StatusBadge status="retired">{t('bases.programmes.retired', { date: beijingDate(Date.parse(p.retiredAt)) })}</StatusBadge>
                      ) : (
                        <StatusBadge status="approved">{t('bases.programmes.active')}</StatusBadge>
                      )}
                    </td>
                    <td>
                      {p.retiredAt ? null : (
                        <div className="button-row">
                          <button type="button" className="button button-small button-ghost" data-testid="base-programme-edit" aria-expanded={editing === p.id} onClick={() => setEditing(editing === p.id ? null : p.id)}>
                            {t('bases.programmes.edit')}
                          </button>
                          <button type="button" className="button button-small button-ghost" data-testid="base-programme-retire" disabled={retire.busy} onClick={() => doRetire(p)}>
                            {t('bases.programmes.retire')}
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                  {editing === p.id ? (
                    <tr>
                      <td colSpan={7}>
                        <ProgrammeForm
                          programme={p}
                          onSaved={() => {
                            setEditing(null);
                            setDone(t('bases.programmes.saved'));
                            state.reload();
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
      <h3>{t('bases.programmes.addTitle')}</h3>
      <ProgrammeForm
        onSaved={() => {
          setDone(t('bases.programmes.added'));
          state.reload();
        }}
      />
    </div>
  );
}

type Row = { on: boolean; value: string };

/** Adds a programme, or edits one (`programme` given). GMV is typed in yuan and sent in fen; each metric at most once. */
function ProgrammeForm({ programme, onSaved }: { programme?: Programme; onSaved: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const initial = () =>
    Object.fromEntries(
      METRICS.map((m) => {
        const c = programme?.criteria.find((x) => x.metric === m);
        return [m, { on: Boolean(c), value: c ? (m === 'monthly_gmv_fen' ? fenToYuanInput(c.min) : String(c.min)) : '' }];
      }),
    ) as Record<Metric, Row>;
  const [form, setForm] = useState({ name: programme?.name ?? '', region: programme?.region ?? '', year: String(programme?.year ?? beijingMonth(Date.now()).slice(0, 4)) });
  const [rows, setRows] = useState<Record<Metric, Row>>(initial);
  const action = useAction();
  const chosen = METRICS.filter((m) => rows[m].on);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // A value that is not a number is sent as it is, so the server's message says what is wrong with it.
    const minOf = (m: Metric) => {
      const text = rows[m].value.trim();
      if (m === 'monthly_gmv_fen') return yuanToFen(text) ?? text;
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    };
    const yearText = form.year.trim();
    const body = { name: form.name.trim(), region: form.region.trim(), year: /^\d+$/.test(yearText) ? Number(yearText) : yearText, criteria: chosen.map((m) => ({ metric: m, min: minOf(m) })) };
    await action.run(async () => {
      if (programme) await put(path`/api/admin/base-programmes/${programme.id}`, body);
      else await post('/api/admin/base-programmes', body);
      if (!programme) {
        setForm({ ...form, name: '' });
        setRows(initial());
      }
      onSaved();
    });
  };
  const shown = ['name', 'region', 'year', 'criteria', ...chosen.map((_, i) => `criteria.${i}.min`)];

  return (
    <form className="base-programme-form" data-testid={programme ? 'base-programme-edit-form' : 'base-programme-add-form'} onSubmit={(e) => void submit(e)} noValidate>
      <div className="base-programme-fields">
        <div className={`field${fieldMessage(action.error, 'name') ? ' field-invalid' : ''}`}>
          <label htmlFor={`${id}-n`}>{t('bases.programmes.name')}</label>
          <input id={`${id}-n`} data-testid="base-programme-name" maxLength={80} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <FieldNote message={fieldMessage(action.error, 'name')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-r`}>{t('bases.programmes.region')}</label>
          <input id={`${id}-r`} data-testid="base-programme-region" maxLength={40} value={form.region} onChange={(e) => setForm({ ...form, region: e.target.value })} />
          <FieldNote message={fieldMessage(action.error, 'region')} />
        </div>
        <div className="field base-programme-year">
          <label htmlFor={`${id}-y`}>{t('bases.programmes.year')}</label>
          <input id={`${id}-y`} data-testid="base-programme-year" inputMode="numeric" value={form.year} onChange={(e) => setForm({ ...form, year: e.target.value })} />
          <FieldNote message={fieldMessage(action.error, 'year')} />
        </div>
      </div>
      <fieldset className="base-programme-thresholds">
        <legend>{t('bases.programmes.thresholds')}</legend>
        {METRICS.map((m) => {
          const index = chosen.indexOf(m);
          const message = index >= 0 ? fieldMessage(action.error, `criteria.${index}.min`) : undefined;
          return (
            <div className="base-programme-threshold" key={m} data-testid={`base-programme-metric-${m}`}>
              <label className="base-programme-check">
                <input type="checkbox" checked={rows[m].on} onChange={(e) => setRows({ ...rows, [m]: { ...rows[m], on: e.target.checked } })} />
                {t(`bases.report.metrics.${m}`)}
              </label>
              <span aria-hidden="true">≥</span>
              <input
                aria-label={t('bases.programmes.minOf', { metric: t(`bases.report.metrics.${m}`) })}
                inputMode={m === 'monthly_gmv_fen' ? 'decimal' : 'numeric'}
                disabled={!rows[m].on}
                value={rows[m].value}
                aria-invalid={message ? true : undefined}
                onChange={(e) => setRows({ ...rows, [m]: { ...rows[m], value: e.target.value } })}
              />
              {m === 'monthly_gmv_fen' ? <span className="muted">{t('bases.programmes.yuan')}</span> : null}
              <FieldNote message={message} />
            </div>
          );
        })}
        <FieldNote message={fieldMessage(action.error, 'criteria')} />
      </fieldset>
      <FormError error={action.error} shownPaths={shown} />
      <button type="submit" className="button" data-testid="base-programme-save" disabled={action.busy}>
        {action.busy ? t('common.submitting') : programme ? t('bases.programmes.save') : t('bases.programmes.add')}
      </button>
    </form>
  );
}

function FieldNote({ message }: { message?: string }) {
  return message ? (
    <p className="field-error" data-testid="field-error">
      {message}
    </p>
  ) : null;
}
