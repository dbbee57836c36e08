// Load generator for bench/viewers.ts, run as its own process: opens N HTTP-FLV connections and
// counts the bytes each receives. It parses nothing, so it stays cheap next to the server.
import net from 'node:net';

const [url, countArg, secondsArg, warmupArg] = process.argv.slice(2);
const target = new URL(url!);
const count = Number(countArg);
const seconds = Number(secondsArg);
const warmup = Number(warmupArg ?? 2);

type Viewer = { bytes: number; windowStart: number; closed: boolean };
const viewers: Viewer[] = [];
const sockets: net.Socket[] = [];
const cpuStart = process.cpuUsage();

function open(): Promise<void> {
  return new Promise((resolve) => {
    const viewer: Viewer = { bytes: 0, windowStart: 0, closed: false };
    viewers.push(viewer);
    const socket = net.connect({ host: target.hostname, port: Number(target.port) }, () => {
      socket.write(`GET ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: keep-alive\r\n\r\n`);
      resolve();
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      viewer.bytes += chunk.length;
    });
    socket.on('close', () => {
      viewer.closed = true;
    });
    socket.on('error', () => {
      viewer.closed = true;
      resolve();
    });
    sockets.push(socket);
  });
}

for (let i = 0; i < count; i += 100) {
  await Promise.all(Array.from({ length: Math.min(100, count - i) }, open));
}
await new Promise((r) => setTimeout(r, warmup * 1000));
const start = viewers.map((v) => v.bytes);
const t0 = Date.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
const elapsed = (Date.now() - t0) / 1000;
const rates = viewers.map((v, i) => ((v.bytes - start[i]!) * 8) / elapsed / 1000);
const cpu = process.cpuUsage(cpuStart);
for (const socket of sockets) socket.destroy();
console.log(
  JSON.stringify({
    viewers: count,
    closed: viewers.filter((v) => v.closed).length,
    rates_kbps: rates.map((r) => Math.round(r)),
    load_cpu_s: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
  }),
);
process.exit(0);
