import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ProductThumb } from '../pictures/ProductThumb';
import { label } from '../shared/labels';
import { Loading, StatusBadge } from '../shared/Status';
import { usePolling } from '../shared/usePolling';
import { Curve, MarkerList } from './Curve';
import { count, percent, useAnalyticsScope, yuan } from './format';
import { AnalyticsError, basisPoints, RoomStats, Stat } from './parts';
import type { Figures } from './types';
import './analytics.css';
import './screen.css';

const POLL_MS = 1000;

function useFullscreen() {
  const [on, setOn] = useState(() => typeof document !== 'undefined' && !!document.fullscreenElement);
  useEffect(() => {
    const sync = () => setOn(!!document.fullscreenElement);
    document.addEventListener('fullscreenchange', sync);
    return () => document.removeEventListener('fullscreenchange', sync);
  }, []);
  const toggle = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void document.documentElement.requestFullscreen?.().catch(() => undefined);
  }, []);
  return { on, toggle, supported: typeof document !== 'undefined' && !!document.fullscreenEnabled };
}

/** The wall clock in the corner (the screen's own time, once a second). */
function Clock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(id);
  }, []);
  return <time className="an-clock">{now.toLocaleTimeString('en-GB', { hour12: false })}</time>;
}

function Screen({ f, pages, stale }: { f: Figures; pages: string; stale: string | null }) {
  const { t } = useTranslation();
  const fs = useFullscreen();
  const maxProductGmv = Math.max(1, ...f.topProducts.map((p) => p.gmvFen));
  return (
    <div className="an-screen-grid">
      <header className="an-screen-head">
        <div className="an-screen-title">
          <p className="an-eyebrow">
            {t('analytics.screen.title')}
            {f.scope === 'brand' ? <span className="an-scope" data-testid="scope-brand">{t('analytics.scopeBrand')}</span> : null}
          </p>
          <h1 data-testid="screen-title">{f.session.title}</h1>
          <p className="an-muted">
            {f.session.streamer.name} · <StatusBadge status={f.session.status}>{label(t, 'status', f.session.status)}</StatusBadge>
          </p>
        </div>
        <div className="an-screen-actions">
          {stale ? (
            <span className="an-stale" role="status" data-testid="screen-stale">
              {stale}
            </span>
          ) : null}
          <Clock />
          {f.session.status === 'ended' ? (
            <Link className="an-button" to={`${pages}/review`} data-testid="review-link">
              {t('analytics.review.link')}
            </Link>
          ) : null}
          {fs.supported ? (
            <button type="button" className="an-button" onClick={fs.toggle} data-testid="fullscreen" aria-pressed={fs.on}>
              {fs.on ? t('analytics.screen.exitFullscreen') : t('analytics.screen.fullscreen')}
            </button>
          ) : null}
        </div>
      </header>

      <section className="an-panel an-money" aria-label={t('analytics.sections.money')}>
        <Stat figure="gmv.paidFen" value={f.gmv.paidFen} label={t('analytics.figures.paid')} className="an-headline">
          {yuan(f.gmv.paidFen)}
        </Stat>
        <div className="an-money-row">
          <Stat figure="gmv.placedFen" value={f.gmv.placedFen} label={t('analytics.figures.placed')}>
            {yuan(f.gmv.placedFen)}
          </Stat>
          <Stat figure="gmv.refundedFen" value={f.gmv.refundedFen} label={t('analytics.figures.refunded')} className="an-refund">
            {yuan(f.gmv.refundedFen)}
          </Stat>
          <Stat figure="gmv.netFen" value={f.gmv.netFen} label={t('analytics.figures.net')} className="an-net">
            {yuan(f.gmv.netFen)}
          </Stat>
        </div>
        <div className="an-tiles">
          <Stat figure="orders.paid" value={f.orders.paid} label={t('analytics.figures.ordersPaid')} sub={<span data-figure="orders.placed" data-value={f.orders.placed}>{t('analytics.figures.ofPlaced', { n: count(f.orders.placed) })}</span>}>
            {count(f.orders.paid)}
          </Stat>
          <Stat figure="units" value={f.units} label={t('analytics.figures.units')}>
            {count(f.units)}
          </Stat>
          <Stat figure="buyers" value={f.buyers} label={t('analytics.figures.buyers')}>
            {count(f.buyers)}
          </Stat>
          <Stat figure="conversion" value={basisPoints(f.conversion)} label={t('analytics.figures.conversion')}>
            {percent(f.conversion)}
          </Stat>
          <Stat figure="gpmFen" value={f.gpmFen} label={t('analytics.figures.gpm')}>
            {yuan(f.gpmFen)}
          </Stat>
          <Stat figure="coupons.orders" value={f.coupons.orders} label={t('analytics.figures.couponOrders')} sub={<span data-figure="coupons.discountFen" data-value={f.coupons.discountFen}>{t('analytics.figures.discount', { value: yuan(f.coupons.discountFen) })}</span>}>
            {count(f.coupons.orders)}
          </Stat>
        </div>
      </section>

      <section className="an-panel an-room" aria-label={t('analytics.sections.room')}>
        <div className="an-tiles an-tiles-room">
          <Stat figure="viewers.online" value={f.viewers.online} label={t('analytics.figures.online')} className="an-online">
            {count(f.viewers.online)}
          </Stat>
          <RoomStats f={f} />
        </div>
        <Curve curve={f.curve} markers={f.markers} ended={f.session.status === 'ended'} />
      </section>

      <section className="an-panel an-side" aria-label={t('analytics.sections.products')}>
        <h2>{t('analytics.screen.topProducts')}</h2>
        {f.topProducts.length === 0 ? <p className="an-muted">{t('analytics.screen.noSales')}</p> : null}
        <ol className="an-top" data-testid="top-products">
          {f.topProducts.map((p, i) => (
            <li key={p.productId} data-product-id={p.productId} data-gmv-fen={p.gmvFen}>
              <span className="an-rank">{i + 1}</span>
              <ProductThumb src={p.image} alt={p.title} className="an-thumb" />
              <span className="an-top-body">
                <span className="an-top-title">{p.title}</span>
                <span className="an-top-bar" aria-hidden="true">
                  <span style={{ width: `${Math.max(2, Math.round((p.gmvFen / maxProductGmv) * 100))}%` }} />
                </span>
                <span className="an-muted">
                  {yuan(p.gmvFen)} · {t('analytics.screen.unitsN', { count: p.units })}
                </span>
              </span>
            </li>
          ))}
        </ol>
        <h2>{t('analytics.screen.flashSales')}</h2>
        {f.flashSales.length === 0 ? <p className="an-muted">{t('analytics.screen.noFlashSales')}</p> : null}
        <ul className="an-flash" data-testid="flash-sales">
          {f.flashSales.map((s) => (
            <li key={s.id} data-figure={`flashSales.${s.id}.remaining`} data-value={s.remaining} data-active={s.active}>
              <span className="an-flash-head">
                <span className="an-top-title">{s.title}</span>
                <span>{s.active ? <span className="an-live-dot">{t('analytics.screen.flashActive')}</span> : null} {t('analytics.screen.remaining', { remaining: count(s.remaining), stock: count(s.stock) })}</span>
              </span>
              <span className="an-stock" role="meter" aria-valuemin={0} aria-valuemax={s.stock} aria-valuenow={s.remaining} aria-label={s.title}>
                <span style={{ width: `${s.stock > 0 ? Math.round((s.remaining / s.stock) * 100) : 0}%` }} />
              </span>
            </li>
          ))}
        </ul>
        {f.markers.length ? (
          <>
            <h2>{t('analytics.screen.latestEvents')}</h2>
            <MarkerList markers={f.markers.slice(-6).reverse()} className="an-events" />
          </>
        ) : null}
      </section>
    </div>
  );
}

