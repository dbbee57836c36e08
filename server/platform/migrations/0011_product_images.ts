import type { Kysely } from 'kysely';

// Product pictures uploaded by brands (docs/PICTURES.md). products.images stays the ordered list of
// display URLs every reader uses; this table keeps what the pipeline learned about each upload.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('product_images')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    // 0-based place in products.images.
    .addColumn('position', 'integer', (c) => c.notNull())
    // The display rendition's size in pixels.
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    // The uploaded file: its size, decoded format and SHA-256.
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('product_images_product').on('product_images').columns(['product_id', 'position']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('product_images').execute();
}
