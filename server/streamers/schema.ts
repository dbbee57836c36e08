import { z } from 'zod';
import { rule } from '../platform/validate.ts';
import { parseIdNumber } from './idcard.ts';

export const SubmitProfileBody = z.strictObject({
  realName: z.string().trim().min(2).max(30),
  idNumber: z
    .string()
    .max(20)
    .refine((v) => parseIdNumber(v) !== null, rule('ID_NUMBER_MALFORMED')),
  guardian: z
    .strictObject({
      name: z.string().trim().min(2).max(30),
      phone: z.string().trim().regex(/^1[3-9]\d{9}$/),
      relation: z.string().trim().min(1).max(20),
      consent: z.literal(true),
    })
    .optional(),
});

export const ProfileParams = z.strictObject({ userId: z.string().min(1).max(64) });
export const ProfileStatusQuery = z.strictObject({ status: z.enum(['pending', 'approved', 'rejected']).optional() });
