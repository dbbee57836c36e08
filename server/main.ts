import type { Redis as RedisClient } from 'ioredis';
import net from 'node:net';
import pino from 'pino';
import { buildApp } from './app.ts';
import { seedDemoData } from './demo/seed.ts';
import { systemClock } from './platform/clock.ts';
import { ConfigError, loadConfig, type Config } from './platform/config.ts';
import { migrateToLatest, openDatabase, pingDatabase, type DatabaseHandle } from './platform/db.ts';
import { openRedis } from './platform/outage.ts';
import { loadSecret } from './platform/secrets.ts';

/** Exit codes: 2 = bad configuration, 3 = a backing service (database, Redis) is unreachable or a port (PORT, RTMP_PORT) is taken. */
async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Zhibo cannot start. ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.LOG_LEVEL, base: { pid: process.pid } });

  // A lost connection is logged at most every 10 s: a restart of PostgreSQL drops every pooled one at once.
  let lastConnectionError = 0;
  const database = openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.dataDir,
    poolSize: config.DATABASE_POOL_SIZE,
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
    sqliteCacheMb: config.SQLITE_CACHE_MB,
    sqliteCheckpointMs: config.SQLITE_CHECKPOINT_MS,
    onConnectionError: (error) => {
      if (Date.now() - lastConnectionError < 10_000) return;
      lastConnectionError = Date.now();
      logger.error({ err: error }, 'database: a connection was lost; it is replaced on the next request (requests answer DATABASE_UNAVAILABLE while the database is away)');
    },
  });
  try {
    await pingDatabase(database.db);
  } catch (error) {
    console.error(`Zhibo cannot start: the database at ${database.describe} does not answer (${describeError(error)}). Check DATABASE_URL.`);
    await database.close().catch(() => undefined);
    process.exit(3);
  }
  if (database.dialect === 'postgres') {
    // Migrations may build indexes on big tables: they run on their own connection, without the
    // per-statement timeout that protects requests.
    const migrations = openDatabase({ url: config.DATABASE_URL, dataDir: config.dataDir, poolSize: 1, connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS, queryTimeoutMs: 0 });
    try {
      await migrateToLatest(migrations.db, migrations.dialect);
    } finally {
      await migrations.close();
    }
  } else await migrateToLatest(database.db, database.dialect);

  let redis: RedisClient | undefined;
  if (config.REDIS_URL) {
    redis = openRedis(config.REDIS_URL, { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS, logger });
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      console.error(`Zhibo cannot start: Redis at ${config.REDIS_URL} does not answer (${describeError(error)}). Check REDIS_URL.`);
      redis.disconnect();
      await database.close();
      process.exit(3);
    }
  }

  const secret = loadSecret(config.SECRET_KEY, config.dataDir);
  const { app, services, ffmpeg } = await buildApp({ config, database, clock: systemClock, secret, logger, redis });
  if (ffmpeg) logger.info({ ffmpeg: ffmpeg.path, source: ffmpeg.source, version: ffmpeg.version }, `ffmpeg ${ffmpeg.version} from ${ffmpeg.source}: HLS, recordings and browser go-live are on`);
  else logger.warn('no ffmpeg found (system PATH, FFMPEG_PATH or @ffmpeg-installer): live plays over HTTP-FLV only; no HLS, recordings or browser go-live');
  if (config.DEMO_DATA) {
    const seeded = await seedDemoData(services, database, systemClock, { dataDir: config.dataDir });
    if (seeded) logger.info('demo data seeded (accounts are listed in the README)');
  }

  // The last line of defence: a promise nobody awaited must not end a process that serves live rooms
  // and takes orders. Each one is a bug to fix, so it is logged as an error with its stack.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection (a bug: please report it)'));

  installShutdown(async () => {
    await app.close();
    redis?.disconnect();
    await database.close();
  }, logger);

  const cannotListen = async (what: string, port: number, variable: string, error: unknown) => {
    console.error(`Zhibo cannot start: the ${what} port ${port} is not available (${describeError(error)}). Set ${variable}.`);
    await app.close().catch(() => undefined);
    redis?.disconnect();
    await database.close().catch(() => undefined);
    process.exit(3);
  };
  // The RTMP port is tried before HTTP is bound, so that a port held by another RTMP server (OBS's own, SRS) stops
  // the start before any "listening" line; media.start below still reports one taken in between.
  if (config.MEDIA_INGEST === 'embedded' && config.RTMP_PORT !== 0) {
    const taken = await portTaken(config.RTMP_PORT, config.HOST);
    if (taken) await cannotListen('RTMP', config.RTMP_PORT, 'RTMP_PORT', taken);
  }
  try {
    await app.listen({ port: config.PORT, host: config.HOST, backlog: config.HTTP_LISTEN_BACKLOG });
  } catch (error) {
    await cannotListen('HTTP', config.PORT, 'PORT', error);
  }
  const bound = app.server.address();
  if (bound && typeof bound === 'object') {
    const host = ['0.0.0.0', '::', ''].includes(config.HOST) ? '127.0.0.1' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    services.commerce.setSelfUrl(`http://${host}:${bound.port}`);
  }
  try {
    const { rtmpPort } = await services.media.start();
    if (rtmpPort !== null) logger.info(`RTMP ingest on rtmp://${config.HOST}:${rtmpPort}/live`);
    else logger.info('RTMP ingest is external (MEDIA_INGEST=external): publishers are authorized through /api/media/hooks/on_publish');
  } catch (error) {
    await cannotListen('RTMP', config.RTMP_PORT, 'RTMP_PORT', error);
  }
  logger.info(
    { database: database.dialect, redis: Boolean(redis), dataDir: config.dataDir },
    `Zhibo is serving on http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${config.PORT}`,
  );
}

function installShutdown(close: () => Promise<void>, logger: pino.Logger) {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error('shutdown took more than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    close()
      .then(() => {
        logger.info('shut down cleanly');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Whether another process holds the port: the error of binding it, or null once it was bound and let go. */
function portTaken(port: number, host: string): Promise<Error | null> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error) => resolve(error));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(null)));
  });
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length) return describeError(error.errors[0]);
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.message;
  return String(error);
}

await main();
