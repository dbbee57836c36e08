import { path, post } from '../api';

/**
 * A viewer opened a product's card in the room's 小黄车 (the review's clicks and funnel,
 * docs/ANALYTICS.md): told once per opening, fire and forget — a failure is not the viewer's concern.
 */
export function trackProductClick(sessionId: string, productId: string): void {
  if (!sessionId || !productId) return;
  post(path`/api/rooms/${sessionId}/products/${productId}/click`).catch(() => undefined);
}
