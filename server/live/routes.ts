import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { parseInput } from '../platform/validate.ts';
import { coverDir, saveCover } from './covers.ts';
import type { EmbeddedIngest } from './media/ingest.ts';
import { hlsDir } from './media/pipeline.ts';
import { CreateSessionBody, CutOffBody, DeleteReplayBody, HookQuery, ListQuery, OriginHookBody, SessionIdParams, UpdateSessionBody, WhipResourceParams } from './schema.ts';
import type { LiveService } from './service.ts';
import { toSummary, type LiveStore } from './store.ts';

export type LiveRoutesDeps = {
  store: LiveStore;
  live: LiveService;
  ingest: EmbeddedIngest | null;
  config: Config;
};

const streamer = { kind: 'platform', roles: ['streamer'] } as const;
const operator = { kind: 'platform', roles: ['operator'] } as const;
const FILE_TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
};

export function liveRoutes(app: FastifyInstance, deps: LiveRoutesDeps) {
  const { store, live, config } = deps;

  // --- viewers ---
  app.get('/api/live-sessions', { schema: { tags: ['live'], summary: 'List live sessions', querystring: ListQuery }, config: { access: { kind: 'public' } } }, async (request) => {
    const query = parseInput(ListQuery, request.query, request.locale);
    const rows = await store.listByStatus(query.status, query.limit);
    return { sessions: rows.map(toSummary) };
  });

  app.get('/api/live-sessions/:id', { schema: { tags: ['live'], summary: 'Get live session', params: SessionIdParams }, config: { access: { kind: 'public' } } }, async (request) => {
    const { id } = parseInput(SessionIdParams, request.params, request.locale);
    return live.publicDetail(id);
  });

  // --- streamers ---
  app.get('/api/streamer/live-sessions', { schema: { tags: ['live'], summary: "List streamer's live sessions" }, config: { access: streamer } }, async (request) => {
    const rows = await store.listByStreamer(request.user!.id);
    return { sessions: rows.map(toSummary) };
  });

  // The brands the streamer may name on a live (docs/API.md, "Live video"): their memberships and approved 带货申请.
  app.get('/api/streamer/live-brands', { schema: { tags: ['live'], summary: 'Brands the streamer may name on a live' }, config: { access: streamer } }, async (request) => ({
    brands: await live.namableBrands(request.user!.id),
  }));

  app.post('/api/streamer/live-sessions', { schema: { tags: ['live'], summary: "Create streamer's live session", body: CreateSessionBody }, config: { access: streamer } }, async (request, reply) => {
    const body = parseInput(CreateSessionBody, request.body, request.locale);
    reply.code(201);
    return live.create(request.user!.id, body);
  });

  app.get('/api/streamer/live-sessions/:id', { schema: { tags: ['live'], summary: "Get streamer's live session", params: SessionIdParams }, config: { access: streamer } }, async (request) => {
    const { id } = parseInput(SessionIdParams, request.params, request.locale);
    return live.ownDetail(request.user!.id, id);
  });

  app.patch('/api/streamer/live-sessions/:id', { schema: { tags: ['live'], summary: "Update streamer's live session", params: SessionIdParams, body: UpdateSessionBody }, config: { access: streamer } }, async (request) => {
    const { id } = parseInput(SessionIdParams, request.params, request.locale);
    const body = parseInput(UpdateSessionBody, request.body, request.locale);
    return live.update(request.user!.id, id, body);
  });

  app.post('/api/streamer/live-sessions/:id/stream-key', { schema: { tags: ['live'], summary: 'New stream key for a live session', params: SessionIdParams }, config: { access: streamer } }, async (request) => {
    const { id } = parseInput(SessionIdParams, request.params, request.locale);
    return live.regenerateKey(request.user!.id, id);
  });

  app.post('/api/streamer/live-sessions/:id/end', { schema: { tags: ['live'], summary: 'End a live session', params: SessionIdParams }, config: { access: streamer } }, async (request) => {
    const { id } = parseInput(SessionIdParams, request.params, request.locale);
    return live.endByStreamer(request.user!.id, id);
  });

  // The cover is the request body itself (content-type image/jpeg, image/png or image/webp).
  app.addContentTypeParser(/^image\//, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.put(
    '/api/streamer/live-sessions/:id/cover',
    { schema: { tags: ['live'], summary: "Upload a live session's cover", params: SessionIdParams }, bodyLimit: config.COVER_MAX_BYTES, config: { access: streamer, tooLarge: 'COVER_TOO_LARGE' } },
    async (request) => {
      const { id } = parseInput(SessionIdParams, request.params, request.locale);
      if (!Buffer.isBuffer(request.body)) throw new AppError('COVER_NOT_IMAGE');
      // Check ownership before writing anything to disk.
      await live.ownDetail(request.user!.id, id);
      const url = saveCover(config.dataDir, id, request.body);
      const previous = await live.setCover(request.user!.id, id, url);
      if (previous?.startsWith('/media/covers/')) fs.rmSync(path.join(coverDir(config.dataDir), path.basename(previous)), { force: true });
      return { coverUrl: url };
    },
  );

  // --- browser go-live: WHIP (RFC 9725); a practice live's (server/training/routes.ts) uses this parser too ---
  app.addContentTypeParser('application/sdp', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post('/api/streamer/live-sessions/:id/whip', { schema: { tags: ['live'], summary: 'Browser go-live: WHIP offer', params: SessionIdParams }, config: { access: streamer } }, async (request, reply) => {
    const { id } = parseInput(SessionIdParams, request.params, request.locale);
    const result = await live.whipPublish(request.user!.id, id, request.body);
    reply.code(201).header('content-type', 'application/sdp').header('location', `/api/streamer/live-sessions/${id}/whip/${result.resourceId}`);
    return result.answer;
  });
  app.delete('/api/streamer/live-sessions/:id/whip/:resource', { schema: { tags: ['live'], summary: 'Browser go-live: end the WHIP session', params: WhipResourceParams }, config: { access: streamer } }, async (request, reply) => {
    const { id, resource } = parseInput(WhipResourceParams, request.params, request.locale);
    await live.whipStop(request.user!.id, id, resource);
    reply.code(204);
  });

  // --- operators ---
  app.get('/api/admin/live-streams', { schema: { tags: ['live'], summary: 'List live streams (operator)' }, config: { access: operator } }, async () => ({
    streams: await live.listLiveForOperator(),
    rejections: await live.rejections(),
  }));

  app.post('/api/admin/live-sessions/:id/cut-off', { schema: { tags: ['live'], summary: 'Cut off a live (operator)', params: SessionIdParams, body: CutOffBody }, config: { access: operator } }, async (request, reply) => {
    const { id } = parseInput(SessionIdParams, request.params, request.locale);
    const { reason } = parseInput(CutOffBody, request.body, request.locale);
    await live.cutOff(request.user!.id, id, reason);
    reply.code(204);
  });

  app.post('/api/admin/live-sessions/:id/replay/delete', { schema: { tags: ['live'], summary: "Delete a live's replay (operator)", params: SessionIdParams, body: DeleteReplayBody }, config: { access: operator } }, async (request, reply) => {
    const { id } = parseInput(SessionIdParams, request.params, request.locale);
    const { reason } = parseInput(DeleteReplayBody, request.body, request.locale);
    await live.deleteReplay(request.user!.id, id, reason);
    reply.code(204);
  });

  // --- an external origin (SRS and compatible) asks whether to accept a publisher ---
  const hookGuard = (token: string | undefined) => {
    if (!config.MEDIA_HOOK_TOKEN || token !== config.MEDIA_HOOK_TOKEN) throw new AppError('MEDIA_HOOK_FORBIDDEN');
  };
  // The token is checked at preValidation, before Fastify validates the body: a caller without it learns nothing from the body's shape.
  app.post('/api/media/hooks/on_publish', { schema: { tags: ['live'], summary: 'Media origin callback: a stream starts', querystring: HookQuery, body: OriginHookBody }, config: { access: { kind: 'public' }, csrf: false }, preValidation: async (request) => hookGuard(parseInput(HookQuery, request.query, request.locale).token) }, async (request, reply) => {
    const hook = parseInput(OriginHookBody, request.body, request.locale);
    const key = new URLSearchParams((hook.param ?? '').replace(/^\?/, '')).get('key') ?? undefined;
    const attempt = { sessionId: hook.stream, key, ip: hook.ip ?? '' };
    const decision = hook.app === 'live' ? await live.authorizePublish(attempt) : ({ ok: false, reason: 'unknown stream path' } as const);
    if (!decision.ok) {
      await live.onRejected(attempt, decision.reason);
      reply.code(403);
      return { code: 403, msg: decision.reason };
    }
    await live.onPublishStart(hook.stream, attempt.ip);
    return { code: 0 };
  });
  app.post('/api/media/hooks/on_unpublish', { schema: { tags: ['live'], summary: 'Media origin callback: a stream stops', querystring: HookQuery, body: OriginHookBody }, config: { access: { kind: 'public' }, csrf: false }, preValidation: async (request) => hookGuard(parseInput(HookQuery, request.query, request.locale).token) }, async (request) => {
    const hook = parseInput(OriginHookBody, request.body, request.locale);
    if (hook.app === 'live') await live.onPublishEnd(hook.stream, 'closed');
    return { code: 0 };
  });

  // --- video: HTTP-FLV, HLS and replays, public like the live room itself ---
  app.get('/live/:file', async (request, reply) => {
    const match = /^([0-9a-f-]{36})(_480p)?\.flv$/.exec((request.params as { file: string }).file);
    if (!match) throw new AppError('NOT_FOUND');
    const sessionId = match[1]!;
    const summary = await live.publicDetail(sessionId);
    if (summary.session.status === 'scheduled') throw new AppError('LIVE_NOT_STARTED');
    if (summary.session.status === 'ended') throw new AppError('LIVE_ENDED');
    if (!deps.ingest) throw new AppError('NOT_FOUND');
    reply.hijack();
    // The body is raw FLV on the socket until either side closes it: no chunked framing to pay for.
    const head = [
      'HTTP/1.1 200 OK',
      'Content-Type: video/x-flv',
      'Cache-Control: no-store',
      'Connection: close',
      'Access-Control-Allow-Origin: *',
      `X-Request-Id: ${request.id}`,
      '',
      '',
    ].join('\r\n');
    deps.ingest.watch(match[2] ? `${sessionId}_480p` : sessionId, request.raw.socket, head);
  });

  app.get('/live/:id/:file', async (request, reply) => {
    const { id, file } = request.params as { id: string; file: string };
    if (!/^[0-9a-f-]{36}$/.test(id) || !/^(index\.m3u8|seg-\d+\.ts)$/.test(file)) throw new AppError('NOT_FOUND');
    const summary = await live.publicDetail(id);
    if (summary.session.status === 'scheduled') throw new AppError('LIVE_NOT_STARTED');
    if (summary.session.status === 'ended') throw new AppError('LIVE_ENDED');
    return sendMediaFile(reply, path.join(hlsDir(config.dataDir, id), file));
  });

  app.get('/replay/:id/:file', async (request, reply) => {
    const { id, file } = request.params as { id: string; file: string };
    if (!/^[0-9a-f-]{36}$/.test(id) || !/^(index\.m3u8|part-\d{5}\.ts)$/.test(file)) throw new AppError('NOT_FOUND');
    const dir = await live.replayPath(id);
    return sendMediaFile(reply, path.join(dir, file), 'public, max-age=3600');
  });

  app.get('/media/covers/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    if (!/^[0-9a-f-]{36}-[0-9a-f]{12}\.(jpg|png|webp)$/.test(file)) throw new AppError('NOT_FOUND');
    return sendMediaFile(reply, path.join(coverDir(config.dataDir), file), 'public, max-age=86400');
  });
}

function sendMediaFile(reply: FastifyReply, file: string, cacheControl?: string) {
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND');
  const type = FILE_TYPES[path.extname(file)] ?? 'application/octet-stream';
  reply.header('content-type', type);
  reply.header('access-control-allow-origin', '*');
  reply.header('cache-control', cacheControl ?? (file.endsWith('.m3u8') ? 'no-cache' : 'public, max-age=60'));
  return reply.send(fs.createReadStream(file));
}
