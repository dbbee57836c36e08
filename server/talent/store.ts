import type { Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';
import type { TrainingTables } from '../training/store.ts';

export type CriteriaRow = { id: string; min_levels: string; min_gmv_fen: number; window_days: number; max_violations: number; updated_at: string; updated_by: string | null };
export type NominationStatus = 'pending' | 'approved' | 'rejected';
export type NominationRow = {
  id: string;
  streamer_id: string;
  org_id: string;
  org_kind: 'training' | 'mcn';
  nominated_by: string;
  note: string;
  status: NominationStatus;
  evidence: string;
  created_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_reason: string | null;
};
export type ApplicationRow = {
  id: string;
  base_org_id: string;
  programme_id: string;
  month: string;
  applied_by: string;
  note: string;
  status: NominationStatus;
  met: number;
  evidence: string;
  created_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_reason: string | null;
};

/** The talent tables (migration 0020), kept beside their domain like the training tables. */
export type TalentTables = { talent_criteria: CriteriaRow; talent_nominations: NominationRow; base_applications: ApplicationRow };
export type TalentDb = Kysely<Database & TrainingTables & TalentTables>;

export function createTalentStore(base: Db) {
  const db = base.withTables<TrainingTables & TalentTables>() as unknown as TalentDb;
  return {
    db,
    async criteria() {
      return db.selectFrom('talent_criteria').selectAll().where('id', '=', 'current').executeTakeFirstOrThrow();
    },
    async saveCriteria(row: Omit<CriteriaRow, 'id'>) {
      await db.updateTable('talent_criteria').set(row).where('id', '=', 'current').execute();
    },
    async insertNomination(row: NominationRow) {
      await db.insertInto('talent_nominations').values(row).execute();
    },
    async openNominationOf(streamerId: string) {
      return db.selectFrom('talent_nominations').selectAll().where('streamer_id', '=', streamerId).where('status', 'in', ['pending', 'approved']).executeTakeFirst();
    },
    async nomination(id: string) {
      return db.selectFrom('talent_nominations').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** Decides a pending nomination; false when it was no longer pending (another review won). */
    async decideNomination(id: string, set: { status: NominationStatus; reviewed_by: string; reviewed_at: string; review_reason: string | null; evidence?: string }) {
      const result = await db.updateTable('talent_nominations').set(set).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    /** Nominations with the streamer's and the organisation's names, newest first. */
    async nominations(filter: { status?: NominationStatus; orgId?: string; id?: string }) {
      let query = db
        .selectFrom('talent_nominations')
        .innerJoin('users', 'users.id', 'talent_nominations.streamer_id')
        .innerJoin('organisations', 'organisations.id', 'talent_nominations.org_id')
        .selectAll('talent_nominations')
        .select(['users.display_name as streamer_name', 'organisations.name as org_name']);
      if (filter.status) query = query.where('talent_nominations.status', '=', filter.status);
      if (filter.orgId) query = query.where('talent_nominations.org_id', '=', filter.orgId);
      if (filter.id) query = query.where('talent_nominations.id', '=', filter.id);
      return query.orderBy('talent_nominations.created_at', 'desc').orderBy('talent_nominations.id').limit(500).execute();
    },
    async insertApplication(row: ApplicationRow) {
      await db.insertInto('base_applications').values(row).execute();
    },
    async openApplication(baseOrgId: string, programmeId: string) {
      return db.selectFrom('base_applications').selectAll().where('base_org_id', '=', baseOrgId).where('programme_id', '=', programmeId).where('status', 'in', ['pending', 'approved']).executeTakeFirst();
    },
    async application(id: string) {
      return db.selectFrom('base_applications').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async decideApplication(id: string, set: { status: NominationStatus; reviewed_by: string; reviewed_at: string; review_reason: string | null }) {
      const result = await db.updateTable('base_applications').set(set).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async applications(filter: { status?: NominationStatus; baseOrgId?: string; id?: string }) {
      let query = db
        .selectFrom('base_applications')
        .innerJoin('organisations', 'organisations.id', 'base_applications.base_org_id')
        .innerJoin('base_programmes', 'base_programmes.id', 'base_applications.programme_id')
        .selectAll('base_applications')
        .select(['organisations.name as base_name', 'base_programmes.name as programme_name', 'base_programmes.region as programme_region', 'base_programmes.year as programme_year', 'base_programmes.retired_at as programme_retired_at']);
      if (filter.status) query = query.where('base_applications.status', '=', filter.status);
      if (filter.baseOrgId) query = query.where('base_applications.base_org_id', '=', filter.baseOrgId);
      if (filter.id) query = query.where('base_applications.id', '=', filter.id);
      return query.orderBy('base_applications.created_at', 'desc').orderBy('base_applications.id').limit(500).execute();
    },
  };
}

export type TalentStore = ReturnType<typeof createTalentStore>;
