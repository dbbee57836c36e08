import type { FastifyInstance } from 'fastify';
import { parseInput } from '../platform/validate.ts';
import type { Notifications } from './index.ts';
import { EmptyBody, ListQuery, NotificationParams, SandboxQuery } from './schema.ts';

const tags = ['notifications'];
const user = { access: { kind: 'user' } } as const;
const operator = { access: { kind: 'platform', roles: ['operator'] } } as const;

export function notificationsRoutes(app: FastifyInstance, notifications: Notifications) {
  app.get('/api/notifications', { schema: { tags, summary: 'My notification centre: delivered notifications, newest first, and the unread count', querystring: ListQuery }, config: user }, async (request) => {
    const query = parseInput(ListQuery, request.query, request.locale);
    return notifications.list(request.user!.id, query);
  });
  app.get('/api/notifications/unread', { schema: { tags, summary: 'My unread count (the bell)' }, config: user }, async (request) => ({ unread: await notifications.unread(request.user!.id) }));
  app.post('/api/notifications/:notificationId/read', { schema: { tags, summary: 'Mark one of my notifications read', params: NotificationParams, body: EmptyBody }, config: user }, async (request) => {
    const { notificationId } = parseInput(NotificationParams, request.params, request.locale);
    parseInput(EmptyBody, request.body, request.locale);
    await notifications.markRead(request.user!.id, notificationId);
    return { unread: await notifications.unread(request.user!.id) };
  });
  app.post('/api/notifications/read-all', { schema: { tags, summary: 'Mark all my notifications read', body: EmptyBody }, config: user }, async (request) => {
    parseInput(EmptyBody, request.body, request.locale);
    const marked = await notifications.markAllRead(request.user!.id);
    return { marked, unread: 0 };
  });
  app.get('/api/notifications/sandbox', { schema: { tags, summary: 'Operator: what the sandbox e-mail/SMS provider would have sent', querystring: SandboxQuery }, config: operator }, async (request) => {
    const query = parseInput(SandboxQuery, request.query, request.locale);
    return { provider: notifications.sandbox ? 'sandbox' : 'off', messages: notifications.sandbox ? await notifications.sandbox.recent(query) : [] };
  });
}
