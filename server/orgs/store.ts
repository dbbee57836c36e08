import type { Db } from '../platform/db.ts';
import type { OrganisationsTable, OrgKind, OrgRole, ReviewStatus } from '../platform/db-types.ts';

export function createOrgsStore(db: Db) {
  return {
    async insertOrg(row: OrganisationsTable, ownerId: string, now: string) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('organisations').values(row).execute();
        await trx.insertInto('org_members').values({ org_id: row.id, user_id: ownerId, role: 'owner', created_at: now }).execute();
      });
    },
    findOrg(id: string) {
      return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async findOrgKind(id: string): Promise<OrgKind | null> {
      const row = await db.selectFrom('organisations').select('kind').where('id', '=', id).executeTakeFirst();
      return row?.kind ?? null;
    },
    async findMembership(orgId: string, userId: string) {
      const row = await db
        .selectFrom('org_members')
        .innerJoin('organisations', 'organisations.id', 'org_members.org_id')
        .select(['organisations.kind', 'org_members.role'])
        .where('org_members.org_id', '=', orgId)
        .where('org_members.user_id', '=', userId)
        .executeTakeFirst();
      return row ?? null;
    },
    listOrgsOfUser(userId: string) {
      return db
        .selectFrom('org_members')
        .innerJoin('organisations', 'organisations.id', 'org_members.org_id')
        .selectAll('organisations')
        .select('org_members.role as member_role')
        .where('org_members.user_id', '=', userId)
        .orderBy('organisations.created_at')
        .execute();
    },
    listOrgs(filter: { status?: ReviewStatus }) {
      return db
        .selectFrom('organisations')
        .selectAll()
        .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status as ReviewStatus))
        .orderBy('created_at', 'desc')
        .limit(500)
        .execute();
    },
    listMembers(orgId: string) {
      return db
        .selectFrom('org_members')
        .innerJoin('users', 'users.id', 'org_members.user_id')
        .select(['users.id', 'users.display_name', 'users.phone', 'users.email', 'org_members.role', 'org_members.created_at'])
        .where('org_members.org_id', '=', orgId)
        .orderBy('org_members.created_at')
        .execute();
    },
    async addMember(orgId: string, userId: string, role: OrgRole, now: string) {
      await db.insertInto('org_members').values({ org_id: orgId, user_id: userId, role, created_at: now }).execute();
    },
    async removeMember(orgId: string, userId: string) {
      await db.deleteFrom('org_members').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
    },
    async countOwners(orgId: string) {
      const row = await db
        .selectFrom('org_members')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('org_id', '=', orgId)
        .where('role', '=', 'owner')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    /** Sets the review outcome only if the org is still pending; returns whether it did. */
    async decideReview(orgId: string, status: 'approved' | 'rejected', reason: string | null, now: string) {
      const result = await db
        .updateTable('organisations')
        .set({ status, review_reason: reason, reviewed_at: now })
        .where('id', '=', orgId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export type OrgsStore = ReturnType<typeof createOrgsStore>;
