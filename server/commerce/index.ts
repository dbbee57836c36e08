import type BetterSqlite from 'better-sqlite3';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db.ts';
import type { Outbox } from '../events/outbox.ts';
import { outageOf } from '../platform/outage.ts';
import type { Secrets } from '../platform/secrets.ts';
import type { RoomService } from '../room/service.ts';
import { createAfterSales } from './aftersales.ts';
import { createFlash } from './flash.ts';
import { createKinds } from './kinds.ts';
import { createOrders } from './orders.ts';
import { createSandboxProvider } from './payments/sandbox.ts';
import { createShop, type CooperationTerms } from './shop.ts';
import { oneAtATime } from '../platform/one-at-a-time.ts';

export type CommerceDeps = {
  db: Db;
  sqlite?: BetterSqlite.Database;
  clock: Clock;
  logger: Logger;
  config: Config;
  secrets: Secrets;
  room: RoomService;
  redis?: Redis;
  outbox: Outbox;
  /** The product-selection square's terms for the 小黄车 (server/cooperation), given in app.ts. */
  cooperation?: CooperationTerms;
};

/** Shopping in the room: catalogue views, checkout, payment, orders, after-sales and flash sales. */
export function createCommerce(deps: CommerceDeps) {
  const { db, clock, logger, config, room } = deps;
  let selfUrl = config.PAYMENT_NOTIFY_BASE_URL ?? `http://127.0.0.1:${config.PORT}`;
  const sandbox = createSandboxProvider({ db, clock, secrets: deps.secrets, logger, appId: config.PAYMENT_APP_ID, merchantId: config.PAYMENT_MERCHANT_ID });
  const provider = sandbox.provider;
  if (config.NODE_ENV === 'production') logger.warn('payments go through the built-in sandbox, which moves no money: see docs/OPERATIONS.md before taking real orders');
  const shop = createShop({ db, clock, room, cooperation: deps.cooperation });
  const kinds = createKinds();
  const orders = createOrders({
    db,
    clock,
    logger,
    shop,
    room,
    provider,
    config: { payTimeoutSeconds: config.ORDER_PAY_TIMEOUT_SECONDS, autoConfirmDays: config.ORDER_AUTO_CONFIRM_DAYS, appId: config.PAYMENT_APP_ID, merchantId: config.PAYMENT_MERCHANT_ID },
    notifyBaseUrl: () => selfUrl,
    outbox: deps.outbox,
    kinds,
  });
  const afterSales = createAfterSales({ db, clock, logger, orders, provider, outbox: deps.outbox, kinds });
  const flash = createFlash({ db, sqlite: deps.sqlite, clock, logger, orders, shop, room, redis: deps.redis, prefix: config.REDIS_PREFIX, maxInflight: config.FLASH_MAX_INFLIGHT, reservationTimeoutMs: config.FLASH_RESERVATION_TIMEOUT_SECONDS * 1000 });

  // Coupon drops in the room hand out real brand coupons.
  room.attachCommerce({
    async dropCreated(drop) {
      const start = clock.now();
      const coupon = await shop.createCoupon(
        drop.brandOrgId,
        { title: drop.title, kind: 'amount', amountOffFen: drop.amountOffFen, scope: 'brand', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 24 * 3600_000).toISOString(), perUserLimit: 1, total: drop.total },
        { sessionId: drop.sessionId, dropId: drop.id },
      );
      return coupon.id;
    },
    async dropClaimed(trx, couponId, userId) {
      await shop.claimCoupon(userId, couponId, trx);
    },
  });

  let timer: NodeJS.Timeout | null = null;
  let ticks = 0;
  let lastOutageLog = 0;
  /** Every background duty, once; each is safe to run on several nodes at the same time. */
  const sweep = oneAtATime(async () => {
    try {
      await orders.sweepExpired();
      await flash.sweepEnded();
      await sandbox.deliverDue();
      if (ticks % 5 === 0) {
        await orders.sweepUnnotified();
        await afterSales.sweepRefunds();
        await flash.reconcile();
      }
      if (ticks % 60 === 0) await orders.sweepAutoConfirm();
      ticks++;
    } catch (err) {
      // While the database or Redis is away every tick fails the same way: say so every 10 s, not every tick.
      const outage = outageOf(err);
      if (!outage) logger.error({ err }, 'commerce sweep failed; next tick retries');
      else if (Date.now() - lastOutageLog >= 10_000) {
        lastOutageLog = Date.now();
        logger.warn({ err, code: outage }, 'commerce sweep skipped: a backing service is unavailable; it resumes by itself');
      }
    }
  });

  return {
    shop,
    /** Register the rules of a product kind here (server/commerce/kinds.ts). */
    kinds,
    orders,
    afterSales,
    flash,
    provider,
    sandbox,
    sweep,
    /** Where the provider's notifications go, once the server knows its port. */
    setSelfUrl(url: string) {
      if (!config.PAYMENT_NOTIFY_BASE_URL) selfUrl = url;
    },
    start() {
      timer ??= setInterval(() => void sweep(), config.COMMERCE_SWEEP_MS);
      timer.unref();
    },
    /** Stops the timer, and resolves once a sweep still running has finished. */
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await sweep.idle();
    },
  };
}

export type Commerce = ReturnType<typeof createCommerce>;
