import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { Empty } from '../shared/Status';
import { useFormat } from '../shared/format';
import { IconEye, IconPlay } from '../shared/icons';
import { safeImageUrl } from '../shared/urls';
import { ExplanationAnchor } from '../replays/ExplanationLink';
import type { ProductCardData, SessionCardData } from './types';

/** Hand-picked pairs: a card without a cover still looks intended, and the same session always gets the same one. */
const GRADIENTS = [
  ['#fe2c55', '#ff9a5a'],
  ['#7b5cff', '#ff6fb5'],
  ['#00a7c2', '#5b6cff'],
  ['#ff7a45', '#ffc53d'],
  ['#13a26b', '#7ad3a8'],
  ['#3b3d4a', '#8a6bbf'],
  ['#d6336c', '#845ef7'],
  ['#0b7285', '#66d9e8'],
] as const;

export function gradientFor(seed: string): string {
  let hash = 0;
  for (const ch of seed) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  const [a, b] = GRADIENTS[Math.abs(hash) % GRADIENTS.length]!;
  return `linear-gradient(150deg, ${a} 0%, ${b} 100%)`;
}

const initialOf = (text: string) => Array.from(text || '?')[0];

/** A session as a card: cover (or gradient), status, viewers, title, streamer and brand. The card links to /watch/:id. */
export function DiscoverCard({ session }: { session: SessionCardData }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [imgFailed, setImgFailed] = useState(false);
  const cover = imgFailed ? null : safeImageUrl(session.coverUrl);
  const isLive = session.status === 'live';
  const isReplay = session.status === 'ended';
  const badge = isLive ? t('discovery.card.live') : isReplay ? (session.hasReplay ? t('discovery.card.replay') : t('discovery.card.ended')) : t('discovery.card.upcoming');
  const viewers = typeof session.viewers === 'number' && session.viewers > 0 ? session.viewers : null;

  return (
    <article
      className={`session-card disc-card${isLive ? ' is-live' : ''}`}
      data-testid="session-card"
      data-session-id={session.id}
      data-status={session.status}
    >
      <div className="session-cover">
        {cover ? (
          <img src={cover} alt="" loading="lazy" referrerPolicy="no-referrer" onError={() => setImgFailed(true)} />
        ) : (
          <div className="disc-cover-gradient" style={{ background: gradientFor(session.id) }} aria-hidden="true">
            <span>{initialOf(session.title)}</span>
          </div>
        )}
        <span className={`session-badge ${isLive ? 'badge-live' : isReplay ? 'disc-badge-replay' : 'badge-upcoming'}`} data-testid="session-badge">
          {isReplay && session.hasReplay ? <IconPlay /> : null}
          {badge}
        </span>
        {viewers !== null ? (
          <span className="disc-viewers" data-testid="session-viewers">
            <IconEye />
            {t(isLive ? 'discovery.card.watching' : 'discovery.card.watched', { n: fmt.number(viewers) })}
          </span>
        ) : null}
      </div>
      <div className="session-body">
        <h3 className="session-title" data-testid="session-title">
          {/* The whole card is the link (stretched over it in CSS); the title names it. */}
          <Link to={path`/watch/${session.id}`} className="session-link" data-testid="session-link">
            {session.title}
          </Link>
        </h3>
        <p className="session-streamer" data-testid="session-streamer">
          <span className="avatar avatar-small" aria-hidden="true" style={{ background: gradientFor(session.streamer.id) }}>
            {initialOf(session.streamer.displayName)}
          </span>
          <span className="sr-only">{t('discovery.card.streamer')}</span>
          <Link to={path`/streamers/${session.streamer.id}`} className="disc-over-link" data-testid="session-streamer-link">
            {session.streamer.displayName}
          </Link>
        </p>
        {session.brand ? (
          <p className="session-brand" data-testid="session-brand">
            <span className="tag">{t('discovery.card.brand')}</span>
            <Link to={path`/brands/${session.brand.id}`} className="disc-over-link" data-testid="session-brand-link">
              {session.brand.name}
            </Link>
          </p>
        ) : null}
        {session.status === 'scheduled' ? (
          <p className="session-time">
            <span className="muted">{t('discovery.card.startsAt')}</span>{' '}
            <time dateTime={session.scheduledAt} data-testid="session-time">
              {fmt.dateTime(session.scheduledAt)}
            </time>
          </p>
        ) : isReplay ? (
          <p className="session-time disc-time-muted">
            <time dateTime={session.startedAt ?? session.scheduledAt} data-testid="session-time">
              {fmt.dateTime(session.startedAt ?? session.scheduledAt)}
            </time>
          </p>
        ) : null}
      </div>
    </article>
  );
}

