import { z } from 'zod';

export const SessionIdParams = z.strictObject({ id: z.uuid() });
/** A WHIP resource's id, as server/live/media/whip.ts hands it out (the streamer's go-live and a practice live). */
export const WhipResource = z.string().regex(/^[0-9a-f]{24}$/);
export const WhipResourceParams = z.strictObject({ id: z.uuid(), resource: WhipResource });

export const CreateSessionBody = z.strictObject({
  title: z.string().trim().min(2).max(60),
  description: z.string().trim().max(2000).default(''),
  scheduledAt: z.iso.datetime({ offset: true }),
  brandOrgId: z.string().min(1).max(64).optional(),
});

export const UpdateSessionBody = z.strictObject({
  title: z.string().trim().min(2).max(60).optional(),
  description: z.string().trim().max(2000).optional(),
  scheduledAt: z.iso.datetime({ offset: true }).optional(),
  brandOrgId: z.string().min(1).max(64).nullable().optional(),
});

export const CutOffBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });
export const DeleteReplayBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });

export const ListQuery = z.strictObject({
  status: z
    .string()
    .default('live,scheduled')
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(['scheduled', 'live', 'ended'])).min(1)),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The callback body of an SRS-style origin (on_publish / on_unpublish); other fields are ignored. */
export const OriginHookBody = z.looseObject({
  action: z.string().optional(),
  client_id: z.union([z.string(), z.number()]).optional(),
  ip: z.string().optional(),
  app: z.string(),
  stream: z.string(),
  param: z.string().optional(),
});
export const HookQuery = z.looseObject({ token: z.string().optional() });
