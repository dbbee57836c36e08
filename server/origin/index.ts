import type { Logger } from 'pino';
import type { Outbox } from '../events/outbox.ts';
import type { LedgerStore } from '../ledger/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import { createProceeds } from './proceeds.ts';
import { createOriginService } from './service.ts';
import { originDb } from './tables.ts';

/** 直播+消费帮扶 (docs/ORIGIN.md): certified origin, traceability, the producer's proceeds in the ledger, the county report. */
export function createOrigin(deps: { db: Db; dialect: Dialect; clock: Clock; logger: Logger; outbox: Outbox; ledger: LedgerStore }) {
  const service = createOriginService({ db: deps.db, clock: deps.clock });
  const proceeds = createProceeds(deps);
  return {
    service,
    proceeds,
    /** Which of these products carry an origin certification (the room's 小黄车 links them to their traceability page). */
    async traceable(productIds: string[]): Promise<Set<string>> {
      if (!productIds.length) return new Set();
      const rows = await originDb(deps.db).selectFrom('origin_certs').select('product_id').where('product_id', 'in', productIds).execute();
      return new Set(rows.map((r) => r.product_id));
    },
  };
}

export type Origin = ReturnType<typeof createOrigin>;
