import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError, TextField } from '../shared/Field';
import { useFormat } from '../shared/format';
import { ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { useAction } from '../shop/parts';
import type { Campaign } from './types';
import './campaigns.css';

type AdminView = { campaign: Campaign; brands: { id: string; name: string; status: string; note: string | null }[]; sessions: { id: string; title: string }[] };

/** A datetime-local value (the operator's own clock) → ISO 8601. */
const toIso = (local: string) => new Date(local).toISOString();

/** The operator's campaigns page (desktop): create a campaign, then its applications, lives and shared coupon. */
export function CampaignAdmin() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const list = useApi<{ campaigns: Campaign[] }>('/api/campaigns?all=true');
  const [chosen, setChosen] = useState<string | null>(null);
  const create = useAction();
  const [form, setForm] = useState({ name: '', theme: '', warmupAt: '', startsAt: '', endsAt: '' });
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  const onCreate = async () => {
    if (!form.startsAt || !form.endsAt) return create.fail(t('campaigns.admin.needDates'));
    const body = { name: form.name, theme: form.theme, startsAt: toIso(form.startsAt), endsAt: toIso(form.endsAt), ...(form.warmupAt ? { warmupAt: toIso(form.warmupAt) } : {}) };
    const res = await create.run(() => post<{ campaign: Campaign }>('/api/admin/campaigns', body), t('campaigns.admin.created'));
    if (res) {
      list.reload();
      setChosen(res.campaign.id);
    }
  };

  return (
    <div className="page cmp-admin" data-testid="campaign-admin">
      <h1>{t('campaigns.admin.title')}</h1>
      <section className="cmp-section">
        <h2>{t('campaigns.admin.create')}</h2>
        <div className="cmp-admin-form">
          <TextField name="name" label={t('campaigns.admin.name')} value={form.name} onChange={set('name')} required maxLength={40} />
          <TextField name="theme" label={t('campaigns.admin.theme')} value={form.theme} onChange={set('theme')} required maxLength={500} />
          <TextField name="warmupAt" type="datetime-local" label={t('campaigns.admin.warmupAt')} value={form.warmupAt} onChange={set('warmupAt')} />
          <TextField name="startsAt" type="datetime-local" label={t('campaigns.admin.startsAt')} value={form.startsAt} onChange={set('startsAt')} required />
          <TextField name="endsAt" type="datetime-local" label={t('campaigns.admin.endsAt')} value={form.endsAt} onChange={set('endsAt')} required />
        </div>
        <FormError error={create.error} />
        {create.done ? <p className="form-success" role="status">{create.done}</p> : null}
        <button type="button" className="button" data-testid="campaign-create" disabled={create.busy} onClick={() => void onCreate()}>
          {t('campaigns.admin.create')}
        </button>
      </section>
      {list.status === 'error' ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
      {!list.data ? (
        <Loading />
      ) : (
        <section className="cmp-section">
          <h2>{t('campaigns.admin.all')}</h2>
          <ul className="cmp-sessions">
            {list.data.campaigns.map((c) => (
              <li key={c.id} className="cmp-admin-row" data-testid="campaign-admin-row" data-campaign-id={c.id}>
                <button type="button" className="link-button" onClick={() => setChosen(c.id)}>
                  {c.name}
                </button>{' '}
                <span className="muted">
                  {t(`campaigns.phase.${c.phase}`)} · {fmt.dateTime(c.startsAt)} — {fmt.dateTime(c.endsAt)}
                </span>{' '}
                <Link to={path`/campaigns/${c.id}`}>{t('campaigns.admin.open')}</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {chosen ? <CampaignManage key={chosen} id={chosen} /> : null}
    </div>
  );
}

function CampaignManage({ id }: { id: string }) {
  const { t } = useTranslation();
  const view = useApi<AdminView>(path`/api/admin/campaigns/${id}`);
  const act = useAction();
  const [brandId, setBrandId] = useState('');
  const [sessionId, setSessionId] = useState('');
  const [coupon, setCoupon] = useState({ title: '满300减30', threshold: '300', amount: '30', perUser: '1', total: '10000' });
  const run = async (fn: () => Promise<unknown>) => {
    if (await act.run(fn, t('campaigns.admin.saved'))) view.reload();
  };
  if (!view.data) return view.error ? <ErrorNotice error={view.error} onRetry={view.reload} /> : <Loading />;
  const yuan = (v: string) => Math.round(Number(v) * 100);
  return (
    <section className="cmp-section" data-testid="campaign-manage" data-campaign-id={id}>
      <h2>{view.data.campaign.name}</h2>
      <h3>{t('campaigns.brands')}</h3>
      <ul className="cmp-sessions">
        {view.data.brands.map((b) => (
          <li key={b.id} data-testid="campaign-admin-brand" data-status={b.status}>
            {b.name} · {t(`campaigns.admin.status.${b.status as 'applied' | 'approved' | 'rejected'}`)}
            {b.note ? ` · ${b.note}` : ''}
            {b.status === 'applied' ? (
              <>
                {' '}
                <button type="button" className="button button-small" data-testid="campaign-approve" onClick={() => void run(() => post(path`/api/admin/campaigns/${id}/brands/${b.id}/decision`, { approve: true }))}>
                  {t('campaigns.admin.approve')}
                </button>{' '}
                <button type="button" className="button button-small button-secondary" onClick={() => void run(() => post(path`/api/admin/campaigns/${id}/brands/${b.id}/decision`, { approve: false }))}>
                  {t('campaigns.admin.reject')}
                </button>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <div className="cmp-admin-form">
        <TextField name="brandOrgId" label={t('campaigns.admin.brandId')} value={brandId} onChange={setBrandId} />
        <button type="button" className="button button-small" onClick={() => void run(() => post(path`/api/admin/campaigns/${id}/brands`, { brandOrgId: brandId.trim() }))}>
          {t('campaigns.admin.addBrand')}
        </button>
        <TextField name="sessionId" label={t('campaigns.admin.sessionId')} value={sessionId} onChange={setSessionId} />
        <button type="button" className="button button-small" onClick={() => void run(() => post(path`/api/admin/campaigns/${id}/sessions`, { sessionId: sessionId.trim() }))}>
          {t('campaigns.admin.addSession')}
        </button>
      </div>
      <p className="muted">{view.data.sessions.map((s) => s.title).join('、')}</p>
      <h3>{t('campaigns.coupons')}</h3>
      <div className="cmp-admin-form">
        <TextField name="title" label={t('campaigns.admin.couponTitle')} value={coupon.title} onChange={(v) => setCoupon((c) => ({ ...c, title: v }))} />
        <TextField name="threshold" inputMode="decimal" label={t('campaigns.admin.threshold')} value={coupon.threshold} onChange={(v) => setCoupon((c) => ({ ...c, threshold: v }))} />
        <TextField name="amount" inputMode="decimal" label={t('campaigns.admin.amount')} value={coupon.amount} onChange={(v) => setCoupon((c) => ({ ...c, amount: v }))} />
        <TextField name="perUser" inputMode="numeric" label={t('campaigns.admin.perUser')} value={coupon.perUser} onChange={(v) => setCoupon((c) => ({ ...c, perUser: v }))} />
        <TextField name="total" inputMode="numeric" label={t('campaigns.admin.total')} value={coupon.total} onChange={(v) => setCoupon((c) => ({ ...c, total: v }))} />
        <button
          type="button"
          className="button button-small"
          data-testid="campaign-coupon-create"
          onClick={() =>
            void run(() =>
              post(path`/api/admin/campaigns/${id}/coupons`, { title: coupon.title, kind: 'threshold', thresholdFen: yuan(coupon.threshold), amountOffFen: yuan(coupon.amount), perUserLimit: Number(coupon.perUser), total: Number(coupon.total) }),
            )
          }
        >
          {t('campaigns.admin.addCoupon')}
        </button>
      </div>
      <FormError error={act.error} />
      {act.done ? <p className="form-success" role="status" data-testid="campaign-admin-done">{act.done}</p> : null}
    </section>
  );
}
