import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { OrgIdParams } from '../orgs/schema.ts';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { parseInput } from '../platform/validate.ts';
import { describeBytes, type IncomingPicture } from '../pictures/pipeline.ts';
import { serveRenditions } from '../pictures/routes.ts';
import { isPictureId } from '../pictures/service.ts';
import { MAX_BASE_PHOTOS, type BasePhotos, type PhotoTarget } from './photos.ts';

const id = z.string().min(1).max(64);
const StudioPhotoParams = z.strictObject({ orgId: id, studioId: id });
const BasePhotoParams = z.strictObject({ orgId: id, photoId: id });
const StudioOnePhotoParams = z.strictObject({ orgId: id, studioId: id, photoId: id });
const OrderBody = z.strictObject({ photos: z.array(z.string().min(1).max(500)).max(MAX_BASE_PHOTOS) });
/** The caption's own rules (40 characters, one line) are checked by captionOf with their own codes, whatever its length here. */
const CaptionBody = z.strictObject({ caption: z.string() });

/**
 * Photos of a base's profile and of its studios (docs/BASES.md, "Photos"): its owners and admins upload
 * (multipart, one or more image files), reorder, caption and delete; its members read the list; anyone fetches the
 * renditions under /media/bases/. Uploads go through the product pictures' pipeline (server/bases/photos.ts).
 */
export function basePhotosRoutes(app: FastifyInstance, deps: { photos: BasePhotos; config: Config }) {
  const { photos, config } = deps;
  const read = { kind: 'org', roles: 'any', orgKinds: ['base'] } as const;
  const write = { kind: 'org', roles: ['owner', 'admin'], orgKinds: ['base'], operators: false } as const;

  /** Reads every file part after the target's checks; the reader stops at the size and count limits. */
  async function upload(request: FastifyRequest, target: PhotoTarget) {
    if (!request.isMultipart()) throw new AppError('PICTURE_NO_FILE');
    await photos.assertRoomFor(target);
    const files: IncomingPicture[] = [];
    try {
      for await (const part of request.files()) files.push({ filename: part.filename, mimetype: part.mimetype, bytes: await part.toBuffer() });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PICTURE_TOO_LARGE', { limit: describeBytes(config.PRODUCT_IMAGE_MAX_BYTES) });
      // More parts than any list holds (the reader's limit is the base's 20): the target's own limit and count.
      if (code === 'FST_FILES_LIMIT') throw await photos.tooMany(target);
      throw error;
    }
    return photos.upload(target, files);
  }

  // Multipart is parsed only in this scope (as for product pictures): elsewhere it stays an unsupported media type.
  void app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: config.PRODUCT_IMAGE_MAX_BYTES, files: MAX_BASE_PHOTOS, fields: 10, parts: MAX_BASE_PHOTOS + 10, headerPairs: 200 },
    });
    scope.post('/api/orgs/:orgId/base/photos', { schema: { tags: ['bases'], summary: "Upload photos of the base's profile (multipart/form-data)", params: OrgIdParams }, config: { access: write } }, async (request, reply) => {
      const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
      const result = await upload(request, { baseId: orgId, studioId: null });
      reply.code(201);
      return result;
    });
    scope.post('/api/orgs/:orgId/studios/:studioId/photos', { schema: { tags: ['bases'], summary: 'Upload photos of a studio (multipart/form-data)', params: StudioPhotoParams }, config: { access: write } }, async (request, reply) => {
      const { orgId, studioId } = parseInput(StudioPhotoParams, request.params, request.locale);
      const result = await upload(request, { baseId: orgId, studioId });
      reply.code(201);
      return result;
    });
  });

  app.get('/api/orgs/:orgId/base/photos', { schema: { tags: ['bases'], summary: "The base profile's photos", params: OrgIdParams }, config: { access: read } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    return photos.view({ baseId: orgId, studioId: null });
  });
  app.get('/api/orgs/:orgId/studios/:studioId/photos', { schema: { tags: ['bases'], summary: "A studio's photos", params: StudioPhotoParams }, config: { access: read } }, async (request) => {
    const { orgId, studioId } = parseInput(StudioPhotoParams, request.params, request.locale);
    return photos.view({ baseId: orgId, studioId });
  });
  app.put('/api/orgs/:orgId/base/photos/order', { schema: { tags: ['bases'], summary: "Reorder the base profile's photos", params: OrgIdParams, body: OrderBody }, config: { access: write } }, async (request) => {
    const { orgId } = parseInput(OrgIdParams, request.params, request.locale);
    const body = parseInput(OrderBody, request.body, request.locale);
    return photos.reorder({ baseId: orgId, studioId: null }, body.photos);
  });
  app.put('/api/orgs/:orgId/studios/:studioId/photos/order', { schema: { tags: ['bases'], summary: "Reorder a studio's photos", params: StudioPhotoParams, body: OrderBody }, config: { access: write } }, async (request) => {
    const { orgId, studioId } = parseInput(StudioPhotoParams, request.params, request.locale);
    const body = parseInput(OrderBody, request.body, request.locale);
    return photos.reorder({ baseId: orgId, studioId }, body.photos);
  });
  app.delete('/api/orgs/:orgId/base/photos/:photoId', { schema: { tags: ['bases'], summary: "Delete an uploaded photo of the base's profile", params: BasePhotoParams }, config: { access: write } }, async (request) => {
    const { orgId, photoId } = parseInput(BasePhotoParams, request.params, request.locale);
    if (!isPictureId(photoId)) throw new AppError('BASE_PHOTO_NOT_FOUND');
    return photos.remove({ baseId: orgId, studioId: null }, photoId);
  });
  app.delete('/api/orgs/:orgId/studios/:studioId/photos/:photoId', { schema: { tags: ['bases'], summary: "Delete an uploaded photo of a studio", params: StudioOnePhotoParams }, config: { access: write } }, async (request) => {
    const { orgId, studioId, photoId } = parseInput(StudioOnePhotoParams, request.params, request.locale);
    if (!isPictureId(photoId)) throw new AppError('BASE_PHOTO_NOT_FOUND');
    return photos.remove({ baseId: orgId, studioId }, photoId);
  });

  app.put('/api/orgs/:orgId/base/photos/:photoId/caption', { schema: { tags: ['bases'], summary: "Set or clear the caption of an uploaded photo of the base's profile", params: BasePhotoParams, body: CaptionBody }, config: { access: write } }, async (request) => {
    const { orgId, photoId } = parseInput(BasePhotoParams, request.params, request.locale);
    const body = parseInput(CaptionBody, request.body, request.locale);
    if (!isPictureId(photoId)) throw new AppError('BASE_PHOTO_NOT_FOUND');
    return photos.setCaption({ baseId: orgId, studioId: null }, photoId, body.caption);
  });
  app.put('/api/orgs/:orgId/studios/:studioId/photos/:photoId/caption', { schema: { tags: ['bases'], summary: "Set or clear the caption of an uploaded photo of a studio", params: StudioOnePhotoParams, body: CaptionBody }, config: { access: write } }, async (request) => {
    const { orgId, studioId, photoId } = parseInput(StudioOnePhotoParams, request.params, request.locale);
    const body = parseInput(CaptionBody, request.body, request.locale);
    if (!isPictureId(photoId)) throw new AppError('BASE_PHOTO_NOT_FOUND');
    return photos.setCaption({ baseId: orgId, studioId }, photoId, body.caption);
  });

  serveRenditions(app, 'bases', (photoId, rendition) => photos.read(photoId, rendition));
}
