import { z } from 'zod';
import { AddressBody, ShipBody } from '../commerce/schema.ts';
import { rule } from '../platform/validate.ts';

// Request shapes of the cooperation routes (docs/COOPERATION.md). Commission rates are checked by the
// service with checkCommissionBps (server/ledger/schema.ts), so any number outside 0–9000 answers
// COMMISSION_RATE_INVALID rather than a generic validation error.

const id = z.string().min(1).max(64);
const fen = z.number().int().min(0).max(100_000_000_000);
const text = (max: number) => z.string().trim().max(max).refine((v) => v.length > 0, rule('TEXT_BLANK'));
const bps = z.number();

export const IdParams = z.strictObject({ id });
export const OrgItemParams = z.strictObject({ orgId: id, id });

const SampleTerms = z.strictObject({
  available: z.boolean(),
  depositFen: fen.default(0),
  maxPerStreamer: z.number().int().min(1).max(100).default(1),
});
const Requirements = z.strictObject({
  minFollowers: z.number().int().min(0).max(1_000_000_000).default(0),
  categories: z.array(z.string().trim().min(1).max(30)).max(20).default([]),
});

export const OfferBody = z.strictObject({
  productId: id,
  commissionBps: bps,
  priceFloorFen: fen.nullable().optional(),
  samples: SampleTerms.optional(),
  requirements: Requirements.optional(),
  note: z.string().trim().max(500).optional(),
});
export type OfferInput = z.output<typeof OfferBody>;

export const OfferPatch = z.strictObject({
  commissionBps: bps.optional(),
  priceFloorFen: fen.nullable().optional(),
  samples: SampleTerms.optional(),
  requirements: Requirements.optional(),
  note: z.string().trim().max(500).optional(),
  status: z.enum(['active', 'paused']).optional(),
});
export type OfferPatchInput = z.output<typeof OfferPatch>;

const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The square's search: keyword, filters, sort, page. */
export const SquareQuery = z.strictObject({
  q: z.string().trim().max(50).optional(),
  category: z.string().trim().min(1).max(30).optional(),
  commissionMin: intParam(0, 9000).optional(),
  commissionMax: intParam(0, 9000).optional(),
  priceMin: intParam(0, 100_000_000_000).optional(),
  priceMax: intParam(0, 100_000_000_000).optional(),
  brandOrgId: id.optional(),
  sort: z.enum(['commission', 'price', 'sales', 'newest']).default('newest'),
  order: z.enum(['asc', 'desc']).optional(),
  page: intParam(1, 10_000).default(1),
  pageSize: intParam(1, 100).default(20),
});
export type SquareSearch = z.output<typeof SquareQuery>;

/** Side-by-side: ?ids=a,b,c (2–10 offers). */
export const CompareQuery = z.strictObject({
  ids: z
    .string()
    .transform((v) => [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))])
    .pipe(z.array(id).min(1).max(10)),
});

export const ApplyBody = z.strictObject({ message: z.string().trim().max(500).optional() });
export const McnApplyBody = z.strictObject({ offerId: id, streamerId: id, message: z.string().trim().max(500).optional() });
export const ApproveApplicationBody = z.strictObject({ commissionBps: bps.optional() }).optional();
export const RejectBody = z.strictObject({ reason: text(200) });
export const ApplicationQuery = z.strictObject({ status: z.enum(['pending', 'approved', 'rejected', 'revoked']).optional() });

/** The approved brands for pickers: an optional name keyword, paged (50 by default, at most 100). */
export const BrandListQuery = z.strictObject({
  q: z.string().trim().max(50).optional(),
  page: intParam(1, 10_000).default(1),
  pageSize: intParam(1, 100).default(50),
});

const SampleAddress = AddressBody.omit({ isDefault: true });
export const SampleBody = z.strictObject({ address: SampleAddress, message: z.string().trim().max(500).optional() });
export const McnSampleBody = z.strictObject({ offerId: id, streamerId: id, address: SampleAddress, message: z.string().trim().max(500).optional() });
export type SampleAddressInput = z.output<typeof SampleAddress>;
export const ShipmentBody = ShipBody;
export const SampleQuery = z.strictObject({
  status: z.enum(['requested', 'approved', 'rejected', 'shipped', 'received', 'returning', 'returned', 'kept']).optional(),
});

export const SlotFeeBody = z.strictObject({
  sessionId: id,
  productId: id,
  feeFen: fen.refine((v) => v > 0, { message: 'must be at least 1 fen' }),
  gmvTargetFen: fen,
  refundBps: z.number().int().min(0).max(10_000),
});
export type SlotFeeInput = z.output<typeof SlotFeeBody>;
export const SlotFeeQuery = z.strictObject({ status: z.enum(['proposed', 'accepted', 'rejected', 'settled']).optional() });
