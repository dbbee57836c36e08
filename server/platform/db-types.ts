import type { Generated } from 'kysely';

/** Row types for every table. Times are ISO-8601 UTC text; money is integer fen; flags are 0/1. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  organisations: OrganisationsTable;
  org_members: OrgMembersTable;
  streamer_profiles: StreamerProfilesTable;
  live_sessions: LiveSessionsTable;
  products: ProductsTable;
  skus: SkusTable;
  product_images: ProductImagesTable;
  studios: StudiosTable;
  audit_log: AuditLogTable;
  stream_events: StreamEventsTable;
  recordings: RecordingsTable;
  room_settings: RoomSettingsTable;
  chat_messages: ChatMessagesTable;
  room_restrictions: RoomRestrictionsTable;
  moderation_log: ModerationLogTable;
  follows: FollowsTable;
  room_assistants: RoomAssistantsTable;
  cockpit_presets: CockpitPresetsTable;
  live_minutes: LiveMinutesTable;
  live_product_clicks: LiveProductClicksTable;
  sensitive_words: SensitiveWordsTable;
  coupon_drops: CouponDropsTable;
  coupon_claims: CouponClaimsTable;
  lucky_bags: LuckyBagsTable;
  lucky_bag_entries: LuckyBagEntriesTable;
  session_products: SessionProductsTable;
  addresses: AddressesTable;
  shipping_rules: ShippingRulesTable;
  coupons: CouponsTable;
  user_coupons: UserCouponsTable;
  flash_sales: FlashSalesTable;
  flash_purchases: FlashPurchasesTable;
  // 0024_campaigns (docs/CAMPAIGNS.md)
  campaigns: CampaignsTable;
  campaign_brands: CampaignBrandsTable;
  campaign_sessions: CampaignSessionsTable;
  auctions: AuctionsTable;
  auction_bids: AuctionBidsTable;
  auction_offers: AuctionOffersTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  payments: PaymentsTable;
  payment_notifications: PaymentNotificationsTable;
  after_sales: AfterSalesTable;
  sandbox_trades: SandboxTradesTable;
  sandbox_notifications: SandboxNotificationsTable;
  sandbox_refunds: SandboxRefundsTable;
  provider_keys: ProviderKeysTable;
  business_events: BusinessEventsTable;
  event_consumers: EventConsumersTable;
  mcn_contracts: McnContractsTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_pending: LedgerPendingTable;
  ledger_transfers: LedgerTransfersTable;
  ledger_postings: LedgerPostingsTable;
  ledger_orders: LedgerOrdersTable;
  ledger_settlement_runs: LedgerSettlementRunsTable;
  ledger_withdrawals: LedgerWithdrawalsTable;
  cooperation_offers: CooperationOffersTable;
  cooperation_applications: CooperationApplicationsTable;
  cooperation_samples: CooperationSamplesTable;
  cooperation_slot_fees: CooperationSlotFeesTable;
  api_keys: ApiKeysTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  org_events: OrgEventsTable;
  live_pins: LivePinsTable;
  // 0018_bases (docs/BASES.md)
  base_profiles: BaseProfilesTable;
  studio_maintenance: StudioMaintenanceTable;
  studio_bookings: StudioBookingsTable;
  studio_booking_lives: StudioBookingLivesTable;
  // 0032_studio_refunds
  studio_booking_refunds: StudioBookingRefundsTable;
  // 0035_studio_price_changes
  studio_booking_price_changes: StudioBookingPriceChangesTable;
  // 0036_base_photos
  base_photos: BasePhotosTable;
  base_tenants: BaseTenantsTable;
  base_events: BaseEventsTable;
  base_programmes: BaseProgrammesTable;
  // 0025_presale (docs/PRESALE.md)
  presales: PresalesTable;
  presale_orders: PresaleOrdersTable;
  presale_buyers: PresaleBuyersTable;
  // 0027_crossborder (docs/CROSSBORDER.md)
  crossborder_products: CrossBorderProductsTable;
  crossborder_identities: CrossBorderIdentitiesTable;
  crossborder_quotas: CrossBorderQuotasTable;
  crossborder_order_quotas: CrossBorderOrderQuotasTable;
  crossborder_declarations: CrossBorderDeclarationsTable;
}

/** commission: the policy owner's read-only reviewer (docs/TALENT.md); refused on every write. */
export type PlatformRole = 'viewer' | 'streamer' | 'operator' | 'commission';
export type OrgKind = 'brand' | 'mcn' | 'base' | 'training';
/** store_staff: a brand's store staff, bound to stores (server/vouchers), who may only redeem vouchers there. */
export type OrgRole = 'owner' | 'admin' | 'staff' | 'streamer' | 'store_staff';
export type ReviewStatus = 'pending' | 'approved' | 'rejected';
export type LiveStatus = 'scheduled' | 'live' | 'ended';
/** 七天无理由退货: standard, excluded by law, or excludable with the buyer's confirmation. */
export type ReturnPolicy = 'standard' | 'excluded' | 'confirm';

