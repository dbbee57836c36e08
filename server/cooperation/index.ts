import { createContext, type CooperationDeps } from './context.ts';
import { createOffers } from './offers.ts';
import { createSamples } from './samples.ts';
import { createSlotFees } from './slotfees.ts';

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
  let running = false;

  /** Settles the slot fees of lives that ended more than the delay ago; safe on several nodes. */
  async function sweep() {
    if (running) return 0;
    running = true;
    try {
      return await slotFees.settleDue(settleDelayMs);
    } catch (err) {
      deps.logger.warn({ err }, 'cooperation: slot-fee sweep failed; the next one retries');
      return 0;
    } finally {
      running = false;
    }
  }

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
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

export type Cooperation = ReturnType<typeof createCooperation>;
