import { z } from 'zod';

export const ClientFrame = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('hello'), v: z.literal(1), resume: z.number().int().min(0).optional() }),
  z.strictObject({ t: z.literal('chat'), text: z.string().max(1000), nonce: z.string().max(64).optional() }),
  z.strictObject({ t: z.literal('like'), n: z.number().int().min(1).max(50) }),
  z.strictObject({ t: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export const RoomParams = z.strictObject({ id: z.uuid() });
export const MessageParams = z.strictObject({ id: z.uuid(), messageId: z.string().min(1).max(64) });
export const DropParams = z.strictObject({ id: z.uuid(), dropId: z.string().min(1).max(64) });
export const BagParams = z.strictObject({ id: z.uuid(), bagId: z.string().min(1).max(64) });
export const StreamerParams = z.strictObject({ streamerId: z.string().min(1).max(64) });

export const PinBody = z.strictObject({ productId: z.string().min(1).max(64).nullable() });
export const AnnouncementBody = z.strictObject({ text: z.string().trim().min(1).max(200).nullable() });
export const SettingsBody = z.strictObject({
  slowModeSeconds: z.number().int().min(0).max(300).optional(),
  followersOnly: z.boolean().optional(),
});
export const DeleteMessageBody = z.strictObject({ reason: z.string().trim().max(200).optional() });
export const ReportBody = z.strictObject({ reason: z.string().trim().max(200).optional() });
export const RestrictBody = z.strictObject({
  userId: z.string().min(1).max(64),
  /** Default: 10 minutes for a mute, a year for a ban. */
  minutes: z.number().int().min(1).max(60 * 24 * 365).optional(),
  kind: z.enum(['mute', 'ban']),
  reason: z.string().trim().max(200).optional(),
});
export const CouponDropBody = z.strictObject({
  title: z.string().trim().min(1).max(40),
  amountOffFen: z.number().int().min(1).max(10_000_000),
  total: z.number().int().min(1).max(1_000_000),
  seconds: z.number().int().min(5).max(3600),
});
export const LuckyBagBody = z.strictObject({
  prize: z.string().trim().min(1).max(60),
  winners: z.number().int().min(1).max(1000),
  condition: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('keyword'), keyword: z.string().trim().min(1).max(20) }), z.strictObject({ kind: z.literal('follow') })]),
  drawInSeconds: z.number().int().min(5).max(3600),
});
export const AssistantBody = z.strictObject({ login: z.string().min(1).max(254) });
export const WordBody = z.strictObject({ word: z.string().trim().min(2).max(30), severity: z.enum(['high', 'medium', 'low']), category: z.literal('sensitive').default('sensitive') });
export const WordParams = z.strictObject({ word: z.string().min(1).max(60) });
