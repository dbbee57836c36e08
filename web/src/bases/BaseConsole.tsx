import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { del, path, post } from '../api';
import { MiniField } from '../cooperation/parts';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import { useAction } from '../shop/parts';
import { BaseCalendar } from './BaseCalendar';
import { BasePhotosPanel } from './BasePhotos';
import { BaseReport } from './BaseReport';
import { BookingPrices } from './BookingPrices';
import { MaintenanceList } from './MaintenanceList';
import { StudioIncome } from './StudioIncome';
import { TenantOrgPicker } from './TenantOrgPicker';
import type { Studio, Tenant, TenantCandidate } from './types';
import { beijingDate, fromBeijing } from './time';
import './bases.css';
import './public.css';

export type BaseTab = 'baseCalendar' | 'studios' | 'tenants' | 'baseReport';
export const BASE_TABS: readonly string[] = ['baseCalendar', 'studios', 'tenants', 'baseReport'];

/**
 * A live-streaming base's console (docs/BASES.md): its calendar, studios, tenants, studio income and monthly report,
 * each under the link to the base's public page (once approved).
 */
export function BaseConsoleTab({ tab, orgId, canEdit, approved = true }: { tab: BaseTab; orgId: string; canEdit: boolean; approved?: boolean }) {
  return (
    <>
      <PublicPageLink orgId={orgId} approved={approved} />
      <BaseConsoleBody tab={tab} orgId={orgId} canEdit={canEdit} />
    </>
  );
}

function BaseConsoleBody({ tab, orgId, canEdit }: { tab: BaseTab; orgId: string; canEdit: boolean }) {
  if (tab === 'baseCalendar') return <BaseCalendar url={path`/api/orgs/${orgId}/base/calendar`} />;
  if (tab === 'studios') return <Studios orgId={orgId} canEdit={canEdit} />;
  if (tab === 'tenants') return <Tenants orgId={orgId} canEdit={canEdit} />;
  // The studio income (owners and admins: it is the base's money) above the month's report.
  return (
    <>
      {canEdit ? <StudioIncome orgId={orgId} /> : null}
      {canEdit ? <BookingPrices orgId={orgId} /> : null}
      <BaseReport orgId={orgId} canEdit={canEdit} />
    </>
  );
}

/** 公开主页: the base's public page (/bases/:baseId), to send to MCNs, brands and streamers; its address can be copied. */
function PublicPageLink({ orgId, approved }: { orgId: string; approved: boolean }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  if (!approved) return <p className="base-public-share muted" data-testid="base-public-link-pending">{t('bases.public.notApproved')}</p>;
  const to = path`/bases/${orgId}`;
  const address = `${window.location.origin}${to}`;
  const canCopy = typeof navigator !== 'undefined' && !!navigator.clipboard;
  return (
    <p className="base-public-share" data-testid="base-public-share">
      <Link to={to} data-testid="base-public-link">
        {t('bases.public.share')}
      </Link>
      <span className="mono">{address}</span>
      {canCopy ? (
        <button
          type="button"
          className="button button-small button-ghost"
          onClick={() => void navigator.clipboard.writeText(address).then(() => setCopied(true), () => setCopied(false))}
        >
          {copied ? t('bases.public.copied') : t('bases.public.copy')}
        </button>
      ) : null}
      <span className="muted">{t('bases.public.shareHint')}</span>
    </p>
  );
}

const split = (v: string) => v.split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
const toFen = (yuan: string) => Math.round(Number(yuan) * 100);

