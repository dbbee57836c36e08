import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { newId } from '../platform/ids.ts';

/** The audit trail of review and moderation decisions, kept with the live and transaction records. */
export function createAuditLog(db: Db, clock: Clock) {
  return {
    /** Writes one row; `on` is a transaction when the row must stand or fall with what it records. */
    async record(entry: { actorId: string | null; action: string; targetType: string; targetId: string; detail?: Record<string, unknown> }, on: Db = db) {
      await on
        .insertInto('audit_log')
        .values({
          id: newId(),
          actor_id: entry.actorId,
          action: entry.action,
          target_type: entry.targetType,
          target_id: entry.targetId,
          detail: JSON.stringify(entry.detail ?? {}),
          created_at: clock.now().toISOString(),
        })
        .execute();
    },
    async latest(limit = 200) {
      const rows = await db
        .selectFrom('audit_log')
        .leftJoin('users', 'users.id', 'audit_log.actor_id')
        .select(['audit_log.id', 'audit_log.action', 'audit_log.target_type', 'audit_log.target_id', 'audit_log.detail', 'audit_log.created_at', 'users.display_name as actor_name', 'audit_log.actor_id'])
        .orderBy('audit_log.id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        detail: JSON.parse(r.detail) as Record<string, unknown>,
        createdAt: r.created_at,
        actor: r.actor_id ? { id: r.actor_id, displayName: r.actor_name } : null,
      }));
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
