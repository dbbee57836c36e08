// A validating layer in front of node-media-server's RTMP parser. That parser trusts its peer: it
// answers any first byte as a handshake, and it allocates (and zero-fills) a buffer as large as a chunk
// header says the message is, up to 16 MiB per chunk stream, before a byte of the message arrives; a
// malformed command can even throw out of its 'data' handler. The guard reads each input buffer first,
// the handshake lengths and every chunk header (payload bytes are only counted, never copied), and
// names the first thing a real H.264/AAC publisher never sends, so the connection closes before the
// parser sees it.
//
// The guard must agree with the parser on where chunks start and end; it follows the RTMP chunk
// framing as node-media-server reads it (chunk size changes, extended timestamps in type-3 chunks,
// clocks beyond 32 bits that make the parser drop a message).
import type { Logger } from 'pino';

export type RtmpLimits = {
  /** The largest audio, video or aggregate message (RTMP_MAX_MESSAGE_BYTES). */
  maxMessageBytes: number;
};

const RTMP_VERSION = 3;
const HANDSHAKE_PART = 1536;
const HEADER_SIZE = [11, 7, 3, 0] as const;
/** Commands, metadata and shared objects: connect/publish and onMetaData are well under 1 KiB. */
const SMALL_MESSAGE = 64 * 1024;
/** Room for commands, metadata and audio beside the largest video frame, on their own chunk streams. */
const CONNECTION_BUDGET_EXTRA = 1024 * 1024;
// Set Chunk Size below 128 is refused as SRS does; the spec forbids the top bit.
const MIN_CHUNK_SIZE = 128;
const MAX_CHUNK_SIZE = 0x7fffffff;

type ChunkStream = { length: number; type: number; timestamp: number; clock: number; bytes: number; claimed: number };

/** The largest length allowed per message type; types not listed close the connection. */
function limitFor(type: number, limits: RtmpLimits): { min: number; max: number } | null {
  switch (type) {
    case 1: // set chunk size
    case 2: // abort
    case 3: // acknowledgement
    case 5: // window acknowledgement size
      return { min: 4, max: 4 };
    case 6: // set peer bandwidth
      return { min: 5, max: 5 };
    case 4: // user control
      return { min: 2, max: 64 };
    case 8: // audio
    case 9: // video
    case 22: // aggregate
      return { min: 0, max: limits.maxMessageBytes };
    case 15: // AMF3 data
    case 16: // AMF3 shared object
    case 17: // AMF3 command
    case 18: // AMF0 data (onMetaData)
    case 19: // AMF0 shared object
    case 20: // AMF0 command (connect, publish, …)
      return { min: 0, max: Math.min(SMALL_MESSAGE, limits.maxMessageBytes) };
    default:
      return null;
  }
}

/**
 * One per connection. `inspect` is called with every input buffer before the parser gets it and
 * returns why the connection must close, or null. Once it has returned a reason the connection is
 * closed; the guard is not used again.
 */
export class RtmpGuard {
  private phase: 'c0' | 'c1' | 'c2' | 'header' | 'payload' = 'c0';
  private handshakeLeft = HANDSHAKE_PART;
  private readonly head = Buffer.alloc(16);
  private headHave = 0;
  private headNeed = 1;
  private stream: ChunkStream | null = null;
  // Chunk streams 2..63 (the one-byte form): nginx-rtmp allows 32 by default, encoders use a handful.
  private readonly streams: (ChunkStream | undefined)[] = new Array(64);
  private chunkSize = 128;
  private claimed = 0;
  private readonly budget: number;
  // The 4 payload bytes of a Set Chunk Size message, which changes where later chunks end.
  private readonly control = Buffer.alloc(4);
  private controlHave = 0;

  constructor(private readonly limits: RtmpLimits) {
    this.budget = limits.maxMessageBytes + CONNECTION_BUDGET_EXTRA;
  }

  /** True once a valid C0 and all of C1 have arrived: the server answers with S0 S1 S2. */
  get pastC1() {
    return this.phase !== 'c0' && this.phase !== 'c1';
  }

  inspect(data: Buffer): string | null {
    let at = 0;
    const end = data.length;
    while (at < end) {
      switch (this.phase) {
        case 'c0':
          if (data[at] !== RTMP_VERSION) return `not an RTMP handshake (first byte ${data[at]}, version 3 expected)`;
          at += 1;
          this.phase = 'c1';
          break;
        case 'c1':
        case 'c2': {
          const n = Math.min(this.handshakeLeft, end - at);
          at += n;
          this.handshakeLeft -= n;
          if (this.handshakeLeft === 0) {
            this.handshakeLeft = HANDSHAKE_PART;
            this.phase = this.phase === 'c1' ? 'c2' : 'header';
          }
          break;
        }
        case 'header': {
          if (this.headHave === 0) {
            const first = data[at]!;
            // 0 and 1 announce two- and three-byte chunk stream ids (64 and above).
            if ((first & 0x3f) < 2) return 'a chunk stream id above 63';
            this.headNeed = 1 + HEADER_SIZE[first >> 6]!;
          }
          while (this.headHave < this.headNeed && at < end) this.head[this.headHave++] = data[at++]!;
          if (this.headHave < this.headNeed) break;
          // The 4-byte extended timestamp follows when the 24-bit field is all ones (a type-3 chunk
          // repeats what its stream's last header said).
          const fmt = this.head[0]! >> 6;
          const id = this.head[0]! & 0x3f;
          const known = this.streams[id];
          const timestamp = fmt <= 2 ? this.head.readUIntBE(1, 3) : (known?.timestamp ?? 0);
          if (timestamp === 0xffffff && this.headNeed === 1 + HEADER_SIZE[fmt]!) {
            this.headNeed += 4;
            break;
          }
          const problem = this.onHeader(fmt, id, timestamp);
          if (problem) return problem;
          this.headHave = 0;
          this.phase = 'payload';
          // A message of length 0 ends with its header.
          if (this.stream!.length === 0) {
            const ended = this.endMessage();
            if (ended) return ended;
          }
          break;
        }
        case 'payload': {
          const s = this.stream!;
          const n = Math.min(this.chunkSize - (s.bytes % this.chunkSize), s.length - s.bytes, end - at);
          if (s.type === 1 && n > 0) {
            const take = Math.min(n, 4 - this.controlHave);
            data.copy(this.control, this.controlHave, at, at + take);
            this.controlHave += take;
          }
          s.bytes += n;
          at += n;
          if (s.bytes >= s.length) {
            const ended = this.endMessage();
            if (ended) return ended;
          } else if (s.bytes % this.chunkSize === 0) {
            this.phase = 'header';
          }
          break;
        }
      }
    }
    return null;
  }

