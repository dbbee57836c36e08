import type { KindRules } from '../commerce/kinds.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { tierPrice, type B2bService } from './service.ts';
import { b2bDb, inTrx, type Tier } from './tables.ts';

/**
 * The 'wholesale' kind at the shared checkout (server/commerce/kinds.ts), docs/B2B.md rules B3–B5:
 * only a buyer with an approved business licence may order; each product's quantity (its lines
 * summed) must reach its MOQ; the unit price is the tier for that quantity. Samples and accepted
 * quotes are orders of this kind too, written at their own price (service.ts); when one is cancelled
 * or refunded in full, `released` gives back the sample allowance or reopens the quote.
 */
export function wholesaleRules(deps: { db: Db; service: B2bService; clock: Clock }): KindRules {
  const db = b2bDb(deps.db);
  const applied = new WeakMap<object, { productId: string; quantity: number; unitPriceFen: number; moq: number }[]>();
  return {
    kind: 'wholesale',
    async adjust(ctx) {
      await deps.service.requireApproved(ctx.buyer.id);
      const ids = ctx.products.map((p) => p.id);
      const terms = await db.selectFrom('b2b_terms').selectAll().where('product_id', 'in', ids).execute();
      const facts = [];
      for (const product of ctx.products) {
        const t = terms.find((x) => x.product_id === product.id);
        if (!t) throw new AppError('B2B_NOT_WHOLESALE');
        const lines = ctx.lines.filter((l) => l.product_id === product.id);
        const quantity = lines.reduce((s, l) => s + l.quantity, 0);
        if (quantity < t.moq) throw new AppError('B2B_BELOW_MOQ', { title: product.title, moq: t.moq, quantity });
        const unit = tierPrice(JSON.parse(t.tiers) as Tier[], quantity);
        for (const l of lines) {
          l.unit_price_fen = unit;
          l.paid_fen = unit * l.quantity;
        }
        facts.push({ productId: product.id, quantity, unitPriceFen: unit, moq: t.moq });
      }
      applied.set(ctx.input, facts);
    },
    async quote(ctx) {
      return { data: { wholesale: applied.get(ctx.input) ?? [] } };
    },
    async released(trx, order, items) {
      const data = order.kind_data ? (JSON.parse(order.kind_data) as { rfqId?: string; sample?: { quantity: number } }) : {};
      if (data.rfqId) {
        // The quote can be accepted again while it is valid.
        await inTrx(trx).updateTable('b2b_rfqs').set({ status: 'quoted', order_id: null, updated_at: deps.clock.now().toISOString() }).where('id', '=', data.rfqId).where('order_id', '=', order.id).execute();
      }
      if (data.sample) {
        const productId = items[0]?.product_id;
        if (productId)
          await inTrx(trx)
            .updateTable('b2b_sample_counts')
            .set((eb) => ({ taken: eb('taken', '-', data.sample!.quantity) }))
            .where('product_id', '=', productId)
            .where('buyer_id', '=', order.buyer_id)
            .where('taken', '>=', data.sample.quantity)
            .execute();
      }
    },
  };
}
