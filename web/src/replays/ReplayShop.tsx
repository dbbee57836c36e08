// Under a replay: its product chapters on a strip matching the timeline, and the live's products, each
// with 看讲解 (jump to where it was explained) and a buy button (docs/VIDEO.md, Replay chapters). Opened at
// `?t=<seconds>` or `?chapter=<productId>`, the replay starts there.
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, isAbort, path } from '../api';
import { useSession } from '../session';
import { BuySheet } from '../shop/BuySheet';
import { LivePrice, ProductImage } from '../shop/CartSheet';
import type { RoomProductsResponse, RoomShopProduct } from '../shop/types';
import type { LiveSession } from '../types';
import { clockText, startFrom, type Chapter, type ChaptersResponse } from './types';
import './replays.css';

/** Live prices end with the live: an order placed from the replay pays the regular price (server/commerce/orders.ts). */
function withoutLivePrices(p: RoomShopProduct): RoomShopProduct {
  return { ...p, livePriceFen: null, skus: p.skus.map((s) => ({ ...s, livePriceFen: null })) };
}

/** Moves the replay to `seconds` and plays it (muted when it starts by itself: browsers allow only that). */
export function seekAndPlay(video: HTMLVideoElement, seconds: number, muted: boolean) {
  const go = () => {
    video.currentTime = seconds;
    if (muted) video.muted = true;
    void video.play()?.catch(() => {
      video.muted = true;
      void video.play()?.catch(() => undefined);
    });
  };
  if (video.readyState >= 1) go();
  else video.addEventListener('loadedmetadata', go, { once: true });
}

/** The video's position, a few times a second. */
function usePosition(video: HTMLVideoElement | null): number {
  const [position, setPosition] = useState(0);
  useEffect(() => {
    if (!video) return;
    const update = () => setPosition(video.currentTime);
    video.addEventListener('timeupdate', update);
    video.addEventListener('seeked', update);
    return () => {
      video.removeEventListener('timeupdate', update);
      video.removeEventListener('seeked', update);
    };
  }, [video]);
  return position;
}

function ChapterStrip({ chapters, durationS, position, onSeek }: { chapters: Chapter[]; durationS: number; position: number; onSeek: (c: Chapter) => void }) {
  const { t } = useTranslation();
  return (
    <div className="replay-strip" role="group" aria-label={t('replays.chapters')} data-testid="replay-chapters">
      {chapters.map((c) => {
        const style = { left: `${(c.startS / durationS) * 100}%`, width: `${Math.max(0.5, ((c.endS - c.startS) / durationS) * 100)}%` } as CSSProperties;
        const on = position >= c.startS && position < c.endS;
        return (
          <button
            key={`${c.productId}-${c.startS}`}
            type="button"
            className={on ? 'replay-mark replay-mark-on' : 'replay-mark'}
            style={style}
            title={t('replays.chapterMarker', { title: c.title, time: clockText(c.startS) })}
            aria-label={t('replays.chapterMarker', { title: c.title, time: clockText(c.startS) })}
            data-testid="replay-chapter"
            data-product-id={c.productId}
            data-start={c.startS}
            onClick={() => onSeek(c)}
          />
        );
      })}
      <span className="replay-strip-head" style={{ left: `${Math.min(100, (position / durationS) * 100)}%` }} aria-hidden="true" />
    </div>
  );
}

