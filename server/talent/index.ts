import type { BasesDomain } from '../bases/index.ts';
import { createRegistries } from '../commission/registries.ts';
import type { AuditLog } from '../compliance/audit.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { createTalentService } from './service.ts';
import { createTalentStore } from './store.ts';

/** The talent catalogue and the commission's portal (docs/TALENT.md). */
export function createTalent(deps: { db: Db; audit: AuditLog; clock: Clock; reports: BasesDomain['reports'] }) {
  const store = createTalentStore(deps.db);
  const service = createTalentService({ store, audit: deps.audit, clock: deps.clock, reports: deps.reports });
  const registries = createRegistries({ store, clock: deps.clock });
  return { store, service, registries };
}

export type Talent = ReturnType<typeof createTalent>;