function Studios({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const state = useApi<{ studios: Studio[] }>(path`/api/orgs/${orgId}/studios`);
  const rows = listFrom<Studio>(state.data, 'studios');
  const action = useAction();
  const [form, setForm] = useState({ name: '', area: '', capacity: '', rate: '', scenes: '', equipment: '' });
  const [maint, setMaint] = useState({ studioId: '', date: beijingDate(Date.now() + 86_400_000), from: '09:00', to: '12:00', reason: '' });
  const [maintKey, setMaintKey] = useState(0);
  const list = (v: string[]) => (v.length ? v.join(t('common.listSeparator')) : '—');

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const body = { name: form.name.trim(), areaSqm: Number(form.area), capacity: Number(form.capacity || 0), hourlyRateFen: toFen(form.rate), scenes: split(form.scenes), equipment: split(form.equipment) };
    if ((await action.run(() => post(path`/api/orgs/${orgId}/studios`, body), t('bases.studios.added'))) !== undefined) {
      setForm({ name: '', area: '', capacity: '', rate: '', scenes: '', equipment: '' });
      state.reload();
    }
  };
  const addMaintenance = async (e: FormEvent) => {
    e.preventDefault();
    const body = { startsAt: fromBeijing(maint.date, maint.from), endsAt: fromBeijing(maint.date, maint.to), reason: maint.reason.trim() };
    if ((await action.run(() => post(path`/api/orgs/${orgId}/studios/${maint.studioId || rows[0]?.id || ''}/maintenance`, body), t('bases.studios.maintenanceAdded'))) !== undefined) setMaintKey((k) => k + 1);
  };

  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  return (
    <div>
      <BasePhotosPanel orgId={orgId} studios={rows} canEdit={canEdit} />
      {!rows.length ? (
        <Empty testId="studios-empty">{t('bases.studios.empty')}</Empty>
      ) : (
        <div className="table-wrap" data-testid="studios">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('bases.studios.name')}</th>
                <th scope="col" className="num">{t('bases.studios.area')}</th>
                <th scope="col" className="num">{t('bases.studios.capacity')}</th>
                <th scope="col">{t('bases.studios.scenes')}</th>
                <th scope="col">{t('bases.studios.equipment')}</th>
                <th scope="col" className="num">{t('bases.studios.rate')}</th>
                <th scope="col">{t('bases.studios.public')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid="studio">
                  <td>{r.name}</td>
                  <td className="num">{t('bases.studios.areaValue', { area: r.areaSqm })}</td>
                  <td className="num">{r.capacity}</td>
                  <td>{list(r.scenes)}</td>
                  <td className="wrap">{list(r.equipment)}</td>
                  <td className="num">{t('bases.studios.perHour', { price: fmt.fen(r.hourlyRateFen) })}</td>
                  <td>{r.isPublic ? t('bases.studios.yes') : t('bases.studios.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length ? <MaintenanceList key={maintKey} orgId={orgId} canEdit={canEdit} /> : null}
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
      {canEdit ? (
        <>
          <form className="coop-form" data-testid="studio-form" onSubmit={(e) => void add(e)} noValidate>
            <h3>{t('bases.studios.add')}</h3>
            <div className="coop-form-grid">
              <MiniField label={t('bases.studios.name')} value={form.name} onChange={(v) => setForm({ ...form, name: v })} testId="studio-name" maxLength={60} />
              <MiniField label={t('bases.studios.area')} value={form.area} onChange={(v) => setForm({ ...form, area: v })} testId="studio-area" inputMode="numeric" />
              <MiniField label={t('bases.studios.capacity')} value={form.capacity} onChange={(v) => setForm({ ...form, capacity: v })} testId="studio-capacity" inputMode="numeric" />
              <MiniField label={t('bases.studios.rateYuan')} value={form.rate} onChange={(v) => setForm({ ...form, rate: v })} testId="studio-rate" inputMode="decimal" />
              <MiniField label={`${t('bases.studios.scenes')}（${t('bases.studios.listHint')}）`} value={form.scenes} onChange={(v) => setForm({ ...form, scenes: v })} testId="studio-scenes" />
              <MiniField label={`${t('bases.studios.equipment')}（${t('bases.studios.listHint')}）`} value={form.equipment} onChange={(v) => setForm({ ...form, equipment: v })} testId="studio-equipment" />
            </div>
            <button type="submit" className="button" disabled={action.busy}>{t('bases.studios.submit')}</button>
          </form>
          {rows.length ? (
            <form className="coop-form" data-testid="maintenance-form" onSubmit={(e) => void addMaintenance(e)} noValidate>
              <h3>{t('bases.studios.maintenanceTitle')}</h3>
              <div className="coop-form-grid">
                <div className="field">
                  <label htmlFor={`${id}-s`}>{t('bases.book.studio')}</label>
                  <select id={`${id}-s`} value={maint.studioId} onChange={(e) => setMaint({ ...maint, studioId: e.target.value })}>
                    {rows.map((s) => (
                      <option key={s.id} value={s.id}>{s.name}</option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={`${id}-d`}>{t('bases.book.date')}</label>
                  <input id={`${id}-d`} type="date" value={maint.date} onChange={(e) => setMaint({ ...maint, date: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-f`}>{t('bases.studios.from')}</label>
                  <input id={`${id}-f`} type="time" value={maint.from} onChange={(e) => setMaint({ ...maint, from: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-t`}>{t('bases.studios.to')}</label>
                  <input id={`${id}-t`} type="time" value={maint.to} onChange={(e) => setMaint({ ...maint, to: e.target.value })} />
                </div>
                <MiniField label={t('bases.studios.reason')} value={maint.reason} onChange={(v) => setMaint({ ...maint, reason: v })} testId="maintenance-reason" />
              </div>
              <button type="submit" className="button button-secondary" disabled={action.busy}>{t('bases.studios.maintenanceSubmit')}</button>
            </form>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

/** A tenant's confirmation as a badge: confirmed green, self-declared neutral, pending waiting, declined or withdrawn refused. */
const CONFIRMATION_BADGE: Record<Tenant['confirmation'], string> = { confirmed: 'approved', self_declared: 'scheduled', pending: 'pending', declined: 'rejected', withdrawn: 'rejected' };

function Tenants({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const state = useApi<{ tenants: Tenant[] }>(path`/api/orgs/${orgId}/base/tenants`);
  const rows = listFrom<Tenant>(state.data, 'tenants');
  const action = useAction();
  const today = beijingDate(Date.now());
  const [form, setForm] = useState({ name: '', kind: 'mcn' as Tenant['kind'], org: null as TenantCandidate | null, leaseStart: today, leaseEnd: '', area: '', rent: '' });

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const body = { name: form.name.trim(), kind: form.kind, ...(form.org ? { orgId: form.org.id } : {}), leaseStart: form.leaseStart, leaseEnd: form.leaseEnd, areaSqm: Number(form.area || 0), monthlyRentFen: toFen(form.rent || '0') };
    if ((await action.run(() => post(path`/api/orgs/${orgId}/base/tenants`, body), t('bases.tenants.added'))) !== undefined) {
      setForm((f) => ({ ...f, name: '', org: null }));
      state.reload();
    }
  };
  const remove = async (tenant: Tenant) => {
    if ((await action.run(() => del(path`/api/orgs/${orgId}/base/tenants/${tenant.id}`))) !== undefined) state.reload();
  };

  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  return (
    <div>
      {!rows.length ? (
        <Empty testId="tenants-empty">{t('bases.tenants.empty')}</Empty>
      ) : (
        <div className="table-wrap">
          <table data-testid="tenants">
            <thead>
              <tr>
                <th scope="col">{t('bases.tenants.name')}</th>
                <th scope="col">{t('bases.tenants.kind')}</th>
                <th scope="col">{t('bases.tenants.lease')}</th>
                <th scope="col" className="num">{t('bases.tenants.area')}</th>
                <th scope="col" className="num">{t('bases.tenants.rent')}</th>
                <th scope="col">{t('bases.tenants.confirmation')}</th>
                {canEdit ? <th scope="col" /> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid="tenant">
                  <td>{r.name}</td>
                  <td>{t(`bases.tenants.kinds.${r.kind}`)}</td>
                  <td className="mono">
                    {r.leaseStart} – {r.leaseEnd} <span className="muted">{r.leaseEnd >= today ? t('bases.tenants.current') : t('bases.tenants.ended')}</span>
                  </td>
                  <td className="num">{t('bases.studios.areaValue', { area: r.areaSqm })}</td>
                  <td className="num">{fmt.fen(r.monthlyRentFen)}</td>
                  <td data-testid="tenant-confirmation" data-confirmation={r.confirmation}>
                    <StatusBadge status={CONFIRMATION_BADGE[r.confirmation]}>{t(`bases.tenants.confirmations.${r.confirmation}`)}</StatusBadge>
                    {r.counted ? null : <div className="muted">{t('bases.tenants.notCounted')}</div>}
                    {canEdit && (r.confirmation === 'declined' || r.confirmation === 'withdrawn') ? <div className="muted">{t('bases.tenants.askAgain')}</div> : null}
                  </td>
                  {canEdit ? (
                    <td>
                      <button type="button" className="button button-small button-ghost" onClick={() => void remove(r)}>{t('bases.tenants.remove')}</button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
      {canEdit ? (
        <form className="coop-form" data-testid="tenant-form" onSubmit={(e) => void add(e)} noValidate>
          <h3>{t('bases.tenants.add')}</h3>
          <div className="coop-form-grid">
            <MiniField label={t('bases.tenants.name')} value={form.name} onChange={(v) => setForm({ ...form, name: v })} testId="tenant-name" maxLength={80} />
            <div className="field">
              <label htmlFor={`${id}-k`}>{t('bases.tenants.kind')}</label>
              <select id={`${id}-k`} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as Tenant['kind'] })}>
                {(['platform', 'mcn', 'service'] as const).map((k) => (
                  <option key={k} value={k}>{t(`bases.tenants.kinds.${k}`)}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-ls`}>{t('bases.tenants.leaseStart')}</label>
              <input id={`${id}-ls`} type="date" value={form.leaseStart} onChange={(e) => setForm({ ...form, leaseStart: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-le`}>{t('bases.tenants.leaseEnd')}</label>
              <input id={`${id}-le`} type="date" value={form.leaseEnd} onChange={(e) => setForm({ ...form, leaseEnd: e.target.value })} />
            </div>
            <TenantOrgPicker orgId={orgId} picked={form.org} onPick={(org) => setForm((f) => ({ ...f, org, name: org && !f.name.trim() ? org.name : f.name, kind: org?.kind === 'mcn' ? 'mcn' : f.kind }))} />
            <MiniField label={t('bases.tenants.area')} value={form.area} onChange={(v) => setForm({ ...form, area: v })} testId="tenant-area" inputMode="numeric" />
            <MiniField label={t('bases.tenants.rentYuan')} value={form.rent} onChange={(v) => setForm({ ...form, rent: v })} testId="tenant-rent" inputMode="decimal" />
          </div>
          <p className="field-hint">{t('bases.tenants.orgHint')}</p>
          <button type="submit" className="button" disabled={action.busy}>{t('bases.tenants.submit')}</button>
        </form>
      ) : null}
    </div>
  );
}
