import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { accountsRoutes } from './accounts/routes.ts';
import { createAccountsService } from './accounts/service.ts';
import { createAccountsStore } from './accounts/store.ts';
import { adminRoutes } from './admin/routes.ts';
import { basesRoutes } from './bases/routes.ts';
import { createBasesDomain } from './bases/index.ts';
import { catalogRoutes } from './catalog/routes.ts';
import { createCatalogService } from './catalog/service.ts';
import { createCatalogStore } from './catalog/store.ts';
import { createAuditLog } from './compliance/audit.ts';
import { createCommerce } from './commerce/index.ts';
import { createAnalytics } from './analytics/index.ts';
import { analyticsRoutes } from './analytics/routes.ts';
import { cockpitRoutes } from './cockpit/routes.ts';
import { createCockpit } from './cockpit/service.ts';
import { createCockpitStore } from './cockpit/store.ts';
import { createCooperation, type Cooperation } from './cooperation/index.ts';
import { discoveryRoutes } from './discovery/routes.ts';
import { searchRoutes } from './search/routes.ts';
import { createSearchService } from './search/service.ts';
import { createDiscovery } from './discovery/service.ts';
import { cooperationRoutes } from './cooperation/routes.ts';
import { createOutbox } from './events/outbox.ts';
import { installSecurityHeaders } from './platform/security-headers.ts';
import { createEventRunner } from './events/runner.ts';
import { createLedger } from './ledger/index.ts';
import { ledgerRoutes } from './ledger/routes.ts';
import { commerceRoutes } from './commerce/routes.ts';
import { locateFfmpeg, type FfmpegInfo } from './live/media/ffmpeg.ts';
import { createMedia } from './live/media/index.ts';
import { liveRoutes } from './live/routes.ts';
import { createLiveBrands } from './live/brands.ts';
import { createLiveService } from './live/service.ts';
import { createLiveStore } from './live/store.ts';
import { createMcn } from './mcn/index.ts';
import { mcnRoutes } from './mcn/routes.ts';
import { installMetrics } from './metrics/index.ts';
import { orgsRoutes } from './orgs/routes.ts';
import { picturesRoutes } from './pictures/routes.ts';
import { createPictures } from './pictures/service.ts';
import { createBasePhotos } from './bases/photos.ts';
import { basePhotosRoutes } from './bases/photo-routes.ts';
import { createS3Storage } from './pictures/s3-storage.ts';
import { createDiskStorage } from './pictures/storage.ts';
import { createOrgsService } from './orgs/service.ts';
import { createOrgsStore } from './orgs/store.ts';
import { createReplays } from './replays/chapters.ts';
import { replaysRoutes } from './replays/routes.ts';
import { installAccess } from './platform/access.ts';
import { installOpenApi, zodValidatorCompiler } from './platform/openapi.ts';
import { isSameOrigin } from './platform/origin.ts';
import { negotiateLocale } from './platform/i18n.ts';
import type { Clock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import { pingDatabase, type DatabaseHandle } from './platform/db.ts';
import { AppError, messageFor, type ErrorCode } from './platform/errors.ts';
import { outageOf, withDeadline } from './platform/outage.ts';
import { Secrets } from './platform/secrets.ts';
import { createLocalBus, createRedisBus } from './room/bus.ts';
import { RoomHubs } from './room/hub.ts';
import { roomRoutes } from './room/routes.ts';
import { createRoomService } from './room/service.ts';
import { createRoomStore } from './room/store.ts';
import { streamersRoutes } from './streamers/routes.ts';
import { createWebhooks } from './webhooks/index.ts';
import { webhooksRoutes } from './webhooks/routes.ts';
import { liveEventsRoutes } from './webhooks/live-routes.ts';
import { createLiveStreams } from './webhooks/live-stream.ts';
import { createStreamersService } from './streamers/service.ts';
import { createStreamersStore } from './streamers/store.ts';
import { createTraining } from './training/index.ts';
import { trainingRoutes } from './training/routes.ts';
import { createCampaigns } from './campaigns/service.ts';
import { campaignRoutes } from './campaigns/routes.ts';
import { campaignStatistics } from './campaigns/statistics.ts';
import { createCrossBorder } from './crossborder/index.ts';
import { crossBorderRoutes } from './crossborder/routes.ts';
import { createVouchers } from './vouchers/index.ts';
import { vouchersRoutes } from './vouchers/routes.ts';
import { installPracticeGate } from './training/visibility.ts';
import { createAuctions } from './auctions/service.ts';
import { auctionsRoutes } from './auctions/routes.ts';
import { createTalent } from './talent/index.ts';
import { talentRoutes } from './talent/routes.ts';
import { commissionRoutes } from './commission/routes.ts';
import { createNotifications } from './notifications/index.ts';
import { notificationsRoutes } from './notifications/routes.ts';
import { createLaunches } from './launches/index.ts';
import { reminderMinutesFromEnv } from './launches/reminders.ts';
import { launchesRoutes } from './launches/routes.ts';
import { createPresaleDomain } from './presale/index.ts';
import { presaleRoutes } from './presale/routes.ts';
import { createB2b } from './b2b/index.ts';
import { b2bRoutes } from './b2b/routes.ts';
import { createOrigin } from './origin/index.ts';
import { originRoutes } from './origin/routes.ts';
import { createExhibitions } from './exhibitions/index.ts';
import { exhibitionsRoutes } from './exhibitions/routes.ts';
import { createPreviews } from './previews/index.ts';

export type AppDeps = {
  config: Config;
  database: DatabaseHandle;
  clock: Clock;
  secret: string;
  logger: Logger;
  redis?: Redis;
  /** Found at start-up unless given (tests pass null to run without ffmpeg). */
  ffmpeg?: FfmpegInfo;
};

/** The services every domain shares; built once per process and handed to routes, seeders and tests. */
export function createServices(deps: Pick<AppDeps, 'config' | 'database' | 'clock' | 'secret' | 'logger' | 'redis'> & { ffmpeg: FfmpegInfo }) {
  const { db } = deps.database;
  const { config } = deps;
  const secrets = new Secrets(deps.secret);
  const audit = createAuditLog(db, deps.clock);
  const accounts = createAccountsService({ store: createAccountsStore(db), clock: deps.clock, config });
  const orgs = createOrgsService({ store: createOrgsStore(db), accounts, audit, clock: deps.clock });
  const streamers = createStreamersService({ store: createStreamersStore(db), secrets, audit, clock: deps.clock, forgetUser: accounts.forgetUser });
  const liveStore = createLiveStore(db);
  const replays = createReplays(db);
  const catalogStore = createCatalogStore(db);
  let rtmpPort = config.RTMP_PORT;
  const live = createLiveService({
    store: liveStore,
    clock: deps.clock,
    secrets,
    audit,
    logger: deps.logger,
    config,
    canGoLive: async (userId) => (await streamers.statusOf(userId)) === 'approved',
    isApprovedBrand: async (orgId) => {
      const org = await orgs.get(orgId).catch(() => null);
      return org?.kind === 'brand' && org.status === 'approved';
    },
    brands: createLiveBrands(db),
    hlsAvailable: Boolean(deps.ffmpeg) && config.HLS_ENABLED && config.MEDIA_INGEST === 'embedded',
    rtmpPort: () => rtmpPort,
    loopbackRtmpPort: () => media.ingest?.internalPort ?? 0,
    pins: replays.pins,
  });
  const media = createMedia(config, deps.ffmpeg, live, deps.logger);
  live.attachMedia(media.control);
  const bus = deps.redis ? createRedisBus(deps.redis, config.REDIS_PREFIX, deps.logger) : createLocalBus();
  const hubs = new RoomHubs(bus, {
    tickMs: config.ROOM_TICK_MS,
    writesPerSecond: config.ROOM_WRITES_PER_SECOND,
    maxChatPerTick: config.ROOM_CHAT_MAX_PER_TICK,
    chatDeliveriesPerSecond: config.ROOM_CHAT_DELIVERIES_PER_SECOND,
    viewersPerGroup: config.ROOM_VIEWERS_PER_GROUP,
    maxBufferedBytes: config.ROOM_MAX_BUFFERED_BYTES,
    nodeId: live.nodeId,
  });
  const room = createRoomService({ db, store: createRoomStore(db), bus, hubs, clock: deps.clock, secrets, logger: deps.logger });
  live.onStatus((sessionId, status) => room.publishStatus(sessionId, status));
  const outbox = createOutbox(deps.database.dialect);
  const events = createEventRunner({ db, dialect: deps.database.dialect, clock: deps.clock, logger: deps.logger });
  // The product-selection square (server/cooperation) is built after the ledger it posts to; the
  // 小黄车 asks it for terms through this small interface, bound once it exists.
  let cooperation: Cooperation | null = null;
  const cooperationTerms = {
    terms: (streamerId: string, productIds: string[]) => cooperation!.terms(streamerId, productIds),
    approvedProductIds: (streamerId: string) => cooperation!.approvedProductIds(streamerId),
  };
  const commerce = createCommerce({ db, sqlite: deps.database.sqlite, clock: deps.clock, logger: deps.logger, config, secrets, room, redis: deps.redis, outbox, cooperation: cooperationTerms });
  const ledger = createLedger({ db, dialect: deps.database.dialect, sqlite: deps.database.sqlite, clock: deps.clock, logger: deps.logger, config, provider: commerce.provider });
  const mcn = createMcn({ db, dialect: deps.database.dialect, clock: deps.clock, outbox, live, liveStore, audit });
  cooperation = createCooperation({ db, dialect: deps.database.dialect, clock: deps.clock, logger: deps.logger, outbox, ledger: ledger.store, mcnRights: mcn });
  events.register(ledger.consumer);
  // 直播+消费帮扶: certified lines sold, and the producer's proceeds posted once the ledger settles (docs/ORIGIN.md).
  const origin = createOrigin({ db, dialect: deps.database.dialect, clock: deps.clock, logger: deps.logger, outbox, ledger: ledger.store });
  events.register(origin.proceeds.consumer);
  commerce.shop.setTraceable(origin.traceable);
  // Live numbers: the big screen, the review, and the per-minute samples they need (docs/ANALYTICS.md).
  const analytics = createAnalytics({ db, dialect: deps.database.dialect, clock: deps.clock, logger: deps.logger, bus, room, mcn, sampleMs: config.ANALYTICS_SAMPLE_SECONDS * 1000 });
  live.onStatus((sessionId, status) => {
    if (status === 'ended') void analytics.sampler.final(sessionId);
  });
  // The open platform: API keys, and webhooks fed by the outbox (docs/WEBHOOKS.md).
  const webhooks = createWebhooks({ db, clock: deps.clock, logger: deps.logger, config, secrets });
  events.register(webhooks.consumer);
  // The open event WebSocket of a live (docs/WEBHOOKS.md): a revocation on this node closes its key's sockets at once.
  const liveStreams = createLiveStreams({ db, bus, clock: deps.clock, logger: deps.logger });
  webhooks.apiKeys.onRevoked((keyId) => liveStreams.revoked(keyId));
  const notifications = createNotifications({ db, dialect: deps.database.dialect, clock: deps.clock, logger: deps.logger, config: { messenger: config.NOTIFY_MESSENGER, batchSize: config.NOTIFY_BATCH_SIZE, claimSeconds: config.NOTIFY_CLAIM_SECONDS, sweepMs: config.NOTIFY_SWEEP_MS } });
  // Launches (首发) and reservations; reminders and "now live" to followers go through notifications (docs/LAUNCHES.md).
  const launches = createLaunches({ db, clock: deps.clock, logger: deps.logger, flash: commerce.flash, notifications, reminderMinutes: reminderMinutesFromEnv({ REMINDER_MINUTES: config.REMINDER_MINUTES }) });
  live.onStatus((_sessionId, status) => {
    if (status === 'live') void notifications.sweep().catch(() => undefined);
  });
  const pictures = createPictures({
    db,
    dialect: deps.database.dialect,
    clock: deps.clock,
    logger: deps.logger,
    storage:
      config.PICTURE_STORE === 's3'
        ? createS3Storage(
            { endpoint: config.S3_ENDPOINT, region: config.S3_REGION, bucket: config.S3_BUCKET!, accessKeyId: config.S3_ACCESS_KEY_ID!, secretAccessKey: config.S3_SECRET_ACCESS_KEY!, forcePathStyle: config.S3_FORCE_PATH_STYLE },
            deps.logger,
          )
        : createDiskStorage(path.join(config.dataDir, 'media')),
    catalog: catalogStore,
    limits: { maxBytes: config.PRODUCT_IMAGE_MAX_BYTES, maxPixels: config.PRODUCT_IMAGE_MAX_PIXELS },
    publicUrl: config.PICTURE_STORE === 's3' ? config.S3_PUBLIC_URL : undefined,
  });
  const bases = createBasesDomain({ db, dialect: deps.database.dialect, clock: deps.clock, live, mcn, ledger: ledger.store, withdrawals: ledger.withdrawals, audit, notifications, logger: deps.logger });
  const campaigns = createCampaigns({ db, clock: deps.clock, shop: commerce.shop, viewers: async (sessionId) => (await bus.counts(sessionId)).online });
  commerce.orders.setCampaignScope(campaigns.brandIn);
  return {
    liveStreams,
    commerce,
    events,
    webhooks,
    ledger,
    cooperation,
    audit,
    accounts,
    orgs,
    streamers,
    live,
    liveStore,
    replays,
    room,
    hubs,
    bus,
    media: {
      ...media,
      async start() {
        const started = await media.start();
        if (started.rtmpPort !== null) rtmpPort = started.rtmpPort;
        live.startHeartbeat();
        return started;
      },
      async stop() {
        await live.shutdown();
        await media.stop();
      },
    },
    catalog: catalogStore,
    catalogService: createCatalogService({ store: catalogStore, clock: deps.clock }),
    pictures,
    // Photos of bases and studios, through the pictures' pipeline and store (docs/BASES.md, "Photos").
    basePhotos: createBasePhotos({ db, dialect: deps.database.dialect, clock: deps.clock, pictures: pictures.shared }),
    bases,
    mcn,
    analytics,
    cockpit: createCockpit({ store: createCockpitStore(db), room, bus, commerce, clock: deps.clock }),
    // Talent training and certification (docs/TRAINING.md).
    training: createTraining({ db, accounts, audit, clock: deps.clock, secret: deps.secret, live, room, logger: deps.logger }),
    // 直播+跨境电商: cross-border retail import, a product kind of the shared checkout (docs/CROSSBORDER.md).
    crossBorder: createCrossBorder({ db, clock: deps.clock, secrets, kinds: commerce.kinds }),
    // The talent catalogue and the commission's portal (docs/TALENT.md).
    talent: createTalent({ db, audit, clock: deps.clock, reports: bases.reports }),
    // Festival campaigns (五五购物节): brands, lives, shared coupons paid by the platform, a live leaderboard (docs/CAMPAIGNS.md).
    campaigns,
    // 直播+生活服务: vouchers redeemed in store, store staff, first stores (docs/VOUCHERS.md).
    vouchers: createVouchers({ db, clock: deps.clock, logger: deps.logger, commerce, outbox, orgs, accounts, sweepMs: config.COMMERCE_SWEEP_MS }),
    // Live auctions (docs/AUCTIONS.md).
    auctions: createAuctions({ db, dialect: deps.database.dialect, clock: deps.clock, logger: deps.logger, orders: commerce.orders, room, outbox }),
    // The notification centre: site, e-mail and SMS, each delivered once (docs/NOTIFICATIONS.md).
    notifications,
    launches,
    // 定金预售: deposit now, balance later, through the shared checkout's orders (docs/PRESALE.md).
    presale: createPresaleDomain({ db, clock: deps.clock, logger: deps.logger, orders: commerce.orders, afterSales: commerce.afterSales, kinds: commerce.kinds, outbox, notifier: notifications, sweepMs: config.COMMERCE_SWEEP_MS }),
    // 直播+产业供应链: the 'wholesale' kind, licences, samples, RFQs and leads (docs/B2B.md).
    b2b: createB2b({ db, clock: deps.clock, outbox, commerce }),
    origin,
    // 直播+会展: exhibitions, booths and their lives, follows and inquiries (docs/EXHIBITIONS.md).
    exhibitions: createExhibitions({ db, clock: deps.clock, outbox }),
  };
}

export type Services = ReturnType<typeof createServices>;

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function buildApp(deps: AppDeps): Promise<{ app: FastifyInstance; services: Services; ffmpeg: FfmpegInfo }> {
  const { config } = deps;
  let requestCounter = 0;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    requestIdHeader: 'x-request-id',
    genReqId: () => `req-${(++requestCounter).toString(36)}-${process.pid.toString(36)}`,
    // Slow clients: the request head must arrive within HTTP_HEADERS_TIMEOUT_MS and the whole request
    // within HTTP_REQUEST_TIMEOUT_MS, or node answers 408 and closes. Both clocks stop once the request
    // is in, so HTTP-FLV streams and upgraded WebSockets are not cut. Node checks them every
    // connectionsCheckingInterval (30 s by default, which would let a slow client stay 30 s too long).
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout: Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS),
      requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: 1000,
    },
  });
  const ffmpeg = deps.ffmpeg === undefined ? locateFfmpeg(config.FFMPEG_PATH) : deps.ffmpeg;
  const services = createServices({ ...deps, ffmpeg });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // A flash sale's crowd: refusals known from memory (sold out, not started, ended, busy) are answered
  // before the session lookup, CSRF and validation, so a sold-out sale costs little to keep refusing.
  const flashOrder = /^\/api\/flash-sales\/([\w-]{1,64})\/orders(?:\?|$)/;
  app.addHook('onRequest', async (request) => {
    if (request.method !== 'POST') return;
    const match = flashOrder.exec(request.url);
    if (!match) return;
    try {
      services.commerce.flash.precheck(match[1]!);
    } catch (error) {
      request.locale = negotiateLocale(request.headers['accept-language']);
      throw error;
    }
  });

  // Video (and covers) may come from a CDN or an external origin.
  const mediaOrigin = config.MEDIA_PLAY_BASE_URL ? [new URL(config.MEDIA_PLAY_BASE_URL).origin] : [];
  // Product pictures from their bucket or CDN (docs/PICTURES.md).
  const pictureOrigin = config.PICTURE_STORE === 's3' && config.S3_PUBLIC_URL ? [new URL(config.S3_PUBLIC_URL).origin] : [];
  installSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:', 'blob:', ...mediaOrigin, ...pictureOrigin],
        'media-src': ["'self'", 'blob:', ...mediaOrigin],
        'worker-src': ["'self'", 'blob:'],
        'connect-src': ["'self'", 'ws:', 'wss:', ...mediaOrigin],
        // Vite's production build has no inline scripts; http:// origins are not upgraded on plain-HTTP installs.
        'upgrade-insecure-requests': null,
      },
    },
    // The page is served over plain HTTP on a fresh install; HSTS belongs on the TLS terminator.
    hsts: false,
  });
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 4096 } });
  await app.register(csrf, {
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.COOKIE_SECURE },
  });
  await app.register(rateLimit, {
    global: false,
    // With Redis away, limits are not counted rather than every limited route failing.
    ...(deps.redis && { redis: deps.redis, nameSpace: `${config.REDIS_PREFIX}ratelimit:`, skipOnError: true }),
    errorResponseBuilder: (_request, context) => new AppError('RATE_LIMITED', { retryAfter: Math.ceil(context.ttl / 1000) }),
  });

  // CSRF: unsafe /api requests must come from our own origin and carry the token for the _csrf cookie.
  app.addHook('onRequest', async (request, reply) => {
    if (!UNSAFE_METHODS.has(request.method) || !request.url.startsWith('/api/')) return;
    if (request.routeOptions.config?.csrf === false) return;
    if (!isSameOrigin(request, config.ALLOWED_ORIGINS)) throw new AppError('CSRF_ORIGIN_MISMATCH');
    await new Promise<void>((resolve, reject) => {
      app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve()));
    });
  });

  installAccess(app, {
    resolveSession: services.accounts.resolveSession,
    findMembership: services.orgs.findMembership,
    findOrgKind: services.orgs.findOrgKind,
    resolveApiKey: services.webhooks.apiKeys.authenticate,
    publicPrefixes: ['/api/docs'],
  });
  // Practice lives (实训) are seen only by their trainee and trainers, and sell nothing (docs/TRAINING.md).
  services.room.attachPracticeWatch(services.training.visibility.mayWatch);
  installPracticeGate(app, { visibility: services.training.visibility, resolveSession: services.accounts.resolveSession });
  // Routes declare the zod schemas their handlers parse; Fastify checks them (after access) and they make the OpenAPI document.
  app.setValidatorCompiler(zodValidatorCompiler);

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const appError = toAppError(error, request.routeOptions.bodyLimit ?? config.BODY_LIMIT_BYTES, request.routeOptions.config?.tooLarge);
    if (appError.code === 'DATABASE_UNAVAILABLE' || appError.code === 'CACHE_UNAVAILABLE') {
      request.log.warn({ code: appError.code, cause: error.message }, 'request refused: a backing service is unavailable');
      reply.header('retry-after', '2');
    } else if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appError.code }, 'request refused');
    if (appError.code === 'FLASH_BUSY') reply.header('retry-after', '1');
    if (appError.code === 'RATE_LIMITED') reply.header('retry-after', String(appError.params.retryAfter ?? 60));
    const summary = messageFor(appError.code, request.locale, appError.params);
    reply.code(appError.status).send({
      error: {
        code: appError.code,
        // A validation message names each failing field, so it is useful even where only `message` is shown.
        message: appError.fields?.length ? `${summary}: ${appError.fields.map((f) => `${f.path}: ${f.message}`).join('; ')}` : summary,
        ...(appError.fields && { fields: appError.fields }),
      },
      requestId: request.id,
    });
  });

  // After the error handler (a route keeps the one set when it is added), before the other routes (docs/METRICS.md).
  installMetrics(app, { token: config.METRICS_TOKEN, logger: deps.logger, hubs: services.hubs, ingest: services.media.ingest, commerce: services.commerce.orders.counters, events: services.events });
  // Before the routes it describes: @fastify/swagger collects them as they are added.
  await installOpenApi(app);
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Ready = the database and Redis answer now. A load balancer stops sending traffic while either is
  // away and starts again by itself; each probe answers within 1.5 s whatever the backing service does.
  app.get('/readyz', async (_request, reply) => {
    const probe = (work: () => Promise<unknown>, what: string) =>
      withDeadline(work(), 1500, what).then(
        () => 'ok',
        (error: unknown) => (error instanceof Error ? error.message : 'error'),
      );
    const [database, redis] = await Promise.all([
      probe(() => pingDatabase(deps.database.db), 'the database'),
      deps.redis ? probe(() => deps.redis!.ping(), 'Redis') : undefined,
    ]);
    const checks: Record<string, string> = { database, ...(redis !== undefined && { redis }) };
    const ready = Object.values(checks).every((v) => v === 'ok');
    reply.code(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not ready', checks };
  });

  accountsRoutes(app, { accounts: services.accounts, streamerStatusOf: services.streamers.statusOf, config });
  orgsRoutes(app, { orgs: services.orgs });
  streamersRoutes(app, { streamers: services.streamers });
  liveRoutes(app, { store: services.liveStore, live: services.live, ingest: services.media.ingest, config });
  replaysRoutes(app, services.replays);
  catalogRoutes(app, { store: services.catalog, catalog: services.catalogService });
  picturesRoutes(app, { pictures: services.pictures, config });
  basesRoutes(app, { bases: services.bases, reports: services.bases.reports });
  basePhotosRoutes(app, { photos: services.basePhotos, config });
  mcnRoutes(app, { mcn: services.mcn });
  adminRoutes(app, { audit: services.audit });
  roomRoutes(app, { room: services.room, hubs: services.hubs, accounts: services.accounts, config });
  commerceRoutes(app, services.commerce);
  ledgerRoutes(app, services.ledger);
  cooperationRoutes(app, services.cooperation);
  cockpitRoutes(app, services.cockpit);
  analyticsRoutes(app, services.analytics);
  trainingRoutes(app, services.training);
  campaignRoutes(app, services.campaigns);
  crossBorderRoutes(app, services.crossBorder);
  vouchersRoutes(app, services.vouchers);
  auctionsRoutes(app, services.auctions);
  talentRoutes(app, services.talent);
  commissionRoutes(app, services.talent, () => campaignStatistics(deps.database.db, deps.clock));
  notificationsRoutes(app, services.notifications);
  launchesRoutes(app, services.launches.service);
  presaleRoutes(app, services.presale);
  b2bRoutes(app, services.b2b);
  originRoutes(app, services.origin);
  exhibitionsRoutes(app, services.exhibitions);
  webhooksRoutes(app, services.webhooks, config, services.catalogService);
  liveEventsRoutes(app, { streams: services.liveStreams, db: deps.database.db, clock: deps.clock });
  discoveryRoutes(app, createDiscovery({ db: deps.database.db, bus: services.bus, clock: deps.clock }));
  const search = createSearchService(deps.database.db, deps.database.dialect);
  searchRoutes(app, search);
  // Once, in the background: a PostgreSQL whose LC_CTYPE is not UTF-8 answers searches the same, slower (docs/SEARCH.md).
  search
    .nonUtf8Ctype()
    .then((ctype) => ctype !== null && deps.logger.warn({ lcCtype: ctype }, `search: the database's LC_CTYPE is "${ctype}", not UTF-8: pg_trgm cannot narrow Chinese queries of 3+ characters with its index (answers are the same; docs/SEARCH.md)`))
    .catch(() => undefined);
  services.commerce.start();
  services.vouchers.start();
  services.cooperation.start();
  // Practice lives' simulated audiences go into their rooms (docs/TRAINING.md).
  services.training.practices.startSimulation();
  services.events.start();
  services.notifications.start();
  services.presale.start();
  await services.room.reloadFilter();
  const bagTimer = setInterval(() => void services.room.drawDueBags(), 1000);
  bagTimer.unref();
  // Auctions close and pass to the next bidder from the database, on every node (docs/AUCTIONS.md).
  const auctionTimer = setInterval(() => void services.auctions.sweep(), 1000);
  auctionTimer.unref();
  app.addHook('onClose', async () => {
    clearInterval(bagTimer);
    services.training.practices.stopSimulation();
    clearInterval(auctionTimer);
    await Promise.all([services.auctions.sweep.idle(), services.commerce.stop(), services.vouchers.stop(), services.cooperation.stop(), services.presale.stop()]);
    await services.events.stop();
    await services.notifications.stop();
    services.hubs.closeAll();
    await services.room.shutdown();
    await services.bus.close();
  });

  app.addHook('onClose', async () => services.media.stop());
  const distDir = path.resolve(config.WEB_DIST_DIR);
  // Link previews of shared lives, bases and certificates (docs/PREVIEWS.md).
  const previews = createPreviews({ db: deps.database.db, certificates: services.training.certificates, distDir });
  await serveWebApp(app, distDir, previews.htmlFor);
  return { app, services, ffmpeg };
}

