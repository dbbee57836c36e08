import { z } from 'zod';
import { RequestKey, rule } from '../platform/validate.ts';

const id = z.string().min(1).max(64);
const fen = z.number().int().min(0).max(1_000_000_000);
const positiveFen = z.number().int().min(1).max(1_000_000_000);
const text = (max: number) => z.string().trim().max(max).refine((v) => v.length > 0, rule('TEXT_BLANK'));


/** The fields a coupon's kind needs (amount, 满减 threshold, percentage), shared by brand and campaign coupons. */
export function couponKindRules(c: { kind: string; amountOffFen?: number; thresholdFen?: number; percentOff?: number }, ctx: z.RefinementCtx) {
  const need = (field: 'amountOffFen' | 'thresholdFen' | 'percentOff', when: boolean) => {
    if (when && c[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `required for kind ${c.kind}` });
  };
  need('amountOffFen', c.kind === 'amount' || c.kind === 'threshold');
  need('thresholdFen', c.kind === 'threshold');
  need('percentOff', c.kind === 'percent');
  if (c.kind === 'threshold' && c.amountOffFen !== undefined && c.thresholdFen !== undefined && c.amountOffFen >= c.thresholdFen)
    ctx.addIssue({ code: 'custom', path: ['amountOffFen'], message: 'must be below thresholdFen' });
}

export const IdParams = z.strictObject({ id });
export const OrgItemParams = z.strictObject({ orgId: id, id });
export const OrgOrderParams = z.strictObject({ orgId: id, orderId: id });

// --- room product list ---
export const RoomProductsBody = z.strictObject({
  items: z
    .array(z.strictObject({ productId: id, livePrices: z.record(id, positiveFen).optional() }))
    .max(200)
    .refine((items) => new Set(items.map((i) => i.productId)).size === items.length, { message: 'duplicate productId' }),
});

// --- addresses ---
export const AddressBody = z.strictObject({
  name: text(20),
  phone: z.string().trim().refine((v) => /^1[3-9]\d{9}$/.test(v), rule('PHONE_MALFORMED')),
  region: text(60),
  detail: text(120),
  isDefault: z.boolean().optional(),
});
export const AddressPatch = AddressBody.partial();

// --- shipping rule ---
export const ShippingRuleBody = z.strictObject({ baseFeeFen: fen, freeOverFen: positiveFen.nullable() });

// --- coupons ---
export const CouponBody = z
  .strictObject({
    title: text(30),
    kind: z.enum(['amount', 'threshold', 'percent']),
    amountOffFen: positiveFen.optional(),
    thresholdFen: positiveFen.optional(),
    percentOff: z.number().int().min(1).max(99).optional(),
    capFen: positiveFen.optional(),
    scope: z.enum(['brand', 'products']),
    productIds: z.array(id).max(100).optional(),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    perUserLimit: z.number().int().min(1).max(100),
    total: z.number().int().min(1).max(10_000_000),
  })
  .superRefine((c, ctx) => {
    couponKindRules(c, ctx);
    if (c.scope === 'products' && !c.productIds?.length) ctx.addIssue({ code: 'custom', path: ['productIds'], message: 'required when scope is products' });
    if (Date.parse(c.endsAt) <= Date.parse(c.startsAt)) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
  });

// --- checkout ---
// Prices and totals a client sends are accepted and thrown away: the server always recomputes them.
const ignored = z.unknown().optional().transform(() => undefined);
export const CheckoutBody = z
  .strictObject({
    items: z
      .array(
        z
          // Up to 100,000 a line: wholesale orders (docs/B2B.md) reach tiers of 1,000 and more; stock still limits parcels.
          .strictObject({ productId: id, skuId: id, quantity: z.number().int().min(1).max(100_000), priceFen: ignored, unitPriceFen: ignored })
          .transform(({ productId, skuId, quantity }) => ({ productId, skuId, quantity })),
      )
      .min(1)
      .max(20),
    sessionId: id.optional(),
    userCouponId: id.optional(),
    addressId: id.optional(),
    confirmNoReturn: z.boolean().optional(),
    /** Cross-border (docs/CROSSBORDER.md): the payer named at checkout; it must be the verified buyer. Absent: the verified buyer pays. */
    crossBorder: z.strictObject({ payerName: z.string().trim().min(1).max(50), payerIdNumber: z.string().trim().min(1).max(32) }).optional(),
    totalFen: ignored,
    itemsTotalFen: ignored,
    discountFen: ignored,
    shippingFen: ignored,
  })
  .transform(({ totalFen: _t, itemsTotalFen: _i, discountFen: _d, shippingFen: _s, ...rest }) => rest);
export type CheckoutInput = z.output<typeof CheckoutBody>;

export const IdempotencyKey = RequestKey.optional();

export const FlashOrderBody = z.strictObject({ quantity: z.number().int().min(1).max(999), addressId: id.optional() });
export const OrderAddressBody = z.strictObject({ addressId: id });
export const ShipBody = z.strictObject({ carrier: text(30), trackingNo: z.string().trim().regex(/^[A-Za-z0-9-]{6,40}$/) });
export const StatusQuery = z.strictObject({
  status: z.enum(['pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled']).optional(),
});

// --- after-sales ---
export const AfterSaleBody = z.strictObject({
  kind: z.enum(['refund_only', 'return_refund']),
  itemId: id.optional(),
  amountFen: positiveFen,
  reason: text(200),
  /** A return's cause: 七天无理由 (standard items only) or a quality problem (破损、错发、与描述不符; any item). */
  cause: z.enum(['no_reason', 'quality']).default('no_reason'),
});
export const ReturnShipmentBody = ShipBody;
export const DecisionBody = z.strictObject({ reason: text(200).optional() });
export const RejectBody = z.strictObject({ reason: text(200) });
export const AfterSaleQuery = z.strictObject({
  status: z.enum(['requested', 'awaiting_return', 'returned', 'refunding', 'refunded', 'rejected']).optional(),
});

// --- flash sales ---
export const FlashSaleBody = z.strictObject({
  skuId: id,
  priceFen: positiveFen,
  stock: z.number().int().min(1).max(1_000_000),
  perUserLimit: z.number().int().min(1).max(100),
  startsInSeconds: z.number().int().min(0).max(24 * 3600),
  durationSeconds: z.number().int().min(5).max(7 * 24 * 3600),
});
