import type { Logger } from 'pino';
import type { Outbox } from '../events/outbox.ts';
import type { LedgerStore } from '../ledger/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import { createProceeds } from './proceeds.ts';
import { createOriginService } from './service.ts';

/** 直播+消费帮扶 (docs/ORIGIN.md): certified origin, traceability, the producer's proceeds in the ledger, the county report. */
export function createOrigin(deps: { db: Db; dialect: Dialect; clock: Clock; logger: Logger; outbox: Outbox; ledger: LedgerStore }) {
  const service = createOriginService({ db: deps.db, clock: deps.clock });
  const proceeds = createProceeds(deps);
  return { service, proceeds };
}

export type Origin = ReturnType<typeof createOrigin>;
