import { z } from 'zod';
import { rule } from '../platform/validate.ts';

const id = z.string().min(1).max(64);
const text = (max: number) => z.string().trim().max(max).refine((v) => v.length > 0, rule('TEXT_BLANK'));
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);
const slots = z.array(z.strictObject({ from: hhmm, to: hhmm })).min(1).max(6);
const days = z.array(z.number().int().min(1).max(7)).min(1).max(7);
const category = z.enum(['set_meal', 'hotel_night', 'beauty', 'ticket']);

export const OrgParams = z.strictObject({ orgId: id });
export const OrgStoreParams = z.strictObject({ orgId: id, storeId: id });
export const IdParams = z.strictObject({ id });
export const StoreParams = z.strictObject({ storeId: id });
export const EmptyBody = z.strictObject({}).optional();

export const StoreBody = z.strictObject({ name: text(40), city: text(20), address: text(120) });
export const StaffBody = z.strictObject({ login: z.string().min(1).max(254) });

export const VoucherBody = z.strictObject({
  title: text(60),
  description: z.string().trim().max(2000).default(''),
  category,
  priceFen: z.number().int().min(1).max(100_000_000),
  stock: z.number().int().min(0).max(1_000_000),
  validFrom: z.iso.datetime({ offset: true }),
  validTo: z.iso.datetime({ offset: true }),
  storeIds: z.array(id).min(1).max(200),
  days,
  slots,
  image: z.string().max(500).optional(),
});

export const ReportQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(366).default(30) });
export const MineQuery = z.strictObject({ orderId: id.optional() });
export const RedeemBody = z.strictObject({ storeId: id, code: z.string().min(1).max(40) });

export const FirstStoreBody = z.strictObject({
  storeId: id,
  level: z.enum(['global', 'asia', 'mainland', 'regional']),
  title: text(60),
  description: z.string().trim().max(2000).default(''),
  opensOn: z.iso.date(),
  sessionId: id.optional(),
  coupon: z.strictObject({ title: text(40), total: z.number().int().min(1).max(1_000_000), validTo: z.iso.datetime({ offset: true }), days, slots, category: category.default('set_meal') }),
});
export const FirstStoreQuery = z.strictObject({ city: z.string().trim().min(1).max(20).optional() });
