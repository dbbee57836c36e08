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
  /**
   * The last batch `seq` this viewer has been sent (in its snapshot, a replay or a batch write).
   * Unset until the hub is told with `ready()`: until then the viewer gets no batches.
   */
  sentSeq?: number;
  /** The viewer's write group (see RoomHub). */
  group?: number;
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
  /** Ordinary chat messages delivered per `tickMs` before the rest are sampled away. */
  maxChatPerTick: number;
  /**
   * Ordinary chat deliveries per second one room may cost this node (messages × viewers; 0: no
   * limit). A room too big for `maxChatPerTick` at this budget is thinned harder: 500,000 a second
   * lets 1,000 viewers see 200 messages a second, and 10,000 viewers 50.
   */
  chatDeliveriesPerSecond?: number;
  /** Viewers per write group (default 1,000; at most 10 groups). */
  viewersPerGroup?: number;
  /** A socket with more than this many bytes unsent is disconnected (code 4008). */
  maxBufferedBytes: number;
  nodeId: string;
};

/** This node's room totals since start-up, read by /metrics (server/metrics): plain increments on the paths. */
export type RoomStats = { events: number; batches: number; writes: number; thinned: number; dropped: number };

/** Batches kept for resuming and for catching up a write group: at most this many, and this long. */
const HISTORY_MAX = 4000;
const HISTORY_MS = 30_000;
const COUNTS_EVERY_MS = 300;
const EMPTY = Buffer.alloc(0);

/** A room is split into write groups of about this many viewers, at most MAX_GROUPS of them. */
const VIEWERS_PER_GROUP = 1000;
const MAX_GROUPS = 10;

/** A server's WebSocket text frame (unmasked), built once and written as the same bytes to many sockets. */
export function textFrame(text: string): Buffer {
  return Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false }));
}

/** A server's close frame with `code` and `reason`. */
export function closeFrame(code: number, reason: string): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return Buffer.concat(Sender.frame(payload, { fin: true, rsv1: false, opcode: 8, mask: false, readOnly: false }));
}

/**
 * One live room on this node: every viewer's socket, and the tick that turns the room's events into
 * batch frames, serialized once and written as the same bytes to every socket. A node subscribes to
 * a room's bus channel only while it has viewers in it.
 *
 * A large room's viewers are split into write groups. The cycle (`tickMs()`, the time between two
 * writes to one viewer) is divided into one step per group: each step turns what arrived since the
 * last step into a batch, and writes every batch a group has not had yet, as one TCP write per
 * viewer, to that step's group. So each viewer still costs one write per cycle, but the writes are
 * spread evenly over the cycle instead of arriving as one burst of 10,000: the event loop stays free
 * for incoming chat, and a message waits at most one step to be batched plus one cycle for its
 * viewer's turn, instead of one cycle plus the whole burst.
 */
export class RoomHub {
  readonly viewers = new Set<Viewer>();
  private seq = 0;
  private readonly history: { seq: number; at: number; frame: string; wire: Buffer }[] = [];
  private groups: Set<Viewer>[] = [new Set()];
  /**
   * A room of several write groups: ordinary chat waits here (oldest first, numbered by `chatCount`)
   * instead of going into the shared batches, and each group, at its turn, gets the newest of what
   * arrived since its last write, as many as its allowance (see `serve`).
   */
  private fresh: { n: number; event: RoomEvent }[] = [];
  private chatCount = 0;
  private groupState: { chatSeen: number; allowance: number; servedAt: number }[] = [];
  private turn = 0;
  private joins = 0;
  private chatAllowance = 0;
  private lastStepAt = 0;
  private priority: RoomEvent[] = [];
  private chat: RoomEvent[] = [];
  private keyed = new Map<string, RoomEvent>();
  private likes = 0;
  private countsAt = 0;
  private counts: RoomCounts = { online: 0, peak: 0, uv: 0, likes: 0 };
  private countsDirty = true;
  private timer: NodeJS.Timeout | null = null;
  private currentStepMs = 0;
  private unsubscribe: (() => Promise<void>) | null = null;
  private subscribing: Promise<void> | null = null;
  thinnedTotal = 0;
  droppedTotal = 0;

  constructor(
    readonly roomId: string,
    private readonly bus: RoomBus,
    private readonly options: HubOptions,
    private readonly onEmpty: () => void,
    private readonly stats: RoomStats = { events: 0, batches: 0, writes: 0, thinned: 0, dropped: 0 },
  ) {}

  get lastSeq() {
    return this.seq;
  }

