import { createContext, type CooperationDeps } from './context.ts';
import { createOffers } from './offers.ts';
import { createSamples } from './samples.ts';
import { createSlotFees } from './slotfees.ts';
import { oneAtATime } from '../platform/one-at-a-time.ts';

export type { Actor, CooperationDeps, McnRight } from './context.ts';

/**
 * Brand–streamer cooperation (docs/COOPERATION.md): the product-selection square (选品广场) with its
 * offers and applications (带货申请), samples (寄样) and slot fees (坑位费). Commerce reaches it only
 * through `terms` / `approvedProductIds` (the CooperationTerms interface it is given in app.ts); the
 * money (sample deposits, slot fees) moves as ledger transfers between party accounts.
 */
export function createCooperation(deps: CooperationDeps) {
  const ctx = createContext(deps);
  const offers = createOffers(ctx);
  const samples = createSamples(ctx, offers);
  const slotFees = createSlotFees(ctx, offers);
  const settleDelayMs = deps.slotFeeSettleDelayMs ?? 24 * 3_600_000;
  let timer: NodeJS.Timeout | null = null;

  /** Settles the slot fees of lives that ended more than the delay ago; safe on several nodes. */
  const sweep = oneAtATime(async () => {
    try {
      return await slotFees.settleDue(settleDelayMs);
    } catch (err) {
      deps.logger.warn({ err }, 'cooperation: slot-fee sweep failed; the next one retries');
      return 0;
    }
  });

  return {
    offers,
    samples,
    slotFees,
    mayActFor: ctx.mayActFor,
    /** For commerce's 小黄车: per product, the streamer's approved rate and the offer's price floor. */
    terms: offers.terms,
    approvedProductIds: offers.approvedProductIds,
    sweep,
    start() {
      timer ??= setInterval(() => void sweep(), 60_000);
      timer.unref();
    },
    /** Stops the timer, and resolves once a sweep still running has finished. */
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await sweep.idle();
    },
  };
}

export type Cooperation = ReturnType<typeof createCooperation>;
