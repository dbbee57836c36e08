import type { AuditLog } from '../compliance/audit.ts';
import type { BasesDomain } from '../bases/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { OrgKind } from '../platform/db-types.ts';
import { AppError, type FieldProblem, type Locale } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { checkEligibility, failingCriteria, toCriteria, type Eligibility } from './eligibility.ts';
import type { ApplicationRow, NominationRow, NominationStatus, TalentStore } from './store.ts';
import type { CriteriaBody } from './schema.ts';

export type TalentDeps = { store: TalentStore; audit: AuditLog; clock: Clock; reports: BasesDomain['reports'] };

type NominationListRow = NominationRow & { streamer_name: string; org_name: string };
type ApplicationListRow = ApplicationRow & { base_name: string; programme_name: string; programme_region: string; programme_year: number; programme_retired_at: string | null };

export function toNominationView(r: NominationListRow) {
  return {
    id: r.id,
    streamer: { id: r.streamer_id, displayName: r.streamer_name },
    org: { id: r.org_id, name: r.org_name, kind: r.org_kind },
    note: r.note,
    status: r.status,
    evidence: JSON.parse(r.evidence) as Eligibility,
    createdAt: r.created_at,
    reviewedAt: r.reviewed_at,
    reviewReason: r.review_reason,
  };
}
export type NominationView = ReturnType<typeof toNominationView>;

export function toApplicationView(r: ApplicationListRow) {
  return {
    id: r.id,
    base: { id: r.base_org_id, name: r.base_name },
    programme: { id: r.programme_id, name: r.programme_name, region: r.programme_region, year: r.programme_year, retiredAt: r.programme_retired_at },
    month: r.month,
    note: r.note,
    status: r.status,
    met: r.met === 1,
    evidence: JSON.parse(r.evidence) as ApplicationEvidence,
    createdAt: r.created_at,
    reviewedAt: r.reviewed_at,
    reviewReason: r.review_reason,
  };
}
export type ApplicationView = ReturnType<typeof toApplicationView>;
type ApplicationEvidence = { month: string; criteria: { metric: string; min: number; value: number; met: boolean }[]; summary: Record<string, unknown> };