export interface UsersTable {
  id: string;
  phone: string | null;
  email: string | null;
  password_hash: string;
  display_name: string;
  platform_role: PlatformRole;
  locale: 'zh-CN' | 'en';
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  user_agent: string | null;
  ip: string | null;
}

export interface OrganisationsTable {
  id: string;
  kind: OrgKind;
  name: string;
  description: string;
  licence_name: string | null;
  licence_no: string | null;
  status: ReviewStatus;
  review_reason: string | null;
  reviewed_at: string | null;
  created_at: string;
}

export interface OrgMembersTable {
  org_id: string;
  user_id: string;
  role: OrgRole;
  created_at: string;
}

export interface StreamerProfilesTable {
  user_id: string;
  real_name: string;
  id_number_enc: string;
  id_number_masked: string;
  id_number_hash: string;
  birth_date: string;
  guardian_name: string | null;
  guardian_phone: string | null;
  guardian_relation: string | null;
  guardian_consent_at: string | null;
  status: ReviewStatus;
  review_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  submitted_at: string;
}

export interface LiveSessionsTable {
  id: string;
  streamer_id: string;
  brand_org_id: string | null;
  title: string;
  cover_url: string | null;
  status: LiveStatus;
  scheduled_at: string;
  started_at: string | null;
  ended_at: string | null;
  created_at: string;
  // Added by 0002_live_video: optional on insert (defaults or null).
  description: Generated<string>;
  stream_key_enc: Generated<string | null>;
  stream_key_hash: Generated<string | null>;
  ended_reason: Generated<EndedReason | null>;
  cut_off_by: Generated<string | null>;
  cut_off_reason: Generated<string | null>;
  ingest_node: Generated<string | null>;
  publishing: Generated<number>;
  heartbeat_at: Generated<string | null>;
  /** JSON of StreamHealth, refreshed by the ingest node while publishing. */
  health: Generated<string | null>;
  reconnects: Generated<number>;
  peak_viewers: Generated<number>;
  replay_status: Generated<ReplayStatus>;
  /** Added by 0029_practice_lives: a practice live (实训) is seen only by its trainee and trainers. */
  mode: Generated<LiveMode>;
}

export type LiveMode = 'public' | 'practice';
export type EndedReason = 'streamer_ended' | 'publisher_lost' | 'cut_off';
export type ReplayStatus = 'none' | 'recording' | 'ready' | 'deleted';

export interface StreamEventsTable {
  id: string;
  session_id: string | null;
  kind: StreamEventKind;
  reason: string | null;
  detail: string;
  created_at: string;
}

export type StreamEventKind = 'publish' | 'unpublish' | 'reconnect' | 'rejected' | 'codec_unsupported' | 'stalled' | 'cut_off' | 'ended';

export interface RecordingsTable {
  session_id: string;
  path: string;
  started_at: string;
  ended_at: string | null;
  duration_ms: number;
  bytes: number;
  retain_until: string;
  deleted_at: string | null;
  deleted_by: string | null;
  delete_reason: string | null;
}

export interface ProductsTable {
  id: string;
  brand_org_id: string;
  title: string;
  description: string;
  category: string;
  images: string;
  return_policy: ReturnPolicy;
  status: 'on_sale' | 'off_sale';
  created_at: string;
  /** The product's kind (0021, server/commerce/kinds.ts): 'goods' is a parcel; the 直播+ verticals add theirs. */
  kind: ProductKind;
}

/** 'goods' is a parcel sent to the buyer; each other kind brings its rules to checkout (server/commerce/kinds.ts). */
export type ProductKind = 'goods' | 'voucher' | 'wholesale' | 'crossborder' | 'presale';
/** 'presale' is an order kind only: the deposit and balance orders of a pre-sale (server/presale), never a product's. */

/** An uploaded product picture (server/pictures); products.images holds its display URL at `position`. */
export interface ProductImagesTable {
  id: string;
  product_id: string;
  position: number;
  width: number;
  height: number;
  bytes: number;
  format: string;
  content_hash: string;
  created_at: string;
}

export interface SkusTable {
  id: string;
  product_id: string;
  spec: string;
  price_fen: number;
  stock: number;
  created_at: string;
}

