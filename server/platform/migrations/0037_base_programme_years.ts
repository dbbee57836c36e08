import { sql, type Kysely } from 'kysely';

// City programmes edited and retired by operators (docs/BASES.md, "City programmes"). A programme is identified
// by its name, region and year (e.g. 2026年度上海市直播电商示范基地 in 上海市 for 2026): unique together. A
// programme that bases have applied for is never deleted: `retired_at` set, it takes no new applications and is
// no longer checked, while its applications (base_applications.programme_id) and their evidence stay readable.
// Existing rows get the Beijing year they were added in; were two of them the same name in the same region and
// year, the later ones get " (2)", " (3)" … after their name, so the unique index can be built.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('base_programmes').addColumn('year', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('base_programmes').addColumn('updated_at', 'text').execute();
  await db.schema.alterTable('base_programmes').addColumn('retired_at', 'text').execute();

  const rows = (await sql<{ id: string; name: string; region: string; created_at: string }>`select id, name, region, created_at from base_programmes order by created_at, id`.execute(db)).rows;
  const taken = new Set<string>();
  for (const row of rows) {
    const year = new Date(Date.parse(row.created_at) + 8 * 3_600_000).getUTCFullYear();
    let name = row.name;
    for (let n = 2; taken.has(JSON.stringify([name, row.region, year])); n++) name = `${row.name} (${n})`;
    taken.add(JSON.stringify([name, row.region, year]));
    await sql`update base_programmes set year = ${year}, name = ${name} where id = ${row.id}`.execute(db);
  }
  await db.schema.createIndex('base_programmes_identity').on('base_programmes').columns(['name', 'region', 'year']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('base_programmes_identity').execute();
  for (const column of ['retired_at', 'updated_at', 'year']) await db.schema.alterTable('base_programmes').dropColumn(column).execute();
}