/** The talent catalogue (nominations, operator review, the approved list) and bases' programme applications. */
export function createTalentService(deps: TalentDeps) {
  const { store, audit, clock } = deps;
  const criteria = async () => toCriteria(await store.criteria());
  const eligibility = async (streamerId: string) => {
    const result = await checkEligibility(store, streamerId, await criteria(), clock.now());
    if (!result) throw new AppError('USER_NOT_FOUND');
    return result;
  };

  /** The streamers an organisation may nominate: a centre's certified trainees, an MCN's signed streamers. */
  async function candidateIds(orgId: string, kind: OrgKind): Promise<string[]> {
    if (kind === 'training') {
      const rows = await store.db
        .selectFrom('training_certificates')
        .innerJoin('training_enrollments', 'training_enrollments.id', 'training_certificates.enrollment_id')
        .select('training_enrollments.user_id')
        .distinct()
        .where('training_enrollments.org_id', '=', orgId)
        .execute();
      return rows.map((r) => r.user_id);
    }
    if (kind === 'mcn') {
      const rows = await store.db.selectFrom('org_members').select('user_id').where('org_id', '=', orgId).where('role', '=', 'streamer').orderBy('created_at').execute();
      return rows.map((r) => r.user_id);
    }
    throw new AppError('ORG_WRONG_KIND');
  }

  const nominationView = async (id: string) => {
    const [row] = await store.nominations({ id });
    return toNominationView(row!);
  };

  return {
    criteria,
    eligibility,

    async saveCriteria(input: CriteriaBody, actorId: string) {
      const row = { min_levels: JSON.stringify(input.minLevels), min_gmv_fen: input.minGmvFen, window_days: input.windowDays, max_violations: input.maxViolations, updated_at: clock.now().toISOString(), updated_by: actorId };
      await store.saveCriteria(row);
      await audit.record({ actorId, action: 'talent.criteria', targetType: 'talent_criteria', targetId: 'current', detail: input });
      return criteria();
    },

    /** The organisation's candidates, each with the eligibility check and any open nomination. */
    async candidates(orgId: string, kind: OrgKind) {
      const ids = await candidateIds(orgId, kind);
      const out = [];
      for (const id of ids) {
        const check = await eligibility(id);
        const open = await store.openNominationOf(id);
        out.push({ ...check, nomination: open ? { id: open.id, status: open.status, orgId: open.org_id } : null });
      }
      return out;
    },

    /** Nominates a streamer; refused (nothing stored) when not the organisation's, not eligible, or already nominated. */
    async nominate(orgId: string, kind: OrgKind, streamerId: string, note: string, actorId: string, locale: Locale) {
      if (kind !== 'training' && kind !== 'mcn') throw new AppError('ORG_WRONG_KIND');
      if (!(await candidateIds(orgId, kind)).includes(streamerId)) throw new AppError('TALENT_NOT_YOURS');
      const check = await eligibility(streamerId);
      if (!check.eligible) throw new AppError('TALENT_NOT_ELIGIBLE', {}, failingCriteria(check, locale));
      if (await store.openNominationOf(streamerId)) throw new AppError('TALENT_ALREADY_NOMINATED');
      const row: NominationRow = { id: newId(), streamer_id: streamerId, org_id: orgId, org_kind: kind, nominated_by: actorId, note, status: 'pending', evidence: JSON.stringify(check), created_at: clock.now().toISOString(), reviewed_by: null, reviewed_at: null, review_reason: null };
      try {
        await store.insertNomination(row);
      } catch (error) {
        // The unique index on open nominations: another nomination of this streamer landed first.
        if (await store.openNominationOf(streamerId)) throw new AppError('TALENT_ALREADY_NOMINATED');
        throw error;
      }
      await audit.record({ actorId, action: 'talent.nominate', targetType: 'talent_nomination', targetId: row.id, detail: { streamerId, orgId } });
      return nominationView(row.id);
    },

    /** An operator approves (the criteria are checked again, and the evidence refreshed) or rejects. */
    async review(id: string, decision: 'approve' | 'reject', reason: string | undefined, actorId: string, locale: Locale) {
      const row = await store.nomination(id);
      if (!row) throw new AppError('TALENT_NOMINATION_NOT_FOUND');
      if (row.status !== 'pending') throw new AppError('REVIEW_ALREADY_DECIDED');
      const at = clock.now().toISOString();
      let evidence: string | undefined;
      if (decision === 'approve') {
        const check = await eligibility(row.streamer_id);
        if (!check.eligible) throw new AppError('TALENT_NOT_ELIGIBLE', {}, failingCriteria(check, locale));
        evidence = JSON.stringify(check);
      }
      const decided = await store.decideNomination(id, { status: decision === 'approve' ? 'approved' : 'rejected', reviewed_by: actorId, reviewed_at: at, review_reason: reason ?? null, ...(evidence && { evidence }) });
      if (!decided) throw new AppError('REVIEW_ALREADY_DECIDED');
      await audit.record({ actorId, action: `talent.${decision}`, targetType: 'talent_nomination', targetId: id, detail: { reason: reason ?? null } });
      return nominationView(id);
    },

    async nominations(filter: { status?: NominationStatus; orgId?: string }) {
      return (await store.nominations(filter)).map(toNominationView);
    },

    /** The catalogue: approved nominations, with the evidence checked at approval. */
    async catalogue() {
      return (await store.nominations({ status: 'approved' })).map(toNominationView);
    },

    /** A base applies for a programme with the month's programme check as its evidence (met or not). */
    async apply(baseOrgId: string, input: { programmeId: string; month?: string; note: string }, actorId: string) {
      const check = await deps.reports.programmeCheck(baseOrgId, input.month);
      const programme = check.programmes.find((p) => p.id === input.programmeId);
      if (!programme) throw new AppError((await deps.reports.programmeRetired(input.programmeId)) ? 'BASE_PROGRAMME_RETIRED' : 'BASE_PROGRAMME_NOT_FOUND');
      if (await store.openApplication(baseOrgId, input.programmeId)) throw new AppError('BASE_APPLICATION_EXISTS');
      const evidence: ApplicationEvidence = { month: check.month, criteria: programme.criteria, summary: check.summary };
      const row: ApplicationRow = { id: newId(), base_org_id: baseOrgId, programme_id: programme.id, month: check.month, applied_by: actorId, note: input.note, status: 'pending', met: programme.met ? 1 : 0, evidence: JSON.stringify(evidence), created_at: clock.now().toISOString(), reviewed_by: null, reviewed_at: null, review_reason: null };
      try {
        await store.insertApplication(row);
      } catch (error) {
        if (await store.openApplication(baseOrgId, input.programmeId)) throw new AppError('BASE_APPLICATION_EXISTS');
        throw error;
      }
      await audit.record({ actorId, action: 'base.apply', targetType: 'base_application', targetId: row.id, detail: { programmeId: programme.id, month: check.month, met: programme.met } });
      return toApplicationView((await store.applications({ id: row.id }))[0]!);
    },

    /** An operator decides; approval needs every criterion met in the evidence. */
    async reviewApplication(id: string, decision: 'approve' | 'reject', reason: string | undefined, actorId: string, locale: Locale) {
      const row = await store.application(id);
      if (!row) throw new AppError('BASE_APPLICATION_NOT_FOUND');
      if (row.status !== 'pending') throw new AppError('REVIEW_ALREADY_DECIDED');
      if (decision === 'approve' && row.met !== 1) {
        const evidence = JSON.parse(row.evidence) as ApplicationEvidence;
        const fields: FieldProblem[] = evidence.criteria
          .filter((c) => !c.met)
          .map((c) => ({ path: c.metric, code: 'BELOW_MINIMUM', message: locale === 'zh-CN' ? `${c.metric}：${c.value}，低于 ${c.min}` : `${c.metric}: ${c.value}, under ${c.min}` }));
        throw new AppError('BASE_APPLICATION_UNMET', {}, fields);
      }
      const decided = await store.decideApplication(id, { status: decision === 'approve' ? 'approved' : 'rejected', reviewed_by: actorId, reviewed_at: clock.now().toISOString(), review_reason: reason ?? null });
      if (!decided) throw new AppError('REVIEW_ALREADY_DECIDED');
      await audit.record({ actorId, action: `base.application.${decision}`, targetType: 'base_application', targetId: id, detail: { reason: reason ?? null } });
      return toApplicationView((await store.applications({ id }))[0]!);
    },

    async applications(filter: { status?: NominationStatus; baseOrgId?: string }) {
      return (await store.applications(filter)).map(toApplicationView);
    },
  };
}

export type TalentService = ReturnType<typeof createTalentService>;
