// The MCN API's answers (docs/MCN.md, server/mcn/routes.ts). Money is integer fen; a split is basis points.

export const RIGHTS = ['manage_products', 'manage_sessions', 'view_earnings', 'request_samples'] as const;
export type McnRight = (typeof RIGHTS)[number];

export type ContractState = 'offered' | 'declined' | 'cancelled' | 'upcoming' | 'active' | 'expired' | 'terminated';

export type Contract = {
  id: string;
  mcn: { id: string; name: string };
  streamer: { id: string; displayName: string };
  splitBps: number;
  exclusive: boolean;
  rights: McnRight[];
  startsAt: string;
  endsAt: string | null;
  status: 'offered' | 'accepted' | 'declined' | 'cancelled' | 'terminated';
  state: ContractState;
  renewedFrom: string | null;
  createdAt: string;
  acceptedAt: string | null;
  declinedAt: string | null;
  declineReason: string | null;
  cancelledAt: string | null;
  terminatedAt: string | null;
  terminatedBy: 'mcn' | 'streamer' | null;
  terminationReason: string | null;
};

export type RosterEntry = {
  streamer: { id: string; displayName: string };
  contract: { id: string; splitBps: number; exclusive: boolean; rights: McnRight[]; startsAt: string; endsAt: string | null; terminatedAt: string | null; state: 'active' | 'upcoming' };
  signedSince: string;
  sessions: { total: number; scheduled: number; live: number; ended: number };
  orders: number;
  gmvFen: number;
  followers: number;
  earnings: { mcnShareFen: number; streamerFen: number | null; commissionFen: number | null };
  trend: { weeks: { from: string; to: string; gmvFen: number }[]; last7DaysFen: number; previous7DaysFen: number; changeBps: number | null };
};

export type Roster = { streamers: RosterEntry[]; totals: { streamers: number; gmvFen: number; mcnShareFen: number } };
