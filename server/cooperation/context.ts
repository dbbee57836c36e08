import { sql, type ExpressionBuilder, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { EventType, Outbox } from '../events/outbox.ts';
import type { LedgerStore } from '../ledger/store.ts';
import type { McnRights } from '../mcn/rights.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import type { Database } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';

export type Trx = Transaction<Database>;

/** The cooperation tables that belong to a brand and a streamer. */
export type CooperationListTable = 'cooperation_applications' | 'cooperation_samples' | 'cooperation_slot_fees';

export type CooperationDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  logger: Logger;
  outbox: Outbox;
  /** The ledger's journal: sample deposits and slot fees are transfers between party accounts. */
  ledger: LedgerStore;
  /** How long after a live ends its accepted slot fees settle by themselves (ms); default 24 h. */
  slotFeeSettleDelayMs?: number;
  /** The MCN contracts in force and the rights they grant (server/mcn/rights.ts). */
  mcnRights: Pick<McnRights, 'mayActFor' | 'isSignedTo' | 'streamersInForce'>;
};

/**
 * Who is asking, as the routes establish it:
 * - a brand member (the route's `:orgId`, checked by access.ts) sees and decides its own offers,
 *   applications, samples and slot fees;
 * - a streamer sees and acts on their own;
 * - an MCN member sees its streamers' and acts for them where `mayActFor` allows.
 */
export type Actor =
  | { kind: 'brand'; orgId: string; userId: string }
  | { kind: 'streamer'; userId: string }
  | { kind: 'mcn'; orgId: string; userId: string };

/**
 * What an MCN may do for a streamer signed to it: read their cooperation, apply for products for
 * their 小黄车 (`manage_products`), ask for samples (`request_samples`); the last two are the names
 * of the contract rights in server/mcn/rights.ts.
 */
export type McnRight = 'view' | 'manage_products' | 'request_samples';

export function createContext(deps: CooperationDeps) {
  const { db, dialect, clock, outbox } = deps;

  /**
   * May this MCN act for this streamer with this right? Only under an accepted contract in force now
   * (server/mcn/window.ts): reading (`view`) needs any such contract, acting needs the contract to
   * grant the right (`manage_products`, `request_samples`). Every cooperation action an MCN takes for
   * a streamer goes through this one function.
   */
  async function mayActFor(mcnOrgId: string, streamerId: string, right: McnRight, trx: Db | Trx = db): Promise<boolean> {
    return right === 'view' ? deps.mcnRights.isSignedTo(mcnOrgId, streamerId, trx) : deps.mcnRights.mayActFor(mcnOrgId, streamerId, right, trx);
  }

  /** Refuses with MCN_NOT_STREAMERS_AGENT when the actor is an MCN that may not act for the streamer. */
  async function requireActingFor(actor: Actor, streamerId: string, right: McnRight) {
    if (actor.kind === 'mcn' && !(await mayActFor(actor.orgId, streamerId, right))) throw new AppError('MCN_NOT_STREAMERS_AGENT');
  }

  /** Whether the actor may see a row that belongs to this brand and streamer. */
  async function sees(actor: Actor, row: { brand_org_id: string; streamer_id: string }): Promise<boolean> {
    if (actor.kind === 'brand') return row.brand_org_id === actor.orgId;
    if (actor.kind === 'streamer') return row.streamer_id === actor.userId;
    return mayActFor(actor.orgId, row.streamer_id, 'view');
  }

  /** The subquery of streamers under a contract in force with an MCN, for lists. */
  const signedTo = (mcnOrgId: string) => deps.mcnRights.streamersInForce(mcnOrgId);

  /**
   * What an actor may list of applications, samples or slot fees, for `.where(...)`: a brand its own,
   * a streamer theirs, an MCN its streamers' under a contract in force.
   */
  const visibleTo = (actor: Actor) => (eb: ExpressionBuilder<Database, CooperationListTable>) =>
    actor.kind === 'brand' ? eb('brand_org_id', '=', actor.orgId) : actor.kind === 'streamer' ? eb('streamer_id', '=', actor.userId) : eb('streamer_id', 'in', signedTo(actor.orgId));

  /** Takes a row lock for the rest of the transaction on PostgreSQL (SQLite has one writer already). */
  async function lock(trx: Trx, table: 'cooperation_offers' | 'cooperation_slot_fees', id: string) {
    if (dialect === 'postgres') await sql`select id from ${sql.table(table)} where id = ${id} for update`.execute(trx);
  }

  /** Records one cooperation fact in the outbox, in the transaction of the change (docs/EVENTS.md). */
  async function record(trx: Trx, type: EventType, subjectId: string, payload: Record<string, unknown>, occurredAt: string) {
    await outbox.record(trx, [{ type, subjectId, occurredAt, payload }]);
  }

  async function followerCount(streamerId: string): Promise<number> {
    const row = await db.selectFrom('follows').select((eb) => eb.fn.countAll<number>().as('n')).where('streamer_id', '=', streamerId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** True when a unique index refused the insert (both databases). */
  function isUniqueViolation(error: unknown): boolean {
    const e = error as { code?: string; message?: string };
    return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
  }

  return {
    ...deps,
    now: () => clock.now().toISOString(),
    mayActFor,
    requireActingFor,
    sees,
    signedTo,
    visibleTo,
    lock,
    record,
    followerCount,
    isUniqueViolation,
  };
}

export type Context = ReturnType<typeof createContext>;

/** A user's display name, for the views. */
export async function displayNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
