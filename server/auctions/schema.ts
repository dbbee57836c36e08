import { z } from 'zod';
import { RequestKey } from '../platform/validate.ts';

const Id = z.string().min(1).max(64);
const Fen = z.number().int().min(1).max(100_000_000_00);

export const RoomParams = z.strictObject({ id: Id });
export const AuctionParams = z.strictObject({ auctionId: Id });

export const IncrementBand = z.strictObject({ belowFen: Fen.nullable(), stepFen: Fen });

export const CreateAuctionBody = z.strictObject({
  skuId: Id,
  /** The lot's own title and picture (default: the product's). */
  title: z.string().trim().min(2).max(100).optional(),
  image: z.string().trim().max(500).optional(),
  startingPriceFen: Fen,
  /** Ascending bands; the last has belowFen null. Default: <¥100 ¥5, <¥1,000 ¥20, else ¥50. */
  increments: z.array(IncrementBand).min(1).max(20).optional(),
  startsInSeconds: z.number().int().min(0).max(7 * 86_400).default(0),
  durationSeconds: z.number().int().min(10).max(86_400),
  /** Anti-sniping: a bid in the last N seconds moves the close to now + N. */
  extendSeconds: z.number().int().min(0).max(600).default(30),
  /** The most the close may move past the planned close, in all. */
  maxExtensionSeconds: z.number().int().min(0).max(3_600).default(300),
  /** Sudden death: the close never moves. */
  suddenDeath: z.boolean().default(false),
  /** How long the winner (then each next bidder) has to pay. */
  paySeconds: z.number().int().min(60).max(7 * 86_400).default(1_800),
});

export const BidBody = z.strictObject({
  /** bid: this amount now; proxy: a maximum the platform bids up to for you. */
  kind: z.enum(['bid', 'proxy']),
  amountFen: Fen,
  /** The client's key for this bid: the same key again answers the same bid, never a second one. */
  clientKey: RequestKey,
});
