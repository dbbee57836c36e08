import type { Logger } from 'pino';
import type { RoomBus } from './bus.ts';
import type { RoomHubs } from './hub.ts';

/** How often a room whose state cannot be read yet is tried again, a second apart. */
const RESYNC_ATTEMPTS = 30;

/**
 * Redis is back after an outage: what other nodes published meanwhile never arrived here. Each room this
 * node serves gets its current state in one `state` event (clients replace their state and keep their
 * chat; see docs/realtime-protocol.md). A room whose state cannot be read yet (the database is also away,
 * say) is tried again, up to RESYNC_ATTEMPTS times a second apart, as long as it still has viewers here.
 */
export function resendStatesOnResync(deps: { bus: RoomBus; hubs: RoomHubs; logger: Logger; stateOf: (roomId: string) => Promise<Record<string, unknown>> }) {
  const { hubs, logger, stateOf } = deps;
  async function resend(roomId: string, attempt = 1): Promise<void> {
    if (!hubs.peek(roomId)) return;
    try {
      const state = await stateOf(roomId);
      hubs.peek(roomId)?.deliverLocal({ type: 'state', state, priority: true });
    } catch (error) {
      if (attempt >= RESYNC_ATTEMPTS) {
        logger.warn({ err: error, roomId }, 'room: resending the state after a Redis outage failed; viewers get it with the next change');
        return;
      }
      if (attempt === 1) logger.warn({ err: error, roomId }, 'room: resending the state after a Redis outage failed; retrying every second');
      await new Promise((resolve) => setTimeout(resolve, 1000).unref());
      return resend(roomId, attempt + 1);
    }
  }
  deps.bus.onResync(() => {
    for (const roomId of hubs.roomIds()) void resend(roomId);
  });
}
