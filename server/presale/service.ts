import type { Logger } from 'pino';
import type { AuthUser } from '../accounts/service.ts';
import { OPEN, type AfterSales } from '../commerce/aftersales.ts';
import type { Kinds } from '../commerce/kinds.ts';
import type { Line, Orders, Trx } from '../commerce/orders.ts';
import type { Outbox } from '../events/outbox.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import type { OrderItemsTable, OrdersTable, PresaleOrdersTable, PresalesTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { requireApprovedBrands } from '../orgs/approval.ts';
import { newId } from '../platform/ids.ts';
import type { CreatePresaleInput, DepositInput } from './schema.ts';

/** What the pre-sale needs of the notification centre (server/notifications): queue once per dedupeKey, inside a transaction. */
export type PresaleNotifier = {
  enqueue(trx: Trx, n: { userId: string; kind: string; dedupeKey: string; title: string; body: string; link: string }): Promise<void>;
};

export type PresaleDeps = { db: Db; clock: Clock; logger: Logger; orders: Orders; afterSales: AfterSales; kinds: Kinds; outbox: Outbox; notifier?: PresaleNotifier };

/** The closing reminder goes out this long before the balance window closes (rule P12). */
export const CLOSING_REMINDER_MS = 12 * 3600_000;

/** The facts kept on each of the two orders (orders.kind_data). */
type PresaleOrderData = { presaleId: string; presaleOrderId: string; part: 'deposit' | 'balance'; depositFen: number; expansionFen: number; finalPriceFen: number; balanceFen: number; balanceStartsAt: string; balanceEndsAt: string };

/** The balance of one unit: final price − expansion value, never below 0 (rule P7). */
export const balanceOf = (p: Pick<PresalesTable, 'final_price_fen' | 'expansion_fen'>) => Math.max(0, p.final_price_fen - p.expansion_fen);

/**
 * LOCK ORDER. Every transaction that touches a pre-sale's rows takes their locks in this order: the SKU,
 * the pre-sale order, the pre-sale, the buyer's count. Commerce's release of a cancelled order returns
 * its units to the SKU first and then calls the kind's hook, so a path that changed the pre-sale first
 * and the SKU after deadlocked against it on PostgreSQL (the brand cancelling, or the sweep settling,
 * while an unpaid deposit timed out). Such paths take the SKU's row lock first, with a no-op update
 * that both databases accept.
 */
async function lockSkuFirst(trx: Trx, skuId: string) {
  await trx.updateTable('skus').set((eb) => ({ stock: eb.ref('stock') })).where('id', '=', skuId).execute();
}

const fmt = (fen: number) => `¥${(fen / 100).toFixed(2).replace(/\.00$/, '')}`;

/**
 * 定金预售 (docs/PRESALE.md). A pre-sale holds its own stock (taken from the SKU when it is set up);
 * each deposit is an ordinary order of kind 'presale' written with commerce's newOrderRow/insertOrder
 * in the transaction that takes a unit from the pre-sale and counts the buyer's limit, and the balance
 * a second one linked to it. Both pay, refund and settle through commerce and the ledger unchanged; the
 * kind's hooks (paid, released) keep the pre-sale order and its units in step.
 */
