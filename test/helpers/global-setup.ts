import { execFileSync } from 'node:child_process';

/** The browser tests need a current web/dist; build it once per run (a no-op when up to date). */
export default function setup() {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-web-if-stale.ts'], { stdio: 'inherit' });
}
