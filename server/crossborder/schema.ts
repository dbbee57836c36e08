import { z } from 'zod';
import { ORIGIN_COUNTRIES } from './rules.ts';

const id = z.string().min(1).max(64);
const rateBp = z.number().int().min(0).max(10_000);

export const OrgParams = z.strictObject({ orgId: id });
export const OrgProductParams = z.strictObject({ orgId: id, productId: id });
export const OrgOrderParams = z.strictObject({ orgId: id, orderId: id });
export const OrgOrderMessageParams = z.strictObject({ orgId: id, orderId: id, type: z.enum(['CEB311', 'CEB411', 'CEB511']) });
export const ProductParams = z.strictObject({ productId: id });

/** The buyer's real name and ID number (GB 11643); the number is checked by the service (CROSSBORDER_ID_INVALID). */
export const IdentityBody = z.strictObject({
  realName: z.string().trim().min(2).max(30),
  idNumber: z.string().trim().min(1).max(32),
});
export type IdentityInput = z.output<typeof IdentityBody>;

/** A product's origin, mode and tax class; rates in basis points (1300 = 13 %). */
export const CrossBorderProductBody = z.strictObject({
  originCountry: z.enum(ORIGIN_COUNTRIES),
  mode: z.enum(['bonded', 'direct']),
  vatRateBp: rateBp,
  consumptionTaxRateBp: z.number().int().min(0).max(9_000),
  tariffRateBp: rateBp,
  indivisible: z.boolean(),
  hsCode: z.string().regex(/^\d{10}$/),
});
export type CrossBorderProductInput = z.output<typeof CrossBorderProductBody>;
