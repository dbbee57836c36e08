import fs from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Test files that drive real processes (ffmpeg at real-time speed, Chromium, Zhibo processes) and so take longest. */
const REAL_TIME = /\b(publish|publishHevcPackets|launchChromium|useBrowserServer|startZhibo|startNode|spawnZhibo)\(/;

/**
 * Longest files first, so that none of them starts last and runs on alone at the end. Vitest orders by
 * the durations of the last run (cached in node_modules/.vite/vitest) when it knows them all; without
 * them (a fresh clone, CI, a new file), files that drive real processes go first, larger files first.
 */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const known = files.every((f) => this.ctx.cache.getFileTestResults(`${f.project.name}:${path.relative(root, f.moduleId)}`));
    if (known) return sorted;
    const slow = new Set(files.filter((f) => REAL_TIME.test(fs.readFileSync(f.moduleId, 'utf8'))));
    return [...sorted.filter((f) => slow.has(f)), ...sorted.filter((f) => !slow.has(f))];
  }
}
