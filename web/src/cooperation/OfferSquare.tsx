import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { FormError } from '../shared/Field';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import { useAction, yuanToFen } from '../shop/parts';
import { OfferCard, type ActAs } from './OfferCard';
import { OfferCompare } from './OfferCompare';
import { percentToBps } from './parts';
import type { BrandPage, OfferPage } from './types';
import './cooperation.css';

const PAGE_SIZE = 12;
const SORTS = ['newest', 'commission', 'price', 'sales'] as const;
type Sort = (typeof SORTS)[number];
const CATEGORIES = ['食品', '美妆', '服饰', '家居', '数码', '母婴'];

type Filters = { q: string; category: string; brandOrgId: string; commissionMin: string; commissionMax: string; priceMin: string; priceMax: string };
const NO_FILTERS: Filters = { q: '', category: '', brandOrgId: '', commissionMin: '', commissionMax: '', priceMin: '', priceMax: '' };

/** The query the API reads (rates in basis points, prices in fen), or an error message for what cannot be read. */
function queryOf(f: Filters, t: (k: 'coop.square.badPercent' | 'coop.square.badPrice') => string): { query: URLSearchParams; error: string | null } {
  const query = new URLSearchParams();
  if (f.q.trim()) query.set('q', f.q.trim());
  if (f.category) query.set('category', f.category);
  if (f.brandOrgId) query.set('brandOrgId', f.brandOrgId);
  for (const [key, text] of [
    ['commissionMin', f.commissionMin],
    ['commissionMax', f.commissionMax],
  ] as const) {
    if (!text.trim()) continue;
    const bps = percentToBps(text);
    if (bps === null || bps < 0 || bps > 9000) return { query, error: t('coop.square.badPercent') };
    query.set(key, String(bps));
  }
  for (const [key, text] of [
    ['priceMin', f.priceMin],
    ['priceMax', f.priceMax],
  ] as const) {
    if (!text.trim()) continue;
    const fen = yuanToFen(text);
    if (fen === null) return { query, error: t('coop.square.badPrice') };
    query.set(key, String(fen));
  }
  return { query, error: null };
}