export function createPresale(deps: PresaleDeps) {
  const { db, clock, logger, orders, afterSales } = deps;
  const now = () => clock.now().toISOString();

  async function find(id: string) {
    const row = await db.selectFrom('presales').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('PRESALE_NOT_FOUND');
    return row;
  }

  function view(p: PresalesTable, extra: { spec?: Record<string, string>; image?: string | null; originalPriceFen?: number } = {}) {
    return {
      id: p.id,
      brandOrgId: p.brand_org_id,
      sessionId: p.session_id,
      productId: p.product_id,
      skuId: p.sku_id,
      title: p.title,
      depositFen: p.deposit_fen,
      expansionFen: p.expansion_fen,
      finalPriceFen: p.final_price_fen,
      balanceFen: balanceOf(p),
      depositStartsAt: p.deposit_starts_at,
      depositEndsAt: p.deposit_ends_at,
      balanceStartsAt: p.balance_starts_at,
      balanceEndsAt: p.balance_ends_at,
      stock: p.stock,
      remaining: p.remaining,
      perBuyerLimit: p.per_buyer_limit,
      shipWithinDays: p.ship_within_days,
      rules: p.rules,
      status: p.status,
      createdAt: p.created_at,
      ...extra,
    };
  }

  async function detailed(p: PresalesTable) {
    const sku = await db.selectFrom('skus').innerJoin('products', 'products.id', 'skus.product_id').select(['skus.spec', 'skus.price_fen', 'products.images']).where('skus.id', '=', p.sku_id).executeTakeFirst();
    return view(p, { spec: sku ? (JSON.parse(sku.spec) as Record<string, string>) : {}, image: sku ? ((JSON.parse(sku.images) as string[])[0] ?? null) : null, originalPriceFen: sku?.price_fen });
  }

  function presaleOrderView(po: PresaleOrdersTable, p: PresalesTable, deposit?: OrdersTable, balance?: OrdersTable | null) {
    const at = now();
    return {
      id: po.id,
      presale: view(p),
      quantity: po.quantity,
      status: po.status,
      depositOrderId: po.deposit_order_id,
      depositOrderStatus: deposit?.status ?? null,
      depositFen: p.deposit_fen * po.quantity,
      balanceOrderId: po.balance_order_id,
      balanceOrderStatus: balance?.status ?? null,
      balanceFen: balanceOf(p) * po.quantity,
      balanceStartsAt: po.balance_starts_at,
      balanceEndsAt: po.balance_ends_at,
      balanceOpen: po.status === 'deposit_paid' && po.balance_starts_at <= at && at < po.balance_ends_at,
      /** The shipping promise once the balance is paid. */
      shipBy: po.ship_by,
      rulesAcceptedAt: po.rules_accepted_at,
      closedAt: po.closed_at,
      createdAt: po.created_at,
    };
  }

  async function ownPresaleOrder(user: AuthUser, id: string) {
    const po = await db.selectFrom('presale_orders').selectAll().where('id', '=', id).executeTakeFirst();
    // Another buyer's looks the same as a missing one.
    if (!po || po.buyer_id !== user.id) throw new AppError('PRESALE_ORDER_NOT_FOUND');
    return po;
  }

  async function fullView(po: PresaleOrdersTable) {
    const p = await find(po.presale_id);
    const ids = [po.deposit_order_id, ...(po.balance_order_id ? [po.balance_order_id] : [])];
    const rows = await db.selectFrom('orders').selectAll().where('id', 'in', ids).execute();
    return presaleOrderView(po, p, rows.find((o) => o.id === po.deposit_order_id), po.balance_order_id ? rows.find((o) => o.id === po.balance_order_id) : null);
  }

  async function addressFor(user: AuthUser, addressId: string | undefined) {
    const row = addressId
      ? await db.selectFrom('addresses').selectAll().where('id', '=', addressId).where('user_id', '=', user.id).executeTakeFirst()
      : await db.selectFrom('addresses').selectAll().where('user_id', '=', user.id).orderBy('is_default', 'desc').orderBy('created_at').executeTakeFirst();
    if (addressId && !row) throw new AppError('ADDRESS_NOT_FOUND');
    if (!row) throw new AppError('ADDRESS_REQUIRED');
    return JSON.stringify({ name: row.name, phone: row.phone, region: row.region, detail: row.detail });
  }

  async function lineFor(p: PresalesTable, unitFen: number, quantity: number, label: string): Promise<Line> {
    const product = await db.selectFrom('products').innerJoin('skus', 'skus.product_id', 'products.id').select(['products.title', 'products.images', 'skus.spec']).where('skus.id', '=', p.sku_id).executeTakeFirstOrThrow();
    return {
      product_id: p.product_id,
      sku_id: p.sku_id,
      title: `【${label}】${product.title}`.slice(0, 100),
      spec: product.spec,
      image: (JSON.parse(product.images) as string[])[0] ?? null,
      unit_price_fen: unitFen,
      quantity,
      paid_fen: unitFen * quantity,
      // A deposit is refunded only as the rules allow (P9); the goods themselves keep no-reason returns of the balance order's line.
      return_policy: label === '定金' ? 'excluded' : 'standard',
    };
  }

  function data(p: PresalesTable, presaleOrderId: string, part: 'deposit' | 'balance'): PresaleOrderData {
    return { presaleId: p.id, presaleOrderId, part, depositFen: p.deposit_fen, expansionFen: p.expansion_fen, finalPriceFen: p.final_price_fen, balanceFen: balanceOf(p), balanceStartsAt: p.balance_starts_at, balanceEndsAt: p.balance_ends_at };
  }
  const dataOf = (order: OrdersTable) => (order.kind_data ? (JSON.parse(order.kind_data) as PresaleOrderData) : null);

  /** An order paid in full goes back through the existing after-sales refund path (the seller failed to deliver). */
  async function refundInFull(order: OrdersTable, reason: string) {
    const id = newId();
    const at = now();
    // What is left is counted and claimed under the order's row, as a buyer's refund request does (aftersales.ts), so
    // the two cannot both count the same money. A refund still in progress is let finish: the sweep comes back for
    // the rest (settleFailed runs while the order is paid).
    const claimed = await db.transaction().execute(async (trx) => {
      await trx.updateTable('orders').set({ updated_at: at }).where('id', '=', order.id).execute();
      const taken = await trx.selectFrom('after_sales').select(['status', 'amount_fen']).where('order_id', '=', order.id).where('status', 'in', OPEN).where('payment_id', 'is', null).execute();
      if (taken.some((a) => a.status !== 'refunded')) return false;
      const left = order.total_fen - taken.reduce((s, a) => s + a.amount_fen, 0);
      if (left <= 0) return false;
      await trx
        .insertInto('after_sales')
        .values({ id, order_id: order.id, item_id: null, brand_org_id: order.brand_org_id, buyer_id: order.buyer_id, kind: 'refund_only', amount_fen: left, reason, status: 'requested', decision_reason: null, return_carrier: null, return_tracking_no: null, out_refund_no: null, created_at: at, updated_at: at })
        .execute();
      return true;
    });
    if (claimed) await afterSales.approve(order.brand_org_id, id, reason);
  }

  /**
   * The seller failed to deliver (P10): the pre-sale order becomes seller_failed, an unpaid balance
   * order is cancelled, and the deposit and a paid balance are refunded in full.
   */
  async function sellerFailed(po: PresaleOrdersTable, reason: string) {
    const claimed = await db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('presale_orders')
        .set({ status: 'seller_failed', closed_at: now(), updated_at: now() })
        .where('id', '=', po.id)
        .where('status', 'in', ['deposit_pending', 'deposit_paid', 'balance_paid'])
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) return false;
      await deps.outbox.record(trx, [{ type: 'presale.seller_failed', subjectId: po.id, occurredAt: now(), payload: { presaleOrderId: po.id, presaleId: po.presale_id, buyerId: po.buyer_id, depositOrderId: po.deposit_order_id, balanceOrderId: po.balance_order_id, reason } }]);
      return true;
    });
    if (!claimed) return false;
    await settleFailed(po.id, reason);
    return true;
  }

  /** Cancels or refunds what a seller_failed pre-sale order still holds (safe to run again: the sweep retries). */
  async function settleFailed(presaleOrderId: string, reason: string) {
    const po = await db.selectFrom('presale_orders').selectAll().where('id', '=', presaleOrderId).executeTakeFirstOrThrow();
    for (const orderId of [po.balance_order_id, po.deposit_order_id]) {
      if (!orderId) continue;
      let order = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow();
      if (order.status === 'pending_payment') {
        await orders.cancel(order, 'refunded');
        order = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow();
      }
      if (order.status === 'paid') await refundInFull(order, reason).catch((err: unknown) => logger.error({ err, orderId }, 'presale: refund after the seller failed did not start; the sweep retries'));
    }
  }

  // --- the kind's hooks: run inside commerce's own transactions ---
  deps.kinds.register({
    kind: 'presale',
    // The deposit is kept by the rules (P9): not through after-sales either, unless the seller failed (then refundInFull, not a request).
    refundRequested(order) {
      if (dataOf(order)?.part === 'deposit') throw new AppError('PRESALE_DEPOSIT_NON_REFUNDABLE');
    },
    async paid(trx, order) {
      const d = dataOf(order);
      if (!d) return;
      if (d.part === 'deposit') {
        await trx.updateTable('presale_orders').set({ status: 'deposit_paid', updated_at: now() }).where('id', '=', d.presaleOrderId).where('status', '=', 'deposit_pending').execute();
      } else {
        const p = await trx.selectFrom('presales').select('ship_within_days').where('id', '=', d.presaleId).executeTakeFirstOrThrow();
        const shipBy = new Date(Date.parse(order.paid_at ?? now()) + p.ship_within_days * 86_400_000).toISOString();
        await trx.updateTable('presale_orders').set({ status: 'balance_paid', ship_by: shipBy, updated_at: now() }).where('id', '=', d.presaleOrderId).where('balance_order_id', '=', order.id).where('status', '=', 'deposit_paid').execute();
      }
    },
    async released(trx: Trx, order: OrdersTable, items: OrderItemsTable[]) {
      const d = dataOf(order);
      if (!d) return;
      const units = items.reduce((s, i) => s + i.quantity, 0);
      if (d.part === 'balance') {
        // The units belong to the deposit: undo commerce's return of them to the SKU.
        for (const item of items) await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '-', item.quantity) })).where('id', '=', item.sku_id).execute();
        // An unpaid balance order cancelled: the buyer may open another while the window lasts.
        await trx.updateTable('presale_orders').set({ balance_order_id: null, updated_at: now() }).where('id', '=', d.presaleOrderId).where('balance_order_id', '=', order.id).where('status', '=', 'deposit_paid').execute();
        return;
      }
      await trx.updateTable('presale_orders').set({ status: 'cancelled', closed_at: now(), updated_at: now() }).where('id', '=', d.presaleOrderId).where('status', '=', 'deposit_pending').execute();
      // While the pre-sale is open the units go back to it (commerce has put them on the SKU). The pre-sale's
      // row before the buyer's count: the order in which a deposit takes them (see LOCK ORDER).
      const back = await trx.updateTable('presales').set((eb) => ({ remaining: eb('remaining', '+', units) })).where('id', '=', d.presaleId).where('status', '=', 'open').executeTakeFirst();
      if (Number(back.numUpdatedRows) === 1) for (const item of items) await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '-', item.quantity) })).where('id', '=', item.sku_id).execute();
      await trx.updateTable('presale_buyers').set((eb) => ({ quantity: eb('quantity', '-', units) })).where('presale_id', '=', d.presaleId).where('user_id', '=', order.buyer_id).execute();
    },
  });

  return {
    balanceOf,
    view,

    /** A brand sets up a pre-sale; its stock leaves the SKU at once (P1–P6). */
    async create(orgId: string, user: AuthUser, input: CreatePresaleInput) {
      const sku = await db.selectFrom('skus').innerJoin('products', 'products.id', 'skus.product_id').select(['skus.id', 'skus.product_id', 'products.brand_org_id', 'products.kind']).where('skus.id', '=', input.skuId).executeTakeFirst();
      if (!sku || sku.brand_org_id !== orgId) throw new AppError('SKU_NOT_FOUND');
      // A brand the operator has not approved sells nothing (server/orgs/approval.ts).
      await requireApprovedBrands(db, [orgId]);
      // Pre-sale orders are written without the product kinds' checkout rules (server/commerce/kinds.ts): parcels only.
      if (sku.kind !== 'goods') throw new AppError('SALE_FORMAT_KIND_UNSUPPORTED', { kind: sku.kind });
      if (input.sessionId) {
        const session = await db.selectFrom('live_sessions').select(['id', 'brand_org_id']).where('id', '=', input.sessionId).executeTakeFirst();
        if (!session || session.brand_org_id !== orgId) throw new AppError('LIVE_SESSION_NOT_FOUND');
      }
      if (input.depositFen >= input.finalPriceFen) throw new AppError('PRESALE_DEPOSIT_TOO_HIGH');
      if (input.expansionFen < input.depositFen || input.expansionFen >= input.finalPriceFen) throw new AppError('PRESALE_EXPANSION_INVALID');
      const t = [input.depositStartsAt, input.depositEndsAt, input.balanceStartsAt, input.balanceEndsAt].map((s) => new Date(s).getTime());
      if (!(t[0]! < t[1]! && t[1]! <= t[2]! && t[2]! < t[3]!)) throw new AppError('PRESALE_WINDOWS_INVALID');
      if (t[0]! <= clock.now().getTime()) throw new AppError('PRESALE_START_IN_PAST');
      const iso = t.map((ms) => new Date(ms).toISOString());
      const row: PresalesTable = {
        id: newId(),
        brand_org_id: orgId,
        session_id: input.sessionId ?? null,
        product_id: sku.product_id,
        sku_id: sku.id,
        title: input.title,
        deposit_fen: input.depositFen,
        expansion_fen: input.expansionFen,
        final_price_fen: input.finalPriceFen,
        deposit_starts_at: iso[0]!,
        deposit_ends_at: iso[1]!,
        balance_starts_at: iso[2]!,
        balance_ends_at: iso[3]!,
        stock: input.stock,
        remaining: input.stock,
        per_buyer_limit: input.perBuyerLimit,
        ship_within_days: input.shipWithinDays,
        rules: input.rules,
        status: 'open',
        created_by: user.id,
        created_at: now(),
      };
      await db.transaction().execute(async (trx) => {
        const taken = await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '-', input.stock) })).where('id', '=', sku.id).where('stock', '>=', input.stock).executeTakeFirst();
        if (Number(taken.numUpdatedRows) !== 1) throw new AppError('PRESALE_STOCK_EXCEEDS');
        await trx.insertInto('presales').values(row).execute();
      });
      return detailed(row);
    },

    async brandList(orgId: string) {
      const rows = await db.selectFrom('presales').selectAll().where('brand_org_id', '=', orgId).orderBy('created_at', 'desc').limit(100).execute();
      const counts = rows.length
        ? await db.selectFrom('presale_orders').select(['presale_id', 'status', (eb) => eb.fn.sum<number>('quantity').as('units')]).where('presale_id', 'in', rows.map((r) => r.id)).groupBy(['presale_id', 'status']).execute()
        : [];
      return rows.map((r) => ({ ...view(r), units: Object.fromEntries(counts.filter((c) => c.presale_id === r.id).map((c) => [c.status, Number(c.units)])) }));
    },

    async get(id: string) {
      return detailed(await find(id));
    },

    async forSession(sessionId: string) {
      const rows = await db.selectFrom('presales').selectAll().where('session_id', '=', sessionId).where('status', '!=', 'cancelled').where('balance_ends_at', '>', now()).orderBy('created_at').execute();
      return Promise.all(rows.map(detailed));
    },

    /** Pays the deposit: a unit taken from the pre-sale and the deposit order written in one transaction (P8). */
    async deposit(user: AuthUser, presaleId: string, input: DepositInput) {
      const p = await find(presaleId);
      if (!input.acceptRules) throw new AppError('PRESALE_RULES_NOT_ACCEPTED');
      await requireApprovedBrands(db, [p.brand_org_id]);
      const at = now();
      if (p.status !== 'open' || at >= p.deposit_ends_at) {
        if (p.status === 'cancelled') throw new AppError('PRESALE_CLOSED');
        throw new AppError('PRESALE_DEPOSIT_NOT_OPEN', { startsAt: p.deposit_starts_at, endsAt: p.deposit_ends_at });
      }
      if (at < p.deposit_starts_at) throw new AppError('PRESALE_DEPOSIT_NOT_OPEN', { startsAt: p.deposit_starts_at, endsAt: p.deposit_ends_at });
      if (input.quantity > p.per_buyer_limit) throw new AppError('PRESALE_LIMIT_EXCEEDED', { limit: p.per_buyer_limit });
      const address = await addressFor(user, input.addressId);
      const line = await lineFor(p, p.deposit_fen, input.quantity, '定金');
      const presaleOrderId = newId();
      const total = p.deposit_fen * input.quantity;
      const row = orders.newOrderRow({
        id: newId(),
        buyer_id: user.id,
        brand_org_id: p.brand_org_id,
        session_id: p.session_id,
        flash_sale_id: null,
        items_total_fen: total,
        discount_fen: 0,
        shipping_fen: 0,
        total_fen: total,
        user_coupon_id: null,
        coupon_title: null,
        address,
        confirmed_no_return: 1,
        idempotency_key: null,
        request_hash: null,
        kind: 'presale',
        kind_data: JSON.stringify(data(p, presaleOrderId, 'deposit')),
      });
      // A deposit is payable only while the deposit window lasts.
      if (row.pay_deadline > p.deposit_ends_at) row.pay_deadline = p.deposit_ends_at;
      await db.transaction().execute(async (trx) => {
        const taken = await trx
          .updateTable('presales')
          .set((eb) => ({ remaining: eb('remaining', '-', input.quantity) }))
          .where('id', '=', p.id)
          .where('status', '=', 'open')
          .where('remaining', '>=', input.quantity)
          .where('deposit_starts_at', '<=', at)
          .where('deposit_ends_at', '>', at)
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) !== 1) throw new AppError('PRESALE_SOLD_OUT');
        await trx.insertInto('presale_buyers').values({ presale_id: p.id, user_id: user.id, quantity: 0 }).onConflict((oc) => oc.columns(['presale_id', 'user_id']).doNothing()).execute();
        const counted = await trx
          .updateTable('presale_buyers')
          .set((eb) => ({ quantity: eb('quantity', '+', input.quantity) }))
          .where('presale_id', '=', p.id)
          .where('user_id', '=', user.id)
          .where('quantity', '<=', p.per_buyer_limit - input.quantity)
          .executeTakeFirst();
        if (Number(counted.numUpdatedRows) !== 1) throw new AppError('PRESALE_LIMIT_EXCEEDED', { limit: p.per_buyer_limit });
        await orders.insertOrder(trx, row, [line]);
        await trx
          .insertInto('presale_orders')
          .values({ id: presaleOrderId, presale_id: p.id, buyer_id: user.id, quantity: input.quantity, deposit_order_id: row.id, balance_order_id: null, status: 'deposit_pending', rules_accepted_at: at, balance_starts_at: p.balance_starts_at, balance_ends_at: p.balance_ends_at, ship_by: null, reminded_open_at: null, reminded_close_at: null, closed_at: null, created_at: at, updated_at: at })
          .execute();
      });
      const pay = await orders.pay(user, row.id);
      const po = await db.selectFrom('presale_orders').selectAll().where('id', '=', presaleOrderId).executeTakeFirstOrThrow();
      return { presaleOrder: await fullView(po), orderId: row.id, payUrl: pay.payUrl };
    },

    /** Pays the balance, only inside its window (P7, P11): a second order linked to the deposit. */
    async payBalance(user: AuthUser, presaleOrderId: string) {
      const po = await ownPresaleOrder(user, presaleOrderId);
      const p = await find(po.presale_id);
      const at = now();
      if (po.status === 'balance_paid' || po.status === 'completed') throw new AppError('PRESALE_BALANCE_ALREADY_PAID');
      if (po.status === 'deposit_pending') throw new AppError('PRESALE_DEPOSIT_UNPAID');
      if (at < po.balance_starts_at || at >= po.balance_ends_at) throw new AppError('PRESALE_BALANCE_OUTSIDE_WINDOW', { startsAt: po.balance_starts_at, endsAt: po.balance_ends_at });
      if (po.status !== 'deposit_paid') throw new AppError('PRESALE_CLOSED');
      let orderId = po.balance_order_id;
      if (!orderId) {
        const deposit = await db.selectFrom('orders').select(['address']).where('id', '=', po.deposit_order_id).executeTakeFirstOrThrow();
        const unit = balanceOf(p);
        const line = await lineFor(p, unit, po.quantity, '尾款');
        const row = orders.newOrderRow({
          id: newId(),
          buyer_id: user.id,
          brand_org_id: p.brand_org_id,
          session_id: p.session_id,
          flash_sale_id: null,
          items_total_fen: unit * po.quantity,
          discount_fen: 0,
          shipping_fen: 0,
          total_fen: unit * po.quantity,
          user_coupon_id: null,
          coupon_title: null,
          address: deposit.address,
          confirmed_no_return: 0,
          idempotency_key: null,
          request_hash: null,
          kind: 'presale',
          kind_data: JSON.stringify(data(p, po.id, 'balance')),
        });
        // Never payable after the window closes.
        if (row.pay_deadline > po.balance_ends_at) row.pay_deadline = po.balance_ends_at;
        const linked = await db.transaction().execute(async (trx) => {
          const moved = await trx.updateTable('presale_orders').set({ balance_order_id: row.id, updated_at: at }).where('id', '=', po.id).where('status', '=', 'deposit_paid').where('balance_order_id', 'is', null).executeTakeFirst();
          if (Number(moved.numUpdatedRows) !== 1) return false;
          await orders.insertOrder(trx, row, [line]);
          return true;
        });
        orderId = linked ? row.id : (await db.selectFrom('presale_orders').select('balance_order_id').where('id', '=', po.id).executeTakeFirstOrThrow()).balance_order_id;
        if (!orderId) throw new AppError('PRESALE_CLOSED');
      }
      const pay = await orders.pay(user, orderId);
      return { presaleOrder: await fullView(await ownPresaleOrder(user, po.id)), orderId, payUrl: pay.payUrl };
    },

    /** The buyer asks for the deposit back: refused by the rules unless the seller failed (P9). */
    async requestDepositRefund(user: AuthUser, presaleOrderId: string) {
      const po = await ownPresaleOrder(user, presaleOrderId);
      if (po.status === 'seller_failed') return { presaleOrder: await fullView(po) };
      throw new AppError('PRESALE_DEPOSIT_NON_REFUNDABLE');
    },

    async mine(user: AuthUser) {
      const rows = await db.selectFrom('presale_orders').selectAll().where('buyer_id', '=', user.id).orderBy('created_at', 'desc').limit(100).execute();
      return Promise.all(rows.map(fullView));
    },

    async getMine(user: AuthUser, id: string) {
      return fullView(await ownPresaleOrder(user, id));
    },

    /** The brand cancels its pre-sale: the seller fails every buyer, who get everything back (P10). */
    async cancel(orgId: string, presaleId: string) {
      const p = await find(presaleId);
      if (p.brand_org_id !== orgId) throw new AppError('PRESALE_NOT_FOUND');
      const moved = await db.transaction().execute(async (trx) => {
        await lockSkuFirst(trx, p.sku_id);
        const fresh = await trx.selectFrom('presales').select(['remaining', 'status']).where('id', '=', p.id).executeTakeFirstOrThrow();
        const r = await trx.updateTable('presales').set({ status: 'cancelled', remaining: 0 }).where('id', '=', p.id).where('status', 'in', ['open', 'settled']).executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return false;
        if (fresh.status === 'open' && fresh.remaining > 0) await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '+', fresh.remaining) })).where('id', '=', p.sku_id).execute();
        return true;
      });
      if (!moved) throw new AppError('PRESALE_CLOSED');
      const open = await db.selectFrom('presale_orders').selectAll().where('presale_id', '=', p.id).where('status', 'in', ['deposit_pending', 'deposit_paid', 'balance_paid']).execute();
      for (const po of open) await sellerFailed(po, '商家取消预售');
      return detailed(await find(presaleId));
    },

    /**
     * The pre-sale's background duties, driven from the database: each row is claimed with a
     * conditional UPDATE, so several nodes may run this at once and a restart loses nothing.
     */
    async sweep(limit = 200) {
      const at = now();
      let done = 0;
      // Deposit window over: the unsold units go back to the SKU (P6).
      const ended = await db.selectFrom('presales').select(['id', 'sku_id']).where('status', '=', 'open').where('deposit_ends_at', '<=', at).limit(limit).execute();
      for (const p of ended) {
        await db.transaction().execute(async (trx) => {
          await lockSkuFirst(trx, p.sku_id);
          const fresh = await trx.selectFrom('presales').select('remaining').where('id', '=', p.id).executeTakeFirstOrThrow();
          const r = await trx.updateTable('presales').set({ status: 'settled', remaining: 0 }).where('id', '=', p.id).where('status', '=', 'open').where('remaining', '=', fresh.remaining).executeTakeFirst();
          if (Number(r.numUpdatedRows) === 1 && fresh.remaining > 0) await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '+', fresh.remaining) })).where('id', '=', p.sku_id).execute();
        });
        done++;
      }
      // Reminders (P12): when the balance window opens, and CLOSING_REMINDER_MS before it closes; each once.
      if (deps.notifier) {
        const notifier = deps.notifier;
        const closeBy = new Date(clock.now().getTime() + CLOSING_REMINDER_MS).toISOString();
        const due = await db
          .selectFrom('presale_orders')
          .innerJoin('presales', 'presales.id', 'presale_orders.presale_id')
          .select(['presale_orders.id', 'presale_orders.buyer_id', 'presale_orders.quantity', 'presale_orders.balance_ends_at', 'presale_orders.reminded_open_at', 'presale_orders.reminded_close_at', 'presales.title', 'presales.final_price_fen', 'presales.expansion_fen'])
          .where('presale_orders.status', '=', 'deposit_paid')
          .where('presale_orders.balance_starts_at', '<=', at)
          .where('presale_orders.balance_ends_at', '>', at)
          .where((eb) => eb.or([eb('presale_orders.reminded_open_at', 'is', null), eb.and([eb('presale_orders.reminded_close_at', 'is', null), eb('presale_orders.balance_ends_at', '<=', closeBy)])]))
          .limit(limit)
          .execute();
        for (const row of due) {
          const balance = fmt(balanceOf(row) * row.quantity);
          const sends: ('open' | 'close')[] = [];
          if (row.reminded_open_at === null) sends.push('open');
          if (row.reminded_close_at === null && row.balance_ends_at <= closeBy) sends.push('close');
          for (const which of sends) {
            await db.transaction().execute(async (trx) => {
              const column = which === 'open' ? 'reminded_open_at' : 'reminded_close_at';
              const claimed = await trx.updateTable('presale_orders').set({ [column]: at }).where('id', '=', row.id).where(column, 'is', null).where('status', '=', 'deposit_paid').executeTakeFirst();
              if (Number(claimed.numUpdatedRows) !== 1) return;
              await notifier.enqueue(trx, {
                userId: row.buyer_id,
                kind: 'presale.balance',
                dedupeKey: `presale:${row.id}:${which}`,
                title: which === 'open' ? `尾款开始支付：${row.title}` : `尾款即将截止：${row.title}`,
                body: which === 'open' ? `请在 ${row.balance_ends_at} 前支付尾款 ${balance}，逾期定金不退。` : `尾款 ${balance} 将于 ${row.balance_ends_at} 截止，逾期未付定金不退。`,
                link: `/presale-orders/${row.id}`,
              });
              done++;
            });
          }
        }
      }
      // Balance never paid (P13): the pre-sale order closes, keeps the deposit and gives the units back.
      const unpaid = await db.selectFrom('presale_orders').selectAll().where('status', '=', 'deposit_paid').where('balance_order_id', 'is', null).where('balance_ends_at', '<=', at).limit(limit).execute();
      for (const po of unpaid) {
        await db.transaction().execute(async (trx) => {
          const p = await trx.selectFrom('presales').select(['sku_id', 'deposit_fen']).where('id', '=', po.presale_id).executeTakeFirstOrThrow();
          await lockSkuFirst(trx, p.sku_id);
          const moved = await trx.updateTable('presale_orders').set({ status: 'closed_unpaid', closed_at: at, updated_at: at }).where('id', '=', po.id).where('status', '=', 'deposit_paid').where('balance_order_id', 'is', null).executeTakeFirst();
          if (Number(moved.numUpdatedRows) !== 1) return;
          await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '+', po.quantity) })).where('id', '=', p.sku_id).execute();
          // The kept deposit is the brand's revenue: the order completes and the ledger settles it as any other.
          await orders.transition(trx, po.deposit_order_id, ['paid'], 'completed', { completed_at: at });
          await deps.outbox.record(trx, [{ type: 'presale.deposit_kept', subjectId: po.id, occurredAt: at, payload: { presaleOrderId: po.id, presaleId: po.presale_id, buyerId: po.buyer_id, depositOrderId: po.deposit_order_id, keptFen: p.deposit_fen * po.quantity } }]);
        });
        done++;
      }
      // The goods arrived (the balance order completed): the deposit order completes with it (P14).
      const received = await db
        .selectFrom('presale_orders')
        .innerJoin('orders', 'orders.id', 'presale_orders.balance_order_id')
        .select(['presale_orders.id', 'presale_orders.deposit_order_id'])
        .where('presale_orders.status', '=', 'balance_paid')
        .where('orders.status', '=', 'completed')
        .limit(limit)
        .execute();
      for (const po of received) {
        await db.transaction().execute(async (trx) => {
          const moved = await trx.updateTable('presale_orders').set({ status: 'completed', closed_at: at, updated_at: at }).where('id', '=', po.id).where('status', '=', 'balance_paid').executeTakeFirst();
          if (Number(moved.numUpdatedRows) === 1) await orders.transition(trx, po.deposit_order_id, ['paid'], 'completed', { completed_at: at });
        });
        done++;
      }
      // The shipping promise passed with the balance paid and nothing shipped: the seller failed (P10).
      const late = await db
        .selectFrom('presale_orders')
        .innerJoin('orders', 'orders.id', 'presale_orders.balance_order_id')
        .selectAll('presale_orders')
        .where('presale_orders.status', '=', 'balance_paid')
        .where('presale_orders.ship_by', '<=', at)
        .where('orders.status', '=', 'paid')
        .limit(limit)
        .execute();
      for (const po of late) if (await sellerFailed(po, '商家未在承诺时间内发货')) done++;
      // Refunds of failed pre-sale orders that did not start (the provider was away): started again.
      const failed = await db
        .selectFrom('presale_orders')
        .innerJoin('orders', (j) => j.on((eb) => eb.or([eb('orders.id', '=', eb.ref('presale_orders.deposit_order_id')), eb('orders.id', '=', eb.ref('presale_orders.balance_order_id'))])))
        .select('presale_orders.id')
        .distinct()
        .where('presale_orders.status', '=', 'seller_failed')
        .where('orders.status', 'in', ['paid', 'pending_payment'])
        .limit(limit)
        .execute();
      for (const f of failed) await settleFailed(f.id, '商家未能履约');
      return done;
    },
  };
}

export type Presale = ReturnType<typeof createPresale>;
