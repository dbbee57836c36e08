import type { AfterSalesTable, OrderItemsTable, OrdersTable } from '../platform/db-types.ts';
import { returnDeadline } from './pricing.ts';
import type { Shop } from './shop.ts';

// What an order looks like to the buyer and the brand (the API), and to the business events (the outbox).

/** What every order event says of its order (docs/EVENTS.md). */
export function orderPayload(row: OrdersTable, items?: { id: string; product_id: string; sku_id: string; quantity: number; paid_fen: number }[]) {
  return {
    orderId: row.id,
    buyerId: row.buyer_id,
    brandOrgId: row.brand_org_id,
    sessionId: row.session_id,
    flashSaleId: row.flash_sale_id,
    status: row.status,
    totalFen: row.total_fen,
    refundedFen: row.refunded_fen,
    paidAt: row.paid_at,
    // The part of the discount the platform pays (a campaign coupon's, docs/CAMPAIGNS.md): the ledger settles it.
    ...(row.subsidy_fen ? { subsidyFen: Number(row.subsidy_fen) } : {}),
    // A cross-border order's tax, part of totalFen (docs/CROSSBORDER.md): the ledger holds it for customs.
    ...(row.tax_fen ? { taxFen: Number(row.tax_fen) } : {}),
    ...(row.status === 'cancelled' && { cancelReason: row.cancel_reason, wasPaid: row.paid_at !== null }),
    ...(items && { items: items.map((i) => ({ itemId: i.id, productId: i.product_id, skuId: i.sku_id, quantity: i.quantity, paidFen: i.paid_fen })) }),
  };
}

export function lineView(i: OrderItemsTable) {
  return {
    id: i.id,
    productId: i.product_id,
    skuId: i.sku_id,
    title: i.title,
    spec: JSON.parse(i.spec) as Record<string, string>,
    image: i.image,
    unitPriceFen: i.unit_price_fen,
    quantity: i.quantity,
    paidFen: i.paid_fen,
    refundedFen: i.refunded_fen,
    returnPolicy: i.return_policy,
  };
}

export function afterSaleView(a: AfterSalesTable) {
  return {
    id: a.id,
    orderId: a.order_id,
    itemId: a.item_id,
    kind: a.kind,
    /** A return's cause: no_reason (七天无理由) or quality. */
    cause: a.cause ?? 'no_reason',
    amountFen: a.amount_fen,
    reason: a.reason,
    status: a.status,
    decisionReason: a.decision_reason,
    returnCarrier: a.return_carrier,
    returnTrackingNo: a.return_tracking_no,
    createdAt: a.created_at,
  };
}

export function orderView(o: OrdersTable, items: OrderItemsTable[], afterSales: AfterSalesTable[], brand: Awaited<ReturnType<Shop['brandOf']>>) {
  const deliveredAt = o.delivered_at ?? null;
  return {
    id: o.id,
    status: o.status,
    brand,
    sessionId: o.session_id,
    flashSaleId: o.flash_sale_id,
    items: items.map(lineView),
    itemsTotalFen: o.items_total_fen,
    discountFen: o.discount_fen,
    subsidyFen: Number(o.subsidy_fen ?? 0),
    shippingFen: o.shipping_fen,
    totalFen: o.total_fen,
    taxFen: o.tax_fen,
    kind: o.kind,
    kindData: o.kind_data ? (JSON.parse(o.kind_data) as Record<string, unknown>) : null,
    refundedFen: o.refunded_fen,
    couponTitle: o.coupon_title,
    address: o.address ? (JSON.parse(o.address) as { name: string; phone: string; region: string; detail: string } | null) : null,
    confirmedNoReturn: o.confirmed_no_return === 1,
    payDeadline: o.pay_deadline,
    paidAt: o.paid_at,
    shippedAt: o.shipped_at,
    carrier: o.carrier,
    trackingNo: o.tracking_no,
    deliveredAt,
    completedAt: o.completed_at,
    cancelledAt: o.cancelled_at,
    cancelReason: o.cancel_reason,
    returnDeadline: deliveredAt ? returnDeadline(new Date(deliveredAt)).toISOString() : null,
    createdAt: o.created_at,
    afterSales: afterSales.map(afterSaleView),
  };
}
