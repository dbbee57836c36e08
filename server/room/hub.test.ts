import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLocalBus } from './bus.ts';
import { AddressCounts, RoomHub, type Viewer } from './hub.ts';

/** A WebSocket seen from the hub: its state, its TCP socket's backlog, and how it was closed. */
function socketWithBacklog(backlog: number) {
  const written: Buffer[] = [];
  const tcp = Object.assign(new EventEmitter(), { destroyed: false, writableLength: backlog, write: (b: Buffer) => written.push(b) });
  const socket = { readyState: 1, _socket: tcp, closed: null as null | { code: number; reason: string }, send: () => undefined, close(code: number, reason: string) { this.closed = { code, reason }; this.readyState = 3; } };
  return { socket, tcp, written };
}

type Frame = { t: string; seq?: number; events: { type: string; text?: string }[]; thinned?: number };

/** Waits for something the test observes (the hub's steps run on timers); fails after a generous deadline. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The WebSocket frames (server frames: unmasked, under 64 KB) in what a socket was written. */
function frames(written: Buffer[]): Frame[] {
  const out: Frame[] = [];
  const data = Buffer.concat(written);
  for (let i = 0; i < data.length; ) {
    let len = data[i + 1]! & 0x7f;
    let head = 2;
    if (len === 126) {
      len = data.readUInt16BE(i + 2);
      head = 4;
    }
    out.push(JSON.parse(data.subarray(i + head, i + head + len).toString()) as Frame);
    i += head + len;
  }
  return out;
}

/** 3,000 ready viewers at 30,000 writes/s: a 100 ms cycle in three write groups. */
async function largeRoom(bus: ReturnType<typeof createLocalBus>, roomId: string) {
  const hub = new RoomHub(roomId, bus, { tickMs: 100, writesPerSecond: 30_000, maxChatPerTick: 20, maxBufferedBytes: 64 * 1024, nodeId: 'n1' }, () => undefined);
  const sockets = Array.from({ length: 3000 }, () => socketWithBacklog(0));
  const viewers = sockets.map((s, i): Viewer => ({ socket: s.socket as never, userId: null, visitorId: `v${i}`, role: 'viewer' }));
  for (const v of viewers) {
    await hub.join(v);
    hub.ready(v, hub.lastSeq);
  }
  expect(hub.groupCount()).toBe(3);
  return { hub, sockets };
}

