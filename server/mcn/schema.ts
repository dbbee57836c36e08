import { z } from 'zod';

const id = z.string().min(1).max(64);
const time = z.iso.datetime({ offset: true });
// Checked by the service (SPLIT_INVALID, CONTRACT_RIGHT_INVALID), so a bad value gets its own code.
const splitBps = z.number();
const rights = z.array(z.string().max(40)).max(10);

export const ContractParams = z.strictObject({ orgId: id, contractId: id });
export const MyContractParams = z.strictObject({ contractId: id });
export const StreamerParams = z.strictObject({ orgId: id, streamerId: id });

export const OfferBody = z
  .strictObject({
    streamerId: id.optional(),
    /** The streamer's phone number or email, instead of their id. */
    login: z.string().min(1).max(254).optional(),
    startsAt: time,
    endsAt: time.nullable().optional(),
    splitBps,
    exclusive: z.boolean().default(true),
    rights: rights.default([]),
  })
  .refine((b) => Boolean(b.streamerId) !== Boolean(b.login), { message: 'give streamerId or login (one of them)', path: ['streamerId'] });

export const RenewBody = z.strictObject({ endsAt: time, splitBps: splitBps.optional(), exclusive: z.boolean().optional(), rights: rights.optional() });
export const TerminateBody = z.strictObject({ effectiveAt: time.optional(), reason: z.string().trim().min(2).max(500) });
export const DeclineBody = z.strictObject({ reason: z.string().trim().max(500).optional() }).optional();

export const ContractListQuery = z.strictObject({
  status: z.enum(['offered', 'accepted', 'declined', 'cancelled', 'terminated']).optional(),
  streamerId: id.optional(),
});
export const CalendarQuery = z.strictObject({ from: time.optional(), to: time.optional() });
