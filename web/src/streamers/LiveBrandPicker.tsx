import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { patch, path } from '../api';
import type { StreamerSessionDetail } from '../types';
import { FormError, FormSuccess } from '../shared/Field';
import { useApi } from '../shared/useApi';
import { useAction } from '../shop/parts';

type Brand = { id: string; name: string };
type NamableBrand = Brand & { via: 'member' | 'cooperation' };

/**
 * 选择品牌: the brands the streamer may name on a live (GET /api/streamer/live-brands: the brands they stream for as a
 * member and those that approved their 带货申请), or none. The live's current brand stays offered when it is not in that
 * list (a brand's own studio booking named it, docs/API.md "Live video"): keeping it needs nothing new. With nothing to
 * offer, a hint of how to get a brand. The server still refuses any other brand (LIVE_BRAND_NOT_PARTNER); the form shows it.
 */
export function LiveBrandField({ value, onChange, current = null, disabled }: { value: string; onChange: (brandOrgId: string) => void; current?: Brand | null; disabled?: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const state = useApi<{ brands: NamableBrand[] }>('/api/streamer/live-brands');
  const brands = state.data?.brands ?? [];
  const keepCurrent = current && !brands.some((b) => b.id === current.id) ? current : null;
  const empty = state.status === 'ready' && brands.length === 0;

  return (
    <div className="field" data-testid="live-brand-field" data-state={state.status}>
      <label htmlFor={id}>{t('liveBrand.label')}</label>
      <select id={id} name="brandOrgId" data-testid="live-brand-select" value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} aria-describedby={`${id}-hint`}>
        <option value="">{t('liveBrand.none')}</option>
        {brands.map((b) => (
          <option key={b.id} value={b.id}>
            {t(`liveBrand.via.${b.via}`, { name: b.name })}
          </option>
        ))}
        {keepCurrent ? <option value={keepCurrent.id}>{t('liveBrand.via.current', { name: keepCurrent.name })}</option> : null}
      </select>
      {state.status === 'error' ? (
        <p className="field-error" role="alert" data-testid="live-brand-load-error">
          {t('liveBrand.loadFailed', { message: state.error.message })}
        </p>
      ) : null}
      <p className="field-hint" id={`${id}-hint`} data-testid={empty ? 'live-brand-empty' : undefined}>
        {empty ? (
          <>
            {t('liveBrand.emptyHint')} <Link to="/streamer?tab=square">{t('liveBrand.toSquare')}</Link>
          </>
        ) : (
          t('liveBrand.hint')
        )}
      </p>
    </div>
  );
}

/**
 * The session page's 直播品牌 card: the live's brand, changed or cleared while the live is scheduled
 * (PATCH /api/streamer/live-sessions/:id with `brandOrgId`, null for none); read-only once it has started.
 */
export function LiveBrandCard({ detail, onChange }: { detail: StreamerSessionDetail; onChange: (d: StreamerSessionDetail) => void }) {
  const { t } = useTranslation();
  const s = detail.session;
  // The page polls the session: keep what the streamer picked until it is saved (null = the live's own brand).
  const [picked, setPicked] = useState<string | null>(null);
  const action = useAction();
  const currentId = s.brand?.id ?? '';
  const value = picked ?? currentId;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const res = await action.run(() => patch<StreamerSessionDetail>(path`/api/streamer/live-sessions/${s.id}`, { brandOrgId: value || null }), t('liveBrand.saved'));
    if (res) {
      onChange(res);
      setPicked(null);
    }
  };

  return (
    <section className="card" aria-labelledby="brand-h" data-testid="session-brand-card">
      <h2 id="brand-h">{t('liveBrand.title')}</h2>
      <p className="status-line">
        <span className="muted">{t('liveBrand.current')}</span>
        <strong data-testid="session-brand" data-brand-id={s.brand?.id ?? ''}>
          {s.brand?.name ?? t('liveBrand.noneShown')}
        </strong>
      </p>
      {s.status === 'scheduled' ? (
        <form onSubmit={(e) => void save(e)} noValidate data-testid="session-brand-form">
          <LiveBrandField
            value={value}
            current={s.brand}
            disabled={action.busy}
            onChange={(v) => {
              action.clear();
              setPicked(v);
            }}
          />
          <FormError error={action.error} />
          {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
          <div className="button-row">
            <button type="submit" className="button button-secondary button-small" data-testid="session-brand-save" disabled={action.busy || value === currentId}>
              {action.busy ? t('common.submitting') : t('liveBrand.save')}
            </button>
          </div>
        </form>
      ) : (
        <p className="field-hint">{t('liveBrand.locked')}</p>
      )}
    </section>
  );
}