describe('room hub', () => {
  it('writes one batch to every viewer per tick, and drops a viewer whose socket is not keeping up', async () => {
    const bus = createLocalBus();
    let emptied = false;
    const hub = new RoomHub('room-1', bus, { tickMs: 20, maxChatPerTick: 20, maxBufferedBytes: 64 * 1024, nodeId: 'n1' }, () => (emptied = true));
    const fast = socketWithBacklog(0);
    const slow = socketWithBacklog(10 * 1024 * 1024);
    const fastViewer: Viewer = { socket: fast.socket as never, userId: null, visitorId: 'a', role: 'viewer' };
    const slowViewer: Viewer = { socket: slow.socket as never, userId: null, visitorId: 'b', role: 'viewer' };
    await hub.join(fastViewer);
    await hub.join(slowViewer);
    hub.ready(fastViewer, hub.lastSeq);
    hub.ready(slowViewer, hub.lastSeq);
    await bus.publish('room-1', { type: 'announcement', text: '今晚 8 点开抢', priority: true });
    // The next tick writes the batch: to the fast socket, and (its backlog too big) not to the slow one.
    await until('the first tick', () => slow.socket.closed !== null && fast.written.length > 0);
    expect(slow.socket.closed).toEqual({ code: 4008, reason: 'SLOW_CONSUMER' });
    expect(hub.viewers.has(slowViewer)).toBe(false);
    expect(hub.droppedTotal).toBe(1);
    expect(fast.written.length).toBeGreaterThan(0);
    // The same bytes, a WebSocket text frame carrying the batch, went to the viewer that keeps up.
    const frame = fast.written[0]!;
    expect(frame[0]).toBe(0x81);
    expect(frame.toString('utf8')).toContain('今晚 8 点开抢');
    hub.leave(fastViewer);
    expect(emptied).toBe(true);
  });

  it('lengthens the tick of a large room to keep its socket writes within the budget', async () => {
    const bus = createLocalBus();
    const hub = new RoomHub('room-2', bus, { tickMs: 100, writesPerSecond: 60_000, maxChatPerTick: 20, chatDeliveriesPerSecond: 500_000, maxBufferedBytes: 64 * 1024, nodeId: 'n1' }, () => undefined);
    const viewers = Array.from({ length: 10_000 }, (_, i): Viewer => ({ socket: socketWithBacklog(0).socket as never, userId: null, visitorId: `v${i}`, role: 'viewer' }));
    await hub.join(viewers[0]!);
    expect(hub.tickMs()).toBe(100);
    // A small room sees all the chat a person could want (20 per 100 ms); a big one is thinned to its budget.
    expect(hub.chatPerSecond()).toBe(200);
    for (const v of viewers.slice(1, 6000)) hub.viewers.add(v);
    expect(hub.tickMs()).toBe(100);
    expect(hub.chatPerSecond()).toBeCloseTo(83.3, 1);
    for (const v of viewers.slice(6000)) hub.viewers.add(v);
    expect(hub.tickMs()).toBe(167);
    expect(hub.chatPerSecond()).toBe(50);
    hub.close();
  });

  it('spreads a large room over write groups: one write per viewer per cycle, every batch in order', async () => {
    const bus = createLocalBus();
    // 3,000 viewers at 30,000 writes/s: a 100 ms cycle in three steps of ~33 ms, one group each.
    const { hub, sockets } = await largeRoom(bus, 'room-3');
    const started = Date.now();
    for (let i = 0; i < 10; i++) {
      await bus.publish('room-3', { type: 'announcement', text: `公告 ${i}`, priority: true });
      await new Promise((r) => setTimeout(r, 30));
    }
    const texts = (written: Buffer[]) => frames(written).flatMap((f) => f.events.flatMap((e) => (e.text ? [e.text] : [])));
    const expected = Array.from({ length: 10 }, (_, i) => `公告 ${i}`);
    // Every group's turn comes within a cycle after the last announcement; a busy machine may stretch
    // it (after a stall only one step runs at once), so wait until each group (0, 1, 2) has had it.
    await until('every write group to get the last announcement', () => [0, 1, 2].every((k) => texts(sockets[k]!.written).includes('公告 9')));
    const cycles = (Date.now() - started) / 100;
    // Each viewer got at most about one write per cycle, however many batches there were...
    for (const s of sockets) expect(s.written.length).toBeLessThanOrEqual(Math.ceil(cycles) + 1);
    // ...and, walking the WebSocket frames in its writes, every announcement once and in order.
    for (const k of [0, 1, 2, 1500, 2999]) expect(texts(sockets[k]!.written)).toEqual(expected);
    expect(sockets.every((s) => s.written.length > 0)).toBe(true);
    hub.close();
  });

  it('gives each write group of a large room the newest ordinary chat at its turn, in unnumbered chat frames', async () => {
    const bus = createLocalBus();
    // 3,000 viewers at 30,000 writes/s: three groups; 200 ordinary messages a second per viewer.
    const { hub, sockets } = await largeRoom(bus, 'room-4');
    await new Promise((r) => setTimeout(r, 250));
    const texts = Array.from({ length: 500 }, (_, i) => `弹幕 ${i}`);
    for (const text of texts) await bus.publish('room-4', { type: 'chat', id: text, text, user: { id: 'u', name: '观众', role: 'viewer' } });
    await bus.publish('room-4', { type: 'announcement', text: '公告', priority: true });
    // Every group's turn comes within a cycle (100 ms); a busy machine may stretch it, so wait for it.
    const sampled = [0, 1, 2, 1500, 2999];
    const deadline = Date.now() + 10_000;
    const served = (k: number) => {
      const got = frames(sockets[k]!.written);
      return got.some((f) => f.t === 'chat') && got.some((f) => f.t === 'batch' && f.events.some((e) => e.text === '公告'));
    };
    while (!sampled.every(served) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const k of sampled) {
      const got = frames(sockets[k]!.written);
      const chat = got.filter((f) => f.t === 'chat');
      // One or two turns' worth (20 a turn, saved up while the room was quiet) of the 500: the newest,
      // in order; the rest counted as thinned.
      expect(chat).toHaveLength(1);
      expect(chat[0]!.seq).toBeUndefined();
      const shown = chat[0]!.events.length;
      expect(shown).toBeGreaterThanOrEqual(20);
      expect(shown).toBeLessThanOrEqual(40);
      expect(chat[0]!.events.map((e) => e.text)).toEqual(texts.slice(-shown));
      expect(chat[0]!.thinned).toBe(500 - shown);
      // Never in a numbered batch, where everyone would get the same, older sample; the announcement is.
      const batches = got.filter((f) => f.t === 'batch');
      expect(batches.flatMap((f) => f.events).filter((e) => e.type === 'chat')).toEqual([]);
      expect(batches.flatMap((f) => f.events).some((e) => e.text === '公告')).toBe(true);
    }
    hub.close();
  });

  it('adds write groups as a room grows, but drops one only when the room is well below the boundary', async () => {
    const bus = createLocalBus();
    const hub = new RoomHub('room-5', bus, { tickMs: 100, maxChatPerTick: 20, viewersPerGroup: 4, maxBufferedBytes: 64 * 1024, nodeId: 'n1' }, () => undefined);
    const viewers = Array.from({ length: 9 }, (_, i): Viewer => ({ socket: socketWithBacklog(0).socket as never, userId: null, visitorId: `v${i}`, role: 'viewer' }));
    for (const v of viewers) await hub.join(v);
    expect(hub.writeGroups).toBe(3);
    // The hub regroups in the step that refreshes the counts (every 300 ms): that step reports the room's
    // new size to the bus first, so a reported size means the step has looked at the groups for it.
    const reported = (online: number) => until(`the hub to report ${online} viewers`, async () => (await bus.counts('room-5')).online === online);
    // 8 viewers would fit in two groups of 4, but 8 is within 10 % of the boundary: three stay.
    hub.leave(viewers.pop()!);
    await reported(8);
    expect(hub.groupCount()).toBe(2);
    expect(hub.writeGroups).toBe(3);
    // At 7 (below 7.2) the room regroups into two.
    hub.leave(viewers.pop()!);
    await reported(7);
    expect(hub.writeGroups).toBe(2);
    expect(viewers.every((v) => v.group === 0 || v.group === 1)).toBe(true);
    hub.close();
  });

  it('counts sockets per address against the total and the per-room limit, and forgets an address with none left', () => {
    const counts = new AddressCounts();
    const limits = { perAddress: 3, perRoom: 2 };
    expect([counts.tryAdd('10.0.0.1', 'a', limits), counts.tryAdd('10.0.0.1', 'a', limits), counts.tryAdd('10.0.0.1', 'a', limits)]).toEqual([true, true, false]);
    expect(counts.tryAdd('10.0.0.1', 'b', limits)).toBe(true);
    // The total is reached: a third room is refused too, and a refusal counts nothing.
    expect(counts.tryAdd('10.0.0.1', 'c', limits)).toBe(false);
    expect([counts.count('10.0.0.1'), counts.count('10.0.0.1', 'a'), counts.count('10.0.0.1', 'c')]).toEqual([3, 2, 0]);
    // Another address has its own slots.
    expect(counts.tryAdd('10.0.0.2', 'a', limits)).toBe(true);
    counts.remove('10.0.0.1', 'a');
    expect(counts.tryAdd('10.0.0.1', 'c', limits)).toBe(true);
    for (const [address, room] of [['10.0.0.1', 'a'], ['10.0.0.1', 'b'], ['10.0.0.1', 'c'], ['10.0.0.2', 'a']] as const) counts.remove(address, room);
    expect(counts.addresses).toBe(0);
    // A socket that was never counted does not free a slot.
    counts.remove('10.0.0.1', 'a');
    expect(counts.count('10.0.0.1')).toBe(0);
    // 0: no limit.
    for (let i = 0; i < 500; i++) expect(counts.tryAdd('10.0.0.3', 'a', { perAddress: 0, perRoom: 0 })).toBe(true);
    expect(counts.count('10.0.0.3', 'a')).toBe(500);
  });
});
