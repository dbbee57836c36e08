import crypto from 'node:crypto';
import type {} from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AccountsService } from '../accounts/service.ts';
import { toLoginId } from '../accounts/schema.ts';
import type { Config } from '../platform/config.ts';
import { AppError, messageFor, type ErrorCode, type Locale } from '../platform/errors.ts';
import { isSameOrigin } from '../platform/origin.ts';
import { parseInput } from '../platform/validate.ts';
import { closeFrame, textFrame, type AddressLimits, type RoomHubs, type Viewer } from './hub.ts';
import {
  AnnouncementBody, AssistantBody, BagParams, ClientFrame, CouponDropBody, DeleteMessageBody, DropParams, LuckyBagBody,
  MessageParams, PinBody, ReportBody, RestrictBody, RoomParams, SettingsBody, StreamerParams, WordBody, WordParams,
} from './schema.ts';
import type { RoomService } from './service.ts';
import { visitorIdOf } from './visitor.ts';

export type RoomRoutesDeps = { room: RoomService; hubs: RoomHubs; accounts: AccountsService; config: Config };

const FLOOD_RATE = 10; // frames per second
const FLOOD_BURST = 20;
const FLOOD_STRIKES = 10;
/** A socket we close that does not finish the closing handshake within this is dropped (ws waits 30 s). */
const CLOSE_GRACE_MS = 2000;
/** Refusals for too many sockets are logged at most this often (a flood would flood the log too). */
const REFUSAL_LOG_MS = 10_000;
const SESSION_ID = /^[0-9a-f-]{36}$/;

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const WS_KEY = /^[+/0-9A-Za-z]{22}==$/;
/** The error frame and close frame of a refusal, per code, close code and language. */
const refusals = new Map<string, Buffer>();

/**
 * Refuses a WebSocket upgrade as a WebSocket: the 101, the error frame and the close frame in one
 * write, then the end of the connection; without creating a ws socket, its parser and its timers.
 * Returns false (and does nothing) for a handshake ws would reject anyway: ws answers that one.
 */
