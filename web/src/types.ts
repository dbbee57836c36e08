// Shapes from docs/API.md. Where the contract does not spell a shape out
// (products, signed streamers, studios, audit log) the types are deliberately
// loose and the UI reads them defensively.

export type Locale = 'zh-CN' | 'en';
export type PlatformRole = 'viewer' | 'streamer' | 'operator';
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

export type OrgRole = 'owner' | 'admin' | 'staff' | 'streamer';

export type OrgMember = { user: Partial<User> & { id: string; displayName: string }; role: string; since?: string };

export type SessionResponse = { user: User | null; csrfToken: string };

export type Decision = 'approve' | 'reject';
