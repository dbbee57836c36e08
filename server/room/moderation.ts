import type { AuthUser } from '../accounts/service.ts';
import { AppError } from '../platform/errors.ts';
import type { RoomEvent } from './bus.ts';
import type { WordFilter } from './filter.ts';
import type { RoomContext } from './service.ts';

/**
 * The staff's hand in the room (./service.ts keeps the chat they act on): deleting and reporting messages,
 * mutes and bans, the moderation log, the announcement and the chat settings.
 */
export function createModeration(
  ctx: RoomContext,
  shared: {
    /** The recent chat a room's state starts with: a deleted message leaves it. */
    recent: Map<string, RoomEvent[]>;
    restrictions: { forget(key: string): void };
    snapshots: { get(sessionId: string): Promise<{ settings: { slowModeSeconds: number; followersOnly: boolean } }>; forget(sessionId: string): void };
    /** The word filter as it is now (rebuilt when the operators change the words). */
    filter: () => WordFilter;
  },
) {
  const { store, bus, clock, now, session, requireStaff, publish, flushMessages } = ctx;
  const { recent, restrictions, snapshots, filter } = shared;

  return {
    async deleteMessage(sessionId: string, actor: AuthUser, messageId: string, reason?: string) {
      await requireStaff(sessionId, actor, 'moderate');
      await flushMessages();
      const message = await store.findMessage(messageId);
      if (!message || message.session_id !== sessionId) throw new AppError('CHAT_MESSAGE_NOT_FOUND');
      await store.setMessageStatus(messageId, 'deleted');
      const list = recent.get(sessionId);
      if (list) recent.set(sessionId, list.filter((e) => e.id !== messageId));
      await store.log(sessionId, actor.id, 'chat.delete', { userId: message.user_id, messageId }, { reason: reason ?? null }, now());
      await publish(sessionId, { type: 'chat.deleted', id: messageId, priority: true });
    },

    async restrict(sessionId: string, actor: AuthUser, input: { userId: string; minutes?: number; kind: 'mute' | 'ban'; reason?: string }) {
      const { info } = await requireStaff(sessionId, actor, 'moderate');
      const minutes = input.minutes ?? (input.kind === 'ban' ? 365 * 24 * 60 : 10);
      if (input.userId === info.streamerId) throw new AppError('FORBIDDEN');
      const until = new Date(clock.now().getTime() + minutes * 60_000).toISOString();
      await store.restrict({ streamerId: info.streamerId, userId: input.userId, kind: input.kind, until, reason: input.reason ?? null, by: actor.id }, now());
      restrictions.forget(`${info.streamerId}|${input.userId}`);
      await store.log(sessionId, actor.id, `user.${input.kind}`, { userId: input.userId }, { minutes, reason: input.reason ?? null }, now());
      await bus.publish(sessionId, { type: 'notice', to: input.userId, code: input.kind === 'ban' ? 'BANNED' : 'MUTED', until });
      return { until };
    },

    async report(sessionId: string, user: AuthUser, messageId: string, reason?: string) {
      await session(sessionId);
      await flushMessages();
      const message = await store.findMessage(messageId);
      if (!message || message.session_id !== sessionId) throw new AppError('CHAT_MESSAGE_NOT_FOUND');
      await store.log(sessionId, user.id, 'chat.report', { userId: message.user_id, messageId }, { reason: reason ?? null }, now());
    },

    async moderationLog(sessionId: string, actor: AuthUser) {
      await requireStaff(sessionId, actor);
      const rows = await store.moderationLog(sessionId);
      return rows.map((r) => ({ id: r.id, action: r.action, at: r.created_at, actor: r.actor_name, target: r.target_user_id ? { id: r.target_user_id, name: r.target_name } : null, messageId: r.target_message_id, detail: JSON.parse(r.detail) as Record<string, unknown> }));
    },
    async announce(sessionId: string, actor: AuthUser, text: string | null) {
      await requireStaff(sessionId, actor, 'moderate');
      const verdict = text ? filter().check(text) : null;
      if (verdict?.action === 'block') throw new AppError('CHAT_BLOCKED');
      const shown = verdict ? verdict.text : null;
      await store.saveSettings(sessionId, { announcement: shown }, now());
      await store.log(sessionId, actor.id, 'announcement', {}, { text: shown }, now());
      await publish(sessionId, { type: 'announcement', text: shown, priority: true });
      return shown;
    },

    async updateSettings(sessionId: string, actor: AuthUser, patch: { slowModeSeconds?: number; followersOnly?: boolean }) {
      await requireStaff(sessionId, actor, 'moderate');
      await store.saveSettings(sessionId, {
        ...(patch.slowModeSeconds !== undefined && { slow_mode_seconds: patch.slowModeSeconds }),
        ...(patch.followersOnly !== undefined && { followers_only: patch.followersOnly ? 1 : 0 }),
      }, now());
      snapshots.forget(sessionId);
      const settings = (await snapshots.get(sessionId)).settings;
      await store.log(sessionId, actor.id, 'settings', {}, settings, now());
      await publish(sessionId, { type: 'settings', ...settings, priority: true });
      return settings;
    },
  };
}
