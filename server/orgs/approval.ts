import type { Kysely } from 'kysely';
import type { Database } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';

/**
 * A brand sells only once the operator has approved its organisation (POST /api/admin/orgs/:id/review).
 * While pending (or rejected) it may prepare its catalogue, but its products are neither sold
 * (BRAND_NOT_APPROVED at checkout, in the 小黄车, for a pin, a pre-sale, an auction …) nor listed to the
 * public (docs/COMMERCE.md "Unapproved brands"). Every check reads the status now, so a later state
 * other than 'approved' (a suspension) is refused the same way.
 */

// Any database view with the core tables (a domain's `withTables` view too).
type Reader = Pick<Kysely<Database>, 'selectFrom'>;

/** The ids of approved organisations, as a subquery: `.where('products.brand_org_id', 'in', approvedOrgIds(db))`. */
export function approvedOrgIds(db: Reader) {
  return db.selectFrom('organisations as approved_orgs').select('approved_orgs.id').where('approved_orgs.status', '=', 'approved');
}

/** Whether these brands may sell: all of them approved. */
export async function brandsApproved(db: Reader, orgIds: Iterable<string>) {
  const ids = [...new Set(orgIds)];
  if (!ids.length) return true;
  const rows = await db.selectFrom('organisations').select('id').where('id', 'in', ids).where('status', '=', 'approved').execute();
  return rows.length === ids.length;
}

/** Throws BRAND_NOT_APPROVED unless every one of these brands is approved. */
export async function requireApprovedBrands(db: Reader, orgIds: Iterable<string>) {
  if (!(await brandsApproved(db, orgIds))) throw new AppError('BRAND_NOT_APPROVED');
}
