import { sql, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { preparePicture, RENDITIONS, type IncomingPicture, type PipelineLimits, type PreparedPicture, type RenditionName } from '../pictures/pipeline.ts';
import { IMMUTABLE } from '../pictures/service.ts';
import type { PictureStorage } from '../pictures/storage.ts';

/** At most this many photos on a base's profile (the profile's photo list always took 20 URLs). */
export const MAX_BASE_PHOTOS = 20;
/** At most this many photos of one studio. */
export const MAX_STUDIO_PHOTOS = 9;

type Trx = Transaction<Database>;
/** Whose photo list: the base's profile (studioId null) or one of its studios. */
export type PhotoTarget = { baseId: string; studioId: string | null };
export type PhotoView = { id: string | null; url: string; thumbUrl: string; width: number | null; height: number | null; caption: string | null };
/** What photoViews needs of an uploaded photo's row. */
export type PhotoRow = { id: string; width: number; height: number; caption: string | null };

/** A caption takes at most this many characters (Unicode code points, after trimming and NFC). */
export const MAX_PHOTO_CAPTION = 40;
/**
 * Line breaks (LF, CR, U+2028, U+2029) and every other control character (Cc): a caption is one line of text.
 * Also the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make text
 * read in another order than it is stored ("abc\u202Egpj.exe" shows as "abcexe.jpg").
 */
const NOT_ONE_LINE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/**
 * A caption as given (docs/BASES.md, "Photos") → as stored: trimmed (so a pasted trailing line break goes) and
 * NFC-normalised; empty clears it (null). A line break or another control character inside is refused, not
 * turned into a space, and so is one over 40 characters (counted as Unicode characters, not bytes).
 */
export function captionOf(given: string): string | null {
  const text = given.normalize('NFC').trim();
  if (NOT_ONE_LINE.test(text)) throw new AppError('BASE_PHOTO_CAPTION_INVALID');
  const count = [...text].length;
  if (count > MAX_PHOTO_CAPTION) throw new AppError('BASE_PHOTO_CAPTION_TOO_LONG', { max: MAX_PHOTO_CAPTION, count });
  return text === '' ? null : text;
}

const ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** An uploaded photo's display URL: /media/bases/<id>/display.webp, or the same key under S3_PUBLIC_URL. */
const UPLOADED = new RegExp(`^(?:/media|https?://[^?#]+)/bases/(${ID})/display\\.webp$`);
export const basePhotoIdOf = (url: string): string | null => UPLOADED.exec(url)?.[1] ?? null;

/** A list of photo URLs as the API shows them, given the uploaded photos' rows (`width`, `height`, `caption`) by id. */
export function photoViews(list: string[], rows: Map<string, PhotoRow>): PhotoView[] {
  return list.map((u) => {
    const row = rows.get(basePhotoIdOf(u) ?? '');
    return row
      ? { id: row.id, url: u, thumbUrl: u.replace(/display\.webp$/, RENDITIONS.thumb.file), width: Number(row.width), height: Number(row.height), caption: row.caption ?? null }
      : { id: null, url: u, thumbUrl: u, width: null, height: null, caption: null };
  });
}

/**
 * The captions of a list of photo URLs, in its order (null for a photo without one and for a typed-in URL), for
 * the answers that give photos as plain URLs (`/api/bases`, the calendars): `photoCaptions[i]` is `photos[i]`'s.
 */
export const captionsOf = (list: string[], captions: Map<string, string>) => list.map((u) => captions.get(basePhotoIdOf(u) ?? '') ?? null);

/** The captions of the given bases' uploaded photos that have one, by photo id. */
export async function captionsOfBases(q: Db | Trx, baseIds: string[]): Promise<Map<string, string>> {
  if (!baseIds.length) return new Map();
  const rows = await q.selectFrom('base_photos').select(['id', 'caption']).where('base_org_id', 'in', baseIds).where('caption', 'is not', null).execute();
  return new Map(rows.map((r) => [r.id, r.caption!]));
}

const maxOf = (target: PhotoTarget) => (target.studioId ? MAX_STUDIO_PHOTOS : MAX_BASE_PHOTOS);
const full = (target: PhotoTarget, count: number) => new AppError('BASE_PHOTOS_TOO_MANY', { max: maxOf(target), count });

/** Reads the target's list; with `lock` (in a write's transaction) the row is locked on PostgreSQL and a base's profile row made if it had none. */
export async function photoList(q: Db | Trx, target: PhotoTarget, lock: { dialect: Dialect; now: string } | null): Promise<string[]> {
  if (target.studioId) {
    if (lock?.dialect === 'postgres') await sql`select id from studios where id = ${target.studioId} for update`.execute(q);
    const studio = await q.selectFrom('studios').select(['base_org_id', 'photos']).where('id', '=', target.studioId).executeTakeFirst();
    // Another base's studio looks the same as a missing one.
    if (!studio || studio.base_org_id !== target.baseId) throw new AppError('STUDIO_NOT_FOUND');
    return JSON.parse(studio.photos) as string[];
  }
  if (lock) {
    // A base that never saved its profile gets the defaults (server/bases/store.ts profileOut) so the list has a row to live in.
    await q.insertInto('base_profiles').values({ org_id: target.baseId, area_sqm: 0, theme: '', address: '', opens_at: '09:00', closes_at: '23:00', photos: '[]', free_cancel_hours: 24, cancel_fee_bps: 5000, updated_at: lock.now }).onConflict((oc) => oc.column('org_id').doNothing()).execute();
    if (lock.dialect === 'postgres') await sql`select org_id from base_profiles where org_id = ${target.baseId} for update`.execute(q);
  }
  const row = await q.selectFrom('base_profiles').select('photos').where('org_id', '=', target.baseId).executeTakeFirst();
  return row ? (JSON.parse(row.photos) as string[]) : [];
}

async function saveList(trx: Trx, target: PhotoTarget, list: string[]) {
  const photos = JSON.stringify(list);
  if (target.studioId) await trx.updateTable('studios').set({ photos }).where('id', '=', target.studioId).execute();
  else await trx.updateTable('base_profiles').set({ photos }).where('org_id', '=', target.baseId).execute();
  for (const [position, url] of list.entries()) {
    const id = basePhotoIdOf(url);
    if (id) await trx.updateTable('base_photos').set({ position }).where('id', '=', id).where('base_org_id', '=', target.baseId).execute();
  }
}

/** The ids of the target's uploaded photos (rows), for checks. */
async function uploadedIds(q: Db | Trx, target: PhotoTarget) {
  const query = q.selectFrom('base_photos').select('id').where('base_org_id', '=', target.baseId);
  const rows = await (target.studioId ? query.where('studio_id', '=', target.studioId) : query.where('studio_id', 'is', null)).execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * A profile's photo list given with `PUT …/base/profile` (docs/BASES.md, "Photos"): typed-in URLs may come and go,
 * but each uploaded photo must stay, once (they are deleted with their own request, which removes their files),
 * and no other base's or studio's upload may be listed. Run inside the profile's transaction.
 */
export async function checkProfilePhotos(trx: Trx, baseId: string, photos: string[]) {
  const uploaded = await uploadedIds(trx, { baseId, studioId: null });
  const listed = photos.map(basePhotoIdOf).filter((id): id is string => id !== null);
  if (new Set(listed).size !== listed.length || listed.length !== uploaded.size || !listed.every((id) => uploaded.has(id))) throw new AppError('BASE_PHOTO_LIST_INVALID');
}

/**
 * Photos of a base and of its studios (docs/BASES.md, "Photos"), through the product pictures' pipeline: the
 * same checks (bytes sniffed, name and type matched, pixel bombs refused, decoded with sharp), the same
 * renditions (240×240 thumbnail, display within 800×800, WebP) and the same store (disk or S3), under
 * `bases/<photo id>/`. All or nothing like a product's upload: files are checked and rendered first, stored,
 * then one transaction records them with the list's row locked and the count checked again.
 */
export function createBasePhotos(deps: { db: Db; dialect: Dialect; clock: Clock; pictures: { storage: PictureStorage; limits: PipelineLimits; publicUrl?: string; logger: Logger } }) {
  const { db } = deps;
  const { storage } = deps.pictures;
  const url = (id: string, rendition: RenditionName) => `${deps.pictures.publicUrl ?? '/media'}/bases/${id}/${RENDITIONS[rendition].file}`;

  async function view(target: PhotoTarget): Promise<{ photos: PhotoView[] }> {
    const list = await photoList(db, target, null);
    const query = db.selectFrom('base_photos').select(['id', 'width', 'height', 'caption']).where('base_org_id', '=', target.baseId);
    const rows = await (target.studioId ? query.where('studio_id', '=', target.studioId) : query.where('studio_id', 'is', null)).execute();
    return { photos: photoViews(list, new Map(rows.map((r) => [r.id, r]))) };
  }

  const write = <T>(target: PhotoTarget, work: (trx: Trx, list: string[]) => Promise<T>) =>
    db.transaction().execute(async (trx) => work(trx, await photoList(trx, target, { dialect: deps.dialect, now: deps.clock.now().toISOString() })));

  return {
    view,

    /** The studio (of this base) and a free place, checked before the caller reads large files. */
    async assertRoomFor(target: PhotoTarget) {
      const list = await photoList(db, target, null);
      if (list.length + 1 > maxOf(target)) throw full(target, list.length);
    },

    /** The refusal of an upload with more files than the target could ever hold: its own limit and its count now. */
    async tooMany(target: PhotoTarget) {
      return full(target, (await photoList(db, target, null)).length);
    },

    /** Adds photos at the end of the list, all or none. `prepare` lets the demo hand in pictures it rendered already. */
    async upload(target: PhotoTarget, files: IncomingPicture[], options: { prepare?: (file: IncomingPicture) => Promise<PreparedPicture> } = {}) {
      if (files.length === 0) throw new AppError('PICTURE_NO_FILE');
      const before = await photoList(db, target, null);
      if (before.length + files.length > maxOf(target)) throw full(target, before.length);
      const prepared: PreparedPicture[] = [];
      for (const file of files) prepared.push(await (options.prepare ?? ((f) => preparePicture(f, deps.pictures.limits)))(file));

      const created = prepared.map((picture) => ({ id: newId(), picture }));
      try {
        for (const { id, picture } of created) {
          for (const name of Object.keys(RENDITIONS) as RenditionName[]) {
            await storage.put(`bases/${id}/${RENDITIONS[name].file}`, picture.renditions[name], { contentType: 'image/webp', cacheControl: IMMUTABLE });
          }
        }
        const now = deps.clock.now().toISOString();
        await write(target, async (trx, list) => {
          if (list.length + created.length > maxOf(target)) throw full(target, list.length);
          await trx
            .insertInto('base_photos')
            .values(created.map(({ id, picture }, i) => ({ id, base_org_id: target.baseId, studio_id: target.studioId, position: list.length + i, width: picture.width, height: picture.height, bytes: picture.bytes, format: picture.format, content_hash: picture.contentHash, created_at: now })))
            .execute();
          await saveList(trx, target, [...list, ...created.map(({ id }) => url(id, 'display'))]);
        });
      } catch (error) {
        await Promise.all(created.map(({ id }) => storage.removeFolder(`bases/${id}`).catch(() => undefined)));
        throw error;
      }
      return view(target);
    },

    /** Takes one uploaded photo off the list and deletes its files (after the commit). */
    async remove(target: PhotoTarget, photoId: string) {
      await write(target, async (trx, list) => {
        const listed = list.find((u) => basePhotoIdOf(u) === photoId);
        // Another base's photo, or another studio's, is not found here.
        if (!listed || !(await uploadedIds(trx, target)).has(photoId)) throw new AppError('BASE_PHOTO_NOT_FOUND');
        await trx.deleteFrom('base_photos').where('id', '=', photoId).execute();
        await saveList(trx, target, list.filter((u) => u !== listed));
      });
      await storage.removeFolder(`bases/${photoId}`).catch((error: unknown) => deps.pictures.logger.warn({ err: error, photoId }, 'could not delete a base photo'));
      return view(target);
    },

    /**
     * Sets or clears (`captionOf`: empty) the caption of one uploaded photo of the target. Another base's photo,
     * another studio's, a profile photo asked for as a studio's (and the other way round) or none: BASE_PHOTO_NOT_FOUND.
     */
    async setCaption(target: PhotoTarget, photoId: string, given: string) {
      const caption = captionOf(given);
      // Another base's studio: STUDIO_NOT_FOUND, as for the other photo requests.
      await photoList(db, target, null);
      const query = db.updateTable('base_photos').set({ caption }).where('id', '=', photoId).where('base_org_id', '=', target.baseId);
      const result = await (target.studioId ? query.where('studio_id', '=', target.studioId) : query.where('studio_id', 'is', null)).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new AppError('BASE_PHOTO_NOT_FOUND');
      return view(target);
    },

    /** The same photos (uploaded and typed-in URLs), each once, in a new order. */
    async reorder(target: PhotoTarget, photos: string[]) {
      await write(target, async (trx, list) => {
        const same = photos.length === list.length && new Set(photos).size === photos.length && photos.every((u) => list.includes(u));
        if (!same) throw new AppError('BASE_PHOTO_ORDER_INVALID');
        await saveList(trx, target, photos);
      });
      return view(target);
    },

    /** The bytes of one rendition, or null. */
    read(photoId: string, rendition: RenditionName) {
      return storage.get(`bases/${photoId}/${RENDITIONS[rendition].file}`);
    },
  };
}

export type BasePhotos = ReturnType<typeof createBasePhotos>;
