// /me/vouchers (我的券): the buyer's codes as QR codes, their rules, and 随时退 for unused ones.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { path, post } from '../api';
import { formatFen } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import type { ApiError } from '../api';
import { chinaDate, HoursLine } from './parts';
import type { VoucherCode } from './types';
import './vouchers.css';

export function MyVouchersPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const orderId = params.get('orderId');
  const state = useApi<{ vouchers: VoucherCode[] }>(orderId ? path`/api/me/vouchers?orderId=${orderId}` : '/api/me/vouchers');
  return (
    <div className="page vouchers-page" data-testid="my-vouchers">
      <header className="page-header">
        <h1>{t('vouchers.mine.title')}</h1>
        <p className="muted">{t('vouchers.mine.intro')}</p>
      </header>
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={state.reload} /> : null}
      {!state.data ? <Loading /> : null}
      {state.data && !state.data.vouchers.length ? <Empty testId="vouchers-empty">{t('vouchers.mine.empty')}</Empty> : null}
      <ul className="voucher-list">
        {state.data?.vouchers.map((v) => <CodeCard key={v.id} v={v} onChange={state.reload} />)}
      </ul>
    </div>
  );
}

function CodeCard({ v, onChange }: { v: VoucherCode; onChange: () => void }) {
  const { t, i18n } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function refund() {
    if (!window.confirm(t('vouchers.mine.refundConfirm'))) return;
    setBusy(true);
    setError(null);
    try {
      await post(path`/api/me/vouchers/${v.id}/refund`);
      onChange();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <li className={`card voucher-card voucher-${v.status}`} data-testid="voucher-card" data-status={v.status} data-code={v.code ?? ''}>
      <div className="voucher-head">
        <div>
          <p className="eyebrow">{v.brandName} · {t(`vouchers.category.${v.category}`)}</p>
          <h2>{v.title}</h2>
        </div>
        <span className={`voucher-status voucher-status-${v.status}`}>{t(`vouchers.status.${v.status}`)}</span>
      </div>
      {v.qr ? <img className="voucher-qr" src={v.qr} alt={t('vouchers.qr', { code: v.codeText })} width={180} height={180} data-testid="voucher-qr" /> : null}
      <p className="voucher-code" data-testid="voucher-code">{v.codeText}</p>
      <p className="muted">{v.orderId ? formatFen(v.amountFen, i18n.language) : t('vouchers.free')} · {t('vouchers.validTo', { date: chinaDate(v.validTo) })}</p>
      <p className="muted"><HoursLine days={v.days} slots={v.slots} /></p>
      <p className="muted">{t('vouchers.stores', { stores: v.stores.map((s) => `${s.name}（${s.address}）`).join('、') })}</p>
      {v.redeemedAt ? <p>{t('vouchers.redeemedAt', { date: chinaDate(v.redeemedAt), store: v.redeemedStore ?? '' })}</p> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {v.status === 'unused' && v.orderId ? (
        <button type="button" className="button button-secondary button-small" disabled={busy} onClick={() => void refund()} data-testid="voucher-refund">
          {t('vouchers.mine.refund')}
        </button>
      ) : null}
    </li>
  );
}
