import fs from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Test files that drive real processes in real time (ffmpeg, Chromium, Zhibo processes): the longest ones. */
const REAL_TIME = /\b(publish|publishHevcPackets|launchChromium|useBrowserServer|startZhibo|startNode|spawnZhibo)\(/;

/**
 * The order test files start in (they run side by side, see vitest.config.ts): the longest first, so
 * that none of them starts last and runs on alone at the end, and files that drive real processes in
 * real time alternate with the others, so that they do not all compete for the CPU at once (an encoder
 * or a browser that falls behind real time fails its test). Durations are the last run's, cached by
 * Vitest in node_modules/.vite/vitest; without them (a fresh clone, CI, a new file) larger files first.
 */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await this.longestFirst(files);
    const realTime = sorted.filter((f) => REAL_TIME.test(fs.readFileSync(f.moduleId, 'utf8')));
    const others = sorted.filter((f) => !realTime.includes(f));
    const order: TestSpecification[] = [];
    while (realTime.length || others.length) {
      const next = realTime.shift();
      if (next) order.push(next);
      const other = others.shift();
      if (other) order.push(other);
    }
    return order;
  }

  private async longestFirst(files: TestSpecification[]) {
    const root = this.ctx.config.root;
    const duration = (f: TestSpecification) => this.ctx.cache.getFileTestResults(`${f.project.name}:${path.relative(root, f.moduleId)}`)?.duration;
    // Vitest's own order runs failed files first; here only the durations count.
    if (files.every((f) => duration(f) !== undefined)) return [...files].sort((a, b) => duration(b)! - duration(a)!);
    const size = (f: TestSpecification) => fs.statSync(f.moduleId).size;
    return [...files].sort((a, b) => size(b) - size(a));
  }
}
