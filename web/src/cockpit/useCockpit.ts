import { useEffect } from 'react';
import { path } from '../api';
import { usePolling } from '../shared/usePolling';
import type { Room } from '../room/useRoom';
import type { CockpitMe, LiveNumbers, Right } from './types';

/** Orders and GMV are read this often; a purchase in the room asks at once. */
export const NUMBERS_POLL_MS = 3000;
/** The caller's rights are read again this often: the streamer may change them during the live. */
export const RIGHTS_POLL_MS = 15_000;

/**
 * What the cockpit needs besides the room: who the caller is and what they may do, and the live
 * numbers. Online and likes arrive over the room's WebSocket (room.state.counts); orders and GMV come
 * from `GET /api/rooms/:id/numbers`, polled, and refreshed when a `purchase` event arrives.
 */
export function useCockpit(sessionId: string, room: Room) {
  const me = usePolling<CockpitMe>(sessionId ? path`/api/rooms/${sessionId}/cockpit` : null, RIGHTS_POLL_MS);
  // A 403 after earlier answers: removed as an assistant during the live; the old rights no longer hold.
  const refused = me.error?.status === 403;
  const staff = me.data !== undefined && !refused;
  const numbers = usePolling<{ numbers: LiveNumbers }>(staff ? path`/api/rooms/${sessionId}/numbers` : null, NUMBERS_POLL_MS);
  const refreshNumbers = numbers.refresh;
  useEffect(() => room.subscribe((ev) => (ev.type === 'purchase' ? refreshNumbers() : undefined)), [room.subscribe, refreshNumbers]);

  const granted = refused ? [] : (me.data?.rights ?? []);
  const rights = new Set<Right>(granted);
  return {
    me,
    /** The server said no: not this live's staff (or no longer). */
    refused,
    /** The caller's rights; empty until known (nothing is offered that would be refused). */
    can: (right: Right) => rights.has(right),
    rights: granted,
    numbers: numbers.data?.numbers ?? null,
    numbersError: numbers.error,
    refreshNumbers,
  };
}

export type Cockpit = ReturnType<typeof useCockpit>;
