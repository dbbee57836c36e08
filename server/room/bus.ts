import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { duplicateForSubscribing, withDeadline } from '../platform/outage.ts';

/** A room event as it travels between nodes. `to` addresses one user; `key` lets a newer event replace an older one within a tick. */
export type RoomEvent = { type: string; priority?: boolean; to?: string; key?: string; [field: string]: unknown };

export type RoomCounts = { online: number; peak: number; uv: number; likes: number };

/**
 * The bus channel of a live's events for the open event API only (orders, follows: see
 * server/webhooks/live-stream.ts). A room channel of its own, so viewers' hubs never subscribe to it.
 */
export function openChannel(sessionId: string): string {
  return `open:${sessionId}`;
}

/**
 * How rooms reach every node. In-process by default; with REDIS_URL, one pub/sub channel per room
 * (a node subscribes only to the rooms it has viewers in) and the counts live in Redis.
 */
export interface RoomBus {
  publish(roomId: string, event: RoomEvent): Promise<void>;
  subscribe(roomId: string, handler: (event: RoomEvent) => void): Promise<() => Promise<void>>;
  /** This node's online count for a room; returns the room's counts across nodes. */
  reportOnline(roomId: string, nodeId: string, online: number): Promise<void>;
  addViewer(roomId: string, visitorId: string): Promise<void>;
  addLikes(roomId: string, n: number): Promise<void>;
  counts(roomId: string): Promise<RoomCounts>;
  /** Called when the bus is whole again after losing Redis: what other nodes said meanwhile was missed. */
  onResync(handler: () => void): void;
  close(): Promise<void>;
}

export function createLocalBus(): RoomBus {
  const handlers = new Map<string, Set<(event: RoomEvent) => void>>();
  const state = new Map<string, { online: Map<string, number>; peak: number; uv: Set<string>; likes: number }>();
  const room = (id: string) => {
    let s = state.get(id);
    if (!s) state.set(id, (s = { online: new Map(), peak: 0, uv: new Set(), likes: 0 }));
    return s;
  };
  return {
    async publish(roomId, event) {
      for (const handler of handlers.get(roomId) ?? []) handler(event);
    },
    async subscribe(roomId, handler) {
      let set = handlers.get(roomId);
      if (!set) handlers.set(roomId, (set = new Set()));
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (!set.size) handlers.delete(roomId);
      };
    },
    async reportOnline(roomId, nodeId, online) {
      const s = room(roomId);
      s.online.set(nodeId, online);
      s.peak = Math.max(s.peak, [...s.online.values()].reduce((a, b) => a + b, 0));
    },
    async addViewer(roomId, visitorId) {
      room(roomId).uv.add(visitorId);
    },
    async addLikes(roomId, n) {
      room(roomId).likes += n;
    },
    async counts(roomId) {
      const s = room(roomId);
      return { online: [...s.online.values()].reduce((a, b) => a + b, 0), peak: s.peak, uv: s.uv.size, likes: s.likes };
    },
    onResync() {
      // One process: nothing is ever missed.
    },
    async close() {
      handlers.clear();
    },
  };
}

const ONLINE_TTL_MS = 15_000;

/**
 * The bus over Redis. Redis going away never takes a room down: publishing falls back to this node's
 * own viewers, counts keep their last known values, and when the subscriber connection is back every
 * room is subscribed again and `onResync` handlers run (the hubs send their viewers the current state).
 */
