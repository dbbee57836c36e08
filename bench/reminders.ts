// The reminder sweep at volume: N reservations of one launch (each viewer with a mobile number, half
// with an e-mail too) are reminded at the launch's start. Several "nodes" (notification services with
// their own reminder producer, on their own connections to one database) sweep at once, as a cluster
// would: the round is queued once (one INSERT … SELECT) and delivered in claimed batches. Measured from
// the due time: when the round was queued and when the last reminder was delivered; then every
// notification is checked: each delivered, no SMS or e-mail sent twice.
//
//   npm run bench:reminders -- --db sqlite
//   npm run bench:reminders -- --db postgres --reservations 100000 --nodes 3
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pino from 'pino';
import { createReminders } from '../server/launches/reminders.ts';
import { launchesDb } from '../server/launches/store.ts';
import { createNotifications } from '../server/notifications/index.ts';
import type { Clock } from '../server/platform/clock.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../server/platform/db.ts';
import { newId } from '../server/platform/ids.ts';
import { openScratchDatabase } from './lib.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    reservations: { type: 'string', default: '100000' },
    nodes: { type: 'string', default: '2' },
    batch: { type: 'string', default: '2000' },
  },
});
const dialect = values.db === 'postgres' ? 'postgres' : 'sqlite';
const N = Number(values.reservations);
const NODES = Number(values.nodes);
const BATCH = Number(values.batch);
const PG_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const launchAt = new Date('2027-05-05T12:00:00.000Z');
/** The bench's clock: set to the launch's start when the sweep begins. */
let current = new Date(launchAt.getTime() - 3_600_000);
const clock: Clock = { now: () => current };

async function seed(database: DatabaseHandle) {
  const db = launchesDb(database.db);
  const at = current.toISOString();
  const brand = newId();
  const streamer = newId();
  await db.insertInto('users').values({ id: streamer, phone: '13600000000', email: null, password_hash: 'x', display_name: '主播', platform_role: 'streamer', locale: 'zh-CN', failed_logins: 0, locked_until: null, created_at: at, updated_at: at }).execute();
  await db.insertInto('organisations').values({ id: brand, kind: 'brand', name: '首发品牌', description: '', licence_name: null, licence_no: null, status: 'approved', review_reason: null, reviewed_at: null, created_at: at }).execute();
  const product = newId();
  const sku = newId();
  await db.insertInto('products').values({ id: product, brand_org_id: brand, title: '新品', description: '', category: '美妆', images: '[]', return_policy: 'standard', status: 'on_sale', kind: 'goods', created_at: at }).execute();
  await db.insertInto('skus').values({ id: sku, product_id: product, spec: '{}', price_fen: 9900, stock: 1000, created_at: at }).execute();
  const session = newId();
  await db.insertInto('live_sessions').values({ id: session, streamer_id: streamer, brand_org_id: brand, title: '首发直播', cover_url: null, status: 'scheduled', scheduled_at: launchAt.toISOString(), started_at: null, ended_at: null, created_at: at }).execute();
  const launch = newId();
  await db.insertInto('launches').values({ id: launch, brand_org_id: brand, product_id: product, sku_id: sku, session_id: session, level: 'shanghai', title: '上海首发新品', description: '', launch_at: launchAt.toISOString(), teaser_url: null, cover_url: null, flash_sale_id: newId(), created_by: streamer, created_at: at }).execute();
  const chunk = 500;
  for (let i = 0; i < N; i += chunk) {
    const users = Array.from({ length: Math.min(chunk, N - i) }, (_, k) => {
      const n = i + k;
      return { id: `u${n}`, phone: `139${String(n).padStart(8, '0')}`, email: n % 2 ? `v${n}@example.com` : null, password_hash: 'x', display_name: `观众${n}`, platform_role: 'viewer' as const, locale: n % 10 ? ('zh-CN' as const) : ('en' as const), failed_logins: 0, locked_until: null, created_at: at, updated_at: at };
    });
    await db.insertInto('users').values(users).execute();
    await db.insertInto('reservations').values(users.map((u) => ({ id: `r${u.id}`, user_id: u.id, target_kind: 'launch' as const, target_id: launch, created_at: at }))).execute();
  }
  return launch;
}

async function main() {
  const { database, cleanup } = await openScratchDatabase(dialect, 'reminders', PG_URL);
  const extra: DatabaseHandle[] = [];
  try {
    await migrateToLatest(database.db, dialect);
    const seedStart = performance.now();
    await seed(database);
    const seedMs = performance.now() - seedStart;
    const logger = pino({ level: 'warn' });
    // Each node its own connection pool (PostgreSQL); SQLite nodes share the file, as processes on one host would.
    const handles = [database];
    for (let i = 1; i < NODES; i++) {
      const h = dialect === 'postgres' ? openDatabase({ url: PG_URL, dataDir: '/tmp', schema: (await sql<{ s: string }>`select current_schema() as s`.execute(database.db)).rows[0]!.s, poolSize: 4, queryTimeoutMs: 0 }) : database;
      if (h !== database) extra.push(h);
      handles.push(h);
    }
    let queuedAt = 0;
    const nodes = handles.map((h) => {
      const notifications = createNotifications({ db: h.db, dialect, clock, logger, config: { batchSize: BATCH } });
      const reminders = createReminders({ db: launchesDb(h.db), clock, logger, minutes: [0] });
      notifications.addProducer(async () => {
        const n = await reminders.run();
        if (n) queuedAt = performance.now();
      });
      return notifications;
    });

    current = new Date(launchAt.getTime() + 1);
    const start = performance.now();
    const delivered = await Promise.all(nodes.map(async (node) => {
      let total = 0;
      // Each node sweeps again and again, as its timer would, until nothing is left.
      for (let idle = 0; idle < 2; ) {
        const n = await node.sweep();
        total += n;
        idle = n ? 0 : idle + 1;
      }
      return total;
    }));
    const allMs = performance.now() - start;

    const db = nodes[0]!.db;
    const count = async (q: Promise<{ n: number | string | bigint } | undefined>) => Number((await q)?.n ?? 0);
    const notified = await count(db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'launch.reminder').where('state', '=', 'sent').executeTakeFirst());
    const lost = N - notified;
    const sms = await count(db.selectFrom('sandbox_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('channel', '=', 'sms').executeTakeFirst());
    const email = await count(db.selectFrom('sandbox_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('channel', '=', 'email').executeTakeFirst());
    const distinct = await count(db.selectFrom(db.selectFrom('sandbox_messages').select(['notification_id', 'channel']).distinct().as('d')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
    const expectedEmail = Math.floor(N / 2);
    console.log(
      JSON.stringify({
        bench: 'reminders',
        db: dialect,
        reservations: N,
        nodes: NODES,
        batch: BATCH,
        seed_ms: Math.round(seedMs),
        queued_ms: Math.round(queuedAt - start),
        all_reminded_ms: Math.round(allMs),
        reminders_per_s: Math.round(N / (allMs / 1000)),
        delivered_per_node: delivered,
        notified,
        sms,
        email,
        lost_or_double: lost + (sms + email - distinct) + Math.abs(sms - N) + Math.abs(email - expectedEmail),
        within_60s: allMs <= 60_000 && lost === 0,
      }),
    );
  } finally {
    for (const h of extra) await h.close();
    await cleanup();
  }
}

await main();
