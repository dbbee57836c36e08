import type net from 'node:net';
import { expect } from 'vitest';
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
