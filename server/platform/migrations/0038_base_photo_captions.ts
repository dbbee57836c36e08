import type { Kysely } from 'kysely';

// A caption on each uploaded photo of a base or a studio (docs/BASES.md, "Photos"), e.g. 主播区 · 三机位: at most
// 40 characters, one line, set by the base's owners and admins; null when it has none (every photo stored before).
// Photos typed in as plain URLs have no row here, so no caption.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('base_photos').addColumn('caption', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('base_photos').dropColumn('caption').execute();
}
