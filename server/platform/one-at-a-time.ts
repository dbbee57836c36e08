/**
 * Runs `work` one run at a time, for background sweeps that a timer starts and that tests, routes or
 * shutdown may also ask for. A call while a run is in progress does not return at once with nothing
 * done: it waits for that run and then starts one more, so what the caller asked for is run after it
 * asked (calls arriving meanwhile share that next run, so at most one is ever waiting).
 */
export function oneAtATime<T>(work: () => Promise<T>): (() => Promise<T>) & { idle: () => Promise<void> } {
  let current: Promise<T> | null = null;
  let next: Promise<T> | null = null;
  const start = (): Promise<T> => {
    const run: Promise<T> = work().finally(() => {
      if (current === run) current = null;
    });
    current = run;
    return run;
  };
  const run = () => {
    if (!current) return start();
    next ??= current
      .catch(() => undefined)
      .then(() => {
        next = null;
        return start();
      });
    return next;
  };
  /** Resolves once no run is in progress or waiting (a shutdown waits for it before closing the database). */
  const idle = async () => {
    while (current || next) await (next ?? current)!.catch(() => undefined);
  };
  return Object.assign(run, { idle });
}
