// The cockpit's API shapes (docs/COCKPIT.md).

export const RIGHTS = ['moderate', 'products', 'flash_sales', 'coupons', 'lucky_bags', 'presets'] as const;
export type Right = (typeof RIGHTS)[number];

/** `GET /api/rooms/:id/cockpit` */
export type CockpitMe = { role: 'streamer' | 'assistant' | 'operator'; rights: Right[]; streamerId: string; status: 'scheduled' | 'live' | 'ended' };

/** `GET /api/rooms/:id/numbers` → numbers */
export type LiveNumbers = {
  status: 'scheduled' | 'live' | 'ended';
  online: number;
  peakOnline: number;
  uniqueViewers: number;
  likes: number;
  orders: number;
  buyers: number;
  gmvFen: number;
  refundedFen: number;
  at: string;
};

export type PresetKind = 'flash_sale' | 'coupon' | 'lucky_bag';

export type FlashPayload = { skuId?: string; priceFen: number; stock: number; perUserLimit: number; startsInSeconds: number; durationSeconds: number };
export type CouponPayload = { title: string; amountOffFen: number; total: number; seconds: number };
export type BagPayload = { prize: string; winners: number; condition: { kind: 'keyword'; keyword: string } | { kind: 'follow' }; drawInSeconds: number };

export type Preset = {
  id: string;
  kind: PresetKind;
  name: string;
  payload: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  launchedAt: string | null;
  launchCount: number;
};

export type Assistant = { id: string; displayName: string; login: string | null; rights: Right[]; since: string };

/** The right each kind of preset needs to launch. */
export const RIGHT_FOR: Record<PresetKind, Right> = { flash_sale: 'flash_sales', coupon: 'coupons', lucky_bag: 'lucky_bags' };
