// Load generator for bench/room.ts, in its own process. N viewers join one room; P of them are
// logged in and post chat at R msgs/s in total (each at most once a second), stamped with the send
// time; every viewer sends likes. Most viewers only count frames; a sample parses every frame to
// measure delivery latency and messages per frame. Target: zhibo (protocol v1) or socketio (baseline).
import crypto from 'node:crypto';
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io as ioClient, type Socket } from 'socket.io-client';
import WebSocket from 'ws';

type Args = { target: 'zhibo' | 'socketio'; url: string; urls?: string[]; room: string; viewers: number; rate: number; seconds: number; cookies: string[]; operatorCookie?: string; priorityRate?: number };
const args = JSON.parse(process.argv[2]!) as Args;
// A prime, so that the sample spreads over the server's write groups (viewers are grouped round-robin).
const SAMPLE_EVERY = 53;
const latencies: number[] = [];
/** Messages from the operator (never thinned: every viewer gets them in the numbered batches). */
const priorityLatencies: number[] = [];
/** For the sample: send → the server's accept (`at`), and accept → receipt. */
const ingress: number[] = [];
const egress: number[] = [];
let sampleEvents = 0;
let sampleFrames = 0;
/** Ordinary chat the sampled viewers were told was thinned away (the frames' `thinned`). */
let sampleThinned = 0;
let sampledViewers = 0;
let totalFrames = 0;
let disconnected = 0;
let measuring = false;
let cpuStart = process.cpuUsage();

type Viewer = { send: (text: string) => void; like: (n: number) => void; close: () => void };
const viewers: Viewer[] = [];

function onEvents(events: { type?: string; text?: string; at?: string; user?: { role?: string } }[], sampled: boolean) {
  if (!measuring) return;
  totalFrames++;
  if (!sampled) return;
  sampleFrames++;
  const now = Date.now();
  for (const e of events) {
    if (e.type !== 'chat' || !e.text) continue;
    sampleEvents++;
    const stamp = Number(e.text.slice(e.text.lastIndexOf('@') + 1));
    if (!stamp) continue;
    if (e.user?.role === 'operator') {
      priorityLatencies.push(now - stamp);
      continue;
    }
    latencies.push(now - stamp);
    const at = e.at ? Date.parse(e.at) : NaN;
    if (at) {
      ingress.push(at - stamp);
      egress.push(now - at);
    }
  }
}

/** Viewer i's server: viewers are spread round-robin over the nodes. */
const urlOf = (i: number) => (args.urls?.length ? args.urls[i % args.urls.length]! : args.url);

/** A sampled viewer: a `ws` client that parses every frame (latency, messages per frame, thinned counts). */
function openSampledZhibo(i: number, cookie: string | undefined): Promise<Viewer> {
  return new Promise((resolve) => {
    // A browser would check UTF-8 and negotiate compression; the generator skips both to stay cheap.
    const ws = new WebSocket(`${urlOf(i).replace('http', 'ws')}/ws/rooms/${args.room}`, { headers: cookie ? { cookie } : {}, skipUTF8Validation: true, perMessageDeflate: false });
    sampledViewers++;
    ws.on('open', () => {
      ws.send(JSON.stringify({ t: 'hello', v: 1 }));
      resolve({ send: (text) => ws.send(JSON.stringify({ t: 'chat', text })), like: (n) => ws.send(JSON.stringify({ t: 'like', n })), close: () => ws.terminate() });
    });
    ws.on('message', (data: Buffer) => {
      if (!measuring) return;
      const frame = JSON.parse(data.toString()) as { t: string; events?: { type?: string; text?: string; user?: { role?: string } }[]; thinned?: number };
      if (frame.thinned) sampleThinned += frame.thinned;
      // Numbered batches, and in a room of several write groups each group's sampled chat.
      if (frame.t === 'batch' || frame.t === 'chat') onEvents(frame.events ?? [], true);
    });
    ws.on('close', () => measuring && disconnected++);
    ws.on('error', () => undefined);
  });
}

/** A client frame: masked, as RFC 6455 requires, with a zero key (the payload bytes stay as they are). */
function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, Buffer.alloc(4), payload]);
}

