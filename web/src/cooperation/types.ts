// The cooperation API's answers (docs/COOPERATION.md, server/cooperation/routes.ts).
// Money is integer fen; rates are basis points (2000 = 20 %).

export type Offer = {
  id: string;
  brand: { id: string; name: string };
  product: { id: string; title: string; category: string; image: string | null; priceFen: number; maxPriceFen: number; onSale: boolean };
  commissionBps: number;
  priceFloorFen: number | null;
  samples: { available: boolean; depositFen: number; maxPerStreamer: number };
  requirements: { minFollowers: number; categories: string[] };
  note: string;
  status: 'active' | 'paused';
  salesUnits: number;
  createdAt: string;
  updatedAt: string;
  skus?: { id: string; spec: Record<string, string>; priceFen: number; stock: number }[];
  /** The logged-in user's standing as a streamer against the requirements (the square, compare and one offer). */
  eligibility?: Eligibility | null;
};

export type Eligibility = {
  met: boolean;
  followers: { required: number; count: number; met: boolean };
  categories: { required: string[]; streamer: string[]; met: boolean };
};

/** GET /api/offers/brands: the approved brands for pickers. */
export type BrandPage = { brands: { id: string; name: string; offerCount: number }[]; total: number; page: number; pageSize: number };

export type OfferPage = { offers: Offer[]; total: number; page: number; pageSize: number };

export type ApplicationStatus = 'pending' | 'approved' | 'rejected' | 'revoked';

export type Application = {
  id: string;
  offerId: string;
  brandOrgId: string;
  brandName: string | null;
  productId: string;
  productTitle: string | null;
  streamer: { id: string; displayName: string | null };
  appliedBy: string;
  viaMcnOrgId: string | null;
  message: string;
  followers: number;
  status: ApplicationStatus;
  commissionBps: number | null;
  reason: string | null;
  decidedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
};

export type SampleStatus = 'requested' | 'approved' | 'rejected' | 'shipped' | 'received' | 'returning' | 'returned' | 'kept';

export type Address = { name: string; phone: string; region: string; detail: string };

export type Sample = {
  id: string;
  offerId: string;
  brandOrgId: string;
  productId: string;
  productTitle: string | null;
  streamer: { id: string; displayName: string | null };
  requestedBy: string;
  viaMcnOrgId: string | null;
  message: string;
  address: Address;
  status: SampleStatus;
  deposit: { amountFen: number; status: 'none' | 'held' | 'refunded' | 'kept' };
  shipment: { carrier: string; trackingNo: string } | null;
  returnShipment: { carrier: string; trackingNo: string } | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
};

export type SlotFeeStatus = 'proposed' | 'accepted' | 'rejected' | 'settled';

export type SlotFee = {
  id: string;
  brandOrgId: string;
  streamer: { id: string; displayName: string | null };
  sessionId: string;
  sessionTitle: string | null;
  productId: string;
  productTitle: string | null;
  feeFen: number;
  gmvTargetFen: number;
  refundBps: number;
  proposedBy: 'brand' | 'streamer';
  status: SlotFeeStatus;
  mcnOrgId: string | null;
  mcnSplitBps: number;
  gmvFen: number | null;
  refundFen: number | null;
  reason: string | null;
  createdAt: string;
  decidedAt: string | null;
  settledAt: string | null;
};
