import { sql, type Kysely } from 'kysely';

// A base's tenant (入驻机构) linked to an organisation needs that organisation's confirmation (docs/BASES.md,
// "Tenants and events"): `org_status` is 'pending' until its owner or admin confirms ('confirmed') or declines
// ('declined'), with who decided and when; null for a tenant without an organisation (free text, self-declared).
// Links stored before this migration were never confirmed by anyone: they start pending too.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('base_tenants').addColumn('org_status', 'text', (c) => c.check(sql`org_status in ('pending', 'confirmed', 'declined')`)).execute();
  await db.schema.alterTable('base_tenants').addColumn('org_decided_at', 'text').execute();
  await db.schema.alterTable('base_tenants').addColumn('org_decided_by', 'text').execute();
  await sql`update base_tenants set org_status = 'pending' where org_id is not null`.execute(db);
  await db.schema.createIndex('base_tenants_org').on('base_tenants').column('org_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('base_tenants_org').execute();
  for (const column of ['org_decided_by', 'org_decided_at', 'org_status']) await db.schema.alterTable('base_tenants').dropColumn(column).execute();
}
