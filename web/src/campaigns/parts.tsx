import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useFormat } from '../shared/format';
import { useNow } from '../shared/usePolling';
import type { Campaign, CampaignCoupon, CampaignSession, Leaderboard } from './types';

/** Counts down to the opening (upcoming, warm-up) or to the end (running), in the viewer's clock. */
export function Countdown({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const opens = Date.parse(campaign.startsAt);
  const ends = Date.parse(campaign.endsAt);
  const target = now < opens ? opens : ends;
  const left = Math.max(0, target - now);
  if (now >= ends) return <p className="cmp-countdown" data-testid="campaign-countdown" data-left="0">{t('campaigns.countdown.over')}</p>;
  const s = Math.floor(left / 1000);
  return (
    <p className="cmp-countdown" data-testid="campaign-countdown" data-left={s}>
      <span>{now < opens ? t('campaigns.countdown.toStart') : t('campaigns.countdown.toEnd')}</span>{' '}
      <strong>{t('campaigns.countdown.days', { d: Math.floor(s / 86_400), h: Math.floor((s % 86_400) / 3600), m: Math.floor((s % 3600) / 60), s: s % 60 })}</strong>
    </p>
  );
}

export function SessionRow({ session }: { session: CampaignSession }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <li className="cmp-session" data-testid="campaign-session" data-session-id={session.id} data-status={session.status}>
      <Link to={path`/watch/${session.id}`} className="cmp-session-link">
        <span className="cmp-session-title">{session.title}</span>
        <span className="cmp-session-meta">
          {session.streamer.displayName}
          {session.brand ? ` · ${session.brand.name}` : ''}
          {' · '}
          {session.status === 'live' ? t('campaigns.viewers', { n: fmt.number(session.viewers ?? 0) }) : fmt.dateTime(session.scheduledAt)}
        </span>
      </Link>
    </li>
  );
}

/** 满 300 减 30 / 立减 / 折扣, in the viewer's language. */
export function CouponValue({ coupon: c }: { coupon: CampaignCoupon }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const text =
    c.kind === 'threshold'
      ? t('campaigns.threshold', { threshold: fmt.fen(c.thresholdFen ?? 0), amount: fmt.fen(c.amountOffFen ?? 0) })
      : c.kind === 'amount'
        ? t('campaigns.amount', { amount: fmt.fen(c.amountOffFen ?? 0) })
        : t('campaigns.percent', { percent: c.percentOff ?? 0 });
  return <strong>{text}</strong>;
}

export function BoardView({ board }: { board: Leaderboard }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const empty = !board.sessions.length && !board.brands.length;
  return (
    <div className="cmp-board" data-testid="campaign-board" data-at={board.at}>
      {empty ? <p className="muted" data-testid="campaign-board-empty">{t('campaigns.boardEmpty')}</p> : null}
      {(
        [
          ['sessions', t('campaigns.boardSessions'), board.sessions.map((r) => ({ key: r.sessionId, rank: r.rank, name: r.title, sub: r.streamer, gmvFen: r.gmvFen, orders: r.orders }))],
          ['brands', t('campaigns.boardBrands'), board.brands.map((r) => ({ key: r.brandOrgId, rank: r.rank, name: r.name, sub: '', gmvFen: r.gmvFen, orders: r.orders }))],
        ] as const
      ).map(([kind, title, rows]) =>
        rows.length ? (
          <section key={kind} className="cmp-board-part">
            <h3>{title}</h3>
            <ol className="cmp-board-list" data-testid={`campaign-board-${kind}`}>
              {rows.map((r) => (
                <li key={r.key} className="cmp-board-row" data-testid="campaign-board-row" data-id={r.key} data-gmv={r.gmvFen}>
                  <span className={`cmp-rank cmp-rank-${r.rank}`}>{r.rank}</span>
                  <span className="cmp-board-name">
                    {r.name}
                    {r.sub ? <small>{r.sub}</small> : null}
                  </span>
                  <span className="cmp-board-gmv">
                    <strong>{fmt.fen(r.gmvFen)}</strong>
                    <small>{t('campaigns.orders', { count: r.orders })}</small>
                  </span>
                </li>
              ))}
            </ol>
          </section>
        ) : null,
      )}
      <p className="cmp-fine">
        {t('campaigns.updated', { time: fmt.timestamp(board.at) })} · {t('campaigns.boardRule')}
      </p>
    </div>
  );
}
