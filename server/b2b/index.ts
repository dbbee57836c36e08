import type { Commerce } from '../commerce/index.ts';
import type { Outbox } from '../events/outbox.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { wholesaleRules } from './kind.ts';
import { createB2bService } from './service.ts';

/** 直播+产业供应链 (docs/B2B.md): licences, wholesale terms and the 'wholesale' kind, samples, RFQs, leads. */
export function createB2b(deps: { db: Db; clock: Clock; outbox: Outbox; commerce: Commerce }) {
  const service = createB2bService(deps);
  deps.commerce.kinds.register(wholesaleRules({ db: deps.db, service, clock: deps.clock }));
  return { service };
}

export type B2b = ReturnType<typeof createB2b>;
