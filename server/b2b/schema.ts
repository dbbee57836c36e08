import { z } from 'zod';
import { rule } from '../platform/validate.ts';

const Id = z.string().min(1).max(64);
const fen = z.number().int().min(1).max(1_000_000_000);
const text = (max: number) => z.string().trim().max(max).refine((v) => v.length > 0, rule('TEXT_BLANK'));

export const OrgParams = z.strictObject({ orgId: Id });
export const ProductParams = z.strictObject({ productId: Id });
export const OrgProductParams = z.strictObject({ orgId: Id, productId: Id });
export const LicenceParams = z.strictObject({ licenceId: Id });
export const RfqParams = z.strictObject({ rfqId: Id });
export const OrgRfqParams = z.strictObject({ orgId: Id, rfqId: Id });
export const LicenceStatusQuery = z.strictObject({ status: z.enum(['pending', 'approved', 'rejected']).optional() });

export const LicenceBody = z.strictObject({
  companyName: text(100),
  /** Upper-cased and trimmed here; its characters and check character are the service's rules (B2B_LICENCE_*). */
  creditCode: z.string().trim().max(40).transform((s) => s.toUpperCase()),
});
export const ReviewBody = z.strictObject({ decision: z.enum(['approve', 'reject']), reason: z.string().trim().max(200).optional() });

const TierInput = z.strictObject({ minQty: z.number().int().min(1).max(10_000_000), unitPriceFen: fen });
const TermsFields = {
  tiers: z.array(TierInput).min(1).max(10),
  moq: z.number().int().min(1).max(10_000_000),
  samplePriceFen: fen.nullable().default(null),
  sampleLimit: z.number().int().min(0).max(100).default(0),
};
export const TermsBody = z.strictObject(TermsFields);
export const WholesaleProductBody = z.strictObject({
  title: z.string().trim().min(2).max(60),
  description: z.string().trim().max(5000).default(''),
  category: z.string().trim().min(1).max(40),
  images: z.array(z.url().max(500)).max(9).default([]),
  /** priceFen: the suggested retail price (shown to everyone, as any product's); the tiers are the wholesale prices. */
  skus: z.array(z.strictObject({ spec: z.record(z.string().max(20), z.string().max(40)), priceFen: fen, stock: z.number().int().min(0).max(10_000_000) })).min(1).max(20),
  ...TermsFields,
});

export const SampleBody = z.strictObject({ skuId: Id, quantity: z.number().int().min(1).max(100).default(1), addressId: Id.optional() });
export const RfqBody = z.strictObject({ skuId: Id, quantity: z.number().int().min(1).max(10_000_000), targetPriceFen: fen.optional(), note: z.string().trim().max(500).default('') });
export const QuoteBody = z.strictObject({ unitPriceFen: fen, note: z.string().trim().max(500).default(''), validDays: z.number().int().min(1).max(90).default(7) });
export const DeclineBody = z.strictObject({ note: z.string().trim().max(500).default('') });
export const AcceptBody = z.strictObject({ addressId: Id.optional() });

/** consent is checked by the service (B2B_LEAD_CONSENT_REQUIRED), so a missing or false tick gets its own code. */
export const LeadBody = z.strictObject({
  sessionId: Id,
  productId: Id.optional(),
  name: text(40),
  contact: text(60),
  company: z.string().trim().max(100).default(''),
  need: text(500),
  consent: z.boolean().optional(),
});
