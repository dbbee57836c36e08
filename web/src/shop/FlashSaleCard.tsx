import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, type ApiError } from '../api';
import { useFormat } from '../shared/format';
import { useNow } from '../shared/usePolling';
import { toApiError } from '../shared/useApi';
import { AddressForm, countdownText } from './parts';
import { buyFlash, IdempotencyKeys, payAndGo, specText } from './shopApi';
import type { Address, FlashSale } from './types';
import './flash-card.css';

/** FLASH_BUSY: ask again this many times (the server is queueing). */
const BUSY_RETRIES = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Phase = 'idle' | 'queueing' | 'ordering' | 'paying' | 'needAddress';

/** 秒杀: countdown to the start, stock left, 立即抢购 → order → pay. */
export function FlashSaleCard({ sale, loggedIn, loginHref }: { sale: FlashSale; loggedIn: boolean; loginHref: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const now = useNow(500);
  const startsAt = Date.parse(sale.startsAt);
  const endsAt = Date.parse(sale.endsAt);
  const notStarted = Number.isFinite(startsAt) && now < startsAt;
  const ended = Number.isFinite(endsAt) && now >= endsAt;
  const soldOut = sale.remaining <= 0;
  const state = ended ? 'ended' : notStarted ? 'upcoming' : soldOut ? 'sold_out' : 'active';
  const [phase, setPhase] = useState<Phase>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  const keys = useRef(new IdempotencyKeys());
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const percent = sale.stock > 0 ? Math.max(0, Math.min(100, Math.round((sale.remaining / sale.stock) * 100))) : 0;

  const buy = async (addressId?: string) => {
    setError(null);
    let chosen = addressId;
    if (!chosen) {
      // The server falls back to the default address; with none at all, ask for one first.
      try {
        const res = await get<{ addresses: Address[] }>('/api/me/addresses');
        const list = Array.isArray(res?.addresses) ? res.addresses : [];
        if (list.length === 0) {
          setPhase('needAddress');
          return;
        }
        chosen = list[0]!.id;
      } catch {
        chosen = undefined;
      }
    }
    const body = { quantity: 1, ...(chosen ? { addressId: chosen } : {}) };
    const key = keys.current.keyFor({ saleId: sale.id, ...body });
    setPhase('ordering');
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await buyFlash(sale.id, body, key);
        if (!alive.current) return;
        setPhase('paying');
        try {
          await payAndGo(res.order.id);
        } catch (e) {
          if (!alive.current) return;
          setError(toApiError(e));
          setPhase('idle');
        }
        return;
      } catch (e) {
        if (!alive.current) return;
        const err = toApiError(e);
        if (err.code === 'FLASH_BUSY' && attempt < BUSY_RETRIES) {
          setError(err);
          setPhase('queueing');
          const wait = (err.retryAfter ?? 1) * 1000 + Math.random() * 500;
          await sleep(Math.min(5000, Math.max(500, wait)));
          if (!alive.current) return;
          continue;
        }
        setError(err);
        setPhase('idle');
        return;
      }
    }
  };

  if (state === 'ended') return null;
  const busy = phase === 'ordering' || phase === 'queueing' || phase === 'paying';

  return (
    <div className="flash-card" data-testid="flash-card" data-sale-id={sale.id} data-state={state} data-phase={phase}>
      <div className="flash-head">
        <span className="flash-badge">{t('shop.flash.title')}</span>
        <span className="flash-time" data-testid="flash-countdown">
          {notStarted ? t('shop.flash.startsIn', { time: countdownText(t, Math.ceil((startsAt - now) / 1000)) }) : t('shop.flash.endsIn', { time: countdownText(t, Math.max(0, Math.ceil((endsAt - now) / 1000))) })}
        </span>
      </div>
      <p className="flash-title" data-testid="flash-title">
        {sale.title}
        {specText(sale.spec) ? <span className="muted flash-spec"> · {specText(sale.spec)}</span> : null}
      </p>
      <div className="flash-row">
        <span className="room-price">
          <span className="price flash-price" data-testid="flash-price">
            {fmt.fen(sale.priceFen)}
          </span>
          <s className="muted price-was" data-testid="flash-original-price">
            {fmt.fen(sale.originalPriceFen)}
          </s>
        </span>
        {!loggedIn ? (
          <Link className="button button-small" to={loginHref} data-testid="flash-login">
            {t('shop.room.loginToBuy')}
          </Link>
        ) : (
          <button type="button" className="button button-small flash-buy" data-testid="flash-buy" disabled={state !== 'active' || busy || phase === 'needAddress'} onClick={() => void buy()}>
            {phase === 'queueing' ? t('shop.flash.queueing') : phase === 'ordering' ? t('common.submitting') : phase === 'paying' ? t('shop.buy.toPay') : state === 'upcoming' ? t('shop.flash.soon') : state === 'sold_out' ? t('shop.flash.soldOut') : t('shop.flash.buy')}
          </button>
        )}
      </div>
      <div className="flash-stock" data-testid="flash-remaining" data-remaining={sale.remaining} data-stock={sale.stock}>
        <span className="flash-bar" aria-hidden="true">
          <span style={{ width: `${percent}%` }} />
        </span>
        <span>{soldOut ? t('shop.flash.soldOut') : t('shop.flash.remaining', { remaining: sale.remaining, total: sale.stock })}</span>
        {sale.perUserLimit > 0 ? <span className="muted">{t('shop.flash.limit', { count: sale.perUserLimit })}</span> : null}
      </div>
      {phase === 'needAddress' ? (
        <div className="flash-address">
          <p className="muted">{t('shop.flash.needAddress')}</p>
          <AddressForm
            compact
            defaultChecked
            onCancel={() => setPhase('idle')}
            onSaved={(a) => {
              setPhase('idle');
              void buy(a.id);
            }}
          />
        </div>
      ) : null}
      {error ? (
        <p className={phase === 'queueing' ? 'flash-message' : 'flash-message flash-error'} role={phase === 'queueing' ? 'status' : 'alert'} data-testid="flash-error" data-code={error.code}>
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