export function createRedisBus(redis: Redis, prefix: string, logger?: Logger): RoomBus {
  const subscriber = duplicateForSubscribing(redis, logger);
  const handlers = new Map<string, Set<(event: RoomEvent) => void>>();
  const resyncs: (() => void)[] = [];
  const lastCounts = new Map<string, RoomCounts>();
  const channel = (roomId: string) => `${prefix}room:${roomId}`;
  let lost = false;
  let lastWarning = 0;
  const warn = (error: unknown, what: string) => {
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    logger?.warn({ err: error }, `room bus: ${what} failed (Redis unavailable); this node's viewers are served locally until it is back`);
  };
  const deliverLocally = (roomId: string, event: RoomEvent) => {
    for (const handler of handlers.get(roomId) ?? []) handler(event);
  };
  subscriber.on('message', (ch: string, message: string) => {
    const roomId = ch.slice(`${prefix}room:`.length);
    if (!handlers.has(roomId)) return;
    deliverLocally(roomId, JSON.parse(message) as RoomEvent);
  });
  subscriber.on('close', () => {
    lost = true;
  });
  subscriber.on('ready', () => {
    if (!lost) return;
    lost = false;
    // ioredis resubscribes what it knew; rooms joined during the outage are subscribed here.
    if (handlers.size) void subscriber.subscribe(...[...handlers.keys()].map(channel)).catch((error: unknown) => warn(error, 'resubscribing'));
    for (const resync of resyncs) resync();
  });
  const key = (roomId: string, name: string) => `${prefix}room:${roomId}:${name}`;
  const bestEffort = async (work: () => Promise<unknown>, what: string) => {
    try {
      await work();
    } catch (error) {
      warn(error, what);
    }
  };
  return {
    async publish(roomId, event) {
      try {
        await redis.publish(channel(roomId), JSON.stringify(event));
      } catch (error) {
        warn(error, 'publishing');
        deliverLocally(roomId, event);
      }
    },
    async subscribe(roomId, handler) {
      let set = handlers.get(roomId);
      if (!set) {
        handlers.set(roomId, (set = new Set()));
        // Waits for Redis at most a couple of seconds: a viewer still joins during an outage.
        await withDeadline(subscriber.subscribe(channel(roomId)), 2000, 'subscribing').catch((error: unknown) => warn(error, 'subscribing'));
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (!set.size) {
          handlers.delete(roomId);
          lastCounts.delete(roomId);
          await subscriber.unsubscribe(channel(roomId)).catch((error: unknown) => warn(error, 'unsubscribing'));
        }
      };
    },
    async reportOnline(roomId, nodeId, online) {
      await bestEffort(async () => {
        const now = Date.now();
        await redis
          .multi()
          .hset(key(roomId, 'online'), nodeId, `${online}:${now}`)
          .expire(key(roomId, 'online'), 86_400)
          .exec();
        const total = await this.counts(roomId).then((c) => c.online);
        // Peak only grows: a compare-and-set in Lua so two nodes never lower it.
        await redis.eval("local p = tonumber(redis.call('GET', KEYS[1]) or '0') if tonumber(ARGV[1]) > p then redis.call('SET', KEYS[1], ARGV[1], 'EX', 86400) end return 1", 1, key(roomId, 'peak'), String(total));
      }, 'reporting the online count');
    },
    async addViewer(roomId, visitorId) {
      await bestEffort(() => redis.multi().pfadd(key(roomId, 'uv'), visitorId).expire(key(roomId, 'uv'), 86_400 * 7).exec(), 'counting a viewer');
    },
    async addLikes(roomId, n) {
      await bestEffort(() => redis.multi().incrby(key(roomId, 'likes'), n).expire(key(roomId, 'likes'), 86_400 * 7).exec(), 'counting likes');
    },
    async counts(roomId) {
      try {
        const [onlineHash, peak, uv, likes] = await Promise.all([
          redis.hgetall(key(roomId, 'online')),
          redis.get(key(roomId, 'peak')),
          redis.pfcount(key(roomId, 'uv')),
          redis.get(key(roomId, 'likes')),
        ]);
        const now = Date.now();
        let online = 0;
        for (const value of Object.values(onlineHash)) {
          const [count, at] = value.split(':').map(Number) as [number, number];
          if (now - at < ONLINE_TTL_MS) online += count;
        }
        const counts = { online, peak: Math.max(Number(peak ?? 0), online), uv, likes: Number(likes ?? 0) };
        if (handlers.has(roomId)) lastCounts.set(roomId, counts);
        return counts;
      } catch (error) {
        // The last counts this node read: they freeze for the outage rather than fall to zero.
        warn(error, 'reading counts');
        return lastCounts.get(roomId) ?? { online: 0, peak: 0, uv: 0, likes: 0 };
      }
    },
    onResync(handler) {
      resyncs.push(handler);
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
