// The seller's side of a live's auctions (docs/AUCTIONS.md): the room's auctions as the seller follows them
// (status, current price, bids, leader, close), and the cockpit's card that holds the form above that list.
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { ConsoleCard } from '../room/parts';
import { useFormat } from '../shared/format';
import { Empty } from '../shared/Status';
import { usePolling } from '../shared/usePolling';
import { CreateAuctionForm } from './CreateAuctionForm';
import type { Auction } from './types';
import './auctions.css';

/** `GET /api/rooms/:id/auctions` (newest first), read again every 5 s and at once after a creation. */
export function useRoomAuctionList(sessionId: string) {
  const poll = usePolling<{ auctions: Auction[] }>(sessionId ? path`/api/rooms/${sessionId}/auctions` : null, 5_000);
  return { auctions: poll.data?.auctions ?? null, error: poll.error, refresh: poll.refresh };
}

export function RoomAuctionList({ auctions }: { auctions: Auction[] | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (!auctions) return null;
  if (!auctions.length) return <Empty testId="auction-list-empty">{t('auction.console.empty')}</Empty>;
  return (
    <ul className="auction-console-list" data-testid="auction-list">
      {auctions.map((a) => (
        <li key={a.id} className="auction-console-row" data-testid="auction-row" data-auction-id={a.id} data-status={a.status}>
          <div className="auction-console-row-head">
            <strong data-testid="auction-row-title">{a.title}</strong>
            <span className={`tag auction-status-${a.status}`}>{t(`auction.status.${a.status}`)}</span>
          </div>
          <p>
            {a.priceFen === null ? `${t('auction.start')} ${fmt.fen(a.startingPriceFen)}` : `${t('auction.current')} ${fmt.fen(a.priceFen)}`} · {t('auction.bids', { count: a.bidCount })}
            {a.leader ? ` · ${t('auction.leader', { name: a.leader.name })}` : ''}
          </p>
          <p className="muted">
            {a.status === 'scheduled' ? t('auction.console.opens', { at: fmt.dateTime(a.startsAt) }) : t('auction.console.closes', { at: fmt.dateTime(a.closesAt) })}
            {a.suddenDeath ? ` · ${t('auction.suddenDeath')}` : ''}
            {a.winner ? ` · ${t('auction.sold', { amount: fmt.fen(a.winner.priceFen), name: a.winner.name })}` : ''}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** The cockpit's 竞拍 card: the form, then the live's auctions. */
export function AuctionConsoleCard({ sessionId, brandOrgId }: { sessionId: string; brandOrgId: string | null }) {
  const { t } = useTranslation();
  const list = useRoomAuctionList(sessionId);
  const [open, setOpen] = useState(false);
  const created = useCallback(() => list.refresh(), [list.refresh]);
  return (
    <ConsoleCard
      title={t('auction.console.title')}
      testId="console-auctions"
      aside={
        <button type="button" className="button button-secondary button-small" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="auction-form-toggle">
          {open ? t('auction.cancel') : t('auction.create.title')}
        </button>
      }
    >
      {open ? <CreateAuctionForm sessionId={sessionId} brandOrgId={brandOrgId} source="room" onCreated={created} /> : null}
      <RoomAuctionList auctions={list.auctions} />
    </ConsoleCard>
  );
}
