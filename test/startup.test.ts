import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'vitest';
import { freePort, spawnZhibo } from './helpers/spawn.ts';

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/**
 * Runs `npm start`'s server entry as a child process, the way a user does. Its HTTP and RTMP ports are
 * free ones unless `env` says otherwise: a user's own `npm start` (8080, 1935) may be running beside the tests.
 */
async function startZhibo(env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-start-'));
  const ports = { PORT: String(await freePort()), RTMP_PORT: String(await freePort()) };
  const child = spawnZhibo({ DATA_DIR: dataDir, LOG_LEVEL: 'info', ...ports, ...env }, { cwd: dataDir });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': a process that prints its last line and exits at once may be seen to exit before
  // that line has been read from its pipe; 'close' comes once its output has all been read.
  const exited = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))).finally(() =>
    fs.rmSync(dataDir, { recursive: true, force: true }),
  );
  return { child, exited, dataDir, port: Number(ports.PORT), output: () => stdout + stderr };
}

/**
 * The first answer from `url`, polling while the server starts; fails at once if it exits instead. The demo's
 * seed takes about 14 s here under load; four start-ups side by side on a machine already busy took over 60 s.
 */
async function waitFor(url: string, zhibo: { child: ChildProcess }, timeoutMs = 120_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (zhibo.child.exitCode !== null || zhibo.child.signalCode !== null) throw new Error(`Zhibo exited during start-up (${zhibo.child.exitCode ?? zhibo.child.signalCode})`);
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

// Each test runs its own process on its own ports and data directory, so they run side by side.
describe.concurrent('start-up', { timeout: 180_000 }, () => {
  it('stops with a message naming a bad configuration value, and exit code 2', async ({ expect }) => {
    const run = await (await startZhibo({ PORT: 'eighty', DEMO_DATA: 'perhaps' })).exited;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Zhibo cannot start. Invalid configuration');
    expect(run.stderr).toMatch(/PORT="eighty": expected number/);
    expect(run.stderr).toMatch(/DEMO_DATA="perhaps"/);
  });

  it('stops with a clear message when DATABASE_URL does not answer, and exit code 3', async ({ expect }) => {
    const port = await freePort();
    const run = await (await startZhibo({ DATABASE_URL: `postgres://zhibo:secret@127.0.0.1:${port}/nope` })).exited;
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`the database at postgres://zhibo:***@127.0.0.1:${port}/nope does not answer (ECONNREFUSED)`);
    expect(run.stderr).not.toContain('secret');
  });

  it('stops with a clear message when REDIS_URL does not answer', async ({ expect }) => {
    const port = await freePort();
    const run = await (await startZhibo({ REDIS_URL: `redis://127.0.0.1:${port}` })).exited;
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`Redis at redis://127.0.0.1:${port} does not answer`);
  });

  /** A port held by another process (a user's own npm start, OBS's RTMP server) for the length of `run`. */
  async function holding<T>(run: (port: number) => Promise<T>): Promise<T> {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    try {
      return await run((holder.address() as net.AddressInfo).port);
    } finally {
      holder.close();
    }
  }

  it('stops with a clear message, exit code 3 and no stack trace when PORT is taken', async ({ expect }) => {
    const run = await holding(async (port) => (await startZhibo({ PORT: String(port), DEMO_DATA: 'false' })).exited);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Zhibo cannot start: the HTTP port \d+ is not available \(EADDRINUSE\)\. Set PORT\./);
    expect(run.stderr).not.toContain('    at ');
  });

  it('stops with a clear message and exit code 3 when RTMP_PORT is taken, before it serves HTTP', async ({ expect }) => {
    const run = await holding(async (port) => (await startZhibo({ RTMP_PORT: String(port), DEMO_DATA: 'false' })).exited);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Zhibo cannot start: the RTMP port \d+ is not available \(EADDRINUSE\)\. Set RTMP_PORT\./);
    expect(run.stdout).not.toContain('Server listening');
  });

  it('starts on SQLite under DATA_DIR with the demo, serves health checks, and shuts down cleanly on SIGTERM', async ({ expect }) => {
    const zhibo = await startZhibo({});
    const { port } = zhibo;
    try {
      const health = await waitFor(`http://127.0.0.1:${port}/healthz`, zhibo);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(fs.existsSync(path.join(zhibo.dataDir, 'zhibo.db'))).toBe(true);
      const sessions = await (await fetch(`http://127.0.0.1:${port}/api/live-sessions`)).json();
      expect(sessions.sessions.length).toBeGreaterThanOrEqual(4);
      expect(health.headers.get('x-request-id')).toMatch(/^req-/);
    } finally {
      zhibo.child.kill('SIGTERM');
    }
    const run = await zhibo.exited;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('shut down cleanly');
    expect(run.stdout).toMatch(/"reqId":"req-/);
  });

  it('starts without demo data when DEMO_DATA=false', async ({ expect }) => {
    const zhibo = await startZhibo({ DEMO_DATA: 'false' });
    const { port } = zhibo;
    try {
      await waitFor(`http://127.0.0.1:${port}/healthz`, zhibo);
      const sessions = await (await fetch(`http://127.0.0.1:${port}/api/live-sessions`)).json();
      expect(sessions.sessions).toEqual([]);
    } finally {
      zhibo.child.kill('SIGINT');
    }
    expect((await zhibo.exited).code).toBe(0);
  });
});
