import { z } from 'zod';
import { rule } from '../platform/validate.ts';

const Id = z.string().min(1).max(64);
const text = (max: number) => z.string().trim().max(max).refine((v) => v.length > 0, rule('TEXT_BLANK'));
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const OrgParams = z.strictObject({ orgId: Id });
export const ProductParams = z.strictObject({ productId: Id });
export const AreaBody = z.strictObject({ code: z.string().regex(/^\d{6}$/), name: text(40), province: text(20), designation: text(60) });
export const ProducerBody = z.strictObject({ name: text(60), areaCode: z.string().regex(/^\d{6}$/), description: z.string().trim().max(1000).default('') });
export const CertBody = z.strictObject({
  productId: Id,
  producerId: Id,
  certifier: text(80),
  certificateNo: text(60),
  batchNo: text(40),
  producedOn: day,
  /** The producer's share of each certified line's net sale, basis points (0–10000). */
  shareBps: z.number().int().min(0).max(10_000),
  notes: z.string().trim().max(1000).default(''),
});
export const ReportQuery = z.strictObject({ from: day.optional(), to: day.optional(), format: z.enum(['json', 'csv']).default('json') });
