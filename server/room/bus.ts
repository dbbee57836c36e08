import type { Redis } from 'ioredis';

/** A room event as it travels between nodes. `to` addresses one user; `key` lets a newer event replace an older one within a tick. */
export type RoomEvent = { type: string; priority?: boolean; to?: string; key?: string; [field: string]: unknown };

export type RoomCounts = { online: number; peak: number; uv: number; likes: number };

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
    async close() {
      handlers.clear();
    },
  };
}

const ONLINE_TTL_MS = 15_000;

export function createRedisBus(redis: Redis, prefix: string): RoomBus {
  const subscriber = redis.duplicate({ enableAutoPipelining: false });
  const handlers = new Map<string, Set<(event: RoomEvent) => void>>();
  const channel = (roomId: string) => `${prefix}room:${roomId}`;
  subscriber.on('message', (ch: string, message: string) => {
    const roomId = ch.slice(`${prefix}room:`.length);
    const set = handlers.get(roomId);
    if (!set) return;
    const event = JSON.parse(message) as RoomEvent;
    for (const handler of set) handler(event);
  });
  const key = (roomId: string, name: string) => `${prefix}room:${roomId}:${name}`;
  return {
    async publish(roomId, event) {
      await redis.publish(channel(roomId), JSON.stringify(event));
    },
    async subscribe(roomId, handler) {
      let set = handlers.get(roomId);
      if (!set) {
        handlers.set(roomId, (set = new Set()));
        await subscriber.subscribe(channel(roomId));
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (!set.size) {
          handlers.delete(roomId);
          await subscriber.unsubscribe(channel(roomId));
        }
      };
    },
    async reportOnline(roomId, nodeId, online) {
      const now = Date.now();
      await redis
        .multi()
        .hset(key(roomId, 'online'), nodeId, `${online}:${now}`)
        .expire(key(roomId, 'online'), 86_400)
        .exec();
      const total = await this.counts(roomId).then((c) => c.online);
      // Peak only grows: a compare-and-set in Lua so two nodes never lower it.
      await redis.eval("local p = tonumber(redis.call('GET', KEYS[1]) or '0') if tonumber(ARGV[1]) > p then redis.call('SET', KEYS[1], ARGV[1], 'EX', 86400) end return 1", 1, key(roomId, 'peak'), String(total));
    },
    async addViewer(roomId, visitorId) {
      await redis.multi().pfadd(key(roomId, 'uv'), visitorId).expire(key(roomId, 'uv'), 86_400 * 7).exec();
    },
    async addLikes(roomId, n) {
      await redis.multi().incrby(key(roomId, 'likes'), n).expire(key(roomId, 'likes'), 86_400 * 7).exec();
    },
    async counts(roomId) {
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
      return { online, peak: Math.max(Number(peak ?? 0), online), uv, likes: Number(likes ?? 0) };
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
