import { z } from 'zod';

/**
 * What an assistant (场控) may do in their streamer's lives. The streamer always may do everything;
 * operators moderate any room. Stored as a JSON array with the assistant (room_assistants.rights).
 */
export const ASSISTANT_RIGHTS = ['moderate', 'products', 'flash_sales', 'coupons', 'lucky_bags', 'presets'] as const;
export type AssistantRight = (typeof ASSISTANT_RIGHTS)[number];

/** A new assistant's rights: everything but managing the streamer's presets (what assistants could do before rights). */
export const DEFAULT_ASSISTANT_RIGHTS: AssistantRight[] = ['moderate', 'products', 'flash_sales', 'coupons', 'lucky_bags'];

export const AssistantRightsSchema = z.array(z.enum(ASSISTANT_RIGHTS)).max(ASSISTANT_RIGHTS.length);

/** The stored JSON, in the canonical order; unknown words are dropped. */
export function parseRights(json: string): AssistantRight[] {
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    return [];
  }
  return Array.isArray(list) ? ASSISTANT_RIGHTS.filter((r) => list.includes(r)) : [];
}

export function storeRights(rights: readonly AssistantRight[]): string {
  return JSON.stringify(ASSISTANT_RIGHTS.filter((r) => rights.includes(r)));
}
