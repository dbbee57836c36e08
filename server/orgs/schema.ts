import { z } from 'zod';

export const OrgKindSchema = z.enum(['brand', 'mcn', 'base', 'training']);
export const OrgRoleSchema = z.enum(['owner', 'admin', 'staff', 'streamer', 'store_staff']);

export const OrgIdParams = z.strictObject({ orgId: z.string().min(1).max(64) });
export const MemberParams = z.strictObject({ orgId: z.string().min(1).max(64), userId: z.string().min(1).max(64) });

export const CreateOrgBody = z.strictObject({
  kind: OrgKindSchema,
  name: z.string().trim().min(2).max(60),
  description: z.string().trim().max(2000).default(''),
  licenceName: z.string().trim().min(2).max(100).optional(),
  /** 统一社会信用代码: 18 characters of digits and capital letters. */
  licenceNo: z.string().trim().regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/).optional(),
});

export const AddMemberBody = z.strictObject({
  login: z.string().min(1).max(254),
  role: OrgRoleSchema,
});

export const ReviewBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: z.string().trim().max(500).optional(),
});

export const StatusQuery = z.strictObject({ status: z.enum(['pending', 'approved', 'rejected']).optional() });
