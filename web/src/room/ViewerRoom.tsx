import { useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import { Link, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { del, get, path, post } from '../api';
import { useSession } from '../session';
import { safeImageUrl } from '../shared/urls';
import { toApiError } from '../shared/useApi';
import { IconCart, IconClose, IconGift, IconHeart, IconMegaphone, IconTicket } from '../shared/icons';
import { chatOfEvent, useRoom, type Room, type RoomNotice } from './useRoom';
import type { CouponDrop, LuckyBag, Purchase, RoomEvent, RoomProduct, RoomState } from './types';
import { ChatList, clock, ConnectionNotice, Fairness, RoomCountsBar, useSecondsLeft, yuan } from './parts';
import { CartSheet } from '../shop/CartSheet';
import { BuySheet } from '../shop/BuySheet';
import { FlashSaleCard } from '../shop/FlashSaleCard';
import { useRoomShop } from '../shop/useRoomShop';

// ---------------------------------------------------------------------------
// Danmaku: chat flying over the video, in lanes.

const DANMAKU_MS = 8000;
const DANMAKU_MAX_ON_SCREEN = 24;
const DANMAKU_LANE_PX = 30;
const DANMAKU_TOP_PX = 46;
const DANMAKU_STORAGE = 'zhibo.danmaku';

type Flying = { key: string; text: string; lane: number; mine: boolean; staff: boolean; width: number };

function readDanmakuPref(): boolean {
  try {
    return localStorage.getItem(DANMAKU_STORAGE) !== 'off';
  } catch {
    return true;
  }
}

/** Rough on-screen width of a line at 15px: CJK and emoji ≈ 1 em, the rest ≈ 0.55 em. */
function estimateWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.charCodeAt(0) > 0x2e80 ? 15 : 8.5;
  return w + 16;
}

function Danmaku({ room, myId, enabled }: { room: Room; myId: string | null; enabled: boolean }) {
  const layerRef = useRef<HTMLDivElement>(null);
  const [items, setItems] = useState<Flying[]>([]);
  const lanes = useRef<number[]>([]);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  const enabledRef = useRef(enabled);
  enabledRef.current = enabled;
  const myIdRef = useRef(myId);
  myIdRef.current = myId;

  const remove = useCallback((key: string) => setItems((list) => list.filter((i) => i.key !== key)), []);

  useEffect(() => {
    if (!enabled) setItems([]);
  }, [enabled]);

  useEffect(() => {
    const pending = timers.current;
    const off = room.subscribe((ev: RoomEvent) => {
      if (ev.type !== 'chat' || !enabledRef.current || document.hidden) return;
      const c = chatOfEvent(ev);
      const layer = layerRef.current;
      if (!c || !layer) return;
      const width = layer.clientWidth || 360;
      // Lanes start below the controls row (the on/off switch) and use the upper part of the video.
      const laneCount = Math.max(2, Math.min(8, Math.floor((layer.clientHeight * 0.7 - DANMAKU_TOP_PX) / DANMAKU_LANE_PX)));
      const textWidth = estimateWidth(c.text);
      const speed = (width + textWidth) / DANMAKU_MS; // px per ms
      const now = performance.now();
      const mine = !!myIdRef.current && c.user?.id === myIdRef.current;
      const staff = !!c.priority || (c.user?.role !== undefined && c.user.role !== 'viewer');
      let lane = -1;
      for (let i = 0; i < laneCount; i++) {
        if ((lanes.current[i] ?? 0) <= now) {
          lane = i;
          break;
        }
      }
      if (lane < 0) {
        // Every lane is busy: ordinary messages are skipped (they are in the list below).
        if (!mine && !staff) return;
        lane = 0;
        for (let i = 1; i < laneCount; i++) if ((lanes.current[i] ?? 0) < (lanes.current[lane] ?? 0)) lane = i;
      }
      // The lane is free again once this message's tail has entered the screen.
      lanes.current[lane] = now + (textWidth + 28) / speed;
      const key = `${c.id}-${now}`;
      setItems((list) => {
        if (list.length < DANMAKU_MAX_ON_SCREEN) return [...list, { key, text: c.text, lane, mine, staff, width }];
        if (!mine && !staff) return list;
        return [...list.slice(1), { key, text: c.text, lane, mine, staff, width }];
      });
      const timer = setTimeout(() => {
        pending.delete(timer);
        remove(key);
      }, DANMAKU_MS + 600);
      pending.add(timer);
    });
    return () => {
      off();
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    };
  }, [room.subscribe, remove]);

  return (
    <div className="danmaku-layer" ref={layerRef} data-testid="danmaku-layer" data-count={items.length} aria-hidden="true">
      {items.map((i) => (
        <span
          key={i.key}
          className={`danmaku-item${i.mine ? ' danmaku-mine' : ''}${i.staff ? ' danmaku-staff' : ''}`}
          data-testid="danmaku-item"
          style={{ top: DANMAKU_TOP_PX + i.lane * DANMAKU_LANE_PX, '--dm-w': `${i.width}px`, animationDuration: `${DANMAKU_MS}ms` } as CSSProperties}
          onAnimationEnd={() => remove(i.key)}
        >
          {i.text}
        </span>
      ))}
    </div>
  );
}

function StageOverlay({ room, myId }: { room: Room; myId: string | null }) {
  const { t } = useTranslation();
  const [on, setOn] = useState(readDanmakuPref);
  const toggle = () => {
    setOn((v) => {
      try {
        localStorage.setItem(DANMAKU_STORAGE, v ? 'off' : 'on');
      } catch {
        // not remembered
      }
      return !v;
    });
  };
  return (
    <>
      <Danmaku room={room} myId={myId} enabled={on} />
      <button type="button" className="danmaku-toggle" data-testid="danmaku-toggle" aria-pressed={on} onClick={toggle}>
        {on ? t('room.danmakuOn') : t('room.danmakuOff')}
      </button>
    </>
  );
}

// ---------------------------------------------------------------------------
// Likes with floating hearts.

type Heart = { key: number; dx: number; hue: number };
const HEARTS_MAX = 16;

function LikeButton({ room, likes }: { room: Room; likes: number }) {
  const { t, i18n } = useTranslation();
  const [hearts, setHearts] = useState<Heart[]>([]);
  const counter = useRef(0);
  const compact = new Intl.NumberFormat(i18n.language, { notation: 'compact', maximumFractionDigits: 1 }).format(likes);

  const tap = () => {
    room.like(1);
    const key = ++counter.current;
    setHearts((list) => [...list.slice(-(HEARTS_MAX - 1)), { key, dx: Math.round(Math.random() * 40 - 20), hue: Math.round(Math.random() * 40) }]);
    setTimeout(() => setHearts((list) => list.filter((h) => h.key !== key)), 1400);
  };

  return (
    <div className="like-wrap">
      <button type="button" className="room-icon-button like-button" data-testid="like-button" aria-label={t('room.like')} onClick={tap}>
        <IconHeart />
        <span className="like-count" data-testid="like-count" data-count={likes}>
          {compact}
        </span>
      </button>
      <span className="hearts" aria-hidden="true">
        {hearts.map((h) => (
          <span key={h.key} className="heart" style={{ '--dx': `${h.dx}px`, '--hue': `${h.hue}deg` } as CSSProperties}>
            <IconHeart />
          </span>
        ))}
      </span>
    </div>
  );
}

// ---------------------------------------------------------------------------
// Follow the streamer.

function useFollow(streamerId: string, enabled: boolean) {
  const [following, setFollowing] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Best effort: the contract has no way to read the follow state, so ask
  // `GET /api/streamers/:id/follow` and stay on "follow" if it does not answer.
  useEffect(() => {
    setFollowing(null);
    if (!enabled || !streamerId) return;
    const ac = new AbortController();
    get<{ following?: unknown }>(path`/api/streamers/${streamerId}/follow`, ac.signal).then(
      (res) => {
        if (typeof res?.following === 'boolean') setFollowing(res.following);
      },
      () => undefined,
    );
    return () => ac.abort();
  }, [streamerId, enabled]);
  const toggle = async () => {
    setBusy(true);
    setError(null);
    const next = !following;
    try {
      const url = path`/api/streamers/${streamerId}/follow`;
      const res = next ? await post<{ following?: boolean } | undefined>(url) : await del<{ following?: boolean } | undefined>(url);
      setFollowing(typeof res?.following === 'boolean' ? res.following : next);
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return { following, busy, error, toggle };
}

type Follow = ReturnType<typeof useFollow>;

function FollowButton({ follow, compact = false }: { follow: Follow; compact?: boolean }) {
  const { t } = useTranslation();
  const on = follow.following === true;
  return (
    <span className="follow">
      <button
        type="button"
        className={`button button-small ${on ? 'button-ghost' : ''}${compact ? ' follow-compact' : ''}`}
        data-testid="follow-button"
        data-following={String(on)}
        aria-pressed={on}
        disabled={follow.busy}
        onClick={() => void follow.toggle()}
      >
        {on ? t('room.following') : t('room.follow')}
      </button>
      {follow.error ? (
        <span className="follow-error" role="alert" data-testid="follow-error">
          {follow.error}
        </span>
      ) : null}
    </span>
  );
}

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

function ProductImage({ src }: { src: string | null }) {
  const safe = safeImageUrl(src);
  return safe ? <img className="room-product-img" src={safe} alt="" loading="lazy" referrerPolicy="no-referrer" /> : <span className="room-product-img room-product-img-empty" aria-hidden="true" />;
}

function PinnedCard({ product, loggedIn, loginHref, onBuy }: { product: RoomProduct; loggedIn: boolean; loginHref: string; onBuy: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="pinned-card" data-testid="pinned-card" data-product-id={product.id}>
      <ProductImage src={product.image} />
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
// Coupon drops.

type ClaimState = { status: 'idle' | 'busy' | 'claimed' | 'failed'; message?: string };

function CouponPopup({ sessionId, coupon, loggedIn, loginHref, onClose }: { sessionId: string; coupon: CouponDrop; loggedIn: boolean; loginHref: string; onClose: () => void }) {
  const { t } = useTranslation();
  const left = useSecondsLeft(coupon.endsAt);
  const [claim, setClaim] = useState<ClaimState>({ status: 'idle' });
  const over = left === 0;
  const soldOut = coupon.remaining <= 0;

  useEffect(() => setClaim({ status: 'idle' }), [coupon.id]);

  const onClaim = async () => {
    setClaim({ status: 'busy' });
    try {
      await post(path`/api/rooms/${sessionId}/coupon-drops/${coupon.id}/claim`);
      setClaim({ status: 'claimed' });
    } catch (e) {
      setClaim({ status: 'failed', message: toApiError(e).message });
    }
  };

  return (
    <div className="room-popup coupon-popup" role="dialog" aria-label={t('room.coupon.title')} data-testid="coupon-popup" data-coupon-id={coupon.id}>
      <button type="button" className="icon-close" aria-label={t('room.close')} data-testid="coupon-close" onClick={onClose}>
        <IconClose />
      </button>
      <div className="coupon-face">
        <span className="coupon-amount" data-testid="coupon-amount">
          {yuan(coupon.amountOffFen)}
        </span>
        <span className="coupon-off">{t('room.coupon.off')}</span>
      </div>
      <div className="coupon-body">
        <p className="popup-title">{coupon.title}</p>
        <p className="popup-meta">
          <span data-testid="coupon-remaining" data-remaining={coupon.remaining}>
            {t('room.coupon.remaining', { remaining: coupon.remaining, total: coupon.total })}
          </span>
          <span data-testid="coupon-countdown">{left === null ? '' : over ? t('room.coupon.over') : t('room.coupon.endsIn', { time: clock(left) })}</span>
        </p>
        {claim.status === 'claimed' ? (
          <p className="popup-ok" role="status" data-testid="coupon-claimed">
            {t('room.coupon.claimed')}
          </p>
        ) : !loggedIn ? (
          <Link className="button button-small" to={loginHref} data-testid="coupon-login">
            {t('room.coupon.loginToClaim')}
          </Link>
        ) : (
          <button type="button" className="button button-small" data-testid="coupon-claim" disabled={claim.status === 'busy' || over || soldOut} onClick={() => void onClaim()}>
            {claim.status === 'busy' ? t('common.submitting') : soldOut ? t('room.coupon.soldOut') : t('room.coupon.claim')}
          </button>
        )}
        {claim.status === 'failed' ? (
          <p className="popup-error" role="alert" data-testid="coupon-error">
            {claim.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------
// Lucky bags.

function LuckyBagPopup({ sessionId, bag, room, myId, loggedIn, loginHref, follow, onClose }: { sessionId: string; bag: LuckyBag; room: Room; myId: string | null; loggedIn: boolean; loginHref: string; follow: Follow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const left = useSecondsLeft(bag.drawAt);
  const [sent, setSent] = useState<'idle' | 'busy' | 'sent' | 'failed'>('idle');
  const [sendError, setSendError] = useState<string | null>(null);
  const drawn = bag.status === 'drawn';
  const winnerIds = Array.isArray(bag.winnerIds) ? bag.winnerIds : [];
  const won = drawn && !!myId && winnerIds.includes(myId);

  useEffect(() => {
    setSent('idle');
    setSendError(null);
  }, [bag.id]);

  const sendKeyword = async () => {
    if (bag.condition.kind !== 'keyword') return;
    setSent('busy');
    setSendError(null);
    try {
      await room.sendChat(bag.condition.keyword);
      setSent('sent');
    } catch (e) {
      setSent('failed');
      setSendError((e as { message?: string }).message ?? null);
    }
  };

  // Follow bags: the contract does not say how one enters; the server takes
  // `POST /api/rooms/:id/lucky-bags/:bagId/enter` (it checks the follow).
  const enter = async () => {
    setSent('busy');
    setSendError(null);
    try {
      await post(path`/api/rooms/${sessionId}/lucky-bags/${bag.id}/enter`);
      setSent('sent');
    } catch (e) {
      setSent('failed');
      setSendError(toApiError(e).message);
    }
  };

  return (
    <div className="room-popup luckybag-popup" role="dialog" aria-label={t('room.luckyBag.title')} data-testid="luckybag-popup" data-bag-id={bag.id} data-status={bag.status}>
      <button type="button" className="icon-close" aria-label={t('room.close')} data-testid="luckybag-close" onClick={onClose}>
        <IconClose />
      </button>
      <p className="popup-kicker">
        <IconGift /> {t('room.luckyBag.title')}
      </p>
      <p className="popup-title" data-testid="luckybag-prize">
        {bag.prize}
      </p>
      <p className="popup-meta">
        <span>{t('room.luckyBag.winners', { count: bag.winners })}</span>
        {!drawn ? (
          <span data-testid="luckybag-countdown">{left === null ? '' : left > 0 ? t('room.luckyBag.drawIn', { time: clock(left) }) : t('room.luckyBag.drawing')}</span>
        ) : null}
      </p>
      {!drawn ? (
        <div className="luckybag-condition" data-testid="luckybag-condition" data-kind={bag.condition.kind}>
          {bag.condition.kind === 'keyword' ? (
            <>
              <p>{t('room.luckyBag.keywordRule', { keyword: bag.condition.keyword })}</p>
              {loggedIn ? (
                <button type="button" className="button button-small" data-testid="luckybag-send-keyword" disabled={sent === 'busy' || sent === 'sent' || room.connection !== 'open'} onClick={() => void sendKeyword()}>
                  {sent === 'sent' ? t('room.luckyBag.joined') : t('room.luckyBag.sendKeyword')}
                </button>
              ) : null}
            </>
          ) : (
            <>
              <p>{t('room.luckyBag.followRule')}</p>
              {loggedIn ? (
                <div className="button-row">
                  {follow && follow.following !== true ? <FollowButton follow={follow} /> : null}
                  {sent === 'sent' ? (
                    <span className="popup-ok">{t('room.luckyBag.joined')}</span>
                  ) : (
                    <button type="button" className="button button-small" data-testid="luckybag-enter" disabled={sent === 'busy'} onClick={() => void enter()}>
                      {t('room.luckyBag.enter')}
                    </button>
                  )}
                </div>
              ) : null}
            </>
          )}
          {!loggedIn ? (
            <Link className="button button-small" to={loginHref} data-testid="luckybag-login">
              {t('room.luckyBag.loginToJoin')}
            </Link>
          ) : null}
          {sendError ? (
            <p className="popup-error" role="alert">
              {sendError}
            </p>
          ) : null}
        </div>
      ) : (
        <div className={`luckybag-result${won ? ' is-won' : ''}`} data-testid="luckybag-result" data-won={String(won)} data-winners={winnerIds.length}>
          <p className="luckybag-result-count">{t('room.luckyBag.drawnCount', { count: winnerIds.length })}</p>
          <p className="luckybag-result-you">{!loggedIn ? t('room.luckyBag.resultAnon') : won ? t('room.luckyBag.youWon') : t('room.luckyBag.youLost')}</p>
        </div>
      )}
      <Fairness bag={bag} />
    </div>
  );
}

/** The server's message, else a known code's own words, else the code. */
function noticeText(t: TFunction, notice: RoomNotice): string {
  if (notice.message) return notice.message;
  const lookup = t as unknown as (k: string, o: Record<string, unknown>) => string;
  return lookup(`room.notices.${notice.code}`, { defaultValue: notice.code, prize: notice.prize ?? '' });
}

function WonBanner({ message, onClose }: { message: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="won-backdrop" onClick={onClose}>
      <div className="won-card" role="alertdialog" aria-labelledby="won-title" data-testid="luckybag-won" onClick={(e) => e.stopPropagation()}>
        <p className="won-title" id="won-title">
          {t('room.luckyBag.congrats')}
        </p>
        {message ? <p className="won-message">{message}</p> : null}
        <button type="button" className="button button-block" data-testid="luckybag-won-close" onClick={onClose}>
          {t('room.luckyBag.great')}
        </button>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------
// "Someone just bought".

const TICKER_MS = 3000;

function PurchaseTicker({ room }: { room: Room }) {
  const { t } = useTranslation();
  const [queue, setQueue] = useState<(Purchase & { key: number })[]>([]);
  const counter = useRef(0);
  useEffect(
    () =>
      room.subscribe((ev) => {
        if (ev.type !== 'purchase') return;
        const key = ++counter.current;
        setQueue((q) => [...q.slice(-9), { buyer: String(ev.buyer ?? ''), product: String(ev.product ?? ''), quantity: Number(ev.quantity) || 1, key }]);
      }),
    [room.subscribe],
  );
  const head = queue[0];
  const headKey = head?.key;
  // Hurry when many are waiting, so the ticker never lags far behind.
  const hurry = queue.length > 3;
  useEffect(() => {
    if (headKey === undefined) return;
    const id = setTimeout(() => setQueue((q) => q.slice(1)), hurry ? 1500 : TICKER_MS);
    return () => clearTimeout(id);
  }, [headKey, hurry]);
  if (!head) return null;
  return (
    <p className="purchase-ticker" key={head.key} data-testid="purchase-ticker" role="status">
      <IconCart /> {t('room.purchase', { buyer: head.buyer, product: head.product, quantity: head.quantity })}
    </p>
  );
}

// ---------------------------------------------------------------------------
// Writing.

function Composer({ room, state, loginHref, cartCount, onCart, boxRef }: { room: Room; state: RoomState | null; loginHref: string; cartCount: number; onCart: (() => void) | null; boxRef: (el: HTMLDivElement | null) => void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const open = room.connection === 'open';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value || busy) return;
    setBusy(true);
    try {
      await room.sendChat(value);
      setText('');
    } catch {
      // room.lastError has the server's message; the text stays for another try
    } finally {
      setBusy(false);
    }
  };

  const settings = state?.settings;
  return (
    <div className="composer" ref={boxRef}>
      <div className="composer-row">
        {onCart ? (
          <button type="button" className="room-icon-button cart-button" data-testid="cart-button" aria-label={t('room.cart')} onClick={onCart}>
            <IconCart />
            <span className="cart-count" data-testid="cart-count">
              {cartCount}
            </span>
          </button>
        ) : null}
        {user ? (
          <form className="composer-form" onSubmit={(e) => void submit(e)}>
            <input
              className="composer-input"
              data-testid="chat-input"
              value={text}
              maxLength={100}
              enterKeyHint="send"
              autoComplete="off"
              aria-label={t('room.chatPlaceholder')}
              placeholder={open ? t('room.chatPlaceholder') : t('room.unavailableShort')}
              onChange={(e) => setText(e.target.value)}
            />
            <button type="submit" className="button button-small composer-send" data-testid="chat-send" disabled={busy || !text.trim() || !open}>
              {t('room.send')}
            </button>
          </form>
        ) : (
          <Link className="composer-login" to={loginHref} data-testid="chat-login">
            {t('room.loginToChat')}
          </Link>
        )}
        <LikeButton room={room} likes={state?.counts.likes ?? 0} />
      </div>
      {user && settings && (settings.slowModeSeconds > 0 || settings.followersOnly) ? (
        <p className="composer-rules" data-testid="chat-rules">
          {settings.slowModeSeconds > 0 ? <span>{t('room.slowMode', { seconds: settings.slowModeSeconds })}</span> : null}
          {settings.followersOnly ? <span>{t('room.followersOnly')}</span> : null}
        </p>
      ) : null}
      {room.lastError ? (
        <p className="chat-error" role="alert" data-testid="chat-error" data-code={room.lastError.code}>
          <span>{room.lastError.message}</span>
          <button type="button" className="icon-close icon-close-small" aria-label={t('room.close')} onClick={room.clearError}>
            <IconClose />
          </button>
        </p>
      ) : null}
      {room.notice && room.notice.code !== 'LUCKYBAG_WON' ? (
        <p className="room-notice" role="status" data-testid="room-notice" data-code={room.notice.code}>
          <span>{noticeText(t, room.notice)}</span>
          <button type="button" className="icon-close icon-close-small" aria-label={t('room.close')} onClick={room.dismissNotice}>
            <IconClose />
          </button>
        </p>
      ) : null}
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
  sessionId: string;
  streamerId: string | null;
  /** The watch page's video box: danmaku fly over it. */
  stageEl: HTMLElement | null;
  /** The room says the live started or ended: the page re-reads the session. */
  onStatus?: (status: RoomState['status']) => void;
};

export function ViewerRoom({ sessionId, streamerId, stageEl, onStatus }: ViewerRoomProps) {
  const { t } = useTranslation();
  const location = useLocation();
  const { user, status: sessionStatus } = useSession();
  // Wait until we know who is watching, so the socket is not opened twice (anonymous, then logged in).
  const room = useRoom(sessionStatus === 'loading' ? null : sessionId, user?.id ?? null);
  const state = room.state;
  const myId = room.you?.id ?? user?.id ?? null;
  const loginHref = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
  const canFollow = !!user && !!streamerId && user.id !== streamerId;
  const follow = useFollow(streamerId ?? '', canFollow);
  const [cartOpen, setCartOpen] = useState(false);
  const [buying, setBuying] = useState<string | null>(null);
  const shop = useRoomShop(sessionId, room);
  const [closedCoupon, setClosedCoupon] = useState<string | null>(null);
  const [closedBag, setClosedBag] = useState<string | null>(null);

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
  const closeBuy = useCallback(() => setBuying(null), []);
  const openBuy = useCallback((productId: string) => {
    setCartOpen(false);
    setBuying(productId);
  }, []);
  const [composerEl, setComposerEl] = useState<HTMLDivElement | null>(null);
  const composerHeight = useHeight(composerEl);

  return (
    <>
      {stageEl ? createPortal(<StageOverlay room={room} myId={myId} />, stageEl) : null}
      <section className="room-panel" aria-label={t('room.title')} data-testid="room-panel" data-connection={room.connection} data-source={room.source ?? ''}>
        <ConnectionNotice room={room} />
        {state?.announcement ? (
          <p className="room-announcement" data-testid="room-announcement">
            <IconMegaphone />
            <span>{state.announcement}</span>
          </p>
        ) : null}
        <div className="room-bar">
          <RoomCountsBar counts={state?.counts} />
          {canFollow ? <FollowButton follow={follow} compact /> : null}
        </div>
        {state?.pinned ? <PinnedCard product={state.pinned} loggedIn={!!user} loginHref={loginHref} onBuy={() => openBuy(state.pinned!.id)} /> : null}
        {shop.flashSales.map((sale) => (
          <FlashSaleCard key={sale.id} sale={sale} loggedIn={!!user} loginHref={loginHref} />
        ))}
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
        <div className="room-chat">
          <PurchaseTicker room={room} />
          <ChatList
            chat={room.chat}
            myId={myId}
            thinned={room.thinned}
            className="room-chat-box"
            empty={room.connection === 'open' ? t('room.noChat') : room.connection === 'unavailable' ? t('room.unavailableChat') : t('room.connecting')}
          />
        </div>
        <Composer room={room} state={state} loginHref={loginHref} cartCount={cartCount} onCart={cartCount > 0 ? () => setCartOpen(true) : null} boxRef={setComposerEl} />
        {showCoupon || showBag ? (
          // Pop-ups sit just above the input, whatever its height (rules, errors).
          <div className="room-popups" style={{ '--composer-h': `${composerHeight}px` } as CSSProperties}>
            {showCoupon && coupon ? <CouponPopup sessionId={sessionId} coupon={coupon} loggedIn={!!user} loginHref={loginHref} onClose={() => setClosedCoupon(coupon.id)} /> : null}
            {showBag && bag ? <LuckyBagPopup sessionId={sessionId} bag={bag} room={room} myId={myId} loggedIn={!!user} loginHref={loginHref} follow={canFollow ? follow : null} onClose={() => setClosedBag(bagKey)} /> : null}
          </div>
        ) : null}
      </section>
      {cartOpen && cartCount > 0 ? (
        <CartSheet products={shop.products} fallback={products} pinnedId={state?.pinned?.id ?? null} loggedIn={!!user} loginHref={loginHref} onBuy={openBuy} onClose={closeCart} />
      ) : null}
      {buying && user ? <BuySheet key={buying} sessionId={sessionId} productId={buying} product={shop.products?.find((p) => p.id === buying) ?? null} onClose={closeBuy} /> : null}
      {room.notice?.code === 'LUCKYBAG_WON' ? <WonBanner message={noticeText(t, room.notice)} onClose={room.dismissNotice} /> : null}
    </>
  );
}
