import type { Selectable, Transaction } from 'kysely';
import { toLoginId } from '../accounts/schema.ts';
import type { NewEvent, Outbox } from '../events/outbox.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db, Dialect } from '../platform/db.ts';
import type { Database, McnContractsTable, McnContractStatus } from '../platform/db-types.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { checkRights, parseRights } from './rights.ts';
import { contractWindow, overlaps, type Window } from './window.ts';

type Trx = Transaction<Database>;
type ContractRow = Selectable<McnContractsTable>;
type NamedRow = ContractRow & { mcn_name: string; streamer_name: string };

/** 'active', 'upcoming' and 'expired' are read from the dates of an accepted (or terminated) contract. */
export type ContractState = 'offered' | 'declined' | 'cancelled' | 'upcoming' | 'active' | 'expired' | 'terminated';

export type OfferInput = {
  streamerId?: string;
  login?: string;
  startsAt: string;
  endsAt?: string | null;
  splitBps: number;
  exclusive: boolean;
  rights: string[];
};
export type RenewInput = { endsAt: string; splitBps?: number; exclusive?: boolean; rights?: string[] };
export type TerminateInput = { effectiveAt?: string; reason: string };

/** The MCN's share of the streamer's commission: an integer 0–10000 basis points, else SPLIT_INVALID. */
export function checkSplit(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 10_000) throw new AppError('SPLIT_INVALID');
  return value;
}

function stateOf(row: ContractRow, now: string): ContractState {
  if (row.status === 'offered' || row.status === 'declined' || row.status === 'cancelled') return row.status;
  const w = contractWindow(row);
  if (!w) return row.status === 'terminated' ? 'terminated' : 'expired';
  if (now < w.from) return 'upcoming';
  if (w.to !== null && now >= w.to) return row.status === 'terminated' ? 'terminated' : 'expired';
  return 'active';
}

export function toContractView(row: NamedRow, now: string) {
  return {
    id: row.id,
    mcn: { id: row.mcn_org_id, name: row.mcn_name },
    streamer: { id: row.streamer_id, displayName: row.streamer_name },
    splitBps: row.split_bps,
    exclusive: row.exclusive === 1,
    rights: parseRights(row.rights),
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    status: row.status,
    state: stateOf(row, now),
    renewedFrom: row.renewed_from,
    createdAt: row.created_at,
    acceptedAt: row.accepted_at,
    declinedAt: row.declined_at,
    declineReason: row.decline_reason,
    cancelledAt: row.cancelled_at,
    terminatedAt: row.terminated_at,
    terminatedBy: row.terminated_by,
    terminationReason: row.termination_reason,
  };
}
export type ContractView = ReturnType<typeof toContractView>;

function payloadOf(row: ContractRow) {
  return {
    contractId: row.id,
    mcnOrgId: row.mcn_org_id,
    streamerId: row.streamer_id,
    status: row.status,
    splitBps: row.split_bps,
    exclusive: row.exclusive === 1,
    rights: parseRights(row.rights),
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    renewedFrom: row.renewed_from,
    acceptedAt: row.accepted_at,
    terminatedAt: row.terminated_at,
    terminatedBy: row.terminated_by,
    terminationReason: row.termination_reason,
  };
}

const iso = (value: string) => new Date(value).toISOString();

/**
 * MCN contracts (docs/MCN.md): the MCN offers, the streamer accepts or declines, either side
 * terminates, the MCN offers a renewal that the streamer accepts like any offer. Every change is one
 * transaction with its business event (contract.*); on PostgreSQL the streamer's user row is locked
 * first, so two contracts of one streamer are never accepted past each other's overlap check.
 */
/** A new offer's answer fields: nobody has declined, cancelled or ended it yet. */
const NOT_YET_ANSWERED = { declined_at: null, decline_reason: null, cancelled_at: null, terminated_at: null, terminated_by: null, termination_reason: null } as const;

