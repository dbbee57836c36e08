import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useApi } from '../shared/useApi';
import { useAction } from '../shop/parts';
import { MiniField } from '../cooperation/parts';
import type { RosterEntry } from './types';

/** "2026-12-01T19:30" (a datetime-local value, the viewer's time zone) → that moment in ISO. */
export function localToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * 代排直播: schedule a live for one of the MCN's streamers (POST /api/orgs/:orgId/streamers/:streamerId/live-sessions).
 * The server checks that the streamer's contract in force grants manage_sessions and answers a localized refusal if not.
 */
export function ScheduleLiveForm({ orgId, streamers, onDone }: { orgId: string; streamers: RosterEntry['streamer'][]; onDone: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [streamerId, setStreamerId] = useState('');
  const [title, setTitle] = useState('');
  const [when, setWhen] = useState('');
  const [brandOrgId, setBrandOrgId] = useState('');
  const action = useAction();
  // The brands the picked streamer may name on a live: those they stream for as a member, and those that
  // approved their 带货申请 (GET …/streamers/:streamerId/live-brands). The server refuses any other (LIVE_BRAND_NOT_PARTNER).
  const brandList = useApi<{ brands: { id: string; name: string }[] }>(streamerId ? path`/api/orgs/${orgId}/streamers/${streamerId}/live-brands` : null);
  const brands = brandList.data?.brands ?? [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!streamerId) return action.fail(t('mcn.schedule.streamerRequired'));
    if (title.trim().length < 2) return action.fail(t('mcn.schedule.titleRequired'));
    const scheduledAt = localToIso(when);
    if (!scheduledAt) return action.fail(t('mcn.schedule.badTime'));
    const res = await action.run(
      () => post(path`/api/orgs/${orgId}/streamers/${streamerId}/live-sessions`, { title: title.trim(), scheduledAt, ...(brandOrgId ? { brandOrgId } : {}) }),
      t('mcn.schedule.done'),
    );
    if (res !== undefined) {
      setTitle('');
      setWhen('');
      setBrandOrgId('');
      onDone();
    }
  };

  return (
    <form className="coop-form" data-testid="schedule-form" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('mcn.schedule.title')}</h3>
      <p className="field-hint">{t('mcn.schedule.hint')}</p>
      <div className="coop-form-grid">
        <div className="field">
          <label htmlFor={`${id}-streamer`}>{t('mcn.schedule.streamer')}</label>
          <select
            id={`${id}-streamer`}
            data-testid="schedule-streamer"
            value={streamerId}
            onChange={(e) => {
              setStreamerId(e.target.value);
              setBrandOrgId('');
            }}
          >
            <option value="">{t('mcn.schedule.pickStreamer')}</option>
            {streamers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.displayName}
              </option>
            ))}
          </select>
        </div>
        <MiniField label={t('mcn.schedule.liveTitle')} value={title} onChange={setTitle} testId="schedule-title" maxLength={60} />
        <div className="field">
          <label htmlFor={`${id}-when`}>{t('mcn.schedule.when')}</label>
          <input id={`${id}-when`} type="datetime-local" data-testid="schedule-when" value={when} onChange={(e) => setWhen(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-brand`}>{t('mcn.schedule.brand')}</label>
          <select id={`${id}-brand`} data-testid="schedule-brand" value={brandOrgId} onChange={(e) => setBrandOrgId(e.target.value)} aria-describedby={`${id}-brand-hint`}>
            <option value="">{t('mcn.schedule.noBrand')}</option>
            {brands.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
          <p className="field-hint" id={`${id}-brand-hint`}>
            {t('mcn.schedule.brandHint')}
          </p>
        </div>
      </div>
      <button type="submit" className="button" data-testid="schedule-submit" disabled={action.busy}>
        {action.busy ? t('common.submitting') : t('mcn.schedule.submit')}
      </button>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </form>
  );
}
