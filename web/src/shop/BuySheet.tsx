import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, isAbort, path, type ApiError } from '../api';
import { FormError } from '../shared/Field';
import { useFormat } from '../shared/format';
import { IconClose } from '../shared/icons';
import { toApiError } from '../shared/useApi';
import { ProductImage, useSheetKeys } from './CartSheet';
import { ExplanationLink } from '../replays/ExplanationLink';
import { CrossBorderQuote } from '../crossborder/CrossBorderQuote';
import { AddressForm, AddressLine, BrandLicence, couponValueText, ReturnPolicyNote, useAction, useAddresses } from './parts';
import { createOrder, IdempotencyKeys, payAndGo, quote as fetchQuote, specValues, unitFen } from './shopApi';
import type { CheckoutInput, Order, Quote, ShopProduct, UserCoupon } from './types';

const QUOTE_DEBOUNCE_MS = 250;
const MAX_QTY = 999;

type BuySheetProps = {
  sessionId: string;
  productId: string;
  /** The product as the room already knows it (with SKUs and live prices); read from the API otherwise. */
  product: ShopProduct | null;
  onClose: () => void;
};

/**
 * The buy sheet over the video: SKU, quantity, coupon, address, the return-policy
 * confirmation, the server's quote, then 提交订单 → pay → the provider's page.
 */
