import { describe, expect, it } from 'vitest';
import { oneAtATime } from './one-at-a-time.ts';

describe('oneAtATime (background sweeps also asked for directly)', () => {
  it('a call during a run waits for it and runs again, so its run starts after it asked; calls meanwhile share that run', async () => {
    const starts: number[] = [];
    let release: () => void = () => undefined;
    let n = 0;
    const sweep = oneAtATime(async () => {
      const mine = ++n;
      starts.push(mine);
      if (mine === 1) await new Promise<void>((resolve) => (release = resolve));
      return mine;
    });
    const first = sweep();
    // The timer's run is in progress: a caller's sweep must not return at once with nothing done.
    const second = sweep();
    const third = sweep();
    await new Promise((r) => setTimeout(r, 5));
    expect(starts).toEqual([1]);
    release();
    expect(await first).toBe(1);
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    expect(starts).toEqual([1, 2]);
    expect(await sweep()).toBe(3);
  });

  it('a failed run does not stop the next, and idle() waits for the run in progress and the one waiting', async () => {
    let n = 0;
    let finished = 0;
    const sweep = oneAtATime(async () => {
      n++;
      await new Promise((r) => setTimeout(r, 10));
      finished++;
      if (n === 1) throw new Error('the database went away');
      return n;
    });
    const failed = sweep();
    const next = sweep();
    await expect(failed).rejects.toThrow('the database went away');
    await sweep.idle();
    expect(finished).toBe(2);
    expect(await next).toBe(2);
    await sweep.idle();
  });
});
