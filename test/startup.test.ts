import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Runs `npm start`'s server entry as a child process, the way a user does. */
function startZhibo(env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-start-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Run>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exited, dataDir, output: () => stdout + stderr };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('start-up', () => {
  it('stops with a message naming a bad configuration value, and exit code 2', async () => {
    const run = await startZhibo({ PORT: 'eighty', DEMO_DATA: 'perhaps' }).exited;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Zhibo cannot start. Invalid configuration');
    expect(run.stderr).toMatch(/PORT="eighty": expected number/);
    expect(run.stderr).toMatch(/DEMO_DATA="perhaps"/);
  });

  it('stops with a clear message when DATABASE_URL does not answer, and exit code 3', async () => {
    const port = await freePort();
    const run = await startZhibo({ DATABASE_URL: `postgres://zhibo:secret@127.0.0.1:${port}/nope` }).exited;
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`the database at postgres://zhibo:***@127.0.0.1:${port}/nope does not answer (ECONNREFUSED)`);
    expect(run.stderr).not.toContain('secret');
  });

  it('stops with a clear message when REDIS_URL does not answer', async () => {
    const port = await freePort();
    const run = await startZhibo({ REDIS_URL: `redis://127.0.0.1:${port}` }).exited;
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`Redis at redis://127.0.0.1:${port} does not answer`);
  });

  it('starts on SQLite under DATA_DIR with the demo, serves health checks, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const zhibo = startZhibo({ PORT: String(port) });
    try {
      const health = await waitFor(`http://127.0.0.1:${port}/healthz`, 20_000);
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

  it('starts without demo data when DEMO_DATA=false', async () => {
    const port = await freePort();
    const zhibo = startZhibo({ PORT: String(port), DEMO_DATA: 'false' });
    try {
      await waitFor(`http://127.0.0.1:${port}/healthz`, 20_000);
      const sessions = await (await fetch(`http://127.0.0.1:${port}/api/live-sessions`)).json();
      expect(sessions.sessions).toEqual([]);
    } finally {
      zhibo.child.kill('SIGINT');
    }
    expect((await zhibo.exited).code).toBe(0);
  });
});
