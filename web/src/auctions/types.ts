/** GET /api/auctions/:id and the room's `auction` event (docs/AUCTIONS.md). */
export type Auction = {
  id: string;
  sessionId: string;
  title: string;
  image: string | null;
  startingPriceFen: number;
  startsAt: string;
  plannedCloseAt: string;
  closesAt: string;
  suddenDeath: boolean;
  status: 'scheduled' | 'open' | 'closing' | 'awaiting_payment' | 'sold' | 'unsold';
  priceFen: number | null;
  minNextFen: number;
  bidCount: number;
  leader: { id: string; name: string } | null;
  winner: { id: string; name: string; priceFen: number } | null;
  recentBids: { seq: number; bidder: string; priceFen: number; at: string }[];
};

export type MyAuction = {
  maxFen: number | null;
  bids: number;
  leading: boolean;
  offer: { orderId: string; priceFen: number; rank: number; status: 'pending' | 'paid' | 'lapsed' } | null;
};
