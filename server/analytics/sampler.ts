import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.ts';
import { outageOf } from '../platform/outage.ts';
import type { RoomBus } from '../room/bus.ts';
import type { AnalyticsStore } from './store.ts';
import { oneAtATime } from '../platform/one-at-a-time.ts';


/**
 * Writes each live's room counts (online, unique viewers, likes, comments) into `live_minutes` every
 * ANALYTICS_SAMPLE_SECONDS (default 5; 0 turns sampling off), and once more when a live ends: the counts themselves live in memory or Redis, which
 * forget, while the curves and the review need them afterwards. Every node may sample: a minute keeps
 * the largest counts and the average online count, so duplicates change nothing.
 */
export function createSampler(deps: { store: AnalyticsStore; bus: RoomBus; clock: Clock; logger: Logger; sampleMs: number }) {
  const { store, bus, clock, logger, sampleMs } = deps;
  let timer: NodeJS.Timeout | null = null;
  let lastOutageLog = 0;

  async function sampleSession(sessionId: string) {
    const [counts, comments] = await Promise.all([bus.counts(sessionId), store.comments(sessionId)]);
    await store.addSample(sessionId, clock.now().toISOString().slice(0, 16), { online: counts.online, uv: counts.uv, likes: counts.likes, comments });
  }

  // One tick at a time; a tick asked for while one runs samples again after it (see oneAtATime).
  const tick = oneAtATime(async () => {
    try {
      for (const s of await store.liveSessionIds()) await sampleSession(s.id);
    } catch (err) {
      if (!outageOf(err)) logger.error({ err }, 'sampling live counts failed; the next tick retries');
      else if (Date.now() - lastOutageLog >= 10_000) {
        lastOutageLog = Date.now();
        logger.warn({ err }, 'sampling live counts skipped: a backing service is unavailable');
      }
    }
  });

  return {
    tick,
    /** The last sample of a live, as it ends (the room's counts are still there). */
    async final(sessionId: string) {
      if (sampleMs <= 0) return;
      try {
        await sampleSession(sessionId);
      } catch (err) {
        logger.warn({ err, sessionId }, 'could not take the last sample of a live');
      }
    },
    start() {
      if (!timer && sampleMs > 0) {
        timer = setInterval(() => void tick(), sampleMs);
        timer.unref();
      }
    },
    /** Stops the timer, and resolves once a tick still running has finished. */
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await tick.idle();
    },
  };
}
