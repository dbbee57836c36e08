import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

/** 我的订单 · 收货地址 · 优惠券 */
export function ShopLinks() {
  const { t } = useTranslation();
  return (
    <nav className="shop-links" aria-label={t('shop.nav.mine')}>
      <Link to="/orders" data-testid="link-orders">
        {t('shop.nav.orders')}
      </Link>
      <Link to="/me/addresses" data-testid="link-addresses">
        {t('shop.nav.addresses')}
      </Link>
      <Link to="/me/coupons" data-testid="link-coupons">
        {t('shop.nav.coupons')}
      </Link>
      <Link to="/me/vouchers" data-testid="link-vouchers">
        {t('shop.nav.vouchers')}
      </Link>
      <Link to="/me/presales" data-testid="link-presales">
        {t('shop.nav.presales')}
      </Link>
    </nav>
  );
}
