import type net from 'node:net';
import { expect } from 'vitest';
import { waitUntil } from './publisher.ts';
import type { TestClient, TestServer } from './server.ts';

/** What test/live-video.test.ts and test/live-ingest.test.ts share. */
export const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

export async function createSession(client: TestClient, title = '测试直播间') {
  const response = await client.post('/api/streamer/live-sessions', { title, scheduledAt: inAnHour() });
  expect(response.status, response.body).toBe(201);
  return response.json() as { session: { id: string }; push: { server: string; streamKey: string; url: string } };
}

export const detail = async (client: TestClient, id: string) => (await client.get(`/api/streamer/live-sessions/${id}`)).json();

export async function eventsOf(server: TestServer, id: string) {
  const rows = await server.database.db.selectFrom('stream_events').selectAll().where('session_id', '=', id).orderBy('id').execute();
  return rows.map((r) => `${r.kind}:${r.reason ?? ''}`);
}

/**
 * The session's stream events once there are more than `count`: the server writes an event just after
 * it acts (a refused publisher may see its connection closed first), so the test waits for it.
 */
export async function eventsAfter(server: TestServer, id: string, count: number) {
  return waitUntil(async () => {
    const events = await eventsOf(server, id);
    return events.length > count ? events : null;
  }, 15_000, `stream event ${count + 1} of ${id}`);
}

/** Waits until the session's stream events include `event`. */
export async function eventLogged(server: TestServer, id: string, event: string) {
  return waitUntil(async () => (await eventsOf(server, id)).includes(event), 15_000, event);
}

/** Reads an HTTP-FLV stream for at most `ms`, or until `enough` bytes have come; returns the bytes received. */
export async function readFlv(server: TestServer, id: string, ms: number, enough = Infinity) {
  const base = `http://127.0.0.1:${(server.app.server.address() as net.AddressInfo).port}`;
  const controller = new AbortController();
  const response = await fetch(`${base}/live/${id}.flv`, { signal: controller.signal });
  const chunks: Buffer[] = [];
  let received = 0;
  const reader = response.body!.getReader();
  const stop = setTimeout(() => controller.abort(), ms);
  try {
    while (received < enough) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
      received += value.length;
    }
  } catch {
    // aborted on purpose
  } finally {
    clearTimeout(stop);
    controller.abort();
  }
  return { status: response.status, contentType: response.headers.get('content-type'), bytes: Buffer.concat(chunks) };
}
