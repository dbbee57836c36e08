import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { put } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { useAction } from '../shop/parts';
import { CriteriaLine } from './Evidence';
import type { Criteria } from './types';

const JOBS = ['seller', 'creator', 'selector', 'admin'] as const;
const LEVEL_NAMES: Record<number, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级', 5: '五级' };

/** The operator changes the catalogue's criteria (data, not code): the lowest certificate level per job, net GMV, window, violations allowed. */
export function CriteriaEditor() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const state = useApi<{ criteria: Criteria }>('/api/talent/criteria');
  const action = useAction();
  const [form, setForm] = useState<null | { levels: Record<string, string>; gmvYuan: string; windowDays: string; maxViolations: string }>(null);
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  const current = state.data.criteria;
  const f = form ?? {
    levels: Object.fromEntries(JOBS.map((j) => [j, current.minLevels[j] ? String(current.minLevels[j]) : ''])),
    gmvYuan: String(current.minGmvFen / 100),
    windowDays: String(current.windowDays),
    maxViolations: String(current.maxViolations),
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const minLevels = Object.fromEntries(Object.entries(f.levels).filter(([, v]) => v !== '').map(([k, v]) => [k, Number(v)]));
    const body = { minLevels, minGmvFen: Math.round(Number(f.gmvYuan) * 100), windowDays: Number(f.windowDays), maxViolations: Number(f.maxViolations) };
    if ((await action.run(() => put('/api/admin/talent/criteria', body), t('talent.editor.saved'))) !== undefined) {
      setForm(null);
      state.reload();
    }
  };

  return (
    <form className="coop-form" data-testid="criteria-editor" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('talent.editor.title')}</h3>
      <CriteriaLine criteria={current} />
      <div className="coop-form-grid">
        {JOBS.map((job) => (
          <div className="field" key={job}>
            <label htmlFor={`${id}-${job}`}>{t(`training.centre.jobs.${job}`)}</label>
            <select id={`${id}-${job}`} data-testid={`criteria-level-${job}`} value={f.levels[job]} onChange={(e) => setForm({ ...f, levels: { ...f.levels, [job]: e.target.value } })}>
              <option value="">{t('talent.editor.notAccepted')}</option>
              {[5, 4, 3, 2, 1].map((level) => (
                <option key={level} value={String(level)}>{t('talent.editor.levelOrHigher', { level: i18n.language === 'zh-CN' ? LEVEL_NAMES[level] : level })}</option>
              ))}
            </select>
          </div>
        ))}
        <div className="field">
          <label htmlFor={`${id}-gmv`}>{t('talent.editor.gmv')}</label>
          <input id={`${id}-gmv`} data-testid="criteria-gmv" inputMode="decimal" value={f.gmvYuan} onChange={(e) => setForm({ ...f, gmvYuan: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-w`}>{t('talent.editor.window')}</label>
          <input id={`${id}-w`} inputMode="numeric" value={f.windowDays} onChange={(e) => setForm({ ...f, windowDays: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-v`}>{t('talent.editor.violations')}</label>
          <input id={`${id}-v`} inputMode="numeric" value={f.maxViolations} onChange={(e) => setForm({ ...f, maxViolations: e.target.value })} />
        </div>
      </div>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
      <button type="submit" className="button button-secondary" disabled={action.busy}>{t('talent.editor.save')}</button>
    </form>
  );
}
