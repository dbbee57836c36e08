import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** A TCP port nobody listens on now (the kernel's pick), for a child process to bind. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
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
