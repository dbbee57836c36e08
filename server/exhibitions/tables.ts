import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';

// The exhibition tables (migration 0028), kept beside their domain.
export type ExhibitionRow = { id: string; name: string; short_name: string; city: string; venue: string; starts_on: string; ends_on: string; created_by: string; created_at: string };
export type HallRow = { id: string; exhibition_id: string; name: string; position: number };
export type BoothRow = { id: string; exhibition_id: string; hall_id: string; booth_no: string; exhibitor_org_id: string; name: string; intro: string; created_at: string };
export type BoothLiveRow = { booth_id: string; session_id: string };
export type FollowRow = { booth_id: string; user_id: string; created_at: string };
export type InquiryRow = { id: string; booth_id: string; exhibitor_org_id: string; user_id: string; name: string; contact: string; company: string; message: string; consented_at: string; created_at: string };
export type ExhibitionTables = {
  exhibitions: ExhibitionRow;
  exhibition_halls: HallRow;
  exhibition_booths: BoothRow;
  exhibition_booth_lives: BoothLiveRow;
  exhibition_follows: FollowRow;
  exhibition_inquiries: InquiryRow;
};
export type ExhibitionDb = Kysely<Database & ExhibitionTables>;
export const exhibitionDb = (db: Db) => db.withTables<ExhibitionTables>() as unknown as ExhibitionDb;
export const inTrx = (trx: Transaction<Database>) => trx as unknown as Transaction<Database & ExhibitionTables>;
