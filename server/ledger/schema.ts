import { z } from 'zod';
import { AppError } from '../platform/errors.ts';

const id = z.string().min(1).max(64);
const time = z.iso.datetime({ offset: true });

export const StatementQuery = z.strictObject({
  from: time.optional(),
  to: time.optional(),
  format: z.enum(['json', 'csv']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const WithdrawalBody = z.strictObject({ amountFen: z.number().int().min(1).max(100_000_000_000) });
export const WithdrawalParams = z.strictObject({ id });
export const WithdrawalListQuery = z.strictObject({ status: z.enum(['requested', 'approved', 'paid', 'rejected']).optional() });
export const RejectWithdrawalBody = z.strictObject({ reason: z.string().trim().min(1).max(200) });
export const SettlementRunBody = z.strictObject({ orderId: id.optional() }).optional();
export const AccountParams = z.strictObject({ accountId: z.string().min(1).max(120) });

/**
 * A commission rate, basis points 0–9000 (0–90 %): an offer's in the product-selection square and the
 * rate a brand agrees when it approves an application (server/cooperation), which the 小黄车 row then
 * carries. Out of range → COMMISSION_RATE_INVALID.
 */
export const COMMISSION_BPS_MAX = 9000;
export function checkCommissionBps(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > COMMISSION_BPS_MAX) throw new AppError('COMMISSION_RATE_INVALID');
  return value;
}
