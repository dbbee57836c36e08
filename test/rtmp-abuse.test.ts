// The embedded RTMP listener under garbage and floods: every bad connection is closed by the server,
// memory stays put, and real publishers (and Zhibo's own ffmpeg) carry on.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedIngest } from '../server/live/media/ingest.ts';
import { streamer } from './helpers/people.ts';
import { publish, waitUntil } from './helpers/publisher.ts';
import { startTestServer, type TestClient, type TestServer } from './helpers/server.ts';

// Small, so that the deadline tests are quick; far above what a handshake takes on loopback, and long enough
// that the real publishers of the last test (ffmpeg, and clients in this process, whose event loop the server
// shares) publish in time even when a busy machine stalls them for a moment.
const HANDSHAKE_TIMEOUT_MS = 2000;
const PER_IP = 4;
const MAX_MESSAGE = 4 * 1024 * 1024;

let server: TestServer;
let ingest: EmbeddedIngest;
let rtmpPort: number;
let client: TestClient;

async function createSession() {
  const response = await client.post('/api/streamer/live-sessions', { title: '防刷测试', scheduledAt: new Date(Date.now() + 3_600_000).toISOString() });
  expect(response.status, response.body).toBe(201);
  return response.json() as { session: { id: string }; push: { server: string; url: string } };
}

type Probe = { socket: net.Socket; received: () => number; receivedAtLeast: (bytes: number) => Promise<void>; closed: Promise<{ afterMs: number }> };

/** A raw TCP client on the RTMP port that records what it gets and when the server closes it. */
async function open(): Promise<Probe> {
  const socket = net.connect({ host: '127.0.0.1', port: rtmpPort });
  socket.on('error', () => undefined);
  let received = 0;
  socket.on('data', (data: Buffer) => (received += data.length));
  const since = Date.now();
  const closed = new Promise<{ afterMs: number }>((resolve) => socket.once('close', () => resolve({ afterMs: Date.now() - since })));
  const receivedAtLeast = (bytes: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (received < bytes) return;
        socket.off('data', check);
        resolve();
      };
      socket.on('data', check);
      socket.once('close', () => reject(new Error(`closed after ${received} of ${bytes} bytes`)));
      check();
    });
  // A connection refused at accept may close before its 'connect' is seen.
  await Promise.race([new Promise((resolve) => socket.once('connect', resolve)), closed]);
  return { socket, received: () => received, receivedAtLeast, closed };
}

/** C0 + C1, S0 S1 S2 back, then C2: a valid simple handshake. */
async function handshake(probe: Probe) {
  probe.socket.write(Buffer.concat([Buffer.from([3]), crypto.randomBytes(1536)]));
  await probe.receivedAtLeast(1 + 2 * 1536);
  probe.socket.write(crypto.randomBytes(1536));
}

/** A type-0 chunk header: chunk stream `cid`, message `length` bytes of `type`, stream id 1. */
function chunkHeader(cid: number, length: number, type: number) {
  const header = Buffer.alloc(12);
  header[0] = cid;
  header.writeUIntBE(length, 4, 3);
  header[7] = type;
  header.writeUInt32LE(1, 8);
  return header;
}

const delta = (before: ReturnType<EmbeddedIngest['stats']>) => {
  const now = ingest.stats();
  return { refused: now.refused - before.refused, handshakeTimeouts: now.handshakeTimeouts - before.handshakeTimeouts, protocolErrors: now.protocolErrors - before.protocolErrors };
};

/** Waits until the server holds no connection but `keep`: every probe it closed is gone on its side too. */
const drained = (keep = 0) => waitUntil(async () => ingest.stats().connections <= keep, 10_000, 'the server to let go of closed connections');

