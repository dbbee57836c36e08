// /orgs/:orgId/auctions: a brand's 竞拍 on a desktop: its lives (live now and scheduled), and for the one picked
// the form to put a lot up and the live's auctions (docs/AUCTIONS.md). ?live=<id> keeps the choice in the address.
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useBrandLives } from '../launches/brandLives';
import { useFormat } from '../shared/format';
import { label } from '../shared/labels';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { RoomAuctionList, useRoomAuctionList } from './AuctionConsole';
import { CreateAuctionForm } from './CreateAuctionForm';
import './auctions.css';

export function BrandAuctions() {
  const { orgId = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const [params, setParams] = useSearchParams();
  const lives = useBrandLives(orgId);
  const all = lives.live && lives.upcoming ? [...lives.live, ...lives.upcoming] : null;
  const chosen = all?.find((s) => s.id === params.get('live')) ?? all?.[0] ?? null;
  const list = useRoomAuctionList(chosen?.id ?? '');
  return (
    <div className="page auction-console" data-testid="auction-console">
      <header className="page-header">
        <p className="eyebrow">
          <Link to={path`/orgs/${orgId}`}>{t('auction.console.back')}</Link>
        </p>
        <h1>{t('auction.console.pageTitle')}</h1>
        <p className="muted">{t('auction.console.intro')}</p>
      </header>
      <ErrorNotice error={lives.error} onRetry={lives.reload} />
      {!all && !lives.error ? <Loading /> : null}
      {all && !all.length ? <Empty testId="auction-console-no-lives">{t('auction.console.noLives')}</Empty> : null}
      {all && chosen ? (
        <div className="auction-console-grid">
          <nav aria-label={t('auction.console.lives')}>
            <h2>{t('auction.console.lives')}</h2>
            <ul className="auction-console-lives">
              {all.map((s) => (
                <li key={s.id}>
                  <a
                    href={`?live=${encodeURIComponent(s.id)}`}
                    aria-current={s.id === chosen.id ? 'true' : undefined}
                    onClick={(e) => {
                      e.preventDefault();
                      setParams({ live: s.id });
                    }}
                    data-testid="auction-console-live"
                    data-session-id={s.id}
                  >
                    <strong>{s.title}</strong>
                    <br />
                    <StatusBadge status={s.status}>{label(t, 'status', s.status)}</StatusBadge>{' '}
                    <span className="muted">
                      {s.streamer.displayName} · {fmt.dateTime(s.startedAt ?? s.scheduledAt)}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <section className="card" aria-labelledby="auction-console-create">
            <h2 id="auction-console-create">{t('auction.create.title')}</h2>
            <p className="muted">{t('auction.console.forLive', { title: chosen.title })}</p>
            <CreateAuctionForm key={chosen.id} sessionId={chosen.id} brandOrgId={orgId} source="org" onCreated={list.refresh} />
          </section>
          <section aria-labelledby="auction-console-list">
            <h2 id="auction-console-list">{t('auction.console.list')}</h2>
            <ErrorNotice error={list.error} onRetry={list.refresh} />
            <RoomAuctionList auctions={list.auctions} />
            <Link className="button button-ghost button-small" to={path`/watch/${chosen.id}`} data-testid="auction-console-watch">
              {t('auction.console.watch')}
            </Link>
          </section>
        </div>
      ) : null}
    </div>
  );
}
