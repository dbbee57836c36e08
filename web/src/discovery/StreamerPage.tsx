import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { del, path, post, type ApiError } from '../api';
import { useSession } from '../session';
import { useApi, toApiError } from '../shared/useApi';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { CardSection, DiscoverCard, ProductGrid, gradientFor } from './parts';
import type { StreamerProfileResponse } from './types';
import './discovery.css';

/** /streamers/:id — a streamer's public page: follow, their live now or next, replays, what they sell. */
export function StreamerPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const location = useLocation();
  const { user } = useSession();
  const state = useApi<StreamerProfileResponse>(path`/api/streamers/${id}/profile`);
  const [follow, setFollow] = useState<{ following: boolean | null; followers: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (state.data) setFollow({ following: state.data.streamer.following, followers: state.data.streamer.followers });
  }, [state.data]);

  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data || !follow) return <Loading />;
  const { streamer, live, upcoming, replays, products } = state.data;
  const next = live[0] ?? upcoming[0] ?? null;
  const rest = upcoming.filter((s) => s.id !== next?.id);

  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = follow.following ? await del<{ following: boolean; followers: number }>(path`/api/streamers/${id}/follow`) : await post<{ following: boolean; followers: number }>(path`/api/streamers/${id}/follow`);
      setFollow({ following: answer.following, followers: answer.followers });
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page disc-profile" data-testid="streamer-page">
      <header className="disc-profile-head card">
        <span className="disc-profile-avatar" aria-hidden="true" style={{ background: gradientFor(streamer.id) }}>
          {Array.from(streamer.displayName || '?')[0]}
        </span>
        <div className="disc-profile-main">
          <h1 data-testid="streamer-name">{streamer.displayName}</h1>
          <p className="muted" data-testid="streamer-followers">
            {t('discovery.streamer.followers', { count: follow.followers })}
          </p>
        </div>
        {user ? (
          <button
            type="button"
            className={follow.following ? 'button button-secondary' : 'button'}
            aria-pressed={Boolean(follow.following)}
            onClick={() => void toggle()}
            disabled={busy}
            data-testid="follow-button"
          >
            {follow.following ? t('discovery.streamer.following') : t('discovery.streamer.follow')}
          </button>
        ) : (
          <Link className="button" to={`/login?next=${encodeURIComponent(location.pathname)}`} data-testid="follow-login">
            {t('discovery.streamer.loginToFollow')}
          </Link>
        )}
      </header>
      {error ? <ErrorNotice error={error} /> : null}

      <section className="session-section" data-testid="section-next" aria-labelledby="next-heading">
        <h2 id="next-heading" className="section-title">
          {live.length ? <span className="live-dot" aria-hidden="true" /> : null}
          {live.length ? t('discovery.streamer.liveNow') : t('discovery.streamer.next')}
        </h2>
        {next ? (
          <div className="session-grid disc-grid disc-grid-feature">
            <DiscoverCard session={next} />
          </div>
        ) : (
          <Empty testId="next-empty">{t('discovery.streamer.noSessions')}</Empty>
        )}
      </section>
      {rest.length ? <CardSection id="upcoming" title={t('discovery.streamer.upcoming')} sessions={rest} empty="" emptyTestId="upcoming-empty" /> : null}
      <CardSection id="replays" title={t('discovery.streamer.replays')} sessions={replays} empty={t('discovery.streamer.noReplays')} emptyTestId="replays-empty" />
      <section className="session-section" data-testid="section-products" aria-labelledby="products-heading">
        <h2 id="products-heading" className="section-title">
          {t('discovery.streamer.products')}
          <span className="count">{products.length}</span>
        </h2>
        <ProductGrid products={products} empty={t('discovery.streamer.noProducts')} />
      </section>
    </div>
  );
}
