import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ProductThumb } from '../pictures/ProductThumb';
import { useFormat } from '../shared/format';
import { Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { Curve, MarkerList } from './Curve';
import { count, duration, percent, useAnalyticsScope, yuan } from './format';
import { AnalyticsError, basisPoints, RoomStats, Stat } from './parts';
import type { Review } from './types';
import './analytics.css';
import './review.css';

function Headline({ r }: { r: Review }) {
  const { t } = useTranslation();
  const f = r.figures;
  return (
    <div className="an-review-stats" data-testid="review-figures">
      <Stat figure="gmv.paidFen" value={f.gmv.paidFen} label={t('analytics.figures.paid')} className="an-headline">
        {yuan(f.gmv.paidFen)}
      </Stat>
      <Stat figure="gmv.placedFen" value={f.gmv.placedFen} label={t('analytics.figures.placed')}>
        {yuan(f.gmv.placedFen)}
      </Stat>
      <Stat figure="gmv.refundedFen" value={f.gmv.refundedFen} label={t('analytics.figures.refunded')}>
        {yuan(f.gmv.refundedFen)}
      </Stat>
      <Stat figure="gmv.netFen" value={f.gmv.netFen} label={t('analytics.figures.net')} className="an-net">
        {yuan(f.gmv.netFen)}
      </Stat>
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
      <RoomStats f={f} />
      <Stat figure="coupons.orders" value={f.coupons.orders} label={t('analytics.figures.couponOrders')} sub={<span data-figure="coupons.discountFen" data-value={f.coupons.discountFen}>{t('analytics.figures.discount', { value: yuan(f.coupons.discountFen) })}</span>}>
        {count(f.coupons.orders)}
      </Stat>
    </div>
  );
}

function Products({ r }: { r: Review }) {
  const { t } = useTranslation();
  if (!r.products.length) return <p className="muted">{t('analytics.review.noProducts')}</p>;
  return (
    <div className="table-wrap">
      <table className="table an-table" data-testid="review-products">
        <thead>
          <tr>
            <th scope="col">{t('analytics.review.product')}</th>
            <th scope="col" className="num">{t('analytics.review.explained')}</th>
            <th scope="col" className="num">{t('analytics.review.clicks')}</th>
            <th scope="col" className="num">{t('analytics.review.orders')}</th>
            <th scope="col" className="num">{t('analytics.review.units')}</th>
            <th scope="col" className="num">{t('analytics.review.gmv')}</th>
            <th scope="col" className="num">{t('analytics.review.conversion')}</th>
          </tr>
        </thead>
        <tbody>
          {r.products.map((p) => (
            <tr key={p.productId} data-product-id={p.productId} data-gmv-fen={p.gmvFen} data-clicks={p.clicks}>
              <th scope="row">
                <span className="an-product-cell">
                  <ProductThumb src={p.image} alt="" className="an-thumb an-thumb-small" />
                  <span>{p.title}</span>
                </span>
              </th>
              <td className="num">{duration(p.explainedSeconds)}</td>
              <td className="num">
                {count(p.clicks)}
                <span className="an-cell-sub">{t('analytics.review.clickers', { count: p.clickers })}</span>
              </td>
              <td className="num">{count(p.orders)}</td>
              <td className="num">{count(p.units)}</td>
              <td className="num">
                {yuan(p.gmvFen)}
                {p.refundedFen ? <span className="an-cell-sub">{t('analytics.review.refundedOf', { value: yuan(p.refundedFen) })}</span> : null}
              </td>
              <td className="num">{percent(p.conversion)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Funnel({ r }: { r: Review }) {
  const { t } = useTranslation();
  const top = Math.max(1, ...r.funnel.map((s) => s.count));
  return (
    <ol className="an-funnel" data-testid="review-funnel">
      {r.funnel.map((s, i) => (
        <li key={s.step} data-step={s.step} data-count={s.count} data-rate={basisPoints(s.rate)}>
          <span className="an-funnel-label">{t(`analytics.funnel.${s.step}`)}</span>
          <span className="an-funnel-bar" aria-hidden="true">
            <span style={{ width: `${Math.max(1, Math.round((s.count / top) * 100))}%` }} />
          </span>
          <span className="an-funnel-count">{count(s.count)}</span>
          <span className="an-funnel-rate">{i === 0 ? '' : t('analytics.funnel.rate', { rate: percent(s.rate) })}</span>
        </li>
      ))}
    </ol>
  );
}

function Comparison({ r }: { r: Review }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const f = r.figures;
  const m = r.comparison.platformMedian;
  const medianName = t('analytics.compare.median', { category: r.comparison.category ?? t('analytics.compare.noCategory') });
  const row = (key: string, name: ReactNode, d: string, v: { netFen: number; uv: number; conversion: number; gpmFen: number }, cls = '') => (
    <tr key={key} className={cls} data-row={key}>
      <th scope="row">{name}</th>
      <td>{d}</td>
      <td className="num">{yuan(v.netFen)}</td>
      <td className="num">{count(v.uv)}</td>
      <td className="num">{percent(v.conversion)}</td>
      <td className="num">{yuan(v.gpmFen)}</td>
    </tr>
  );
  return (
    <>
      <div className="table-wrap">
        <table className="table an-table" data-testid="review-comparison">
          <thead>
            <tr>
              <th scope="col">{t('analytics.compare.live')}</th>
              <th scope="col">{t('analytics.compare.duration')}</th>
              <th scope="col" className="num">{t('analytics.figures.net')}</th>
              <th scope="col" className="num">{t('analytics.figures.unique')}</th>
              <th scope="col" className="num">{t('analytics.figures.conversion')}</th>
              <th scope="col" className="num">{t('analytics.figures.gpm')}</th>
            </tr>
          </thead>
          <tbody>
            {row('this', t('analytics.compare.thisLive'), duration(r.durationSeconds), { netFen: f.gmv.netFen, uv: f.viewers.unique, conversion: f.conversion, gpmFen: f.gpmFen }, 'an-this')}
            {r.comparison.previous.map((p) =>
              row(
                p.id,
                <>
                  {p.title}
                  <span className="an-cell-sub">{fmt.dateTime(p.startedAt)}</span>
                </>,
                duration(p.durationSeconds),
                p,
              ),
            )}
            {m.tooFew ? (
              // Too few other lives, or streamers: no figures (the median would be another live's, or streamer's, own).
              <tr className="an-median" data-row="median" data-too-few="true" data-lives={m.lives} data-streamers={m.streamers}>
                <th scope="row">{medianName}</th>
                <td colSpan={5} className="an-median-note" data-testid="median-too-few">
                  {m.lives < m.minLives
                    ? t('analytics.compare.tooFew', { count: m.lives, days: m.windowDays, min: m.minLives })
                    : t('analytics.compare.tooFewStreamers', { count: m.streamers, days: m.windowDays, min: m.minStreamers })}
                </td>
              </tr>
            ) : (
              row('median', medianName, t('analytics.compare.medianOf', { lives: m.lives, days: m.windowDays }), m, 'an-median')
            )}
          </tbody>
        </table>
      </div>
      {r.comparison.previous.length === 0 ? <p className="muted">{t('analytics.compare.noPrevious')}</p> : null}
    </>
  );
}

/** 直播复盘 (docs/ANALYTICS.md): an ended live's figures, curve, products, funnel and comparisons; CSV and print. */
export function ReviewPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { api, pages, list } = useAnalyticsScope();
  const state = useApi<Review>(`${api}/review`);
  const r = state.data;

  if (!r) {
    if (state.status === 'error') {
      return (
        <div className="page an-review" data-testid="analytics-review">
          <AnalyticsError error={state.error}>
            {state.error.code === 'ANALYTICS_NOT_ENDED' ? (
              <Link className="button" to={`${pages}/screen`} data-testid="screen-link">
                {t('analytics.screen.open')}
              </Link>
            ) : null}
          </AnalyticsError>
        </div>
      );
    }
    return <Loading />;
  }
  const f = r.figures;
  return (
    <div className="page an-review" data-testid="analytics-review" data-session-id={f.session.id}>
      <p className="breadcrumb an-no-print">
        <Link to={list}>← {t('analytics.list.title')}</Link>
      </p>
      <header className="page-header an-review-head">
        <div>
          <p className="eyebrow">
            {t('analytics.review.title')}
            {f.scope === 'brand' ? <span className="tag">{t('analytics.scopeBrand')}</span> : null}
          </p>
          <h1 data-testid="review-title">{f.session.title}</h1>
          <p className="muted">
            {f.session.streamer.name} · {fmt.dateTime(f.session.startedAt)} – {fmt.dateTime(f.session.endedAt)} · {t('analytics.review.duration', { value: duration(r.durationSeconds) })}
          </p>
        </div>
        <div className="button-row an-no-print">
          <Link className="button button-ghost" to={`${pages}/screen`} data-testid="screen-link">
            {t('analytics.screen.open')}
          </Link>
          <a className="button button-secondary" href={`${api}/review.csv`} download data-testid="csv-link">
            {t('analytics.review.csv')}
          </a>
          <button type="button" className="button" onClick={() => window.print()} data-testid="print">
            {t('analytics.review.print')}
          </button>
        </div>
      </header>

      <section className="card an-section">
        <h2>{t('analytics.review.summary')}</h2>
        <Headline r={r} />
      </section>
      <section className="card an-section">
        <h2>{t('analytics.curve.title')}</h2>
        <div className="an-review-curve">
          <Curve curve={f.curve} markers={f.markers} ended />
        </div>
        <MarkerList markers={f.markers} />
      </section>
      <section className="card an-section">
        <h2>{t('analytics.review.products')}</h2>
        <Products r={r} />
      </section>
      <div className="an-review-columns">
        <section className="card an-section">
          <h2>{t('analytics.funnel.title')}</h2>
          <Funnel r={r} />
        </section>
        <section className="card an-section">
          <h2>{t('analytics.compare.title')}</h2>
          <Comparison r={r} />
        </section>
      </div>
    </div>
  );
}
