import type { z } from 'zod';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import type { EventBody, MaintenanceBody } from './schema.ts';
import type { BasesStore } from './store.ts';

export type EditsDeps = { db: Db; dialect: Dialect; clock: Clock; store: BasesStore };

const DAY = 86_400_000;
/** BOOKING_TIMES_INVALID's parameter, as adding a maintenance period answers it. */
const MAX_BOOKING_HOURS = 24;

/**
 * Editing and deleting a base's maintenance periods and events (docs/BASES.md, "Maintenance" and "Tenants
 * and events"), with the rules of adding them: a period ends after it starts and may not overlap a live
 * booking of its studio (checked with the studio's row locked on PostgreSQL, as adding one is, so a booking
 * arriving at the same time either lands first and the edit is refused, or finds the new period); an event
 * is validated by the schema that adds one. A period or an event of another base (or another studio) is
 * not found, and nothing changes.
 */
export function createBaseEdits(deps: EditsDeps) {
  const { db, dialect, clock, store } = deps;

  /** The period, when it belongs to `studioId` of the base `orgId`. */
  async function maintenanceOf(orgId: string, studioId: string, maintenanceId: string) {
    const row = await db
      .selectFrom('studio_maintenance as m')
      .innerJoin('studios as s', 's.id', 'm.studio_id')
      .select(['m.id', 'm.studio_id'])
      .where('m.id', '=', maintenanceId)
      .where('m.studio_id', '=', studioId)
      .where('s.base_org_id', '=', orgId)
      .executeTakeFirst();
    if (!row) throw new AppError('MAINTENANCE_NOT_FOUND');
    return row;
  }

  return {
    /** The base's maintenance periods ending from `sinceDays` ago on, soonest first, with their studio's name. */
    async listMaintenance(orgId: string, sinceDays = 30) {
      const since = new Date(clock.now().getTime() - sinceDays * DAY).toISOString();
      const rows = await db
        .selectFrom('studio_maintenance as m')
        .innerJoin('studios as s', 's.id', 'm.studio_id')
        .select(['m.id', 'm.studio_id', 'm.starts_at', 'm.ends_at', 'm.reason', 's.name as studio_name'])
        .where('s.base_org_id', '=', orgId)
        .where('m.ends_at', '>', since)
        .orderBy('m.starts_at')
        .orderBy('m.id')
        .limit(200)
        .execute();
      return rows.map((r) => ({ id: r.id, studioId: r.studio_id, studioName: r.studio_name, startsAt: r.starts_at, endsAt: r.ends_at, reason: r.reason }));
    },

    /** New times and note; refused as adding one is (BOOKING_TIMES_INVALID, MAINTENANCE_OVERLAPS_BOOKING). */
    async updateMaintenance(orgId: string, studioId: string, maintenanceId: string, input: z.output<typeof MaintenanceBody>) {
      await maintenanceOf(orgId, studioId, maintenanceId);
      const startsAt = new Date(input.startsAt).toISOString();
      const endsAt = new Date(input.endsAt).toISOString();
      if (!(endsAt > startsAt)) throw new AppError('BOOKING_TIMES_INVALID', { maxHours: MAX_BOOKING_HOURS });
      await db.transaction().execute(async (trx) => {
        if (dialect === 'postgres') await trx.selectFrom('studios').select('id').where('id', '=', studioId).forUpdate().execute();
        if (await store.bookingOverlapping(studioId, startsAt, endsAt, trx)) throw new AppError('MAINTENANCE_OVERLAPS_BOOKING');
        const updated = await trx.updateTable('studio_maintenance').set({ starts_at: startsAt, ends_at: endsAt, reason: input.reason }).where('id', '=', maintenanceId).where('studio_id', '=', studioId).executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw new AppError('MAINTENANCE_NOT_FOUND');
      });
      return { id: maintenanceId, studioId, startsAt, endsAt, reason: input.reason };
    },

    async removeMaintenance(orgId: string, studioId: string, maintenanceId: string) {
      await maintenanceOf(orgId, studioId, maintenanceId);
      const removed = await db.deleteFrom('studio_maintenance').where('id', '=', maintenanceId).where('studio_id', '=', studioId).executeTakeFirst();
      if (Number(removed.numDeletedRows) !== 1) throw new AppError('MAINTENANCE_NOT_FOUND');
    },

    /** New title, time and attendees (the schema that adds an event); the month's and the year's counts follow. */
    async updateEvent(orgId: string, eventId: string, input: z.output<typeof EventBody>) {
      const heldAt = new Date(input.heldAt).toISOString();
      const updated = await db.updateTable('base_events').set({ title: input.title, held_at: heldAt, attendees: input.attendees }).where('id', '=', eventId).where('base_org_id', '=', orgId).executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new AppError('BASE_EVENT_NOT_FOUND');
      return { id: eventId, title: input.title, heldAt, attendees: input.attendees };
    },

    async removeEvent(orgId: string, eventId: string) {
      const removed = await db.deleteFrom('base_events').where('id', '=', eventId).where('base_org_id', '=', orgId).executeTakeFirst();
      if (Number(removed.numDeletedRows) !== 1) throw new AppError('BASE_EVENT_NOT_FOUND');
    },
  };
}

export type BaseEdits = ReturnType<typeof createBaseEdits>;
