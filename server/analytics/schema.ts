import { z } from 'zod';

export const SessionParams = z.strictObject({ id: z.uuid() });
export const OrgSessionParams = z.strictObject({ orgId: z.string().min(1).max(64), id: z.uuid() });
export const ClickParams = z.strictObject({ id: z.uuid(), productId: z.string().min(1).max(64) });