export interface StudiosTable {
  id: string;
  base_org_id: string;
  name: string;
  area_sqm: number;
  equipment: string;
  scenes: string;
  hourly_rate_fen: number;
  created_at: string;
  // Added by 0018_bases.
  capacity: Generated<number>;
  is_public: Generated<number>;
  /** Added by 0036_base_photos: the studio's ordered photo URLs (JSON), uploads' display URLs among them. */
  photos: Generated<string>;
}

/** 0036_base_photos: a photo of a base (studio_id null) or of one of its studios, uploaded through the pictures pipeline. */
export interface BasePhotosTable {
  id: string;
  base_org_id: string;
  studio_id: string | null;
  position: number;
  width: number;
  height: number;
  bytes: number;
  format: string;
  content_hash: string;
  created_at: string;
  /** 0038_base_photo_captions: at most 40 characters, one line; null when none. */
  caption: string | null;
}

// --- live-streaming bases (0018_bases, docs/BASES.md) ---
export interface BaseProfilesTable {
  org_id: string;
  area_sqm: number;
  theme: string;
  address: string;
  opens_at: string;
  closes_at: string;
  photos: string;
  free_cancel_hours: number;
  cancel_fee_bps: number;
  updated_at: string;
}

export interface StudioMaintenanceTable {
  id: string;
  studio_id: string;
  starts_at: string;
  ends_at: string;
  reason: string;
  created_at: string;
}

export type BookingStatus = 'booked' | 'cancelled';

export interface StudioBookingsTable {
  id: string;
  studio_id: string;
  base_org_id: string;
  booked_by: string;
  booker_org_id: string | null;
  streamer_id: string | null;
  title: string;
  starts_at: string;
  ends_at: string;
  status: BookingStatus;
  price_fen: number;
  cancel_fee_fen: number;
  cancelled_at: string | null;
  created_at: string;
  /** Added by 0030_studio_charges: when the booking's money was posted to the ledger (studio time after its end, or a late-cancellation fee); null until then, and for free cancellations. */
  charged_at: string | null;
  /** Added by 0032_studio_refunds: the sum of its refunds (studio_booking_refunds), at most what was charged. */
  refunded_fen: number;
}

/** 0032_studio_refunds: one refund of a charged booking, posted as `studio-refund:<booking_id>:<seq>` (docs/BASES.md, "Refunds"). */
export interface StudioBookingRefundsTable {
  id: string;
  booking_id: string;
  base_org_id: string;
  seq: number;
  amount_fen: number;
  reason: string;
  /** The ledger account credited: the one the booking's charge was taken from. */
  account_id: string;
  refunded_by: string;
  idempotency_key: string;
  created_at: string;
}

/** 0035_studio_price_changes: a booking's price changed by its base before it was charged (docs/BASES.md, "Price changes"). */
export interface StudioBookingPriceChangesTable {
  id: string;
  booking_id: string;
  base_org_id: string;
  old_price_fen: number;
  new_price_fen: number;
  reason: string;
  changed_by: string;
  created_at: string;
}

export interface StudioBookingLivesTable {
  session_id: string;
  booking_id: string;
  created_at: string;
}

export type TenantKind = 'platform' | 'mcn' | 'service';

export interface BaseTenantsTable {
  id: string;
  base_org_id: string;
  name: string;
  kind: TenantKind;
  org_id: string | null;
  lease_start: string;
  lease_end: string;
  area_sqm: number;
  monthly_rent_fen: number;
  created_at: string;
  /** 0039: a link to an organisation awaits its confirmation ('pending') or was decided; null without one. 0040: or withdrawn after a confirmation. */
  org_status?: TenantOrgStatus | null;
  org_decided_at?: string | null;
  org_decided_by?: string | null;
}

export type TenantOrgStatus = 'pending' | 'confirmed' | 'declined' | 'withdrawn';

export interface BaseEventsTable {
  id: string;
  base_org_id: string;
  title: string;
  held_at: string;
  attendees: number;
  created_at: string;
}

export interface BaseProgrammesTable {
  id: string;
  name: string;
  region: string;
  criteria: string;
  created_at: string;
  /** Added by 0037_base_programme_years: the programme's year; (name, region, year) is unique. */
  year: Generated<number>;
  updated_at: Generated<string | null>;
  /** Set when an operator retires it: no new applications, no longer checked; its applications stay. */
  retired_at: Generated<string | null>;
}

export interface AuditLogTable {
  id: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  detail: string;
  created_at: string;
}

export interface RoomSettingsTable {
  session_id: string;
  announcement: string | null;
  pinned_product_id: string | null;
  slow_mode_seconds: number;
  followers_only: number;
  updated_at: string;
}