/** A titled list of session cards, or its empty state. */
export function CardSection({
  id,
  title,
  sessions,
  empty,
  emptyTestId,
  live,
  footer,
}: {
  id: string;
  title: string;
  sessions: SessionCardData[];
  empty: string;
  emptyTestId: string;
  live?: boolean;
  footer?: ReactNode;
}) {
  return (
    <section className="session-section" data-testid={`section-${id}`} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="section-title">
        {live ? <span className="live-dot" aria-hidden="true" /> : null}
        {title}
        <span className="count">{sessions.length}</span>
      </h2>
      {sessions.length ? (
        <div className="session-grid disc-grid">
          {sessions.map((s) => (
            <DiscoverCard key={s.id} session={s} />
          ))}
        </div>
      ) : (
        <Empty testId={emptyTestId}>{empty}</Empty>
      )}
      {footer}
    </section>
  );
}

/** A product: picture, price, its brand (to the brand page) and the lives that sell it (to the room). */
export function ProductTile({ product }: { product: ProductCardData }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [imgFailed, setImgFailed] = useState(false);
  const image = imgFailed ? null : safeImageUrl(product.image);
  return (
    <article className="disc-product" data-testid="product-card" data-product-id={product.id}>
      <div className="disc-product-image">
        {image ? (
          <img src={image} alt="" loading="lazy" referrerPolicy="no-referrer" onError={() => setImgFailed(true)} />
        ) : (
          <div className="disc-cover-gradient" style={{ background: gradientFor(product.id) }} aria-hidden="true">
            <span>{initialOf(product.title)}</span>
          </div>
        )}
      </div>
      <div className="disc-product-body">
        <h3 className="disc-product-title" data-testid="product-title">
          {product.title}
        </h3>
        {product.priceFen !== null ? (
          <p className="disc-price" data-testid="product-price">
            {t('discovery.product.from', { price: fmt.fen(product.priceFen) })}
          </p>
        ) : null}
        <p className="disc-product-brand">
          <Link to={path`/brands/${product.brand.id}`} data-testid="product-brand-link">
            {t('discovery.product.brand', { name: product.brand.name })}
          </Link>
        </p>
        {product.explanation ? (
          <p className="disc-product-explanation">
            <ExplanationAnchor productId={product.id} title={product.title} sessionId={product.explanation.sessionId} startS={product.explanation.startS} />
          </p>
        ) : null}
        {product.lives.length ? (
          <ul className="disc-product-lives" aria-label={t('discovery.product.soldIn')}>
            {product.lives.slice(0, 3).map((live) => (
              <li key={live.id}>
                <Link to={path`/watch/${live.id}`} data-testid="product-live-link" data-status={live.status}>
                  <span className={live.status === 'live' ? 'disc-dot-live' : 'disc-dot'} aria-hidden="true" />
                  <span className="sr-only">{live.status === 'live' ? t('discovery.card.live') : live.status === 'ended' ? t('discovery.card.replay') : t('discovery.card.upcoming')}</span>
                  {live.title}
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted disc-small">{t('discovery.product.noLive')}</p>
        )}
      </div>
    </article>
  );
}

export function ProductGrid({ products, empty, emptyTestId = 'products-empty' }: { products: ProductCardData[]; empty: string; emptyTestId?: string }) {
  if (!products.length) return <Empty testId={emptyTestId}>{empty}</Empty>;
  return (
    <div className="disc-product-grid">
      {products.map((p) => (
        <ProductTile key={p.id} product={p} />
      ))}
    </div>
  );
}

/** The search box: goes to /search?q=… (the search page reads it from the address). */
export function SearchBox({ initial = '', autoFocus = false }: { initial?: string; autoFocus?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState(initial);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/search?q=${encodeURIComponent(q)}`);
  };
  return (
    <form className="disc-search" role="search" onSubmit={onSubmit} data-testid="search-form">
      <label className="sr-only" htmlFor="disc-search-input">
        {t('discovery.search.label')}
      </label>
      <svg className="disc-search-icon" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
        <circle cx="11" cy="11" r="7" />
        <line x1="21" y1="21" x2="16.65" y2="16.65" />
      </svg>
      <input
        id="disc-search-input"
        type="search"
        name="q"
        value={q}
        maxLength={100}
        autoFocus={autoFocus}
        placeholder={t('discovery.search.placeholder')}
        enterKeyHint="search"
        onChange={(e) => setQ(e.target.value)}
        data-testid="search-input"
      />
      <button type="submit" className="button button-small" data-testid="search-submit">
        {t('discovery.search.submit')}
      </button>
    </form>
  );
}