/**
 * The cheap viewer: a raw TCP socket that does the WebSocket upgrade itself and then only walks the
 * frame headers to count frames, with no per-frame objects, events or UTF-8 checks. Most viewers
 * are this one; the sampled ones use \`ws\` and parse everything.
 */
const READ_BUFFER = Buffer.alloc(256 * 1024);

function openRawZhibo(i: number, cookie: string | undefined): Promise<Viewer> {
  return new Promise((resolve) => {
    const url = new URL(urlOf(i));
    // onread with one shared buffer: no Buffer per read and no 'data' event (the chunk is consumed
    // before the callback returns; a split frame header is copied out).
    const socket = net.connect({
      host: url.hostname,
      port: Number(url.port),
      onread: {
        buffer: READ_BUFFER,
        callback: (nread: number, buffer: Uint8Array) => {
          onChunk(Buffer.from(buffer.buffer, buffer.byteOffset, nread));
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    let upgraded = false;
    let head = Buffer.alloc(0);
    let skip = 0; // payload bytes of the current frame still to come
    let partial = Buffer.alloc(0); // a frame header split across chunks
    const walk = (chunk: Buffer) => {
      let data = partial.length ? Buffer.concat([partial, chunk]) : chunk;
      partial = Buffer.alloc(0);
      let i = 0;
      while (i < data.length) {
        if (skip > 0) {
          const take = Math.min(skip, data.length - i);
          skip -= take;
          i += take;
          continue;
        }
        if (data.length - i < 2) break;
        let len = data[i + 1]! & 0x7f;
        let headerLen = 2;
        if (len === 126) {
          if (data.length - i < 4) break;
          len = data.readUInt16BE(i + 2);
          headerLen = 4;
        } else if (len === 127) {
          if (data.length - i < 10) break;
          len = Number(data.readBigUInt64BE(i + 2));
          headerLen = 10;
        }
        if (measuring && (data[i]! & 0x0f) === 1) totalFrames++;
        i += headerLen;
        skip = len;
      }
      if (i < data.length) partial = Buffer.from(data.subarray(i));
      data = Buffer.alloc(0);
    };
    socket.on('connect', () => {
      socket.write(
        `GET /ws/rooms/${args.room} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}\r\n`,
      );
    });
    const onChunk = (chunk: Buffer) => {
      if (upgraded) return walk(chunk);
      head = Buffer.concat([head, chunk]); // copies: the read buffer is reused
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      upgraded = true;
      socket.write(clientFrame(JSON.stringify({ t: 'hello', v: 1 })));
      resolve({ send: (text) => socket.write(clientFrame(JSON.stringify({ t: 'chat', text }))), like: (n) => socket.write(clientFrame(JSON.stringify({ t: 'like', n }))), close: () => socket.destroy() });
      if (head.length > end + 4) walk(head.subarray(end + 4));
    };
    socket.on('close', () => measuring && disconnected++);
    socket.on('error', () => undefined);
  });
}

function openSocketIo(i: number): Promise<Viewer> {
  return new Promise((resolve) => {
    const socket: Socket = ioClient(args.url, { transports: ['websocket'], reconnection: false, query: { room: args.room } });
    const sampled = i % SAMPLE_EVERY === 0;
    socket.on('connect', () => resolve({ send: (text) => socket.emit('chat', text), like: (n) => socket.emit('like', n), close: () => socket.close() }));
    socket.on('chat', (message: { text: string }) => {
      if (!measuring) return;
      if (!sampled) {
        totalFrames++;
        return;
      }
      onEvents([{ type: 'chat', text: message.text }], true);
    });
    socket.on('disconnect', () => measuring && disconnected++);
  });
}

// The last viewer is the operator (Zhibo only).
const cookieOf = (i: number) => (i === args.viewers - 1 && args.operatorCookie ? args.operatorCookie : args.cookies[i]);
for (let i = 0; i < args.viewers; i += 200) {
  await Promise.all(Array.from({ length: Math.min(200, args.viewers - i) }, (_, k) => (args.target === 'zhibo' ? ((i + k) % SAMPLE_EVERY === 0 ? openSampledZhibo(i + k, cookieOf(i + k)) : openRawZhibo(i + k, cookieOf(i + k))) : openSocketIo(i + k))).map((p, k) => p.then((v) => (viewers[i + k] = v))));
}
const operator = args.operatorCookie && args.priorityRate ? viewers[viewers.length - 1] : undefined;
await new Promise((r) => setTimeout(r, 2000));
measuring = true;
// A driver running other load alongside (bench/bigscreen.ts) starts it on this line; bench/room.ts reads only the last line.
console.log(JSON.stringify({ measuring: true }));
// The generator's own CPU is counted over the measured window only (not the connection set-up).
cpuStart = process.cpuUsage();
// The generator's own event-loop delay: a latency figure is only as good as the generator's promptness.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const posters = viewers.slice(0, Math.max(1, args.cookies.length));
const start = Date.now();
let sent = 0;
// Spread the posters over each second so the room sees a steady R msgs/s.
const interval = 1000 / args.rate;
let prioritySent = 0;
let likesSent = 0;
const sender = setInterval(() => {
  if (operator) {
    const due = Math.floor(((Date.now() - start) / 1000) * args.priorityRate!) - prioritySent;
    for (let k = 0; k < due; k++) operator.send(`运营公告 ${prioritySent++} @${Date.now()}`);
  }
  const due = Math.floor(((Date.now() - start) / 1000) * args.rate) - sent;
  for (let k = 0; k < due; k++) {
    const poster = posters[sent % posters.length]!;
    poster.send(`弹幕 ${sent} @${Date.now()}`);
    sent++;
  }
  // Likes at 5×R, spread over random viewers.
  const likes = Math.min(50, Math.max(1, Math.round(5 * args.rate * interval / 1000)));
  viewers[Math.floor(Math.random() * viewers.length)]!.like(likes);
  likesSent += likes;
}, Math.max(5, interval));
await new Promise((r) => setTimeout(r, args.seconds * 1000));
clearInterval(sender);
const elapsed = (Date.now() - start) / 1000;
await new Promise((r) => setTimeout(r, 500));
measuring = false;
const cpu = process.cpuUsage(cpuStart);
const eventsPerFrame = sampleFrames ? sampleEvents / sampleFrames : 0;
latencies.sort((x, y) => x - y);
const pctOf = (list: number[], p: number) => list[Math.min(list.length - 1, Math.floor((p / 100) * list.length))] ?? null;
const pct = (p: number) => pctOf(latencies, p);
ingress.sort((x, y) => x - y);
priorityLatencies.sort((x, y) => x - y);
egress.sort((x, y) => x - y);
console.log(JSON.stringify({
  sent,
  chat_in_per_s: Math.round(sent / elapsed),
  likes_sent: likesSent,
  elapsed_s: Number(elapsed.toFixed(2)),
  delivered_per_s: Math.round((totalFrames * (args.target === 'zhibo' ? eventsPerFrame : 1)) / elapsed),
  p50_ms: pct(50),
  p99_ms: pct(99),
  max_ms: latencies.at(-1) ?? null,
  disconnected,
  // Ordinary messages a second each viewer did not get (thinned away), from the sampled viewers.
  ...(args.target === 'zhibo' && { thinned_per_viewer_per_s: sampledViewers ? Math.round(sampleThinned / sampledViewers / elapsed) : 0 }),
  load_cpu_s: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
  load_loop_delay_p99_ms: Math.round(loopDelay.percentile(99) / 1e6),
  ...(priorityLatencies.length && { priority_p50_ms: pctOf(priorityLatencies, 50), priority_p99_ms: pctOf(priorityLatencies, 99) }),
  // Where the time goes (Zhibo only): from the generator's send to the server's accept, and from there to receipt.
  ...(ingress.length && { ingress_p50_ms: pctOf(ingress, 50), ingress_p99_ms: pctOf(ingress, 99), egress_p50_ms: pctOf(egress, 50), egress_p99_ms: pctOf(egress, 99) }),
}));
for (const v of viewers) v.close();
process.exit(0);
