/** The shapes of the talent catalogue's API (server/talent, docs/TALENT.md). */
export type Criterion = 'verified' | 'certificate' | 'gmv' | 'violations';
export type Criteria = { minLevels: Record<string, number>; minGmvFen: number; windowDays: number; maxViolations: number };
export type Certificate = { number: string; job: string; jobName: { 'zh-CN': string; en: string }; level: number; orgName: string; issuedAt: string; verifyPath: string; meets: boolean };
export type Eligibility = {
  streamer: { id: string; displayName: string; verification: string };
  eligible: boolean;
  checkedAt: string;
  criteria: Criteria;
  checks: { criterion: Criterion; met: boolean; value: number | string; required: number | string }[];
  certificates: Certificate[];
  gmv: { netFen: number; paidFen: number; refundedFen: number; orders: number; lives: { id: string; title: string; netFen: number }[] };
  violations: { sessionId: string; title: string; endedAt: string; reason: string | null }[];
};
export type Candidate = Eligibility & { nomination: { id: string; status: string; orgId: string } | null };
export type Nomination = {
  id: string;
  streamer: { id: string; displayName: string };
  org: { id: string; name: string; kind: string };
  note: string;
  status: 'pending' | 'approved' | 'rejected';
  evidence: Eligibility;
  createdAt: string;
  reviewedAt: string | null;
  reviewReason: string | null;
};
export type Application = {
  id: string;
  base: { id: string; name: string };
  /** The programme as it is now: an operator may have renamed it or retired it (`retiredAt`) since. */
  programme: { id: string; name: string; region: string; year: number; retiredAt: string | null };
  month: string;
  note: string;
  status: 'pending' | 'approved' | 'rejected';
  met: boolean;
  evidence: { month: string; criteria: ApplicationCriterion[] };
  createdAt: string;
  reviewedAt: string | null;
  reviewReason: string | null;
};
export type ApplicationCriterion = { metric: string; min: number; value: number; met: boolean };
