import type { Transaction } from 'kysely';
import type { AuthUser } from '../accounts/service.ts';
import type { Database, OrderItemsTable, OrdersTable, ProductKind, ProductsTable } from '../platform/db-types.ts';
import type { CheckoutInput } from './schema.ts';

/**
 * Product kinds (docs/VERTICALS.md). The 直播+ verticals share the catalogue, the room, checkout and
 * orders: a product's kind brings its own rules to checkout instead of a side shop. Commerce asks the
 * kind's rules at each step; a vertical's folder (server/vouchers, server/crossborder, server/b2b …)
 * registers them in app.ts. 'goods' (a parcel sent to the buyer) has no rules of its own.
 */

type Trx = Transaction<Database>;

/** One line of a checkout being priced; a kind may change unit_price_fen (tiered prices). */
export type KindLine = {
  product_id: string;
  sku_id: string;
  title: string;
  unit_price_fen: number;
  quantity: number;
  paid_fen: number;
};

export type KindPricing = {
  buyer: AuthUser;
  input: CheckoutInput;
  brandOrgId: string;
  products: ProductsTable[];
  lines: KindLine[];
  /** true when the order is being placed, false for a quote (the checkout sheet). */
  forOrder: boolean;
};

export type KindTotals = KindPricing & { itemsTotalFen: number; discountFen: number; shippingFen: number };

export type KindQuote = {
  /** Tax added to the order's total (cross-border retail import). */
  taxFen?: number;
  /** false: nothing is shipped (a voucher), so no address is asked and no shipping is charged. */
  ships?: boolean;
  /** The kind's facts about this checkout: shown at checkout and kept on the order (orders.kind_data). */
  data?: Record<string, unknown>;
};

export interface KindRules {
  kind: Exclude<ProductKind, 'goods'>;
  /** Before coupons: checks the buyer and the lines (minimums, qualification) and may change unit prices. Throws AppError to refuse. */
  adjust?(ctx: KindPricing): Promise<void>;
  /** After coupons and shipping: the tax, whether it ships, the facts to keep. Throws AppError to refuse. */
  quote?(ctx: KindTotals): Promise<KindQuote>;
  /** In the order's transaction, after it is written (limits counted against concurrent orders). Throws AppError to refuse. */
  placed?(trx: Trx, order: OrdersTable, items: OrderItemsTable[]): Promise<void>;
  /** In the payment's transaction, once the order is paid (issue redemption codes …). */
  paid?(trx: Trx, order: OrdersTable, items: OrderItemsTable[]): Promise<void>;
  /** A buyer asks for a refund through after-sales (售后): throw AppError where the kind's rules refuse it (a pre-sale's deposit). */
  refundRequested?(order: OrdersTable): Promise<void> | void;
  /** In the transaction that cancels an unpaid order or refunds a paid one in full: give back what placed/paid took. */
  released?(trx: Trx, order: OrdersTable, items: OrderItemsTable[]): Promise<void>;
}

export function createKinds() {
  const rules = new Map<ProductKind, KindRules>();
  return {
    register(r: KindRules) {
      if (rules.has(r.kind)) throw new Error(`product kind ${r.kind} registered twice`);
      rules.set(r.kind, r);
    },
    get(kind: ProductKind): KindRules | undefined {
      return rules.get(kind);
    },
  };
}

export type Kinds = ReturnType<typeof createKinds>;
