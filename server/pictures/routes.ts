import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { parseInput } from '../platform/validate.ts';
import { describeBytes, RENDITIONS, type IncomingPicture, type RenditionName } from './pipeline.ts';
import { IMMUTABLE, isPictureId, MAX_PICTURES_PER_PRODUCT, type Pictures } from './service.ts';

const ProductParams = z.strictObject({ orgId: z.string().min(1).max(64), productId: z.string().min(1).max(64) });
const PictureParams = ProductParams.extend({ pictureId: z.string().min(1).max(64) });
const ReorderBody = z.strictObject({ images: z.array(z.string().min(1).max(500)).max(MAX_PICTURES_PER_PRODUCT) });

const BY_FILE = new Map(Object.entries(RENDITIONS).map(([name, r]) => [r.file as string, name as RenditionName]));

/**
 * Product pictures (docs/PICTURES.md): a brand's owners, admins and staff upload (multipart, one or
 * more files), delete and reorder; anyone fetches the renditions.
 */
export function picturesRoutes(app: FastifyInstance, deps: { pictures: Pictures; config: Config }) {
  const { pictures, config } = deps;
  const editors = { kind: 'org', roles: ['owner', 'admin', 'staff'], orgKinds: ['brand'], operators: false } as const;

  // Multipart is parsed only here: elsewhere a multipart body stays an unsupported media type.
  void app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: config.PRODUCT_IMAGE_MAX_BYTES, files: MAX_PICTURES_PER_PRODUCT, fields: 10, parts: MAX_PICTURES_PER_PRODUCT + 10, headerPairs: 200 },
    });

    // The body is multipart/form-data with one or more image files (not described by a schema).
    scope.post('/api/orgs/:orgId/products/:productId/pictures', { schema: { tags: ['pictures'], summary: 'Upload product pictures (multipart/form-data)', params: ProductParams }, config: { access: editors } }, async (request, reply) => {
      const { orgId, productId } = parseInput(ProductParams, request.params, request.locale);
      if (!request.isMultipart()) throw new AppError('PICTURE_NO_FILE');
      // The product and a free place are checked before any file is read.
      await pictures.assertRoomFor(orgId, productId);
      const files: IncomingPicture[] = [];
      try {
        for await (const part of request.files()) {
          files.push({ filename: part.filename, mimetype: part.mimetype, bytes: await part.toBuffer() });
        }
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PICTURE_TOO_LARGE', { limit: describeBytes(config.PRODUCT_IMAGE_MAX_BYTES) });
        if (code === 'FST_FILES_LIMIT') throw new AppError('PICTURE_TOO_MANY', { max: MAX_PICTURES_PER_PRODUCT });
        throw error;
      }
      const result = await pictures.upload(orgId, productId, files);
      reply.code(201);
      return result;
    });
  });

  app.delete('/api/orgs/:orgId/products/:productId/pictures/:pictureId', { schema: { tags: ['pictures'], summary: 'Delete a product picture', params: PictureParams }, config: { access: editors } }, async (request) => {
    const { orgId, productId, pictureId } = parseInput(PictureParams, request.params, request.locale);
    if (!isPictureId(pictureId)) throw new AppError('PICTURE_NOT_FOUND');
    return pictures.remove(orgId, productId, pictureId);
  });

  app.put('/api/orgs/:orgId/products/:productId/pictures/order', { schema: { tags: ['pictures'], summary: "Reorder a product's pictures", params: ProductParams, body: ReorderBody }, config: { access: editors } }, async (request) => {
    const { orgId, productId } = parseInput(ProductParams, request.params, request.locale);
    const { images } = parseInput(ReorderBody, request.body, request.locale);
    return pictures.reorder(orgId, productId, images);
  });

  serveRenditions(app, 'products', (pictureId, rendition) => pictures.read(pictureId, rendition));
}

/**
 * GET /media/<folder>/:pictureId/(thumb|display).webp: one rendition from the picture store, cached for a
 * year (a picture id is never reused), with an ETag; products' pictures and bases' photos (server/bases/photos.ts).
 */
export function serveRenditions(app: FastifyInstance, folder: 'products' | 'bases', read: (pictureId: string, rendition: RenditionName) => Promise<Buffer | null>) {
  app.get(`/media/${folder}/:pictureId/:file`, async (request, reply) => {
    const { pictureId, file } = request.params as { pictureId: string; file: string };
    const rendition = BY_FILE.get(file);
    if (!rendition || !isPictureId(pictureId)) throw new AppError('NOT_FOUND');
    const etag = `"${pictureId}-${rendition}"`;
    if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      return reply.code(304).header('cache-control', IMMUTABLE).header('etag', etag).send();
    }
    // A missing picture (404) or a store that is away (503 PICTURE_STORE_UNAVAILABLE) must not be cached.
    reply.header('cache-control', 'no-store');
    const bytes = await read(pictureId, rendition);
    if (!bytes) throw new AppError('NOT_FOUND');
    return reply.header('cache-control', IMMUTABLE).header('etag', etag).type('image/webp').send(bytes);
  });
}
