import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { tenantOut } from './store.ts';

/**
 * A base's tenants seen from the organisation they are linked to (docs/BASES.md, "Tenants and events"): a base
 * that lists an organisation as its tenant (入驻机构) asks for its confirmation; the organisation's owners and
 * admins confirm or decline each request once, from their own console. Only confirmed links (and tenants
 * without a link, self-declared) count as resident firms.
 */
export function createTenancies(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const read = (q = db) => q.selectFrom('base_tenants as t').innerJoin('organisations as b', 'b.id', 't.base_org_id').selectAll('t').select('b.name as base_name');
  const out = (r: Awaited<ReturnType<ReturnType<typeof read>['executeTakeFirstOrThrow']>>) => ({
    ...tenantOut(r),
    baseId: r.base_org_id,
    baseName: r.base_name,
    requestedAt: r.created_at,
  });

  return {
    /** The organisation's tenancies at bases: those pending first, then by base and latest first. */
    async list(orgId: string) {
      const rows = await read().where('t.org_id', '=', orgId).orderBy('t.created_at', 'desc').orderBy('t.id').limit(200).execute();
      const rank = (r: (typeof rows)[number]) => (r.org_status === 'confirmed' || r.org_status === 'declined' ? 1 : 0);
      return rows.sort((a, b) => rank(a) - rank(b)).map(out);
    },

    /**
     * Confirms or declines a pending request, once: the update only takes a row still pending, so of two answers
     * at once (or a second one later) one is stored and the other is TENANT_ALREADY_DECIDED. A tenant of
     * another organisation, or none, is TENANT_NOT_FOUND. Nothing changes on a refusal.
     */
    async decide(orgId: string, tenantId: string, userId: string, decision: 'confirmed' | 'declined') {
      const row = await read().where('t.id', '=', tenantId).executeTakeFirst();
      if (!row || row.org_id !== orgId) throw new AppError('TENANT_NOT_FOUND');
      const at = clock.now().toISOString();
      const updated = await db
        .updateTable('base_tenants')
        .set({ org_status: decision, org_decided_at: at, org_decided_by: userId })
        .where('id', '=', tenantId)
        .where('org_id', '=', orgId)
        .where((eb) => eb.or([eb('org_status', '=', 'pending'), eb('org_status', 'is', null)]))
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) {
        const now = await read().where('t.id', '=', tenantId).executeTakeFirst();
        throw new AppError('TENANT_ALREADY_DECIDED', { status: now?.org_status ?? 'removed' });
      }
      return out((await read().where('t.id', '=', tenantId).executeTakeFirst())!);
    },
  };
}

export type Tenancies = ReturnType<typeof createTenancies>;
