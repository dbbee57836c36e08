/** What the discovery endpoints answer (docs/DISCOVERY.md). */
export type CardStatus = 'scheduled' | 'live' | 'ended';

export type SessionCardData = {
  id: string;
  title: string;
  status: CardStatus;
  scheduledAt: string;
  startedAt: string | null;
  endedAt?: string | null;
  coverUrl: string | null;
  hasReplay: boolean;
  /** Online now (live), the peak (ended), null before the start or when unknown. */
  viewers?: number | null;
  streamer: { id: string; displayName: string };
  brand: { id: string; name: string } | null;
  categories?: string[];
};

export type ProductCardData = {
  id: string;
  title: string;
  category: string;
  image: string | null;
  priceFen: number | null;
  brand: { id: string; name: string };
  lives: { id: string; title: string; status: CardStatus }[];
  /** Its latest explanation in a replay (看讲解), when there is one. */
  explanation?: { sessionId: string; startS: number } | null;
};

export type DiscoverResponse = {
  category: string | null;
  categories: string[];
  live: SessionCardData[];
  upcoming: SessionCardData[];
  replays: SessionCardData[];
  nextCursor: string | null;
};

export type StreamerProfileResponse = {
  streamer: { id: string; displayName: string; followers: number; following: boolean | null };
  live: SessionCardData[];
  upcoming: SessionCardData[];
  replays: SessionCardData[];
  products: ProductCardData[];
};

export type BrandProfileResponse = {
  brand: { id: string; name: string; description: string; licenceName: string | null; licenceNo: string | null };
  live: SessionCardData[];
  upcoming: SessionCardData[];
  replays: SessionCardData[];
  products: ProductCardData[];
};

export type FollowingFeedResponse = {
  streamers: { id: string; displayName: string; liveSessionId: string | null }[];
  live: SessionCardData[];
  upcoming: SessionCardData[];
  replays: SessionCardData[];
};

/** GET /api/search (built by the search engineer; this is the agreed contract). */
export type SearchType = 'all' | 'sessions' | 'streamers' | 'brands' | 'products';
export type SearchSession = {
  id: string;
  title: string;
  status: CardStatus;
  streamerId: string;
  streamerName: string;
  brandId: string | null;
  brandName: string | null;
  scheduledAt: string;
  startedAt: string | null;
  coverUrl: string | null;
  hasReplay: boolean;
};
export type SearchResponse = {
  query: string;
  sessions: SearchSession[];
  streamers: { id: string; displayName: string; followers: number; live: { id: string; title: string } | null }[];
  brands: { id: string; name: string; licenceName: string | null }[];
  products: ProductCardData[];
};

export function fromSearchSession(s: SearchSession): SessionCardData {
  return {
    id: s.id,
    title: s.title,
    status: s.status,
    scheduledAt: s.scheduledAt,
    startedAt: s.startedAt,
    coverUrl: s.coverUrl,
    hasReplay: s.hasReplay,
    streamer: { id: s.streamerId, displayName: s.streamerName },
    brand: s.brandId ? { id: s.brandId, name: s.brandName ?? '' } : null,
  };
}
