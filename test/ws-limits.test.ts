import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/each-database.ts';
import { streamer } from './helpers/people.ts';
import { RoomSocket } from './helpers/room-client.ts';
import type { TestClient, TestServer } from './helpers/server.ts';

const UNKNOWN_ROOM = '00000000-0000-7000-8000-000000000000';

/** Waits for something the test observes (never a fixed sleep); fails after a generous deadline. */
async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function pong(socket: RoomSocket) {
  const before = socket.frames.filter((f) => f.t === 'pong').length;
  socket.send({ t: 'ping' });
  await socket.next(() => socket.frames.filter((f) => f.t === 'pong').length > before);
}

/** Opens a socket the server is expected to refuse; resolves to the error frame's code and the close code. */
async function refusal(socket: RoomSocket) {
  const error = await socket.next((f) => f.t === 'error');
  const closed = await socket.closedWith(10_000);
  return { code: error.code as string, close: closed.code };
}

describeEachDatabase(
  'room socket limits',
  ({ server }) => {
    let host: TestClient | undefined;
    async function liveSession(s: TestServer) {
      host ??= (await streamer(s)).client;
      const created = await host.post('/api/streamer/live-sessions', { title: '限流测试', scheduledAt: new Date(s.clock.now().getTime() + 60_000).toISOString() });
      if (created.status !== 201) throw new Error(`creating the session failed: ${created.body}`);
      return created.json().session.id as string;
    }
    const sockets = () => server().services.hubs.sockets;

    it('closes a socket that has not said hello within WS_HELLO_TIMEOUT_MS with 4408, while a welcomed viewer stays', async () => {
      const id = await liveSession(server());
      const viewer = await RoomSocket.open(server(), id);
      const started = Date.now();
      const silent = await RoomSocket.open(server(), id, { hello: false });
      // Pinging is not saying hello: it is answered, and the socket is still closed in time.
      const pinger = await RoomSocket.open(server(), id, { hello: false });
      await pong(pinger);

      const closed = await silent.closedWith(10_000);
      expect(closed.code).toBe(4408);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      expect(silent.frames.at(-1)).toMatchObject({ t: 'error', code: 'WS_HELLO_TIMEOUT' });
      expect((await pinger.closedWith(10_000)).code).toBe(4408);

      // The viewer who said hello, connected before both, is still served.
      expect(viewer.closed).toBeNull();
      await pong(viewer);
      await waitFor('the closed sockets to give their slots back', () => sockets().count('127.0.0.1', id) === 1);
      viewer.close();
      await waitFor('the viewer to give its slot back', () => sockets().count('127.0.0.1') === 0);
    });

    it('refuses a socket over WS_MAX_SOCKETS_PER_IP_PER_ROOM with 4429, keeps the earlier ones, and frees a slot on close', async () => {
      const id = await liveSession(server());
      const first = await Promise.all([0, 1, 2].map(() => RoomSocket.open(server(), id)));
      expect(sockets().count('127.0.0.1', id)).toBe(3);

      const over = await RoomSocket.open(server(), id, { hello: false });
      expect(await refusal(over)).toEqual({ code: 'WS_TOO_MANY_SOCKETS', close: 4429 });
      // Saying hello does not help a refused socket.
      const eager = await RoomSocket.open(server(), id, { hello: false });
      eager.send({ t: 'hello', v: 1 });
      expect(await refusal(eager)).toEqual({ code: 'WS_TOO_MANY_SOCKETS', close: 4429 });
      expect(eager.frames.some((f) => f.t === 'welcome' || f.t === 'snapshot')).toBe(false);

      for (const socket of first) await pong(socket);
      expect(sockets().count('127.0.0.1', id)).toBe(3);

      first[0]!.close();
      await waitFor('the closed socket to give its slot back', () => sockets().count('127.0.0.1', id) === 2);
      const again = await RoomSocket.open(server(), id);
      expect(again.frames.some((f) => f.t === 'snapshot')).toBe(true);
      await pong(again);

      for (const socket of [...first, again]) socket.close();
      await waitFor('every slot to be given back', () => sockets().count('127.0.0.1') === 0);
    });

    it('counts all rooms together against WS_MAX_SOCKETS_PER_IP, and refuses before looking the room up', async () => {
      const a = await liveSession(server());
      const b = await liveSession(server());
      const inA = await Promise.all([0, 1, 2].map(() => RoomSocket.open(server(), a)));
      const inB = await Promise.all([0, 1].map(() => RoomSocket.open(server(), b)));
      expect(sockets().count('127.0.0.1')).toBe(5);

      // Room b has room for one more, but the address is at its total.
      expect(await refusal(await RoomSocket.open(server(), b, { hello: false }))).toEqual({ code: 'WS_TOO_MANY_SOCKETS', close: 4429 });
      // A room that does not exist: refused for the count (4429), not for the room (4004), so the
      // refusal came before any database work.
      expect(await refusal(await RoomSocket.open(server(), UNKNOWN_ROOM, { hello: false }))).toEqual({ code: 'WS_TOO_MANY_SOCKETS', close: 4429 });
      for (const socket of [...inA, ...inB]) await pong(socket);

      inA[0]!.close();
      await waitFor('the closed socket to give its slot back', () => sockets().count('127.0.0.1') === 4);
      const joined = await RoomSocket.open(server(), b);
      expect(joined.frames.some((f) => f.t === 'snapshot')).toBe(true);
      expect(sockets().count('127.0.0.1', b)).toBe(3);

      for (const socket of [...inA, ...inB, joined]) socket.close();
      await waitFor('every slot to be given back', () => sockets().count('127.0.0.1') === 0);
    });

    it('counts the client address from X-Forwarded-For behind a trusted proxy (TRUST_PROXY)', async () => {
      const id = await liveSession(server());
      const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
      const one = await Promise.all([0, 1, 2].map(() => RoomSocket.open(server(), id, from('203.0.113.7'))));
      expect(await refusal(await RoomSocket.open(server(), id, { hello: false, ...from('203.0.113.7') }))).toEqual({ code: 'WS_TOO_MANY_SOCKETS', close: 4429 });
      // Another client behind the same proxy is not held back by the first one.
      const other = await RoomSocket.open(server(), id, from('203.0.113.8'));
      expect(other.frames.some((f) => f.t === 'snapshot')).toBe(true);
      expect([sockets().count('203.0.113.7', id), sockets().count('203.0.113.8', id), sockets().count('127.0.0.1')]).toEqual([3, 1, 0]);
      for (const socket of [...one, other]) socket.close();
      await waitFor('every slot to be given back', () => sockets().addresses === 0);
    });

    it('gives the slot back however a socket ends, and still refuses oversized and invalid frames', async () => {
      const id = await liveSession(server());
      const keeper = await RoomSocket.open(server(), id);
      // After each ending, only the keeper holds a slot (as the server counts, not the client).
      const onlyKeeper = (how: string) => waitFor(`the slot of a socket that ${how} to be given back`, () => sockets().count('127.0.0.1') === 1 && sockets().count('127.0.0.1', id) === 1);

      const big = await RoomSocket.open(server(), id);
      big.send({ t: 'chat', text: 'x'.repeat(5000) });
      expect((await big.closedWith()).code).toBe(1009);
      await onlyKeeper('sent an oversized frame');

      const bad = await RoomSocket.open(server(), id);
      bad.send('this is not json');
      expect((await bad.next((f) => f.t === 'error')).code).toBe('WS_BAD_FRAME');
      bad.ws.send(Buffer.from([1, 2, 3]));
      await bad.next(() => bad.frames.filter((f) => f.code === 'WS_BAD_FRAME').length === 2);
      await pong(bad); // invalid frames are refused, the socket stays
      bad.close();
      await onlyKeeper('the client closed');

      const flood = await RoomSocket.open(server(), id);
      for (let i = 0; i < 60; i++) flood.send({ t: 'ping' });
      expect((await flood.closedWith()).code).toBe(4029);
      await onlyKeeper('flooded');

      const silent = await RoomSocket.open(server(), id, { hello: false });
      expect((await silent.closedWith(10_000)).code).toBe(4408);
      await onlyKeeper('never said hello');

      const vanished = await RoomSocket.open(server(), id);
      vanished.ws.terminate(); // gone without a closing handshake
      await onlyKeeper('vanished');

      const missing = await RoomSocket.open(server(), UNKNOWN_ROOM, { hello: false });
      expect((await missing.closedWith()).code).toBe(4004);
      await onlyKeeper('asked for an unknown room');
      const foreign = await RoomSocket.open(server(), id, { hello: false, origin: 'https://evil.example' });
      expect((await foreign.closedWith()).code).toBe(4003);
      await onlyKeeper('came from another site');
      await pong(keeper);
      // The room takes a full set again.
      const full = await Promise.all([0, 1].map(() => RoomSocket.open(server(), id)));
      for (const socket of full) await pong(socket);
      for (const socket of [keeper, ...full]) socket.close();
      await waitFor('every slot to be given back', () => sockets().addresses === 0);
    });
  },
  {
    listen: true,
    env: {
      // Short for the tests of silent sockets, but long enough that a socket saying hello at once does
      // so in time even when a busy machine stalls this process (300 ms was not, beside other suites).
      WS_HELLO_TIMEOUT_MS: '1500',
      WS_MAX_SOCKETS_PER_IP: '5',
      WS_MAX_SOCKETS_PER_IP_PER_ROOM: '3',
      TRUST_PROXY: 'true',
      LOGIN_RATE_LIMIT_PER_MIN: '100000',
    },
  },
);
