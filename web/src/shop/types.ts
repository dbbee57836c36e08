// Shopping shapes, from docs/COMMERCE.md. Money is integer fen; times are ISO-8601 UTC.

export type ReturnPolicy = 'standard' | 'excluded' | 'confirm';

export type Brand = { id: string; name: string; licenceName: string | null; licenceNo: string | null };

export type ShopSku = { id: string; spec: Record<string, string>; priceFen: number; livePriceFen: number | null; stock: number };

export type ShopProduct = {
  id: string;
  title: string;
  description: string;
  category: string;
  images: string[];
  returnPolicy: ReturnPolicy;
  brand: Brand;
  skus: ShopSku[];
};

export type RoomShopProduct = ShopProduct & { link: number; priceFen: number; livePriceFen: number | null; /** Origin-certified (直播+消费帮扶): its traceability page is /origin/:id. */ traceable?: boolean };

export type FlashSale = {
  id: string;
  sessionId: string;
  productId: string;
  skuId: string;
  title: string;
  spec: Record<string, string>;
  priceFen: number;
  originalPriceFen: number;
  stock: number;
  remaining: number;
  perUserLimit: number;
  startsAt: string;
  endsAt: string;
};

/** `GET /api/rooms/:id/products` */
export type RoomProductsResponse = { products: RoomShopProduct[]; flashSales: FlashSale[] };

export type Address = { id: string; name: string; phone: string; region: string; detail: string; isDefault: boolean };
export type AddressInput = { name: string; phone: string; region: string; detail: string; isDefault?: boolean };

export type CouponKind = 'amount' | 'threshold' | 'percent';

export type CouponInput = {
  title: string;
  kind: CouponKind;
  amountOffFen?: number;
  thresholdFen?: number;
  percentOff?: number;
  capFen?: number;
  scope: 'brand' | 'products';
  productIds?: string[];
  startsAt: string;
  endsAt: string;
  perUserLimit: number;
  total: number;
};

export type Coupon = CouponInput & { id: string; brandOrgId: string; issued: number; sessionId: string | null };

export type UserCouponStatus = 'unused' | 'locked' | 'used';
export type UserCoupon = { id: string; status: UserCouponStatus; coupon: Coupon; orderId: string | null; claimedAt: string };

export type CheckoutItem = { productId: string; skuId: string; quantity: number };

export type CheckoutInput = {
  items: CheckoutItem[];
  sessionId?: string;
  userCouponId?: string;
  addressId?: string;
  confirmNoReturn?: boolean;
};

export type OrderItem = {
  id: string;
  productId: string;
  skuId: string;
  title: string;
  spec: Record<string, string>;
  image: string | null;
  unitPriceFen: number;
  quantity: number;
  paidFen: number;
  refundedFen: number;
  returnPolicy: string;
};

export type Quote = {
  lines: OrderItem[];
  itemsTotalFen: number;
  discountFen: number;
  shippingFen: number;
  totalFen: number;
  requiresConfirmation: string[];
  coupon: UserCoupon | null;
  usableCoupons: UserCoupon[];
  /** The product kind's rules (server/commerce/kinds.ts): 'goods' is a parcel. */
  kind?: string;
  /** Tax added to the total (cross-border). */
  taxFen?: number;
  /** false: nothing is shipped (a voucher), so no address is needed. */
  ships?: boolean;
  kindData?: Record<string, unknown> | null;
};

export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'completed' | 'cancelled';

export const ORDER_STATUSES: readonly OrderStatus[] = ['pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled'];

export type AfterSaleKind = 'refund_only' | 'return_refund';
export type AfterSaleStatus = 'requested' | 'awaiting_return' | 'returned' | 'refunding' | 'refunded' | 'rejected';

export const AFTER_SALE_STATUSES: readonly AfterSaleStatus[] = ['requested', 'awaiting_return', 'returned', 'refunding', 'refunded', 'rejected'];

export type AfterSale = {
  id: string;
  orderId: string;
  itemId: string | null;
  kind: AfterSaleKind;
  /** A return's cause: 七天无理由, or a quality problem (any item; the brand judges it). */
  cause?: 'no_reason' | 'quality';
  amountFen: number;
  reason: string;
  status: AfterSaleStatus;
  decisionReason: string | null;
  returnCarrier: string | null;
  returnTrackingNo: string | null;
  createdAt: string;
};

export type OrderAddress = { name: string; phone: string; region: string; detail: string };

export type Order = {
  id: string;
  status: OrderStatus;
  /** The product kind (server/commerce/kinds.ts): 'voucher' orders hold redemption codes in 我的券. */
  kind?: string;
  brand: Brand;
  sessionId: string | null;
  flashSaleId: string | null;
  items: OrderItem[];
  itemsTotalFen: number;
  discountFen: number;
  shippingFen: number;
  totalFen: number;
  refundedFen: number;
  couponTitle: string | null;
  address: OrderAddress | null;
  confirmedNoReturn: boolean;
  payDeadline: string;
  paidAt: string | null;
  shippedAt: string | null;
  carrier: string | null;
  trackingNo: string | null;
  deliveredAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  returnDeadline: string | null;
  createdAt: string;
  afterSales: AfterSale[];
};

export type ShippingRule = { baseFeeFen: number; freeOverFen: number | null };
