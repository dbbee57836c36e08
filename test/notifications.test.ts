import pino from 'pino';
import { expect, it } from 'vitest';
import { createNotifications } from '../server/notifications/index.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import type { TestServer } from './helpers/server.ts';
import { newBuyer, tag } from './helpers/shop.ts';

const quiet = pino({ level: 'silent' });

/** Another node on the same database: its own notification service and sweep. */
function otherNode(server: TestServer, batchSize = 50) {
  return createNotifications({ db: server.database.db, dialect: server.database.dialect, clock: server.clock, logger: quiet, config: { batchSize } });
}

describeEachDatabase('the notification centre', ({ server }) => {
  it('queues once per dedupe key (also inside a transaction) and delivers when due, to the channels the user has', async () => {
    const n = server().services.notifications;
    const withEmail = await newBuyer(server(), false);
    const phoneOnly = server().client();
    const phoneUser = await phoneOnly.register(`1380000${String(Math.floor(Math.random() * 9000) + 1000)}`);
    const key = `test:${tag()}`;
    const due = new Date(server().clock.now().getTime() + 60_000).toISOString();
    await server().database.db.transaction().execute(async (trx) => {
      await n.enqueue(trx, { userId: withEmail.id, kind: 'test', dedupeKey: `${key}:a`, title: '定金已付，尾款提醒', body: '尾款 5 月 5 日开始支付', link: '/orders', dueAt: due });
      await n.enqueue(trx, { userId: withEmail.id, kind: 'test', dedupeKey: `${key}:a`, title: '重复', body: '', link: '/orders', dueAt: due });
    });
    await n.enqueue(server().database.db, { userId: phoneUser.id, kind: 'test', dedupeKey: `${key}:b`, title: 'SMS 提醒', body: '', link: '/', dueAt: due, channels: ['site', 'sms'] });
    // A rolled-back transaction queues nothing.
    await server()
      .database.db.transaction()
      .execute(async (trx) => {
        await n.enqueue(trx, { userId: withEmail.id, kind: 'test', dedupeKey: `${key}:c`, title: '回滚', body: '', link: '/' });
        throw new Error('rollback');
      })
      .catch(() => undefined);
    await n.sweep();
    expect((await withEmail.client.get('/api/notifications')).json()).toEqual({ items: [], unread: 0 });

    server().clock.advance(60_000);
    await n.sweep();
    const centre = (await withEmail.client.get('/api/notifications')).json();
    expect(centre.unread).toBe(1);
    expect(centre.items).toMatchObject([{ title: '定金已付，尾款提醒', body: '尾款 5 月 5 日开始支付', read: false }]);
    expect((await phoneOnly.get('/api/notifications')).json().items).toMatchObject([{ title: 'SMS 提醒' }]);
    const messages = await n.db.selectFrom('sandbox_messages').select(['channel', 'recipient']).where('notification_id', 'in', [centre.items[0].id, (await phoneOnly.get('/api/notifications')).json().items[0].id]).orderBy('channel').execute();
    expect(messages.map((m) => m.channel)).toEqual(['email', 'sms']);
    expect(messages[1]!.recipient).toMatch(/^1380000/);
  });

  it('delivers each notification exactly once when several nodes sweep at once', async () => {
    const user = await newBuyer(server(), false);
    const key = `multi:${tag()}`;
    const n = server().services.notifications;
    await n.enqueueMany(
      server().database.db,
      Array.from({ length: 300 }, (_, i) => ({ userId: user.id, kind: 'test', dedupeKey: `${key}:${i}`, title: `第 ${i} 条`, body: '', link: '/', channels: ['site', 'email'] as ('site' | 'email')[] })),
    );
    const nodes = [otherNode(server()), otherNode(server()), otherNode(server())];
    const delivered = await Promise.all([...nodes.map((node) => node.sweep()), n.sweep()]);
    // The server's own timer may take a batch too; no notification is counted twice.
    expect(delivered.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(300);
    expect((await user.client.get('/api/notifications/unread')).json().unread).toBe(300);
    // One e-mail per notification: 300 rows, 300 different notifications.
    const mails = await n.db
      .selectFrom('sandbox_messages')
      .innerJoin('notifications', 'notifications.id', 'sandbox_messages.notification_id')
      .select(['sandbox_messages.notification_id'])
      .where('notifications.dedupe_key', 'like', `${key}:%`)
      .execute();
    expect(mails.length).toBe(300);
    expect(new Set(mails.map((m) => m.notification_id)).size).toBe(300);
  });

  it('a node that died mid-batch: its claim expires, another node delivers, and e-mail is not sent twice', async () => {
    const user = await newBuyer(server(), false);
    const key = `crash:${tag()}`;
    const db = server().services.notifications.db;
    await server().services.notifications.enqueue(server().database.db, { userId: user.id, kind: 'test', dedupeKey: key, title: '崩溃前已发邮件', body: '', link: '/', channels: ['site', 'email'] });
    const row = await db.selectFrom('notifications').select('id').where('dedupe_key', '=', key).executeTakeFirstOrThrow();
    // The dead node had claimed it and its e-mail had gone out, but it never marked the row sent.
    const claimedUntil = new Date(server().clock.now().getTime() + 60_000).toISOString();
    await db.updateTable('notifications').set({ state: 'sending', claim_token: 'dead-node', claimed_until: claimedUntil }).where('id', '=', row.id).execute();
    await server().services.notifications.sandbox!.send([{ notificationId: row.id, channel: 'email', to: 'x@example.com', subject: '崩溃前已发邮件', body: '' }]);
    await otherNode(server()).sweep();
    expect((await user.client.get('/api/notifications/unread')).json().unread).toBe(0);
    server().clock.advance(61_000);
    await otherNode(server()).sweep();
    expect((await user.client.get('/api/notifications')).json().items).toMatchObject([{ title: '崩溃前已发邮件' }]);
    const sent = await db.selectFrom('sandbox_messages').select('channel').where('notification_id', '=', row.id).execute();
    expect(sent).toEqual([{ channel: 'email' }]);
  });

  it('the operator sees what the sandbox provider would have sent; others may not', async () => {
    const viewer = await newBuyer(server(), false);
    expect((await viewer.client.get('/api/notifications/sandbox')).status).toBe(403);
    const op = server().client();
    const opUser = await op.register(`op-${tag()}@example.com`);
    await server().database.db.updateTable('users').set({ platform_role: 'operator' }).where('id', '=', opUser.id).execute();
    server().services.accounts.forgetUser(opUser.id);
    const list = (await op.get('/api/notifications/sandbox?limit=5')).json();
    expect(list.provider).toBe('sandbox');
    expect(list.messages.length).toBeGreaterThan(0);
    expect(list.messages[0]).toHaveProperty('channel');
    expect((await server().client().get('/api/notifications')).errorCode).toBe('AUTH_REQUIRED');
  });
});
