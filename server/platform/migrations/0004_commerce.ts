import type { Kysely } from 'kysely';

// Shopping: the room's product list, addresses, shipping rules, coupons, orders, payments,
// after-sales and flash sales. Money is integer fen (bigint); times are ISO-8601 text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('session_products')
    .addColumn('session_id', 'text', (c) => c.notNull().references('live_sessions.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('link', 'integer', (c) => c.notNull())
    .addColumn('live_prices', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_products_pk', ['session_id', 'product_id'])
    .execute();

  await db.schema
    .createTable('addresses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('addresses_user').on('addresses').column('user_id').execute();

  await db.schema
    .createTable('shipping_rules')
    .addColumn('brand_org_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('base_fee_fen', 'bigint', (c) => c.notNull())
    .addColumn('free_over_fen', 'bigint')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('coupons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('session_id', 'text')
    .addColumn('drop_id', 'text', (c) => c.unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_off_fen', 'bigint')
    .addColumn('threshold_fen', 'bigint')
    .addColumn('percent_off', 'integer')
    .addColumn('cap_fen', 'bigint')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('product_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('per_user_limit', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('issued', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('coupons_brand').on('coupons').column('brand_org_id').execute();

  await db.schema
    .createTable('user_coupons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('coupon_id', 'text', (c) => c.notNull().references('coupons.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('user_coupons_user').on('user_coupons').columns(['user_id', 'coupon_id']).execute();

  await db.schema
    .createTable('flash_sales')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('live_sessions.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('sku_id', 'text', (c) => c.notNull().references('skus.id'))
    .addColumn('price_fen', 'bigint', (c) => c.notNull())
    .addColumn('stock', 'integer', (c) => c.notNull())
    .addColumn('remaining', 'integer', (c) => c.notNull())
    .addColumn('per_user_limit', 'integer', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('settled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('flash_sales_session').on('flash_sales').column('session_id').execute();
  await db.schema
    .createTable('flash_purchases')
    .addColumn('sale_id', 'text', (c) => c.notNull().references('flash_sales.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('flash_purchases_pk', ['sale_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('buyer_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('brand_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('session_id', 'text')
    .addColumn('flash_sale_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('items_total_fen', 'bigint', (c) => c.notNull())
    .addColumn('discount_fen', 'bigint', (c) => c.notNull())
    .addColumn('shipping_fen', 'bigint', (c) => c.notNull())
    .addColumn('total_fen', 'bigint', (c) => c.notNull())
    .addColumn('refunded_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('user_coupon_id', 'text')
    .addColumn('coupon_title', 'text')
    .addColumn('address', 'text')
    .addColumn('confirmed_no_return', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idempotency_key', 'text')
    .addColumn('request_hash', 'text')
    .addColumn('pay_deadline', 'text', (c) => c.notNull())
    .addColumn('paid_at', 'text')
    .addColumn('shipped_at', 'text')
    .addColumn('carrier', 'text')
    .addColumn('tracking_no', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('orders_buyer').on('orders').columns(['buyer_id', 'created_at']).execute();
  await db.schema.createIndex('orders_brand').on('orders').columns(['brand_org_id', 'created_at']).execute();
  await db.schema.createIndex('orders_status_deadline').on('orders').columns(['status', 'pay_deadline']).execute();
  await db.schema.createIndex('orders_idempotency').on('orders').columns(['buyer_id', 'idempotency_key']).unique().execute();

  await db.schema
    .createTable('order_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('image', 'text')
    .addColumn('unit_price_fen', 'bigint', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('paid_fen', 'bigint', (c) => c.notNull())
    .addColumn('refunded_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('return_policy', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_items_order').on('order_items').column('order_id').execute();

  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider_trade_no', 'text')
    .addColumn('pay_url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('paid_at', 'text')
    .execute();
  await db.schema.createIndex('payments_order').on('payments').column('order_id').execute();
  await db.schema
    .createTable('payment_notifications')
    .addColumn('notify_id', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('out_trade_no', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('after_sales')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('item_id', 'text')
    .addColumn('brand_org_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decision_reason', 'text')
    .addColumn('return_carrier', 'text')
    .addColumn('return_tracking_no', 'text')
    .addColumn('out_refund_no', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('after_sales_order').on('after_sales').column('order_id').execute();
  await db.schema.createIndex('after_sales_brand').on('after_sales').columns(['brand_org_id', 'created_at']).execute();

  // The built-in sandbox payment provider keeps its own books, as a real provider would.
  await db.schema
    .createTable('sandbox_trades')
    .addColumn('trade_no', 'text', (c) => c.primaryKey())
    .addColumn('out_trade_no', 'text', (c) => c.notNull().unique())
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('notify_url', 'text', (c) => c.notNull())
    .addColumn('return_url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('paid_at', 'text')
    .execute();
  await db.schema
    .createTable('sandbox_notifications')
    .addColumn('notify_id', 'text', (c) => c.primaryKey())
    .addColumn('trade_no', 'text', (c) => c.notNull())
    .addColumn('notify_url', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('acked_at', 'text')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('sandbox_notifications_due').on('sandbox_notifications').columns(['acked_at', 'next_attempt_at']).execute();
  await db.schema
    .createTable('sandbox_refunds')
    .addColumn('out_refund_no', 'text', (c) => c.primaryKey())
    .addColumn('trade_no', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('provider_keys')
    .addColumn('provider', 'text', (c) => c.primaryKey())
    .addColumn('public_pem', 'text', (c) => c.notNull())
    .addColumn('private_pem_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('coupon_drops').addColumn('coupon_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('coupon_drops').dropColumn('coupon_id').execute();
  for (const table of ['provider_keys', 'sandbox_refunds', 'sandbox_notifications', 'sandbox_trades', 'after_sales', 'payment_notifications', 'payments', 'order_items', 'orders', 'flash_purchases', 'flash_sales', 'user_coupons', 'coupons', 'shipping_rules', 'addresses', 'session_products']) {
    await db.schema.dropTable(table).execute();
  }
}
