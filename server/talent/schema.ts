import { z } from 'zod';
import { JOBS } from '../training/tracks.ts';

const id = z.string().min(1).max(64);
const text = (max: number) => z.string().trim().max(max);

export const OrgParams = z.strictObject({ orgId: id });
export const NominationParams = z.strictObject({ nominationId: id });
export const ApplicationParams = z.strictObject({ applicationId: id });
export const StreamerParams = z.strictObject({ userId: id });

export const CriteriaBody = z.strictObject({
  /** { job: level }: a certificate in one of these tracks at this level or higher (5 = 五级 … 1 = 一级). */
  minLevels: z.partialRecord(z.enum(JOBS), z.number().int().min(1).max(5)).refine((v) => Object.keys(v).length > 0),
  minGmvFen: z.number().int().min(0).max(1e13),
  windowDays: z.number().int().min(1).max(3660).default(365),
  maxViolations: z.number().int().min(0).max(100).default(0),
});
export type CriteriaBody = z.output<typeof CriteriaBody>;

export const NominateBody = z.strictObject({ streamerId: id, note: text(500).default('') });
export const ReviewBody = z.strictObject({ decision: z.enum(['approve', 'reject']), reason: text(500).optional() });
export const StatusQuery = z.strictObject({ status: z.enum(['pending', 'approved', 'rejected']).optional(), format: z.enum(['json', 'csv']).default('json') });
export const FormatQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });
export const ApplyBody = z.strictObject({ programmeId: id, month: z.string().max(7).optional(), note: text(500).default('') });

export const REGISTRY_KINDS = ['mcn', 'base', 'brand', 'training', 'talent'] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];
export const RegistryParams = z.strictObject({ kind: z.enum(REGISTRY_KINDS) });
