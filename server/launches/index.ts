import type { Logger } from 'pino';
import type { createCommerce } from '../commerce/index.ts';
import type { Notifications } from '../notifications/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { createReminders, reminderMinutesFromEnv } from './reminders.ts';
import { createLaunchesService } from './service.ts';
import { createLaunchesStore, launchesDb } from './store.ts';

/** Launches, reservations and their reminders (docs/LAUNCHES.md). */
export function createLaunches(deps: { db: Db; clock: Clock; logger: Logger; flash: ReturnType<typeof createCommerce>['flash']; notifications: Notifications; reminderMinutes?: number[] }) {
  const db = launchesDb(deps.db);
  const store = createLaunchesStore(db);
  const service = createLaunchesService({ db, store, clock: deps.clock, flash: deps.flash, notifications: deps.notifications });
  const reminders = createReminders({ db, clock: deps.clock, logger: deps.logger, minutes: deps.reminderMinutes ?? reminderMinutesFromEnv({}) });
  // Due reminder rounds are queued at the start of each notification sweep, then delivered by it.
  deps.notifications.addProducer(() => reminders.run());
  return { service, reminders, store };
}

export type Launches = ReturnType<typeof createLaunches>;
