import { createBaseReports } from './report.ts';
import { createBases, type BasesDeps } from './service.ts';

/** Live-streaming bases (docs/BASES.md): the service, its store and the monthly reports. */
export function createBasesDomain(deps: BasesDeps) {
  const bases = createBases(deps);
  return { ...bases, insertStudio: bases.store.insertStudio, reports: createBaseReports({ db: deps.db, clock: deps.clock, store: bases.store }) };
}

export type BasesDomain = ReturnType<typeof createBasesDomain>;