export function createContracts(deps: { db: Db; dialect: Dialect; clock: Clock; outbox: Outbox }) {
  const { db, dialect, clock, outbox } = deps;
  const now = () => clock.now().toISOString();

  const named = (q: Db | Trx) =>
    q
      .selectFrom('mcn_contracts')
      .innerJoin('organisations', 'organisations.id', 'mcn_contracts.mcn_org_id')
      .innerJoin('users', 'users.id', 'mcn_contracts.streamer_id')
      .selectAll('mcn_contracts')
      .select(['organisations.name as mcn_name', 'users.display_name as streamer_name']);

  async function lockStreamer(trx: Trx, streamerId: string) {
    if (dialect === 'postgres') await trx.selectFrom('users').select('id').where('id', '=', streamerId).forUpdate().execute();
  }

  /** A contract that would be in force over `window` must not overlap the streamer's accepted ones (see docs). */
  async function checkOverlap(trx: Trx, candidate: { id?: string; mcnOrgId: string; streamerId: string; exclusive: boolean; window: Window }) {
    const rows = await trx
      .selectFrom('mcn_contracts')
      .select(['id', 'mcn_org_id', 'exclusive', 'status', 'starts_at', 'ends_at', 'accepted_at', 'terminated_at'])
      .where('streamer_id', '=', candidate.streamerId)
      .where('status', 'in', ['accepted', 'terminated'])
      .execute();
    for (const row of rows) {
      if (row.id === candidate.id) continue;
      const w = contractWindow(row);
      if (!w || !overlaps(w, candidate.window)) continue;
      if (row.mcn_org_id === candidate.mcnOrgId) throw new AppError('CONTRACT_OVERLAP');
      if (row.exclusive === 1 || candidate.exclusive) throw new AppError('CONTRACT_OVERLAP_EXCLUSIVE');
    }
  }

  /** The window a contract would have if accepted now. */
  function windowIfAccepted(startsAt: string, endsAt: string | null, at: string): Window {
    return { from: startsAt > at ? startsAt : at, to: endsAt };
  }

  async function insertOffer(row: ContractRow) {
    await db.transaction().execute(async (trx) => {
      await lockStreamer(trx, row.streamer_id);
      await checkOverlap(trx, { mcnOrgId: row.mcn_org_id, streamerId: row.streamer_id, exclusive: row.exclusive === 1, window: windowIfAccepted(row.starts_at, row.ends_at, row.created_at) });
      await trx.insertInto('mcn_contracts').values(row).execute();
      await outbox.record(trx, [{ type: 'contract.offered', subjectId: row.id, occurredAt: row.created_at, payload: payloadOf(row) }]);
    });
  }

  async function view(id: string) {
    const row = await named(db).where('mcn_contracts.id', '=', id).executeTakeFirstOrThrow();
    return toContractView(row, now());
  }

  /** Moves a contract from one status to another in `trx`, or CONTRACT_STATE_CONFLICT if someone else moved it first. */
  async function transition(trx: Trx, row: ContractRow, from: McnContractStatus, patch: Partial<ContractRow>, events: (next: ContractRow) => NewEvent[]) {
    const result = await trx.updateTable('mcn_contracts').set(patch).where('id', '=', row.id).where('status', '=', from).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONTRACT_STATE_CONFLICT', { status: row.status });
    await outbox.record(trx, events({ ...row, ...patch }));
  }

  /** Loads a contract for one side inside `trx`: another MCN's or another streamer's is CONTRACT_NOT_FOUND. */
  async function load(trx: Trx | Db, id: string, owner: { mcnOrgId: string } | { streamerId: string }) {
    const row = await trx
      .selectFrom('mcn_contracts')
      .selectAll()
      .where('id', '=', id)
      .$if('mcnOrgId' in owner, (q) => q.where('mcn_org_id', '=', (owner as { mcnOrgId: string }).mcnOrgId))
      .$if('streamerId' in owner, (q) => q.where('streamer_id', '=', (owner as { streamerId: string }).streamerId))
      .executeTakeFirst();
    if (!row) throw new AppError('CONTRACT_NOT_FOUND');
    return row;
  }

  async function terminate(id: string, side: 'mcn' | 'streamer', owner: { mcnOrgId: string } | { streamerId: string }, input: TerminateInput) {
    const at = now();
    await db.transaction().execute(async (trx) => {
      const row = await load(trx, id, owner);
      await lockStreamer(trx, row.streamer_id);
      const state = stateOf(row, at);
      if (row.status !== 'accepted' || state === 'expired') throw new AppError('CONTRACT_STATE_CONFLICT', { status: row.status === 'accepted' ? state : row.status });
      const requested = input.effectiveAt ? iso(input.effectiveAt) : at;
      // A minute's grace for clocks; never backdated, since orders paid meanwhile were split under it.
      if (Date.parse(requested) < Date.parse(at) - 60_000) throw new AppError('CONTRACT_DATES_INVALID', { reason: 'effectiveAt is in the past' });
      const effective = requested > at ? requested : at;
      if (row.ends_at !== null && effective >= row.ends_at) throw new AppError('CONTRACT_DATES_INVALID', { reason: 'effectiveAt is not before the contract ends' });
      await transition(trx, row, 'accepted', { status: 'terminated', terminated_at: effective, terminated_by: side, termination_reason: input.reason, updated_at: at }, (next) => [
        { type: 'contract.terminated', subjectId: row.id, occurredAt: at, payload: payloadOf(next) },
      ]);
    });
    return view(id);
  }

  return {
    /** The MCN offers a contract to a streamer (named by user id or login). Returns it `offered`. */
    async offer(mcnOrgId: string, actorId: string, input: OfferInput) {
      const splitBps = checkSplit(input.splitBps);
      const rights = checkRights(input.rights);
      const at = now();
      const startsAt = iso(input.startsAt);
      const endsAt = input.endsAt ? iso(input.endsAt) : null;
      if (endsAt !== null && endsAt <= startsAt) throw new AppError('CONTRACT_DATES_INVALID', { reason: 'endsAt must be after startsAt' });
      if (endsAt !== null && endsAt <= at) throw new AppError('CONTRACT_DATES_INVALID', { reason: 'endsAt is in the past' });
      const streamerId = await resolveStreamer(input);
      const row: ContractRow = {
        id: newId(),
        mcn_org_id: mcnOrgId,
        streamer_id: streamerId,
        split_bps: splitBps,
        exclusive: input.exclusive ? 1 : 0,
        starts_at: startsAt,
        ends_at: endsAt,
        status: 'offered',
        created_at: at,
        accepted_at: null,
        rights: JSON.stringify(rights),
        offered_by: actorId,
        renewed_from: null,
        ...NOT_YET_ANSWERED,
        updated_at: at,
      };
      await insertOffer(row);
      return view(row.id);
    },

    /**
     * A renewal: a new offer that starts where the accepted contract ends, with its terms unless
     * changed. The streamer accepts it like any offer; the old contract runs to its end meanwhile.
     */
    async renew(mcnOrgId: string, actorId: string, id: string, input: RenewInput) {
      const old = await load(db, id, { mcnOrgId });
      const at = now();
      const state = stateOf(old, at);
      if (old.status !== 'accepted' || state === 'expired') throw new AppError('CONTRACT_STATE_CONFLICT', { status: old.status === 'accepted' ? state : old.status });
      if (old.ends_at === null) throw new AppError('CONTRACT_DATES_INVALID', { reason: 'an open-ended contract has nothing to renew' });
      const pending = await db.selectFrom('mcn_contracts').select('id').where('renewed_from', '=', old.id).where('status', 'in', ['offered', 'accepted']).executeTakeFirst();
      if (pending) throw new AppError('CONTRACT_STATE_CONFLICT', { status: 'renewal offered' });
      const splitBps = input.splitBps === undefined ? old.split_bps : checkSplit(input.splitBps);
      const rights = input.rights === undefined ? parseRights(old.rights) : checkRights(input.rights);
      const endsAt = iso(input.endsAt);
      if (endsAt <= old.ends_at) throw new AppError('CONTRACT_DATES_INVALID', { reason: 'a renewal must end after the contract it renews' });
      const row: ContractRow = {
        ...old,
        id: newId(),
        split_bps: splitBps,
        exclusive: input.exclusive === undefined ? old.exclusive : input.exclusive ? 1 : 0,
        rights: JSON.stringify(rights),
        starts_at: old.ends_at,
        ends_at: endsAt,
        status: 'offered',
        created_at: at,
        accepted_at: null,
        offered_by: actorId,
        renewed_from: old.id,
        ...NOT_YET_ANSWERED,
        updated_at: at,
      };
      await insertOffer(row);
      return view(row.id);
    },

    /** The streamer accepts an offer: it takes effect, and they join the MCN with the role 'streamer'. */
    async accept(streamerId: string, id: string) {
      const at = now();
      await db.transaction().execute(async (trx) => {
        await lockStreamer(trx, streamerId);
        const row = await load(trx, id, { streamerId });
        if (row.status !== 'offered') throw new AppError('CONTRACT_STATE_CONFLICT', { status: stateOf(row, at) });
        if (row.ends_at !== null && row.ends_at <= at) throw new AppError('CONTRACT_DATES_INVALID', { reason: 'the offered term has already ended' });
        if (row.renewed_from) {
          const old = await trx.selectFrom('mcn_contracts').select('status').where('id', '=', row.renewed_from).executeTakeFirst();
          if (old?.status !== 'accepted') throw new AppError('CONTRACT_STATE_CONFLICT', { status: `renewal of a ${old?.status ?? 'missing'} contract` });
        }
        await checkOverlap(trx, { id: row.id, mcnOrgId: row.mcn_org_id, streamerId, exclusive: row.exclusive === 1, window: windowIfAccepted(row.starts_at, row.ends_at, at) });
        await transition(trx, row, 'offered', { status: 'accepted', accepted_at: at, updated_at: at }, (next) => [
          { type: 'contract.accepted', subjectId: row.id, occurredAt: at, payload: payloadOf(next) },
          ...(row.renewed_from ? [{ type: 'contract.renewed' as const, subjectId: row.renewed_from, occurredAt: at, payload: payloadOf(next) }] : []),
        ]);
        const member = await trx.selectFrom('org_members').select('role').where('org_id', '=', row.mcn_org_id).where('user_id', '=', streamerId).executeTakeFirst();
        if (!member) await trx.insertInto('org_members').values({ org_id: row.mcn_org_id, user_id: streamerId, role: 'streamer', created_at: at }).execute();
      });
      return view(id);
    },

    /** The streamer turns an offer down. */
    async decline(streamerId: string, id: string, reason: string | null) {
      const at = now();
      await db.transaction().execute(async (trx) => {
        const row = await load(trx, id, { streamerId });
        if (row.status !== 'offered') throw new AppError('CONTRACT_STATE_CONFLICT', { status: stateOf(row, at) });
        await transition(trx, row, 'offered', { status: 'declined', declined_at: at, decline_reason: reason, updated_at: at }, (next) => [
          { type: 'contract.declined', subjectId: row.id, occurredAt: at, payload: payloadOf(next) },
        ]);
      });
      return view(id);
    },

    /** The MCN takes back an offer the streamer has not answered. */
    async cancel(mcnOrgId: string, id: string) {
      const at = now();
      await db.transaction().execute(async (trx) => {
        const row = await load(trx, id, { mcnOrgId });
        if (row.status !== 'offered') throw new AppError('CONTRACT_STATE_CONFLICT', { status: stateOf(row, at) });
        await transition(trx, row, 'offered', { status: 'cancelled', cancelled_at: at, updated_at: at }, (next) => [
          { type: 'contract.cancelled', subjectId: row.id, occurredAt: at, payload: payloadOf(next) },
        ]);
      });
      return view(id);
    },

    /** Either side ends an accepted contract from a date (now by default): the split stops there. */
    terminateByMcn: (mcnOrgId: string, id: string, input: TerminateInput) => terminate(id, 'mcn', { mcnOrgId }, input),
    terminateByStreamer: (streamerId: string, id: string, input: TerminateInput) => terminate(id, 'streamer', { streamerId }, input),

    async getForMcn(mcnOrgId: string, id: string) {
      const row = await named(db).where('mcn_contracts.id', '=', id).where('mcn_contracts.mcn_org_id', '=', mcnOrgId).executeTakeFirst();
      if (!row) throw new AppError('CONTRACT_NOT_FOUND');
      return toContractView(row, now());
    },
    async getForStreamer(streamerId: string, id: string) {
      const row = await named(db).where('mcn_contracts.id', '=', id).where('mcn_contracts.streamer_id', '=', streamerId).executeTakeFirst();
      if (!row) throw new AppError('CONTRACT_NOT_FOUND');
      return toContractView(row, now());
    },
    /** The MCN's contracts, newest first; optionally of one status or one streamer. */
    async listForMcn(mcnOrgId: string, filter: { status?: McnContractStatus; streamerId?: string } = {}) {
      const rows = await named(db)
        .where('mcn_contracts.mcn_org_id', '=', mcnOrgId)
        .$if(filter.status !== undefined, (q) => q.where('mcn_contracts.status', '=', filter.status!))
        .$if(filter.streamerId !== undefined, (q) => q.where('mcn_contracts.streamer_id', '=', filter.streamerId!))
        .orderBy('mcn_contracts.created_at', 'desc')
        .limit(500)
        .execute();
      const at = now();
      return rows.map((r) => toContractView(r, at));
    },
    /** A streamer's own contracts with every MCN, newest first (offers waiting for an answer among them). */
    async listForStreamer(streamerId: string) {
      const rows = await named(db).where('mcn_contracts.streamer_id', '=', streamerId).orderBy('mcn_contracts.created_at', 'desc').limit(200).execute();
      const at = now();
      return rows.map((r) => toContractView(r, at));
    },
  };

  async function resolveStreamer(input: { streamerId?: string; login?: string }): Promise<string> {
    let userId = input.streamerId;
    if (!userId && input.login) {
      const login = toLoginId(input.login);
      const user = login
        ? await db
            .selectFrom('users')
            .select('id')
            .where(login.kind === 'email' ? 'email' : 'phone', '=', login.value)
            .executeTakeFirst()
        : undefined;
      userId = user?.id;
    }
    if (!userId) throw new AppError('USER_NOT_FOUND');
    const profile = await db.selectFrom('streamer_profiles').select('user_id').where('user_id', '=', userId).executeTakeFirst();
    if (!profile) {
      const exists = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
      throw new AppError(exists ? 'STREAMER_PROFILE_NOT_FOUND' : 'USER_NOT_FOUND');
    }
    return userId;
  }
}

export type Contracts = ReturnType<typeof createContracts>;
