import crypto from 'node:crypto';
import type { OrdersTable } from '../platform/db-types.ts';

/** What a new order's writer decides; the rest of the row is the same for every new order (orderRow). */
export type OrderRowFields = Pick<OrdersTable, 'id' | 'buyer_id' | 'brand_org_id' | 'session_id' | 'flash_sale_id' | 'items_total_fen' | 'discount_fen' | 'shipping_fen' | 'total_fen' | 'user_coupon_id' | 'coupon_title' | 'address' | 'confirmed_no_return' | 'idempotency_key' | 'request_hash'> &
  Partial<Pick<OrdersTable, 'kind' | 'tax_fen' | 'kind_data' | 'subsidy_fen'>>;

/** A new order awaiting payment, created at `at`, payable for `payTimeoutSeconds`. */
export function orderRow(fields: OrderRowFields, at: Date, payTimeoutSeconds: number): OrdersTable {
  return {
    kind: 'goods',
    tax_fen: 0,
    kind_data: null,
    ...fields,
    status: 'pending_payment',
    refunded_fen: 0,
    pay_deadline: new Date(at.getTime() + payTimeoutSeconds * 1000).toISOString(),
    paid_at: null,
    shipped_at: null,
    carrier: null,
    tracking_no: null,
    delivered_at: null,
    completed_at: null,
    cancelled_at: null,
    cancel_reason: null,
    created_at: at.toISOString(),
    updated_at: at.toISOString(),
  };
}

/** The hash an Idempotency-Key is stored with: the same key with another request is refused. */
export function requestHash(value: unknown) {
  return crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
