import type { Db } from '../platform/db.ts';

export function createMcnStore(db: Db) {
  return {
    /** The MCN's signed streamers with their real-name review status. */
    async listSignedStreamers(mcnOrgId: string) {
      const rows = await db
        .selectFrom('org_members')
        .innerJoin('users', 'users.id', 'org_members.user_id')
        .leftJoin('streamer_profiles', 'streamer_profiles.user_id', 'users.id')
        .select(['users.id', 'users.display_name', 'org_members.created_at', 'streamer_profiles.status', 'streamer_profiles.real_name'])
        .where('org_members.org_id', '=', mcnOrgId)
        .where('org_members.role', '=', 'streamer')
        .orderBy('org_members.created_at')
        .execute();
      return rows.map((r) => ({
        userId: r.id,
        displayName: r.display_name,
        realName: r.real_name,
        verification: r.status ?? 'none',
        signedAt: r.created_at,
      }));
    },
  };
}

export type McnStore = ReturnType<typeof createMcnStore>;
