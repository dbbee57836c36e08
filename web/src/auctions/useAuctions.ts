import { useEffect, useState } from 'react';
import { get, isAbort, path } from '../api';
import type { Room } from '../room/useRoom';
import type { Auction } from './types';

/** The live's auctions: read once, then kept current from the room's `auction` events. */
export function useAuctions(sessionId: string, room: Room | null): Auction[] {
  const [auctions, setAuctions] = useState<Auction[]>([]);
  useEffect(() => {
    if (!sessionId) return;
    const ac = new AbortController();
    get<{ auctions: Auction[] }>(path`/api/rooms/${sessionId}/auctions`, ac.signal).then(
      (res) => setAuctions((now) => merge(Array.isArray(res?.auctions) ? res.auctions : [], now)),
      (e: unknown) => {
        if (!isAbort(e)) setAuctions((now) => now);
      },
    );
    return () => ac.abort();
  }, [sessionId, room?.connection]);
  const subscribe = room?.subscribe;
  useEffect(() => {
    if (!subscribe) return;
    return subscribe((ev) => {
      const e = ev as { type: string; auction?: Auction };
      if (e.type !== 'auction' || !e.auction || typeof e.auction.id !== 'string') return;
      setAuctions((list) => merge(list, [e.auction!]));
    });
  }, [subscribe]);
  return auctions;
}

/** Newer states win: a bid's event may overtake the first read, never the other way round. */
function merge(base: Auction[], incoming: Auction[]): Auction[] {
  const byId = new Map(base.map((a) => [a.id, a]));
  for (const a of incoming) {
    const had = byId.get(a.id);
    if (!had || a.bidCount > had.bidCount || a.status !== had.status || a.closesAt !== had.closesAt) byId.set(a.id, had && had.bidCount > a.bidCount ? had : a);
  }
  return [...byId.values()];
}
