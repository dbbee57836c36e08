import { useTranslation } from 'react-i18next';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import { ShopLinks } from './ShopLinks';
import { couponValueText, shopLabel } from './parts';
import type { UserCoupon } from './types';

const ORDER: Record<string, number> = { unused: 0, locked: 1, used: 2 };

/** 我的优惠券: unused first, then locked by an unpaid order, then used. */
export function CouponsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ coupons: UserCoupon[] }>('/api/me/coupons');
  const coupons = [...listFrom<UserCoupon>(state.data, 'coupons')].sort((a, b) => (ORDER[a.status] ?? 3) - (ORDER[b.status] ?? 3));
  const now = Date.now();
  return (
    <div className="page page-narrow shop-page" data-testid="coupons-page">
      <header className="page-header">
        <h1>{t('shop.coupon.mine')}</h1>
        <ShopLinks />
      </header>
      {state.status === 'error' && state.data === undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : state.data === undefined ? (
        <Loading />
      ) : coupons.length === 0 ? (
        <Empty testId="coupons-empty">{t('shop.coupon.none')}</Empty>
      ) : (
        <ul className="coupon-list" data-testid="my-coupons">
          {coupons.map((uc) => {
            const c = uc.coupon;
            const expired = c && Date.parse(c.endsAt) < now && uc.status === 'unused';
            return (
              <li key={uc.id} className={`coupon-ticket coupon-${uc.status}${expired ? ' coupon-expired' : ''}`} data-testid="my-coupon" data-status={uc.status} data-user-coupon-id={uc.id}>
                <div className="coupon-ticket-face">
                  <strong>{c ? couponValueText(t, fmt.fen, c) : ''}</strong>
                </div>
                <div className="coupon-ticket-body">
                  <p className="cart-title">{c?.title}</p>
                  <p className="muted">
                    {c ? t('shop.coupon.validUntil', { time: fmt.timestamp(c.endsAt) }) : ''}
                    {c?.scope === 'products' ? ` · ${t('shop.coupon.scopeProducts')}` : ` · ${t('shop.coupon.scopeBrand')}`}
                  </p>
                </div>
                <StatusBadge status={expired ? 'ended' : uc.status}>{expired ? t('shop.coupon.expired') : shopLabel(t, 'couponStatus', uc.status)}</StatusBadge>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