  /** Adds a viewer; it gets batches only after `ready()`, once its snapshot or replay is sent. */
  async join(viewer: Viewer) {
    this.viewers.add(viewer);
    viewer.group = this.joins++ % this.groups.length;
    this.groups[viewer.group]!.add(viewer);
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

  /** Ordinary chat messages a second each viewer gets, for the room's size now. */
  chatPerSecond() {
    const readable = (this.options.maxChatPerTick * 1000) / this.options.tickMs;
    const budget = this.options.chatDeliveriesPerSecond ?? 0;
    return budget ? Math.min(readable, budget / Math.max(1, this.viewers.size)) : readable;
  }

  /** The write groups the room is split into now (see `schedule` for when this follows `groupCount`). */
  get writeGroups() {
    return this.groups.length;
  }

  /** The number of write groups for the room's size now. */
  groupCount() {
    return Math.max(1, Math.min(MAX_GROUPS, Math.ceil(this.viewers.size / (this.options.viewersPerGroup ?? VIEWERS_PER_GROUP))));
  }

  /** The viewer has been sent everything up to `seq` (its snapshot or replay): batches after it follow. */
  ready(viewer: Viewer, seq: number) {
    viewer.sentSeq = seq;
  }

  /** (Re)starts the step timer when the room's size calls for another interval (±10 %) or group count. */
  private schedule() {
    let groups = this.groupCount();
    // Fewer groups only once the room is 10 % below the size that needs the current number: a room
    // hovering around a group boundary does not regroup (and restart its chat queue) at every leave.
    const perGroup = this.options.viewersPerGroup ?? VIEWERS_PER_GROUP;
    if (groups < this.groups.length && this.viewers.size > perGroup * (this.groups.length - 1) * 0.9) groups = this.groups.length;
    if (groups !== this.groups.length) {
      this.groups = Array.from({ length: groups }, () => new Set<Viewer>());
      // Each group starts with one turn's worth of chat allowance.
      const turn = (this.chatPerSecond() * this.tickMs()) / 1000;
      this.groupState = Array.from({ length: groups }, () => ({ chatSeen: this.chatCount, allowance: turn, servedAt: 0 }));
      let i = 0;
      for (const viewer of this.viewers) {
        viewer.group = i++ % groups;
        this.groups[viewer.group]!.add(viewer);
      }
    }
    const wanted = Math.max(5, Math.round(this.tickMs() / groups));
    if (this.timer && Math.abs(wanted - this.currentStepMs) <= this.currentStepMs * 0.1) return;
    if (this.timer) clearInterval(this.timer);
    this.currentStepMs = wanted;
    this.timer = setInterval(() => this.tick(), wanted);
  }

  leave(viewer: Viewer) {
    if (!this.viewers.delete(viewer)) return;
    if (viewer.group !== undefined) this.groups[viewer.group]?.delete(viewer);
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

  /** An event for this node's viewers only (not through the bus): the state resent after a Redis outage. */
  deliverLocal(event: RoomEvent) {
    this.accept(event);
  }

  private accept(event: RoomEvent) {
    this.stats.events++;
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
    this.batch(now);
    const g = this.turn++ % this.groups.length;
    this.serve(this.groups[g]!, g, now);
  }

  /** Turns what arrived since the last step into one batch (if there is anything to say). */
  private batch(now: number) {
    // Ordinary chat may pass at chatPerSecond(); what the step's allowance does not cover is sampled
    // away, evenly spaced so the flow keeps its shape without favouring the start of the step.
    const elapsed = this.lastStepAt ? now - this.lastStepAt : this.options.tickMs;
    this.lastStepAt = now;
    if (this.groups.length > 1) {
      for (const event of this.chat) this.fresh.push({ n: ++this.chatCount, event });
      this.chat = [];
      // What every group has passed over is no longer needed (and never more than 20,000 are kept).
      const seen = Math.min(...this.groupState.map((g) => g.chatSeen));
      let drop = 0;
      while (drop < this.fresh.length && (this.fresh[drop]!.n <= seen || this.fresh.length - drop > 20_000)) drop++;
      if (drop) this.fresh.splice(0, drop);
    }
    const perSecond = this.chatPerSecond();
    // Quiet moments save up at most one tick's worth.
    this.chatAllowance = Math.min(Math.max(1, (perSecond * this.options.tickMs) / 1000), this.chatAllowance + (perSecond * elapsed) / 1000);
    const chat = this.chat;
    let thinned = 0;
    let sampled = chat;
    const allowed = Math.floor(this.chatAllowance);
    if (chat.length > allowed) {
      const step = chat.length / allowed;
      sampled = Array.from({ length: allowed }, (_, i) => chat[Math.floor(i * step)]!);
      thinned = chat.length - sampled.length;
      this.thinnedTotal += thinned;
      this.stats.thinned += thinned;
    }
    this.chatAllowance -= sampled.length;
    const events = [...this.priority, ...this.keyed.values(), ...sampled];
    this.priority = [];
    this.chat = [];
    this.keyed = new Map();
    if (!events.length && !this.countsDirty && !thinned) return;
    this.seq += 1;
    this.stats.batches++;
    const frame = JSON.stringify({ t: 'batch', seq: this.seq, events, ...(this.countsDirty && { counts: this.counts }), ...(thinned && { thinned }) });
    this.countsDirty = false;
    // The WebSocket frame is built once (server frames are unmasked): every viewer gets these bytes.
    const wire = textFrame(frame);
    this.history.push({ seq: this.seq, at: now, frame, wire });
    while (this.history.length > HISTORY_MAX || (this.history.length > 1 && this.history[0]!.at < now - HISTORY_MS)) this.history.shift();
  }

  /**
   * Writes to each viewer of one group the batches it has not had, and in a room of several groups
   * the group's chat (see `freshChat`), as one TCP write. Viewers that are equally far behind (nearly
   * all of them) share one buffer.
   */
  private serve(group: Set<Viewer>, g: number, now: number) {
    // Taken even for an empty group, so that what it has passed over can be let go.
    const chat = this.groups.length > 1 ? this.freshChat(g, now) : null;
    if (!group.size) return;
    const wires = new Map<number, Buffer | null>();
    for (const viewer of group) {
      const sent = viewer.sentSeq;
      if (sent === undefined) continue;
      const behind = sent < this.seq;
      if (!behind && !chat) continue;
      let wire = wires.get(sent);
      if (wire === undefined) {
        const batches = behind ? this.wireSince(sent) : EMPTY;
        wire = batches && chat ? (batches.length ? Buffer.concat([batches, chat]) : chat) : batches;
        wires.set(sent, wire);
      }
      viewer.sentSeq = this.seq;
      if (wire) this.sendWire(viewer, wire);
      else {
        // Too far behind for the history this node holds: the client comes back for a snapshot.
        this.droppedTotal++;
        this.stats.dropped++;
        viewer.socket.close(4008, 'SLOW_CONSUMER');
        this.leave(viewer);
      }
    }
  }

  /**
   * The ordinary chat for write group `g` at its turn, as one `chat` frame (or null if there is
   * none): of the messages that arrived since the group's last turn, the newest, as many as its
   * allowance (`chatPerSecond()` for the time since its last turn, at most two cycles' worth). A
   * viewer who can see only some of the chat sees the freshest, instead of a sample that has
   * waited up to a whole cycle; the rest is counted in `thinned`. These frames are not numbered
   * and not replayed: thinned chat is a sample, not a record.
   */
  private freshChat(g: number, now: number): Buffer | null {
    const state = this.groupState[g];
    if (!state) return null;
    const perSecond = this.chatPerSecond();
    const cycle = this.tickMs();
    const elapsed = state.servedAt ? now - state.servedAt : cycle;
    state.servedAt = now;
    // A late turn keeps what it earned (up to two cycles' worth); a quiet room does not save up more.
    state.allowance = Math.min(Math.max(1, (2 * perSecond * cycle) / 1000), state.allowance + (perSecond * elapsed) / 1000);
    const waiting = this.chatCount - state.chatSeen;
    state.chatSeen = this.chatCount;
    if (waiting <= 0) return null;
    const take = Math.min(waiting, Math.floor(state.allowance), this.fresh.length);
    state.allowance -= take;
    const events = this.fresh.slice(this.fresh.length - take).map((f) => f.event);
    const thinned = waiting - take;
    this.thinnedTotal += thinned;
    this.stats.thinned += thinned;
    const frame = JSON.stringify({ t: 'chat', events, ...(thinned && { thinned }) });
    return textFrame(frame);
  }

  /** The wire bytes of every batch after `seq`, or null if some are no longer held. */
  private wireSince(seq: number): Buffer | null {
    const first = this.history[0];
    if (!first || seq < first.seq - 1) return null;
    const from = seq + 1 - first.seq;
    return from === this.history.length - 1 ? this.history[from]!.wire : Buffer.concat(this.history.slice(from).map((h) => h.wire));
  }

  private sendWire(viewer: Viewer, wire: Buffer) {
    const tcp = (viewer.socket as unknown as { _socket?: Socket })._socket;
    if (viewer.socket.readyState !== 1 || !tcp || tcp.destroyed) return;
    if (tcp.writableLength > this.options.maxBufferedBytes) {
      this.droppedTotal++;
      this.stats.dropped++;
      viewer.socket.close(4008, 'SLOW_CONSUMER');
      this.leave(viewer);
      return;
    }
    tcp.write(wire);
    this.stats.writes++;
  }

  send(viewer: Viewer, frame: string) {
    const { socket } = viewer;
    if (socket.readyState !== 1) return;
    if (socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.droppedTotal++;
      this.stats.dropped++;
      socket.close(4008, 'SLOW_CONSUMER');
      this.leave(viewer);
      return;
    }
    socket.send(frame);
    this.stats.writes++;
  }

  close() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const viewer of this.viewers) viewer.socket.close(1001, 'going away');
    this.viewers.clear();
    for (const group of this.groups) group.clear();
    void this.unsubscribe?.();
  }
}