export type ChatStatus = 'shown' | 'masked' | 'blocked' | 'deleted';

export interface ChatMessagesTable {
  id: string;
  session_id: string;
  user_id: string;
  text: string;
  /** The text as typed, when the filter masked or blocked it (kept for review). */
  original_text: string | null;
  status: ChatStatus;
  created_at: string;
}

export interface RoomRestrictionsTable {
  id: string;
  streamer_id: string;
  user_id: string;
  kind: 'mute' | 'ban';
  until: string;
  reason: string | null;
  created_by: string;
  created_at: string;
}

export interface ModerationLogTable {
  id: string;
  session_id: string;
  actor_id: string | null;
  action: string;
  target_user_id: string | null;
  target_message_id: string | null;
  detail: string;
  created_at: string;
}

export interface FollowsTable {
  user_id: string;
  streamer_id: string;
  created_at: string;
}

export interface SensitiveWordsTable {
  word: string;
  category: string;
  severity: 'high' | 'medium' | 'low';
  created_at: string;
}

export interface CouponDropsTable {
  id: string;
  session_id: string;
  title: string;
  amount_off_fen: number;
  total: number;
  claimed: number;
  starts_at: string;
  ends_at: string;
  created_by: string;
  coupon_id: Generated<string | null>;
}

export interface CouponClaimsTable {
  drop_id: string;
  user_id: string;
  claimed_at: string;
}

export interface LuckyBagsTable {
  id: string;
  session_id: string;
  prize: string;
  winners: number;
  condition_kind: 'keyword' | 'follow';
  keyword: string | null;
  draw_at: string;
  seed_enc: string;
  commitment: string;
  status: 'open' | 'drawn';
  revealed_seed: string | null;
  winner_ids: string | null;
  entrant_count: number | null;
  created_by: string;
  created_at: string;
  drawn_at: string | null;
}

export interface LuckyBagEntriesTable {
  bag_id: string;
  user_id: string;
  entered_at: string;
}

export interface RoomAssistantsTable {
  streamer_id: string;
  user_id: string;
  created_at: string;
  /** JSON array of the assistant's rights (0012_cockpit, server/cockpit/rights.ts). */
  rights: Generated<string>;
}

// --- the streamer's cockpit (0012_cockpit) ---
export type CockpitPresetKind = 'flash_sale' | 'coupon' | 'lucky_bag';

export interface CockpitPresetsTable {
  id: string;
  streamer_id: string;
  kind: CockpitPresetKind;
  name: string;
  /** JSON: the launch endpoint's body for the kind (server/cockpit/schema.ts). */
  payload: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  launched_at: string | null;
  launch_count: number;
}

// --- shopping (0004_commerce) ---

export interface SessionProductsTable {
  session_id: string;
  product_id: string;
  link: number;
  /** JSON { [skuId]: fen } */
  live_prices: string;
  added_at: string;
  /** 0006_ledger: the streamer's commission on the product, basis points 0–9000. */
  commission_bps: Generated<number>;
}

export interface AddressesTable {
  id: string;
  user_id: string;
  name: string;
  phone: string;
  region: string;
  detail: string;
  is_default: number;
  created_at: string;
}

export interface ShippingRulesTable {
  brand_org_id: string;
  base_fee_fen: number;
  free_over_fen: number | null;
  updated_at: string;
}

export type CouponKind = 'amount' | 'threshold' | 'percent';

export interface CouponsTable {
  id: string;
  /** null for a campaign's shared coupon (0024), which has campaign_id instead. */
  brand_org_id: string | null;
  session_id: string | null;
  drop_id: string | null;
  title: string;
  kind: CouponKind;
  amount_off_fen: number | null;
  threshold_fen: number | null;
  percent_off: number | null;
  cap_fen: number | null;
  scope: 'brand' | 'products';
  product_ids: string;
  starts_at: string;
  ends_at: string;
  per_user_limit: number;
  total: number;
  issued: number;
  created_at: string;
  /** 0024_campaigns: a shared coupon of this campaign, usable on any of its brands, paid by the platform. */
  campaign_id?: string | null;
}

export type UserCouponStatus = 'unused' | 'locked' | 'used';

export interface UserCouponsTable {
  id: string;
  coupon_id: string;
  user_id: string;
  status: UserCouponStatus;
  order_id: string | null;
  claimed_at: string;
  used_at: string | null;
}

export interface FlashSalesTable {
  id: string;
  session_id: string;
  product_id: string;
  sku_id: string;
  price_fen: number;
  stock: number;
  remaining: number;
  per_user_limit: number;
  starts_at: string;
  ends_at: string;
  settled: number;
  created_by: string;
  created_at: string;
}

