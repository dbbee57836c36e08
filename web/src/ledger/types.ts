// The ledger API's answers (docs/LEDGER.md, server/ledger/routes.ts). Money is integer fen.

export type LedgerAccountKind = 'brand' | 'streamer' | 'mcn' | 'platform_fees' | 'clearing' | 'buyers' | 'payouts_pending' | 'payouts' | 'base';

export type TransferKind =
  | 'paid'
  | 'refund'
  | 'clawback'
  | 'settlement'
  | 'withdrawal_hold'
  | 'withdrawal_paid'
  | 'withdrawal_reversed'
  // cooperation (server/cooperation): between party accounts
  | 'sample_deposit'
  | 'sample_deposit_refund'
  | 'slot_fee'
  | 'slot_fee_refund'
  // live-streaming bases (server/bases/fees.ts): booker → base; refunds (server/bases/refunds.ts): base → booker
  | 'studio_fee'
  | 'studio_cancel_fee'
  | 'studio_refund';

export type WithdrawalStatus = 'requested' | 'approved' | 'paid' | 'rejected';

export type Withdrawal = {
  id: string;
  accountId: string;
  amountFen: number;
  status: WithdrawalStatus;
  requestedBy: string;
  requestedAt: string;
  decidedAt: string | null;
  reason: string | null;
  payoutNo: string | null;
  paidAt: string | null;
};

export type StatementEntry = {
  transferId: string;
  time: string;
  kind: TransferKind | string;
  orderId: string | null;
  memo: string;
  amountFen: number;
  balanceAfterFen: number;
};

export type Statement = {
  account: { id: string; kind: LedgerAccountKind | string; balanceFen: number };
  period: { from: string | null; to: string | null };
  openingFen: number;
  closingFen: number;
  count: number;
  entries: StatementEntry[];
  withdrawals: Withdrawal[];
  /** What the party will get from orders not yet settled, when the API reports it. */
  pendingSettlementFen?: number;
};

export type SettlementRun = {
  id: string;
  trigger: string;
  startedBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  orders: number;
  transfers: number;
  totalFen: number;
  error: string | null;
};

export type LedgerVerify = {
  journalSum: number;
  unbalancedTransfers: string[];
  mismatches: { accountId: string; balanceFen: number; journalFen: number }[];
  orphanPostings: { transferId: string; accountId: string }[];
  pendingMismatches: { accountId: string; keptFen: number; keptOrders: number; ordersFen: number; orders: number }[];
  accounts: number;
};

export type AdminLedger = {
  platformFeesFen: number;
  clearingFen: number;
  buyersFen: number;
  payoutsPendingFen: number;
  payoutsFen: number;
  verify: LedgerVerify;
  runs: SettlementRun[];
  pendingWithdrawals: Withdrawal[];
};
