import type { z } from 'zod';
import { createAuditLog } from '../compliance/audit.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { ApplicationRow } from '../talent/store.ts';
import type { ProgrammeBody } from './schema.ts';

export type ProgrammeInput = z.output<typeof ProgrammeBody>;
type Criterion = { metric: string; min: number };
type Row = { id: string; name: string; region: string; year: number; criteria: string; created_at: string; updated_at: string | null; retired_at: string | null };

const HOUR = 3_600_000;

function view(r: Row, applications?: { pending: number; approved: number; rejected: number }) {
  return {
    id: r.id,
    name: r.name,
    region: r.region,
    year: r.year,
    criteria: JSON.parse(r.criteria) as Criterion[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    retiredAt: r.retired_at,
    applications: applications ?? { pending: 0, approved: 0, rejected: 0 },
  };
}
export type ProgrammeView = ReturnType<typeof view>;

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

/**
 * City programmes managed by platform operators (docs/BASES.md, "City programmes"): added, edited (name, region,
 * year, criteria and thresholds) and retired. A programme is identified by (name, region, year), unique in the
 * database; a duplicate is refused with BASE_PROGRAMME_EXISTS, also when two requests race (the unique index
 * decides). Retiring sets `retired_at`: the row stays, so applications keep pointing at it and stay readable,
 * but it is no longer checked nor applied for, and no longer edited. Each change is in the audit log, in the same
 * transaction.
 */
export function createProgrammes(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function find(id: string): Promise<Row | undefined> {
    return db.selectFrom('base_programmes').selectAll().where('id', '=', id).executeTakeFirst();
  }
  /** Applications by programme and status (the table is the talent domain's, server/talent/store.ts). */
  const applications = db.withTables<{ base_applications: ApplicationRow }>();
  async function counts(ids?: string[]) {
    let query = applications.selectFrom('base_applications').select((eb) => ['programme_id', 'status', eb.fn.countAll<number>().as('n')]).groupBy(['programme_id', 'status']);
    if (ids) query = query.where('programme_id', 'in', ids);
    const rows = await query.execute();
    const out = new Map<string, { pending: number; approved: number; rejected: number }>();
    for (const r of rows) {
      const c = out.get(r.programme_id) ?? { pending: 0, approved: 0, rejected: 0 };
      if (r.status === 'pending' || r.status === 'approved' || r.status === 'rejected') c[r.status] += Number(r.n);
      out.set(r.programme_id, c);
    }
    return out;
  }
  async function one(id: string) {
    const row = await find(id);
    if (!row) throw new AppError('BASE_PROGRAMME_NOT_FOUND');
    return view(row, (await counts([id])).get(id));
  }
  /** Refuses a (name, region, year) another programme already has (the unique index is the guarantee under a race). */
  async function refuseDuplicate(input: { name: string; region: string; year: number }, exceptId?: string) {
    let query = db.selectFrom('base_programmes').select('id').where('name', '=', input.name).where('region', '=', input.region).where('year', '=', input.year);
    if (exceptId) query = query.where('id', '<>', exceptId);
    if (await query.executeTakeFirst()) throw new AppError('BASE_PROGRAMME_EXISTS');
  }
  const beijingYear = () => new Date(clock.now().getTime() + 8 * HOUR).getUTCFullYear();

  return {
    /** Every programme, retired ones last, with its applications by status (the operators' page). */
    async list() {
      const rows = await db.selectFrom('base_programmes').selectAll().orderBy('name').orderBy('year', 'desc').orderBy('region').execute();
      const byProgramme = await counts();
      return rows.map((r) => view(r, byProgramme.get(r.id))).sort((a, b) => Number(a.retiredAt !== null) - Number(b.retiredAt !== null));
    },

    get: one,

    async add(input: ProgrammeInput, actorId: string) {
      const at = clock.now().toISOString();
      const row: Row = { id: newId(), name: input.name, region: input.region, year: input.year ?? beijingYear(), criteria: JSON.stringify(input.criteria), created_at: at, updated_at: null, retired_at: null };
      await refuseDuplicate(row);
      try {
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('base_programmes').values(row).execute();
          await createAuditLog(trx, clock).record({ actorId, action: 'base.programme.add', targetType: 'base_programme', targetId: row.id, detail: { name: row.name, region: row.region, year: row.year, criteria: input.criteria } });
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('BASE_PROGRAMME_EXISTS');
        throw error;
      }
      return view(row);
    },

    /** Name, region, year and criteria replaced; a retired programme is not edited (BASE_PROGRAMME_RETIRED). */
    async update(id: string, input: ProgrammeInput, actorId: string) {
      const before = await find(id);
      if (!before) throw new AppError('BASE_PROGRAMME_NOT_FOUND');
      if (before.retired_at) throw new AppError('BASE_PROGRAMME_RETIRED');
      const next = { name: input.name, region: input.region, year: input.year ?? before.year, criteria: JSON.stringify(input.criteria) };
      await refuseDuplicate(next, id);
      try {
        await db.transaction().execute(async (trx) => {
          const updated = await trx.updateTable('base_programmes').set({ ...next, updated_at: clock.now().toISOString() }).where('id', '=', id).where('retired_at', 'is', null).executeTakeFirst();
          if (Number(updated.numUpdatedRows) !== 1) throw new AppError('BASE_PROGRAMME_RETIRED');
          const was = { name: before.name, region: before.region, year: before.year, criteria: JSON.parse(before.criteria) as Criterion[] };
          await createAuditLog(trx, clock).record({ actorId, action: 'base.programme.edit', targetType: 'base_programme', targetId: id, detail: { before: was, after: { ...next, criteria: input.criteria } } });
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('BASE_PROGRAMME_EXISTS');
        throw error;
      }
      return one(id);
    },

    /** Retired once (a second time: BASE_PROGRAMME_RETIRED); the row and its applications stay. */
    async retire(id: string, actorId: string) {
      await db.transaction().execute(async (trx) => {
        const updated = await trx.updateTable('base_programmes').set({ retired_at: clock.now().toISOString() }).where('id', '=', id).where('retired_at', 'is', null).executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) {
          throw new AppError((await trx.selectFrom('base_programmes').select('id').where('id', '=', id).executeTakeFirst()) ? 'BASE_PROGRAMME_RETIRED' : 'BASE_PROGRAMME_NOT_FOUND');
        }
        await createAuditLog(trx, clock).record({ actorId, action: 'base.programme.retire', targetType: 'base_programme', targetId: id });
      });
      return one(id);
    },
  };
}

export type Programmes = ReturnType<typeof createProgrammes>;
