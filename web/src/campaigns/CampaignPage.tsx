import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { useSession } from '../session';
import { FormError } from '../shared/Field';
import { useFormat } from '../shared/format';
import { ErrorNotice, Loading } from '../shared/Status';
import { usePolling } from '../shared/usePolling';
import { useAction } from '../shop/parts';
import { BoardView, Countdown, CouponValue, SessionRow } from './parts';
import type { Landing, Leaderboard } from './types';
import './campaigns.css';

/** The leaderboard's poll (the server keeps it ≤ 1 s old) and the rest of the page's (lives, coupons). */
const BOARD_POLL_MS = 2000;
const PAGE_POLL_MS = 15_000;

/** A campaign's public landing page (phone first): theme, countdown, live now and next, shared coupons, leaderboard. */
export function CampaignPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const session = useSession();
  const page = usePolling<Landing>(path`/api/campaigns/${id}`, PAGE_POLL_MS);
  const board = usePolling<{ leaderboard: Leaderboard }>(path`/api/campaigns/${id}/leaderboard`, BOARD_POLL_MS);
  const claim = useAction();
  const [claimedNow, setClaimedNow] = useState<Record<string, number>>({});

  if (!page.data) return page.error ? <ErrorNotice error={page.error} onRetry={page.refresh} /> : <Loading />;
  const { campaign, live, next, brands, coupons } = page.data;
  const leaderboard = board.data?.leaderboard ?? page.data.leaderboard;

  const onClaim = async (couponId: string) => {
    const done = await claim.run(() => post(path`/api/campaigns/${id}/coupons/${couponId}/claim`), t('campaigns.claimOk'));
    if (done) setClaimedNow((m) => ({ ...m, [couponId]: (m[couponId] ?? 0) + 1 }));
  };

  return (
    <div className="page cmp-page" data-testid="campaign-page" data-phase={campaign.phase}>
      <header className="cmp-hero" style={campaign.bannerUrl ? { backgroundImage: `url(${JSON.stringify(campaign.bannerUrl)})` } : undefined}>
        <span className="cmp-phase" data-testid="campaign-phase">{t(`campaigns.phase.${campaign.phase}`)}</span>
        <h1 data-testid="campaign-name">{campaign.name}</h1>
        <p className="cmp-theme">{campaign.theme}</p>
        <p className="cmp-dates">{t('campaigns.dates', { from: fmt.dateTime(campaign.startsAt), to: fmt.dateTime(campaign.endsAt) })}</p>
        <Countdown campaign={campaign} />
        {session.user?.platformRole === 'operator' ? (
          <Link className="cmp-manage" to="/admin/campaigns" data-testid="campaign-manage-link">
            {t('campaigns.admin.manage')}
          </Link>
        ) : null}
      </header>

      {coupons.length ? (
        <section className="cmp-section">
          <h2>{t('campaigns.coupons')}</h2>
          <p className="muted">{t('campaigns.couponHint')}</p>
          <ul className="cmp-coupons">
            {coupons.map((c) => {
              const held = c.claimed + (claimedNow[c.id] ?? 0);
              const full = held >= c.perUserLimit;
              return (
                <li key={c.id} className="cmp-coupon" data-testid="campaign-coupon" data-coupon-id={c.id}>
                  <div className="cmp-coupon-value">
                    <CouponValue coupon={c} />
                    <span>{c.title}</span>
                    <small>{t('campaigns.left', { n: fmt.number(Math.max(0, c.total - c.issued - (claimedNow[c.id] ?? 0))) })}</small>
                  </div>
                  {session.user ? (
                    <button type="button" className="button button-small" data-testid="campaign-coupon-claim" data-claimed={held} disabled={full || claim.busy} onClick={() => void onClaim(c.id)}>
                      {full ? t('campaigns.claimedAll') : held ? t('campaigns.claimed', { n: held, limit: c.perUserLimit }) : t('campaigns.claim')}
                    </button>
                  ) : (
                    <Link className="button button-small button-secondary" to={`/login?next=${encodeURIComponent(`/campaigns/${id}`)}`}>
                      {t('campaigns.claimLogin')}
                    </Link>
                  )}
                </li>
              );
            })}
          </ul>
          <FormError error={claim.error} />
          {claim.done ? <p className="form-success" role="status" data-testid="campaign-claim-done">{claim.done}</p> : null}
        </section>
      ) : null}

      <section className="cmp-section">
        <h2>{t('campaigns.liveNow')}</h2>
        {live.length ? <ul className="cmp-sessions" data-testid="campaign-live">{live.map((s) => <SessionRow key={s.id} session={s} />)}</ul> : <p className="muted" data-testid="campaign-no-live">{t('campaigns.noLive')}</p>}
      </section>
      <section className="cmp-section">
        <h2>{t('campaigns.board')}</h2>
        <BoardView board={leaderboard} />
      </section>
      <section className="cmp-section">
        <h2>{t('campaigns.next')}</h2>
        {next.length ? <ul className="cmp-sessions" data-testid="campaign-next">{next.map((s) => <SessionRow key={s.id} session={s} />)}</ul> : <p className="muted">{t('campaigns.noNext')}</p>}
      </section>
      {brands.length ? (
        <section className="cmp-section">
          <h2>{t('campaigns.brands')}</h2>
          <ul className="cmp-brands" data-testid="campaign-brands">
            {brands.map((b) => (
              <li key={b.id}>
                <Link to={path`/brands/${b.id}`}>{b.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
