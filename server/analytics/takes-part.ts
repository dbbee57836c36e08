import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';

/**
 * The one "takes part" rule: a brand takes part in a live when one of its products is in the live's
 * 小黄车 (`session_products`) or the live has one of its orders (`orders.brand_org_id`, whatever the
 * order's status). The second half keeps a brand in once it has sold, after its product is taken off
 * the 小黄车. The same rule lets a brand into a live's numbers (server/analytics/access.ts and its list
 * of lives, docs/ANALYTICS.md) and its API keys into the live's open event socket
 * (server/webhooks/live-routes.ts, docs/WEBHOOKS.md); in both, the brand sees its own orders only.
 * Whether the live names the brand (`live_sessions.brand_org_id`) is checked apart, by each caller.
 */
export function brandTakesPartIn(eb: ExpressionBuilder<Database, 'live_sessions'>, brandOrgId: string) {
  return eb.or([
    eb.exists(
      eb
        .selectFrom('session_products')
        .innerJoin('products', 'products.id', 'session_products.product_id')
        .select('products.id')
        .whereRef('session_products.session_id', '=', 'live_sessions.id')
        .where('products.brand_org_id', '=', brandOrgId),
    ),
    eb.exists(eb.selectFrom('orders').select('orders.id').whereRef('orders.session_id', '=', 'live_sessions.id').where('orders.brand_org_id', '=', brandOrgId)),
  ]);
}

/** Does this brand take part in this live (brandTakesPartIn)? */
export async function brandTakesPart(db: Db, sessionId: string, brandOrgId: string): Promise<boolean> {
  const row = await db
    .selectFrom('live_sessions')
    .select('live_sessions.id')
    .where('live_sessions.id', '=', sessionId)
    .where((eb) => brandTakesPartIn(eb, brandOrgId))
    .executeTakeFirst();
  return Boolean(row);
}
