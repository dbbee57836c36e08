import { z } from 'zod';
import { AppError } from '../platform/errors.ts';

export const SEARCH_TYPES = ['all', 'sessions', 'streamers', 'brands', 'products'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** The longest query, in characters (code points). */
export const MAX_QUERY_CHARS = 64;

/** `q` is checked by `normaliseQuery`, which has its own error codes; only its type is checked here. */
export const SearchQuery = z.strictObject({
  q: z.string().optional(),
  type: z.enum(SEARCH_TYPES).default('all'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export type NormalisedQuery = {
  /** What the user asked for: trimmed, control characters taken out (echoed back as `query`). */
  display: string;
  /** What is searched for: `display` with A–Z folded to a–z, as the index folds the text. */
  text: string;
  /** Its length in characters (code points, as SQLite's and PostgreSQL's length() count). */
  chars: number;
};

/**
 * Every character of a query is literal text: full-text operators (FTS5 " * ^ : ( ) AND OR NOT NEAR,
 * tsquery & | ! <->, LIKE % _ \) are searched for as they are, never interpreted. A query with no
 * letter or digit at all (only spaces, punctuation or operators) is empty.
 */
export function normaliseQuery(raw: string | undefined): NormalisedQuery {
  // Control characters (NUL among them, which PostgreSQL refuses in text) never occur in names or titles.
  const display = (raw ?? '').replace(/\p{Cc}/gu, ' ').trim();
  if (display === '') throw new AppError('SEARCH_QUERY_EMPTY');
  const chars = [...display].length;
  if (chars > MAX_QUERY_CHARS) throw new AppError('SEARCH_QUERY_TOO_LONG', { max: MAX_QUERY_CHARS });
  if (!/[\p{L}\p{N}]/u.test(display)) throw new AppError('SEARCH_QUERY_EMPTY');
  return { display, text: display.replace(/[A-Z]+/g, (s) => s.toLowerCase()), chars };
}
