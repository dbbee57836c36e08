import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { IconClose } from '../shared/icons';
import { useFormat } from '../shared/format';
import { safeImageUrl } from '../shared/urls';
import { ProductThumb } from '../pictures/ProductThumb';
import type { RoomProduct } from '../room/types';
import { BrandLicence, ReturnPolicyNote } from './parts';
import { specText } from './shopApi';
import type { RoomShopProduct } from './types';

/** Live price in red, the ordinary price struck through beside it. */
export function LivePrice({ priceFen, livePriceFen, testPrefix }: { priceFen: number; livePriceFen: number | null; testPrefix: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const live = typeof livePriceFen === 'number' && livePriceFen !== priceFen;
  return (
    <span className="room-price">
      {live ? (
        <>
          <span className="price" data-testid={`${testPrefix}-live-price`}>
            {fmt.fen(livePriceFen)}
          </span>
          <span className="tag">{t('room.livePrice')}</span>
          <s className="muted price-was" data-testid={`${testPrefix}-price`}>
            {fmt.fen(priceFen)}
          </s>
        </>
      ) : (
        <span className="price" data-testid={`${testPrefix}-price`}>
          {fmt.fen(priceFen)}
        </span>
      )}
    </span>
  );
}

/** The product's thumbnail (web/src/pictures), or the placeholder. */
export function ProductImage({ src, alt = '', className = 'room-product-img' }: { src: string | null | undefined; alt?: string; className?: string }) {
  return <ProductThumb src={src} alt={alt} className={className} />;
}

export function useSheetKeys(onClose: () => void) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return closeRef;
}

function BuyControl({ productId, loggedIn, loginHref, onBuy, testId }: { productId: string; loggedIn: boolean; loginHref: string; onBuy: (productId: string) => void; testId: string }) {
  const { t } = useTranslation();
  if (!loggedIn) {
    return (
      <Link className="button button-small" to={loginHref} data-testid={`${testId}-login`}>
        {t('shop.room.loginToBuy')}
      </Link>
    );
  }
  return (
    <button type="button" className="button button-small" data-testid={testId} data-product-id={productId} onClick={() => onBuy(productId)}>
      {t('shop.room.buy')}
    </button>
  );
}

