import type { Kysely } from 'kysely';

// The cross-border tax an order carried (docs/LEDGER.md, "Cross-border tax"): kept on the ledger's order so that
// settlement holds it for customs in `platform:crossborder-tax` (代收代缴税款) instead of paying it to the brand
// with a platform fee taken from it. Orders captured before this migration carry 0 and settle as they did.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ledger_orders').addColumn('tax_fen', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ledger_orders').dropColumn('tax_fen').execute();
}
