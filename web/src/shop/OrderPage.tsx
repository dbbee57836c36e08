import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { usePolling, useNow } from '../shared/usePolling';
import { ProductImage } from './CartSheet';
import { AddressLine, BrandLicence, countdownText, fenToYuanInput, lineSpecText, ReturnPolicyNote, shopLabel, useAction, useAddresses, useTrackingForm, yuanToFen } from './parts';
import { ShopLinks } from './ShopLinks';
import { CARRIERS } from './constants';
import { payAndGo } from './shopApi';
import type { AfterSale, AfterSaleKind, Order } from './types';

const PAY_POLL_MS = 1000;
const PAY_POLL_FOR_MS = 30_000;
/** After-sales still open: their amount is not refundable again. */
const OPEN_AFTER_SALE = new Set(['requested', 'awaiting_return', 'returned', 'refunding']);

function orderOf(data: unknown): Order | null {
  const o = (data as { order?: Order } | null | undefined)?.order;
  return o && typeof o === 'object' ? o : null;
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  const id = useId();
  return (
    <section className="card order-section" aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function PayCountdown({ deadline }: { deadline: string }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const at = Date.parse(deadline);
  if (!Number.isFinite(at)) return null;
  const left = Math.max(0, Math.ceil((at - now) / 1000));
  return (
    <p className="pay-countdown" data-testid="pay-countdown" data-seconds={left}>
      {left > 0 ? t('shop.order.payWithin', { time: countdownText(t, left) }) : t('shop.order.payExpired')}
    </p>
  );
}

function Timeline({ order }: { order: Order }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const steps: { key: string; at: string | null; text: string; extra?: string }[] = [
    { key: 'created', at: order.createdAt, text: t('shop.timeline.created') },
    { key: 'paid', at: order.paidAt, text: t('shop.timeline.paid') },
    { key: 'shipped', at: order.shippedAt, text: t('shop.timeline.shipped'), extra: order.carrier || order.trackingNo ? `${order.carrier ?? ''} ${order.trackingNo ?? ''}`.trim() : undefined },
    { key: 'delivered', at: order.deliveredAt, text: t('shop.timeline.delivered') },
    { key: 'completed', at: order.completedAt, text: t('shop.timeline.completed') },
  ];
  if (order.cancelledAt) steps.push({ key: 'cancelled', at: order.cancelledAt, text: t('shop.timeline.cancelled'), extra: order.cancelReason ?? undefined });
  return (
    <ol className="timeline" data-testid="order-timeline">
      {steps.map((s) => (
        <li key={s.key} className={`timeline-step${s.at ? ' timeline-done' : ''}`} data-testid="timeline-step" data-step={s.key} data-done={s.at ? 'true' : 'false'}>
          <span className="timeline-dot" aria-hidden="true" />
          <span className="timeline-text">
            <strong>{s.text}</strong>
            {s.at ? <time dateTime={s.at}>{fmt.timestamp(s.at)}</time> : <span className="muted">—</span>}
            {s.extra ? (
              <span className="mono timeline-extra" data-testid={`timeline-${s.key}-extra`}>
                {s.extra}
              </span>
            ) : null}
          </span>
        </li>
      ))}
    </ol>
  );
}

function ReturnShipmentForm({ afterSale, onDone }: { afterSale: AfterSale; onDone: () => void }) {
  const { t } = useTranslation();
  const { action, carrierId, trackingId, carrier, setCarrier, trackingNo, setTrackingNo, submit } = useTrackingForm(
    'shop.afterSale.needTracking',
    (body) => post(path`/api/after-sales/${afterSale.id}/return-shipment`, body),
    onDone,
    t('shop.afterSale.returnSent'),
  );
  return (
    <form className="inline-form return-form" data-testid="return-form" onSubmit={(e) => void submit(e)} noValidate>
      <p className="muted">{t('shop.afterSale.returnHint')}</p>
      <datalist id="zhibo-return-carriers">
        {CARRIERS.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <div className="field">
        <label htmlFor={carrierId}>{t('shop.ship.carrier')}</label>
        <input id={carrierId} data-testid="return-carrier" value={carrier} maxLength={30} list="zhibo-return-carriers" placeholder={t('shop.ship.carrierPlaceholder')} onChange={(e) => setCarrier(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={trackingId}>{t('shop.ship.trackingNo')}</label>
        <input id={trackingId} data-testid="return-tracking" value={trackingNo} maxLength={40} autoCapitalize="characters" onChange={(e) => setTrackingNo(e.target.value)} />
      </div>
      <button type="submit" className="button button-small" data-testid="return-submit" disabled={action.busy}>
        {action.busy ? t('common.submitting') : t('shop.afterSale.sendReturn')}
      </button>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </form>
  );
}

function AfterSaleList({ order, onChanged }: { order: Order; onChanged: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const list = order.afterSales ?? [];
  if (list.length === 0) return null;
  return (
    <Section title={t('shop.afterSale.listTitle')} testId="after-sales">
      <ul className="after-sale-list">
        {list.map((a) => {
          const item = a.itemId ? order.items.find((i) => i.id === a.itemId) : null;
          return (
            <li key={a.id} className="after-sale" data-testid="after-sale" data-after-sale-id={a.id} data-status={a.status}>
              <p className="after-sale-head">
                <strong>{shopLabel(t, 'afterSaleKind', a.kind)}</strong> <span className="price">{fmt.fen(a.amountFen)}</span>{' '}
                <StatusBadge status={a.status}>
                  <span data-testid="after-sale-status">{shopLabel(t, 'afterSaleStatus', a.status)}</span>
                </StatusBadge>
              </p>
              <p className="muted">
                {item ? `${item.title} · ` : `${t('shop.afterSale.wholeOrder')} · `}
                {a.reason || t('shop.afterSale.noReason')} · {fmt.timestamp(a.createdAt)}
              </p>
              {a.decisionReason ? <p className="muted">{t('shop.afterSale.decision', { reason: a.decisionReason })}</p> : null}
              {a.returnTrackingNo ? <p className="muted mono">{t('shop.afterSale.returnTracking', { carrier: a.returnCarrier ?? '', trackingNo: a.returnTrackingNo })}</p> : null}
              {a.status === 'awaiting_return' ? <ReturnShipmentForm afterSale={a} onDone={onChanged} /> : null}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

function AfterSaleForm({ order, onDone }: { order: Order; onDone: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const action = useAction();
  const kindId = useId();
  const itemId = useId();
  const amountId = useId();
  const reasonId = useId();
  const shipped = order.status === 'shipped' || order.status === 'delivered' || order.status === 'completed';
  const [kind, setKind] = useState<AfterSaleKind>(shipped ? 'return_refund' : 'refund_only');
  const [cause, setCause] = useState<'no_reason' | 'quality'>('no_reason');
  const causeId = useId();
  const [item, setItem] = useState('');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');

  const inFlight = (forItem: string | null) =>
    (order.afterSales ?? []).filter((a) => OPEN_AFTER_SALE.has(a.status) && (forItem === null || a.itemId === forItem)).reduce((n, a) => n + a.amountFen, 0);
  const chosen = item ? order.items.find((i) => i.id === item) ?? null : null;
  const orderLeft = order.totalFen - order.refundedFen - inFlight(null);
  const max = Math.max(0, chosen ? Math.min(orderLeft, chosen.paidFen - chosen.refundedFen - inFlight(chosen.id)) : orderLeft);
  // Without a reason (七天无理由) only standard items go back; a quality problem may be claimed on any item.
  const nonStandard = kind === 'return_refund' && cause === 'no_reason' && (chosen ? [chosen] : order.items).some((i) => i.returnPolicy !== 'standard');
  const quickReasons =
    kind === 'refund_only'
      ? [t('shop.afterSale.reasons.changedMind'), t('shop.afterSale.reasons.wrongItem'), t('shop.afterSale.reasons.notShipped')]
      : cause === 'quality'
        ? [t('shop.afterSale.reasons.damaged'), t('shop.afterSale.reasons.notAsDescribed'), t('shop.afterSale.reasons.wrongSent')]
        : [t('shop.afterSale.reasons.noReason')];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fen = amount.trim() === '' ? max : yuanToFen(amount);
    if (fen === null || fen <= 0) return action.fail(t('shop.afterSale.badAmount'));
    if (fen > max) return action.fail(t('shop.afterSale.tooMuch', { max: fmt.fen(max) }));
    if (!reason.trim()) return action.fail(t('shop.afterSale.needReason'));
    const body = { kind, ...(kind === 'return_refund' ? { cause } : {}), ...(item ? { itemId: item } : {}), amountFen: fen, reason: reason.trim() };
    const res = await action.run(() => post(path`/api/orders/${order.id}/after-sales`, body), t('shop.afterSale.submitted'));
    if (res !== undefined) {
      setAmount('');
      setReason('');
      onDone();
    }
  };

  return (
    <Section title={t('shop.afterSale.formTitle')} testId="after-sale-section">
      <form className="after-sale-form" data-testid="after-sale-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={kindId}>{t('shop.afterSale.kind')}</label>
          <select id={kindId} data-testid="after-sale-kind" value={kind} onChange={(e) => setKind(e.target.value as AfterSaleKind)}>
            <option value="refund_only" disabled={shipped}>
              {shopLabel(t, 'afterSaleKind', 'refund_only')}
            </option>
            <option value="return_refund" disabled={!shipped}>
              {shopLabel(t, 'afterSaleKind', 'return_refund')}
            </option>
          </select>
          <p className="field-hint">{kind === 'refund_only' ? t('shop.afterSale.refundOnlyHint') : t('shop.afterSale.returnRefundHint')}</p>
        </div>
        {kind === 'return_refund' ? (
          <div className="field">
            <label htmlFor={causeId}>{t('shop.afterSale.cause')}</label>
            <select id={causeId} data-testid="after-sale-cause" value={cause} onChange={(e) => setCause(e.target.value as 'no_reason' | 'quality')}>
              <option value="no_reason">{t('shop.afterSale.causes.no_reason')}</option>
              <option value="quality">{t('shop.afterSale.causes.quality')}</option>
            </select>
            <p className="field-hint">{cause === 'quality' ? t('shop.afterSale.qualityHint') : t('shop.afterSale.noReasonHint')}</p>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={itemId}>{t('shop.afterSale.item')}</label>
          <select id={itemId} data-testid="after-sale-item" value={item} onChange={(e) => setItem(e.target.value)}>
            <option value="">{t('shop.afterSale.wholeOrder')}</option>
            {order.items.map((i) => (
              <option key={i.id} value={i.id}>
                {i.title}
                {lineSpecText(t, order, i.spec) ? ` (${lineSpecText(t, order, i.spec)})` : ''} · {fmt.fen(i.paidFen)}
              </option>
            ))}
          </select>
          {nonStandard ? (
            <p className="field-hint field-warning" data-testid="after-sale-policy-warning">
              {t('shop.afterSale.notReturnable')}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={amountId}>{t('shop.afterSale.amount')}</label>
          <input id={amountId} data-testid="after-sale-amount" inputMode="decimal" value={amount} placeholder={fenToYuanInput(max)} onChange={(e) => setAmount(e.target.value)} />
          <p className="field-hint" data-testid="after-sale-max" data-max-fen={max}>
            {t('shop.afterSale.max', { max: fmt.fen(max) })}
          </p>
        </div>
        <div className="field">
          <label htmlFor={reasonId}>{t('shop.afterSale.reason')}</label>
          <div className="choice-group reason-picks">
            {quickReasons.map((r) => (
              <button key={r} type="button" className={`choice${reason === r ? ' choice-active' : ''}`} data-testid="after-sale-reason-pick" onClick={() => setReason(r)}>
                {r}
              </button>
            ))}
          </div>
          <textarea id={reasonId} data-testid="after-sale-reason" value={reason} maxLength={200} rows={2} placeholder={t('shop.afterSale.reasonPlaceholder')} onChange={(e) => setReason(e.target.value)} required />
        </div>
        <button type="submit" className="button button-small" data-testid="after-sale-submit" disabled={action.busy || max <= 0 || nonStandard}>
          {action.busy ? t('common.submitting') : t('shop.afterSale.submit')}
        </button>
        <FormError error={action.error} />
        {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
      </form>
    </Section>
  );
}

function ChangeAddress({ order, onDone }: { order: Order; onDone: (o: Order | null) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const addr = useAddresses(open);
  const action = useAction();
  if (!open) {
    return (
      <button type="button" className="link-button" data-testid="change-address" onClick={() => setOpen(true)}>
        {t('shop.order.changeAddress')}
      </button>
    );
  }
  return (
    <div className="change-address" data-testid="change-address-list">
      {addr.addresses === null ? <p className="muted">{t('common.loading')}</p> : null}
      {addr.addresses?.length === 0 ? (
        <p className="muted">
          {t('shop.address.none')} <Link to="/me/addresses">{t('shop.nav.addresses')}</Link>
        </p>
      ) : null}
      {addr.addresses?.map((a) => (
        <button
          key={a.id}
          type="button"
          className="address-option"
          data-testid="change-address-option"
          disabled={action.busy}
          onClick={() =>
            void action.run(() => post<{ order?: Order }>(path`/api/orders/${order.id}/address`, { addressId: a.id })).then((res) => {
              if (res !== undefined) {
                setOpen(false);
                onDone(orderOf(res));
              }
            })
          }
        >
          <AddressLine address={a} />
        </button>
      ))}
      <FormError error={action.error} />
    </div>
  );
}

function OrderBody({ order, onChanged, confirming, confirmTimedOut }: { order: Order; onChanged: (o: Order | null) => void; confirming: boolean; confirmTimedOut: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const pay = useAction();
  const act = useAction();
  const pending = order.status === 'pending_payment';

  const simple = (url: string, success: string, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return;
    void act.run(() => post<{ order?: Order }>(url), success).then((res) => {
      if (res !== undefined) onChanged(orderOf(res));
    });
  };
  const canAfterSale = ['paid', 'shipped', 'delivered', 'completed'].includes(order.status);

  return (
    <>
      <section className="card order-status-card" data-testid="order-status-card" data-status={order.status}>
        <p className="order-status-line">
          <StatusBadge status={order.status}>
            <span data-testid="order-status" data-status={order.status}>
              {shopLabel(t, 'orderStatus', order.status)}
            </span>
          </StatusBadge>
          <span className="muted order-no">
            {t('shop.order.no')} <span className="mono">{order.id}</span>
          </span>
        </p>
        {confirming ? (
          <p className="notice" role="status" data-testid="pay-confirming">
            <span className="spinner spinner-small" aria-hidden="true" /> {t('shop.order.confirmingPayment')}
          </p>
        ) : null}
        {confirmTimedOut && pending ? (
          <p className="notice notice-warning" role="status" data-testid="pay-unconfirmed">
            {t('shop.order.paymentUnconfirmed')}
          </p>
        ) : null}
        {pending ? <PayCountdown deadline={order.payDeadline} /> : null}
        {order.kind === 'voucher' && !pending && order.status !== 'cancelled' ? (
          <p>
            <Link className="button button-secondary button-small" to={`/me/vouchers?orderId=${encodeURIComponent(order.id)}`} data-testid="order-vouchers">
              {t('shop.order.vouchers')}
            </Link>
          </p>
        ) : null}
        {order.status === 'cancelled' && order.cancelReason ? <p className="muted">{t('shop.order.cancelReason', { reason: order.cancelReason })}</p> : null}
        {order.returnDeadline && ['delivered', 'completed'].includes(order.status) ? (
          <p className="muted" data-testid="return-deadline">
            {t('shop.order.returnDeadline', { time: fmt.timestamp(order.returnDeadline) })}
          </p>
        ) : null}
        <div className="button-row">
          {pending ? (
            <>
              <button type="button" className="button" data-testid="pay-button" disabled={pay.busy} onClick={() => void pay.run(() => payAndGo(order.id))}>
                {pay.busy ? t('shop.buy.toPay') : t('shop.order.payAmount', { amount: fmt.fen(order.totalFen) })}
              </button>
              <button type="button" className="button button-ghost" data-testid="cancel-order" disabled={act.busy} onClick={() => simple(path`/api/orders/${order.id}/cancel`, t('shop.order.cancelled'), t('shop.order.confirmCancel'))}>
                {t('shop.order.cancel')}
              </button>
            </>
          ) : null}
          {order.status === 'shipped' || order.status === 'delivered' ? (
            <button type="button" className="button" data-testid="confirm-receipt" disabled={act.busy} onClick={() => simple(path`/api/orders/${order.id}/confirm-receipt`, t('shop.order.received'), t('shop.order.confirmReceiptAsk'))}>
              {t('shop.order.confirmReceipt')}
            </button>
          ) : null}
        </div>
        <FormError error={pay.error} />
        <FormError error={act.error} />
        {act.done ? <FormSuccess>{act.done}</FormSuccess> : null}
      </section>

      <Section title={t('shop.order.address')} testId="order-address">
        {order.address ? <AddressLine address={order.address} /> : <p className="muted">{t('shop.address.none')}</p>}
        {pending ? <ChangeAddress order={order} onDone={onChanged} /> : null}
      </Section>

      <Section title={t('shop.order.items')} testId="order-items">
        <p className="order-brand-line">{order.brand?.name}</p>
        <ul className="order-items">
          {order.items.map((i) => (
            <li key={i.id} className="order-item" data-testid="order-item" data-item-id={i.id}>
              <ProductImage src={i.image} />
              <div className="cart-body">
                <p className="cart-title">{i.title}</p>
                <p className="muted order-spec">{lineSpecText(t, order, i.spec)}</p>
                <p className="order-item-meta">
                  <span>
                    {fmt.fen(i.unitPriceFen)} × {i.quantity}
                  </span>
                  <ReturnPolicyNote policy={i.returnPolicy} />
                </p>
                {i.refundedFen > 0 ? <p className="muted">{t('shop.amounts.itemRefunded', { amount: fmt.fen(i.refundedFen) })}</p> : null}
              </div>
            </li>
          ))}
        </ul>
        <dl className="quote order-amounts" data-testid="order-amounts">
          <dt>{t('shop.amounts.items')}</dt>
          <dd data-testid="order-items-total">{fmt.fen(order.itemsTotalFen)}</dd>
          <dt>{order.couponTitle ? t('shop.amounts.discountWith', { title: order.couponTitle }) : t('shop.amounts.discount')}</dt>
          <dd data-testid="order-discount">{order.discountFen > 0 ? `-${fmt.fen(order.discountFen)}` : fmt.fen(0)}</dd>
          <dt>{t('shop.amounts.shipping')}</dt>
          <dd data-testid="order-shipping">{order.shippingFen > 0 ? fmt.fen(order.shippingFen) : t('shop.amounts.freeShipping')}</dd>
          <dt className="quote-total-row">{pending ? t('shop.amounts.toPay') : t('shop.amounts.paid')}</dt>
          <dd className="quote-total-row">
            <strong className="price" data-testid="order-total">
              {fmt.fen(order.totalFen)}
            </strong>
          </dd>
          {order.refundedFen > 0 ? (
            <>
              <dt>{t('shop.amounts.refunded')}</dt>
              <dd data-testid="order-refunded">{fmt.fen(order.refundedFen)}</dd>
            </>
          ) : null}
        </dl>
        {order.confirmedNoReturn ? <p className="muted">{t('shop.order.confirmedNoReturn')}</p> : null}
      </Section>

      <Section title={t('shop.order.timeline')}>
        <Timeline order={order} />
      </Section>

      <AfterSaleList order={order} onChanged={() => onChanged(null)} />
      {canAfterSale ? <AfterSaleForm order={order} onDone={() => onChanged(null)} /> : null}

      <Section title={t('shop.brand.title')}>
        <BrandLicence brand={order.brand} />
      </Section>
    </>
  );
}

/** One order: status, pay / cancel / confirm receipt, amounts, timeline, after-sales. */
export function OrderPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const fromPay = params.get('from') === 'pay' || (typeof document !== 'undefined' && document.referrer.includes('/sandbox/pay/'));
  const startedAt = useRef(Date.now());
  const interval = (data: unknown) => {
    const o = orderOf(data);
    if (!fromPay || Date.now() - startedAt.current > PAY_POLL_FOR_MS) return null;
    return !o || o.status === 'pending_payment' ? PAY_POLL_MS : null;
  };
  const poll = usePolling<{ order: Order }>(id ? path`/api/orders/${id}` : null, interval);
  const order = orderOf(poll.data);
  const now = useNow(1000);
  const withinWindow = fromPay && now - startedAt.current <= PAY_POLL_FOR_MS;
  const confirming = withinWindow && order?.status === 'pending_payment';
  const confirmTimedOut = fromPay && !withinWindow;

  const onChanged = (o: Order | null) => {
    if (o) poll.setData({ order: o });
    poll.refresh();
  };

  return (
    <div className="page page-narrow shop-page" data-testid="order-page" data-order-id={id} data-status={order?.status ?? ''}>
      <p className="breadcrumb">
        <Link to="/orders" data-testid="back-to-orders">
          ← {t('shop.orders.title')}
        </Link>
      </p>
      <header className="page-header">
        <h1>{t('shop.order.title')}</h1>
        <ShopLinks />
      </header>
      {poll.error && !order ? <ErrorNotice error={poll.error} onRetry={poll.refresh} /> : !order ? <Loading /> : <OrderBody order={order} onChanged={onChanged} confirming={confirming} confirmTimedOut={confirmTimedOut} />}
    </div>
  );
}
