import type { TFunction } from 'i18next';
import type { WithdrawalStatus } from './types';

type EntryWord =
  | 'payment'
  | 'settlement'
  | 'commission'
  | 'mcnShare'
  | 'platformFee'
  | 'refund'
  | 'clawback'
  | 'withdrawal'
  | 'withdrawalPaid'
  | 'withdrawalReturned'
  | 'slotFee'
  | 'slotFeeRefund'
  | 'sampleDeposit'
  | 'sampleDepositRefund'
  | 'studioFee'
  | 'studioCancelFee'
  | 'studioRefund';

/** Which word a journal line is, for the account it is seen from: a settlement is a commission to a streamer, a share to an MCN… */
export function entryWord(kind: string, accountKind: string): EntryWord | null {
  switch (kind) {
    case 'paid':
      return 'payment';
    case 'settlement':
      if (accountKind === 'streamer') return 'commission';
      if (accountKind === 'mcn') return 'mcnShare';
      if (accountKind === 'platform_fees') return 'platformFee';
      return 'settlement';
    case 'refund':
      return 'refund';
    case 'clawback':
      return 'clawback';
    case 'withdrawal_hold':
      return 'withdrawal';
    case 'withdrawal_paid':
      return 'withdrawalPaid';
    case 'withdrawal_reversed':
      return 'withdrawalReturned';
    case 'slot_fee':
      return 'slotFee';
    case 'slot_fee_refund':
      return 'slotFeeRefund';
    case 'sample_deposit':
      return 'sampleDeposit';
    case 'sample_deposit_refund':
      return 'sampleDepositRefund';
    // live-streaming bases (docs/BASES.md): studio time and late-cancellation fees, booker → base; refunds, base → booker
    case 'studio_fee':
      return 'studioFee';
    case 'studio_cancel_fee':
      return 'studioCancelFee';
    case 'studio_refund':
      return 'studioRefund';
    default:
      return null;
  }
}

/** A journal line's kind in plain words, or the server's code when it is a kind this version does not know. */
export function entryKindLabel(t: TFunction, kind: string, accountKind: string): string {
  const word = entryWord(kind, accountKind);
  // The bases' words live with the bases' strings (web/src/bases/locales).
  if (word === 'studioFee' || word === 'studioCancelFee' || word === 'studioRefund') return t(`bases.ledgerKinds.${word}`);
  return word ? t(`ledger.kinds.${word}`) : kind;
}

const STATUSES: readonly string[] = ['requested', 'approved', 'paid', 'rejected'];

export function withdrawalStatusLabel(t: TFunction, status: WithdrawalStatus | string): string {
  return STATUSES.includes(status) ? t(`ledger.withdrawalStatus.${status as WithdrawalStatus}`) : status;
}

type AccountWord = 'brand' | 'streamer' | 'mcn' | 'platform_fees' | 'platform_tax' | 'clearing' | 'buyers' | 'payouts_pending' | 'payouts';
const ACCOUNT_WORDS: readonly string[] = ['brand', 'streamer', 'mcn', 'platform_fees', 'platform_tax', 'clearing', 'buyers', 'payouts_pending', 'payouts'];

/** "brand:01J…" → { word: 品牌, owner: 01J… }. */
export function describeAccountId(t: TFunction, accountId: string): { word: string; owner: string | null } {
  const colon = accountId.indexOf(':');
  const prefix = colon < 0 ? accountId : accountId.slice(0, colon);
  const rest = colon < 0 ? null : accountId.slice(colon + 1);
  const kind = prefix === 'platform' ? (rest === 'crossborder-tax' ? 'platform_tax' : 'platform_fees') : prefix === 'payouts' && rest === 'pending' ? 'payouts_pending' : prefix;
  // A live-streaming base's studio income (docs/BASES.md): its word lives with the bases' strings.
  if (prefix === 'base') return { word: t('bases.ledgerKinds.account'), owner: rest };
  const owner = ['brand', 'streamer', 'mcn'].includes(prefix) ? rest : null;
  return { word: ACCOUNT_WORDS.includes(kind) ? t(`ledger.accountKinds.${kind as AccountWord}`) : prefix, owner };
}
