import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamer } from './helpers/people.ts';
import { publish, waitUntil } from './helpers/publisher.ts';
import { RoomSocket } from './helpers/room-client.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

// The timeouts live in the HTTP listener, not the database: one SQLite server is enough.
const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
// Node checks both timeouts once a second (connectionsCheckingInterval in server/app.ts).
const CHECK_INTERVAL_MS = 1000;

/** A raw client that sends `first` at once, then `data` one byte a second; records what it gets back and when it is cut off. */
function trickle(port: number, data: string, first = '') {
  const socket = net.connect(port, '127.0.0.1');
  const started = Date.now();
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  let i = 0;
  const send = () => !socket.destroyed && i < data.length && socket.write(data[i++]!);
  socket.once('connect', () => (socket.write(first), send()));
  const timer = setInterval(send, 1000);
  const closed = new Promise<{ afterMs: number; received: string; sent: number }>((resolve) =>
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ afterMs: Date.now() - started, received, sent: i });
    }),
  );
  return { closed, stop: () => (clearInterval(timer), socket.destroy()) };
}

/** `promise`, or a clear failure once `ms` have passed (a generous deadline: the server should be far quicker). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('HTTP timeouts', () => {
  let server: TestServer;
  let port: number;
  beforeAll(async () => {
    server = await startTestServer({
      dialect: 'sqlite',
      media: true,
      env: { HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), HLS_ENABLED: 'false', RECORDING_ENABLED: 'false' },
    });
    port = (server.app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('cuts off a client that sends its request head one byte a second within the headers timeout, and answers others meanwhile', async () => {
    // 70-odd bytes: a minute and more at this pace, if nothing cut it off.
    const slow = trickle(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: one-byte-a-second\r\n\r\n');
    try {
      const answered = [];
      for (let n = 0; n < 3; n++) answered.push((await fetch(`http://127.0.0.1:${port}/healthz`)).status);
      expect(answered).toEqual([200, 200, 200]);
      const cut = await within(slow.closed, 10_000, 'cutting off the slow-header client');
      expect(cut.received).toMatch(/^HTTP\/1\.1 408 /);
      expect(cut.afterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
      // The head timeout plus one check interval, with generous room for a slow machine.
      expect(cut.afterMs).toBeLessThan(HEADERS_TIMEOUT_MS + CHECK_INTERVAL_MS + 5000);
      // The server is still there for everyone else.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      slow.stop();
    }
  });

  it('cuts off a client whose request body trickles in past the request timeout', async () => {
    const body = JSON.stringify({ app: 'live', stream: 'x'.repeat(150) });
    // The head at once, so that only the body trickles.
    const slow = trickle(port, body, `POST /api/media/hooks/on_unpublish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    try {
      const cut = await within(slow.closed, 10_000, 'cutting off the slow-body client');
      expect(cut.received).toMatch(/^HTTP\/1\.1 408 /);
      // Not the head's timeout: the head was complete, and the body had more time.
      expect(cut.afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
      expect(cut.afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + CHECK_INTERVAL_MS + 5000);
    } finally {
      slow.stop();
    }
  });

  it('keeps an HTTP-FLV viewer and a room socket open well past both timeouts', { timeout: 60_000 }, async () => {
    const { client } = await streamer(server);
    const created = await client.post('/api/streamer/live-sessions', { title: '超时测试', scheduledAt: new Date(Date.now() + 3_600_000).toISOString() });
    const { session, push } = created.json() as { session: { id: string }; push: { url: string } };
    const publisher = publish(push.url, { seconds: 30 });
    try {
      await waitUntil(async () => (await client.get(`/api/streamer/live-sessions/${session.id}`)).json().session.status === 'live', 20_000, 'the session to go live');
      const room = await RoomSocket.open(server, session.id);
      const controller = new AbortController();
      const opened = Date.now();
      const response = await fetch(`http://127.0.0.1:${port}/live/${session.id}.flv`, { signal: controller.signal });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      // Past both timeouts and two of node's checks: anything that timed these connections would have cut them by now.
      const past = REQUEST_TIMEOUT_MS + 2 * CHECK_INTERVAL_MS + 500;
      let bytes = 0;
      let lastChunkAt = 0;
      while (lastChunkAt - opened < past) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the HTTP-FLV stream ended after ${Date.now() - opened} ms`);
        bytes += value.length;
        lastChunkAt = Date.now();
      }
      expect(bytes).toBeGreaterThan(10_000);
      expect(room.closed).toBeNull();
      room.send({ t: 'ping' });
      await room.next((f) => f.t === 'pong');
      controller.abort();
      room.close();
    } finally {
      publisher.child.kill('SIGKILL');
    }
  });
});
