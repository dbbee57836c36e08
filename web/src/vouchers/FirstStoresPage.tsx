// /first-stores (首店): first-store openings with their level, opening live and in-store gift to claim.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { path, post, type ApiError } from '../api';
import { useSession } from '../session';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import { chinaDate, HoursLine } from './parts';
import type { FirstStore } from './types';
import './vouchers.css';

export function FirstStoresPage() {
  const { t } = useTranslation();
  const state = useApi<{ firstStores: FirstStore[] }>('/api/first-stores');
  return (
    <div className="page vouchers-page" data-testid="first-stores">
      <header className="page-header">
        <h1>{t('vouchers.firstStores.title')}</h1>
        <p className="muted">{t('vouchers.firstStores.intro')}</p>
      </header>
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={state.reload} /> : null}
      {!state.data ? <Loading /> : null}
      {state.data && !state.data.firstStores.length ? <Empty>{t('vouchers.firstStores.empty')}</Empty> : null}
      <ul className="voucher-list">
        {state.data?.firstStores.map((f) => <Opening key={f.id} f={f} onChange={state.reload} />)}
      </ul>
    </div>
  );
}

function Opening({ f, onChange }: { f: FirstStore; onChange: () => void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function claim() {
    setBusy(true);
    setError(null);
    try {
      await post(path`/api/first-stores/${f.id}/claim`);
      onChange();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <li className="card voucher-card" data-testid="first-store" data-level={f.level}>
      <p className="eyebrow"><span className={`first-level first-level-${f.level}`}>{t(`vouchers.firstStores.level.${f.level}`)}</span> · {f.brand.name}</p>
      <h2>{f.title}</h2>
      <p>{t('vouchers.firstStores.opensOn', { date: f.opensOn })} · {f.store.city} {f.store.name}（{f.store.address}）</p>
      {f.description ? <p className="muted">{f.description}</p> : null}
      {f.session ? <p><Link to={`/watch/${encodeURIComponent(f.session.id)}`} data-testid="first-store-live">{t('vouchers.firstStores.watch')}：{f.session.title}</Link></p> : null}
      <div className="first-coupon">
        <strong>{f.coupon.title}</strong> · {t('vouchers.free')} · {t('vouchers.validTo', { date: chinaDate(f.coupon.validTo) })}
        <p className="muted"><HoursLine days={f.coupon.days} slots={f.coupon.slots} /> · {f.coupon.left > 0 ? t('vouchers.firstStores.left', { count: f.coupon.left }) : t('vouchers.firstStores.gone')}</p>
        {f.coupon.claimed ? (
          <Link to="/me/vouchers" data-testid="first-store-claimed">{t('vouchers.firstStores.claimed')}</Link>
        ) : !user ? (
          <Link to="/login" className="button button-secondary">{t('vouchers.firstStores.loginToClaim')}</Link>
        ) : (
          <button type="button" className="button" disabled={busy || f.coupon.left <= 0} onClick={() => void claim()} data-testid="first-store-claim">{t('vouchers.firstStores.claim')}</button>
        )}
      </div>
      {error ? <ErrorNotice error={error} /> : null}
    </li>
  );
}
