// The "pending settlement" figure of a statement (server/ledger/index.ts pendingSettlement) with many
// orders still in clearing: N pending orders of one brand, one streamer and one MCN (and N more of
// other parties, settled or pending, around them) written through the ledger's own ledger_orders
// writer; then the figure is read for each of the three parties, several times, and the median is
// reported with the time the writes took. A quick measurement, not one of the benchmarks.
//
//   npx tsx bench/ledger-pending.ts --orders 100000 --db sqlite
//   npx tsx bench/ledger-pending.ts --orders 100000 --db postgres
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pino from 'pino';
import { createSandboxProvider } from '../server/commerce/payments/sandbox.ts';
import { createLedger } from '../server/ledger/index.ts';
import type { LedgerOrder } from '../server/ledger/orders.ts';
import type { Clock } from '../server/platform/clock.ts';
import { migrateToLatest, type DatabaseHandle } from '../server/platform/db.ts';
import { newId } from '../server/platform/ids.ts';
import { openScratchDatabase } from './lib.ts';
import { Secrets } from '../server/platform/secrets.ts';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '100000' }, db: { type: 'string', default: 'sqlite' }, reads: { type: 'string', default: '7' } } });
const N = Number(values.orders);
const READS = Number(values.reads);
const dialect = values.db as 'sqlite' | 'postgres';
if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error('--db is sqlite or postgres');
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const clock: Clock = { now: () => new Date() };


const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const { database, cleanup } = await openScratchDatabase(dialect, 'pending', PG_URL);
  try {
    const db = database.db;
    await migrateToLatest(db, dialect);
    const logger = pino({ level: 'warn' });
    const sandbox = createSandboxProvider({ db, clock, secrets: new Secrets('bench-secret-0123456789-0123456789-abcdef'), logger, appId: 'a', merchantId: 'm' });
    const ledger = createLedger({ db, dialect, sqlite: database.sqlite, clock, logger, config: { PLATFORM_FEE_BPS: 500, SETTLEMENT_DELAY_DAYS: 7, SETTLEMENT_BATCH_SIZE: 5000 }, provider: sandbox.provider });
    const brand = newId();
    const streamer = newId();
    const mcn = newId();
    const at = new Date().toISOString();
    // Two lines at 20 % and 15 %; some orders partly refunded (so the shares are not all alike).
    const order = (i: number, mine: boolean): LedgerOrder => {
      const a = 5000 + (i % 97) * 100;
      const b = 3000 + (i % 13) * 10;
      const refunded = i % 10 === 0 ? 1000 : 0;
      return {
        order_id: newId(),
        brand_org_id: mine ? brand : `brand-${i % 20}`,
        streamer_id: mine ? streamer : `streamer-${i % 1000}`,
        mcn_org_id: mine ? mcn : i % 2 ? `mcn-${i % 50}` : null,
        mcn_split_bps: 3000,
        platform_fee_bps: 500,
        lines: [
          { itemId: `${i}-a`, productId: 'p1', paidFen: a, refundedFen: refunded, commissionBps: 2000 },
          { itemId: `${i}-b`, productId: 'p2', paidFen: b, refundedFen: 0, commissionBps: 1500 },
        ],
        paid_fen: a + b,
        refunded_fen: refunded,
        order_refunded_fen: 0,
        shipping_fen: 0,
        status: !mine && i % 4 === 1 ? 'settled' : 'pending',
        paid_at: at,
        completed_at: null,
        settle_after: null,
        settled_at: null,
        settled_shares: null,
        clawed_back_fen: 0,
      } as LedgerOrder;
    };
    const rows = Array.from({ length: 2 * N }, (_, i) => order(i, i % 2 === 0));
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += 10_000) {
      const chunk = rows.slice(i, i + 10_000);
      if (dialect === 'sqlite') {
        database.sqlite!.exec('begin');
        await ledger.orders.insert(db as never, chunk);
        database.sqlite!.exec('commit');
      } else {
        await db.transaction().execute((trx) => ledger.orders.insert(trx as never, chunk));
      }
    }
    const writeS = (performance.now() - t0) / 1000;
    if (dialect === 'postgres') await sql`analyze ledger_orders`.execute(db);
    const result: Record<string, unknown> = { bench: 'ledger-pending', db: dialect, pending_orders_per_party: N, other_orders: N, write_s: Number(writeS.toFixed(2)) };
    for (const account of [`brand:${brand}`, `streamer:${streamer}`, `mcn:${mcn}`]) {
      const times: number[] = [];
      let figure: unknown = null;
      for (let r = 0; r < READS; r++) {
        const t = performance.now();
        figure = await ledger.pendingSettlement(account);
        times.push(performance.now() - t);
      }
      const kind = account.split(':')[0]!;
      result[`${kind}_ms`] = Number(median(times).toFixed(2));
      result[`${kind}_figure`] = figure;
    }
    console.log(JSON.stringify(result));
  } finally {
    await cleanup();
  }
}

await main();
