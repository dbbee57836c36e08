import type { RoomEvent } from '../room/bus.ts';

/**
 * The messages of the open event WebSocket, version 1 (docs/WEBHOOKS.md, "Open event WebSocket"):
 * `{ "v": 1, "type": …, "at": ISO-8601, "data": {…} }`. A room event is translated field by field
 * (an allow-list), so a field added to the room protocol never leaks out unnoticed.
 */
export const OPEN_EVENTS_VERSION = 1;

export type OpenMessageType =
  | 'hello'
  | 'chat'
  | 'chat_deleted'
  | 'like'
  | 'follow'
  | 'order'
  | 'flash_sale'
  | 'flash_stock'
  | 'pin'
  | 'announcement'
  | 'products'
  | 'coupon'
  | 'lucky_bag'
  | 'status'
  | 'viewers'
  | 'pong'
  | 'error';

export function openMessage(type: OpenMessageType, data: Record<string, unknown>, at: string): string {
  return JSON.stringify({ v: OPEN_EVENTS_VERSION, type, at, data });
}

/** A room event (server/room, docs/realtime-protocol.md) as an open message; null for what the open API does not carry. */
export function fromRoomEvent(event: RoomEvent): { type: OpenMessageType; data: Record<string, unknown>; at?: string } | null {
  // Addressed to one viewer (notices), or a node's resync of its own viewers: not events of the live.
  if (event.to) return null;
  const e = event as Record<string, any>;
  switch (event.type) {
    case 'chat':
      return { type: 'chat', data: { id: e.id, user: { id: e.user?.id, name: e.user?.name, role: e.user?.role }, text: e.text }, at: typeof e.at === 'string' ? e.at : undefined };
    case 'chat.deleted':
      return { type: 'chat_deleted', data: { id: e.id } };
    case 'pin':
      return { type: 'pin', data: { product: e.product ?? null } };
    case 'announcement':
      return { type: 'announcement', data: { text: e.text ?? null } };
    case 'products':
      return { type: 'products', data: { products: e.products ?? [] } };
    case 'coupon.started':
      return { type: 'coupon', data: { phase: 'started', coupon: e.coupon } };
    case 'coupon.updated':
      return { type: 'coupon', data: { phase: 'updated', coupon: e.coupon } };
    case 'luckybag.started':
      return { type: 'lucky_bag', data: { phase: 'started', luckyBag: e.luckyBag } };
    case 'luckybag.drawn':
      return { type: 'lucky_bag', data: { phase: 'drawn', luckyBag: e.luckyBag, ...(e.code && { code: e.code }) } };
    case 'flash.started':
      return { type: 'flash_sale', data: { phase: 'started', flashSale: e.flashSale } };
    case 'flash.ended':
      return { type: 'flash_sale', data: { phase: 'ended', saleId: e.saleId } };
    case 'flash.stock':
      return { type: 'flash_stock', data: { saleId: e.saleId, remaining: e.remaining } };
    case 'status':
      return { type: 'status', data: { status: e.status } };
    default:
      // purchase (the ticker with a masked buyer name: orders are `order`), settings, notice, state.
      return null;
  }
}

/** An order as it travels on the live's open channel (server/commerce/orders.ts): never a buyer field. */
export type OpenOrder = {
  id: string;
  brandOrgId: string;
  status: string;
  flashSaleId: string | null;
  itemsTotalFen: number;
  discountFen: number;
  shippingFen: number;
  totalFen: number;
  createdAt: string;
  paidAt: string | null;
  items: { productId: string; skuId: string; title: string; spec: Record<string, string>; unitPriceFen: number; quantity: number; paidFen: number }[];
};

/** The `order` message's data: the same allow-list whatever the channel carried. */
export function orderData(order: OpenOrder): Record<string, unknown> {
  return {
    id: order.id,
    brandOrgId: order.brandOrgId,
    status: order.status,
    flashSaleId: order.flashSaleId,
    itemsTotalFen: order.itemsTotalFen,
    discountFen: order.discountFen,
    shippingFen: order.shippingFen,
    totalFen: order.totalFen,
    createdAt: order.createdAt,
    paidAt: order.paidAt,
    items: order.items.map((i) => ({ productId: i.productId, skuId: i.skuId, title: i.title, spec: i.spec, unitPriceFen: i.unitPriceFen, quantity: i.quantity, paidFen: i.paidFen })),
  };
}
