// The record of pins (讲解) per live: table live_pins (migration 0016). Written by the room's pin()
// and by the end of a live; read for replay chapters (./chapters.ts) and by analytics.
import { PostgresAdapter } from 'kysely';
import type { Db } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';

export type PinRow = { id: string; session_id: string; product_id: string; pinned_at: string; unpinned_at: string | null; pinned_by: string };

export function createPinStore(db: Db) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const closeOpen = (trx: Db, sessionId: string, at: string) =>
    trx.updateTable('live_pins').set({ unpinned_at: at }).where('session_id', '=', sessionId).where('unpinned_at', 'is', null).execute();

  return {
    /**
     * The room pinned `productId` (or unpinned, with null): the session's open pin closes at `at` and,
     * for a pin, a new one opens. Nothing opens once the live has ended (its pins are closed for good).
     * One transaction that first locks the session's row (PostgreSQL), so two pins at once, or a pin
     * racing the end of the live, leave at most one open pin.
     */
    async record(sessionId: string, productId: string | null, actorId: string, at: string) {
      await db.transaction().execute(async (trx) => {
        let lookup = trx.selectFrom('live_sessions').select('status').where('id', '=', sessionId);
        if (postgres) lookup = lookup.forUpdate();
        const session = await lookup.executeTakeFirst();
        if (!session) return;
        await closeOpen(trx, sessionId, at);
        if (productId && session.status !== 'ended') {
          await trx.insertInto('live_pins').values({ id: newId(), session_id: sessionId, product_id: productId, pinned_at: at, unpinned_at: null, pinned_by: actorId }).execute();
        }
      });
    },

    /** The live ended: whatever was pinned stops being explained now. */
    async closeAll(sessionId: string, at: string) {
      await closeOpen(db, sessionId, at);
    },

    /** A session's pins in order. */
    listForSession(sessionId: string): Promise<PinRow[]> {
      return db.selectFrom('live_pins').selectAll().where('session_id', '=', sessionId).orderBy('pinned_at').orderBy('id').execute();
    },

    /** Pins of several sessions, in order within each. */
    listForSessions(sessionIds: string[]): Promise<PinRow[]> {
      if (!sessionIds.length) return Promise.resolve([]);
      return db.selectFrom('live_pins').selectAll().where('session_id', 'in', sessionIds).orderBy('session_id').orderBy('pinned_at').orderBy('id').execute();
    },
  };
}

export type PinStore = ReturnType<typeof createPinStore>;
