import { z } from 'zod';

const Id = z.string().min(1).max(64);

export const NotificationParams = z.strictObject({ notificationId: Id });
export const ListQuery = z.strictObject({ before: z.iso.datetime().optional(), limit: z.coerce.number().int().min(1).max(100).optional() });
export const SandboxQuery = z.strictObject({ to: z.string().trim().min(1).max(200).optional(), limit: z.coerce.number().int().min(1).max(200).optional() });
export const EmptyBody = z.strictObject({}).optional();
