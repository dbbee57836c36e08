import { sql, type Kysely } from 'kysely';

// An organisation may withdraw a confirmation it gave to a base's tenancy (docs/BASES.md, "Tenants and events"):
// `base_tenants.org_status` takes 'withdrawn' too (then `org_decided_at` and `org_decided_by` say when and by whom
// it was withdrawn). A column's CHECK cannot be altered in place on SQLite, so the column is copied aside, dropped
// (its CHECK with it), added again with the wider CHECK and filled back; every stored state is kept as it was.
const STATES = (list: readonly string[]) => sql.raw(list.map((s) => `'${s}'`).join(', '));

async function recheck(db: Kysely<unknown>, states: readonly string[]) {
  await db.schema.alterTable('base_tenants').addColumn('org_status_0040', 'text').execute();
  await sql`update base_tenants set org_status_0040 = org_status`.execute(db);
  await db.schema.alterTable('base_tenants').dropColumn('org_status').execute();
  await db.schema.alterTable('base_tenants').addColumn('org_status', 'text', (c) => c.check(sql`org_status in (${STATES(states)})`)).execute();
  await sql`update base_tenants set org_status = org_status_0040`.execute(db);
  await db.schema.alterTable('base_tenants').dropColumn('org_status_0040').execute();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await recheck(db, ['pending', 'confirmed', 'declined', 'withdrawn']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // A withdrawn link was declined in effect: it is not counted, and only the base adding it again asks anew.
  await sql`update base_tenants set org_status = 'declined' where org_status = 'withdrawn'`.execute(db);
  await recheck(db, ['pending', 'confirmed', 'declined']);
}
