// Load generator for bench/room.ts, in its own process. N viewers join one room; P of them are
// logged in and post chat at R msgs/s in total (each at most once a second), stamped with the send
// time; every viewer sends likes. Most viewers only count frames; a sample parses every frame to
// measure delivery latency and messages per frame. Target: zhibo (protocol v1) or socketio (baseline).
import { io as ioClient, type Socket } from 'socket.io-client';
import WebSocket from 'ws';

type Args = { target: 'zhibo' | 'socketio'; url: string; room: string; viewers: number; rate: number; seconds: number; cookies: string[] };
const args = JSON.parse(process.argv[2]!) as Args;
const SAMPLE_EVERY = 50;
const latencies: number[] = [];
let sampleEvents = 0;
let sampleFrames = 0;
let totalFrames = 0;
let disconnected = 0;
let measuring = false;
let cpuStart = process.cpuUsage();

type Viewer = { send: (text: string) => void; like: (n: number) => void; close: () => void };
const viewers: Viewer[] = [];

function onEvents(events: { type?: string; text?: string }[], sampled: boolean) {
  if (!measuring) return;
  totalFrames++;
  if (!sampled) return;
  sampleFrames++;
  const now = Date.now();
  for (const e of events) {
    if (e.type !== 'chat' || !e.text) continue;
    sampleEvents++;
    const stamp = Number(e.text.slice(e.text.lastIndexOf('@') + 1));
    if (stamp) latencies.push(now - stamp);
  }
}

function openZhibo(i: number, cookie: string | undefined): Promise<Viewer> {
  return new Promise((resolve) => {
    // A browser would check UTF-8 and negotiate compression; the generator skips both to stay cheap.
    const ws = new WebSocket(`${args.url.replace('http', 'ws')}/ws/rooms/${args.room}`, { headers: cookie ? { cookie } : {}, skipUTF8Validation: true, perMessageDeflate: false });
    const sampled = i % SAMPLE_EVERY === 0;
    ws.on('open', () => {
      ws.send(JSON.stringify({ t: 'hello', v: 1 }));
      resolve({ send: (text) => ws.send(JSON.stringify({ t: 'chat', text })), like: (n) => ws.send(JSON.stringify({ t: 'like', n })), close: () => ws.terminate() });
    });
    ws.on('message', (data: Buffer) => {
      if (!measuring) return;
      if (!sampled) {
        // Cheap: a batch frame starts with {"t":"batch"; count it without parsing.
        if (data[6] === 0x62) totalFrames++;
        return;
      }
      const frame = JSON.parse(data.toString()) as { t: string; events?: { type?: string; text?: string }[] };
      if (frame.t === 'batch') onEvents(frame.events ?? [], true);
    });
    ws.on('close', () => measuring && disconnected++);
    ws.on('error', () => undefined);
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

for (let i = 0; i < args.viewers; i += 200) {
  await Promise.all(Array.from({ length: Math.min(200, args.viewers - i) }, (_, k) => (args.target === 'zhibo' ? openZhibo(i + k, args.cookies[i + k]) : openSocketIo(i + k))).map((p) => p.then((v) => viewers.push(v))));
}
await new Promise((r) => setTimeout(r, 2000));
measuring = true;
// The generator's own CPU is counted over the measured window only (not the connection set-up).
cpuStart = process.cpuUsage();
const posters = viewers.slice(0, Math.max(1, args.cookies.length));
const start = Date.now();
let sent = 0;
// Spread the posters over each second so the room sees a steady R msgs/s.
const interval = 1000 / args.rate;
const sender = setInterval(() => {
  const due = Math.floor(((Date.now() - start) / 1000) * args.rate) - sent;
  for (let k = 0; k < due; k++) {
    const poster = posters[sent % posters.length]!;
    poster.send(`弹幕 ${sent} @${Date.now()}`);
    sent++;
  }
  // Likes at 5×R, spread over random viewers.
  viewers[Math.floor(Math.random() * viewers.length)]!.like(Math.min(50, Math.max(1, Math.round(5 * args.rate * interval / 1000))));
}, Math.max(5, interval));
await new Promise((r) => setTimeout(r, args.seconds * 1000));
clearInterval(sender);
const elapsed = (Date.now() - start) / 1000;
await new Promise((r) => setTimeout(r, 500));
measuring = false;
const cpu = process.cpuUsage(cpuStart);
const eventsPerFrame = sampleFrames ? sampleEvents / sampleFrames : 0;
latencies.sort((x, y) => x - y);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? null;
console.log(JSON.stringify({
  sent,
  chat_in_per_s: Math.round(sent / elapsed),
  delivered_per_s: Math.round((totalFrames * (args.target === 'zhibo' ? eventsPerFrame : 1)) / elapsed),
  p50_ms: pct(50),
  p99_ms: pct(99),
  max_ms: latencies.at(-1) ?? null,
  disconnected,
  load_cpu_s: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
}));
for (const v of viewers) v.close();
process.exit(0);
