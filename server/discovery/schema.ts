import { z } from 'zod';

/**
 * A top-level category as the home page's tabs name it ("食品" of "食品/糕点"). It is compared with
 * LIKE '<category>/%', so the characters LIKE treats specially (and the separator) are refused.
 */
const Category = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .regex(/^[^/%_\\]+$/);

/** The replays page after this one: the last replay's scheduled time and id, base64url JSON. */
export type ReplayCursor = { at: string; id: string };

const Cursor = z
  .string()
  .max(200)
  .transform((raw, ctx): ReplayCursor => {
    try {
      const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
      const parsed = z.strictObject({ at: z.iso.datetime({ offset: true }), id: z.string().min(1).max(64) }).parse(value);
      return parsed;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'malformed cursor' });
      return z.NEVER;
    }
  });

export function encodeCursor(cursor: ReplayCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export const DiscoverQuery = z.strictObject({
  category: Category.optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const StreamerProfileParams = z.strictObject({ streamerId: z.string().min(1).max(64) });
export const BrandProfileParams = z.strictObject({ id: z.string().min(1).max(64) });
