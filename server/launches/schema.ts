import { z } from 'zod';
import { LAUNCH_LEVELS } from './store.ts';

const Id = z.string().min(1).max(64);
const Url = z.string().trim().max(500).refine((v) => /^(https?:\/\/|\/)/.test(v), { message: 'http(s) URL or a path on this site' });

export const OrgParams = z.strictObject({ orgId: Id });
export const LaunchParams = z.strictObject({ launchId: Id });
export const SessionParams = z.strictObject({ sessionId: Id });
export const EmptyBody = z.strictObject({}).optional();

export const CreateLaunchBody = z.strictObject({
  productId: Id,
  skuId: Id,
  sessionId: Id,
  level: z.enum(LAUNCH_LEVELS as [string, ...string[]]).transform((v) => v as (typeof LAUNCH_LEVELS)[number]),
  title: z.string().trim().min(2).max(100),
  description: z.string().trim().max(2000).optional(),
  launchAt: z.iso.datetime({ offset: true }),
  teaserUrl: Url.optional(),
  coverUrl: Url.optional(),
  priceFen: z.number().int().min(1).max(100_000_000).optional(),
  stock: z.number().int().min(1).max(1_000_000),
  perUserLimit: z.number().int().min(1).max(100),
  durationMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
});
