export type Studio = { id: string; baseId: string; name: string; areaSqm: number; equipment: string[]; scenes: string[]; capacity: number; hourlyRateFen: number; isPublic: boolean; photos?: string[]; /** In the calendars: each photo's caption or null, in the order of `photos`. */ photoCaptions?: (string | null)[] };
export type BaseProfile = { orgId: string; areaSqm: number; theme: string; address: string; opensAt: string; closesAt: string; timeZone: string; photos: string[]; /** In /api/bases and the calendars: each photo's caption or null, in the order of `photos`. */ photoCaptions?: (string | null)[]; freeCancelHours: number; cancelFeeBps: number };
/** A booking's price changed by its base before it was charged (docs/BASES.md, "Price changes"). */
export type PriceChange = { id: string; bookingId: string; oldPriceFen: number; newPriceFen: number; reason: string; changedByName: string | null; createdAt: string };
export type BookingLive = { id: string; title: string; status: string; scheduledAt: string; startedAt: string | null; endedAt: string | null; /** Who goes live in it. */ streamerId?: string };
/** Others' bookings in a calendar carry only their times; the base's members and the bookers see the rest. */
export type Booking = {
  id: string;
  studioId: string;
  startsAt: string;
  endsAt: string;
  status: 'booked' | 'cancelled';
  mine: boolean;
  title?: string;
  bookerOrgId?: string | null;
  bookerName?: string | null;
  streamerId?: string | null;
  streamerName?: string | null;
  priceFen?: number;
  cancelFeeFen?: number;
  /** What the base refunded of its charge. */
  refundedFen?: number;
  /** When its studio time (or its late-cancellation fee) was charged through the ledger; null before. */
  chargedAt?: string | null;
  baseId?: string;
  bookedBy?: string;
  lives?: BookingLive[];
  /** Seen only because a live in it is the viewer's, scheduled by the brand that booked it (read-only to them). */
  arranged?: boolean;
  /** The base's changes of its price before it was charged, oldest first. */
  priceChanges?: PriceChange[];
  studioName?: string | null;
  baseName?: string | null;
};
export type Maintenance = { id: string; studioId: string; startsAt: string; endsAt: string; reason: string; studioName?: string };
export type BaseEvent = { id: string; title: string; heldAt: string; attendees: number };
export type Calendar = { base: { id: string; name: string; profile: BaseProfile }; from: string; to: string; studios: Studio[]; bookings: Booking[]; maintenance: Maintenance[] };
export type BaseSummary = { id: string; name: string; description: string; profile: BaseProfile; studios: number };
/** How far a tenant is vouched for (docs/BASES.md, "Tenants and events"): counted when confirmed or self-declared. */
export type TenantConfirmation = 'self_declared' | 'pending' | 'confirmed' | 'declined' | 'withdrawn';
export type Tenant = { id: string; name: string; kind: 'platform' | 'mcn' | 'service'; orgId: string | null; leaseStart: string; leaseEnd: string; areaSqm: number; monthlyRentFen: number; confirmation: TenantConfirmation; counted: boolean; decidedAt: string | null };
/** A base's tenancy request as the linked organisation sees it (GET /api/orgs/:orgId/base-tenancies). */
export type Tenancy = Tenant & { baseId: string; baseName: string; requestedAt: string };
/** An organisation the base may link as a tenant (GET /api/orgs/:orgId/base/tenant-candidates?q=). */
export type TenantCandidate = { id: string; name: string; kind: 'brand' | 'mcn' | 'base' | 'training' };
/** Who the brand that booked may pick for a live from its booking (GET /api/studio-bookings/:id/live-streamers). */
export type LiveStreamerChoice = { id: string; displayName: string; via: 'member' | 'cooperation' };

/** A photo as the public page answers it (docs/BASES.md, "The public page"): the display URL, its thumbnail and its caption (null when none). */
export type PublicPhoto = { id: string | null; url: string; thumbUrl: string; width: number | null; height: number | null; caption: string | null };
/** A public studio on a base's public page: no maintenance, no bookings; capacity null when the base has not set one. */
export type PublicStudio = { id: string; name: string; areaSqm: number; scenes: string[]; equipment: string[]; capacity: number | null; hourlyRateFen: number; photos: PublicPhoto[] };
/** `GET /api/public/bases/:baseId`: what an approved base shows anyone, logged in or not. */
export type PublicBase = {
  id: string;
  name: string;
  description: string;
  theme: string;
  areaSqm: number;
  address: string;
  opensAt: string;
  closesAt: string;
  timeZone: string;
  freeCancelHours: number;
  cancelFeeBps: number;
  photos: PublicPhoto[];
  studios: PublicStudio[];
  /** Each confirmed by its organisation (已确认) or self-declared by the base (基地自填); never a pending, declined or withdrawn link. */
  tenants: { name: string; kind: Tenant['kind']; confirmation: 'confirmed' | 'self_declared' }[];
  events: { id: string; title: string; heldAt: string }[];
  figures: { studios: number; livesLast30Days: number };
};
/** `GET /api/public/bases`: one approved base in the public list. */
export type PublicBaseSummary = { id: string; name: string; theme: string; address: string; cover: PublicPhoto | null; studios: number };
