import os from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/helpers/sequencer.ts';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files run side by side: much of the suite waits on real time (ffmpeg publishing at real-time
    // speed, browsers, processes restarting), and each file has its own servers, databases (a SQLite
    // file or a PostgreSQL schema), Redis prefix and free ports. Vitest's default on a 2-core machine
    // is one file at a time; one more file than cores keeps the CPU busy while others wait.
    maxWorkers: Math.min(4, os.availableParallelism() + 1),
    // A worker process is reused from file to file instead of re-importing the server for each one
    // (about 1.5 s of CPU per file). Every file closes what it starts.
    isolate: false,
    sequence: { sequencer: LongestFirstSequencer },
    reporters: ['default'],
  },
});
