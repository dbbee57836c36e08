import { sql } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { confirmationOf, tenantOut } from './store.ts';

/** The console's organisation search: at most this many answers, for a query of at most this many characters. */
export const TENANT_CANDIDATES_MAX = 20;
export const TENANT_QUERY_MAX_CHARS = 50;

/**
 * A base's tenants seen from the organisation they are linked to (docs/BASES.md, "Tenants and events"): a base
 * that lists an organisation as its tenant (入驻机构) asks for its confirmation; the organisation's owners and
 * admins confirm or decline each request once, from their own console, and may later withdraw a confirmation.
 * Only confirmed links (and tenants without a link, self-declared) count as resident firms.
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
      const rank = (r: (typeof rows)[number]) => (r.org_status === 'pending' || r.org_status == null ? 0 : 1);
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

    /**
     * Withdraws a confirmation the organisation gave: confirmed → withdrawn (who and when in org_decided_*), after
     * which the tenant counts nowhere. Only a confirmed link is withdrawn (anything else, or the slower of two at
     * once, is TENANT_NOT_CONFIRMED with the stored state); a withdrawn link is final: the base asks again only by
     * adding the tenant anew (a new, pending row). Another organisation's tenant, or none, is TENANT_NOT_FOUND.
     */
    async withdraw(orgId: string, tenantId: string, userId: string) {
      const row = await read().where('t.id', '=', tenantId).executeTakeFirst();
      if (!row || row.org_id !== orgId) throw new AppError('TENANT_NOT_FOUND');
      const updated = await db
        .updateTable('base_tenants')
        .set({ org_status: 'withdrawn', org_decided_at: clock.now().toISOString(), org_decided_by: userId })
        .where('id', '=', tenantId)
        .where('org_id', '=', orgId)
        .where('org_status', '=', 'confirmed')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) {
        const now = await read().where('t.id', '=', tenantId).executeTakeFirst();
        throw new AppError('TENANT_NOT_CONFIRMED', { status: now ? confirmationOf(now) : 'removed' });
      }
      return out((await read().where('t.id', '=', tenantId).executeTakeFirst())!);
    },

    /**
     * Organisations a base may list as a tenant, for its console's search (docs/BASES.md, "Tenants and events"):
     * approved ones of any kind but the base itself whose name contains `q` (1–50 characters once trimmed, else
     * SEARCH_QUERY_EMPTY or SEARCH_QUERY_TOO_LONG; case-insensitive for Latin letters; % and _ are plain
     * characters), names starting with it first, at most TENANT_CANDIDATES_MAX: id, name and kind only.
     */
    async candidates(baseOrgId: string, q: string | undefined) {
      const query = (q ?? '').trim();
      if (!query) throw new AppError('SEARCH_QUERY_EMPTY');
      if ([...query].length > TENANT_QUERY_MAX_CHARS) throw new AppError('SEARCH_QUERY_TOO_LONG', { max: TENANT_QUERY_MAX_CHARS });
      const lowered = query.toLowerCase();
      const escaped = lowered.replace(/[\\%_]/g, (c) => `\\${c}`);
      const rows = await db
        .selectFrom('organisations')
        .select(['id', 'name', 'kind'])
        .where('status', '=', 'approved')
        .where('id', '!=', baseOrgId)
        .where(sql<boolean>`lower(name) like ${`%${escaped}%`} escape '\\'`)
        .orderBy(sql`case when lower(name) like ${`${escaped}%`} escape '\\' then 0 else 1 end`)
        .orderBy('name')
        .orderBy('id')
        .limit(TENANT_CANDIDATES_MAX)
        .execute();
      return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind }));
    },
  };
}

export type Tenancies = ReturnType<typeof createTenancies>;
