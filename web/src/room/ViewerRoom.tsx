// The viewer's live room, drawn over the video as Douyin / Taobao Live show it on a phone: the top bar
// (streamer, follow, online count), the danmaku lower left, the pinned "讲解中" card, the bottom bar
// (小黄车, chat input, share, likes), and the shop's flash sales, coupon drops and lucky bags.
// Each part has its own file; this one holds the room's state and places them. docs/ROOM.md.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties } from 'react';
import { Link, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { LiveSession } from '../types';
import { useSession } from '../session';
import { ProductThumb } from '../pictures/ProductThumb';
import { IconGift, IconMegaphone, IconTicket } from '../shared/icons';
import { useRoom } from './useRoom';
import type { RoomProduct, RoomState } from './types';
import { ConnectionNotice, yuan } from './parts';
import { CartSheet } from '../shop/CartSheet';
import { BuySheet } from '../shop/BuySheet';
import { FlashSaleCard } from '../shop/FlashSaleCard';
import { useRoomShop } from '../shop/useRoomShop';
import { RoomAuctions } from '../auctions/AuctionCard';
import { trackProductClick } from '../analytics/track';
import { FollowButton, useFollow } from './follow';
import { CouponPopup, LuckyBagPopup, noticeText, WonBanner } from './popups';
import { ImmersiveTopBar } from './TopBar';
import { DanmakuOverlay, DanmakuToggle, useDanmakuPref } from './DanmakuOverlay';
import { BottomBar } from './BottomBar';
import { ShareSheet } from './ShareSheet';
import { DoubleTapLike } from './DoubleTapLike';
import './immersive.css';

// ---------------------------------------------------------------------------
// Products: the pinned card and the 小黄车 sheet.

function Price({ product, testPrefix }: { product: RoomProduct; testPrefix: string }) {
  const { t } = useTranslation();
  const live = typeof product.livePriceFen === 'number';
  return (
    <span className="room-price">
      {live ? (
        <>
          <span className="price" data-testid={`${testPrefix}-live-price`}>
            {yuan(product.livePriceFen)}
          </span>
          <span className="tag">{t('room.livePrice')}</span>
          <s className="muted price-was" data-testid={`${testPrefix}-price`}>
            {yuan(product.priceFen)}
          </s>
        </>
      ) : (
        <span className="price" data-testid={`${testPrefix}-price`}>
          {yuan(product.priceFen)}
        </span>
      )}
    </span>
  );
}

function ProductImage({ src, alt = '' }: { src: string | null; alt?: string }) {
  return <ProductThumb src={src} alt={alt} />;
}

function PinnedCard({ product, loggedIn, loginHref, onBuy }: { product: RoomProduct; loggedIn: boolean; loginHref: string; onBuy: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="pinned-card" data-testid="pinned-card" data-product-id={product.id}>
      <ProductImage src={product.image} alt={product.title} />
      <div className="pinned-body">
        <p className="pinned-head">
          <span className="pinned-badge">{t('room.explaining')}</span>
          {product.link ? <span className="pinned-link">{t('room.linkNo', { n: product.link })}</span> : null}
        </p>
        <p className="pinned-title" data-testid="pinned-title">
          {product.title}
        </p>
        <Price product={product} testPrefix="pinned" />
      </div>
      {loggedIn ? (
        <button type="button" className="button button-small pinned-buy" data-testid="buy-button" data-product-id={product.id} onClick={onBuy}>
          {t('shop.room.buy')}
        </button>
      ) : (
        <Link className="button button-small pinned-buy" to={loginHref} data-testid="buy-login">
          {t('shop.room.loginToBuy')}
        </Link>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------
// The room.

function useHeight(el: HTMLElement | null): number {
  const [height, setHeight] = useState(64);
  useEffect(() => {
    if (!el) return;
    const update = () => setHeight(Math.round(el.getBoundingClientRect().height));
    update();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return height;
}

export type ViewerRoomProps = {
  session: LiveSession;
  /** The room says the live started or ended: the page re-reads the session. */
  onStatus?: (status: RoomState['status']) => void;
};

export function ViewerRoom({ session, onStatus }: ViewerRoomProps) {
  const { t } = useTranslation();
  const location = useLocation();
  const sessionId = session.id;
  const streamerId = session.streamer?.id ?? null;
  const { user, status: sessionStatus } = useSession();
  // Wait until we know who is watching, so the socket is not opened twice (anonymous, then logged in).
  const room = useRoom(sessionStatus === 'loading' ? null : sessionId, user?.id ?? null);
  const state = room.state;
  const myId = room.you?.id ?? user?.id ?? null;
  const loginHref = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
  const canFollow = !!user && !!streamerId && user.id !== streamerId;
  const follow = useFollow(streamerId ?? '', canFollow);
  const [cartOpen, setCartOpen] = useState(false);
  const [shareOpen, setShareOpen] = useState(false);
  const [buying, setBuying] = useState<string | null>(null);
  const shop = useRoomShop(sessionId, room);
  const [closedCoupon, setClosedCoupon] = useState<string | null>(null);
  const [closedBag, setClosedBag] = useState<string | null>(null);
  const [danmakuOn, toggleDanmaku] = useDanmakuPref();

  const onStatusRef = useRef(onStatus);
  onStatusRef.current = onStatus;
  useEffect(
    () =>
      room.subscribe((ev) => {
        if (ev.type === 'status') onStatusRef.current?.(ev.status);
      }),
    [room.subscribe],
  );

  const products = state?.products ?? [];
  const cartCount = shop.products ? shop.products.length : products.length;
  const coupon = state?.coupon ?? null;
  const bag = state?.luckyBag ?? null;
  // A drawn bag reopens its pop-up with the result.
  const bagKey = bag ? `${bag.id}:${bag.status}` : null;
  // A bag that was already drawn when we arrived starts folded into its chip.
  const seenOpen = useRef(new Set<string>());
  const bagId = bag?.id;
  const bagStatus = bag?.status;
  useLayoutEffect(() => {
    if (!bagId) return;
    if (bagStatus === 'open') seenOpen.current.add(bagId);
    else if (!seenOpen.current.has(bagId)) setClosedBag(`${bagId}:${bagStatus}`);
  }, [bagId, bagStatus]);
  const showCoupon = !!coupon && closedCoupon !== coupon.id;
  const showBag = !!bag && closedBag !== bagKey;
  const closeCart = useCallback(() => setCartOpen(false), []);
  const closeShare = useCallback(() => setShareOpen(false), []);
  const closeBuy = useCallback(() => setBuying(null), []);
  const openBuy = useCallback(
    (productId: string) => {
      setCartOpen(false);
      setBuying(productId);
      // A product card opened: counted for the review's clicks and funnel (docs/ANALYTICS.md).
      trackProductClick(sessionId, productId);
    },
    [sessionId],
  );
  const openProduct = useCallback((productId: string) => trackProductClick(sessionId, productId), [sessionId]);
  const [bottomEl, setBottomEl] = useState<HTMLDivElement | null>(null);
  const [sectionEl, setSectionEl] = useState<HTMLElement | null>(null);
  const bottomHeight = useHeight(bottomEl);
  // The stack's height leaves the rest of a phone held sideways to the chat (sideways.css).
  const [stackEl, setStackEl] = useState<HTMLDivElement | null>(null);
  const stackHeight = useHeight(stackEl);
  // The player's "tap for sound" sits on the stage, beside the room: the slide carries the stack's and the bottom
  // bar's heights so it stays between the cards (flash sale, auction) and the chat instead of under them (stage.css).
  useEffect(() => {
    const slide = sectionEl?.parentElement;
    if (!slide) return;
    slide.style.setProperty('--stack-h', `${stackHeight}px`);
    slide.style.setProperty('--bottom-h', `${bottomHeight}px`);
    return () => {
      slide.style.removeProperty('--stack-h');
      slide.style.removeProperty('--bottom-h');
    };
  }, [sectionEl, stackHeight, bottomHeight]);
  // The sheets are open: the swiper leaves the gestures to them.
  const sheetOpen = cartOpen || shareOpen || !!buying;

  return (
    <section
      ref={setSectionEl}
      className="imm-room"
      aria-label={t('room.title')}
      data-testid="room-panel"
      data-connection={room.connection}
      data-source={room.source ?? ''}
      data-sheet-open={String(sheetOpen)}
      style={{ '--bottom-h': `${bottomHeight}px`, '--stack-h': `${stackHeight}px` } as CSSProperties}
    >
      <ImmersiveTopBar session={session} counts={state?.counts} follow={canFollow ? <FollowButton follow={follow} compact /> : null} />
      {/* Taps go through the room to the video: its slide is where double taps land. */}
      <DoubleTapLike area={sectionEl?.parentElement ?? null} onLike={() => room.like(1)} />
      <div className="imm-stack" ref={setStackEl}>
        <ConnectionNotice room={room} />
        {state?.announcement ? (
          <p className="room-announcement" data-testid="room-announcement">
            <IconMegaphone />
            <span>{state.announcement}</span>
          </p>
        ) : null}
        {shop.flashSales.map((sale) => (
          <FlashSaleCard key={sale.id} sale={sale} loggedIn={!!user} loginHref={loginHref} />
        ))}
        <RoomAuctions sessionId={sessionId} room={room} myId={user?.id ?? null} loginHref={loginHref} />
        {(coupon && !showCoupon) || (bag && !showBag) ? (
          <div className="room-chips">
            {coupon && !showCoupon ? (
              <button type="button" className="room-chip" data-testid="coupon-chip" onClick={() => setClosedCoupon(null)}>
                <IconTicket /> {t('room.coupon.chip')}
              </button>
            ) : null}
            {bag && !showBag ? (
              <button type="button" className="room-chip" data-testid="luckybag-chip" onClick={() => setClosedBag(null)}>
                <IconGift /> {t('room.luckyBag.chip')}
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
      <div className="imm-side">
        <DanmakuToggle on={danmakuOn} onToggle={toggleDanmaku} />
      </div>
      <div className="imm-lower">
        <DanmakuOverlay room={room} myId={myId} on={danmakuOn} />
        {state?.pinned ? <PinnedCard product={state.pinned} loggedIn={!!user} loginHref={loginHref} onBuy={() => openBuy(state.pinned!.id)} /> : null}
      </div>
      <BottomBar
        room={room}
        state={state}
        loginHref={loginHref}
        cartCount={cartCount}
        onCart={cartCount > 0 ? () => setCartOpen(true) : null}
        onShare={() => setShareOpen(true)}
        boxRef={setBottomEl}
      />
      {showCoupon || showBag ? (
        // Pop-ups sit just above the bottom bar, whatever its height (rules, errors).
        <div className="room-popups">
          {showCoupon && coupon ? <CouponPopup sessionId={sessionId} coupon={coupon} loggedIn={!!user} loginHref={loginHref} onClose={() => setClosedCoupon(coupon.id)} /> : null}
          {showBag && bag ? <LuckyBagPopup sessionId={sessionId} bag={bag} room={room} myId={myId} loggedIn={!!user} loginHref={loginHref} follow={canFollow ? follow : null} onClose={() => setClosedBag(bagKey)} /> : null}
        </div>
      ) : null}
      {cartOpen && cartCount > 0 ? (
        <CartSheet products={shop.products} fallback={products} pinnedId={state?.pinned?.id ?? null} loggedIn={!!user} loginHref={loginHref} onBuy={openBuy} onClose={closeCart} onOpenProduct={openProduct} />
      ) : null}
      {buying && user ? <BuySheet key={buying} sessionId={sessionId} productId={buying} product={shop.products?.find((p) => p.id === buying) ?? null} onClose={closeBuy} /> : null}
      {shareOpen ? <ShareSheet sessionId={sessionId} title={session.title} onClose={closeShare} /> : null}
      {room.notice?.code === 'LUCKYBAG_WON' ? <WonBanner message={noticeText(t, room.notice)} onClose={room.dismissNotice} /> : null}
    </section>
  );
}
