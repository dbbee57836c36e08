import crypto from 'node:crypto';
import { WebSocket } from 'ws';
import type { Answer, HttpClient, ZhiboProcess } from './process.ts';

export type Attempt = Answer & { at: number; code?: string; orderId?: string };

/**
 * Buyers trickling into a sale: `workers` loops, each sending one purchase every `gapMs`, until told
 * to stop. Every answer is kept with when it was asked.
 */
export function trickle(buyers: { client: HttpClient }[], saleId: string, options: { workers: number; gapMs: number }) {
  const attempts: Attempt[] = [];
  let stopped = false;
  let next = 0;
  const worker = async () => {
    while (!stopped) {
      const buyer = buyers[next++ % buyers.length]!;
      const at = Date.now();
      try {
        const answer = await buyer.client.call('POST', `/api/flash-sales/${saleId}/orders`, { quantity: 1 }, { 'idempotency-key': crypto.randomUUID() });
        attempts.push({ ...answer, at, code: answer.json?.error?.code, orderId: answer.status === 201 ? answer.json.order.id : undefined });
      } catch (error) {
        attempts.push({ status: 0, json: null, ms: Date.now() - at, at, code: (error as Error).message });
      }
      await new Promise((r) => setTimeout(r, options.gapMs));
    }
  };
  const running = Promise.all(Array.from({ length: options.workers }, worker));
  return {
    attempts,
    acked: () => attempts.filter((a) => a.status === 201),
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function percentile(values: number[], p: number) {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A room socket that says hello and records what it gets. */
export function viewer(node: ZhiboProcess, sessionId: string, cookie?: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${node.port}/ws/rooms/${sessionId}`, { headers: cookie ? { cookie } : {} });
  const frames: any[] = [];
  let closed: number | null = null;
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  ws.on('close', (code) => (closed = code));
  const events = () => frames.flatMap((f) => (f.t === 'batch' || f.t === 'chat' ? (f.events as any[]) : []));
  return {
    ws,
    frames,
    events,
    closed: () => closed,
    ready: new Promise<void>((resolve, reject) => {
      ws.once('open', () => ws.send(JSON.stringify({ t: 'hello', v: 1 })));
      ws.once('error', reject);
      ws.on('message', (data) => JSON.parse(data.toString()).t === 'snapshot' && resolve());
    }),
    chat: (text: string) => ws.send(JSON.stringify({ t: 'chat', text, nonce: crypto.randomUUID() })),
    saw: (text: string) => events().some((e) => e.type === 'chat' && e.text === text),
  };
}