/** Limits on the room sockets one client address holds on this node (0: no limit). */
export type AddressLimits = { perAddress: number; perRoom: number };

/**
 * Open room sockets per client address, in all rooms and per room, so that one address (a script,
 * a botnet node) cannot hold an unbounded share of the node. Counted from the moment a socket is
 * accepted, before it says hello; an address with no sockets left is forgotten.
 */
export class AddressCounts {
  private readonly byAddress = new Map<string, { total: number; rooms: Map<string, number> }>();

  /** Whether one more socket from `address` in `room` stays within the limits. */
  allows(address: string, room: string, limits: AddressLimits): boolean {
    const entry = this.byAddress.get(address);
    if (!entry) return true;
    return !(limits.perAddress > 0 && entry.total >= limits.perAddress) && !(limits.perRoom > 0 && (entry.rooms.get(room) ?? 0) >= limits.perRoom);
  }

  /** Counts a socket from `address` in `room`, or returns false (counting nothing) if that would pass a limit. */
  tryAdd(address: string, room: string, limits: AddressLimits): boolean {
    if (!this.allows(address, room, limits)) return false;
    let entry = this.byAddress.get(address);
    const inRoom = entry?.rooms.get(room) ?? 0;
    if (!entry) {
      entry = { total: 0, rooms: new Map() };
      this.byAddress.set(address, entry);
    }
    entry.total++;
    entry.rooms.set(room, inRoom + 1);
    return true;
  }

