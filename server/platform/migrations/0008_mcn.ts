import { sql, type Kysely } from 'kysely';

// MCN operations (docs/MCN.md): the contract lifecycle (offered → accepted or declined or cancelled;
// accepted → terminated), the rights a streamer grants the MCN, and renewals.
const COLUMNS: [string, 'text', ((c: any) => any)?][] = [
  // JSON array of rights: manage_products, manage_sessions, view_earnings, request_samples (never withdraw).
  ['rights', 'text', (c) => c.notNull().defaultTo('[]')],
  // The MCN member who made the offer.
  ['offered_by', 'text'],
  // The contract this one continues (a renewal starts where it ends).
  ['renewed_from', 'text'],
  ['declined_at', 'text'],
  ['decline_reason', 'text'],
  ['cancelled_at', 'text'],
  // Termination: the day the split ends (the contract is in force before it), who ended it and why.
  ['terminated_at', 'text'],
  ['terminated_by', 'text'],
  ['termination_reason', 'text'],
  ['updated_at', 'text'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite adds one at a time.
  for (const [name, type, build] of COLUMNS) {
    await db.schema.alterTable('mcn_contracts').addColumn(name, type, build ?? ((c) => c)).execute();
  }
  // 0006 named the first state 'proposed'; nothing wrote it, but a hand-made row may exist.
  await sql`update mcn_contracts set status = 'offered' where status = 'proposed'`.execute(db);
  await db.schema.createIndex('mcn_contracts_renewed_from').on('mcn_contracts').column('renewed_from').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('mcn_contracts_renewed_from').execute();
  for (const [name] of [...COLUMNS].reverse()) await db.schema.alterTable('mcn_contracts').dropColumn(name).execute();
}
