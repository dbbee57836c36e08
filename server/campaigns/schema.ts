import { z } from 'zod';
import { couponKindRules } from '../commerce/schema.ts';

const id = z.string().min(1).max(64);
const time = z.iso.datetime({ offset: true });
const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const url = z.string().trim().max(500).refine((v) => v.startsWith('/') || /^https?:\/\//.test(v), { message: 'a path or an http(s) URL' });
const positiveFen = z.number().int().min(1).max(1_000_000_000);

export const CampaignParams = z.strictObject({ id });
export const CampaignCouponParams = z.strictObject({ id, couponId: id });
export const CampaignBrandParams = z.strictObject({ id, orgId: id });
export const OrgCampaignParams = z.strictObject({ orgId: id, id });

/** Dates are checked by the service (CAMPAIGN_DATES_INVALID), not here, so the refusal has its own code. */
export const CreateCampaignBody = z.strictObject({
  name: text(2, 40),
  theme: text(1, 500),
  bannerUrl: url.optional(),
  coverUrl: url.optional(),
  warmupAt: time.optional(),
  startsAt: time,
  endsAt: time,
  brandOrgIds: z.array(id).max(200).optional(),
  sessionIds: z.array(id).max(500).optional(),
});
export type CreateCampaignInput = z.output<typeof CreateCampaignBody>;

export const AddBrandBody = z.strictObject({ brandOrgId: id });
export const ApplyBody = z.strictObject({ note: text(1, 200).optional() }).optional();
export const DecisionBody = z.strictObject({ approve: z.boolean() });
export const AddSessionBody = z.strictObject({ sessionId: id });

/** A shared coupon: 满 threshold 减 amount, an amount off, or a percentage off (capped), on any brand of the campaign. */
export const CampaignCouponBody = z
  .strictObject({
    title: text(1, 30),
    kind: z.enum(['amount', 'threshold', 'percent']),
    amountOffFen: positiveFen.optional(),
    thresholdFen: positiveFen.optional(),
    percentOff: z.number().int().min(1).max(99).optional(),
    capFen: positiveFen.optional(),
    startsAt: time.optional(),
    endsAt: time.optional(),
    perUserLimit: z.number().int().min(1).max(100),
    total: z.number().int().min(1).max(10_000_000),
  })
  .superRefine(couponKindRules);
export type CampaignCouponInput = z.output<typeof CampaignCouponBody>;

export const ListQuery = z.strictObject({ all: z.enum(['true', 'false']).optional() });
