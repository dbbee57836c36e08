import { sql, type Kysely, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { outageOf } from '../platform/outage.ts';
import { createSandboxMessenger, type Messenger, type OutgoingMessage } from './messenger.ts';
import { nextTurn } from '../platform/turn.ts';

export type Channel = 'site' | 'email' | 'sms';
export const CHANNELS: readonly Channel[] = ['site', 'email', 'sms'];

export type NotificationRow = {
  id: string;
  user_id: string;
  kind: string;
  dedupe_key: string;
  title: string;
  body: string;
  link: string;
  channels: string;
  due_at: string;
  state: 'pending' | 'sending' | 'sent';
  claim_token: string | null;
  claimed_until: string | null;
  sent_at: string | null;
  read_at: string | null;
  created_at: string;
};
export type SandboxMessageRow = { id: string; notification_id: string; channel: string; recipient: string; subject: string; body: string; sent_at: string };

/** The notification tables (migration 0023), kept beside their domain rather than in the shared db-types.ts. */
export type NotificationTables = { notifications: NotificationRow; sandbox_messages: SandboxMessageRow };
export type NotificationsDb = Kysely<Database & NotificationTables>;

export type NewNotification = {
  userId: string;
  /** What it is about, e.g. 'launch.reminder', 'live.started', 'presale.balance'. */
  kind: string;
  /** Globally unique: a second enqueue with the same key does nothing. */
  dedupeKey: string;
  title: string;
  body: string;
  /** A path in the web app, e.g. /launches/<id>. */
  link: string;
  /** When to deliver (ISO); now when absent. */
  dueAt?: string;
  /** Default: all three; e-mail and SMS go only to users with an address or number. */
  channels?: Channel[];
};

export type NotificationsConfig = {
  /** E-mail and SMS delivery: the logging sandbox (default), or off. */
  messenger?: 'sandbox' | 'off';
  /** Rows claimed per batch by the sweep. */
  batchSize?: number;
  /** A claim not marked sent by then (a node died mid-batch) is taken again by the next sweep. */
  claimSeconds?: number;
  /** How often start() sweeps. */
  sweepMs?: number;
};

export type NotificationView = { id: string; kind: string; title: string; body: string; link: string; sentAt: string; read: boolean };

type Producer = () => Promise<unknown>;

/**
 * The notification centre (docs/NOTIFICATIONS.md): notifications are queued in the database (inside
 * the caller's transaction if it has one) and delivered by a sweep that any number of nodes may run at
 * once: a batch of due rows is claimed with one conditional UPDATE (pending → sending, with a token
 * and a deadline), sent (site: visible in the centre; e-mail/SMS: through the messenger, which keeps
 * one row per notification and channel), and marked sent. A node that dies mid-batch leaves its claim
 * to expire; the next sweep takes it again, and the messenger's unique row keeps it from sending twice.
 */
export function createNotifications(deps: { db: Db; dialect: Dialect; clock: Clock; logger: Logger; config?: NotificationsConfig; messenger?: Messenger }) {
  const db = deps.db.withTables<NotificationTables>() as unknown as NotificationsDb;
  const { clock, logger, dialect } = deps;
  const batchSize = deps.config?.batchSize ?? 2000;
  const claimMs = (deps.config?.claimSeconds ?? 60) * 1000;
  const sandbox = deps.config?.messenger === 'off' ? null : createSandboxMessenger({ db: deps.db, dialect, clock, logger });
  const messenger: Messenger | null = deps.messenger ?? sandbox;
  const producers: Producer[] = [];
  const now = () => clock.now().toISOString();

  function rowOf(n: NewNotification, at: string): NotificationRow {
    const channels = n.channels ?? [...CHANNELS];
    return {
      id: newId(),
      user_id: n.userId,
      kind: n.kind,
      dedupe_key: n.dedupeKey,
      title: n.title.slice(0, 200),
      body: n.body.slice(0, 2000),
      link: n.link,
      channels: channels.join(','),
      due_at: n.dueAt ? new Date(n.dueAt).toISOString() : at,
      state: 'pending',
      claim_token: null,
      claimed_until: null,
      sent_at: null,
      read_at: null,
      created_at: at,
    };
  }

  /** Claims up to batchSize due rows for this sweep: one conditional UPDATE. */
  async function claim(token: string, at: string): Promise<NotificationRow[]> {
    const until = new Date(Date.parse(at) + claimMs).toISOString();
    const lock = dialect === 'postgres' ? sql` for update skip locked` : sql``;
    const result = await sql<NotificationRow>`
      update notifications set state = 'sending', claim_token = ${token}, claimed_until = ${until}
      where id in (select id from notifications where state = 'pending' and due_at <= ${at} order by due_at limit ${batchSize}${lock})
        and state = 'pending'
      returning *`.execute(db);
    return result.rows;
  }

  async function deliver(rows: NotificationRow[], token: string): Promise<number> {
    const at = now();
    const wantsOther = rows.filter((r) => r.channels.includes('email') || r.channels.includes('sms'));
    if (messenger && wantsOther.length) {
      // The recipients' addresses in one query, through this claim's rows.
      const found = await db
        .selectFrom('notifications')
        .innerJoin('users', 'users.id', 'notifications.user_id')
        .select(['notifications.id', 'users.email', 'users.phone'])
        .where('notifications.state', '=', 'sending')
        .where('notifications.claim_token', '=', token)
        .execute();
      const users = new Map(found.map((u) => [u.id, u]));
      const messages: OutgoingMessage[] = [];
      for (const r of wantsOther) {
        const u = users.get(r.id);
        const text = r.body ? `${r.title}\n${r.body}` : r.title;
        if (u?.email && r.channels.includes('email')) messages.push({ notificationId: r.id, channel: 'email', to: u.email, subject: r.title, body: text });
        if (u?.phone && r.channels.includes('sms')) messages.push({ notificationId: r.id, channel: 'sms', to: u.phone, subject: r.title, body: text });
      }
      if (messages.length) await messenger.send(messages);
    }
    // Only this sweep's claim is marked: a claim that expired and was taken by another node is theirs.
    const result = await db.updateTable('notifications').set({ state: 'sent', sent_at: at, claim_token: null, claimed_until: null }).where('state', '=', 'sending').where('claim_token', '=', token).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let lastOutageLog = 0;

  async function sweepOnce(): Promise<number> {
    // A failing producer is logged and does not hold up delivery.
    for (const produce of producers) await produce().catch((err: unknown) => logger.error({ err }, 'notification producer failed; next sweep retries'));
    // Claims of a node that died are free again once their deadline passed.
    await db.updateTable('notifications').set({ state: 'pending', claim_token: null, claimed_until: null }).where('state', '=', 'sending').where('claimed_until', '<', now()).execute();
    let total = 0;
    for (;;) {
      const token = newId();
      const rows = await claim(token, now());
      if (!rows.length) break;
      total += await deliver(rows, token);
      if (rows.length < batchSize) break;
      await nextTurn();
    }
    return total;
  }

  const service = {
    db,
    messenger,
    /** The sandbox provider's record of what it would have sent (null when NOTIFY_MESSENGER=off). */
    sandbox,

    /** Queue a notification once: a second call with the same dedupeKey does nothing. Works inside a transaction. */
    async enqueue<DB extends Database>(dbOrTrx: Kysely<DB> | Transaction<DB>, n: NewNotification): Promise<void> {
      await (dbOrTrx as unknown as NotificationsDb)
        .insertInto('notifications')
        .values(rowOf(n, now()))
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .execute();
    },

    /** Many at once (one INSERT per 500 rows); duplicates of an existing dedupeKey are skipped. */
    async enqueueMany<DB extends Database>(dbOrTrx: Kysely<DB> | Transaction<DB>, list: NewNotification[]): Promise<void> {
      const at = now();
      for (let i = 0; i < list.length; i += 500) {
        await (dbOrTrx as unknown as NotificationsDb)
          .insertInto('notifications')
          .values(list.slice(i, i + 500).map((n) => rowOf(n, at)))
          .onConflict((oc) => oc.column('dedupe_key').doNothing())
          .execute();
      }
    },

    /**
     * A duty run at the start of every sweep, before delivery (e.g. launches queue due reminders).
     * It must be safe on several nodes at once.
     */
    addProducer(produce: Producer) {
      producers.push(produce);
    },

    /** Delivers every due notification; returns how many this call delivered. On one node, runs one at a time (a call waits for the run in progress). */
    sweep(): Promise<number> {
      const previous = running?.catch(() => 0) ?? Promise.resolve(0);
      const mine: Promise<number> = previous.then(() => sweepOnce()).finally(() => {
        if (running === mine) running = null;
      });
      running = mine;
      return mine;
    },

    start() {
      timer ??= setInterval(() => {
        if (running) return;
        service.sweep().catch((err: unknown) => {
          const outage = outageOf(err);
          if (!outage) logger.error({ err }, 'notification sweep failed; next tick retries');
          else if (Date.now() - lastOutageLog > 60_000) {
            lastOutageLog = Date.now();
            logger.warn({ code: outage }, 'notification sweep skipped: a backing service is unavailable');
          }
        });
      }, deps.config?.sweepMs ?? 1000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },

    async list(userId: string, options: { before?: string; limit?: number } = {}): Promise<{ items: NotificationView[]; unread: number }> {
      let q = db.selectFrom('notifications').select(['id', 'kind', 'title', 'body', 'link', 'sent_at', 'read_at']).where('user_id', '=', userId).where('state', '=', 'sent');
      if (options.before) q = q.where('sent_at', '<', options.before);
      const rows = await q.orderBy('sent_at', 'desc').orderBy('id', 'desc').limit(options.limit ?? 50).execute();
      return {
        items: rows.map((r) => ({ id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, sentAt: r.sent_at!, read: r.read_at !== null })),
        unread: await service.unread(userId),
      };
    },

    async unread(userId: string): Promise<number> {
      const row = await db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('state', '=', 'sent')
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async markRead(userId: string, id: string): Promise<void> {
      const row = await db.selectFrom('notifications').select(['id', 'read_at']).where('id', '=', id).where('user_id', '=', userId).where('state', '=', 'sent').executeTakeFirst();
      if (!row) throw new AppError('NOTIFICATION_NOT_FOUND');
      if (!row.read_at) await db.updateTable('notifications').set({ read_at: now() }).where('id', '=', id).where('read_at', 'is', null).execute();
    },

    async markAllRead(userId: string): Promise<number> {
      const result = await db.updateTable('notifications').set({ read_at: now() }).where('user_id', '=', userId).where('state', '=', 'sent').where('read_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
  return service;
}

export type Notifications = ReturnType<typeof createNotifications>;
