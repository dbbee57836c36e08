import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';

// The B2B tables (migration 0028), kept beside their domain rather than in the shared db-types.ts.
export type LicenceStatus = 'pending' | 'approved' | 'rejected';
export type LicenceRow = {
  id: string;
  user_id: string;
  company_name: string;
  credit_code: string;
  status: LicenceStatus;
  reason: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  created_at: string;
  updated_at: string;
};
export type Tier = { minQty: number; unitPriceFen: number };
export type TermsRow = { product_id: string; brand_org_id: string; tiers: string; moq: number; sample_price_fen: number | null; sample_limit: number; updated_at: string };
export type SampleCountRow = { product_id: string; buyer_id: string; taken: number };
export type RfqStatus = 'open' | 'quoted' | 'ordered' | 'declined';
export type RfqRow = {
  id: string;
  product_id: string;
  sku_id: string;
  brand_org_id: string;
  buyer_id: string;
  quantity: number;
  target_price_fen: number | null;
  note: string;
  status: RfqStatus;
  quote_price_fen: number | null;
  quote_note: string | null;
  quote_valid_until: string | null;
  quoted_at: string | null;
  order_id: string | null;
  created_at: string;
  updated_at: string;
};
export type LeadRow = {
  id: string;
  brand_org_id: string;
  session_id: string;
  product_id: string | null;
  user_id: string;
  name: string;
  contact: string;
  company: string;
  need: string;
  consented_at: string;
  created_at: string;
};

export type B2bTables = {
  b2b_licences: LicenceRow;
  b2b_terms: TermsRow;
  b2b_sample_counts: SampleCountRow;
  b2b_rfqs: RfqRow;
  b2b_leads: LeadRow;
};
export type B2bDb = Kysely<Database & B2bTables>;
export const b2bDb = (db: Db) => db.withTables<B2bTables>() as unknown as B2bDb;
export const inTrx = (trx: Transaction<Database>) => trx as unknown as Transaction<Database & B2bTables>;