/** Serves the built React app, with index.html for every client-side route; `previewOf` gives a page its link preview (null: the plain file). */
async function serveWebApp(app: FastifyInstance, distDir: string, previewOf: (request: FastifyRequest) => Promise<string | null>) {
  const hasBuild = fs.existsSync(path.join(distDir, 'index.html'));
  if (hasBuild) {
    // wildcard: files are looked up per request, so a rebuilt web/dist is served without a restart.
    await app.register(fastifyStatic, { root: distDir, wildcard: true, index: ['index.html'] });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const accept = request.headers.accept ?? '';
    // HEAD as GET: some link fetchers ask HEAD first, and give up on a 404.
    const page = (request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/api/');
    const wantsPage = page && accept.includes('text/html');
    // Link-preview fetchers often accept */* (or send no Accept): a page with a preview answers them too.
    if (hasBuild && page && (wantsPage || accept === '' || accept.includes('*/*'))) {
      const html = await previewOf(request);
      if (html !== null) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
    }
    if (wantsPage && hasBuild) return reply.type('text/html').sendFile('index.html');
    if (wantsPage) return reply.type('text/plain; charset=utf-8').send('The web app is not built: run `npm run build:web` (npm start does this for you).');
    const error = new AppError('NOT_FOUND');
    return reply.code(404).send({ error: { code: error.code, message: messageFor('NOT_FOUND', request.locale) }, requestId: request.id });
  });
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'BODY_INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BODY_INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_CSRF_MISSING_SECRET: 'CSRF_TOKEN_INVALID',
  FST_CSRF_INVALID_TOKEN: 'CSRF_TOKEN_INVALID',
};

function toAppError(error: FastifyError | AppError, bodyLimit: number, tooLarge?: 'COVER_TOO_LARGE'): AppError {
  if (error instanceof AppError) return error;
  const outage = outageOf(error);
  if (outage) return new AppError(outage);
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (mapped === 'BODY_TOO_LARGE' && tooLarge) return new AppError(tooLarge, { limit: `${(bodyLimit / 1024 / 1024).toFixed(1)} MB` });
  if (mapped) return new AppError(mapped, mapped === 'BODY_TOO_LARGE' ? { limit: bodyLimit } : {});
  if (error instanceof SyntaxError && error.statusCode === 400) return new AppError('BODY_INVALID_JSON');
  if (error.statusCode === 404) return new AppError('NOT_FOUND');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new AppError('VALIDATION_FAILED');
  return new AppError('INTERNAL');
}
