// The room's pop-ups over the video: coupon drops, lucky bags and the "you won" banner.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { path, post } from '../api';
import { toApiError } from '../shared/useApi';
import { IconClose, IconGift } from '../shared/icons';
import type { Room, RoomNotice } from './useRoom';
import type { CouponDrop, LuckyBag } from './types';
import { clock, Fairness, useSecondsLeft, yuan } from './parts';
import { FollowButton, type Follow } from './follow';

// ---------------------------------------------------------------------------
// Coupon drops.

type ClaimState = { status: 'idle' | 'busy' | 'claimed' | 'failed'; message?: string };

export function CouponPopup({ sessionId, coupon, loggedIn, loginHref, onClose }: { sessionId: string; coupon: CouponDrop; loggedIn: boolean; loginHref: string; onClose: () => void }) {
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

export function LuckyBagPopup({ sessionId, bag, room, myId, loggedIn, loginHref, follow, onClose }: { sessionId: string; bag: LuckyBag; room: Room; myId: string | null; loggedIn: boolean; loginHref: string; follow: Follow | null; onClose: () => void }) {
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
export function noticeText(t: TFunction, notice: RoomNotice): string {
  if (notice.message) return notice.message;
  const lookup = t as unknown as (k: string, o: Record<string, unknown>) => string;
  return lookup(`room.notices.${notice.code}`, { defaultValue: notice.code, prize: notice.prize ?? '' });
}

export function WonBanner({ message, onClose }: { message: string; onClose: () => void }) {
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
