import { sql, type Kysely } from 'kysely';

// The talent catalogue and the commission's portal (docs/TALENT.md): the catalogue's criteria as one
// row of data, nominations by training centres and MCNs with the evidence checked at the time, and
// bases' applications for a city programme with a snapshot of the programme check.
// users.platform_role is plain text (no CHECK constraint, 0001): the new role 'commission' needs no change.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('talent_criteria')
    /** Always 'current': one row of criteria, changed by operators. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** JSON { job: level }: a certificate in one of these tracks at this level or higher (一级 = 1 is highest). */
    .addColumn('min_levels', 'text', (c) => c.notNull())
    /** Net GMV (paid orders' totals less refunds) of the streamer's lives within window_days, in fen. */
    .addColumn('min_gmv_fen', 'bigint', (c) => c.notNull())
    .addColumn('window_days', 'integer', (c) => c.notNull())
    /** Lives cut off by an operator within window_days allowed (0: none). */
    .addColumn('max_violations', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db
    .insertInto('talent_criteria' as never)
    .values({ id: 'current', min_levels: JSON.stringify({ seller: 5, creator: 5, selector: 5 }), min_gmv_fen: 100_000, window_days: 365, max_violations: 0, updated_at: new Date().toISOString(), updated_by: null } as never)
    .execute();

  await db.schema
    .createTable('talent_nominations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('streamer_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    /** training | mcn: how the organisation knows the streamer. */
    .addColumn('org_kind', 'text', (c) => c.notNull())
    .addColumn('nominated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    /** pending | approved | rejected */
    .addColumn('status', 'text', (c) => c.notNull())
    /** JSON: the eligibility check with its evidence, as at nomination (and again at approval). */
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('review_reason', 'text')
    .execute();
  await db.schema.createIndex('talent_nominations_status').on('talent_nominations').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('talent_nominations_org').on('talent_nominations').columns(['org_id', 'created_at']).execute();
  // One open nomination (pending or approved) per streamer, whoever nominates: a race cannot make two.
  await sql`create unique index talent_nominations_open on talent_nominations (streamer_id) where status in ('pending', 'approved')`.execute(db);

  await db.schema
    .createTable('base_applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('base_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('programme_id', 'text', (c) => c.notNull().references('base_programmes.id'))
    /** YYYY-MM: the month whose report is the evidence. */
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('applied_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    /** pending | approved | rejected */
    .addColumn('status', 'text', (c) => c.notNull())
    /** 1 when every criterion was met in the evidence. */
    .addColumn('met', 'integer', (c) => c.notNull())
    /** JSON: the programme check for that month (criteria with values) and the report's summary. */
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('review_reason', 'text')
    .execute();
  await db.schema.createIndex('base_applications_status').on('base_applications').columns(['status', 'created_at']).execute();
  await sql`create unique index base_applications_open on base_applications (base_org_id, programme_id) where status in ('pending', 'approved')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['base_applications', 'talent_nominations', 'talent_criteria']) await db.schema.dropTable(table).execute();
}
