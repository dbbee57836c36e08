// Shapes from docs/API.md. Where the contract does not spell a shape out
// (products, signed streamers, studios, audit log) the types are deliberately
// loose and the UI reads them defensively.

export type Locale = 'zh-CN' | 'en';
export type PlatformRole = 'viewer' | 'streamer' | 'operator' | 'commission';
export type ReviewStatus = 'pending' | 'approved' | 'rejected';
export type StreamerStatus = 'none' | ReviewStatus;
export type OrgKind = 'brand' | 'mcn' | 'base' | 'training';

export type User = {
  id: string;
  displayName: string;
  phone: string | null;
  email: string | null;
  platformRole: PlatformRole;
  locale: Locale;
  streamerStatus: StreamerStatus;
};

export type Org = {
  id: string;
  kind: OrgKind;
  name: string;
  description: string;
  licenceName: string | null;
  licenceNo: string | null;
  status: ReviewStatus;
  reviewReason?: string | null;
  createdAt: string;
};

export type Membership = { org: Org; role: string };

export type LiveSessionStatus = 'scheduled' | 'live' | 'ended';

export type LiveSessionSummary = {
  id: string;
  title: string;
  status: LiveSessionStatus;
  scheduledAt: string;
  startedAt: string | null;
  coverUrl: string | null;
  streamer: { id: string; displayName: string };
  brand: { id: string; name: string } | null;
};

export type Guardian = { name: string; phone: string; relation: string; consentAt: string };

export type StreamerProfile = {
  userId: string;
  realName: string;
  idNumberMasked: string;
  idNumber?: string;
  birthDate: string;
  age: number;
  guardian: Guardian | null;
  status: ReviewStatus;
  reviewReason: string | null;
  reviewedAt: string | null;
  submittedAt: string;
};

/** Admin listing: a profile, possibly with the applicant's account attached. */
export type AdminStreamerProfile = StreamerProfile & {
  user?: Partial<User> & { id: string; displayName: string };
  displayName?: string;
};

export type OrgRole = 'owner' | 'admin' | 'staff' | 'streamer' | 'store_staff';

export type OrgMember = { user: Partial<User> & { id: string; displayName: string }; role: string; since?: string };

export type SessionResponse = { user: User | null; csrfToken: string };

export type Decision = 'approve' | 'reject';

// ---------- live video (docs/API.md "Live video") ----------

export type ReplayStatus = 'none' | 'recording' | 'ready' | 'deleted';

export type LiveSession = LiveSessionSummary & {
  description: string;
  endedAt: string | null;
  replay: ReplayStatus;
  publishing: boolean;
  peakViewers: number;
};

export type Playback = {
  flv: string | null;
  hls: string | null;
  renditions: { name: string; flv: string }[];
  replay: string | null;
};

/** `GET /api/live-sessions/:id` */
export type PublicSessionDetail = { session: LiveSession; playback: Playback; viewers: number };

export type StreamHealth = {
  bitrateKbps: number;
  videoKbps: number;
  audioKbps: number;
  fps: number;
  keyframeIntervalS: number | null;
  width: number | null;
  height: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  reconnects: number;
  viewers: number;
  publishingSince: string | null;
  lastPacketAt: string | null;
};

export type StreamEventKind = 'publish' | 'unpublish' | 'reconnect' | 'rejected' | 'codec_unsupported' | 'stalled' | 'cut_off' | 'ended';

export type StreamEvent = { kind: StreamEventKind; reason: string | null; detail: Record<string, unknown>; at: string };

export type SessionHealth = { publishing: boolean; reconnects: number; peakViewers: number; viewers: number; stream: StreamHealth | null };

export type StreamerSessionDetail = {
  session: LiveSession;
  push: { server: string; streamKey: string; url: string } | null;
  playback: Playback;
  health: SessionHealth;
  events: StreamEvent[];
};

export type AdminLiveStream = LiveSession & { ingestNode: string | null; reconnects: number; viewers: number; health: StreamHealth | null };

export type PublishRejection = { sessionId: string | null; reason: string | null; detail: { ip?: string; path?: string } & Record<string, unknown>; at: string };

export type AdminLiveStreams = { streams: AdminLiveStream[]; rejections: PublishRejection[] };
