import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../api';
import { useSession } from '../session';
import { useApi, toApiError } from '../shared/useApi';
import { ErrorNotice, Loading } from '../shared/Status';
import type { ApiError } from '../api';
import { CardSection, SearchBox } from './parts';
import { CampaignsStrip } from '../campaigns/CampaignsStrip';
import type { DiscoverResponse, SessionCardData } from './types';
import './discovery.css';

/**
 * The home page: a search box, category tabs taken from the products sessions carry, then live now,
 * upcoming and replays of the chosen category. The category is kept in `?category=` so it can be linked.
 */
export function HomePage() {
  const { t } = useTranslation();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const category = params.get('category') || null;
  const state = useApi<DiscoverResponse>(category ? `/api/discover?category=${encodeURIComponent(category)}` : '/api/discover');
  // Replays after the first page ("load more"), reset whenever the first page changes.
  const [more, setMore] = useState<{ replays: SessionCardData[]; cursor: string | null; loading: boolean; error: ApiError | null }>({ replays: [], cursor: null, loading: false, error: null });
  useEffect(() => setMore({ replays: [], cursor: state.data?.nextCursor ?? null, loading: false, error: null }), [state.data]);
  // The tabs stay in place while another category loads.
  const [tabs, setTabs] = useState<string[]>([]);
  useEffect(() => {
    if (state.data) setTabs(state.data.categories);
  }, [state.data]);

  const retry = () => {
    state.reload();
    // If the server was unreachable at start, "retry" also re-reads who is logged in.
    if (session.status === 'error') session.refresh().catch(() => undefined);
  };
  const choose = (next: string | null) => {
    const p = new URLSearchParams(params);
    if (next) p.set('category', next);
    else p.delete('category');
    setParams(p, { replace: true });
  };
  const loadMore = async () => {
    if (!more.cursor) return;
    setMore((m) => ({ ...m, loading: true, error: null }));
    const q = new URLSearchParams({ cursor: more.cursor });
    if (category) q.set('category', category);
    try {
      const page = await get<DiscoverResponse>(`/api/discover?${q.toString()}`);
      setMore((m) => ({ replays: [...m.replays, ...page.replays], cursor: page.nextCursor, loading: false, error: null }));
    } catch (e) {
      setMore((m) => ({ ...m, loading: false, error: toApiError(e) }));
    }
  };

  const data = state.data;
  // A linked category nobody sells any more still shows as chosen, so the page says what it is filtering on.
  const shown = category && !tabs.includes(category) ? [...tabs, category] : tabs;

  return (
    <div className="page page-home disc-home">
      <div className="disc-home-top">
        <h1 className="disc-home-title">{t('discovery.home.title')}</h1>
        {session.user ? (
          <Link to="/following" className="disc-chip disc-chip-link" data-testid="home-following-link">
            {t('discovery.home.following')}
          </Link>
        ) : null}
      </div>
      <SearchBox />
      <CampaignsStrip />

      <div className="disc-chips" role="tablist" aria-label={t('discovery.home.categoriesLabel')} data-testid="category-tabs">
        {[null, ...shown].map((c) => (
          <button
            key={c ?? ''}
            type="button"
            role="tab"
            aria-selected={c === category}
            className={c === category ? 'disc-chip disc-chip-active' : 'disc-chip'}
            data-testid="category-tab"
            data-category={c ?? ''}
            onClick={() => choose(c)}
          >
            {c ?? t('discovery.home.all')}
          </button>
        ))}
      </div>

      {state.status === 'error' && !data ? (
        <ErrorNotice error={state.error} onRetry={retry} />
      ) : data === undefined ? (
        <Loading />
      ) : (
        <div data-testid="discover-lists" data-category={data.category ?? ''}>
          <CardSection id="live" live title={t('discovery.home.liveNow')} sessions={data.live} empty={t('discovery.home.noLive')} emptyTestId="live-empty" />
          <CardSection id="upcoming" title={t('discovery.home.upcoming')} sessions={data.upcoming} empty={t('discovery.home.noUpcoming')} emptyTestId="upcoming-empty" />
          <CardSection
            id="replays"
            title={t('discovery.home.replays')}
            sessions={[...data.replays, ...more.replays]}
            empty={t('discovery.home.noReplays')}
            emptyTestId="replays-empty"
            footer={
              <>
                {more.error ? <ErrorNotice error={more.error} onRetry={() => void loadMore()} /> : null}
                {more.cursor ? (
                  <button type="button" className="button button-secondary disc-more" onClick={() => void loadMore()} disabled={more.loading} data-testid="replays-more">
                    {t('discovery.home.more')}
                  </button>
                ) : null}
              </>
            }
          />
          {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={retry} /> : null}
        </div>
      )}
    </div>
  );
}
