import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';
import { newId } from '../platform/ids.ts';
import type { NotificationTables } from './index.ts';

export type OutgoingMessage = { notificationId: string; channel: 'email' | 'sms'; to: string; subject: string; body: string };

/**
 * E-mail and SMS providers (docs/NOTIFICATIONS.md). `send` gets a batch; it may be called again with
 * messages it already sent (a node died before marking them), so a provider must use the notification
 * id and channel as its idempotency key, as the sandbox does with a unique row.
 */
export interface Messenger {
  readonly name: string;
  send(messages: OutgoingMessage[]): Promise<void>;
}

/**
 * The built-in sandbox: it sends nothing, and records what it would have sent in `sandbox_messages`
 * (one row per notification and channel, never two) and in the log. Tests and the operator read it.
 */
export function createSandboxMessenger(deps: { db: Db; dialect: Dialect; clock: Clock; logger: Logger }) {
  const db = deps.db.withTables<NotificationTables>() as unknown as Kysely<Database & NotificationTables>;
  return {
    name: 'sandbox',
    async send(messages: OutgoingMessage[]) {
      const at = deps.clock.now().toISOString();
      // 2,000 rows × 7 values per statement: within SQLite's and PostgreSQL's parameter limits.
      for (let i = 0; i < messages.length; i += 2000) {
        const chunk = messages.slice(i, i + 2000);
        await db
          .insertInto('sandbox_messages')
          .values(chunk.map((m) => ({ id: newId(), notification_id: m.notificationId, channel: m.channel, recipient: m.to, subject: m.subject.slice(0, 200), body: m.body.slice(0, 2000), sent_at: at })))
          .onConflict((oc) => oc.columns(['notification_id', 'channel']).doNothing())
          .execute();
      }
      if (messages.length <= 5) for (const m of messages) deps.logger.info({ channel: m.channel, to: m.to, subject: m.subject }, 'sandbox messenger: would send');
      else deps.logger.info({ count: messages.length }, 'sandbox messenger: would send a batch');
    },
    /** The latest messages "sent", newest first (operator console, tests). */
    async recent(options: { limit?: number; to?: string } = {}) {
      let q = db.selectFrom('sandbox_messages').selectAll();
      if (options.to) q = q.where('recipient', '=', options.to);
      const rows = await q.orderBy('sent_at', 'desc').orderBy('id').limit(options.limit ?? 50).execute();
      return rows.map((r) => ({ id: r.id, notificationId: r.notification_id, channel: r.channel, to: r.recipient, subject: r.subject, body: r.body, sentAt: r.sent_at }));
    },
  } satisfies Messenger & Record<string, unknown>;
}

export type SandboxMessenger = ReturnType<typeof createSandboxMessenger>;
