import crypto from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../platform/errors.ts';

// libvips keeps a cache of recent operations (50 MB by default) for programs that process the same images
// again; each picture here is decoded once, so the cache only held memory: about 100 MB of the server's RSS
// after the demo's pictures (bench:room, 10,000 viewers: 401 MB with it).
sharp.cache(false);

/** The formats a brand may upload, told apart by their first bytes (never by name or declared type). */
const FORMATS = {
  jpeg: { label: 'JPEG', mime: ['image/jpeg', 'image/jpg', 'image/pjpeg'], extensions: ['jpg', 'jpeg', 'jpe', 'jfif'] },
  png: { label: 'PNG', mime: ['image/png'], extensions: ['png'] },
  webp: { label: 'WebP', mime: ['image/webp'], extensions: ['webp'] },
  gif: { label: 'GIF', mime: ['image/gif'], extensions: ['gif'] },
} as const;

export type PictureFormat = keyof typeof FORMATS;

/** Every extension and image/* type some format claims, to tell "lies about its type" from "says nothing". */
const KNOWN_EXTENSIONS = new Set<string>(['bmp', 'tif', 'tiff', 'svg', 'svgz', 'heic', 'heif', 'avif', 'ico', 'jxl', 'txt', 'pdf', 'html', 'htm', 'js', 'exe', 'zip', ...Object.values(FORMATS).flatMap((f) => f.extensions)]);

/**
 * The renditions made of every picture; the web asks for them by name (docs/PICTURES.md). WebP effort 2
 * encodes twice as fast as the default 4 for about 5 % more bytes.
 */
export const RENDITIONS = {
  /** Square, cropped to fill: lists, the 小黄车, order lines. */
  thumb: { file: 'thumb.webp', size: 240, fit: 'cover', quality: 76 },
  /** The whole picture within 800×800, never enlarged: product details. */
  display: { file: 'display.webp', size: 800, fit: 'inside', quality: 82 },
} as const;

export type RenditionName = keyof typeof RENDITIONS;

export type IncomingPicture = { filename: string; mimetype: string; bytes: Buffer };

export type PreparedPicture = {
  format: PictureFormat;
  bytes: number;
  contentHash: string;
  /** The display rendition's size. */
  width: number;
  height: number;
  renditions: Record<RenditionName, Buffer>;
};

export type PipelineLimits = { maxBytes: number; maxPixels: number };

export function sniffFormat(b: Buffer): PictureFormat | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) return 'gif';
  return null;
}

export function formatLabel(format: PictureFormat): string {
  return FORMATS[format].label;
}

/** A display name for error messages: the file's base name, short. */
function shown(filename: string): string {
  const base = path.basename(filename || 'file').replace(/[\u0000-\u001f]/g, '');
  return base.length > 60 ? `${base.slice(0, 57)}…` : base || 'file';
}

/**
 * Checks one upload and makes its renditions, all in memory (nothing is stored here):
 * size, then the format from the bytes, then that the name and declared type agree with it, then the
 * dimensions from the header (so a small file claiming 50000×50000 is refused before any decoding),
 * then a full decode with sharp's own pixel limit as a second guard.
 */
export async function preparePicture(file: IncomingPicture, limits: PipelineLimits): Promise<PreparedPicture> {
  const name = shown(file.filename);
  if (file.bytes.length > limits.maxBytes) throw new AppError('PICTURE_TOO_LARGE', { limit: describeBytes(limits.maxBytes) });
  const format = sniffFormat(file.bytes);
  if (!format) throw new AppError('PICTURE_NOT_IMAGE', { file: name });
  const spec = FORMATS[format];
  const extension = path.extname(file.filename).slice(1).toLowerCase();
  if (extension && KNOWN_EXTENSIONS.has(extension) && !(spec.extensions as readonly string[]).includes(extension)) {
    throw new AppError('PICTURE_TYPE_MISMATCH', { file: name, actual: spec.label });
  }
  const mime = file.mimetype.toLowerCase().split(';')[0]!.trim();
  if (mime.startsWith('image/') && !(spec.mime as readonly string[]).includes(mime)) throw new AppError('PICTURE_TYPE_MISMATCH', { file: name, actual: spec.label });

  let width: number;
  let height: number;
  try {
    const meta = await sharp(file.bytes, { limitInputPixels: false }).metadata();
    if (meta.format !== format || !meta.width || !meta.height) throw new Error(`header says ${meta.format}`);
    width = meta.width;
    height = meta.height;
  } catch {
    throw new AppError('PICTURE_NOT_IMAGE', { file: name });
  }
  if (width * height > limits.maxPixels) throw new AppError('PICTURE_TOO_MANY_PIXELS', { file: name, width, height, max: limits.maxPixels });

  try {
    // rotate(): apply the EXIF orientation; the outputs carry no metadata (no GPS from a phone photo).
    const source = sharp(file.bytes, { limitInputPixels: limits.maxPixels, failOn: 'error' }).rotate();
    const thumbSpec = RENDITIONS.thumb;
    const displaySpec = RENDITIONS.display;
    const [thumb, display] = await Promise.all([
      source.clone().resize(thumbSpec.size, thumbSpec.size, { fit: thumbSpec.fit }).webp({ quality: thumbSpec.quality, effort: 2 }).toBuffer(),
      source.clone().resize(displaySpec.size, displaySpec.size, { fit: displaySpec.fit, withoutEnlargement: true }).webp({ quality: displaySpec.quality, effort: 2 }).toBuffer({ resolveWithObject: true }),
    ]);
    return {
      format,
      bytes: file.bytes.length,
      contentHash: crypto.createHash('sha256').update(file.bytes).digest('hex'),
      width: display.info.width,
      height: display.info.height,
      renditions: { thumb, display: display.data },
    };
  } catch (error) {
    if (error instanceof AppError) throw error;
    // A truncated or corrupt file: its header was fine, its pixels are not.
    throw new AppError('PICTURE_NOT_IMAGE', { file: name });
  }
}

export function describeBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`;
}
