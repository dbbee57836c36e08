import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import type { TestClient, TestServer } from './server.ts';

export type Frame = { t: string; [key: string]: any };

/** A viewer's socket in a room: records every frame, and waits for the ones a test expects. */
export class RoomSocket {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: { test: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.test(frame) ? (w.resolve(frame), false) : true));
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
  }

  /** `headers`: extra upgrade headers (e.g. `x-forwarded-for`, for a server with TRUST_PROXY). */
  static async open(server: TestServer, sessionId: string, options: { client?: TestClient; origin?: string; hello?: boolean; resume?: number; headers?: Record<string, string> } = {}) {
    const port = (server.app.server.address() as AddressInfo).port;
    const cookie = options.client?.cookie('zhibo_session');
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/rooms/${sessionId}`, {
      headers: { ...options.headers, ...(cookie && { cookie: `zhibo_session=${cookie}` }), ...(options.origin && { origin: options.origin }) },
    });
    const socket = new RoomSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    if (options.hello !== false) {
      socket.send({ t: 'hello', v: 1, ...(options.resume !== undefined && { resume: options.resume }) });
      await socket.next((f) => f.t === 'snapshot' || (f.t === 'welcome' && f.resumed));
    }
    return socket;
  }

  send(frame: unknown) {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  next(test: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const seen = this.frames.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`)), timeoutMs);
      this.waiters.push({ test, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  }

  /** The first event of a type seen in any batch (or a large room's `chat` frame), waiting for it if needed. */
  async event(type: string, match: (e: any) => boolean = () => true, timeoutMs = 5000) {
    const frame = await this.next((f) => (f.t === 'batch' || f.t === 'chat') && f.events.some((e: any) => e.type === type && match(e)), timeoutMs);
    return frame.events.find((e: any) => e.type === type && match(e));
  }

  events(type: string) {
    return this.frames.filter((f) => f.t === 'batch' || f.t === 'chat').flatMap((f) => f.events.filter((e: any) => e.type === type));
  }

  async chat(text: string, nonce = Math.random().toString(36).slice(2)) {
    this.send({ t: 'chat', text, nonce });
    return this.next((f) => (f.t === 'ack' || f.t === 'error') && f.nonce === nonce);
  }

  closedWith(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket not closed')), timeoutMs);
      this.ws.once('close', (code, reason) => (clearTimeout(timer), resolve({ code, reason: reason.toString() })));
    });
  }

  close() {
    this.ws.close();
  }
}