/** 直播大屏 (docs/ANALYTICS.md): the live's figures, polled every second, for a wall display or a phone. */
export function ScreenPage() {
  const { t } = useTranslation();
  const { api, pages, list } = useAnalyticsScope();
  // A refusal (4xx) is final: stop asking once it is known; anything else keeps polling.
  const refusedRef = useRef(false);
  const poll = usePolling<Figures>(`${api}/screen`, () => (refusedRef.current ? null : POLL_MS));
  refusedRef.current = !!poll.error && poll.error.status >= 400 && poll.error.status < 500 && poll.error.status !== 429;
  useEffect(() => {
    document.body.classList.add('an-screen-body');
    return () => document.body.classList.remove('an-screen-body');
  }, []);

  return (
    <div className="an-screen" data-testid="analytics-screen" data-status={poll.data?.session.status ?? ''} data-at={poll.data?.at ?? ''}>
      {poll.data ? (
        <Screen f={poll.data} pages={pages} stale={poll.error ? t('analytics.screen.stale', { message: poll.error.message }) : null} />
      ) : poll.error ? (
        <div className="an-screen-center">
          <AnalyticsError error={poll.error}>
            <p>
              <Link to={list}>{t('analytics.list.back')}</Link>
            </p>
          </AnalyticsError>
        </div>
      ) : (
        <div className="an-screen-center">
          <Loading />
        </div>
      )}
    </div>
  );
}
