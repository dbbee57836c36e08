/** The JSON of server/analytics (docs/ANALYTICS.md): the big screen's figures, the review, the session list. */
export type MarkerKind = 'pin' | 'flash_sale' | 'coupon' | 'lucky_bag';

export type CurvePoint = { minute: string; gmvFen: number; orders: number; online: number; uv: number; likes: number; comments: number };
export type Marker = { at: string; kind: MarkerKind; label: string; productId: string | null };

export type TopProduct = { productId: string; title: string; image: string | null; units: number; orders: number; buyers: number; gmvFen: number; refundedFen: number };
export type FlashSale = { id: string; productId: string; title: string; priceFen: number; stock: number; remaining: number; startsAt: string; endsAt: string; active: boolean };

export type Figures = {
  session: { id: string; title: string; status: 'scheduled' | 'live' | 'ended'; startedAt: string | null; endedAt: string | null; streamer: { id: string; name: string } };
  scope: 'all' | 'brand';
  at: string;
  gmv: { placedFen: number; paidFen: number; refundedFen: number; netFen: number };
  orders: { placed: number; paid: number };
  units: number;
  buyers: number;
  viewers: { online: number; peak: number; unique: number };
  newFollowers: number;
  likes: number;
  comments: number;
  conversion: number;
  gpmFen: number;
  avgWatchSeconds: number;
  topProducts: TopProduct[];
  coupons: { orders: number; discountFen: number };
  flashSales: FlashSale[];
  curve: CurvePoint[];
  markers: Marker[];
};

export type ReviewProduct = {
  productId: string;
  title: string;
  image: string | null;
  explainedSeconds: number;
  clicks: number;
  clickers: number;
  orders: number;
  units: number;
  buyers: number;
  gmvFen: number;
  refundedFen: number;
  conversion: number;
};

export type FunnelStep = { step: 'view' | 'click' | 'order' | 'paid'; count: number; rate: number };

export type LifeSummary = { netFen: number; uv: number; conversion: number; gpmFen: number };

export type Review = {
  figures: Figures;
  durationSeconds: number;
  products: ReviewProduct[];
  funnel: FunnelStep[];
  comparison: {
    previous: (LifeSummary & { id: string; title: string; startedAt: string | null; durationSeconds: number })[];
    category: string | null;
    /** The category's median over other streamers' lives, shown only over at least `minLives` lives of `minStreamers` streamers (tooFew: no figures). */
    platformMedian: { lives: number; streamers: number; windowDays: number; minLives: number; minStreamers: number } & ((LifeSummary & { tooFew: false }) | { tooFew: true });
  };
};

export type AnalyticsSessionRow = { id: string; title: string; status: 'scheduled' | 'live' | 'ended'; scheduledAt: string; startedAt: string | null; endedAt: string | null; streamerName: string };