export default function ReplayShop({ session, video }: { session: LiveSession; video: HTMLVideoElement | null }) {
  const { t } = useTranslation();
  const location = useLocation();
  const [params] = useSearchParams();
  const { user } = useSession();
  const [chapters, setChapters] = useState<ChaptersResponse | null>(null);
  const [products, setProducts] = useState<RoomShopProduct[] | null>(null);
  const [buying, setBuying] = useState<string | null>(null);
  const position = usePosition(video);
  const loginHref = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;

  useEffect(() => {
    const ac = new AbortController();
    get<ChaptersResponse>(path`/api/sessions/${session.id}/chapters`, ac.signal).then(
      (res) => setChapters(res && Array.isArray(res.chapters) ? res : { sessionId: session.id, durationS: null, chapters: [] }),
      (e: unknown) => !isAbort(e) && setChapters({ sessionId: session.id, durationS: null, chapters: [] }),
    );
    get<RoomProductsResponse>(path`/api/rooms/${session.id}/products`, ac.signal).then(
      (res) => setProducts(Array.isArray(res?.products) ? res.products.filter((p) => Array.isArray(p.skus)).map(withoutLivePrices) : []),
      (e: unknown) => !isAbort(e) && setProducts([]),
    );
    return () => ac.abort();
  }, [session.id]);

  // Opened at a time or a product's chapter: start there, once per address.
  const list = chapters?.chapters ?? null;
  const startAt = useMemo(() => (list ? startFrom(params, list) : params.get('t') !== null ? startFrom(params, null) : null), [params, list]);
  const started = useRef<string | null>(null);
  useEffect(() => {
    if (!video || startAt === null) return;
    const key = `${location.search}|${startAt}`;
    if (started.current === key) return;
    started.current = key;
    seekAndPlay(video, startAt, true);
  }, [video, startAt, location.search]);

  const seek = useCallback(
    (c: Chapter) => {
      if (video) seekAndPlay(video, c.startS, false);
    },
    [video],
  );

  const lastChapterOf = (productId: string) => list?.filter((c) => c.productId === productId).at(-1) ?? null;
  const shown = products ?? [];
  // Products explained in the live that are no longer in its list (taken off sale) keep their chapter, without a buy button.
  const gone = (list ?? []).filter((c, i, all) => !shown.some((p) => p.id === c.productId) && all.findIndex((x) => x.productId === c.productId) === i);
  const durationS = chapters?.durationS ?? (video && Number.isFinite(video.duration) ? video.duration : null);
  const closeBuy = useCallback(() => setBuying(null), []);
  // The product being explained slides into view in the list.
  const listRef = useRef<HTMLOListElement>(null);
  const explaining = list?.find((c) => position >= c.startS && position < c.endS)?.productId ?? null;
  useEffect(() => {
    const el = listRef.current;
    if (!el || !explaining) return;
    const card = el.querySelector<HTMLElement>(`[data-product-id="${CSS.escape(explaining)}"]`);
    if (card) el.scrollTo({ left: card.offsetLeft - 12, behavior: 'smooth' });
  }, [explaining]);

  if (!products && !chapters) return null;
  return (
    <div className="replay-shop" data-testid="replay-shop" data-chapters={list?.length ?? 0}>
      {list && list.length && durationS ? <ChapterStrip chapters={list} durationS={durationS} position={position} onSeek={seek} /> : null}
      {shown.length || gone.length ? (
        <section className="replay-products" aria-label={t('replays.products')}>
          <p className="replay-products-head">
            {t('replays.products')} <span className="count">{shown.length}</span> <span className="replay-price-note">{t('replays.listPrice')}</span>
          </p>
          <ol className="replay-product-list" ref={listRef}>
            {shown.map((p) => {
              const chapter = lastChapterOf(p.id);
              const now = explaining === p.id;
              return (
                <li key={p.id} className="replay-product" data-testid="replay-product" data-product-id={p.id} data-chapter-start={chapter?.startS ?? ''}>
                  <ProductImage src={p.images?.[0]} alt={p.title} />
                  <div className="replay-product-body">
                    <p className="replay-product-title">
                      {now ? <span className="pinned-badge">{t('replays.playingNow')}</span> : null}
                      {p.title}
                    </p>
                    <LivePrice priceFen={p.priceFen} livePriceFen={null} testPrefix="replay" />
                    <div className="replay-product-actions">
                      {chapter ? (
                        <button type="button" className="button button-small button-ghost" data-testid="replay-watch-explanation" title={t('replays.explainedAt', { time: clockText(chapter.startS) })} onClick={() => seek(chapter)}>
                          {t('replays.watchExplanation')} <span className="replay-at">{clockText(chapter.startS)}</span>
                        </button>
                      ) : null}
                      {user ? (
                        <button type="button" className="button button-small" data-testid="replay-buy" data-product-id={p.id} onClick={() => setBuying(p.id)}>
                          {t('shop.room.buy')}
                        </button>
                      ) : (
                        <Link className="button button-small" to={loginHref} data-testid="replay-buy-login">
                          {t('shop.room.loginToBuy')}
                        </Link>
                      )}
                    </div>
                  </div>
                </li>
              );
            })}
            {gone.map((c) => (
              <li key={c.productId} className="replay-product" data-testid="replay-product" data-product-id={c.productId} data-chapter-start={c.startS}>
                <ProductImage src={c.image} alt={c.title} />
                <div className="replay-product-body">
                  <p className="replay-product-title">{c.title}</p>
                  <div className="replay-product-actions">
                    <button type="button" className="button button-small button-ghost" data-testid="replay-watch-explanation" onClick={() => seek(lastChapterOf(c.productId) ?? c)}>
                      {t('replays.watchExplanation')} <span className="replay-at">{clockText((lastChapterOf(c.productId) ?? c).startS)}</span>
                    </button>
                  </div>
                </div>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {buying && user ? <BuySheet key={buying} sessionId={session.id} productId={buying} product={shown.find((p) => p.id === buying) ?? null} onClose={closeBuy} /> : null}
    </div>
  );
}
