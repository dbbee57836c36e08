import type { Kysely } from 'kysely';

// Photos of a base and of its studios uploaded through the pictures pipeline (docs/BASES.md, "Photos").
// `base_profiles.photos` stays the base's ordered list of photo URLs (addresses typed in before, and the
// display URL of each upload); `studios.photos` is the same list for a studio. Each upload is a row here,
// its renditions under `bases/<id>/` in the picture store.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('studios').addColumn('photos', 'text', (c) => c.notNull().defaultTo('[]')).execute();

  await db.schema
    .createTable('base_photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('base_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    /** null: a photo of the base's profile; else of this studio (of the same base). */
    .addColumn('studio_id', 'text', (c) => c.references('studios.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('base_photos_owner').on('base_photos').columns(['base_org_id', 'studio_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('base_photos').execute();
  await db.schema.alterTable('studios').dropColumn('photos').execute();
}
