import crypto from 'node:crypto';
import type {} from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AccountsService } from '../accounts/service.ts';
import { toLoginId } from '../accounts/schema.ts';
import type { Config } from '../platform/config.ts';
import { AppError, messageFor, type ErrorCode, type Locale } from '../platform/errors.ts';
import { isSameOrigin } from '../platform/origin.ts';
import { parseInput } from '../platform/validate.ts';
import type { RoomHubs, Viewer } from './hub.ts';
import {
  AnnouncementBody, AssistantBody, BagParams, ClientFrame, CouponDropBody, DeleteMessageBody, DropParams, LuckyBagBody,
  MessageParams, PinBody, ReportBody, RestrictBody, RoomParams, SettingsBody, StreamerParams, WordBody, WordParams,
} from './schema.ts';
import type { RoomService } from './service.ts';

export type RoomRoutesDeps = { room: RoomService; hubs: RoomHubs; accounts: AccountsService; config: Config };

const FLOOD_RATE = 10; // frames per second
const FLOOD_BURST = 20;
const FLOOD_STRIKES = 10;

export function roomRoutes(app: FastifyInstance, deps: RoomRoutesDeps) {
  const { room, hubs, config } = deps;
  const user = { kind: 'user' } as const;

  app.get('/ws/rooms/:id', { websocket: true }, (socket: WebSocket, request: FastifyRequest) => {
    void serveViewer(socket, request).catch((error: unknown) => {
      request.log.error({ err: error }, 'room socket failed');
      socket.close(1011, 'internal error');
    });
  });

  async function serveViewer(socket: WebSocket, request: FastifyRequest) {
    const locale: Locale = request.locale;
    const sendError = (code: ErrorCode, params: Record<string, string | number> = {}, nonce?: string) =>
      socket.readyState === 1 && socket.send(JSON.stringify({ t: 'error', code, message: messageFor(code, locale, params), ...(nonce && { nonce }) }));
    let tokens = FLOOD_BURST;
    let lastRefill = Date.now();
    let strikes = 0;
    let joined = false;
    // Frames can arrive while the room is being looked up: listen at once, handle once ready.
    let resolveReady: (value: { hub: ReturnType<RoomHubs['get']>; viewer: Viewer; id: string } | null) => void = () => undefined;
    const ready = new Promise<{ hub: ReturnType<RoomHubs['get']>; viewer: Viewer; id: string } | null>((resolve) => (resolveReady = resolve));

    socket.on('message', (data, isBinary) => {
      const t = Date.now();
      tokens = Math.min(FLOOD_BURST, tokens + ((t - lastRefill) / 1000) * FLOOD_RATE);
      lastRefill = t;
      if (tokens < 1) {
        strikes++;
        sendError('WS_FLOOD');
        if (strikes >= FLOOD_STRIKES) socket.close(4029, 'WS_FLOOD');
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

    if (!isSameOrigin(request, config.ALLOWED_ORIGINS)) {
      resolveReady(null);
      sendError('WS_ORIGIN_FORBIDDEN');
      return socket.close(4003, 'origin');
    }
    const id = (request.params as { id: string }).id;
    const info = /^[0-9a-f-]{36}$/.test(id) ? await room.session(id).catch(() => null) : null;
    if (!info) {
      resolveReady(null);
      sendError('LIVE_SESSION_NOT_FOUND');
      return socket.close(4004, 'not found');
    }
    const authUser = request.user;
    const viewer: Viewer = {
      socket,
      userId: authUser?.id ?? null,
      visitorId: authUser?.id ?? `anon:${crypto.createHash('sha256').update(`${request.ip}|${request.headers['user-agent'] ?? ''}`).digest('hex').slice(0, 16)}`,
      role: await room.roleOf(info, authUser),
    };
    const hub = hubs.get(id);
    socket.on('close', () => hub.leave(viewer));
    socket.on('error', () => hub.leave(viewer));
    resolveReady({ hub, viewer, id });

    async function handle(frame: ClientFrame, { hub, viewer, id }: { hub: ReturnType<RoomHubs['get']>; viewer: Viewer; id: string }) {
      const authUser = request.user;
      switch (frame.t) {
        case 'hello': {
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
  app.get('/api/rooms/:id', { config: { access: { kind: 'public' } } }, async (request) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    return room.state(id);
  });

  app.post('/api/rooms/:id/pin', { config: { access: user } }, async (request) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    const { productId } = parseInput(PinBody, request.body, request.locale);
    return { pinned: await room.pin(id, request.user!, productId) };
  });

  app.post('/api/rooms/:id/announcement', { config: { access: user } }, async (request) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    const { text } = parseInput(AnnouncementBody, request.body, request.locale);
    return { announcement: await room.announce(id, request.user!, text) };
  });

  app.post('/api/rooms/:id/settings', { config: { access: user } }, async (request) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    const body = parseInput(SettingsBody, request.body, request.locale);
    return { settings: await room.updateSettings(id, request.user!, body) };
  });

  app.post('/api/rooms/:id/chat/:messageId/delete', { config: { access: user } }, async (request, reply) => {
    const { id, messageId } = parseInput(MessageParams, request.params, request.locale);
    const { reason } = parseInput(DeleteMessageBody, request.body ?? {}, request.locale);
    await room.deleteMessage(id, request.user!, messageId, reason);
    reply.code(204);
  });

  app.post('/api/rooms/:id/chat/:messageId/report', { config: { access: user } }, async (request, reply) => {
    const { id, messageId } = parseInput(MessageParams, request.params, request.locale);
    const { reason } = parseInput(ReportBody, request.body ?? {}, request.locale);
    await room.report(id, request.user!, messageId, reason);
    reply.code(204);
  });

  app.post('/api/rooms/:id/mutes', { config: { access: user } }, async (request) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    const body = parseInput(RestrictBody, request.body, request.locale);
    return room.restrict(id, request.user!, body);
  });

  app.get('/api/rooms/:id/moderation-log', { config: { access: user } }, async (request) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    return { entries: await room.moderationLog(id, request.user!) };
  });

  app.post('/api/rooms/:id/coupon-drops', { config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    const body = parseInput(CouponDropBody, request.body, request.locale);
    reply.code(201);
    return { coupon: await room.startCouponDrop(id, request.user!, body) };
  });

  app.post('/api/rooms/:id/coupon-drops/:dropId/claim', { config: { access: user } }, async (request) => {
    const { id, dropId } = parseInput(DropParams, request.params, request.locale);
    return { claimed: true, coupon: await room.claimCoupon(id, request.user!, dropId) };
  });

  app.post('/api/rooms/:id/lucky-bags', { config: { access: user } }, async (request, reply) => {
    const { id } = parseInput(RoomParams, request.params, request.locale);
    const body = parseInput(LuckyBagBody, request.body, request.locale);
    reply.code(201);
    return { luckyBag: await room.startLuckyBag(id, request.user!, body) };
  });

  app.post('/api/rooms/:id/lucky-bags/:bagId/enter', { config: { access: user } }, async (request, reply) => {
    const { id, bagId } = parseInput(BagParams, request.params, request.locale);
    await room.enterLuckyBag(id, request.user!, bagId);
    reply.code(204);
  });

  app.post('/api/rooms/:id/lucky-bags/:bagId/draw', { config: { access: user } }, async (request) => {
    const { id, bagId } = parseInput(BagParams, request.params, request.locale);
    return { luckyBag: await room.drawLuckyBag(id, request.user!, bagId) };
  });

  app.get('/api/rooms/:id/lucky-bags/:bagId', { config: { access: { kind: 'public' } } }, async (request) => {
    const { id, bagId } = parseInput(BagParams, request.params, request.locale);
    return room.luckyBagAudit(id, bagId);
  });

  // --- follows and assistants ---
  app.get('/api/streamers/:streamerId/follow', { config: { access: user } }, async (request) => {
    const { streamerId } = parseInput(StreamerParams, request.params, request.locale);
    return { following: await room.isFollowing(request.user!.id, streamerId) };
  });
  app.post('/api/streamers/:streamerId/follow', { config: { access: user } }, async (request) => {
    const { streamerId } = parseInput(StreamerParams, request.params, request.locale);
    return room.follow(request.user!, streamerId, true);
  });
  app.delete('/api/streamers/:streamerId/follow', { config: { access: user } }, async (request) => {
    const { streamerId } = parseInput(StreamerParams, request.params, request.locale);
    return room.follow(request.user!, streamerId, false);
  });

  app.post('/api/streamer/assistants', { config: { access: { kind: 'platform', roles: ['streamer'] } } }, async (request, reply) => {
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
  app.get('/api/admin/sensitive-words', { config: { access: operator } }, async () => ({ words: await room.sensitiveWords() }));
  app.post('/api/admin/sensitive-words', { config: { access: operator } }, async (request, reply) => {
    const body = parseInput(WordBody, request.body, request.locale);
    await room.setWord(request.user!, body);
    reply.code(201);
    return { word: body };
  });
  app.delete('/api/admin/sensitive-words/:word', { config: { access: operator } }, async (request, reply) => {
    const { word } = parseInput(WordParams, request.params, request.locale);
    await room.removeWord(word);
    reply.code(204);
  });
}
