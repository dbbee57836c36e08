export type CampaignPhase = 'upcoming' | 'warmup' | 'running' | 'ended';

export type Campaign = {
  id: string;
  name: string;
  theme: string;
  bannerUrl: string | null;
  coverUrl: string | null;
  warmupAt: string | null;
  startsAt: string;
  endsAt: string;
  phase: CampaignPhase;
};

export type CampaignSession = {
  id: string;
  title: string;
  status: 'scheduled' | 'live' | 'ended';
  scheduledAt: string;
  startedAt: string | null;
  coverUrl: string | null;
  viewers: number | null;
  streamer: { id: string; displayName: string };
  brand: { id: string; name: string } | null;
};

export type CampaignCoupon = {
  id: string;
  title: string;
  kind: 'amount' | 'threshold' | 'percent';
  amountOffFen: number | null;
  thresholdFen: number | null;
  percentOff: number | null;
  capFen: number | null;
  startsAt: string;
  endsAt: string;
  perUserLimit: number;
  total: number;
  issued: number;
  claimed: number;
};

export type Leaderboard = {
  at: string;
  sessions: { rank: number; sessionId: string; title: string; streamer: string; gmvFen: number; orders: number }[];
  brands: { rank: number; brandOrgId: string; name: string; gmvFen: number; orders: number }[];
};

export type Landing = {
  campaign: Campaign;
  now: string;
  live: CampaignSession[];
  next: CampaignSession[];
  ended: CampaignSession[];
  brands: { id: string; name: string }[];
  coupons: CampaignCoupon[];
  leaderboard: Leaderboard;
};
