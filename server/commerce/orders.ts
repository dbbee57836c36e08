import type { Transaction } from 'kysely';
import type { EventType, NewEvent, Outbox } from '../events/outbox.ts';
import type { Logger } from 'pino';
import type { AuthUser } from '../accounts/service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import type { Database, OrderItemsTable, OrdersTable, OrderStatus, PaymentsTable } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { CommerceCounters } from '../metrics/counters.ts';
import type { RoomService } from '../room/service.ts';
import type { Kinds } from './kinds.ts';
import type { PaymentProvider } from './payments/provider.ts';
import { createAnnouncer } from './announce.ts';
import { allocatePaid, couponDiscount, shippingFee } from './pricing.ts';
import type { CheckoutInput } from './schema.ts';
import { userCouponView, type Shop } from './shop.ts';
import { lineView, orderPayload, orderView } from './views.ts';
import { orderRow, requestHash, type OrderRowFields } from './order-rows.ts';
import { createOrderSweeps } from './order-sweeps.ts';

export type OrdersConfig = {
  payTimeoutSeconds: number;
  autoConfirmDays: number;
  appId: string;
  merchantId: string;
};

export type OrdersDeps = {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: OrdersConfig;
  shop: Shop;
  room: RoomService;
  provider: PaymentProvider;
  /** Where the provider posts notifications, e.g. http://127.0.0.1:8080 (known once the server listens). */
  notifyBaseUrl: () => string;
  /** Business events (order.paid, order.shipped …) go here, in the transaction of the change. */
  outbox: Outbox;
  /** The rules of product kinds other than parcels (server/commerce/kinds.ts). */
  kinds: Kinds;
};

export type Trx = Transaction<Database>;

const ORDER_EVENTS: Partial<Record<OrderStatus, EventType>> = {
  paid: 'order.paid',
  shipped: 'order.shipped',
  delivered: 'order.delivered',
  completed: 'order.completed',
  cancelled: 'order.cancelled',
};

export type Line = Omit<OrderItemsTable, 'id' | 'order_id' | 'refunded_fen'>;

/** Releases what an order holds; flash sales add their own step (see flash.ts). */
export type ReleaseHook = (trx: Trx, order: OrdersTable, items: OrderItemsTable[]) => Promise<void>;

