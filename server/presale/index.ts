import { outageOf } from '../platform/outage.ts';
import { createPresale, type PresaleDeps } from './service.ts';

/** 定金预售 (docs/PRESALE.md): the service and its sweep, run every `sweepMs` on every node (each row claimed conditionally). */
export function createPresaleDomain(deps: PresaleDeps & { sweepMs: number }) {
  const service = createPresale(deps);
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let lastOutageLog = 0;
  async function sweep() {
    if (running) return 0;
    running = true;
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
    } finally {
      running = false;
    }
  }
  return {
    service,
    sweep,
    start() {
      timer ??= setInterval(() => void sweep(), deps.sweepMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

export type PresaleDomain = ReturnType<typeof createPresaleDomain>;