  /** A socket counted by `tryAdd` has closed. */
  remove(address: string, room: string) {
    const entry = this.byAddress.get(address);
    const inRoom = entry?.rooms.get(room);
    if (!entry || !inRoom) return;
    entry.total--;
    if (inRoom > 1) entry.rooms.set(room, inRoom - 1);
    else entry.rooms.delete(room);
    if (!entry.total) this.byAddress.delete(address);
  }

  /** Open sockets from `address` (in `room`, if given). */
  count(address: string, room?: string): number {
    const entry = this.byAddress.get(address);
    if (!entry) return 0;
    return room === undefined ? entry.total : (entry.rooms.get(room) ?? 0);
  }

  /** Addresses with at least one open socket. */
  get addresses() {
    return this.byAddress.size;
  }
}

export class RoomHubs {
  private readonly hubs = new Map<string, RoomHub>();
  /** Open room sockets per client address on this node (see the room routes' limits). */
  readonly sockets = new AddressCounts();
  /** Totals over every room this node has served (a room's hub goes when its last viewer leaves). */
  readonly stats: RoomStats = { events: 0, batches: 0, writes: 0, thinned: 0, dropped: 0 };

  constructor(
    private readonly bus: RoomBus,
    private readonly options: HubOptions,
  ) {}

  get(roomId: string): RoomHub {
    let hub = this.hubs.get(roomId);
    if (!hub) {
      hub = new RoomHub(roomId, this.bus, this.options, () => this.hubs.delete(roomId), this.stats);
      this.hubs.set(roomId, hub);
    }
    return hub;
  }

  peek(roomId: string) {
    return this.hubs.get(roomId);
  }

  /** The rooms this node has viewers in. */
  roomIds() {
    return [...this.hubs.keys()];
  }

  /** Viewers' sockets in every room on this node (for /metrics). */
  viewerCount() {
    let n = 0;
    for (const hub of this.hubs.values()) n += hub.viewers.size;
    return n;
  }

  /** Rooms with viewers on this node. */
  get roomCount() {
    return this.hubs.size;
  }

  closeAll() {
    for (const hub of this.hubs.values()) hub.close();
    this.hubs.clear();
  }
}
