import type { Logger } from 'pino';
import type { Db } from '../platform/db.ts';
import type { RoomService } from '../room/service.ts';

/**
 * A paid order told to its live: the purchase ticker in the room (masked buyer, the live's paid count) and
 * the open event API's sockets (docs/WEBHOOKS.md). Best effort, after the payment's transaction: a failure is
 * logged, never the payment's.
 */
export function createAnnouncer({ db, room, logger }: { db: Db; room: RoomService; logger: Logger }) {
  async function purchase(orderId: string) {
    try {
      const order = await db.selectFrom('orders').innerJoin('users', 'users.id', 'orders.buyer_id').select(['orders.session_id', 'users.display_name']).where('orders.id', '=', orderId).executeTakeFirst();
      if (!order?.session_id) return;
      const items = await db.selectFrom('order_items').select(['title', 'quantity']).where('order_id', '=', orderId).execute();
      const paid = await db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('session_id', '=', order.session_id).where('paid_at', 'is not', null).executeTakeFirst();
      await room.announcePurchase(order.session_id, { buyerName: order.display_name, product: items[0]?.title ?? '', quantity: items.reduce((s, i) => s + i.quantity, 0), count: Number(paid?.n ?? 0) });
    } catch (err) {
      logger.warn({ err, orderId }, 'purchase ticker not sent');
    }
  }

  /** The paid order for the open event API's sockets of its live (docs/WEBHOOKS.md): no buyer id, name, address or phone. */
  async function open(orderId: string) {
    try {
      const order = await db
        .selectFrom('orders')
        .select(['id', 'brand_org_id', 'session_id', 'flash_sale_id', 'status', 'items_total_fen', 'discount_fen', 'shipping_fen', 'total_fen', 'created_at', 'paid_at'])
        .where('id', '=', orderId)
        .executeTakeFirst();
      if (!order?.session_id) return;
      const items = await db.selectFrom('order_items').select(['product_id', 'sku_id', 'title', 'spec', 'unit_price_fen', 'quantity', 'paid_fen']).where('order_id', '=', orderId).orderBy('id').execute();
      await room.publishOpen(order.session_id, {
        type: 'order',
        order: {
          id: order.id,
          brandOrgId: order.brand_org_id,
          status: order.status,
          flashSaleId: order.flash_sale_id,
          itemsTotalFen: order.items_total_fen,
          discountFen: order.discount_fen,
          shippingFen: order.shipping_fen,
          totalFen: order.total_fen,
          createdAt: order.created_at,
          paidAt: order.paid_at,
          items: items.map((i) => ({ productId: i.product_id, skuId: i.sku_id, title: i.title, spec: JSON.parse(i.spec) as Record<string, string>, unitPriceFen: i.unit_price_fen, quantity: i.quantity, paidFen: i.paid_fen })),
        },
      });
    } catch (err) {
      logger.warn({ err, orderId }, 'open order event not sent');
    }
  }

  return { purchase, open };
}
