import { z } from 'zod';
import { CouponDropBody, LuckyBagBody } from '../room/schema.ts';
import { FlashSaleBody } from '../commerce/schema.ts';
import { AssistantRightsSchema } from './rights.ts';

const id = z.string().min(1).max(64);

export const SessionParams = z.strictObject({ id: z.uuid() });
export const PresetParams = z.strictObject({ id: z.uuid(), presetId: id });
export const AssistantParams = z.strictObject({ userId: id });

/**
 * A preset's payload is the body of the endpoint that launches it, with the same limits. A flash sale
 * may leave out the SKU: it then goes to the pinned product (its cheapest SKU) at launch.
 */
export const PRESET_PAYLOADS = {
  flash_sale: FlashSaleBody.extend({ skuId: id.optional() }),
  coupon: CouponDropBody,
  lucky_bag: LuckyBagBody,
} as const;
export type PresetKind = keyof typeof PRESET_PAYLOADS;
export const PRESET_KINDS = Object.keys(PRESET_PAYLOADS) as PresetKind[];

// The payload is checked against its kind in the service, so a bad payload answers COCKPIT_PRESET_INVALID.
export const PresetBody = z.strictObject({
  kind: z.enum(['flash_sale', 'coupon', 'lucky_bag']),
  name: z.string().trim().min(1).max(40),
  payload: z.record(z.string(), z.unknown()),
});
export const PresetPatch = z.strictObject({
  name: z.string().trim().min(1).max(40).optional(),
  payload: z.record(z.string(), z.unknown()).optional(),
});
/** A flash-sale preset without a SKU may be given one at launch. */
export const LaunchBody = z.strictObject({ skuId: id.optional() });

export const RightsBody = z.strictObject({ rights: AssistantRightsSchema });
