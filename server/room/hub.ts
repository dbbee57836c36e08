import type { Socket } from 'node:net';
import * as wsModule from 'ws';
import type { WebSocket } from 'ws';

type FrameOptions = { fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean };
type SenderClass = { frame(data: Buffer, options: FrameOptions): Buffer[] };
// ws exports Sender by name from its ES module and as WebSocket.Sender from its CommonJS entry.
const Sender = ((wsModule as unknown as { Sender?: SenderClass }).Sender ??
  (wsModule as unknown as { default: { Sender: SenderClass } }).default.Sender) as SenderClass;
import type { RoomBus, RoomCounts, RoomEvent } from './bus.ts';

export type Viewer = {
  socket: WebSocket;
  userId: string | null;
  /** Anonymous viewers get a per-connection id for the unique-viewer count. */
  visitorId: string;
  role: 'viewer' | 'streamer' | 'assistant' | 'operator';
};

export type HubOptions = {
  /** The tick in a room of ordinary size. */
  tickMs: number;
  /**
   * Socket writes per second one room may cost this node (0: no limit). A room whose viewers would need
   * more at `tickMs` gets a longer tick: each write then carries more messages (10,000 viewers at
   * 60,000 writes/s → a 167 ms tick).
   */
  writesPerSecond?: number;
  /** Ordinary chat messages delivered per tick before the rest are sampled away. */
  maxChatPerTick: number;
  /** A socket with more than this many bytes unsent is disconnected (code 4008). */
  maxBufferedBytes: number;
  nodeId: string;
};

const RESUME_BATCHES = 200;
const COUNTS_EVERY_MS = 300;

/**
 * One live room on this node: every viewer's socket, and the tick that turns the room's events into
 * one batch frame, serialized once and written to every socket. A node subscribes to a room's bus
 * channel only while it has viewers in it.
 */
export class RoomHub {
  readonly viewers = new Set<Viewer>();
  private seq = 0;
  private readonly history: { seq: number; frame: string }[] = [];
  private priority: RoomEvent[] = [];
  private chat: RoomEvent[] = [];
  private keyed = new Map<string, RoomEvent>();
  private likes = 0;
  private countsAt = 0;
  private counts: RoomCounts = { online: 0, peak: 0, uv: 0, likes: 0 };
  private countsDirty = true;
  private timer: NodeJS.Timeout | null = null;
  private currentTickMs = 0;
  private unsubscribe: (() => Promise<void>) | null = null;
  private subscribing: Promise<void> | null = null;
  thinnedTotal = 0;
  droppedTotal = 0;

  constructor(
    readonly roomId: string,
    private readonly bus: RoomBus,
    private readonly options: HubOptions,
    private readonly onEmpty: () => void,
  ) {}

  get lastSeq() {
    return this.seq;
  }

  async join(viewer: Viewer) {
    this.viewers.add(viewer);
    this.subscribing ??= this.bus.subscribe(this.roomId, (event) => this.accept(event)).then((off) => {
      this.unsubscribe = off;
    });
    await this.subscribing;
    this.schedule();
    this.countsDirty = true;
    await this.bus.addViewer(this.roomId, viewer.visitorId);
  }

  /** The tick for the room's size now. */
  tickMs() {
    const budget = this.options.writesPerSecond ?? 0;
    if (!budget) return this.options.tickMs;
    return Math.min(1000, Math.max(this.options.tickMs, Math.round((this.viewers.size * 1000) / budget)));
  }

  /** (Re)starts the tick timer when the room's size calls for another interval (±10 %). */
  private schedule() {
    const wanted = this.tickMs();
    if (this.timer && Math.abs(wanted - this.currentTickMs) <= this.currentTickMs * 0.1) return;
    if (this.timer) clearInterval(this.timer);
    this.currentTickMs = wanted;
    this.timer = setInterval(() => this.tick(), wanted);
  }

