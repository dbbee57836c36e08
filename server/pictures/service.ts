import { sql, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { CatalogStore } from '../catalog/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { preparePicture, RENDITIONS, type IncomingPicture, type PipelineLimits, type PreparedPicture, type RenditionName } from './pipeline.ts';
import type { PictureStorage } from './storage.ts';

/** The schema's limit on products.images (server/catalog/schema.ts). */
export const MAX_PICTURES_PER_PRODUCT = 9;

const ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PICTURE_URL = new RegExp(`^/media/products/(${ID})/display\\.webp$`);

/** A rendition's bytes never change under its URL: a new upload gets a new picture id. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The public address of one rendition: under /media (this server reads it from the store) or under
 * S3_PUBLIC_URL (a CDN or the bucket serves it). The URL never changes what it serves.
 */
export function renditionUrl(pictureId: string, rendition: RenditionName, base = '/media'): string {
  return `${base}/products/${pictureId}/${RENDITIONS[rendition].file}`;
}

/**
 * The picture id in a display URL this server made, or null (an external URL given at creation). With a
 * public base (S3_PUBLIC_URL), URLs under it count too, and so do /media ones recorded before it was set.
 */
export function pictureIdOf(url: string, publicBase?: string): string | null {
  if (publicBase && url.startsWith(`${publicBase}/products/`)) url = `/media${url.slice(publicBase.length)}`;
  return PICTURE_URL.exec(url)?.[1] ?? null;
}

export const isPictureId = (id: string) => new RegExp(`^${ID}$`).test(id);

type Trx = Transaction<Database>;

export type PictureView = { id: string | null; url: string; thumbUrl: string; width: number | null; height: number | null };

export function createPictures(deps: { db: Db; dialect: Dialect; clock: Clock; logger: Logger; storage: PictureStorage; catalog: CatalogStore; limits: PipelineLimits; publicUrl?: string }) {
  const { db, storage } = deps;
  const idOf = (url: string) => pictureIdOf(url, deps.publicUrl);

  /** The product, locked for the rest of the transaction on PostgreSQL (SQLite has one writer already). */
  async function lockProduct(trx: Trx, brandOrgId: string, productId: string) {
    if (deps.dialect === 'postgres') await sql`select id from products where id = ${productId} for update`.execute(trx);
    const product = await trx.selectFrom('products').select(['id', 'brand_org_id', 'images']).where('id', '=', productId).executeTakeFirst();
    // Another brand's product looks the same as a missing one.
    if (!product || product.brand_org_id !== brandOrgId) throw new AppError('PRODUCT_NOT_FOUND');
    return { ...product, list: JSON.parse(product.images) as string[] };
  }

  /** Writes the new list and numbers each uploaded picture by its place in it. */
  async function saveList(trx: Trx, productId: string, list: string[]) {
    await trx.updateTable('products').set({ images: JSON.stringify(list) }).where('id', '=', productId).execute();
    for (const [position, url] of list.entries()) {
      const id = idOf(url);
      if (id) await trx.updateTable('product_images').set({ position }).where('id', '=', id).where('product_id', '=', productId).execute();
    }
  }

  async function view(brandOrgId: string, productId: string) {
    const product = (await deps.catalog.listProductsWithSkus(brandOrgId)).find((p) => p.id === productId);
    if (!product) throw new AppError('PRODUCT_NOT_FOUND');
    const rows = await db.selectFrom('product_images').select(['id', 'width', 'height']).where('product_id', '=', productId).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const pictures: PictureView[] = product.images.map((url) => {
      const row = byId.get(idOf(url) ?? '');
      // The thumbnail sits beside the display rendition, under whichever base the list recorded.
      return row ? { id: row.id, url, thumbUrl: url.replace(/display\.webp$/, RENDITIONS.thumb.file), width: row.width, height: row.height } : { id: null, url, thumbUrl: url, width: null, height: null };
    });
    return { product, pictures };
  }

  async function ownedProduct(brandOrgId: string, productId: string) {
    const product = await db.selectFrom('products').select(['brand_org_id', 'images']).where('id', '=', productId).executeTakeFirst();
    if (!product || product.brand_org_id !== brandOrgId) throw new AppError('PRODUCT_NOT_FOUND');
    return JSON.parse(product.images) as string[];
  }

  const full = (count: number) => new AppError('PICTURE_TOO_MANY', { max: MAX_PICTURES_PER_PRODUCT, count });

  return {
    view,
    /** The same checks, renditions and store for other pictures than products' (base photos: server/bases/photos.ts). */
    shared: { storage, limits: deps.limits, publicUrl: deps.publicUrl, logger: deps.logger },

    /** Checks the product and the count before the caller reads large files. */
    async assertRoomFor(brandOrgId: string, productId: string, adding = 1) {
      const list = await ownedProduct(brandOrgId, productId);
      if (list.length + adding > MAX_PICTURES_PER_PRODUCT) throw full(list.length);
    },

    /**
     * Adds pictures at the end of the product's list, all or none: every file is checked and rendered
     * first, then the renditions are stored, then one transaction records them. Any refusal leaves
     * the product and the store as they were.
     */
    async upload(brandOrgId: string, productId: string, files: IncomingPicture[], options: { prepare?: (file: IncomingPicture) => Promise<PreparedPicture>; skipView?: boolean } = {}) {
      if (files.length === 0) throw new AppError('PICTURE_NO_FILE');
      const before = await ownedProduct(brandOrgId, productId);
      if (before.length + files.length > MAX_PICTURES_PER_PRODUCT) throw full(before.length);
      const prepared: PreparedPicture[] = [];
      for (const file of files) prepared.push(await (options.prepare ?? ((f) => preparePicture(f, deps.limits)))(file));

      const created = prepared.map((p) => ({ id: newId(), picture: p }));
      try {
        for (const { id, picture } of created) {
          for (const name of Object.keys(RENDITIONS) as RenditionName[]) {
            await storage.put(`products/${id}/${RENDITIONS[name].file}`, picture.renditions[name], { contentType: 'image/webp', cacheControl: IMMUTABLE });
          }
        }
        const now = deps.clock.now().toISOString();
        await db.transaction().execute(async (trx) => {
          const product = await lockProduct(trx, brandOrgId, productId);
          if (product.list.length + created.length > MAX_PICTURES_PER_PRODUCT) throw full(product.list.length);
          await trx
            .insertInto('product_images')
            .values(created.map(({ id, picture }, i) => ({ id, product_id: productId, position: product.list.length + i, width: picture.width, height: picture.height, bytes: picture.bytes, format: picture.format, content_hash: picture.contentHash, created_at: now })))
            .execute();
          await saveList(trx, productId, [...product.list, ...created.map(({ id }) => renditionUrl(id, 'display', deps.publicUrl))]);
        });
      } catch (error) {
        await Promise.all(created.map(({ id }) => storage.removeFolder(`products/${id}`).catch(() => undefined)));
        throw error;
      }
      return options.skipView ? null : view(brandOrgId, productId);
    },

    /** Takes one uploaded picture off the product and deletes its files. */
    async remove(brandOrgId: string, productId: string, pictureId: string) {
      await db.transaction().execute(async (trx) => {
        const product = await lockProduct(trx, brandOrgId, productId);
        const url = product.list.find((u) => idOf(u) === pictureId);
        const row = await trx.selectFrom('product_images').select('id').where('id', '=', pictureId).where('product_id', '=', productId).executeTakeFirst();
        if (!row || !url) throw new AppError('PICTURE_NOT_FOUND');
        await trx.deleteFrom('product_images').where('id', '=', pictureId).execute();
        await saveList(trx, productId, product.list.filter((u) => u !== url));
      });
      // After the commit: a failure here leaves unreferenced files, never a URL without its files.
      await storage.removeFolder(`products/${pictureId}`).catch((error: unknown) => deps.logger.warn({ err: error, pictureId }, 'could not delete a product picture'));
      return view(brandOrgId, productId);
    },

    /** Puts the product's pictures in a new order: the same URLs, each once. */
    async reorder(brandOrgId: string, productId: string, images: string[]) {
      await db.transaction().execute(async (trx) => {
        const product = await lockProduct(trx, brandOrgId, productId);
        const same = images.length === product.list.length && new Set(images).size === images.length && images.every((u) => product.list.includes(u));
        if (!same) throw new AppError('PICTURE_ORDER_INVALID');
        await saveList(trx, productId, images);
      });
      return view(brandOrgId, productId);
    },

    /** The bytes of one rendition, or null. */
    read(pictureId: string, rendition: RenditionName) {
      return storage.get(`products/${pictureId}/${RENDITIONS[rendition].file}`);
    },
  };
}

export type Pictures = ReturnType<typeof createPictures>;