export function createOrders(deps: OrdersDeps) {
  const { db, clock, logger, config, shop, room, provider } = deps;
  const now = () => clock.now().toISOString();
  let releaseFlash: ReleaseHook | null = null;
  let afterRelease: ((order: OrdersTable, items: OrderItemsTable[]) => void) | null = null;
  /** Whether a brand takes part in a campaign: a campaign's shared coupon is usable on its brands only (server/campaigns). */
  let campaignScope: ((campaignId: string, brandOrgId: string) => Promise<boolean>) | null = null;
  const couponInScope = async (c: { brand_org_id: string | null; campaign_id?: string | null }, brandOrgId: string) =>
    c.campaign_id ? Boolean(campaignScope && (await campaignScope(c.campaign_id, brandOrgId))) : c.brand_org_id === brandOrgId;
  const counters = new CommerceCounters();
  const announcer = createAnnouncer({ db, room, logger });

  // --- pricing ---

  async function price(buyer: AuthUser, input: CheckoutInput, { forOrder }: { forOrder: boolean }) {
    const productIds = [...new Set(input.items.map((i) => i.productId))];
    // With each product, its brand's review status, read in the same query (a brand not approved sells nothing).
    const products = await db
      .selectFrom('products')
      .innerJoin('organisations', 'organisations.id', 'products.brand_org_id')
      .selectAll('products')
      .select('organisations.status as brand_status')
      .where('products.id', 'in', productIds)
      .execute();
    const skus = await db.selectFrom('skus').selectAll().where('id', 'in', input.items.map((i) => i.skuId)).execute();
    let livePrices = new Map<string, number>();
    if (input.sessionId) {
      const info = await room.session(input.sessionId);
      if (info.status !== 'ended') {
        const rows = await db.selectFrom('session_products').select(['product_id', 'live_prices']).where('session_id', '=', input.sessionId).where('product_id', 'in', productIds).execute();
        livePrices = new Map(rows.flatMap((r) => Object.entries(JSON.parse(r.live_prices) as Record<string, number>)));
      }
    }
    const brandIds = new Set<string>();
    const lines: Line[] = [];
    const requiresConfirmation: string[] = [];
    for (const item of input.items) {
      const product = products.find((p) => p.id === item.productId);
      if (!product || product.status !== 'on_sale') throw new AppError(product ? 'PRODUCT_OFF_SALE' : 'PRODUCT_NOT_FOUND');
      const sku = skus.find((s) => s.id === item.skuId);
      if (!sku || sku.product_id !== product.id) throw new AppError('ORDER_SKU_MISMATCH', { skuId: item.skuId });
      if (lines.some((l) => l.sku_id === sku.id)) throw new AppError('ORDER_DUPLICATE_SKU');
      brandIds.add(product.brand_org_id);
      if (product.return_policy === 'confirm' && !requiresConfirmation.includes(product.id)) requiresConfirmation.push(product.id);
      const unit = livePrices.get(sku.id) ?? sku.price_fen;
      lines.push({
        product_id: product.id,
        sku_id: sku.id,
        title: product.title,
        spec: sku.spec,
        image: (JSON.parse(product.images) as string[])[0] ?? null,
        unit_price_fen: unit,
        quantity: item.quantity,
        paid_fen: unit * item.quantity,
        return_policy: product.return_policy,
      });
    }
    if (brandIds.size > 1) throw new AppError('ORDER_MIXED_BRANDS');
    const brandOrgId = [...brandIds][0]!;
    // A brand the operator has not approved sells nothing (server/orgs/approval.ts, the same rule).
    if (products.some((p) => p.brand_status !== 'approved')) throw new AppError('BRAND_NOT_APPROVED');
    const kinds = new Set(products.map((p) => p.kind));
    if (kinds.size > 1) throw new AppError('ORDER_MIXED_KINDS');
    const kind = products[0]!.kind;
    const rules = deps.kinds.get(kind);
    if (rules?.adjust) await rules.adjust({ buyer, input, brandOrgId, products, lines, forOrder });
    const itemsTotal = lines.reduce((sum, l) => sum + l.unit_price_fen * l.quantity, 0);
    if (!Number.isSafeInteger(itemsTotal) || itemsTotal > 100_000_000_000) throw new AppError('ORDER_TOO_LARGE');

    let discount = 0;
    let coupon = null as null | Awaited<ReturnType<typeof loadUserCoupon>>;
    if (input.userCouponId) {
      coupon = await loadUserCoupon(buyer.id, input.userCouponId);
      const c = coupon.coupon;
      const at = now();
      if (coupon.uc.status !== 'unused') throw new AppError('COUPON_ALREADY_USED');
      if (c.starts_at > at) throw new AppError('COUPON_NOT_YET_VALID', { startsAt: c.starts_at });
      if (c.ends_at <= at) throw new AppError('COUPON_EXPIRED');
      if (!(await couponInScope(c, brandOrgId))) throw new AppError(c.campaign_id ? 'CAMPAIGN_COUPON_BRAND_NOT_IN_CAMPAIGN' : 'COUPON_OUT_OF_SCOPE');
      const scope = JSON.parse(c.product_ids) as string[];
      const result = couponDiscount(
        { kind: c.kind, amountOffFen: c.amount_off_fen, thresholdFen: c.threshold_fen, percentOff: c.percent_off, capFen: c.cap_fen },
        lines.map((l) => ({ lineTotalFen: l.unit_price_fen * l.quantity, eligible: c.scope === 'brand' || scope.includes(l.product_id) })),
      );
      if ('refused' in result) throw new AppError(result.refused);
      discount = result.discountFen;
    }
    const paid = allocatePaid(lines.map((l) => l.unit_price_fen * l.quantity), discount);
    lines.forEach((l, i) => (l.paid_fen = paid[i]!));
    let shipping = shippingFee(await shop.shippingRule(brandOrgId), itemsTotal - discount);
    const kindQuote = rules?.quote ? await rules.quote({ buyer, input, brandOrgId, products, lines, forOrder, itemsTotalFen: itemsTotal, discountFen: discount, shippingFen: shipping }) : {};
    const ships = kindQuote.ships !== false;
    if (!ships) shipping = 0;
    const tax = kindQuote.taxFen ?? 0;

    let address: { name: string; phone: string; region: string; detail: string } | null = null;
    const addressRow = input.addressId
      ? await db.selectFrom('addresses').selectAll().where('id', '=', input.addressId).where('user_id', '=', buyer.id).executeTakeFirst()
      : await db.selectFrom('addresses').selectAll().where('user_id', '=', buyer.id).orderBy('is_default', 'desc').orderBy('created_at').executeTakeFirst();
    if (input.addressId && !addressRow) throw new AppError('ADDRESS_NOT_FOUND');
    if (addressRow) address = { name: addressRow.name, phone: addressRow.phone, region: addressRow.region, detail: addressRow.detail };
    if (forOrder) {
      if (requiresConfirmation.length && input.confirmNoReturn !== true) throw new AppError('ORDER_CONFIRMATION_REQUIRED');
      if (!address && ships) throw new AppError('ADDRESS_REQUIRED');
    }
    // A campaign's coupon is paid by the platform: its whole discount is a subsidy.
    const subsidy = coupon?.coupon.campaign_id ? discount : 0;
    return { subsidy, lines, brandOrgId, itemsTotal, discount, shipping, total: itemsTotal - discount + shipping + tax, coupon, requiresConfirmation, address: ships ? address : null, kind, tax, ships, kindData: kindQuote.data ?? null };
  }

  async function loadUserCoupon(userId: string, userCouponId: string) {
    const uc = await db.selectFrom('user_coupons').selectAll().where('id', '=', userCouponId).executeTakeFirst();
    // Someone else's coupon looks the same as a missing one.
    if (!uc || uc.user_id !== userId) throw new AppError('COUPON_NOT_FOUND');
    const coupon = await db.selectFrom('coupons').selectAll().where('id', '=', uc.coupon_id).executeTakeFirstOrThrow();
    return { uc, coupon };
  }

  /** Writes an order and its lines; the caller has already taken the stock in the same transaction. */
  async function insertOrder(trx: Trx, order: OrdersTable, lines: Line[]): Promise<OrderItemsTable[]> {
    const items = lines.map((l) => ({ ...l, id: newId(), order_id: order.id, refunded_fen: 0 }));
    await trx.insertInto('orders').values(order).execute();
    await trx.insertInto('order_items').values(items).execute();
    return items;
  }

  const newOrderRow = (fields: OrderRowFields) => orderRow(fields, clock.now(), config.payTimeoutSeconds);

  async function byIdempotencyKey(buyerId: string, key: string, hash: string) {
    const existing = await db.selectFrom('orders').select(['id', 'request_hash']).where('buyer_id', '=', buyerId).where('idempotency_key', '=', key).executeTakeFirst();
    if (!existing) return null;
    if (existing.request_hash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    return existing.id;
  }

  // --- views ---

  async function view(orderId: string) {
    const order = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
    if (!order) throw new AppError('ORDER_NOT_FOUND');
    const [items, afterSales, brand] = await Promise.all([
      db.selectFrom('order_items').selectAll().where('order_id', '=', orderId).execute(),
      db.selectFrom('after_sales').selectAll().where('order_id', '=', orderId).orderBy('created_at').execute(),
      shop.brandOf(order.brand_org_id),
    ]);
    return orderView(order, items, afterSales, brand);
  }

  async function ownOrder(user: AuthUser, orderId: string) {
    const order = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
    // Another buyer's order looks the same as a missing one.
    if (!order || order.buyer_id !== user.id) throw new AppError('ORDER_NOT_FOUND');
    return order;
  }

  async function brandOrder(orgId: string, orderId: string) {
    const order = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
    if (!order || order.brand_org_id !== orgId) throw new AppError('ORDER_NOT_FOUND');
    return order;
  }

  async function listViews(rows: OrdersTable[]) {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const [items, afterSales] = await Promise.all([
      db.selectFrom('order_items').selectAll().where('order_id', 'in', ids).execute(),
      db.selectFrom('after_sales').selectAll().where('order_id', 'in', ids).orderBy('created_at').execute(),
    ]);
    const brands = new Map<string, Awaited<ReturnType<Shop['brandOf']>>>();
    for (const id of new Set(rows.map((r) => r.brand_org_id))) brands.set(id, await shop.brandOf(id));
    return rows.map((r) => orderView(r, items.filter((i) => i.order_id === r.id), afterSales.filter((a) => a.order_id === r.id), brands.get(r.brand_org_id)!));
  }

  // --- state changes ---

  /**
   * Moves an order to `to` only from one of `from`; false when another writer got there first. The
   * move is recorded as a business event (order.paid, order.shipped …) in the same transaction.
   */
  async function transition(trx: Trx, orderId: string, from: OrderStatus[], to: OrderStatus, set: Partial<OrdersTable> = {}) {
    const events = await transitionDeferred(trx, orderId, from, to, set);
    if (!events) return false;
    await deps.outbox.record(trx, events);
    return true;
  }

  /**
   * The same move, handing back its business event for the caller to record when its other writes are
   * done: on PostgreSQL recording takes the outbox's lock until commit, so a transaction that goes on to
   * lock more rows after it (a cancel giving stock back to the SKU and the kind's rows) deadlocks with
   * one that holds such a row and then records (docs/EVENTS.md, "Lock order"). Null when another writer
   * got there first.
   */
  async function transitionDeferred(trx: Trx, orderId: string, from: OrderStatus[], to: OrderStatus, set: Partial<OrdersTable> = {}): Promise<NewEvent[] | null> {
    const at = now();
    const row = await trx.updateTable('orders').set({ ...set, status: to, updated_at: at }).where('id', '=', orderId).where('status', 'in', from).returningAll().executeTakeFirst();
    if (!row) return null;
    const type = ORDER_EVENTS[to];
    if (!type) return [];
    // A paid order carries its lines: what the ledger posts and splits commission on.
    const items = type === 'order.paid' ? await trx.selectFrom('order_items').select(['id', 'product_id', 'sku_id', 'quantity', 'paid_fen']).where('order_id', '=', orderId).execute() : undefined;
    return [{ type, subjectId: orderId, occurredAt: at, payload: orderPayload(row, items) }];
  }

  async function release(trx: Trx, order: OrdersTable, options: { coupon: boolean }) {
    const items = await trx.selectFrom('order_items').selectAll().where('order_id', '=', order.id).execute();
    if (order.flash_sale_id && releaseFlash) await releaseFlash(trx, order, items);
    else for (const item of items) await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '+', item.quantity) })).where('id', '=', item.sku_id).execute();
    await deps.kinds.get(order.kind)?.released?.(trx, order, items);
    if (options.coupon && order.user_coupon_id)
      await trx.updateTable('user_coupons').set({ status: 'unused', order_id: null, used_at: null }).where('id', '=', order.user_coupon_id).where('status', 'in', ['locked', 'used']).execute();
    return items;
  }

  /** Records a successful payment once; answers what happened. */
  async function settlePaid(payment: PaymentsTable, tradeNo: string | null, paidAt: string, notifyId: string | null): Promise<'paid' | 'already' | 'refund'> {
    const outcome = await db.transaction().execute(async (trx) => {
      if (notifyId) {
        const seen = await trx.selectFrom('payment_notifications').select('notify_id').where('notify_id', '=', notifyId).executeTakeFirst();
        if (seen) return 'already' as const;
        await trx.insertInto('payment_notifications').values({ notify_id: notifyId, provider: payment.provider, event: 'trade.success', out_trade_no: payment.id, received_at: now() }).execute();
      }
      const moved = await trx.updateTable('payments').set({ status: 'succeeded', provider_trade_no: tradeNo, paid_at: paidAt }).where('id', '=', payment.id).where('status', '!=', 'succeeded').executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) return 'already' as const;
      const events = await transitionDeferred(trx, payment.order_id, ['pending_payment'], 'paid', { paid_at: paidAt });
      if (events) {
        const order = await trx.selectFrom('orders').selectAll().where('id', '=', payment.order_id).executeTakeFirstOrThrow();
        if (order.user_coupon_id) await trx.updateTable('user_coupons').set({ status: 'used', used_at: paidAt }).where('id', '=', order.user_coupon_id).execute();
        const rules = deps.kinds.get(order.kind);
        if (rules?.paid) await rules.paid(trx, order, await trx.selectFrom('order_items').selectAll().where('order_id', '=', order.id).execute());
        // Recorded last, after the kind's rows (a pre-sale order the brand may be failing): see transitionDeferred.
        await deps.outbox.record(trx, events);
        return 'paid' as const;
      }
      // The money arrived for an order that is no longer payable (cancelled, or paid already by another of its
      // trades): this payment goes back in whole. The after-sale names it, so its refund is the payment's, not
      // the order's: the order's refunds, its refund limit and the ledger do not see it (aftersales.ts).
      const afterSaleId = newId();
      const order = await trx.selectFrom('orders').selectAll().where('id', '=', payment.order_id).executeTakeFirstOrThrow();
      const reason = order.status === 'cancelled' ? 'paid after the order was cancelled' : 'paid twice: this payment goes back';
      await trx
        .insertInto('after_sales')
        .values({ id: afterSaleId, order_id: order.id, item_id: null, brand_org_id: order.brand_org_id, buyer_id: order.buyer_id, kind: 'refund_only', amount_fen: payment.amount_fen, reason, status: 'refunding', decision_reason: 'automatic', return_carrier: null, return_tracking_no: null, out_refund_no: afterSaleId, created_at: now(), updated_at: now(), payment_id: payment.id })
        .execute();
      return 'refund' as const;
    });
    if (outcome === 'paid') {
      counters.ordersPaid++;
      void announcer.purchase(payment.order_id);
      void announcer.open(payment.order_id);
    }
    if (outcome === 'refund') {
      const as = await db.selectFrom('after_sales').selectAll().where('payment_id', '=', payment.id).where('status', '=', 'refunding').executeTakeFirst();
      if (as) await provider.refund({ outTradeNo: payment.id, outRefundNo: as.out_refund_no!, amountFen: as.amount_fen }).catch((err: unknown) => logger.error({ err, orderId: payment.order_id }, 'automatic refund failed; the refund sweep will retry'));
    }
    return outcome;
  }

  /** Cancels an unpaid order unless the provider says it was paid meanwhile. */
  async function cancel(order: OrdersTable, reason: 'buyer' | 'timeout' | 'refunded'): Promise<'cancelled' | 'paid' | 'unchanged'> {
    const payments = await db.selectFrom('payments').selectAll().where('order_id', '=', order.id).where('status', '=', 'pending').execute();
    for (const payment of payments) {
      const status = await provider.closeTrade(payment.id);
      if (status === 'paid') {
        const trade = await provider.queryTrade(payment.id);
        if (trade.amountFen === payment.amount_fen) {
          await settlePaid(payment, trade.tradeNo, trade.paidAt ?? now(), null);
          return 'paid';
        }
      }
    }
    let items: OrderItemsTable[] = [];
    const done = await db.transaction().execute(async (trx) => {
      const events = await transitionDeferred(trx, order.id, ['pending_payment'], 'cancelled', { cancelled_at: now(), cancel_reason: reason });
      if (!events) return false;
      await trx.updateTable('payments').set({ status: 'closed' }).where('order_id', '=', order.id).where('status', '=', 'pending').execute();
      items = await release(trx, order, { coupon: true });
      // Recorded last: see transitionDeferred.
      await deps.outbox.record(trx, events);
      return true;
    });
    if (done) afterRelease?.(order, items);
    return done ? 'cancelled' : 'unchanged';
  }

  return {
    /** Counts for /metrics (server/metrics). */
    counters,
    price,
    insertOrder,
    /** The view of an order just written, without reading it back. */
    viewOf: (order: OrdersTable, items: OrderItemsTable[], brand: Awaited<ReturnType<Shop['brandOf']>>) => orderView(order, items, [], brand),
    newOrderRow,
    byIdempotencyKey,
    requestHash,
    view,
    transition,
    transitionDeferred,
    release,
    settlePaid,
    onRelease(hook: ReleaseHook, after: (order: OrdersTable, items: OrderItemsTable[]) => void) {
      releaseFlash = hook;
      afterRelease = after;
    },
    afterRelease: (order: OrdersTable, items: OrderItemsTable[]) => afterRelease?.(order, items),
    /** Campaigns (server/campaigns) tell checkout which brands a campaign's shared coupon covers. */
    setCampaignScope(hook: (campaignId: string, brandOrgId: string) => Promise<boolean>) {
      campaignScope = hook;
    },

    async quote(buyer: AuthUser, input: CheckoutInput) {
      const priced = await price(buyer, input, { forOrder: false });
      const mine = await shop.myCoupons(buyer.id);
      const at = now();
      const inCampaign = new Set<string>();
      for (const id of new Set(mine.filter((c) => c.status === 'unused' && c.coupon.campaignId).map((c) => c.coupon.campaignId!)))
        if (await couponInScope({ brand_org_id: null, campaign_id: id }, priced.brandOrgId)) inCampaign.add(id);
      const usable = mine.filter(
        (c) => c.status === 'unused' && (c.coupon.campaignId ? inCampaign.has(c.coupon.campaignId) : c.coupon.brandOrgId === priced.brandOrgId) && c.coupon.startsAt <= at && c.coupon.endsAt > at &&
          !('refused' in couponDiscount({ kind: c.coupon.kind, amountOffFen: c.coupon.amountOffFen, thresholdFen: c.coupon.thresholdFen, percentOff: c.coupon.percentOff, capFen: c.coupon.capFen }, priced.lines.map((l) => ({ lineTotalFen: l.unit_price_fen * l.quantity, eligible: c.coupon.scope === 'brand' || c.coupon.productIds.includes(l.product_id) })))),
      );
      return {
        lines: priced.lines.map((l) => lineView({ ...l, id: '', order_id: '', refunded_fen: 0 })),
        itemsTotalFen: priced.itemsTotal,
        discountFen: priced.discount,
        subsidyFen: priced.subsidy,
        shippingFen: priced.shipping,
        totalFen: priced.total,
        requiresConfirmation: priced.requiresConfirmation,
        coupon: priced.coupon ? userCouponView(priced.coupon.uc, priced.coupon.coupon) : null,
        usableCoupons: usable,
        address: priced.address,
        kind: priced.kind,
        taxFen: priced.tax,
        ships: priced.ships,
        kindData: priced.kindData,
      };
    },

    /** Places an order: prices recomputed, stock taken and coupon locked in one transaction. */
    async create(buyer: AuthUser, input: CheckoutInput, idempotencyKey?: string): Promise<{ order: Awaited<ReturnType<typeof view>>; created: boolean }> {
      const hash = requestHash(input);
      if (idempotencyKey) {
        const existing = await byIdempotencyKey(buyer.id, idempotencyKey, hash);
        if (existing) return { order: await view(existing), created: false };
      }
      const priced = await price(buyer, input, { forOrder: true });
      const row = newOrderRow({
        id: newId(),
        buyer_id: buyer.id,
        brand_org_id: priced.brandOrgId,
        session_id: input.sessionId ?? null,
        flash_sale_id: null,
        items_total_fen: priced.itemsTotal,
        discount_fen: priced.discount,
        shipping_fen: priced.shipping,
        total_fen: priced.total,
        user_coupon_id: priced.coupon?.uc.id ?? null,
        coupon_title: priced.coupon?.coupon.title ?? null,
        address: JSON.stringify(priced.address),
        confirmed_no_return: priced.requiresConfirmation.length ? 1 : 0,
        idempotency_key: idempotencyKey ?? null,
        request_hash: hash,
        kind: priced.kind,
        tax_fen: priced.tax,
        kind_data: priced.kindData ? JSON.stringify(priced.kindData) : null,
        subsidy_fen: priced.subsidy,
      });
      try {
        await db.transaction().execute(async (trx) => {
          for (const line of priced.lines) {
            const taken = await trx.updateTable('skus').set((eb) => ({ stock: eb('stock', '-', line.quantity) })).where('id', '=', line.sku_id).where('stock', '>=', line.quantity).executeTakeFirst();
            if (Number(taken.numUpdatedRows) !== 1) throw new AppError('STOCK_INSUFFICIENT', { title: line.title });
          }
          if (priced.coupon) {
            const locked = await trx.updateTable('user_coupons').set({ status: 'locked', order_id: row.id }).where('id', '=', priced.coupon.uc.id).where('user_id', '=', buyer.id).where('status', '=', 'unused').executeTakeFirst();
            if (Number(locked.numUpdatedRows) !== 1) throw new AppError('COUPON_ALREADY_USED');
          }
          const items = await insertOrder(trx, row, priced.lines);
          await deps.kinds.get(row.kind)?.placed?.(trx, row, items);
        });
      } catch (error) {
        // A concurrent double submit with the same key loses on the unique index (or on the stock or the
        // coupon the winner just took): answer the winner's order.
        if (idempotencyKey) {
          const existing = await byIdempotencyKey(buyer.id, idempotencyKey, hash).catch(() => null);
          if (existing) return { order: await view(existing), created: false };
        }
        throw error;
      }
      counters.ordersPlaced++;
      return { order: await view(row.id), created: true };
    },

    async get(user: AuthUser, orderId: string) {
      await ownOrder(user, orderId);
      return view(orderId);
    },
    async list(user: AuthUser, status?: OrderStatus) {
      let q = db.selectFrom('orders').selectAll().where('buyer_id', '=', user.id);
      if (status) q = q.where('status', '=', status);
      return listViews(await q.orderBy('created_at', 'desc').limit(100).execute());
    },
    async brandList(orgId: string, status?: OrderStatus) {
      let q = db.selectFrom('orders').selectAll().where('brand_org_id', '=', orgId);
      if (status) q = q.where('status', '=', status);
      return listViews(await q.orderBy('created_at', 'desc').limit(200).execute());
    },

    async setAddress(user: AuthUser, orderId: string, addressId: string) {
      const order = await ownOrder(user, orderId);
      if (order.status !== 'pending_payment') throw new AppError('ORDER_STATE_CONFLICT', { status: order.status });
      const a = await db.selectFrom('addresses').selectAll().where('id', '=', addressId).where('user_id', '=', user.id).executeTakeFirst();
      if (!a) throw new AppError('ADDRESS_NOT_FOUND');
      await db.updateTable('orders').set({ address: JSON.stringify({ name: a.name, phone: a.phone, region: a.region, detail: a.detail }), updated_at: now() }).where('id', '=', orderId).where('status', '=', 'pending_payment').execute();
      return view(orderId);
    },

    /** Opens (or reuses) the order's trade with the provider. */
    async pay(user: AuthUser, orderId: string) {
      const order = await ownOrder(user, orderId);
      if (order.status === 'cancelled' || (order.status === 'pending_payment' && order.pay_deadline <= now())) throw new AppError('ORDER_NOT_PAYABLE');
      if (order.status !== 'pending_payment') throw new AppError('ORDER_ALREADY_PAID');
      if (!order.address) throw new AppError('ADDRESS_REQUIRED');
      const open = await db.selectFrom('payments').selectAll().where('order_id', '=', orderId).where('status', '=', 'pending').executeTakeFirst();
      if (open) return { paymentId: open.id, payUrl: open.pay_url };
      const paymentId = newId();
      const items = await db.selectFrom('order_items').select(['title']).where('order_id', '=', orderId).execute();
      const trade = await provider.createTrade({
        outTradeNo: paymentId,
        amountFen: order.total_fen,
        subject: items.map((i) => i.title).join('、').slice(0, 100),
        notifyUrl: `${deps.notifyBaseUrl()}/api/payments/notify/${provider.name}`,
        returnUrl: `/orders/${orderId}?from=pay`,
      });
      // Two requests at once (a double tap) each opened a trade: the first one recorded is the order's, the
      // other is closed, so the buyer cannot pay the order twice. The order's row serializes the check.
      const earlier = await db.transaction().execute(async (trx) => {
        await trx.updateTable('orders').set({ updated_at: now() }).where('id', '=', orderId).execute();
        const first = await trx.selectFrom('payments').select(['id', 'pay_url']).where('order_id', '=', orderId).where('status', '=', 'pending').executeTakeFirst();
        if (first) return first;
        await trx.insertInto('payments').values({ id: paymentId, order_id: orderId, provider: provider.name, amount_fen: order.total_fen, status: 'pending', provider_trade_no: trade.tradeNo, pay_url: trade.payUrl, created_at: now(), paid_at: null }).execute();
        return null;
      });
      if (earlier) {
        await provider.closeTrade(paymentId).catch((err: unknown) => logger.error({ err, orderId }, 'closing a second trade of an order failed'));
        return { paymentId: earlier.id, payUrl: earlier.pay_url };
      }
      return { paymentId, payUrl: trade.payUrl };
    },

    /** A provider notification: verified, processed once, then acknowledged. */
    async notify(rawBody: string, headers: Record<string, string | string[] | undefined>, settleRefund: (outRefundNo: string, refundFen: number, notifyId: string) => Promise<void>) {
      const n = await provider.verifyNotification(rawBody, headers);
      if (n.appId !== config.appId || n.merchantId !== config.merchantId) throw new AppError('PAYMENT_MERCHANT_MISMATCH');
      const payment = await db.selectFrom('payments').selectAll().where('id', '=', n.outTradeNo).executeTakeFirst();
      if (!payment) throw new AppError('PAYMENT_UNKNOWN_ORDER');
      if (n.event === 'trade.success') {
        if (payment.amount_fen !== n.amountFen) throw new AppError('PAYMENT_AMOUNT_MISMATCH');
        await settlePaid(payment, n.tradeNo, n.at, n.notifyId);
        return;
      }
      if (n.event === 'refund.success' && n.outRefundNo && Number.isInteger(n.refundFen)) {
        await settleRefund(n.outRefundNo, n.refundFen!, n.notifyId);
        return;
      }
      throw new AppError('PAYMENT_SIGNATURE_INVALID');
    },

    async cancelByBuyer(user: AuthUser, orderId: string) {
      const order = await ownOrder(user, orderId);
      if (order.status !== 'pending_payment') throw new AppError('ORDER_STATE_CONFLICT', { status: order.status });
      const outcome = await cancel(order, 'buyer');
      if (outcome === 'paid') throw new AppError('ORDER_ALREADY_PAID');
      return view(orderId);
    },
    cancel,

    async confirmReceipt(user: AuthUser, orderId: string) {
      const order = await ownOrder(user, orderId);
      const at = now();
      if (!(await db.transaction().execute((trx) => transition(trx, orderId, ['shipped', 'delivered'], 'completed', { completed_at: at, delivered_at: order.delivered_at ?? at }))))
        throw new AppError('ORDER_STATE_CONFLICT', { status: order.status });
      return view(orderId);
    },

    async ship(orgId: string, orderId: string, input: { carrier: string; trackingNo: string }) {
      const order = await brandOrder(orgId, orderId);
      const open = await db.selectFrom('after_sales').select('id').where('order_id', '=', orderId).where('kind', '=', 'refund_only').where('status', 'in', ['requested', 'refunding']).where('payment_id', 'is', null).executeTakeFirst();
      if (open) throw new AppError('AFTERSALE_PENDING');
      if (!(await db.transaction().execute((trx) => transition(trx, orderId, ['paid'], 'shipped', { shipped_at: now(), carrier: input.carrier, tracking_no: input.trackingNo }))))
        throw new AppError('ORDER_STATE_CONFLICT', { status: order.status });
      return view(orderId);
    },

    async deliver(orgId: string, orderId: string) {
      const order = await brandOrder(orgId, orderId);
      if (!(await db.transaction().execute((trx) => transition(trx, orderId, ['shipped'], 'delivered', { delivered_at: now() })))) throw new AppError('ORDER_STATE_CONFLICT', { status: order.status });
      return view(orderId);
    },

    ownOrder,
    brandOrder,

    // --- sweeps: driven from the database, so they survive restarts and run on any node (order-sweeps.ts) ---
    ...createOrderSweeps({ db, clock, logger, provider, autoConfirmDays: config.autoConfirmDays, cancel, settlePaid, transition }),
  };
}

export type Orders = ReturnType<typeof createOrders>;
