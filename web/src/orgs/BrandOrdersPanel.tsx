import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import { AddressLine, lineSpecText, shopLabel, useAction, useTrackingForm } from '../shop/parts';
import { CARRIERS } from '../shop/constants';
import { ORDER_STATUSES, type Order } from '../shop/types';

function ShipForm({ orgId, order, onDone }: { orgId: string; order: Order; onDone: () => void }) {
  const { t } = useTranslation();
  const { action, carrierId, trackingId, carrier, setCarrier, trackingNo, setTrackingNo, submit } = useTrackingForm('shop.ship.needBoth', (body) => post(path`/api/orgs/${orgId}/orders/${order.id}/ship`, body), onDone);
  return (
    <form className="ship-form" data-testid="ship-form" data-order-id={order.id} onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor={carrierId}>{t('shop.ship.carrier')}</label>
        <input id={carrierId} data-testid="ship-carrier" value={carrier} maxLength={30} placeholder={t('shop.ship.carrierPlaceholder')} onChange={(e) => setCarrier(e.target.value)} list="zhibo-carriers" />
      </div>
      <div className="field">
        <label htmlFor={trackingId}>{t('shop.ship.trackingNo')}</label>
        <input id={trackingId} data-testid="ship-tracking" value={trackingNo} maxLength={40} onChange={(e) => setTrackingNo(e.target.value)} />
      </div>
      <button type="submit" className="button button-small" data-testid="ship-submit" disabled={action.busy}>
        {action.busy ? t('common.submitting') : t('shop.ship.submit')}
      </button>
      <FormError error={action.error} />
    </form>
  );
}

function OrderRow({ orgId, order, canEdit, onChanged }: { orgId: string; order: Order; canEdit: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const action = useAction();
  const [shipping, setShipping] = useState(false);
  const openAfterSales = (order.afterSales ?? []).filter((a) => a.status !== 'refunded' && a.status !== 'rejected').length;
  return (
    <article className="card brand-order" data-testid="brand-order" data-order-id={order.id} data-status={order.status}>
      <header className="brand-order-head">
        <span className="mono brand-order-id">{order.id}</span>
        <StatusBadge status={order.status}>
          <span data-testid="order-status" data-status={order.status}>
            {shopLabel(t, 'orderStatus', order.status)}
          </span>
        </StatusBadge>
        <span className="muted">{fmt.timestamp(order.createdAt)}</span>
        {order.sessionId ? <span className="tag tag-muted">{order.flashSaleId ? t('shop.brandOrders.flash') : t('shop.brandOrders.live')}</span> : null}
        {openAfterSales > 0 ? <span className="tag">{t('shop.brandOrders.afterSales', { count: openAfterSales })}</span> : null}
      </header>
      <div className="brand-order-body">
        <ul className="brand-order-items">
          {order.items.map((i) => (
            <li key={i.id}>
              {i.title}
              {lineSpecText(t, order, i.spec) ? <span className="muted"> ({lineSpecText(t, order, i.spec)})</span> : null} × {i.quantity} · {fmt.fen(i.unitPriceFen)}
            </li>
          ))}
        </ul>
        <dl className="facts facts-inline">
          <dt>{t('shop.amounts.total')}</dt>
          <dd className="price">{fmt.fen(order.totalFen)}</dd>
          {order.discountFen > 0 ? (
            <>
              <dt>{t('shop.amounts.discount')}</dt>
              <dd>-{fmt.fen(order.discountFen)}</dd>
            </>
          ) : null}
          <dt>{t('shop.amounts.shipping')}</dt>
          <dd>{fmt.fen(order.shippingFen)}</dd>
          {order.refundedFen > 0 ? (
            <>
              <dt>{t('shop.amounts.refunded')}</dt>
              <dd>{fmt.fen(order.refundedFen)}</dd>
            </>
          ) : null}
          {order.carrier || order.trackingNo ? (
            <>
              <dt>{t('shop.ship.tracking')}</dt>
              <dd className="mono" data-testid="order-tracking">
                {order.carrier} {order.trackingNo}
              </dd>
            </>
          ) : null}
        </dl>
        {order.address ? (
          <p className="brand-order-address">
            <AddressLine address={order.address} />
          </p>
        ) : null}
        {order.confirmedNoReturn ? <p className="muted">{t('shop.order.confirmedNoReturn')}</p> : null}
      </div>
      {canEdit ? (
        <div className="button-row">
          {order.status === 'paid' && !shipping ? (
            <button type="button" className="button button-small" data-testid="ship-open" onClick={() => setShipping(true)}>
              {t('shop.ship.open')}
            </button>
          ) : null}
          {order.status === 'shipped' ? (
            <button
              type="button"
              className="button button-secondary button-small"
              data-testid="deliver-button"
              disabled={action.busy}
              onClick={() => void action.run(() => post(path`/api/orgs/${orgId}/orders/${order.id}/deliver`)).then((r) => r !== undefined && onChanged())}
            >
              {t('shop.ship.delivered')}
            </button>
          ) : null}
        </div>
      ) : null}
      {shipping && order.status === 'paid' ? (
        <ShipForm
          orgId={orgId}
          order={order}
          onDone={() => {
            setShipping(false);
            onChanged();
          }}
        />
      ) : null}
      <FormError error={action.error} />
    </article>
  );
}

/** 订单: the brand's orders by status; ship paid ones, mark shipped ones delivered. */
export function BrandOrdersPanel({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const statusId = useId();
  const [status, setStatus] = useState<string>('');
  const state = useApi<{ orders: Order[] }>(status ? `${path`/api/orgs/${orgId}/orders`}?status=${encodeURIComponent(status)}` : path`/api/orgs/${orgId}/orders`);
  const orders = listFrom<Order>(state.data, 'orders');
  return (
    <div data-testid="brand-orders">
      <div className="panel-toolbar">
        <div className="field field-inline">
          <label htmlFor={statusId}>{t('shop.brandOrders.filter')}</label>
          <select id={statusId} data-testid="brand-orders-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('shop.orders.all')}</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {shopLabel(t, 'orderStatus', s)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button button-ghost button-small" data-testid="brand-orders-refresh" onClick={state.reload}>
          {t('shop.common.refresh')}
        </button>
      </div>
      <datalist id="zhibo-carriers">
        {CARRIERS.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      {state.status === 'error' && state.data === undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : state.data === undefined ? (
        <Loading />
      ) : orders.length === 0 ? (
        <Empty testId="brand-orders-empty">{t('shop.brandOrders.empty')}</Empty>
      ) : (
        <div className="brand-order-list">
          {orders.map((o) => (
            <OrderRow key={o.id} orgId={orgId} order={o} canEdit={canEdit} onChanged={state.reload} />
          ))}
        </div>
      )}
    </div>
  );
}
