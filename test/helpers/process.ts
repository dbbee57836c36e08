import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { freePort } from './spawn.ts';

export { freePort };

export const ROOT = path.resolve(import.meta.dirname, '../..');

export type ZhiboProcess = {
  child: ChildProcess;
  base: string;
  port: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it printed so far (pino JSON lines). */
  output: () => string;
  alive: () => boolean;
  stop: () => Promise<void>;
};

/** `server/main.ts` as its own process, as `npm start` runs it, on free ports; resolves once /healthz answers. */
export async function startZhibo(env: Record<string, string>, options: { port?: number; ready?: 'healthz' | 'readyz' } = {}): Promise<ZhiboProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), RTMP_PORT: String(await freePort()), LOG_LEVEL: 'warn', HLS_ENABLED: 'false', RECORDING_ENABLED: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const base = `http://127.0.0.1:${port}`;
  // Seeding the demo takes seconds on an idle machine; one five times oversubscribed (the suite beside
  // `npm start` and browsers) took over 60 s. Within the hooks' 120 s (vitest.config.ts).
  const startMs = 110_000;
  const deadline = Date.now() + startMs;
  for (;;) {
    if (!alive()) throw new Error(`Zhibo exited during start-up (${child.exitCode ?? child.signalCode}):\n${output}`);
    try {
      if ((await fetch(`${base}/${options.ready ?? 'readyz'}`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Zhibo did not start within ${startMs / 1000} s:\n${output}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    child,
    base,
    port,
    exited,
    output: () => output,
    alive,
    stop: async () => {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export type Answer = { status: number; json: any; ms: number };

/** A browser-like HTTP client: keeps cookies and sends the CSRF token. */
export class HttpClient {
  readonly jar = new Map<string, string>();
  csrf = '';
  constructor(public base: string) {}

  cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${this.base}${url}`, {
      method,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        cookie: this.cookie(),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(method !== 'GET' && { 'x-csrf-token': this.csrf }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = pair!.split('=');
      this.jar.set(name!, value.join('='));
    }
    const text = await response.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, json, ms: performance.now() - started };
  }

  async refreshCsrf() {
    const res = await this.call('GET', '/api/auth/session');
    this.csrf = res.json.csrfToken;
    return res.json.user as { id: string } | null;
  }

  async login(login: string, password = DEMO_PASSWORD) {
    await this.refreshCsrf();
    const res = await this.call('POST', '/api/auth/login', { login, password });
    if (res.status !== 200) throw new Error(`login ${login} failed: ${JSON.stringify(res.json)}`);
    await this.refreshCsrf();
  }
}
