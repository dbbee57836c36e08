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
  sensitive_words: SensitiveWordsTable;
  coupon_drops: CouponDropsTable;
  coupon_claims: CouponClaimsTable;
  lucky_bags: LuckyBagsTable;
  lucky_bag_entries: LuckyBagEntriesTable;
}

export type PlatformRole = 'viewer' | 'streamer' | 'operator';
export type OrgKind = 'brand' | 'mcn' | 'base' | 'training';
export type OrgRole = 'owner' | 'admin' | 'staff' | 'streamer';
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
}

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
}
