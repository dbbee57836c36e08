import type { Insertable, Transaction } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { ChatMessagesTable, CouponDropsTable, Database, LuckyBagsTable, RoomSettingsTable, SensitiveWordsTable } from '../platform/db-types.ts';
import { newId } from '../platform/ids.ts';

export function createRoomStore(db: Db) {
  return {
    settings(sessionId: string) {
      return db.selectFrom('room_settings').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
    },
    async saveSettings(sessionId: string, patch: Partial<Omit<RoomSettingsTable, 'session_id'>>, now: string) {
      const existing = await this.settings(sessionId);
      if (existing) await db.updateTable('room_settings').set({ ...patch, updated_at: now }).where('session_id', '=', sessionId).execute();
      else
        await db
          .insertInto('room_settings')
          .values({ session_id: sessionId, announcement: null, pinned_product_id: null, slow_mode_seconds: 0, followers_only: 0, ...patch, updated_at: now })
          .execute();
    },
    async insertMessages(rows: Insertable<ChatMessagesTable>[]) {
      if (rows.length) await db.insertInto('chat_messages').values(rows).execute();
    },
    recentMessages(sessionId: string, limit: number) {
      return db
        .selectFrom('chat_messages')
        .innerJoin('users', 'users.id', 'chat_messages.user_id')
        .select(['chat_messages.id', 'chat_messages.text', 'chat_messages.created_at', 'chat_messages.user_id', 'users.display_name', 'users.platform_role'])
        .where('chat_messages.session_id', '=', sessionId)
        .where('chat_messages.status', 'in', ['shown', 'masked'])
        .orderBy('chat_messages.created_at', 'desc')
        // Ids are UUIDv7, in the order they were made: messages of the same millisecond keep theirs.
        .orderBy('chat_messages.id', 'desc')
        .limit(limit)
        .execute();
    },
    findMessage(id: string) {
      return db.selectFrom('chat_messages').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async setMessageStatus(id: string, status: ChatMessagesTable['status']) {
      await db.updateTable('chat_messages').set({ status }).where('id', '=', id).execute();
    },
    activeRestriction(streamerId: string, userId: string, now: string) {
      return db
        .selectFrom('room_restrictions')
        .select(['kind', 'until'])
        .where('streamer_id', '=', streamerId)
        .where('user_id', '=', userId)
        .where('until', '>', now)
        .orderBy('kind')
        .executeTakeFirst();
    },
    async restrict(row: { streamerId: string; userId: string; kind: 'mute' | 'ban'; until: string; reason: string | null; by: string }, now: string) {
      await db
        .insertInto('room_restrictions')
        .values({ id: newId(), streamer_id: row.streamerId, user_id: row.userId, kind: row.kind, until: row.until, reason: row.reason, created_by: row.by, created_at: now })
        .execute();
    },
    async log(sessionId: string, actorId: string | null, action: string, target: { userId?: string; messageId?: string }, detail: Record<string, unknown>, now: string) {
      await db
        .insertInto('moderation_log')
        .values({ id: newId(), session_id: sessionId, actor_id: actorId, action, target_user_id: target.userId ?? null, target_message_id: target.messageId ?? null, detail: JSON.stringify(detail), created_at: now })
        .execute();
    },
    moderationLog(sessionId: string) {
      return db
        .selectFrom('moderation_log')
        .leftJoin('users as actor', 'actor.id', 'moderation_log.actor_id')
        .leftJoin('users as target', 'target.id', 'moderation_log.target_user_id')
        .select([
          'moderation_log.id',
          'moderation_log.action',
          'moderation_log.detail',
          'moderation_log.created_at',
          'moderation_log.target_message_id',
          'actor.display_name as actor_name',
          'target.display_name as target_name',
          'moderation_log.target_user_id',
        ])
        .where('moderation_log.session_id', '=', sessionId)
        .orderBy('moderation_log.id', 'desc')
        .limit(300)
        .execute();
    },
    async isFollowing(userId: string, streamerId: string) {
      return Boolean(await db.selectFrom('follows').select('user_id').where('user_id', '=', userId).where('streamer_id', '=', streamerId).executeTakeFirst());
    },
    /** Answers whether this is a new follow. */
    async follow(userId: string, streamerId: string, now: string) {
      if (await this.isFollowing(userId, streamerId)) return false;
      await db.insertInto('follows').values({ user_id: userId, streamer_id: streamerId, created_at: now }).execute();
      return true;
    },
    async unfollow(userId: string, streamerId: string) {
      await db.deleteFrom('follows').where('user_id', '=', userId).where('streamer_id', '=', streamerId).execute();
    },
    async followerCount(streamerId: string) {
      const row = await db.selectFrom('follows').select((eb) => eb.fn.countAll<number>().as('n')).where('streamer_id', '=', streamerId).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async isAssistant(streamerId: string, userId: string) {
      return Boolean(await db.selectFrom('room_assistants').select('user_id').where('streamer_id', '=', streamerId).where('user_id', '=', userId).executeTakeFirst());
    },
    /** The assistant's rights as stored (JSON), or undefined when the user does not assist this streamer. */
    async assistantRights(streamerId: string, userId: string) {
      return (await db.selectFrom('room_assistants').select('rights').where('streamer_id', '=', streamerId).where('user_id', '=', userId).executeTakeFirst())?.rights;
    },
    async addAssistant(streamerId: string, userId: string, now: string) {
      if (!(await this.isAssistant(streamerId, userId))) await db.insertInto('room_assistants').values({ streamer_id: streamerId, user_id: userId, created_at: now }).execute();
    },
    sensitiveWords() {
      return db.selectFrom('sensitive_words').selectAll().orderBy('word').execute();
    },
    async addWord(row: SensitiveWordsTable) {
      await db.deleteFrom('sensitive_words').where('word', '=', row.word).execute();
      await db.insertInto('sensitive_words').values(row).execute();
    },
    async removeWord(word: string) {
      await db.deleteFrom('sensitive_words').where('word', '=', word).execute();
    },
    // --- coupon drops ---
    async insertDrop(row: Insertable<CouponDropsTable>) {
      await db.insertInto('coupon_drops').values(row).execute();
    },
    findDrop(id: string) {
      return db.selectFrom('coupon_drops').selectAll().where('id', '=', id).executeTakeFirst();
    },
    runningDrop(sessionId: string, now: string) {
      return db.selectFrom('coupon_drops').selectAll().where('session_id', '=', sessionId).where('ends_at', '>', now).orderBy('starts_at', 'desc').executeTakeFirst();
    },
    /** One claim per user, never more than the drop's total, only within its window: one transaction. */
    async claim(dropId: string, userId: string, now: string, onClaimed?: (trx: Transaction<Database>) => Promise<void>): Promise<'ok' | 'duplicate' | 'sold_out' | 'closed'> {
      return db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('coupon_claims').select('user_id').where('drop_id', '=', dropId).where('user_id', '=', userId).executeTakeFirst();
        if (existing) return 'duplicate';
        const updated = await trx
          .updateTable('coupon_drops')
          .set((eb) => ({ claimed: eb('claimed', '+', 1) }))
          .where('id', '=', dropId)
          .where('starts_at', '<=', now)
          .where('ends_at', '>', now)
          .whereRef('claimed', '<', 'total')
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) {
          const drop = await trx.selectFrom('coupon_drops').select(['claimed', 'total', 'ends_at']).where('id', '=', dropId).executeTakeFirst();
          return drop && drop.ends_at > now && drop.claimed >= drop.total ? 'sold_out' : 'closed';
        }
        await trx.insertInto('coupon_claims').values({ drop_id: dropId, user_id: userId, claimed_at: now }).execute();
        if (onClaimed) await onClaimed(trx);
        return 'ok';
      });
    },
    // --- lucky bags ---
    async insertBag(row: LuckyBagsTable) {
      await db.insertInto('lucky_bags').values(row).execute();
    },
    findBag(id: string) {
      return db.selectFrom('lucky_bags').selectAll().where('id', '=', id).executeTakeFirst();
    },
    currentBag(sessionId: string) {
      return db.selectFrom('lucky_bags').selectAll().where('session_id', '=', sessionId).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
    },
    openBags(sessionId: string) {
      return db.selectFrom('lucky_bags').selectAll().where('session_id', '=', sessionId).where('status', '=', 'open').execute();
    },
    dueBags(now: string) {
      return db.selectFrom('lucky_bags').select(['id', 'session_id']).where('status', '=', 'open').where('draw_at', '<=', now).execute();
    },
    async enter(bagId: string, userId: string, now: string) {
      const existing = await db.selectFrom('lucky_bag_entries').select('user_id').where('bag_id', '=', bagId).where('user_id', '=', userId).executeTakeFirst();
      if (!existing) await db.insertInto('lucky_bag_entries').values({ bag_id: bagId, user_id: userId, entered_at: now }).execute();
    },
    /** Entrants, optionally only those in by `until` (the draw time, for the audit). */
    entrants(bagId: string, until?: string) {
      return db
        .selectFrom('lucky_bag_entries')
        .innerJoin('users', 'users.id', 'lucky_bag_entries.user_id')
        .select(['lucky_bag_entries.user_id', 'users.display_name'])
        .where('bag_id', '=', bagId)
        .$if(until !== undefined, (q) => q.where('lucky_bag_entries.entered_at', '<=', until as string))
        .orderBy('lucky_bag_entries.user_id')
        .execute();
    },
    async markDrawn(bagId: string, seed: string, winnerIds: string[], entrantCount: number, now: string) {
      const result = await db
        .updateTable('lucky_bags')
        .set({ status: 'drawn', revealed_seed: seed, winner_ids: JSON.stringify(winnerIds), entrant_count: entrantCount, drawn_at: now })
        .where('id', '=', bagId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export type RoomStore = ReturnType<typeof createRoomStore>;
