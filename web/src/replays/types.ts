/** GET /api/sessions/:id/chapters (docs/VIDEO.md, Replay chapters). */
export type Chapter = { productId: string; title: string; image: string | null; startS: number; endS: number };
export type ChaptersResponse = { sessionId: string; durationS: number | null; chapters: Chapter[] };
/** GET /api/products/:id/explanation: `{ explanation: Explanation | null }` (null: never explained). */
export type Explanation = { productId: string; sessionId: string; sessionTitle: string; startS: number; endS: number };

/** 75 → "1:15", 3725 → "1:02:05". */
export function clockText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** Where a replay opened at `?t=<seconds>` or `?chapter=<productId>` starts; null: from the beginning. */
export function startFrom(params: URLSearchParams, chapters: Chapter[] | null): number | null {
  const t = params.get('t');
  if (t !== null && /^\d+(\.\d+)?$/.test(t)) return Number(t);
  const product = params.get('chapter');
  if (!product || !chapters) return null;
  // The product's latest chapter, as its explanation link means.
  return chapters.filter((c) => c.productId === product).at(-1)?.startS ?? null;
}

/** The link to a product's explanation clip. */
export function explanationHref(sessionId: string, productId: string): string {
  return `/watch/${encodeURIComponent(sessionId)}?chapter=${encodeURIComponent(productId)}`;
}