export function BuySheet({ sessionId, productId, product: given, onClose }: BuySheetProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const titleId = useId();
  const confirmId = useId();
  const couponId = useId();
  const closeRef = useSheetKeys(onClose);

  // The product (with SKUs).
  const [product, setProduct] = useState<ShopProduct | null>(given);
  const [productError, setProductError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (given) {
      setProduct(given);
      return;
    }
    const ac = new AbortController();
    get<{ product: ShopProduct }>(path`/api/products/${productId}`, ac.signal).then(
      (res) => setProduct(res?.product ?? null),
      (e: unknown) => {
        if (!isAbort(e)) setProductError(toApiError(e));
      },
    );
    return () => ac.abort();
  }, [given, productId]);

  const skus = product?.skus ?? [];
  const [skuId, setSkuId] = useState<string | null>(null);
  const sku = skus.find((s) => s.id === skuId) ?? null;
  // Pick the first SKU in stock once the product is known.
  useEffect(() => {
    if (!product) return;
    if (skuId && product.skus.some((s) => s.id === skuId)) return;
    setSkuId((product.skus.find((s) => s.stock > 0) ?? product.skus[0])?.id ?? null);
  }, [product, skuId]);

  const [qtyText, setQtyText] = useState('1');
  const maxQty = Math.max(1, Math.min(MAX_QTY, sku?.stock ?? MAX_QTY));
  const qty = Math.min(maxQty, Math.max(1, Math.floor(Number(qtyText)) || 1));

  // Coupons: the buyer's unused ones for this brand. null = not touched (the server's choice stands).
  const [coupons, setCoupons] = useState<UserCoupon[]>([]);
  const [couponChoice, setCouponChoice] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    get<{ coupons: UserCoupon[] }>('/api/me/coupons', ac.signal).then(
      (res) => setCoupons(Array.isArray(res?.coupons) ? res.coupons.filter((c) => c.status === 'unused') : []),
      () => undefined,
    );
    return () => ac.abort();
  }, []);

  // Addresses.
  const addr = useAddresses(true);
  const [addressId, setAddressId] = useState<string | null>(null);
  const [addingAddress, setAddingAddress] = useState(false);
  const addresses = addr.addresses;
  useEffect(() => {
    if (!addresses) return;
    if (addressId && addresses.some((a) => a.id === addressId)) return;
    setAddressId(addresses[0]?.id ?? null);
    if (addresses.length === 0) setAddingAddress(true);
  }, [addresses, addressId]);

  const [confirmNoReturn, setConfirmNoReturn] = useState(false);

  // The quote, asked again whenever the choice changes.
  const [quote, setQuote] = useState<Quote | null>(null);
  const [quoteError, setQuoteError] = useState<ApiError | null>(null);
  const [quoting, setQuoting] = useState(false);
  const chosenCouponId = couponChoice === null ? undefined : couponChoice || undefined;
  const quoteInput = useMemo<CheckoutInput | null>(() => {
    if (!product || !skuId) return null;
    return {
      items: [{ productId: product.id, skuId, quantity: qty }],
      sessionId,
      ...(chosenCouponId ? { userCouponId: chosenCouponId } : {}),
      ...(addressId ? { addressId } : {}),
    };
  }, [product, skuId, qty, sessionId, chosenCouponId, addressId]);
  const quoteKey = quoteInput ? JSON.stringify(quoteInput) : null;
  useEffect(() => {
    if (!quoteKey) return;
    const input = JSON.parse(quoteKey) as CheckoutInput;
    const ac = new AbortController();
    setQuoting(true);
    const timer = setTimeout(() => {
      fetchQuote(input, ac.signal).then(
        (res) => {
          setQuote(res?.quote ?? null);
          setQuoteError(null);
          setQuoting(false);
        },
        (e: unknown) => {
          if (isAbort(e) || ac.signal.aborted) return;
          setQuote(null);
          setQuoteError(toApiError(e));
          setQuoting(false);
        },
      );
    }, QUOTE_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [quoteKey]);

  const usableIds = new Set((quote?.usableCoupons ?? []).map((c) => c.id));
  const brandCoupons = coupons.filter((c) => !product || !c.coupon?.brandOrgId || c.coupon.brandOrgId === product.brand?.id);
  // Coupons the quote calls usable but the list did not have (claimed a moment ago).
  for (const uc of quote?.usableCoupons ?? []) if (!brandCoupons.some((c) => c.id === uc.id)) brandCoupons.push(uc);
  const couponValue = couponChoice ?? quote?.coupon?.id ?? '';

  // A voucher ships nothing: no address is asked (the quote says so).
  const ships = quote?.ships !== false;
  const needsConfirm = product?.returnPolicy === 'confirm' || (quote?.requiresConfirmation?.length ?? 0) > 0;

  // Submitting: one Idempotency-Key per submission, kept for retries of the same body.
  const keys = useRef(new IdempotencyKeys());
  const submit = useAction();
  const [order, setOrder] = useState<Order | null>(null);
  const pay = useAction();

  const goPay = async (o: Order) => {
    await pay.run(() => payAndGo(o.id));
  };

  const onSubmit = async () => {
    if (!product || !skuId) return;
    if (!addressId && ships) {
      setAddingAddress(true);
      return submit.fail(t('shop.buy.needAddress'), 'CLIENT_NO_ADDRESS');
    }
    if (needsConfirm && !confirmNoReturn) return submit.fail(t('shop.buy.needConfirm'), 'CLIENT_CONFIRM_REQUIRED');
    const couponForOrder = couponChoice === null ? quote?.coupon?.id : couponChoice || undefined;
    const body: CheckoutInput = {
      items: [{ productId: product.id, skuId, quantity: qty }],
      sessionId,
      ...(addressId && ships ? { addressId } : {}),
      ...(couponForOrder ? { userCouponId: couponForOrder } : {}),
      ...(needsConfirm ? { confirmNoReturn: true } : {}),
    };
    const key = keys.current.keyFor(body);
    const res = await submit.run(() => createOrder(body, key));
    if (res?.order) {
      setOrder(res.order);
      await goPay(res.order);
    }
  };

  const unit = sku ? unitFen(sku) : null;
  const total = quote?.totalFen ?? (unit !== null ? unit * qty : null);

  return (
    <div className="sheet-backdrop sheet-backdrop-light" onClick={onClose}>
      <div className="sheet buy-sheet" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="buy-sheet" data-product-id={productId} onClick={(e) => e.stopPropagation()}>
        <div className="sheet-head">
          <h2 id={titleId}>{t('shop.buy.title')}</h2>
          <button type="button" className="icon-close" ref={closeRef} data-testid="buy-close" aria-label={t('room.close')} onClick={onClose}>
            <IconClose />
          </button>
        </div>
        <div className="sheet-scroll">
          {productError ? <FormError error={productError} /> : null}
          {!product && !productError ? <p className="muted">{t('common.loading')}</p> : null}
          {product ? (
            <>
              <div className="buy-head">
                <ProductImage src={product.images?.[0]} />
                <div className="cart-body">
                  <p className="cart-title" data-testid="buy-title">
                    {product.title}
                  </p>
                  <ExplanationLink productId={product.id} title={product.title} exceptSessionId={sessionId} />
                  {sku ? (
                    <p className="room-price">
                      <span className="price" data-testid="buy-unit-price">
                        {fmt.fen(unitFen(sku))}
                      </span>
                      {typeof sku.livePriceFen === 'number' && sku.livePriceFen !== sku.priceFen ? (
                        <>
                          <span className="tag">{t('room.livePrice')}</span>
                          <s className="muted price-was">{fmt.fen(sku.priceFen)}</s>
                        </>
                      ) : null}
                    </p>
                  ) : null}
                  <p className="cart-policy">
                    <ReturnPolicyNote policy={product.returnPolicy} />
                    {sku ? <span className="muted buy-stock">{t('shop.buy.stock', { count: sku.stock })}</span> : null}
                  </p>
                </div>
              </div>

              <fieldset className="buy-section" disabled={!!order}>
                <legend>{Object.keys(skus[0]?.spec ?? {}).join(' / ') || t('shop.buy.sku')}</legend>
                <div className="sku-options" role="radiogroup" aria-label={t('shop.buy.sku')}>
                  {skus.map((s) => (
                    <button
                      key={s.id}
                      type="button"
                      role="radio"
                      aria-checked={s.id === skuId}
                      className={`sku-option${s.id === skuId ? ' sku-option-active' : ''}`}
                      data-testid="sku-option"
                      data-sku-id={s.id}
                      disabled={s.stock <= 0}
                      onClick={() => setSkuId(s.id)}
                    >
                      {specValues(s.spec) || t('shop.room.defaultSku')}
                      {s.stock <= 0 ? ` · ${t('shop.room.soldOut')}` : ''}
                    </button>
                  ))}
                </div>
              </fieldset>

              <fieldset className="buy-section buy-qty" disabled={!!order}>
                <legend>{t('shop.buy.quantity')}</legend>
                <div className="stepper">
                  <button type="button" className="stepper-button" data-testid="qty-minus" aria-label={t('shop.buy.less')} disabled={qty <= 1} onClick={() => setQtyText(String(qty - 1))}>
                    −
                  </button>
                  <input
                    className="stepper-input"
                    data-testid="qty-input"
                    inputMode="numeric"
                    aria-label={t('shop.buy.quantity')}
                    value={qtyText}
                    onChange={(e) => setQtyText(e.target.value.replace(/\D/g, '').slice(0, 3))}
                    onBlur={() => setQtyText(String(qty))}
                  />
                  <button type="button" className="stepper-button" data-testid="qty-plus" aria-label={t('shop.buy.more')} disabled={qty >= maxQty} onClick={() => setQtyText(String(qty + 1))}>
                    +
                  </button>
                </div>
              </fieldset>

              <div className="buy-section">
                <label className="buy-label" htmlFor={couponId}>
                  {t('shop.buy.coupon')}
                </label>
                <select
                  id={couponId}
                  data-testid="coupon-select"
                  value={couponValue}
                  disabled={!!order}
                  onChange={(e) => setCouponChoice(e.target.value)}
                >
                  <option value="">{brandCoupons.length ? t('shop.buy.noCoupon') : t('shop.buy.noCoupons')}</option>
                  {brandCoupons.map((uc) => {
                    const usable = !quote || usableIds.has(uc.id) || uc.id === quote.coupon?.id;
                    return (
                      <option key={uc.id} value={uc.id} disabled={!usable}>
                        {uc.coupon ? `${uc.coupon.title} · ${couponValueText(t, fmt.fen, uc.coupon)}` : uc.id}
                        {usable ? '' : ` (${t('shop.buy.couponUnusable')})`}
                      </option>
                    );
                  })}
                </select>
              </div>

              {!ships ? <p className="buy-section muted" data-testid="buy-no-address">{t('shop.buy.noShipping')}</p> : null}
              <div className="buy-section" data-testid="buy-address" hidden={!ships}>
                <p className="buy-label">{t('shop.buy.address')}</p>
                {addresses === null ? (
                  <p className="muted">{t('common.loading')}</p>
                ) : (
                  <>
                    {addresses.length > 0 ? (
                      <div className="address-options" role="radiogroup" aria-label={t('shop.buy.address')}>
                        {addresses.map((a) => (
                          <label key={a.id} className={`address-option${a.id === addressId ? ' address-option-active' : ''}`} data-testid="address-option" data-address-id={a.id}>
                            <input type="radio" name="buy-address" value={a.id} checked={a.id === addressId} disabled={!!order} onChange={() => setAddressId(a.id)} />
                            <AddressLine address={a} />
                            {a.isDefault ? <span className="tag">{t('shop.address.default')}</span> : null}
                          </label>
                        ))}
                      </div>
                    ) : null}
                    {addingAddress && !order ? (
                      <AddressForm
                        compact
                        defaultChecked={addresses.length === 0}
                        onCancel={addresses.length > 0 ? () => setAddingAddress(false) : undefined}
                        onSaved={(a) => {
                          addr.setAddresses((list) => [...(list ?? []), a]);
                          setAddressId(a.id);
                          setAddingAddress(false);
                          addr.reload();
                        }}
                      />
                    ) : !order ? (
                      <button type="button" className="link-button" data-testid="address-add" onClick={() => setAddingAddress(true)}>
                        + {t('shop.address.add')}
                      </button>
                    ) : null}
                    {addr.error ? <FormError error={addr.error} /> : null}
                  </>
                )}
              </div>

              {needsConfirm ? (
                <div className="field field-checkbox buy-confirm" data-testid="confirm-box">
                  <input id={confirmId} type="checkbox" data-testid="confirm-no-return" checked={confirmNoReturn} disabled={!!order} onChange={(e) => setConfirmNoReturn(e.target.checked)} />
                  <label htmlFor={confirmId}>{t('shop.buy.confirmNoReturn')}</label>
                </div>
              ) : null}

              <dl className="quote" data-testid="quote" aria-busy={quoting} data-ready={quote ? 'true' : 'false'}>
                <dt>{t('shop.amounts.items')}</dt>
                <dd data-testid="quote-items">{quote ? fmt.fen(quote.itemsTotalFen) : unit !== null ? fmt.fen(unit * qty) : '—'}</dd>
                <dt>{t('shop.amounts.discount')}</dt>
                <dd data-testid="quote-discount">{quote ? (quote.discountFen > 0 ? `-${fmt.fen(quote.discountFen)}` : fmt.fen(0)) : '—'}</dd>
                <dt>{t('shop.amounts.shipping')}</dt>
                <dd data-testid="quote-shipping">{quote ? (quote.shippingFen > 0 ? fmt.fen(quote.shippingFen) : t('shop.amounts.freeShipping')) : '—'}</dd>
              </dl>
              {/* 直播+跨境电商: origin, mode, tax and the buyer's identity (docs/CROSSBORDER.md). */}
              <CrossBorderQuote quote={quote} />
              {quoteError ? (
                <p className="form-error quote-error" role="alert" data-testid="quote-error" data-code={quoteError.code}>
                  {quoteError.message}
                </p>
              ) : null}
              <BrandLicence brand={product.brand} />
            </>
          ) : null}
        </div>

        <div className="buy-footer">
          <p className="buy-total">
            {t('shop.amounts.total')}{' '}
            <strong className="price" data-testid="quote-total">
              {total !== null ? fmt.fen(total) : '—'}
            </strong>
          </p>
          {order ? (
            <div className="button-row">
              <button type="button" className="button" data-testid="pay-button" disabled={pay.busy} onClick={() => void goPay(order)}>
                {pay.busy ? t('shop.buy.toPay') : t('shop.order.pay')}
              </button>
              <Link className="button button-ghost button-small" to={path`/orders/${order.id}`} data-testid="buy-order-link">
                {t('shop.buy.viewOrder')}
              </Link>
            </div>
          ) : (
            <button type="button" className="button" data-testid="submit-order" disabled={!product || !sku || sku.stock <= 0 || submit.busy} onClick={() => void onSubmit()}>
              {submit.busy ? t('common.submitting') : t('shop.buy.submit')}
            </button>
          )}
        </div>
        <FormError error={submit.error} />
        <FormError error={pay.error} />
      </div>
    </div>
  );
}