  private onHeader(fmt: number, id: number, timestamp: number): string | null {
    let s = this.streams[id];
    if (!s) {
      // A chunk stream starts with a header that gives the message length and type.
      if (fmt > 1) return 'a chunk stream that starts without a message header';
      s = { length: 0, type: 0, timestamp: 0, clock: 0, bytes: 0, claimed: 0 };
      this.streams[id] = s;
    } else if (fmt < 3 && s.bytes > 0) {
      return 'a new message header in the middle of a message';
    }
    if (fmt <= 1) {
      const length = this.head.readUIntBE(4, 3);
      const type = this.head[7]!;
      const limit = limitFor(type, this.limits);
      if (!limit) return `RTMP message type ${type}`;
      if (length > limit.max) return `a ${length}-byte message of type ${type} (at most ${limit.max})`;
      if (length < limit.min) return `a ${length}-byte message of type ${type} (${limit.min} expected)`;
      // node-media-server keeps, per chunk stream, a buffer as large as the largest message claimed on it.
      if (length > s.claimed) {
        if (this.claimed + length - s.claimed > this.budget) return `chunk streams claiming more than ${this.budget} bytes together`;
        this.claimed += length - s.claimed;
        s.claimed = length;
      }
      s.length = length;
      s.type = type;
    }
    if (fmt <= 2) s.timestamp = timestamp;
    if (s.bytes === 0) {
      const value = timestamp === 0xffffff ? this.head.readUInt32BE(this.headNeed - 4) : timestamp;
      s.clock = fmt === 0 ? value : s.clock + value;
      this.controlHave = 0;
    }
    this.stream = s;
    return null;
  }

  /** A message is complete: a Set Chunk Size takes effect, unless the parser drops the message. */
  private endMessage(): string | null {
    const s = this.stream!;
    s.bytes = 0;
    this.phase = 'header';
    // The parser skips a message whose clock has run past 32 bits.
    if (s.type !== 1 || s.clock > 0xffffffff) return null;
    const size = this.control.readUInt32BE(0);
    if (size < MIN_CHUNK_SIZE || size > MAX_CHUNK_SIZE) return `chunk size ${size} (${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE})`;
    this.chunkSize = size;
    return null;
  }
}

/** Normalizes an IPv4-mapped IPv6 address, so one client counts once whichever way it arrives. */
export function clientAddress(remote: string | undefined): string | null {
  if (!remote) return null;
  return remote.startsWith('::ffff:') && remote.includes('.') ? remote.slice(7) : remote;
}

type Entry = { until: number; counts: Record<string, number> };
const MAX_ADDRESSES = 10_000;

/**
 * Logs what is done to abusive clients at most once per address per window (a minute), so a flood
 * cannot flood the logs: the first event of a window is logged, the rest are counted and reported
 * with the next line for that address, or once the window ends. Past 10,000 addresses in a window,
 * new ones share one entry ("*").
 */
export class AddressLog {
  private readonly entries = new Map<string, Entry>();
  // Sweeps once a window while there are entries, so held-back counts are reported even if the address goes quiet.
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly windowMs = 60_000,
  ) {}

  note(ip: string, kind: string, fields: Record<string, unknown>, message: string) {
    const now = Date.now();
    const key = this.entries.has(ip) || this.entries.size < MAX_ADDRESSES ? ip : '*';
    const entry = this.entries.get(key);
    if (entry && now < entry.until) {
      entry.counts[kind] = (entry.counts[kind] ?? 0) + 1;
      return;
    }
    const earlier = entry && Object.keys(entry.counts).length ? entry.counts : undefined;
    this.entries.set(key, { until: now + this.windowMs, counts: {} });
    this.sweeper ??= setInterval(() => this.sweep(), this.windowMs).unref();
    this.logger.warn({ ip: key, ...fields, ...(earlier && { alsoEarlier: earlier }) }, message);
  }

  private sweep() {
    const now = Date.now();
    for (const [ip, entry] of this.entries) {
      if (now < entry.until) continue;
      if (!Object.keys(entry.counts).length) {
        this.entries.delete(ip);
        continue;
      }
      // Report what the window held back, and start a new window for the address.
      this.logger.warn({ ip, closed: entry.counts }, 'rtmp: more connections from this address were closed in the last minute');
      this.entries.set(ip, { until: now + this.windowMs, counts: {} });
    }
    if (!this.entries.size && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }
}
