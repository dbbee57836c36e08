// Load generator for bench/flash-sale.ts, in its own process so its CPU is counted apart from the
// server's. Reads its job from a JSON file (argv[2]): the server, the buyers' session cookies, K and C.
//   1. prepares: one GET /api/auth/session per buyer for the _csrf cookie and the token (not timed),
//      over the C keep-alive connections the burst will use (a buyer in the room already has one);
//   2. prints {"ready":true} and waits for one stdin line {"saleId","startsAt"};
//   3. at startsAt fires B × K purchase attempts (shuffled, so one buyer's attempts may overlap) from
//      C connections, one request at a time on each, and prints one JSON line with the result.
// It speaks HTTP/1.1 over plain sockets with prebuilt requests: Node's http client costs 170–250 µs of
// CPU per request on this machine, more than the measured server can spare on the other core.
import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';

type Job = { base: string; serverPid: number; cookies: string[]; attemptsPerBuyer: number; concurrency: number };
const job = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as Job;
const url = new URL(job.base);
const HOST = `${url.hostname}:${url.port}`;

type Reply = { status: number; head: string; body: Buffer };

/** One keep-alive HTTP/1.1 connection, one request at a time; reconnects when the server closed it. */
class Connection {
  private socket: net.Socket | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;

  private open() {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.parse();
    });
    const fail = (error: Error) => {
      if (this.socket === socket) this.socket = null;
      const w = this.waiting;
      this.waiting = null;
      this.buffer = Buffer.alloc(0);
      w?.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
    this.socket = socket;
  }

  private parse() {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0 || !this.waiting) return;
    const head = this.buffer.toString('latin1', 0, end);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length) {
      this.waiting.reject(new Error(`response without content-length: ${head.slice(0, 200)}`));
      this.waiting = null;
      return;
    }
    const total = end + 4 + Number(length[1]);
    if (this.buffer.length < total) return;
    const reply = { status: Number(head.slice(9, 12)), head, body: this.buffer.subarray(end + 4, total) };
    this.buffer = this.buffer.subarray(total);
    const w = this.waiting;
    this.waiting = null;
    w.resolve(reply);
  }

  request(bytes: Buffer): Promise<Reply> {
    if (!this.socket) this.open();
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket!.write(bytes);
    });
  }

  close() {
    this.socket?.destroy();
  }
}

function procCpuS(pid: number) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(stat[11]) + Number(stat[12])) / 100;
}

const connections = Array.from({ length: job.concurrency }, () => new Connection());

/** Each connection takes the next item until none are left. */
async function pool<T>(items: T[], fn: (item: T, connection: Connection) => Promise<void>) {
  let next = 0;
  await Promise.all(
    connections.slice(0, Math.min(connections.length, items.length)).map(async (connection) => {
      while (next < items.length) await fn(items[next++]!, connection);
    }),
  );
}

// --- 1. prepare: a CSRF token per buyer ---
type Buyer = { cookie: string; request: Buffer | null };
const buyers: Buyer[] = job.cookies.map((cookie) => ({ cookie, request: null }));
const tokens = new Map<Buyer, string>();
const prepStart = Date.now();
await pool(buyers, async (buyer, connection) => {
  const res = await connection.request(Buffer.from(`GET /api/auth/session HTTP/1.1\r\nHost: ${HOST}\r\nCookie: ${buyer.cookie}\r\n\r\n`, 'latin1'));
  if (res.status !== 200) throw new Error(`GET /api/auth/session answered ${res.status}: ${res.body.toString().slice(0, 200)}`);
  const parsed = JSON.parse(res.body.toString()) as { user: { id: string } | null; csrfToken: string };
  if (!parsed.user) throw new Error('a buyer session was not recognised by the server');
  const csrfCookie = /\r\nset-cookie:\s*(_csrf=[^;\r\n]*)/i.exec(res.head)?.[1];
  if (!csrfCookie) throw new Error('no _csrf cookie');
  buyer.cookie = `${buyer.cookie}; ${csrfCookie}`;
  tokens.set(buyer, parsed.csrfToken);
});
console.log(JSON.stringify({ ready: true, prepare_ms: Date.now() - prepStart }));

