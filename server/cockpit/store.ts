import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { CockpitPresetsTable } from '../platform/db-types.ts';

export function createCockpitStore(db: Db) {
  return {
    // --- presets ---
    presets(streamerId: string) {
      return db.selectFrom('cockpit_presets').selectAll().where('streamer_id', '=', streamerId).orderBy('created_at').orderBy('id').execute();
    },
    async presetCount(streamerId: string) {
      const row = await db.selectFrom('cockpit_presets').select((eb) => eb.fn.countAll<number>().as('n')).where('streamer_id', '=', streamerId).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    findPreset(id: string) {
      return db.selectFrom('cockpit_presets').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async insertPreset(row: Insertable<CockpitPresetsTable>) {
      await db.insertInto('cockpit_presets').values(row).execute();
    },
    async updatePreset(id: string, patch: Updateable<CockpitPresetsTable>) {
      await db.updateTable('cockpit_presets').set(patch).where('id', '=', id).execute();
    },
    async deletePreset(id: string) {
      await db.deleteFrom('cockpit_presets').where('id', '=', id).execute();
    },
    async markLaunched(id: string, at: string) {
      await db
        .updateTable('cockpit_presets')
        .set((eb) => ({ launched_at: at, launch_count: eb('launch_count', '+', 1) }))
        .where('id', '=', id)
        .execute();
    },

    // --- the live numbers ---
    /** The session's paid orders (paid once, whatever happened since): count, buyers, GMV and refunds, in fen. */
    async paidOrders(sessionId: string) {
      const row = await db
        .selectFrom('orders')
        .select((eb) => [
          eb.fn.countAll<number>().as('orders'),
          eb.fn.count<number>('buyer_id').distinct().as('buyers'),
          eb.fn.coalesce(eb.fn.sum<number>('total_fen'), eb.lit(0)).as('gmv_fen'),
          eb.fn.coalesce(eb.fn.sum<number>('refunded_fen'), eb.lit(0)).as('refunded_fen'),
        ])
        .where('session_id', '=', sessionId)
        .where('paid_at', 'is not', null)
        .executeTakeFirstOrThrow();
      return { orders: Number(row.orders), buyers: Number(row.buyers), gmvFen: Number(row.gmv_fen), refundedFen: Number(row.refunded_fen) };
    },
    cheapestSku(productId: string) {
      return db.selectFrom('skus').select(['id', 'price_fen']).where('product_id', '=', productId).orderBy('price_fen').orderBy('id').executeTakeFirst();
    },

    // --- assistants ---
    assistants(streamerId: string) {
      return db
        .selectFrom('room_assistants')
        .innerJoin('users', 'users.id', 'room_assistants.user_id')
        .select(['room_assistants.user_id', 'room_assistants.rights', 'room_assistants.created_at', 'users.display_name', 'users.phone', 'users.email'])
        .where('room_assistants.streamer_id', '=', streamerId)
        .orderBy('room_assistants.created_at')
        .execute();
    },
    async skuPrice(skuId: string) {
      return (await db.selectFrom('skus').select('price_fen').where('id', '=', skuId).executeTakeFirst())?.price_fen;
    },
    async setRights(streamerId: string, userId: string, rights: string) {
      const result = await db.updateTable('room_assistants').set({ rights }).where('streamer_id', '=', streamerId).where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async removeAssistant(streamerId: string, userId: string) {
      const result = await db.deleteFrom('room_assistants').where('streamer_id', '=', streamerId).where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    /** The streamers this user assists (their cockpit links), with the lives they can open. */
    assisting(userId: string) {
      return db
        .selectFrom('room_assistants')
        .innerJoin('users', 'users.id', 'room_assistants.streamer_id')
        .select(['room_assistants.streamer_id', 'room_assistants.rights', 'users.display_name'])
        .where('room_assistants.user_id', '=', userId)
        .orderBy('room_assistants.created_at')
        .execute();
    },
    sessionsOf(streamerIds: string[]) {
      if (!streamerIds.length) return Promise.resolve([]);
      return db
        .selectFrom('live_sessions')
        .select(['id', 'streamer_id', 'title', 'status', 'scheduled_at'])
        .where('streamer_id', 'in', streamerIds)
        .where('status', 'in', ['scheduled', 'live'])
        .where('mode', '=', 'public')
        .orderBy('scheduled_at')
        .limit(100)
        .execute();
    },
  };
}

export type CockpitStore = ReturnType<typeof createCockpitStore>;
