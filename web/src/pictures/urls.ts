/** The size of every thumbnail the server makes (server/pictures/pipeline.ts): square, cropped to fill. */
export const THUMB_SIZE = 240;

// A display URL this server made: /media/products/<id>/display.webp, or the same key under the picture
// store's public address (S3_PUBLIC_URL, an http(s) bucket or CDN URL); the thumbnail sits beside it.
const DISPLAY = /^((?:\/media|https?:\/\/[^?#]+)\/products\/([0-9a-f-]{36})\/)display\.webp$/;

/** The thumbnail of a product picture from its display URL (what products.images lists); other URLs as they are. */
export function thumbnailUrl(displayUrl: string): string {
  const match = DISPLAY.exec(displayUrl);
  return match ? `${match[1]}thumb.webp` : displayUrl;
}

/** The picture id in a display URL this server made, or null (an address typed in elsewhere). */
export function pictureIdOf(url: string): string | null {
  return DISPLAY.exec(url)?.[2] ?? null;
}