export interface FlashPurchasesTable {
  sale_id: string;
  user_id: string;
  quantity: number;
}

export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'completed' | 'cancelled';

export interface OrdersTable {
  id: string;
  buyer_id: string;
  brand_org_id: string;
  session_id: string | null;
  flash_sale_id: string | null;
  status: OrderStatus;
  items_total_fen: number;
  discount_fen: number;
  shipping_fen: number;
  total_fen: number;
  refunded_fen: number;
  user_coupon_id: string | null;
  coupon_title: string | null;
  /** JSON snapshot { name, phone, region, detail } */
  address: string | null;
  confirmed_no_return: number;
  idempotency_key: string | null;
  request_hash: string | null;
  pay_deadline: string;
  paid_at: string | null;
  shipped_at: string | null;
  carrier: string | null;
  tracking_no: string | null;
  delivered_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  created_at: string;
  updated_at: string;
  /** The kind of every product in the order (0021). */
  kind: ProductKind;
  /** Tax added to the total (cross-border retail import), in fen; 0 otherwise. */
  tax_fen: number;
  /** JSON: the kind's own facts about the order (server/commerce/kinds.ts), or null. */
  kind_data: string | null;
  /** 0024_campaigns: the part of discount_fen the platform pays (a campaign coupon's); 0 (the default) otherwise. */
  subsidy_fen?: number;
}

export interface OrderItemsTable {
  id: string;
  order_id: string;
  product_id: string;
  sku_id: string;
  title: string;
  spec: string;
  image: string | null;
  unit_price_fen: number;
  quantity: number;
  paid_fen: number;
  refunded_fen: number;
  return_policy: ReturnPolicy;
}

export interface PaymentsTable {
  id: string;
  order_id: string;
  provider: string;
  amount_fen: number;
  status: 'pending' | 'succeeded' | 'closed';
  provider_trade_no: string | null;
  pay_url: string;
  created_at: string;
  paid_at: string | null;
}

export interface PaymentNotificationsTable {
  notify_id: string;
  provider: string;
  event: string;
  out_trade_no: string;
  received_at: string;
}

export type AfterSaleKind = 'refund_only' | 'return_refund';
export type AfterSaleStatus = 'requested' | 'awaiting_return' | 'returned' | 'refunding' | 'refunded' | 'rejected';

export type AfterSaleCause = 'no_reason' | 'quality';

export interface AfterSalesTable {
  id: string;
  order_id: string;
  item_id: string | null;
  brand_org_id: string;
  buyer_id: string;
  kind: AfterSaleKind;
  amount_fen: number;
  reason: string;
  status: AfterSaleStatus;
  decision_reason: string | null;
  return_carrier: string | null;
  return_tracking_no: string | null;
  out_refund_no: string | null;
  created_at: string;
  updated_at: string;
  /** Set when the after-sale returns a whole payment the order could not take (cancelled, or paid by another trade): 0041. */
  payment_id?: string | null;
  /** Why a return is asked for: 七天无理由, or a quality problem (any item; the brand judges it). 0043; default no_reason. */
  cause?: AfterSaleCause;
}

export interface SandboxTradesTable {
  trade_no: string;
  out_trade_no: string;
  merchant_id: string;
  app_id: string;
  subject: string;
  amount_fen: number;
  status: 'open' | 'paid' | 'closed';
  notify_url: string;
  return_url: string;
  created_at: string;
  paid_at: string | null;
}

export interface SandboxNotificationsTable {
  notify_id: string;
  trade_no: string;
  notify_url: string;
  body: string;
  attempts: number;
  next_attempt_at: string;
  acked_at: string | null;
  last_error: string | null;
}

export interface SandboxRefundsTable {
  out_refund_no: string;
  trade_no: string;
  amount_fen: number;
  status: 'processing' | 'succeeded';
  created_at: string;
}

export interface ProviderKeysTable {
  provider: string;
  public_pem: string;
  private_pem_enc: string;
  created_at: string;
}

/** The outbox: one row per business fact, written in the transaction that made it true. */
export interface BusinessEventsTable {
  seq: Generated<number>;
  id: string;
  type: string;
  subject_id: string;
  /** JSON */
  payload: string;
  occurred_at: string;
}

export interface EventConsumersTable {
  name: string;
  position: number;
  updated_at: string;
  last_error: string | null;
}

// --- the ledger (0006_ledger, docs/LEDGER.md) ---

/** offered → accepted | declined (by the streamer) | cancelled (by the MCN); accepted → terminated. See docs/MCN.md. */
export type McnContractStatus = 'offered' | 'accepted' | 'declined' | 'cancelled' | 'terminated';