// --- 2. wait for the sale ---
const rl = readline.createInterface({ input: process.stdin });
const go = await new Promise<{ saleId: string; startsAt: string }>((resolve) => rl.once('line', (line) => resolve(JSON.parse(line))));
rl.close();
const body = JSON.stringify({ quantity: 1 });
for (const buyer of buyers) {
  buyer.request = Buffer.from(
    `POST /api/flash-sales/${go.saleId}/orders HTTP/1.1\r\nHost: ${HOST}\r\nCookie: ${buyer.cookie}\r\nX-CSRF-Token: ${tokens.get(buyer)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    'utf8',
  );
}
const wait = Date.parse(go.startsAt) - Date.now() + 20;
if (wait > 0) await new Promise((r) => setTimeout(r, wait));

// --- 3. the burst ---
const attempts: Buyer[] = [];
for (let k = 0; k < job.attemptsPerBuyer; k++) attempts.push(...buyers);
// Fisher-Yates with a fixed seed: reproducible, and a buyer's attempts can be in flight together.
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
for (let i = attempts.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [attempts[i], attempts[j]] = [attempts[j]!, attempts[i]!];
}

const latencies = new Float64Array(attempts.length);
const createdLatencies: number[] = [];
const statusCounts: Record<string, number> = {};
const codeCounts: Record<string, number> = {};
const orderIds: string[] = [];
let netErrors = 0;
let done = 0;
// BENCH_FLASH_TRACE=<file>: one line per attempt (start offset ms, latency ms, status).
const trace: string[] | null = process.env.BENCH_FLASH_TRACE ? [] : null;

const cpu0 = process.cpuUsage();
const server0 = procCpuS(job.serverPid);
const t0 = performance.now();
await pool(attempts, async (buyer, connection) => {
  const start = performance.now();
  let status = 0;
  try {
    const res = await connection.request(buyer.request!);
    status = res.status;
    if (status === 201) orderIds.push((JSON.parse(res.body.toString()) as { order: { id: string } }).order.id);
    else {
      const code = /"code":"([A-Z_]+)"/.exec(res.body.toString('latin1'))?.[1] ?? 'none';
      codeCounts[code] = (codeCounts[code] ?? 0) + 1;
    }
  } catch {
    netErrors++;
  }
  const ms = performance.now() - start;
  if (trace) trace.push(`${(start - t0).toFixed(1)} ${ms.toFixed(1)} ${status}`);
  latencies[done++] = ms;
  if (status === 201) createdLatencies.push(ms);
  statusCounts[status] = (statusCounts[status] ?? 0) + 1;
});
const wallS = (performance.now() - t0) / 1000;
const server1 = procCpuS(job.serverPid);
const cpu = process.cpuUsage(cpu0);
for (const c of connections) c.close();
if (trace) fs.writeFileSync(process.env.BENCH_FLASH_TRACE!, trace.join('\n'));

const pct = (values: ArrayLike<number>, p: number) => {
  if (!values.length) return null;
  const sorted = Float64Array.from(values).sort();
  return Number(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!.toFixed(1));
};

console.log(
  JSON.stringify({
    attempts: attempts.length,
    wall_s: Number(wallS.toFixed(3)),
    attempts_per_s: Math.round(attempts.length / wallS),
    p50_ms: pct(latencies, 50),
    p99_ms: pct(latencies, 99),
    max_ms: pct(latencies, 100),
    created_p50_ms: pct(createdLatencies, 50),
    created_p99_ms: pct(createdLatencies, 99),
    status_counts: statusCounts,
    error_codes: codeCounts,
    net_errors: netErrors,
    server_cpu_pct: Math.round(((server1 - server0) / wallS) * 100),
    loadgen_cpu_pct: Math.round(((cpu.user + cpu.system) / 1e6 / wallS) * 100),
    order_ids: orderIds,
  }),
);
