// 竞拍 in the viewer's room: the lot, the current price, the leader (masked), the countdown (moved by
// late bids), a one-tap bid at the next minimum and a proxy maximum. docs/AUCTIONS.md.
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, path, post } from '../api';
import type { Room } from '../room/useRoom';
import { useFormat } from '../shared/format';
import { useNow } from '../shared/usePolling';
import { toApiError } from '../shared/useApi';
import { countdownText } from '../shop/parts';
import type { Auction, MyAuction } from './types';
import { useAuctions } from './useAuctions';
import './auctions.css';

const newKey = () => `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** Every auction of the live that is running or has just been decided. */
export function RoomAuctions({ sessionId, room, myId, loginHref }: { sessionId: string; room: Room; myId: string | null; loginHref: string }) {
  const auctions = useAuctions(sessionId, room);
  const decided = (a: Auction) => (a.status === 'awaiting_payment' || a.status === 'sold' || a.status === 'unsold' ? 1 : 0);
  // Running auctions first, newest first; at most two cards over the video.
  const shown = auctions
    .filter((a) => a.status !== 'unsold' || a.bidCount > 0)
    .sort((x, y) => decided(x) - decided(y) || y.startsAt.localeCompare(x.startsAt))
    .slice(0, 2);
  return (
    <>
      {shown.map((a) => (
        <AuctionCard key={a.id} auction={a} myId={myId} loginHref={loginHref} />
      ))}
    </>
  );
}

function AuctionCard({ auction: a, myId, loginHref }: { auction: Auction; myId: string | null; loginHref: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const now = useNow(250);
  const [me, setMe] = useState<MyAuction | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [proxyOpen, setProxyOpen] = useState(false);
  const [proxyYuan, setProxyYuan] = useState('');
  // One key per intended bid: a retry of the same tap is the same bid, never a second one.
  const pending = useRef<{ body: string; key: string } | null>(null);

  const closesAt = Date.parse(a.closesAt);
  const startsAt = Date.parse(a.startsAt);
  const decided = a.status === 'awaiting_payment' || a.status === 'sold' || a.status === 'unsold';
  const running = !decided && now >= startsAt && now < closesAt;
  const mine = a.leader?.id === myId && !!myId;

  useEffect(() => {
    if (!myId) return;
    get<{ me: MyAuction }>(path`/api/auctions/${a.id}/me`).then((r) => setMe(r.me), () => undefined);
  }, [a.id, a.status, a.winner?.id, a.bidCount, myId]);

  async function send(kind: 'bid' | 'proxy', amountFen: number) {
    const body = JSON.stringify({ kind, amountFen });
    if (pending.current?.body !== body) pending.current = { body, key: newKey() };
    setBusy(true);
    setError(null);
    try {
      await post(path`/api/auctions/${a.id}/bids`, { kind, amountFen, clientKey: pending.current.key });
      pending.current = null;
      setProxyOpen(false);
      setProxyYuan('');
    } catch (e) {
      const err = toApiError(e);
      // A refusal is final for this bid: the next tap is a new one.
      if (err.status && err.status < 500) pending.current = null;
      setError({ code: err.code, message: err.message });
    } finally {
      setBusy(false);
    }
  }

  const price = a.priceFen ?? a.startingPriceFen;
  return (
    <div className="auction-card" data-testid="auction-card" data-auction-id={a.id} data-status={a.status}>
      <div className="auction-head">
        <span className="auction-badge">{t('auction.badge')}</span>
        <span className="auction-time" data-testid="auction-countdown" data-closes-at={a.closesAt}>
          {decided
            ? null
            : now < startsAt
              ? t('auction.startsIn', { time: countdownText(t, Math.ceil((startsAt - now) / 1000)) })
              : now >= closesAt
                ? t('auction.closing')
                : t('auction.closesIn', { time: countdownText(t, Math.ceil((closesAt - now) / 1000)) })}
          {a.closesAt !== a.plannedCloseAt ? <span className="auction-tag" data-testid="auction-extended">{t('auction.extended')}</span> : null}
          {a.suddenDeath ? <span className="auction-tag">{t('auction.suddenDeath')}</span> : null}
        </span>
      </div>
      <div className="auction-lot">
        {a.image ? <img src={a.image} alt="" className="auction-image" /> : null}
        <div>
          <p className="auction-title" data-testid="auction-title">{a.title}</p>
          <p className="auction-price-line">
            <span className="muted">{a.priceFen === null ? t('auction.start') : t('auction.current')}</span>{' '}
            <strong className="auction-price" data-testid="auction-price" data-fen={price}>{fmt.fen(price)}</strong>{' '}
            <span className="muted">{t('auction.bids', { count: a.bidCount })}</span>
          </p>
          {decided ? null : (
            <p className="auction-leader" data-testid="auction-leader">
              {a.leader ? (mine ? t('auction.youLead') : t('auction.leader', { name: a.leader.name })) : t('auction.noBids')}
              {!mine && me && me.bids > 0 ? <span className="auction-outbid"> · {t('auction.outbid')}</span> : null}
              {me?.maxFen && mine ? <span className="muted"> · {t('auction.myMax', { amount: fmt.fen(me.maxFen) })}</span> : null}
            </p>
          )}
        </div>
      </div>
      {decided ? (
        <Decided auction={a} me={me} />
      ) : !myId ? (
        <Link className="button button-small" to={loginHref} data-testid="auction-login">{t('auction.loginToBid')}</Link>
      ) : (
        <div className="auction-actions">
          <button type="button" className="button button-small auction-bid" data-testid="auction-bid" disabled={!running || busy} onClick={() => void send('bid', a.minNextFen)}>
            {t('auction.bid', { amount: fmt.fen(a.minNextFen) })}
          </button>
          <button type="button" className="button button-small button-secondary" data-testid="auction-proxy-open" disabled={!running || busy} onClick={() => setProxyOpen((o) => !o)}>
            {t('auction.proxy')}
          </button>
        </div>
      )}
      {proxyOpen && running ? (
        <form
          className="auction-proxy"
          onSubmit={(e) => {
            e.preventDefault();
            const fen = Math.round(Number(proxyYuan) * 100);
            if (Number.isFinite(fen) && fen > 0) void send('proxy', fen);
          }}
        >
          <p className="muted">{t('auction.proxyHint')}</p>
          <label>
            {t('auction.proxyMax')}
            <input inputMode="decimal" required pattern="[0-9]+([.][0-9]{1,2})?" value={proxyYuan} onChange={(e) => setProxyYuan(e.target.value)} data-testid="auction-proxy-max" />
          </label>
          <button type="submit" className="button button-small" disabled={busy} data-testid="auction-proxy-submit">{t('auction.proxySubmit')}</button>
          <button type="button" className="button button-small button-secondary" onClick={() => setProxyOpen(false)}>{t('auction.cancel')}</button>
        </form>
      ) : null}
      {!decided && myId ? <p className="auction-final muted">{t('auction.final')}</p> : null}
      {a.recentBids.length ? (
        <ol className="auction-recent" aria-label={t('auction.recent')} data-testid="auction-recent">
          {a.recentBids.slice(0, 3).map((b) => (
            <li key={b.seq}>
              {b.bidder} · {fmt.fen(b.priceFen)}
            </li>
          ))}
        </ol>
      ) : null}
      {error ? (
        <p className="auction-error" role="alert" data-testid="auction-error" data-code={error.code}>
          {error.message}
        </p>
      ) : null}
    </div>
  );
}

function Decided({ auction: a, me }: { auction: Auction; me: MyAuction | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (a.status === 'unsold') return <p data-testid="auction-result">{t('auction.unsold')}</p>;
  const offer = me?.offer;
  if (offer?.status === 'lapsed') return <p data-testid="auction-result">{t('auction.lapsed')}</p>;
  if (offer?.status === 'pending') {
    return (
      <p data-testid="auction-result" className="auction-won">
        {t('auction.youWon', { amount: fmt.fen(offer.priceFen) })}{' '}
        <Link className="button button-small" to={`/orders/${offer.orderId}`} data-testid="auction-pay">{t('auction.pay')}</Link>
      </p>
    );
  }
  return <p data-testid="auction-result">{a.winner ? t('auction.sold', { amount: fmt.fen(a.winner.priceFen), name: a.winner.name }) : t('auction.unsold')}</p>;
}