function refuseUpgrade(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, closeCode: number): boolean {
  const key = request.headers['sec-websocket-key'];
  const version = request.headers['sec-websocket-version'];
  if (typeof key !== 'string' || !WS_KEY.test(key) || (version !== '13' && version !== '8')) return false;
  reply.hijack();
  const cacheKey = `${code}|${closeCode}|${request.locale}`;
  let frames = refusals.get(cacheKey);
  if (!frames) {
    frames = Buffer.concat([textFrame(JSON.stringify({ t: 'error', code, message: messageFor(code, request.locale) })), closeFrame(closeCode, code)]);
    refusals.set(cacheKey, frames);
  }
  const accept = crypto.createHash('sha1').update(key + WS_GUID).digest('base64');
  // Like ws: the first subprotocol the client offers is accepted.
  const protocol = request.headers['sec-websocket-protocol']?.split(',')[0]?.trim();
  const head = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : ''}\r\n`;
  const tcp = request.raw.socket;
  // The client's answering close frame is read and dropped; a client that never ends is cut off.
  tcp.resume();
  tcp.end(Buffer.concat([Buffer.from(head, 'latin1'), frames]));
  const timer = setTimeout(() => tcp.destroy(), CLOSE_GRACE_MS);
  timer.unref();
  tcp.once('close', () => clearTimeout(timer));
  return true;
}

/** Closes with `code`; a peer that does not answer the close frame soon is cut off, so it holds nothing for long. */
function closeWith(socket: WebSocket, code: number, reason: string) {
  socket.close(code, reason);
  const timer = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

export function roomRoutes(app: FastifyInstance, deps: RoomRoutesDeps) {
  const { room, hubs, config } = deps;
  const user = { kind: 'user' } as const;
  const limits: AddressLimits = { perAddress: config.WS_MAX_SOCKETS_PER_IP, perRoom: config.WS_MAX_SOCKETS_PER_IP_PER_ROOM };
  let refused = 0;
  let refusalLoggedAt = 0;

  /** Logs refusals for too many sockets, at most one line every REFUSAL_LOG_MS. */
  function noteRefusal(request: FastifyRequest, address: string, id: string) {
    refused++;
    if (Date.now() - refusalLoggedAt < REFUSAL_LOG_MS) return;
    refusalLoggedAt = Date.now();
    request.log.warn(
      { ip: address, room: id, open: hubs.sockets.count(address), openInRoom: hubs.sockets.count(address, id), refused, limits },
      'room sockets refused: too many from one address (WS_MAX_SOCKETS_PER_IP / WS_MAX_SOCKETS_PER_IP_PER_ROOM)',
    );
    refused = 0;
  }

  app.get(
    '/ws/rooms/:id',
    {
      websocket: true,
      // Security headers mean nothing on a 101 (ws writes its own head), and setting them on every
      // upgrade cost a refused socket 10–25 % more CPU.
      config: { securityHeaders: false },
      // An address over its limits is refused here, before the upgrade is handed to ws and before any
      // database work: a flood of sockets costs one hash and one write each (see refuseUpgrade).
      onRequest: (request, reply, done) => {
        if (!request.ws) return done();
        const id = (request.params as { id: string }).id;
        const address = request.ip;
        if (hubs.sockets.allows(address, id, limits) || !refuseUpgrade(request, reply, 'WS_TOO_MANY_SOCKETS', 4429)) return done();
        noteRefusal(request, address, id);
        // done() is not called: the request ends here.
      },
    },
    (socket: WebSocket, request: FastifyRequest) => accept(socket, request),
  );

  /** A new room socket: refused at once when it can be from memory, else served. */
  function accept(socket: WebSocket, request: FastifyRequest) {
    const locale: Locale = request.locale;
    const sendError = (code: ErrorCode, params: Record<string, string | number> = {}, nonce?: string) =>
      socket.readyState === 1 && socket.send(JSON.stringify({ t: 'error', code, message: messageFor(code, locale, params), ...(nonce && { nonce }) }));
    if (!isSameOrigin(request, config.ALLOWED_ORIGINS)) {
      sendError('WS_ORIGIN_FORBIDDEN');
      return closeWith(socket, 4003, 'origin');
    }
    const id = (request.params as { id: string }).id;
    if (!SESSION_ID.test(id)) {
      sendError('LIVE_SESSION_NOT_FOUND');
      return closeWith(socket, 4004, 'not found');
    }
    // Counted from here (the onRequest check above is only a fast path: another socket may have
    // taken the last slot since).
    const address = request.ip;
    if (!hubs.sockets.tryAdd(address, id, limits)) {
      noteRefusal(request, address, id);
      sendError('WS_TOO_MANY_SOCKETS');
      return closeWith(socket, 4429, 'WS_TOO_MANY_SOCKETS');
    }
    socket.once('close', () => hubs.sockets.remove(address, id));
    void serveViewer(socket, request, id, sendError).catch((error: unknown) => {
      request.log.error({ err: error }, 'room socket failed');
      closeWith(socket, 1011, 'internal error');
    });
  }

  async function serveViewer(socket: WebSocket, request: FastifyRequest, id: string, sendError: (code: ErrorCode, params?: Record<string, string | number>, nonce?: string) => unknown) {
    let tokens = FLOOD_BURST;
    let lastRefill = Date.now();
    let strikes = 0;
    let joined = false;
    // A socket that never says hello would hold its slot (and its memory) for as long as it likes.
    let helloTimer: NodeJS.Timeout | undefined = setTimeout(() => {
      helloTimer = undefined;
      sendError('WS_HELLO_TIMEOUT');
      closeWith(socket, 4408, 'WS_HELLO_TIMEOUT');
    }, config.WS_HELLO_TIMEOUT_MS);
    socket.once('close', () => clearTimeout(helloTimer));
    // Frames can arrive while the room is being looked up: listen at once, handle once ready.
    let resolveReady: (value: { hub: ReturnType<RoomHubs['get']>; viewer: Viewer } | null) => void = () => undefined;
    const ready = new Promise<{ hub: ReturnType<RoomHubs['get']>; viewer: Viewer } | null>((resolve) => (resolveReady = resolve));

    socket.on('message', (data, isBinary) => {
      // Frames already on the wire when we closed (a flooder's backlog) are not worth reading.
      if (socket.readyState !== 1) return;
      const t = Date.now();
      tokens = Math.min(FLOOD_BURST, tokens + ((t - lastRefill) / 1000) * FLOOD_RATE);
      lastRefill = t;
      if (tokens < 1) {
        strikes++;
        sendError('WS_FLOOD');
        if (strikes >= FLOOD_STRIKES) closeWith(socket, 4029, 'WS_FLOOD');
        return;
      }
      tokens -= 1;
      let frame: ClientFrame;
      try {
        if (isBinary) throw new Error('binary');
        frame = ClientFrame.parse(JSON.parse(data.toString()));
      } catch {
        return sendError('WS_BAD_FRAME');
      }
      if (frame.t === 'hello' && helloTimer) {
        clearTimeout(helloTimer);
        helloTimer = undefined;
      }
      void ready
        .then((context) => context && handle(frame, context))
        .catch((error: unknown) => {
          if (error instanceof AppError) sendError(error.code, error.params, frame.t === 'chat' ? frame.nonce : undefined);
          else {
            request.log.error({ err: error }, 'room frame failed');
            sendError('INTERNAL');
          }
        });
    });

    const info = await room.session(id).catch(() => null);
    // A practice live (实训) is not found by anyone but its trainee and trainers.
    if (!info || !(await room.mayEnter(info, request.user))) {
      resolveReady(null);
      sendError('LIVE_SESSION_NOT_FOUND');
      return closeWith(socket, 4004, 'not found');
    }
    const authUser = request.user;
    const viewer: Viewer = {
      socket,
      userId: authUser?.id ?? null,
      visitorId: visitorIdOf(authUser, request.ip, request.headers['user-agent']),
      role: await room.roleOf(info, authUser),
    };
    // The socket may have gone (or been closed for its hello) while the room was looked up: its
    // close event has fired already, so it must not reach the hub.
    if (socket.readyState !== 1) return resolveReady(null);
    const hub = hubs.get(id);
    socket.on('close', () => hub.leave(viewer));
    socket.on('error', () => hub.leave(viewer));
    resolveReady({ hub, viewer });

    async function handle(frame: ClientFrame, { hub, viewer }: { hub: ReturnType<RoomHubs['get']>; viewer: Viewer }) {
      const authUser = request.user;
      switch (frame.t) {
        case 'hello': {
          if (socket.readyState !== 1) return; // closed while this frame waited: never joins
          if (!joined) {
            joined = true;
            await hub.join(viewer);
          }
          const replay = frame.resume !== undefined ? hub.replaySince(frame.resume) : null;
          // The batches after `seq` follow the snapshot or replay; events that land while the state is
          // read may come both in the snapshot and in the next batch (clients de-duplicate by id).
          const seq = hub.lastSeq;
          const you = authUser ? { id: authUser.id, name: authUser.displayName, role: viewer.role } : null;
          if (replay) {
            socket.send(JSON.stringify({ t: 'welcome', v: 1, room: id, you, seq, resumed: true }));
            for (const batch of replay) socket.send(batch);
          } else {
            const state = await room.state(id);
            socket.send(JSON.stringify({ t: 'welcome', v: 1, room: id, you, seq, resumed: false }));
            socket.send(JSON.stringify({ t: 'snapshot', seq, state }));
          }
          hub.ready(viewer, seq);
          return;
        }
        case 'chat': {
          // The commission's account only reads (docs/TALENT.md).
          if (authUser?.platformRole === 'commission') throw new AppError('COMMISSION_READ_ONLY');
          const posted = await room.postChat(id, authUser, frame.text);
          socket.send(JSON.stringify({ t: 'ack', nonce: frame.nonce, id: posted.id, status: posted.status, text: posted.text }));
          return;
        }
        case 'like':
          if (joined) hub.like(frame.n);
          return;
        case 'ping':
          socket.send('{"t":"pong"}');
          return;
      }
    }
  }

  // --- the room over HTTP ---
  app.get('/api/rooms/:id', { schema: { tags: ['room'], summary: 'Get room', params: RoomParams }, config: { access: { kind: 'public' } } }, async (request) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    return room.state(id);
  });

  app.post('/api/rooms/:id/pin', { schema: { tags: ['room'], summary: 'Pin a product in a room', params: RoomParams, body: PinBody }, config: { access: user } }, async (request) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    const { productId } = parseInput(PinBody, request.body, request.locale);
    return { pinned: await room.pin(id, request.user!, productId) };
  });

  app.post('/api/rooms/:id/announcement', { schema: { tags: ['room'], summary: "Set a room's announcement", params: RoomParams, body: AnnouncementBody }, config: { access: user } }, async (request) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    const { text } = parseInput(AnnouncementBody, request.body, request.locale);
    return { announcement: await room.announce(id, request.user!, text) };
  });

  app.post('/api/rooms/:id/settings', { schema: { tags: ['room'], summary: "Change a room's settings", params: RoomParams, body: SettingsBody }, config: { access: user } }, async (request) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    const body = parseInput(SettingsBody, request.body, request.locale);
    return { settings: await room.updateSettings(id, request.user!, body) };
  });

  app.post('/api/rooms/:id/chat/:messageId/delete', { schema: { tags: ['room'], summary: 'Delete a chat message', params: MessageParams, body: DeleteMessageBody }, config: { access: user } }, async (request, reply) => {
    const { id, messageId } = parseInput(MessageParams, request.params, request.locale);
    const { reason } = parseInput(DeleteMessageBody, request.body ?? {}, request.locale);
    await room.deleteMessage(id, request.user!, messageId, reason);
    reply.code(204);
  });

  app.post('/api/rooms/:id/chat/:messageId/report', { schema: { tags: ['room'], summary: 'Report a chat message', params: MessageParams, body: ReportBody }, config: { access: user } }, async (request, reply) => {
    const { id, messageId } = parseInput(MessageParams, request.params, request.locale);
    const { reason } = parseInput(ReportBody, request.body ?? {}, request.locale);
    await room.report(id, request.user!, messageId, reason);
    reply.code(204);
  });

  app.post('/api/rooms/:id/mutes', { schema: { tags: ['room'], summary: 'Mute or ban a viewer', params: RoomParams, body: RestrictBody }, config: { access: user } }, async (request) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    const body = parseInput(RestrictBody, request.body, request.locale);
    return room.restrict(id, request.user!, body);
  });

  app.get('/api/rooms/:id/moderation-log', { schema: { tags: ['room'], summary: "A room's moderation log", params: RoomParams }, config: { access: user } }, async (request) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    return { entries: await room.moderationLog(id, request.user!) };
  });

  app.post('/api/rooms/:id/coupon-drops', { schema: { tags: ['room'], summary: 'Create room coupon drop', params: RoomParams, body: CouponDropBody }, config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    const body = parseInput(CouponDropBody, request.body, request.locale);
    reply.code(201);
    return { coupon: await room.startCouponDrop(id, request.user!, body) };
  });

  app.post('/api/rooms/:id/coupon-drops/:dropId/claim', { schema: { tags: ['room'], summary: 'Claim coupon drop', params: DropParams }, config: { access: user } }, async (request) => {
    const { id, dropId } = parseInput(DropParams, request.params, request.locale);
    return { claimed: true, coupon: await room.claimCoupon(id, request.user!, dropId) };
  });

  app.post('/api/rooms/:id/lucky-bags', { schema: { tags: ['room'], summary: 'Create room lucky bag', params: RoomParams, body: LuckyBagBody }, config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    const body = parseInput(LuckyBagBody, request.body, request.locale);
    reply.code(201);
    return { luckyBag: await room.startLuckyBag(id, request.user!, body) };
  });

  app.post('/api/rooms/:id/lucky-bags/:bagId/enter', { schema: { tags: ['room'], summary: 'Enter lucky bag', params: BagParams }, config: { access: user } }, async (request, reply) => {
    const { id, bagId } = parseInput(BagParams, request.params, request.locale);
    await room.enterLuckyBag(id, request.user!, bagId);
    reply.code(204);
  });

  app.post('/api/rooms/:id/lucky-bags/:bagId/draw', { schema: { tags: ['room'], summary: 'Draw lucky bag', params: BagParams }, config: { access: user } }, async (request) => {
    const { id, bagId } = parseInput(BagParams, request.params, request.locale);
    return { luckyBag: await room.drawLuckyBag(id, request.user!, bagId) };
  });

  app.get('/api/rooms/:id/lucky-bags/:bagId', { schema: { tags: ['room'], summary: 'Get lucky bag', params: BagParams }, config: { access: { kind: 'public' } } }, async (request) => {
    const { id, bagId } = parseInput(BagParams, request.params, request.locale);
    return room.luckyBagAudit(id, bagId);
  });

  // --- follows and assistants ---
  app.get('/api/streamers/:streamerId/follow', { schema: { tags: ['room'], summary: 'Whether I follow a streamer', params: StreamerParams }, config: { access: user } }, async (request) => {
    const { streamerId } = parseInput(StreamerParams, request.params, request.locale);
    return { following: await room.isFollowing(request.user!.id, streamerId) };
  });
  app.post('/api/streamers/:streamerId/follow', { schema: { tags: ['room'], summary: 'Follow a streamer', params: StreamerParams }, config: { access: user } }, async (request) => {
    const { streamerId } = parseInput(StreamerParams, request.params, request.locale);
    return room.follow(request.user!, streamerId, true);
  });
  app.delete('/api/streamers/:streamerId/follow', { schema: { tags: ['room'], summary: 'Unfollow a streamer', params: StreamerParams }, config: { access: user } }, async (request) => {
    const { streamerId } = parseInput(StreamerParams, request.params, request.locale);
    return room.follow(request.user!, streamerId, false);
  });

  app.post('/api/streamer/assistants', { schema: { tags: ['room'], summary: 'Add an assistant (场控)', body: AssistantBody }, config: { access: { kind: 'platform', roles: ['streamer'] } } }, async (request, reply) => {
    const { login } = parseInput(AssistantBody, request.body, request.locale);
    const loginId = toLoginId(login);
    const assistant = loginId ? await deps.accounts.findUserByLogin(loginId) : undefined;
    if (!assistant) throw new AppError('USER_NOT_FOUND');
    await room.addAssistant(request.user!.id, assistant.id);
    reply.code(201);
    return { assistant: { id: assistant.id, displayName: assistant.display_name } };
  });

  // --- the word list, for operators ---
  const operator = { kind: 'platform', roles: ['operator'] } as const;
  app.get('/api/admin/sensitive-words', { schema: { tags: ['room'], summary: 'List sensitive words (operator)' }, config: { access: operator } }, async () => ({ words: await room.sensitiveWords() }));
  app.post('/api/admin/sensitive-words', { schema: { tags: ['room'], summary: 'Create sensitive word (operator)', body: WordBody }, config: { access: operator } }, async (request, reply) => {
    const body = parseInput(WordBody, request.body, request.locale);
    await room.setWord(request.user!, body);
    reply.code(201);
    return { word: body };
  });
  app.delete('/api/admin/sensitive-words/:word', { schema: { tags: ['room'], summary: 'Delete sensitive word (operator)', params: WordParams }, config: { access: operator } }, async (request, reply) => {
    const { word } = parseInput(WordParams, request.params, request.locale);
    await room.removeWord(word);
    reply.code(204);
  });
}
