import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { requireService, TEST_PG_URL, TEST_REDIS_URL } from './helpers/env.ts';
import { pgSchema } from './helpers/server.ts';
import { freePort, spawnZhibo } from './helpers/spawn.ts';

const redis = await requireService('redis');
const postgres = await requireService('postgres');

type Node = { child: ChildProcess; base: string; port: number };

async function startNode(env: Record<string, string> & { DATA_DIR: string }): Promise<Node> {
  const port = await freePort();
  const child = spawnZhibo(
    { PORT: String(port), RTMP_PORT: String(await freePort()), LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT_PER_MIN: '1000', ...env },
    { cwd: env.DATA_DIR, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`node exited during start-up (${child.exitCode ?? child.signalCode})`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { child, base, port };
    } catch {
      // starting
    }
    if (Date.now() > deadline) throw new Error('node did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function login(base: string, account: string) {
  const jar = new Map<string, string>();
  const remember = (response: Response) => {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!, value.join('='));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let response = await fetch(`${base}/api/auth/session`);
  remember(response);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken, cookie: cookie() },
    body: JSON.stringify({ login: account, password: DEMO_PASSWORD }),
  });
  remember(response);
  if (response.status !== 200) throw new Error(`login failed: ${await response.text()}`);
  return cookie();
}

function openRoom(node: Node, sessionId: string, cookie?: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${node.port}/ws/rooms/${sessionId}`, { headers: cookie ? { cookie } : {} });
  const frames: any[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      ws.send(JSON.stringify({ t: 'hello', v: 1 }));
      resolve();
    });
    ws.once('error', reject);
  });
  const until = async (test: (f: any) => boolean, timeoutMs = 8000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = frames.find(test);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out; last frames ${JSON.stringify(frames.slice(-3))}`);
  };
  return { ws, frames, opened, until };
}

describe.skipIf(!redis.ok || !postgres.ok)('two Zhibo processes on one PostgreSQL and one Redis', { timeout: 90_000 }, () => {
  const schema = pgSchema('nodes_'); // dropped when the run ends (test/helpers/global-setup.ts)
  const prefix = `zt${crypto.randomBytes(4).toString('hex')}:`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-nodes-'));
  let a: Node;
  let b: Node;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const url = new URL(TEST_PG_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const env = { DATABASE_URL: url.toString(), DATABASE_CONNECT_TIMEOUT_MS: '30000', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, SECRET_KEY: 'two-node-test-secret-0123456789abcdef', DATA_DIR: dataDir };
    a = await startNode(env);
    // The second node starts once the first has migrated and seeded.
    b = await startNode({ ...env, DEMO_DATA: 'false' });
  });

  afterAll(async () => {
    await Promise.all(
      [a, b].map(async (node) => {
        if (!node || node.child.exitCode !== null || node.child.signalCode !== null) return;
        const exited = new Promise((resolve) => node.child.once('exit', resolve));
        node.child.kill('SIGTERM');
        await exited;
      }),
    );
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers a message posted on one node to a viewer on the other, and adds the counts up', async () => {
    const sessions = (await (await fetch(`${b.base}/api/live-sessions?status=scheduled`)).json()) as { sessions: { id: string }[] };
    const sessionId = sessions.sessions[0]!.id;
    const viewerCookie = await login(a.base, DEMO_ACCOUNTS.viewer.login);
    const onA = openRoom(a, sessionId, viewerCookie);
    const onB = openRoom(b, sessionId);
    await Promise.all([onA.opened, onB.opened]);
    await onA.until((f) => f.t === 'snapshot');
    await onB.until((f) => f.t === 'snapshot');

    onA.ws.send(JSON.stringify({ t: 'chat', text: '从 A 节点发的弹幕', nonce: 'n1' }));
    const ack = await onA.until((f) => f.t === 'ack' && f.nonce === 'n1');
    const seenOnB = await onB.until((f) => f.t === 'batch' && f.events.some((e: any) => e.id === ack.id));
    expect(seenOnB.events.find((e: any) => e.id === ack.id).text).toBe('从 A 节点发的弹幕');

    onA.ws.send(JSON.stringify({ t: 'like', n: 7 }));
    onB.ws.send(JSON.stringify({ t: 'like', n: 5 }));
    const counted = await onB.until((f) => f.t === 'batch' && f.counts?.likes === 12 && f.counts?.online === 2, 10_000);
    expect(counted.counts).toMatchObject({ online: 2, likes: 12 });
    expect(counted.counts.uv).toBe(2);
    expect(counted.counts.peak).toBeGreaterThanOrEqual(2);

    // A console action on node B reaches the viewer on node A.
    const hostCookie = await login(b.base, DEMO_ACCOUNTS.streamerFood.login);
    const own = (await (await fetch(`${b.base}/api/streamer/live-sessions`, { headers: { cookie: hostCookie } })).json()) as { sessions: { id: string }[] };
    expect(own.sessions.map((s) => s.id)).toContain(sessionId);
    const csrf = ((await (await fetch(`${b.base}/api/auth/session`, { headers: { cookie: hostCookie } })).json()) as { csrfToken: string }).csrfToken;
    const set = await fetch(`${b.base}/api/rooms/${sessionId}/announcement`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: hostCookie },
      body: JSON.stringify({ text: 'B 节点发布的公告' }),
    });
    expect(set.status).toBe(200);
    await onA.until((f) => f.t === 'batch' && f.events.some((e: any) => e.type === 'announcement' && e.text === 'B 节点发布的公告'));
    onA.ws.close();
    onB.ws.close();
  });
});
