// Migrations 0039 and 0040 over rows stored before them (docs/BASES.md, "Tenants and events"), on SQLite and
// PostgreSQL: a database migrated up to the one before, rows inserted as they were then, then migrated to the latest.
// 0039: a tenant linked to an organisation before it was never confirmed by anyone, so it becomes pending (not
// counted); one without a link stays self-declared (org_status null, counted). 0040 (withdrawals) keeps every
// stored state and who decided, and takes 'withdrawn' while the column still refuses anything else; going back
// down to 0039 makes a withdrawn link declined.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createBasesStore } from '../server/bases/store.ts';
import { migrateTo, migrateToLatest, openDatabase, type DatabaseHandle, type Dialect } from '../server/platform/db.ts';
import { newId } from '../server/platform/ids.ts';
import { requireService, TEST_PG_URL } from './helpers/env.ts';
import { pgSchema } from './helpers/server.ts';

const postgres = await requireService('postgres');
const AT = '2026-01-05T02:00:00.000Z';

describe.each(['sqlite', 'postgres'] as Dialect[])('base tenant migrations over stored rows [%s]', { timeout: 120_000 }, (dialect) => {
  const skip = dialect === 'postgres' && !postgres.ok;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-tenant-migrations-'));
  const opened: DatabaseHandle[] = [];
  afterAll(async () => {
    for (const database of opened) await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh database of its own: a SQLite file, or a PostgreSQL schema (dropped when the run ends, test/helpers/global-setup.ts). */
  async function fresh(name: string) {
    let database: DatabaseHandle;
    if (dialect === 'sqlite') {
      database = openDatabase({ url: `sqlite:${path.join(dir, `${name}.db`)}`, dataDir: dir });
    } else {
      const schema = pgSchema('tenants_');
      const admin = new pg.Client({ connectionString: TEST_PG_URL });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      database = openDatabase({ url: TEST_PG_URL, dataDir: dir, schema, connectTimeoutMs: 30_000 });
    }
    opened.push(database);
    return database;
  }

  async function orgs(database: DatabaseHandle) {
    const [base, mcn, brand] = [newId(), newId(), newId()];
    const org = (id: string, kind: 'base' | 'mcn' | 'brand', name: string) => ({ id, kind, name, description: '', licence_name: null, licence_no: null, status: 'approved' as const, review_reason: null, reviewed_at: AT, created_at: AT });
    await database.db.insertInto('organisations').values([org(base, 'base', '老基地'), org(mcn, 'mcn', '老 MCN'), org(brand, 'brand', '老品牌')]).execute();
    return { base, mcn, brand };
  }

  const tenant = (baseOrgId: string, name: string, orgId: string | null) => ({ id: newId(), base_org_id: baseOrgId, name, kind: 'mcn' as const, org_id: orgId, lease_start: '2025-01-01', lease_end: '2027-12-31', area_sqm: 100, monthly_rent_fen: 1_000_000, created_at: AT });

  it.skipIf(skip)('0039: links stored before it become pending and are not counted; tenants without a link stay self-declared', async () => {
    const database = await fresh('before-0039');
    const { db } = database;
    await migrateTo(db, dialect, '0038_base_photo_captions');
    const { base, mcn, brand } = await orgs(database);
    // As stored before 0039: no org_status, org_decided_at or org_decided_by columns yet.
    const rows = [tenant(base, '老链接 MCN', mcn), tenant(base, '老链接品牌', brand), tenant(base, '自报机构', null)];
    await db.insertInto('base_tenants').values(rows).execute();

    await migrateToLatest(db, dialect);
    const stored = await db.selectFrom('base_tenants').select(['id', 'org_id', 'org_status', 'org_decided_at', 'org_decided_by']).where('base_org_id', '=', base).execute();
    expect(stored.sort((a, b) => rows.findIndex((r) => r.id === a.id) - rows.findIndex((r) => r.id === b.id))).toEqual([
      { id: rows[0]!.id, org_id: mcn, org_status: 'pending', org_decided_at: null, org_decided_by: null },
      { id: rows[1]!.id, org_id: brand, org_status: 'pending', org_decided_at: null, org_decided_by: null },
      { id: rows[2]!.id, org_id: null, org_status: null, org_decided_at: null, org_decided_by: null },
    ]);
    // (Sorted here: the store orders by name, which each database collates its own way.)
    const seen = (await createBasesStore(db).tenants(base)).sort((a, b) => a.name.localeCompare(b.name, 'en'));
    expect(seen.map((t) => [t.name, t.confirmation, t.counted, t.decidedAt])).toEqual([
      ['老链接 MCN', 'pending', false, null],
      ['老链接品牌', 'pending', false, null],
      ['自报机构', 'self_declared', true, null],
    ]);
  });

  it.skipIf(skip)('0040: every state stored before it is kept; withdrawn is accepted afterwards, nothing else; back down, withdrawn becomes declined', async () => {
    const database = await fresh('before-0040');
    const { db } = database;
    await migrateTo(db, dialect, '0039_base_tenant_confirmations');
    const { base, mcn, brand } = await orgs(database);
    const decided = (row: ReturnType<typeof tenant>, org_status: 'pending' | 'confirmed' | 'declined' | null, by: string | null) => ({ ...row, org_status, org_decided_at: by ? AT : null, org_decided_by: by });
    const rows = [decided(tenant(base, '待确认', mcn), 'pending', null), decided(tenant(base, '已确认', mcn), 'confirmed', 'user-a'), decided(tenant(base, '已拒绝', brand), 'declined', 'user-b'), decided(tenant(base, '自报', null), null, null)];
    await db.insertInto('base_tenants').values(rows).execute();
    // 0039's column refuses a withdrawal.
    await expect(db.updateTable('base_tenants').set({ org_status: 'withdrawn' }).where('id', '=', rows[1]!.id).execute()).rejects.toThrow();

    await migrateToLatest(db, dialect);
    const read = async () => (await db.selectFrom('base_tenants').select(['name', 'org_status', 'org_decided_at', 'org_decided_by']).where('base_org_id', '=', base).execute()).map((r) => [r.name, r.org_status, r.org_decided_at, r.org_decided_by]).sort((a, b) => String(a[0]).localeCompare(String(b[0]), 'en'));
    expect(await read()).toEqual([
      ['已拒绝', 'declined', AT, 'user-b'],
      ['已确认', 'confirmed', AT, 'user-a'],
      ['待确认', 'pending', null, null],
      ['自报', null, null, null],
    ]);
    await db.updateTable('base_tenants').set({ org_status: 'withdrawn' }).where('id', '=', rows[1]!.id).execute();
    await expect(sql`update base_tenants set org_status = 'revoked' where id = ${rows[0]!.id}`.execute(db)).rejects.toThrow();
    expect((await createBasesStore(db).tenants(base)).find((t) => t.name === '已确认')).toMatchObject({ confirmation: 'withdrawn', counted: false });

    await migrateTo(db, dialect, '0039_base_tenant_confirmations');
    expect(await read()).toEqual([
      ['已拒绝', 'declined', AT, 'user-b'],
      ['已确认', 'declined', AT, 'user-a'],
      ['待确认', 'pending', null, null],
      ['自报', null, null, null],
    ]);
  });
});