  leave(viewer: Viewer) {
    if (!this.viewers.delete(viewer)) return;
    this.countsDirty = true;
    if (!this.viewers.size) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      void this.bus.reportOnline(this.roomId, this.options.nodeId, 0);
      void this.unsubscribe?.();
      this.onEmpty();
    }
  }

  /** The batches after `seq`, if this node still holds them all. */
  replaySince(seq: number): string[] | null {
    if (seq === this.seq) return [];
    const first = this.history[0];
    if (!first || seq < first.seq - 1 || seq > this.seq) return null;
    return this.history.filter((h) => h.seq > seq).map((h) => h.frame);
  }

  like(n: number) {
    this.likes += n;
  }

  currentCounts() {
    return this.counts;
  }

  private accept(event: RoomEvent) {
    if (event.to) {
      // Addressed to one user: sent at once, outside the shared batch.
      const frame = JSON.stringify({ t: 'batch', seq: this.seq, events: [event], personal: true });
      for (const viewer of this.viewers) if (viewer.userId === event.to) this.send(viewer, frame);
      return;
    }
    if (event.key) this.keyed.set(event.key, event);
    else if (event.type === 'chat' && !event.priority) this.chat.push(event);
    else this.priority.push(event);
  }

  private async refreshCounts(now: number) {
    this.countsAt = now;
    if (this.likes) {
      const n = this.likes;
      this.likes = 0;
      await this.bus.addLikes(this.roomId, n);
    }
    await this.bus.reportOnline(this.roomId, this.options.nodeId, this.viewers.size);
    const counts = await this.bus.counts(this.roomId);
    if (JSON.stringify(counts) !== JSON.stringify(this.counts)) {
      this.counts = counts;
      this.countsDirty = true;
    }
  }

  private tick() {
    const now = Date.now();
    if (now - this.countsAt >= COUNTS_EVERY_MS) {
      void this.refreshCounts(now).catch(() => undefined);
      if (this.viewers.size) this.schedule();
    }
    const chat = this.chat;
    let thinned = 0;
    let sampled = chat;
    if (chat.length > this.options.maxChatPerTick) {
      // Evenly spaced sample: keeps the flow's shape without favouring the start of the tick.
      const step = chat.length / this.options.maxChatPerTick;
      sampled = Array.from({ length: this.options.maxChatPerTick }, (_, i) => chat[Math.floor(i * step)]!);
      thinned = chat.length - sampled.length;
      this.thinnedTotal += thinned;
    }
    const events = [...this.priority, ...this.keyed.values(), ...sampled];
    this.priority = [];
    this.chat = [];
    this.keyed = new Map();
    if (!events.length && !this.countsDirty) return;
    this.seq += 1;
    const frame = JSON.stringify({ t: 'batch', seq: this.seq, events, counts: this.counts, ...(thinned && { thinned }) });
    this.countsDirty = false;
    this.history.push({ seq: this.seq, frame });
    if (this.history.length > RESUME_BATCHES) this.history.shift();
    // The WebSocket frame is built once (server frames are unmasked) and the same bytes are written to
    // every viewer's TCP socket: one write per viewer per tick, with no per-viewer encoding.
    const wire = Buffer.concat(Sender.frame(Buffer.from(frame), { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false }));
    for (const viewer of this.viewers) this.sendWire(viewer, wire);
  }

  private sendWire(viewer: Viewer, wire: Buffer) {
    const tcp = (viewer.socket as unknown as { _socket?: Socket })._socket;
    if (viewer.socket.readyState !== 1 || !tcp || tcp.destroyed) return;
    if (tcp.writableLength > this.options.maxBufferedBytes) {
      this.droppedTotal++;
      viewer.socket.close(4008, 'SLOW_CONSUMER');
      this.leave(viewer);
      return;
    }
    tcp.write(wire);
  }

  send(viewer: Viewer, frame: string) {
    const { socket } = viewer;
    if (socket.readyState !== 1) return;
    if (socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.droppedTotal++;
      socket.close(4008, 'SLOW_CONSUMER');
      this.leave(viewer);
      return;
    }
    socket.send(frame);
  }

  close() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const viewer of this.viewers) viewer.socket.close(1001, 'going away');
    this.viewers.clear();
    void this.unsubscribe?.();
  }
}

export class RoomHubs {
  private readonly hubs = new Map<string, RoomHub>();

  constructor(
    private readonly bus: RoomBus,
    private readonly options: HubOptions,
  ) {}

  get(roomId: string): RoomHub {
    let hub = this.hubs.get(roomId);
    if (!hub) {
      hub = new RoomHub(roomId, this.bus, this.options, () => this.hubs.delete(roomId));
      this.hubs.set(roomId, hub);
    }
    return hub;
  }

  peek(roomId: string) {
    return this.hubs.get(roomId);
  }

  closeAll() {
    for (const hub of this.hubs.values()) hub.close();
    this.hubs.clear();
  }
}