export interface McnContractsTable {
  id: string;
  mcn_org_id: string;
  streamer_id: string;
  /** The MCN's share of the streamer's commission, basis points 0–10000. */
  split_bps: number;
  exclusive: number;
  starts_at: string;
  ends_at: string | null;
  status: McnContractStatus;
  created_at: string;
  accepted_at: string | null;
  // Added by 0008_mcn: optional on insert (defaults or null).
  /** JSON McnRight[]: what the streamer lets the MCN do for them (server/mcn/rights.ts). */
  rights: Generated<string>;
  offered_by: Generated<string | null>;
  /** The contract this one renews (it starts where that one ends). */
  renewed_from: Generated<string | null>;
  declined_at: Generated<string | null>;
  decline_reason: Generated<string | null>;
  cancelled_at: Generated<string | null>;
  /** When a terminated contract stops being in force (its split ends there). */
  terminated_at: Generated<string | null>;
  terminated_by: Generated<'mcn' | 'streamer' | null>;
  termination_reason: Generated<string | null>;
  updated_at: Generated<string | null>;
}

export type LedgerAccountKind = 'buyers' | 'clearing' | 'brand' | 'streamer' | 'mcn' | 'platform_fees' | 'payouts_pending' | 'payouts' | 'platform_subsidies' | 'platform_tax' | 'producer' | 'base';

/** A party's orders still in clearing: what they will bring it, and how many (0033; kept by server/ledger/orders.ts). */
export interface LedgerPendingTable {
  account_id: string;
  pending_fen: number;
  orders: number;
}

export interface LedgerAccountsTable {
  /** The account's code: buyers, clearing, brand:<orgId>, streamer:<userId>, mcn:<orgId>, platform:fees, payouts:pending, payouts. */
  id: string;
  kind: LedgerAccountKind;
  owner_id: string | null;
  balance_fen: number;
  created_at: string;
}

export interface LedgerTransfersTable {
  id: string;
  /** Idempotency key: paid:<orderId>, refund:<afterSaleId>, settle:<orderId>, withdraw:<id>:hold … */
  key: string;
  kind: string;
  order_id: string | null;
  event_id: string | null;
  created_at: string;
  memo: string;
}

export interface LedgerPostingsTable {
  transfer_id: string;
  account_id: string;
  /** Signed fen; a transfer's postings sum to 0. */
  amount_fen: number;
}

export type LedgerOrderStatus = 'pending' | 'settled';

export interface LedgerOrdersTable {
  order_id: string;
  brand_org_id: string;
  streamer_id: string | null;
  mcn_org_id: string | null;
  mcn_split_bps: number;
  platform_fee_bps: number;
  /** JSON LedgerLine[] */
  lines: string;
  paid_fen: number;
  refunded_fen: number;
  order_refunded_fen: number;
  shipping_fen: number;
  status: LedgerOrderStatus;
  paid_at: string;
  completed_at: string | null;
  settle_after: string | null;
  settled_at: string | null;
  /** JSON { brand, streamer, mcn, fee } */
  settled_shares: string | null;
  clawed_back_fen: number;
  /** 0013_cooperation_rules: while pending, what settlement would pay each party now (fen); 0 once settled. */
  pending_brand_fen: number;
  pending_streamer_fen: number;
  pending_mcn_fen: number;
  /** 0024_campaigns: the platform's subsidy put into clearing at payment, and what refunds have given back of it. */
  /** The cross-border tax the buyer paid with the order, held for customs at settlement (0042). */
  tax_fen?: number;
  subsidy_fen?: number;
  subsidy_returned_fen?: number;
}

export interface LedgerSettlementRunsTable {
  id: string;
  trigger: 'sweep' | 'operator';
  started_by: string | null;
  started_at: string;
  finished_at: string | null;
  orders: number;
  transfers: number;
  total_fen: number;
  error: string | null;
}

export type WithdrawalStatus = 'requested' | 'approved' | 'paid' | 'rejected';

export interface LedgerWithdrawalsTable {
  id: string;
  account_id: string;
  amount_fen: number;
  status: WithdrawalStatus;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  payout_no: string | null;
  paid_at: string | null;
}

// --- cooperation (0007_cooperation, docs/COOPERATION.md) ---

export type OfferStatus = 'active' | 'paused';

export interface CooperationOffersTable {
  id: string;
  brand_org_id: string;
  product_id: string;
  /** The commission offered, basis points 0–9000. */
  commission_bps: number;
  /** The lowest live price a 小黄车 may set (fen), or null. */
  price_floor_fen: number | null;
  samples_available: number;
  sample_deposit_fen: number;
  sample_max_per_streamer: number;
  min_followers: number;
  /** JSON string[] */
  categories: string;
  note: string;
  status: OfferStatus;
  created_at: string;
  updated_at: string;
}

