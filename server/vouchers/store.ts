import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';

export type StoreRow = { id: string; brand_org_id: string; name: string; city: string; address: string; created_at: string };
export type StoreStaffRow = { store_id: string; user_id: string; brand_org_id: string; created_at: string };
export type VoucherCategory = 'set_meal' | 'hotel_night' | 'beauty' | 'ticket';
export type VoucherProductRow = {
  product_id: string;
  brand_org_id: string;
  category: VoucherCategory;
  valid_from: string;
  valid_to: string;
  store_ids: string;
  days: string;
  slots: string;
  first_store_id: string | null;
  created_at: string;
};
export type CodeStatus = 'unused' | 'redeemed' | 'refunding' | 'refunded' | 'void' | 'expired';
export type VoucherCodeRow = {
  id: string;
  code: string;
  product_id: string;
  brand_org_id: string;
  holder_id: string;
  order_id: string | null;
  item_id: string | null;
  amount_fen: number;
  status: CodeStatus;
  valid_to: string;
  redeemed_at: string | null;
  redeemed_day: string | null;
  redeemed_store_id: string | null;
  redeemed_by: string | null;
  after_sale_id: string | null;
  claimed_at: string | null;
  created_at: string;
};
export type FirstStoreLevel = 'global' | 'asia' | 'mainland' | 'regional';
export type FirstStoreRow = {
  id: string;
  brand_org_id: string;
  store_id: string;
  level: FirstStoreLevel;
  title: string;
  description: string;
  opens_on: string;
  session_id: string | null;
  coupon_title: string;
  coupons_total: number;
  coupons_left: number;
  created_at: string;
};
export type FirstStoreClaimRow = { first_store_id: string; user_id: string; code_id: string; created_at: string };

/** The vouchers tables (migration 0026), kept beside their domain rather than in the shared db-types.ts. */
export type VoucherTables = {
  merchant_stores: StoreRow;
  store_staff: StoreStaffRow;
  voucher_products: VoucherProductRow;
  voucher_codes: VoucherCodeRow;
  first_stores: FirstStoreRow;
  first_store_claims: FirstStoreClaimRow;
};
export type VDatabase = Database & VoucherTables;
export type VDb = Kysely<VDatabase>;
export type VTrx = Transaction<VDatabase>;

export const withVoucherTables = (db: Db) => db.withTables<VoucherTables>() as unknown as VDb;
export const asVTrx = (trx: Transaction<Database>) => trx as unknown as VTrx;