/** The MCN picks which of its signed streamers it acts for. */
function StreamerPicker({ orgId, value, onChange }: { orgId: string; value: string | null; onChange: (id: string | null) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const state = useApi<unknown>(path`/api/orgs/${orgId}/streamers`);
  const streamers = listFrom<{ userId: string; displayName: string }>(state.data, 'streamers');
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  return (
    <div className="field coop-act-for">
      <label htmlFor={id}>{t('coop.square.actFor')}</label>
      <select id={id} data-testid="act-for" value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">{t('coop.square.pickStreamer')}</option>
        {streamers.map((s) => (
          <option key={s.userId} value={s.userId}>
            {s.displayName}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * 选品广场: search, filter, sort and page through the brands' offers; compare 2–4 side by side; apply to carry a
 * product or ask for a sample, for oneself (a streamer) or for one of an MCN's streamers.
 */
export function OfferSquare({ mcnOrgId }: { mcnOrgId?: string }) {
  const { t } = useTranslation();
  const ids = { q: useId(), cat: useId(), brand: useId(), cmin: useId(), cmax: useId(), pmin: useId(), pmax: useId(), sort: useId() };
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<URLSearchParams>(new URLSearchParams());
  const [sort, setSort] = useState<Sort>('newest');
  const [page, setPage] = useState(1);
  const [compare, setCompare] = useState<string[]>([]);
  const [comparing, setComparing] = useState(false);
  const [streamerId, setStreamerId] = useState<string | null>(null);
  const filterAction = useAction();
  // The brand picker: the approved brands with their offer counts (the first 100 by name).
  const brandPage = useApi<BrandPage>('/api/offers/brands?pageSize=100');

  const url = useMemo(() => {
    const q = new URLSearchParams(applied);
    q.set('sort', sort);
    q.set('page', String(page));
    q.set('pageSize', String(PAGE_SIZE));
    return `/api/offers?${q.toString()}`;
  }, [applied, sort, page]);
  const state = useApi<OfferPage>(url);
  const data = state.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const actAs: ActAs = mcnOrgId ? { kind: 'mcn', orgId: mcnOrgId, streamerId } : { kind: 'streamer' };

  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const search = (e: FormEvent) => {
    e.preventDefault();
    const { query, error } = queryOf(draft, t);
    if (error) return filterAction.fail(error);
    filterAction.clear();
    setApplied(query);
    setPage(1);
  };

  return (
    <div className="offer-square" data-testid="offer-square">
      <div className="card-head">
        <h2>{t('coop.square.title')}</h2>
        {data ? (
          <span className="muted" data-testid="offer-total" data-total={data.total}>
            {t('coop.square.total', { n: data.total })}
          </span>
        ) : null}
      </div>
      {mcnOrgId ? <StreamerPicker orgId={mcnOrgId} value={streamerId} onChange={setStreamerId} /> : null}
      <form className="offer-filters" data-testid="offer-filters" onSubmit={search} noValidate role="search">
        <div className="field offer-search">
          <label htmlFor={ids.q}>{t('coop.square.search')}</label>
          <div className="offer-search-row">
            <input id={ids.q} type="search" data-testid="offer-search" value={draft.q} maxLength={50} placeholder={t('coop.square.searchPlaceholder')} onChange={set('q')} />
            <button type="submit" className="button" data-testid="offer-search-submit">
              {t('coop.square.searchSubmit')}
            </button>
          </div>
        </div>
        <div className="offer-filter-grid">
          <div className="field">
            <label htmlFor={ids.cat}>{t('coop.square.category')}</label>
            <select id={ids.cat} data-testid="offer-category" value={draft.category} onChange={set('category')}>
              <option value="">{t('coop.square.allCategories')}</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.brand}>{t('coop.square.brand')}</label>
            <select id={ids.brand} data-testid="offer-brand" value={draft.brandOrgId} onChange={set('brandOrgId')}>
              <option value="">{t('coop.square.allBrands')}</option>
              {(brandPage.data?.brands ?? []).map((b) => (
                <option key={b.id} value={b.id} data-offer-count={b.offerCount}>
                  {t('coop.square.brandOption', { name: b.name, count: b.offerCount })}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.cmin}>{t('coop.square.commissionRange')}</label>
            <div className="range-row">
              <input id={ids.cmin} data-testid="offer-commission-min" inputMode="decimal" value={draft.commissionMin} placeholder="0" onChange={set('commissionMin')} aria-label={t('coop.square.commissionMin')} />
              <span aria-hidden="true">–</span>
              <input id={ids.cmax} data-testid="offer-commission-max" inputMode="decimal" value={draft.commissionMax} placeholder="90" onChange={set('commissionMax')} aria-label={t('coop.square.commissionMax')} />
              <span className="muted">%</span>
            </div>
          </div>
          <div className="field">
            <label htmlFor={ids.pmin}>{t('coop.square.priceRange')}</label>
            <div className="range-row">
              <span className="muted">¥</span>
              <input id={ids.pmin} data-testid="offer-price-min" inputMode="decimal" value={draft.priceMin} placeholder="0" onChange={set('priceMin')} aria-label={t('coop.square.priceMin')} />
              <span aria-hidden="true">–</span>
              <input id={ids.pmax} data-testid="offer-price-max" inputMode="decimal" value={draft.priceMax} onChange={set('priceMax')} aria-label={t('coop.square.priceMax')} />
            </div>
          </div>
          <div className="field">
            <label htmlFor={ids.sort}>{t('coop.square.sort')}</label>
            <select
              id={ids.sort}
              data-testid="offer-sort"
              value={sort}
              onChange={(e) => {
                setSort(e.target.value as Sort);
                setPage(1);
              }}
            >
              {SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`coop.square.sorts.${s}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <FormError error={filterAction.error} />
      </form>

      {compare.length > 0 ? (
        <div className="compare-bar" data-testid="compare-bar" data-count={compare.length}>
          <span>{t('coop.compare.picked', { n: compare.length })}</span>
          <button type="button" className="button button-small" data-testid="compare-open" disabled={compare.length < 2} onClick={() => setComparing(true)}>
            {t('coop.compare.open')}
          </button>
          <button
            type="button"
            className="button button-ghost button-small"
            onClick={() => {
              setCompare([]);
              setComparing(false);
            }}
          >
            {t('coop.compare.clear')}
          </button>
        </div>
      ) : null}
      {comparing && compare.length >= 2 ? <OfferCompare ids={compare} onClose={() => setComparing(false)} /> : null}

      {state.status === 'error' && !data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !data ? (
        <Loading />
      ) : data.offers.length === 0 ? (
        <Empty testId="offers-empty">{t('coop.square.none')}</Empty>
      ) : (
        <ul className="offer-grid" data-testid="offer-list" data-ready={state.status === 'ready'}>
          {data.offers.map((o) => (
            <OfferCard
              key={o.id}
              offer={o}
              actAs={actAs}
              compared={compare.includes(o.id)}
              canCompare={compare.length < 4}
              onCompare={(on) => setCompare((c) => (on ? [...c, o.id].slice(0, 4) : c.filter((x) => x !== o.id)))}
            />
          ))}
        </ul>
      )}
      {data && pages > 1 ? (
        <nav className="pager" aria-label={t('coop.square.pages')} data-testid="offer-pager">
          <button type="button" className="button button-ghost button-small" data-testid="offer-prev" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
            {t('coop.square.prev')}
          </button>
          <span data-testid="offer-page">{t('coop.square.pageOf', { page, pages })}</span>
          <button type="button" className="button button-ghost button-small" data-testid="offer-next" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>
            {t('coop.square.next')}
          </button>
        </nav>
      ) : null}
    </div>
  );
}
