import type { Db } from '../platform/db.ts';
import type { OrgRole } from '../platform/db-types.ts';

/** The roles that stream for a brand: its owners, admins, staff and streamers (not store staff, who redeem vouchers). */
export const STREAMING_ROLES = ['owner', 'admin', 'staff', 'streamer'] as const satisfies readonly OrgRole[];

/** How a streamer has a brand's say: a member of it who streams for it, or an approved 带货申请 with it. */
export type BrandTie = 'member' | 'cooperation';

export type NamableBrand = { id: string; name: string; via: BrandTie };

/**
 * Which brand a live may name (docs/API.md, "Live video"): the live's streamer needs the brand's say,
 * as a member of it in a role that streams for it, or with an approved cooperation application
 * (server/cooperation) with it. A live the brand arranged itself (a studio booking it made,
 * server/bases) needs neither: its caller passes `arrangedBy` to the live service.
 */
export function createLiveBrands(db: Db) {
  return {
    async tieOf(streamerId: string, brandOrgId: string): Promise<BrandTie | null> {
      const member = await db
        .selectFrom('org_members')
        .select('role')
        .where('org_id', '=', brandOrgId)
        .where('user_id', '=', streamerId)
        .where('role', 'in', STREAMING_ROLES)
        .executeTakeFirst();
      if (member) return 'member';
      const approved = await db
        .selectFrom('cooperation_applications')
        .select('id')
        .where('brand_org_id', '=', brandOrgId)
        .where('streamer_id', '=', streamerId)
        .where('status', '=', 'approved')
        .limit(1)
        .executeTakeFirst();
      return approved ? 'cooperation' : null;
    },

    /** The approved brands the streamer may name on a live, by name; a membership before an application. */
    async namable(streamerId: string): Promise<NamableBrand[]> {
      const approvedBrands = () => db.selectFrom('organisations as o').select(['o.id', 'o.name']).where('o.kind', '=', 'brand').where('o.status', '=', 'approved');
      const members = await approvedBrands()
        .innerJoin('org_members as m', 'm.org_id', 'o.id')
        .where('m.user_id', '=', streamerId)
        .where('m.role', 'in', STREAMING_ROLES)
        .execute();
      const partners = await approvedBrands()
        .where('o.id', 'in', (eb) => eb.selectFrom('cooperation_applications').select('brand_org_id').where('streamer_id', '=', streamerId).where('status', '=', 'approved'))
        .execute();
      const brands = new Map<string, NamableBrand>();
      for (const b of members) brands.set(b.id, { id: b.id, name: b.name, via: 'member' });
      for (const b of partners) if (!brands.has(b.id)) brands.set(b.id, { id: b.id, name: b.name, via: 'cooperation' });
      return [...brands.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id));
    },
  };
}

export type LiveBrands = ReturnType<typeof createLiveBrands>;
