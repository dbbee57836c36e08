import type { Db } from '../platform/db.ts';
import type { ReviewStatus, StreamerProfilesTable } from '../platform/db-types.ts';

export function createStreamersStore(db: Db) {
  const withUser = () =>
    db
      .selectFrom('streamer_profiles')
      .innerJoin('users', 'users.id', 'streamer_profiles.user_id')
      .selectAll('streamer_profiles')
      .select(['users.display_name']);
  return {
    findProfile(userId: string) {
      return withUser().where('streamer_profiles.user_id', '=', userId).executeTakeFirst();
    },
    findByIdNumberHash(hash: string) {
      return db.selectFrom('streamer_profiles').select('user_id').where('id_number_hash', '=', hash).executeTakeFirst();
    },
    /** Inserts or replaces the user's profile and makes the user a streamer, in one transaction. */
    async upsertProfile(row: StreamerProfilesTable) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('streamer_profiles').where('user_id', '=', row.user_id).execute();
        await trx.insertInto('streamer_profiles').values(row).execute();
        await trx
          .updateTable('users')
          .set({ platform_role: 'streamer', updated_at: row.submitted_at })
          .where('id', '=', row.user_id)
          .where('platform_role', '=', 'viewer')
          .execute();
      });
    },
    listProfiles(status?: ReviewStatus) {
      return withUser()
        .$if(status !== undefined, (q) => q.where('streamer_profiles.status', '=', status as ReviewStatus))
        .orderBy('streamer_profiles.submitted_at')
        .limit(500)
        .execute();
    },
    async decide(userId: string, status: 'approved' | 'rejected', reason: string | null, operatorId: string, now: string) {
      const result = await db
        .updateTable('streamer_profiles')
        .set({ status, review_reason: reason, reviewed_by: operatorId, reviewed_at: now })
        .where('user_id', '=', userId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async statusOf(userId: string): Promise<ReviewStatus | null> {
      const row = await db.selectFrom('streamer_profiles').select('status').where('user_id', '=', userId).executeTakeFirst();
      return row?.status ?? null;
    },
  };
}

export type StreamersStore = ReturnType<typeof createStreamersStore>;
