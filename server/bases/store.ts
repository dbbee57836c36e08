import type { Db } from '../platform/db.ts';
import type { StudiosTable } from '../platform/db-types.ts';

export function createBasesStore(db: Db) {
  return {
    async insertStudio(row: StudiosTable) {
      await db.insertInto('studios').values(row).execute();
    },
    async listStudios(baseOrgId: string) {
      const rows = await db.selectFrom('studios').selectAll().where('base_org_id', '=', baseOrgId).orderBy('name').execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        areaSqm: r.area_sqm,
        equipment: JSON.parse(r.equipment) as string[],
        scenes: JSON.parse(r.scenes) as string[],
        hourlyRateFen: r.hourly_rate_fen,
      }));
    },
  };
}

export type BasesStore = ReturnType<typeof createBasesStore>;
