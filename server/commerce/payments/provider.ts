/**
 * What Zhibo needs from a payment provider. The built-in sandbox implements it; an Alipay or
 * WeChat Pay adapter would implement the same five calls and its own notification check.
 */
export type TradeStatus = 'open' | 'paid' | 'closed' | 'unknown';

export type VerifiedNotification = {
  notifyId: string;
  event: 'trade.success' | 'refund.success';
  appId: string;
  merchantId: string;
  outTradeNo: string;
  tradeNo: string;
  amountFen: number;
  outRefundNo?: string;
  refundFen?: number;
  at: string;
};

export interface PaymentProvider {
  readonly name: string;
  /** Opens (or reopens) a trade; answers the page the buyer is sent to. */
  createTrade(input: { outTradeNo: string; amountFen: number; subject: string; notifyUrl: string; returnUrl: string }): Promise<{ tradeNo: string; payUrl: string }>;
  queryTrade(outTradeNo: string): Promise<{ status: TradeStatus; tradeNo: string | null; amountFen: number | null; paidAt: string | null }>;
  /** Closes an unpaid trade; answers the trade's final status ('paid' when the buyer won the race). */
  closeTrade(outTradeNo: string): Promise<TradeStatus>;
  refund(input: { outTradeNo: string; outRefundNo: string; amountFen: number }): Promise<{ status: 'processing' | 'succeeded' }>;
  queryRefund(outRefundNo: string): Promise<{ status: 'processing' | 'succeeded' | 'unknown' }>;
  /**
   * Pays money out to a party (a withdrawal): idempotent by outPayoutNo, so asking again after a
   * crash pays once. Answers the provider's payout number.
   */
  payout(input: { outPayoutNo: string; amountFen: number; payee: string; memo: string }): Promise<{ status: 'succeeded' | 'processing'; payoutNo: string }>;
  /** Checks a notification's signature and freshness; throws AppError PAYMENT_SIGNATURE_INVALID. */
  verifyNotification(rawBody: string, headers: Record<string, string | string[] | undefined>): Promise<VerifiedNotification>;
}
