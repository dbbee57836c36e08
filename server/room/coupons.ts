import type { Transaction } from 'kysely';
import type { AuthUser } from '../accounts/service.ts';
import type { Database } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { RoomContext } from './service.ts';

/** What the shopping side does when the room hands out coupons (see server/commerce). */
export type CommerceHooks = {
  /** A coupon drop starts: create the brand coupon it hands out; answers its id. */
  dropCreated(drop: { id: string; sessionId: string; brandOrgId: string; title: string; amountOffFen: number; total: number }): Promise<string>;
  /** A viewer claimed a drop: give them the coupon. Runs in the claim's transaction. */
  dropClaimed(trx: Transaction<Database>, couponId: string, userId: string): Promise<void>;
};

export function couponView(drop: { id: string; title: string; amount_off_fen: number; total: number; claimed: number; ends_at: string }) {
  return { id: drop.id, title: drop.title, amountOffFen: drop.amount_off_fen, total: drop.total, remaining: Math.max(0, drop.total - drop.claimed), endsAt: drop.ends_at };
}

/** Coupon drops: the staff start one, viewers claim it while it runs (with a brand behind the live, a real coupon). */
export function createCouponDrops(ctx: RoomContext) {
  const { store, clock, now, requireStaff, publish } = ctx;
  let commerce: CommerceHooks | null = null;

  return {
    async startCouponDrop(sessionId: string, actor: AuthUser, input: { title: string; amountOffFen: number; total: number; seconds: number }) {
      const { info } = await requireStaff(sessionId, actor, 'coupons');
      const start = clock.now();
      const id = newId();
      // With a brand behind the live, the drop hands out a real coupon, usable at checkout.
      const couponId = info.brandOrgId && commerce ? await commerce.dropCreated({ id, sessionId, brandOrgId: info.brandOrgId, title: input.title, amountOffFen: input.amountOffFen, total: input.total }) : null;
      const drop = { id, session_id: sessionId, title: input.title, amount_off_fen: input.amountOffFen, total: input.total, claimed: 0, starts_at: start.toISOString(), ends_at: new Date(start.getTime() + input.seconds * 1000).toISOString(), created_by: actor.id, coupon_id: couponId };
      await store.insertDrop(drop);
      await store.log(sessionId, actor.id, 'coupon.start', {}, { dropId: drop.id, total: input.total, amountOffFen: input.amountOffFen, seconds: input.seconds }, now());
      await publish(sessionId, { type: 'coupon.started', coupon: couponView(drop), priority: true });
      return couponView(drop);
    },

    async claimCoupon(sessionId: string, user: AuthUser, dropId: string) {
      const drop = await store.findDrop(dropId);
      if (!drop || drop.session_id !== sessionId) throw new AppError('COUPON_NOT_FOUND');
      const couponId = drop.coupon_id;
      const outcome = await store.claim(dropId, user.id, now(), couponId && commerce ? (trx) => commerce!.dropClaimed(trx, couponId, user.id) : undefined);
      if (outcome === 'duplicate') throw new AppError('COUPON_ALREADY_CLAIMED');
      if (outcome === 'sold_out') throw new AppError('COUPON_SOLD_OUT');
      if (outcome === 'closed') throw new AppError('COUPON_CLOSED');
      const fresh = (await store.findDrop(dropId))!;
      // Many claims in one tick become one update for viewers.
      await publish(sessionId, { type: 'coupon.updated', coupon: couponView(fresh), key: `coupon:${dropId}` });
      return couponView(fresh);
    },

    attachCommerce(hooks: CommerceHooks) {
      commerce = hooks;
    },
  };
}
