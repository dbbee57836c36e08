import type { Kysely } from 'kysely';

// Why a return is asked for (docs/COMMERCE.md, "After-sales"): `no_reason` (七天无理由, only for items whose return
// policy is standard) or `quality` (破损、错发、与描述不符: any item, the brand judges the claim). Rows from before are
// no-reason returns or refunds, as they were.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('after_sales').addColumn('cause', 'text', (c) => c.notNull().defaultTo('no_reason')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('after_sales').dropColumn('cause').execute();
}
