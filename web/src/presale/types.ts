/** The pre-sale as the API answers it (server/presale/service.ts). Money in fen. */
export type Presale = {
  id: string;
  brandOrgId: string;
  sessionId: string | null;
  title: string;
  depositFen: number;
  expansionFen: number;
  finalPriceFen: number;
  balanceFen: number;
  depositStartsAt: string;
  depositEndsAt: string;
  balanceStartsAt: string;
  balanceEndsAt: string;
  stock: number;
  remaining: number;
  perBuyerLimit: number;
  shipWithinDays: number;
  rules: string;
  status: 'open' | 'settled' | 'cancelled';
  spec?: Record<string, string>;
  image?: string | null;
  originalPriceFen?: number;
};

export type PresaleOrderStatus = 'deposit_pending' | 'deposit_paid' | 'balance_paid' | 'completed' | 'cancelled' | 'closed_unpaid' | 'seller_failed';

export type PresaleOrder = {
  id: string;
  presale: Presale;
  quantity: number;
  status: PresaleOrderStatus;
  depositOrderId: string;
  depositOrderStatus: string | null;
  depositFen: number;
  balanceOrderId: string | null;
  balanceOrderStatus: string | null;
  balanceFen: number;
  balanceStartsAt: string;
  balanceEndsAt: string;
  balanceOpen: boolean;
  closedAt: string | null;
  createdAt: string;
};

export type PayAnswer = { presaleOrder: PresaleOrder; orderId: string; payUrl: string };
