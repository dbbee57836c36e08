import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useApi } from '../shared/useApi';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { Tabs, type TabDef } from '../shared/Tabs';
import { DiscoverCard, ProductGrid, SearchBox, gradientFor } from './parts';
import { fromSearchSession, type SearchResponse, type SearchType } from './types';
import './discovery.css';

const TYPES: readonly SearchType[] = ['all', 'sessions', 'streamers', 'brands', 'products'];

/** /search?q=…&type=… : one query, results by kind (GET /api/search). */
export function SearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q');
  const raw = params.get('type');
  const type: SearchType = TYPES.includes(raw as SearchType) ? (raw as SearchType) : 'all';
  const tabs: TabDef<SearchType>[] = TYPES.map((id) => ({ id, label: t(`discovery.search.tabs.${id}`) }));
  const setType = (next: SearchType) => {
    const p = new URLSearchParams(params);
    p.set('type', next);
    setParams(p, { replace: true });
  };
  // An empty box is sent too: the server's message (SEARCH_QUERY_EMPTY) says what is wrong.
  const state = useApi<SearchResponse>(q === null ? null : `/api/search?q=${encodeURIComponent(q)}&type=${type}&limit=${type === 'all' ? 10 : 50}`);
  const data = state.data;
  const show = (kind: Exclude<SearchType, 'all'>) => type === 'all' || type === kind;
  const seeAll = (kind: Exclude<SearchType, 'all'>) =>
    type === 'all' ? (
      <button type="button" className="button button-ghost button-small" onClick={() => setType(kind)} data-testid={`see-all-${kind}`}>
        {t('discovery.search.seeAll')}
      </button>
    ) : null;
  const nothing = data && !data.sessions.length && !data.streamers.length && !data.brands.length && !data.products.length;

  return (
    <div className="page disc-search-page">
      <h1 className="sr-only">{t('discovery.search.title')}</h1>
      {/* Keyed by the query so that going back to another search shows its words. */}
      <SearchBox key={q ?? ''} initial={q ?? ''} autoFocus={q === null} />
      {q === null ? (
        <Empty testId="search-prompt">{t('discovery.search.prompt')}</Empty>
      ) : (
        <>
          <Tabs tabs={tabs} active={type} onChange={setType} label={t('discovery.search.tabsLabel')} />
          <div className="disc-search-results" data-testid="search-results">
            {state.status === 'error' ? (
              <ErrorNotice error={state.error} onRetry={state.reload} />
            ) : !data ? (
              <Loading />
            ) : nothing ? (
              <Empty testId="search-empty">{t('discovery.search.noResults', { q: data.query ?? q })}</Empty>
            ) : (
              <>
                {show('sessions') && data.sessions.length ? (
                  <section className="session-section" data-testid="search-sessions">
                    <h2 className="section-title disc-section-row">
                      {t('discovery.search.tabs.sessions')}
                      {seeAll('sessions')}
                    </h2>
                    <div className="session-grid disc-grid">
                      {data.sessions.map((s) => (
                        <DiscoverCard key={s.id} session={fromSearchSession(s)} />
                      ))}
                    </div>
                  </section>
                ) : null}
                {show('streamers') && data.streamers.length ? (
                  <ResultSection kind="streamers" action={seeAll('streamers')}>
                    {data.streamers.map((s) => (
                      <AvatarRow key={s.id} id={s.id} name={s.displayName} to={path`/streamers/${s.id}`} testId="search-streamer" subtitle={t('discovery.search.followers', { count: s.followers })}>
                        {s.live ? (
                          <Link to={path`/watch/${s.live.id}`} className="disc-live-pill" data-testid="search-streamer-live">
                            {t('discovery.search.liveNow', { title: s.live.title })}
                          </Link>
                        ) : null}
                      </AvatarRow>
                    ))}
                  </ResultSection>
                ) : null}
                {show('brands') && data.brands.length ? (
                  <ResultSection kind="brands" action={seeAll('brands')}>
                    {data.brands.map((b) => (
                      <AvatarRow key={b.id} id={b.id} name={b.name} to={path`/brands/${b.id}`} testId="search-brand" subtitle={b.licenceName ? t('discovery.search.licence', { name: b.licenceName }) : null} />
                    ))}
                  </ResultSection>
                ) : null}
                {show('products') && data.products.length ? (
                  <section className="session-section" data-testid="search-products">
                    <h2 className="section-title disc-section-row">
                      {t('discovery.search.tabs.products')}
                      {seeAll('products')}
                    </h2>
                    <ProductGrid products={data.products} empty="" />
                  </section>
                ) : null}
                {type !== 'all' && !(type === 'sessions' ? data.sessions : type === 'streamers' ? data.streamers : type === 'brands' ? data.brands : data.products).length ? (
                  <Empty testId="search-empty">{t('discovery.search.noResults', { q: data.query ?? q })}</Empty>
                ) : null}
              </>
            )}
          </div>
        </>
      )}
    </div>
  );
}

/** A list of streamers or brands in the results, with its heading. */
function ResultSection({ kind, action, children }: { kind: 'streamers' | 'brands'; action: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="session-section" data-testid={`search-${kind}`}>
      <h2 className="section-title disc-section-row">
        {t(`discovery.search.tabs.${kind}`)}
        {action}
      </h2>
      <ul className="disc-rows">{children}</ul>
    </section>
  );
}

/** One streamer or brand: its initial on a colour of its own, its name linking to its page, a line under it. */
function AvatarRow({ id, name, to, testId, subtitle, children }: { id: string; name: string; to: string; testId: string; subtitle: string | null; children?: ReactNode }) {
  return (
    <li className="disc-row" data-testid={testId}>
      <span className="avatar" aria-hidden="true" style={{ background: gradientFor(id) }}>
        {Array.from(name || '?')[0]}
      </span>
      <div className="disc-row-main">
        <Link to={to} className="disc-row-title" data-testid={`${testId}-link`}>
          {name}
        </Link>
        {subtitle ? <span className="muted disc-small">{subtitle}</span> : null}
      </div>
      {children}
    </li>
  );
}
