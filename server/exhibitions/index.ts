import type { Outbox } from '../events/outbox.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { createExhibitionsService } from './service.ts';

/** 直播+会展 (docs/EXHIBITIONS.md). */
export function createExhibitions(deps: { db: Db; clock: Clock; outbox: Outbox }) {
  return { service: createExhibitionsService(deps) };
}

export type Exhibitions = ReturnType<typeof createExhibitions>;
