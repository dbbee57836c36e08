import { safeImageUrl } from '../shared/urls';
import { THUMB_SIZE, thumbnailUrl } from './urls';

/**
 * A product's first picture as a thumbnail (240×240 WebP from the server, shown smaller by CSS), lazily
 * loaded, with the product's name as its text; the pink placeholder when there is none.
 */
export function ProductThumb({ src, alt, className = 'room-product-img' }: { src: string | null | undefined; alt: string; className?: string }) {
  const safe = safeImageUrl(src ? thumbnailUrl(src) : null);
  return safe ? (
    <img className={className} src={safe} alt={alt} width={THUMB_SIZE} height={THUMB_SIZE} loading="lazy" decoding="async" referrerPolicy="no-referrer" />
  ) : (
    <span className={`${className} room-product-img-empty`} aria-hidden="true" />
  );
}
