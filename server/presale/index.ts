import { outageOf } from '../platform/outage.ts';
import { createPresale, type PresaleDeps } from './service.ts';
import { oneAtATime } from '../platform/one-at-a-time.ts';

/** 定金预售 (docs/PRESALE.md): the service and its sweep, run every `sweepMs` on every node (each row claimed conditionally). */
export function createPresaleDomain(deps: PresaleDeps & { sweepMs: number }) {
  const service = createPresale(deps);
  let timer: NodeJS.Timeout | null = null;
  let lastOutageLog = 0;
  const sweep = oneAtATime(async () => {
    try {
      return await service.sweep();
    } catch (err) {
      const outage = outageOf(err);
      if (!outage) deps.logger.error({ err }, 'presale sweep failed; next tick retries');
      else if (Date.now() - lastOutageLog >= 10_000) {
        lastOutageLog = Date.now();
        deps.logger.warn({ err, code: outage }, 'presale sweep skipped: a backing service is unavailable');
      }
      return 0;
    }
  });
  return {
    service,
    sweep,
    start() {
      timer ??= setInterval(() => void sweep(), deps.sweepMs);
      timer.unref();
    },
    /** Stops the timer, and resolves once a sweep still running has finished. */
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await sweep.idle();
    },
  };
}

export type PresaleDomain = ReturnType<typeof createPresaleDomain>;