export type ApplicationStatus = 'pending' | 'approved' | 'rejected' | 'revoked';

export interface CooperationApplicationsTable {
  id: string;
  offer_id: string;
  brand_org_id: string;
  product_id: string;
  streamer_id: string;
  applied_by: string;
  via_mcn_org_id: string | null;
  message: string;
  /** The streamer's followers when they applied. */
  followers: number;
  status: ApplicationStatus;
  /** The agreed rate (basis points), fixed by the approval. */
  commission_bps: number | null;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  created_at: string;
  /** 0013_cooperation_rules: when and by whom the brand revoked the approval (the reason is `reason`). */
  revoked_at: string | null;
  revoked_by: string | null;
}

export type SampleStatus = 'requested' | 'approved' | 'rejected' | 'shipped' | 'received' | 'returning' | 'returned' | 'kept';
export type DepositStatus = 'none' | 'held' | 'refunded' | 'kept';

export interface CooperationSamplesTable {
  id: string;
  offer_id: string;
  brand_org_id: string;
  product_id: string;
  streamer_id: string;
  requested_by: string;
  via_mcn_org_id: string | null;
  message: string;
  /** JSON { name, phone, region, detail } */
  address: string;
  status: SampleStatus;
  deposit_fen: number;
  deposit_status: DepositStatus;
  carrier: string | null;
  tracking_no: string | null;
  return_carrier: string | null;
  return_tracking_no: string | null;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export type SlotFeeStatus = 'proposed' | 'accepted' | 'rejected' | 'settled';

export interface CooperationSlotFeesTable {
  id: string;
  brand_org_id: string;
  streamer_id: string;
  session_id: string;
  product_id: string;
  fee_fen: number;
  gmv_target_fen: number;
  /** Refunded share of the fee when the GMV falls short, basis points 0–10000. */
  refund_bps: number;
  proposed_by: 'brand' | 'streamer';
  proposed_by_user: string;
  status: SlotFeeStatus;
  mcn_org_id: string | null;
  mcn_split_bps: number;
  gmv_fen: number | null;
  refund_fen: number | null;
  reason: string | null;
  created_at: string;
  decided_at: string | null;
  settled_at: string | null;
}

// 0014_webhooks: the open platform (docs/WEBHOOKS.md)
export interface ApiKeysTable {
  id: string;
  org_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  /** JSON array of scopes */
  scopes: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

export interface WebhookEndpointsTable {
  id: string;
  org_id: string;
  url: string;
  description: string;
  /** JSON array of event types */
  event_types: string;
  secret_enc: string;
  enabled: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  org_id: string;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface OrgEventsTable {
  org_id: string;
  seq: number;
  event_id: string;
  type: string;
}

// --- live numbers (0017_analytics, docs/ANALYTICS.md) ---

/** The room's counts per minute of a live, sampled every few seconds (server/analytics/sampler.ts). */
export interface LiveMinutesTable {
  session_id: string;
  /** UTC 'YYYY-MM-DDTHH:MM'. */
  minute: string;
  online_max: number;
  online_sum: number;
  samples: number;
  /** Cumulative at the minute's last sample. */
  uv: number;
  likes: number;
  comments: number;
}

/** Who opened which product's card in a live's 小黄车, and how often. */
export interface LiveProductClicksTable {
  session_id: string;
  product_id: string;
  visitor_id: string;
  clicks: number;
  first_at: string;
}

/** One pin of a product in a live (migration 0016): open (unpinned_at null) until the next pin, the unpin or the end. */
export interface LivePinsTable {
  id: string;
  session_id: string;
  product_id: string;
  pinned_at: string;
  unpinned_at: string | null;
  pinned_by: string;
}

// --- 0027_crossborder: 直播+跨境电商 (docs/CROSSBORDER.md) ---

/** A cross-border product's origin, mode and tax class (rates in basis points). */
export interface CrossBorderProductsTable {
  product_id: string;
  brand_org_id: string;
  origin_country: string;
  mode: 'bonded' | 'direct';
  vat_rate_bp: number;
  consumption_tax_rate_bp: number;
  tariff_rate_bp: number;
  indivisible: number;
  hs_code: string;
  updated_at: string;
}

/** A buyer's verified real-name identity (实名认证); the ID number encrypted, its keyed hash names the person. */
export interface CrossBorderIdentitiesTable {
  user_id: string;
  real_name: string;
  id_number_enc: string;
  id_number_hash: string;
  id_number_masked: string;
  birth_date: string;
  verified_at: string;
}

/** A person's cross-border total (dutiable value, fen) in a calendar year (China time). */
export interface CrossBorderQuotasTable {
  person: string;
  year: number;
  used_fen: number;
}

/** What one order took from its buyer's annual quota; released_at once given back. */
export interface CrossBorderOrderQuotasTable {
  order_id: string;
  person: string;
  year: number;
  fen: number;
  released_at: string | null;
}

/** The GUIDs of a paid order's customs messages (CEB311, CEB411, CEB511). */
export interface CrossBorderDeclarationsTable {
  order_id: string;
  brand_org_id: string;
  order_guid: string;
  payment_guid: string;
  waybill_guid: string;
  created_at: string;
}

/** 定金预售 (0025, docs/PRESALE.md). Money in fen; times ISO text. */
export type PresaleStatus = 'open' | 'settled' | 'cancelled';
export interface PresalesTable {
  id: string;
  brand_org_id: string;
  session_id: string | null;
  product_id: string;
  sku_id: string;
  title: string;
  deposit_fen: number;
  /** 定金膨胀: what the deposit counts for off the final price (≥ deposit, < final price). */
  expansion_fen: number;
  final_price_fen: number;
  deposit_starts_at: string;
  deposit_ends_at: string;
  balance_starts_at: string;
  balance_ends_at: string;
  stock: number;
  remaining: number;
  per_buyer_limit: number;
  ship_within_days: number;
  rules: string;
  status: PresaleStatus;
  created_by: string;
  created_at: string;
}
export type PresaleOrderStatus = 'deposit_pending' | 'deposit_paid' | 'balance_paid' | 'completed' | 'cancelled' | 'closed_unpaid' | 'seller_failed';
export interface PresaleOrdersTable {
  id: string;
  presale_id: string;
  buyer_id: string;
  quantity: number;
  deposit_order_id: string;
  balance_order_id: string | null;
  status: PresaleOrderStatus;
  rules_accepted_at: string;
  balance_starts_at: string;
  balance_ends_at: string;
  /** The shipping promise, set when the balance is paid: paid_at + ship_within_days. */
  ship_by: string | null;
  reminded_open_at: string | null;
  reminded_close_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}
export interface PresaleBuyersTable {
  presale_id: string;
  user_id: string;
  quantity: number;
}

/** Live auctions (0022, server/auctions, docs/AUCTIONS.md). */
export type AuctionStatus = 'open' | 'awaiting_payment' | 'sold' | 'unsold';

export interface AuctionsTable {
  id: string;
  session_id: string;
  brand_org_id: string;
  product_id: string;
  sku_id: string;
  title: string;
  image: string | null;
  starting_price_fen: number;
  /** JSON [{belowFen: number | null, stepFen}] */
  increments: string;
  starts_at: string;
  planned_close_at: string;
  closes_at: string;
  extend_seconds: number;
  max_extension_seconds: number;
  sudden_death: number;
  pay_seconds: number;
  status: AuctionStatus;
  price_fen: number | null;
  leader_id: string | null;
  leader_max_fen: number | null;
  bid_count: number;
  version: number;
  winner_id: string | null;
  order_id: string | null;
  hammer_fen: number | null;
  created_by: string;
  created_at: string;
  closed_at: string | null;
}

export interface AuctionBidsTable {
  id: string;
  auction_id: string;
  seq: number;
  user_id: string;
  kind: 'bid' | 'proxy';
  amount_fen: number;
  price_after_fen: number;
  leader_after: string;
  client_key: string;
  created_at: string;
}

export interface AuctionOffersTable {
  order_id: string;
  auction_id: string;
  user_id: string;
  price_fen: number;
  rank: number;
  status: 'pending' | 'paid' | 'lapsed';
  created_at: string;
}

// --- 0024_campaigns: festival campaigns (docs/CAMPAIGNS.md) ---

export interface CampaignsTable {
  id: string;
  name: string;
  theme: string;
  banner_url: string | null;
  cover_url: string | null;
  /** The warm-up (预热) begins: the landing page is listed and coupons may be claimed; null: at starts_at. */
  warmup_at: string | null;
  starts_at: string;
  ends_at: string;
  created_by: string;
  created_at: string;
}

export type CampaignBrandStatus = 'applied' | 'approved' | 'rejected';

export interface CampaignBrandsTable {
  campaign_id: string;
  brand_org_id: string;
  status: CampaignBrandStatus;
  note: string | null;
  applied_by: string | null;
  decided_by: string | null;
  created_at: string;
  decided_at: string | null;
}

export interface CampaignSessionsTable {
  campaign_id: string;
  session_id: string;
  added_at: string;
}
