// /orgs/:orgId/vouchers: the brand's stores and their staff, voucher products, first stores, and
// redemptions by store and day.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { path, post, type ApiError } from '../api';
import { formatFen } from '../shared/format';
import { ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import { NewFirstStoreForm, NewVoucherForm } from './ConsoleForms';
import { HoursLine } from './parts';
import type { FirstStore, ReportLine, Store, VoucherProduct } from './types';
import './vouchers.css';

export function VouchersConsole() {
  const { t, i18n } = useTranslation();
  const { orgId = '' } = useParams();
  const stores = useApi<{ stores: (Store & { staff: { id: string; displayName: string }[] })[] }>(path`/api/orgs/${orgId}/stores`);
  const vouchers = useApi<{ vouchers: VoucherProduct[] }>(path`/api/orgs/${orgId}/vouchers`);
  const report = useApi<{ lines: ReportLine[] }>(path`/api/orgs/${orgId}/vouchers/redemptions?days=30`);
  const firstStores = useApi<{ firstStores: FirstStore[] }>(path`/api/orgs/${orgId}/first-stores`);
  const [error, setError] = useState<ApiError | null>(null);

  async function send(url: string, body: unknown, after: () => void, form: HTMLFormElement) {
    setError(null);
    try {
      await post(url, body);
      form.reset();
      after();
    } catch (e) {
      setError(toApiError(e));
    }
  }
  function addStore(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void send(path`/api/orgs/${orgId}/stores`, { name: f.get('name'), city: f.get('city'), address: f.get('address') }, stores.reload, e.currentTarget);
  }
  function addStaff(storeId: string, e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void send(path`/api/orgs/${orgId}/stores/${storeId}/staff`, { login: new FormData(e.currentTarget).get('login') }, stores.reload, e.currentTarget);
  }

  if (stores.status === 'error') return <div className="page"><ErrorNotice error={stores.error} onRetry={stores.reload} /></div>;
  if (!stores.data) return <Loading />;
  return (
    <div className="page vouchers-console" data-testid="vouchers-console">
      <h1>{t('vouchers.console.title')}</h1>
      {error ? <ErrorNotice error={error} /> : null}
      <section className="card">
        <h2>{t('vouchers.console.stores')}</h2>
        <table>
          <tbody>
            {stores.data.stores.map((s) => (
              <tr key={s.id} data-testid="console-store">
                <td>{s.city} · {s.name}<br /><span className="muted">{s.address}</span></td>
                <td>{t('vouchers.console.staff')}：{s.staff.map((x) => x.displayName).join('、') || '—'}</td>
                <td>
                  <form className="inline" onSubmit={(e) => addStaff(s.id, e)}>
                    <input name="login" required placeholder={t('vouchers.console.addStaff')} aria-label={t('vouchers.console.addStaff')} />
                    <button type="submit" className="button button-secondary button-small">{t('vouchers.console.add')}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form className="inline" onSubmit={addStore}>
          <input name="name" required placeholder={t('vouchers.console.name')} aria-label={t('vouchers.console.name')} />
          <input name="city" required placeholder={t('vouchers.console.city')} aria-label={t('vouchers.console.city')} />
          <input name="address" required placeholder={t('vouchers.console.address')} aria-label={t('vouchers.console.address')} />
          <button type="submit" className="button">{t('vouchers.console.addStore')}</button>
        </form>
      </section>
      <section className="card">
        <h2>{t('vouchers.console.report')}</h2>
        {report.data && !report.data.lines.length ? <p className="muted">{t('vouchers.console.noRedemptions')}</p> : null}
        {report.data?.lines.length ? (
          <table data-testid="console-report">
            <thead><tr><th>{t('vouchers.console.day')}</th><th>{t('vouchers.staff.store')}</th><th>{t('vouchers.console.count')}</th><th>{t('vouchers.console.amount')}</th></tr></thead>
            <tbody>
              {report.data.lines.map((l) => <tr key={`${l.day}-${l.storeId}`}><td>{l.day}</td><td>{l.storeName}</td><td>{l.redeemed}</td><td>{formatFen(l.amountFen, i18n.language)}</td></tr>)}
            </tbody>
          </table>
        ) : null}
      </section>
      <section className="card">
        <h2>{t('vouchers.console.vouchers')}</h2>
        <ul className="voucher-list">
          {vouchers.data?.vouchers.filter((v) => !v.firstStoreId).map((v) => (
            <li key={v.productId} data-testid="console-voucher">
              <strong>{v.title}</strong> · {t(`vouchers.category.${v.category}`)} · {formatFen(v.priceFen, i18n.language)} · <HoursLine days={v.days} slots={v.slots} />
              <br /><span className="muted">{v.stores.map((s) => s.name).join('、')} · {t('vouchers.console.codes', { sold: Object.values(v.codes).reduce((a, b) => a + (b ?? 0), 0), redeemed: v.codes.redeemed ?? 0, refunded: (v.codes.refunded ?? 0) + (v.codes.refunding ?? 0) })}</span>
            </li>
          ))}
        </ul>
        <NewVoucherForm orgId={orgId} stores={stores.data.stores} onCreated={vouchers.reload} />
      </section>
      <section className="card">
        <h2>{t('vouchers.console.firstStores')}</h2>
        <ul className="voucher-list">
          {firstStores.data?.firstStores.map((f) => <li key={f.id}><strong>{t(`vouchers.firstStores.level.${f.level}`)}</strong> · {f.title} · {f.opensOn} · {f.store.name} · {f.coupon.title} {t('vouchers.firstStores.left', { count: f.coupon.left })}</li>)}
        </ul>
        <NewFirstStoreForm orgId={orgId} stores={stores.data.stores} onCreated={firstStores.reload} />
      </section>
    </div>
  );
}
