import type { Logger } from 'pino';
import type { AccountsService } from '../accounts/service.ts';
import type { Commerce } from '../commerce/index.ts';
import type { Outbox } from '../events/outbox.ts';
import type { OrgsService } from '../orgs/service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { outageOf } from '../platform/outage.ts';
import { createFirstStores } from './firststores.ts';
import { createVoucherRefunds } from './refunds.ts';
import { createVoucherService } from './service.ts';
import { asVTrx, withVoucherTables } from './store.ts';
import { oneAtATime } from '../platform/one-at-a-time.ts';

/**
 * 直播+生活服务 (docs/VOUCHERS.md): the 'voucher' product kind's rules at the shared checkout, store
 * staff redemption, 随时退 / 过期退 through after-sales, and first stores' O2O coupons.
 */
export function createVouchers(deps: { db: Db; clock: Clock; logger: Logger; commerce: Commerce; outbox: Outbox; orgs: OrgsService; accounts: AccountsService; sweepMs: number }) {
  const db = withVoucherTables(deps.db);
  const service = createVoucherService({ db, clock: deps.clock, commerce: deps.commerce, outbox: deps.outbox, orgs: deps.orgs, accounts: deps.accounts });
  const refunds = createVoucherRefunds({ db, clock: deps.clock, logger: deps.logger, commerce: deps.commerce, service });
  const firstStores = createFirstStores({ db, clock: deps.clock, service });

  deps.commerce.kinds.register({
    kind: 'voucher',
    adjust: async (ctx) => service.checkSellable(ctx.products.map((p) => p.id)),
    // Nothing is shipped: no address is asked and no shipping charged.
    quote: async (ctx) => ({ ships: false, data: await service.quoteData(ctx.products.map((p) => p.id)) }),
    paid: (trx, order, items) => service.issue(asVTrx(trx), order, items),
    released: (trx, order) => service.voidUnused(asVTrx(trx), order),
  });

  let timer: NodeJS.Timeout | null = null;
  let lastOutageLog = 0;
  const sweep = oneAtATime(async () => {
    try {
      return await refunds.sweep();
    } catch (err) {
      const outage = outageOf(err);
      if (!outage) deps.logger.error({ err }, 'voucher sweep failed; next tick retries');
      else if (Date.now() - lastOutageLog >= 10_000) {
        lastOutageLog = Date.now();
        deps.logger.warn({ err, code: outage }, 'voucher sweep skipped: a backing service is unavailable');
      }
      return null;
    }
  });

  return {
    service,
    refunds,
    firstStores,
    sweep,
    start() {
      // Expiry refunds are not urgent to the second: every 10 sweep periods (5 s by default).
      timer ??= setInterval(() => void sweep(), deps.sweepMs * 10);
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

export type Vouchers = ReturnType<typeof createVouchers>;