function ProductDetail({ product, loggedIn, loginHref, onBuy, onBack }: { product: RoomShopProduct; loggedIn: boolean; loginHref: string; onBuy: (id: string) => void; onBack: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const images = (product.images ?? []).map((u) => safeImageUrl(u)).filter((u): u is string => !!u);
  return (
    <div className="product-detail" data-testid="product-detail" data-product-id={product.id}>
      <button type="button" className="link-button" data-testid="product-detail-back" onClick={onBack}>
        ← {t('shop.room.backToList')}
      </button>
      {images.length ? (
        <div className="product-detail-images">
          {images.slice(0, 9).map((src) => (
            <img key={src} src={src} alt={product.title} loading="lazy" decoding="async" referrerPolicy="no-referrer" />
          ))}
        </div>
      ) : null}
      <p className="product-detail-title">
        <span className="cart-link-no">{product.link}</span> {product.title}
      </p>
      <LivePrice priceFen={product.priceFen} livePriceFen={product.livePriceFen} testPrefix="detail" />
      <p className="product-detail-policy">
        <ReturnPolicyNote policy={product.returnPolicy} />
        {product.category ? <span className="tag tag-muted">{product.category}</span> : null}
      </p>
      {product.description ? <p className="product-detail-desc">{product.description}</p> : null}
      {product.skus.length ? (
        <ul className="sku-prices" data-testid="detail-skus">
          {product.skus.map((s) => (
            <li key={s.id} data-testid="detail-sku" data-sku-id={s.id}>
              <span>{specText(s.spec) || t('shop.room.defaultSku')}</span>
              <span>
                {typeof s.livePriceFen === 'number' && s.livePriceFen !== s.priceFen ? (
                  <>
                    <span className="price">{fmt.fen(s.livePriceFen)}</span> <s className="muted price-was">{fmt.fen(s.priceFen)}</s>
                  </>
                ) : (
                  <span className="price">{fmt.fen(s.priceFen)}</span>
                )}
                {s.stock <= 0 ? <span className="tag tag-muted">{t('shop.room.soldOut')}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <BrandLicence brand={product.brand} />
      <div className="sheet-actions">
        <BuyControl productId={product.id} loggedIn={loggedIn} loginHref={loginHref} onBuy={onBuy} testId="detail-buy" />
      </div>
    </div>
  );
}

type CartSheetProps = {
  /** Full products from `GET /api/rooms/:id/products`; null while loading. */
  products: RoomShopProduct[] | null;
  /** The room snapshot's short list, shown until the full one arrives. */
  fallback: RoomProduct[];
  pinnedId: string | null;
  loggedIn: boolean;
  loginHref: string;
  onBuy: (productId: string) => void;
  onClose: () => void;
  /** A product's detail was opened (the room counts it: docs/ANALYTICS.md). */
  onOpenProduct?: (productId: string) => void;
};

/** 小黄车: the room's products in link order ("1号链接" first), each with its detail and a buy button. */
export function CartSheet({ products, fallback, pinnedId, loggedIn, loginHref, onBuy, onClose, onOpenProduct }: CartSheetProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const closeRef = useSheetKeys(onClose);
  const [openId, setOpenId] = useState<string | null>(null);
  const full = products ?? [];
  const open = openId ? full.find((p) => p.id === openId) ?? null : null;
  const openDetail = (productId: string) => {
    setOpenId(productId);
    onOpenProduct?.(productId);
  };
  const count = products ? products.length : fallback.length;

  return (
    <div className="sheet-backdrop" onClick={onClose}>
      <div className="sheet" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="cart-sheet" onClick={(e) => e.stopPropagation()}>
        <div className="sheet-head">
          <h2 id={titleId}>
            {t('room.cart')} <span className="count">{count}</span>
          </h2>
          <button type="button" className="icon-close" ref={closeRef} data-testid="cart-close" aria-label={t('room.close')} onClick={onClose}>
            <IconClose />
          </button>
        </div>
        {open ? (
          <div className="sheet-scroll">
            <ProductDetail product={open} loggedIn={loggedIn} loginHref={loginHref} onBuy={onBuy} onBack={() => setOpenId(null)} />
          </div>
        ) : products ? (
          products.length === 0 ? (
            <p className="state state-empty" data-testid="cart-empty">
              {t('shop.room.empty')}
            </p>
          ) : (
            <ol className="cart-list">
              {products.map((p) => (
                <li key={p.id} className="cart-item" data-testid="cart-product" data-product-id={p.id} data-link={p.link}>
                  <span className="cart-link-no" data-testid="cart-link-no">
                    {p.link}
                  </span>
                  <button type="button" className="cart-open" data-testid="cart-product-open" aria-label={t('shop.room.details', { title: p.title })} onClick={() => openDetail(p.id)}>
                    <ProductImage src={p.images?.[0]} alt={p.title} />
                  </button>
                  <div className="cart-body">
                    <button type="button" className="cart-title cart-title-button" onClick={() => openDetail(p.id)}>
                      {p.id === pinnedId ? <span className="pinned-badge">{t('room.explaining')}</span> : null}
                      <span className="cart-link-label">{t('room.linkNo', { n: p.link })}</span> {p.title}
                    </button>
                    <LivePrice priceFen={p.priceFen} livePriceFen={p.livePriceFen} testPrefix="cart" />
                    {p.returnPolicy !== 'standard' ? (
                      <p className="cart-policy">
                        <ReturnPolicyNote policy={p.returnPolicy} />
                      </p>
                    ) : null}
                    {p.traceable ? (
                      <a className="cart-trace" href={`/origin/${encodeURIComponent(p.id)}`} data-testid="cart-trace">
                        {t('shop.room.trace')}
                      </a>
                    ) : null}
                  </div>
                  <BuyControl productId={p.id} loggedIn={loggedIn} loginHref={loginHref} onBuy={onBuy} testId="cart-buy" />
                </li>
              ))}
            </ol>
          )
        ) : (
          <ol className="cart-list" aria-busy="true">
            {fallback.map((p) => (
              <li key={p.id} className="cart-item" data-testid="cart-product" data-product-id={p.id} data-link={p.link}>
                <span className="cart-link-no">{p.link}</span>
                <ProductImage src={p.image} alt={p.title} />
                <div className="cart-body">
                  <p className="cart-title">
                    {p.id === pinnedId ? <span className="pinned-badge">{t('room.explaining')}</span> : null}
                    {p.title}
                  </p>
                  <LivePrice priceFen={p.priceFen} livePriceFen={p.livePriceFen} testPrefix="cart" />
                </div>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
