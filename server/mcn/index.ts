import type { Transaction } from 'kysely';
import type { AuditLog } from '../compliance/audit.ts';
import type { Outbox } from '../events/outbox.ts';
import type { LiveService } from '../live/service.ts';
import type { LiveStore } from '../live/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';
import { createContracts } from './contracts.ts';
import { createMcnRights } from './rights.ts';
import { createRoster } from './roster.ts';
import { createMcnStore } from './store.ts';

export type McnDeps = { db: Db; dialect: Dialect; clock: Clock; outbox: Outbox; live: LiveService; liveStore: LiveStore; audit: AuditLog };

/**
 * MCN operations (docs/MCN.md): contracts with streamers, the rights they grant, the roster and the
 * calendar. Other domains ask `mayActFor(mcnOrgId, streamerId, right)` before an MCN acts for a streamer.
 */
export function createMcn(deps: McnDeps) {
  const { db, clock } = deps;
  const rights = createMcnRights({ db, clock });
  const contracts = createContracts({ db, dialect: deps.dialect, clock, outbox: deps.outbox });
  const roster = createRoster({ db, clock, liveStore: deps.liveStore });
  return {
    ...createMcnStore(db),
    contracts,
    roster,
    mayActFor: rights.mayActFor,
    requireRight: rights.requireRight,
    isSignedTo: rights.isSignedTo,
    streamersInForce: rights.streamersInForce,

    /** The brands its streamer may name on a live the MCN schedules for them (right 'manage_sessions'). */
    async sessionBrands(mcnOrgId: string, streamerId: string) {
      await rights.requireRight(mcnOrgId, streamerId, 'manage_sessions');
      return deps.live.namableBrands(streamerId);
    },

    /** The MCN schedules a live for its streamer (right 'manage_sessions'), through the streamer's own live service. */
    /** `alongside`: written in the live's own transaction (server/live/service.ts `create`). */
    async scheduleSession(mcnOrgId: string, streamerId: string, actorId: string, input: { title: string; description: string; scheduledAt: string; brandOrgId?: string }, alongside?: (trx: Transaction<Database>, sessionId: string) => Promise<void>) {
      const { contractId } = await rights.requireRight(mcnOrgId, streamerId, 'manage_sessions');
      const created = await deps.live.create(streamerId, input, { alongside });
      await deps.audit.record({ actorId, action: 'mcn.live_session.create', targetType: 'live_session', targetId: created.session.id, detail: { mcnOrgId, streamerId, contractId } });
      // The summary only: the push URL and stream key stay with the streamer.
      return { session: created.session };
    },
  };
}

export type Mcn = ReturnType<typeof createMcn>;
