import type { AuthUser } from '../accounts/service.ts';
import type { FlashSalesTable, OrdersTable } from '../platform/db-types.ts';
import type { Line, Orders } from './orders.ts';
import type { Shop } from './shop.ts';

/**
 * What the two durable halves of a 秒杀 purchase share (flash-write-pg.ts, flash-write-sqlite.ts):
 * one purchase to write, and what comes back once its transaction has committed.
 */
export type SaleBrand = Awaited<ReturnType<Shop['brandOf']>>;
export type AddressRow = { name: string; phone: string; region: string; detail: string };

export type FlashPurchase = {
  sale: FlashSalesTable;
  user: AuthUser;
  quantity: number;
  /** The purchase's instant: the sale must be on then. */
  at: string;
  addressId: string | undefined;
  /** The order row, given the buyer's address (refuses ADDRESS_NOT_FOUND for a chosen one that is missing). */
  build: (address: AddressRow | undefined) => OrdersTable;
  line: Line;
  brand: SaleBrand;
};

export type FlashWritten = { remaining: number; order: ReturnType<Orders['viewOf']> };