describe('the RTMP listener under abuse', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    server = await startTestServer({
      dialect: 'sqlite',
      media: true,
      env: {
        RTMP_HANDSHAKE_TIMEOUT_MS: String(HANDSHAKE_TIMEOUT_MS),
        RTMP_MAX_CONNECTIONS_PER_IP: String(PER_IP),
        RTMP_MAX_MESSAGE_BYTES: String(MAX_MESSAGE),
        // Long enough that only the abuse limits close the idle test connections.
        LIVE_STALL_SECONDS: '30',
        RECORDING_ENABLED: 'false',
      },
    });
    ingest = server.services.media.ingest!;
    ({ client } = await streamer(server));
    rtmpPort = Number(new URL((await createSession()).push.server).port);
  });

  afterAll(async () => {
    await server?.close();
  });

  afterEach(async () => {
    expect((await server.client().get('/healthz')).status).toBe(200);
  });

  it('closes connections that send random bytes, and holds no memory for them', async () => {
    /** `total` connections, PER_IP - 1 at a time (below the per-address limit, so the guard has to deal with each one). */
    const flood = async (total: number, onClosed: () => void) => {
      let next = 0;
      const worker = async () => {
        while (next < total) {
          const n = next++;
          const probe = await open();
          const garbage = crypto.randomBytes(6144);
          // Two in three get past the version byte, so their random chunk headers reach the guard.
          if (n % 3) garbage[0] = 3;
          probe.socket.write(garbage);
          await probe.closed;
          onClosed();
        }
      };
      await Promise.all(Array.from({ length: PER_IP - 1 }, worker));
    };
    // A first round warms up the code paths, so that the second one measures what garbage costs.
    await flood(30, () => undefined);
    const before = ingest.stats();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let closed = 0;
    const total = 150;
    await flood(total, () => {
      closed++;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    });
    expect(closed).toBe(total);
    const d = delta(before);
    expect(d.refused).toBe(0);
    // Each was closed by the guard at once or, if its random headers happened to pass, at the deadline.
    expect(d.protocolErrors + d.handshakeTimeouts).toBe(total);
    expect(d.protocolErrors).toBeGreaterThan(total / 2);
    await drained(before.connections);
    // The parser used to allocate 1 MiB per connection and up to 16 MiB per claimed message: hundreds of MB.
    expect((peakRss - rssBefore) / 1024 / 1024).toBeLessThan(32);
  });

  it('closes a handshake cut half-way, or a connection that never publishes, within RTMP_HANDSHAKE_TIMEOUT_MS', async () => {
    const before = ingest.stats();
    const halfC1 = await open();
    halfC1.socket.write(Buffer.concat([Buffer.from([3]), crypto.randomBytes(700)]));
    const halfC2 = await open();
    halfC2.socket.write(Buffer.concat([Buffer.from([3]), crypto.randomBytes(1536)]));
    await halfC2.receivedAtLeast(1 + 2 * 1536);
    halfC2.socket.write(crypto.randomBytes(700));
    const idle = await open();
    await handshake(idle);
    const silent = await open();
    const results = await Promise.all([halfC1, halfC2, idle, silent].map((p) => p.closed));
    for (const { afterMs } of results) {
      // Closed by the deadline (not earlier), and long before the 30 s no-data timeout.
      expect(afterMs).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT_MS - 20);
      expect(afterMs).toBeLessThan(HANDSHAKE_TIMEOUT_MS + 10_000);
    }
    expect(delta(before)).toEqual({ refused: 0, handshakeTimeouts: 4, protocolErrors: 0 });
  });

  it('closes a connection that sends random chunks, or a command the parser chokes on, after a valid handshake', async () => {
    const before = ingest.stats();
    const probes = await Promise.all(Array.from({ length: PER_IP - 1 }, open));
    await Promise.all(probes.map(handshake));
    for (const probe of probes.slice(0, -1)) probe.socket.write(crypto.randomBytes(4096));
    // A connect command with no tcUrl used to throw out of the parser and end the whole process.
    const command = Buffer.concat([Buffer.from([2, 0, 7]), Buffer.from('connect'), Buffer.from([0]), Buffer.alloc(8), Buffer.from([3, 0, 0, 9])]);
    probes.at(-1)!.socket.write(Buffer.concat([chunkHeader(3, command.length, 20), command]));
    await Promise.all(probes.map((p) => p.closed));
    const d = delta(before);
    expect(d.refused).toBe(0);
    expect(d.protocolErrors + d.handshakeTimeouts).toBe(probes.length);
    expect(d.protocolErrors).toBeGreaterThanOrEqual(1);
    await drained(before.connections);
  });

  it('closes a connection whose chunk header claims a 16 MB message before allocating it, and lets a large frame through', async () => {
    const before = ingest.stats();
    const huge = await open();
    await handshake(huge);
    const buffersBefore = process.memoryUsage().arrayBuffers;
    huge.socket.write(chunkHeader(6, 0xffffff, 9));
    const { afterMs } = await huge.closed;
    expect(afterMs).toBeLessThan(HANDSHAKE_TIMEOUT_MS + 10_000);
    expect(process.memoryUsage().arrayBuffers - buffersBefore).toBeLessThan(8 * 1024 * 1024);
    expect(delta(before)).toMatchObject({ protocolErrors: 1, handshakeTimeouts: 0 });

    // Several chunk streams together may not claim much more than one largest message.
    const spread = await open();
    await handshake(spread);
    // Each chunk: its header, then one chunk of payload (128 bytes at the initial chunk size).
    for (const cid of [4, 5, 6]) spread.socket.write(Buffer.concat([chunkHeader(cid, 3 * 1024 * 1024, 9), Buffer.alloc(128)]));
    await spread.closed;
    expect(delta(before)).toMatchObject({ protocolErrors: 2, handshakeTimeouts: 0 });

    // A 2 MiB video frame is within RTMP_MAX_MESSAGE_BYTES: the guard lets it be; the deadline closes the idler.
    const large = await open();
    await handshake(large);
    large.socket.write(chunkHeader(6, 2 * 1024 * 1024, 9));
    await large.closed;
    expect(delta(before)).toEqual({ refused: 0, protocolErrors: 2, handshakeTimeouts: 1 });
    await drained(before.connections);
  });

  it('refuses connections past RTMP_MAX_CONNECTIONS_PER_IP at once, leaves the earlier ones and Zhibo’s own ffmpeg alone, and a publish still plays', async () => {
    const require = createRequire(import.meta.url);
    const RtmpClient = require('node-media-server/src/protocol/rtmp_client.js') as new () => {
      connect(url: string): Promise<void>;
      sendConnect(): Promise<unknown>;
      sendCreateStream(): Promise<unknown>;
      sendPublish(name: string): Promise<unknown>;
      disconnect(): void;
      socket: net.Socket | null;
    };
    const detail = async (id: string) => (await client.get(`/api/streamer/live-sessions/${id}`)).json();
    const before = ingest.stats();

    // PER_IP - 1 publishers that send no media hold their connections (publishing: no deadline).
    const holders = [];
    for (let i = 0; i < PER_IP - 1; i++) {
      const { session, push } = await createSession();
      const holder = new RtmpClient();
      await holder.connect(push.url);
      const socket = holder.socket!;
      let closed = false;
      socket.once('close', () => (closed = true));
      await holder.sendConnect();
      await holder.sendCreateStream();
      await holder.sendPublish(push.url.slice(push.url.indexOf('/live/') + '/live/'.length));
      await waitUntil(async () => (await detail(session.id)).health.publishing, 15_000, 'a holding publisher');
      holders.push({ holder, isClosed: () => closed });
    }

    // ffmpeg takes the last place of 127.0.0.1. Its live's HLS ffmpeg connects while the address is full.
    const { session, push } = await createSession();
    const encoder = publish(push.url, { seconds: 30 });
    try {
      await waitUntil(async () => (await detail(session.id)).health.publishing, 15_000, 'the ffmpeg publisher');
      const extra = await open();
      extra.socket.write(Buffer.concat([Buffer.from([3]), crypto.randomBytes(1536)]));
      await extra.closed;
      expect(extra.received()).toBe(0);
      expect(delta(before).refused).toBe(1);

      const playlist = await waitUntil(async () => {
        const response = await server.client().get(`/live/${session.id}/index.m3u8`);
        return response.status === 200 && /\.ts/.test(response.body) ? response.body : null;
      }, 20_000, 'HLS from Zhibo’s own ffmpeg');
      expect(playlist).toContain('#EXTM3U');

      // The publish plays over HTTP-FLV: video tags (type 9) after the FLV header.
      const base = `http://127.0.0.1:${(server.app.server.address() as net.AddressInfo).port}`;
      const controller = new AbortController();
      const response = await fetch(`${base}/live/${session.id}.flv`, { signal: controller.signal });
      const reader = response.body!.getReader();
      let bytes = Buffer.alloc(0);
      let videoTags = 0;
      while (videoTags < 10) {
        const { value, done } = await reader.read();
        if (done) break;
        bytes = Buffer.concat([bytes, Buffer.from(value)]);
        videoTags = countVideoTags(bytes);
      }
      controller.abort();
      expect(bytes.subarray(0, 3).toString('latin1')).toBe('FLV');
      expect(videoTags).toBeGreaterThanOrEqual(10);

      for (const { isClosed } of holders) expect(isClosed()).toBe(false);
      expect((await detail(session.id)).health.publishing).toBe(true);
      // Nothing a real encoder (or the ffmpeg relays) sent was taken for abuse.
      expect(delta(before)).toEqual({ refused: 1, handshakeTimeouts: 0, protocolErrors: 0 });
    } finally {
      encoder.child.kill('SIGKILL');
      for (const { holder } of holders) holder.disconnect();
    }
  });
});

/** Counts FLV video tags in a stream read from its start. */
function countVideoTags(flv: Buffer) {
  let at = 9 + 4;
  let count = 0;
  while (at + 11 <= flv.length) {
    const size = flv.readUIntBE(at + 1, 3);
    if (at + 11 + size + 4 > flv.length) break;
    if (flv[at] === 9) count++;
    at += 11 + size + 4;
  }
  return count;
}
