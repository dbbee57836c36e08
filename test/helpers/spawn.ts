import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Whether `port` on 127.0.0.1 can be listened on now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A TCP port nobody listens on now, for a child process to bind. Not the kernel's pick (port 0): that
 * comes from the ephemeral range (32768–60999 on Linux), from which every outgoing connection (to
 * PostgreSQL, Redis, a fetch) also takes its local port, so one could take it before the child binds
 * it (seen as EADDRINUSE on a busy machine). A random port between 20000 and 32000 is outside that
 * range; test files running side by side pick at random too, so they rarely meet.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + crypto.randomInt(12_000);
    if (await bindable(port)) return port;
  }
  throw new Error('no free port between 20000 and 32000 on 127.0.0.1');
}

/**
 * `server/main.ts` (what `npm start` runs) as a child process with exactly `env` and nothing of the
 * developer's own set-up: it runs in `cwd` (a test's data directory), so a `.env` in the checkout, written
 * for the developer's own `npm start`, is not read. The caller passes PORT and RTMP_PORT (free ones).
 */
export function spawnZhibo(env: Record<string, string>, options: { cwd: string; stdio?: StdioOptions }): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, path.join(ROOT, 'server/main.ts')], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', WEB_DIST_DIR: path.join(ROOT, 'web/dist'), ...env },
    stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
  });
}
