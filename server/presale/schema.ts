import { z } from 'zod';

const id = z.string().min(1).max(64);
const fen = z.number().int().min(1).max(1_000_000_000);
const when = z.iso.datetime({ offset: true });

export const PresaleParams = z.strictObject({ id });
export const OrgPresaleParams = z.strictObject({ orgId: id, id });
export const PresaleOrderParams = z.strictObject({ id });
export const RoomParams = z.strictObject({ id });
export const EmptyBody = z.strictObject({}).optional();

/** A brand sets up a pre-sale (docs/PRESALE.md "Rules"): the business checks (P1–P5) come after parsing, each with its own code. */
export const CreatePresaleBody = z.strictObject({
  skuId: id,
  /** The live that sells it (the brand's own), optional. */
  sessionId: id.optional(),
  title: z.string().trim().min(2).max(60),
  depositFen: fen,
  /** 定金膨胀: what the deposit counts for off the final price. */
  expansionFen: fen,
  finalPriceFen: fen,
  depositStartsAt: when,
  depositEndsAt: when,
  balanceStartsAt: when,
  balanceEndsAt: when,
  stock: z.number().int().min(1).max(1_000_000),
  perBuyerLimit: z.number().int().min(1).max(100),
  /** The shipping promise: shipped within this many days after the balance is paid. */
  shipWithinDays: z.number().int().min(1).max(90),
  rules: z.string().trim().min(10).max(4000),
});
export type CreatePresaleInput = z.output<typeof CreatePresaleBody>;

export const DepositBody = z.strictObject({
  quantity: z.number().int().min(1).max(100).default(1),
  /** The buyer read the rules shown at checkout and accepts them (must be true). */
  acceptRules: z.boolean(),
  addressId: id.optional(),
});
export type DepositInput = z.output<typeof DepositBody>;
