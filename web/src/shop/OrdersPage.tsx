import { Link, useSearchParams } from 'react-router';
import { ShopLinks } from './ShopLinks';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import { ProductImage } from './CartSheet';
import { lineSpecText, shopLabel } from './parts';
import { ORDER_STATUSES, type Order, type OrderStatus } from './types';

type TabId = 'all' | OrderStatus;

export function OrderCard({ order }: { order: Order }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const first = order.items[0];
  const count = order.items.reduce((n, i) => n + i.quantity, 0);
  return (
    <li className="card order-card" data-testid="order-row" data-order-id={order.id} data-status={order.status}>
      <Link to={`/orders/${encodeURIComponent(order.id)}`} className="order-card-link">
        <div className="order-card-head">
          <span className="order-brand">{order.brand?.name}</span>
          <StatusBadge status={order.status}>
            <span data-testid="order-status" data-status={order.status}>
              {shopLabel(t, 'orderStatus', order.status)}
            </span>
          </StatusBadge>
        </div>
        {first ? (
          <div className="order-card-item">
            <ProductImage src={first.image} />
            <div className="cart-body">
              <p className="cart-title">{first.title}</p>
              <p className="muted order-spec">{lineSpecText(t, order, first.spec)}</p>
              {order.items.length > 1 ? <p className="muted order-spec">{t('shop.orders.moreItems', { count: order.items.length - 1, total: order.items.length })}</p> : null}
            </div>
          </div>
        ) : null}
        <p className="order-card-foot">
          <span className="muted">{fmt.dateTime(order.createdAt)}</span>
          <span>
            {t('shop.orders.countTotal', { count })} <strong className="price" data-testid="order-total">{fmt.fen(order.totalFen)}</strong>
          </span>
        </p>
      </Link>
    </li>
  );
}

/** 我的订单: the buyer's orders, newest first, by status. */
export function OrdersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const active: TabId = raw && (ORDER_STATUSES as readonly string[]).includes(raw) ? (raw as OrderStatus) : 'all';
  const state = useApi<{ orders: Order[] }>(active === 'all' ? '/api/orders' : `/api/orders?status=${encodeURIComponent(active)}`);
  const orders = listFrom<Order>(state.data, 'orders');
  const tabs: TabId[] = ['all', ...ORDER_STATUSES];

  return (
    <div className="page page-narrow shop-page" data-testid="orders-page">
      <header className="page-header">
        <h1>{t('shop.orders.title')}</h1>
        <ShopLinks />
      </header>
      <div className="tabs tabs-scroll" role="tablist" aria-label={t('shop.orders.title')}>
        {tabs.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={id === active}
            className={id === active ? 'tab tab-active' : 'tab'}
            data-testid={`orders-tab-${id}`}
            onClick={() => {
              const next = new URLSearchParams(params);
              if (id === 'all') next.delete('status');
              else next.set('status', id);
              setParams(next, { replace: true });
            }}
          >
            {id === 'all' ? t('shop.orders.all') : shopLabel(t, 'orderStatus', id)}
          </button>
        ))}
      </div>
      {state.status === 'error' && state.data === undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : state.data === undefined ? (
        <Loading />
      ) : orders.length === 0 ? (
        <Empty testId="orders-empty">{t('shop.orders.empty')}</Empty>
      ) : (
        <ol className="order-list" data-testid="orders">
          {orders.map((o) => (
            <OrderCard key={o.id} order={o} />
          ))}
        </ol>
      )}
    </div>
  );
}
