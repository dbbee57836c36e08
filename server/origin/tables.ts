import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';

// The origin-certification tables (migration 0028), kept beside their domain.
export type AreaRow = { code: string; name: string; province: string; designation: string; added_by: string; created_at: string };
export type ProducerRow = { id: string; brand_org_id: string; name: string; area_code: string; description: string; created_at: string };
export type CertRow = {
  id: string;
  product_id: string;
  brand_org_id: string;
  producer_id: string;
  area_code: string;
  certifier: string;
  certificate_no: string;
  batch_no: string;
  produced_on: string;
  share_bps: number;
  notes: string;
  current: number;
  created_at: string;
};
export type SaleRow = {
  item_id: string;
  order_id: string;
  product_id: string;
  cert_id: string;
  producer_id: string;
  area_code: string;
  brand_org_id: string;
  quantity: number;
  paid_fen: number;
  refunded_fen: number;
  share_bps: number;
  status: 'pending' | 'posted';
  proceeds_fen: number;
  paid_at: string;
  posted_at: string | null;
};
export type OriginTables = { origin_areas: AreaRow; origin_producers: ProducerRow; origin_certs: CertRow; origin_sales: SaleRow };
export type OriginDb = Kysely<Database & OriginTables>;
export const originDb = (db: Db) => db.withTables<OriginTables>() as unknown as OriginDb;
export const inTrx = (trx: Transaction<Database>) => trx as unknown as Transaction<Database & OriginTables>;
