// City programmes managed by operators (docs/BASES.md, "City programmes"), on SQLite and PostgreSQL over the demo:
// the operators' list (retired ones too, with their applications), adding, editing (name, region, year, criteria)
// and retiring; every bad input, role and unknown id refused with nothing stored changed; an edited threshold
// changes a base's programme check; a retired programme is no longer checked nor applied for, while its
// applications and their evidence stay readable and can still be decided.
import { beijing } from '../server/commission/csv.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../server/demo/seed.ts';
import { openDatabase } from '../server/platform/db.ts';
import { up as migrate0037 } from '../server/platform/migrations/0037_base_programme_years.ts';
import { baseWithStudio, type BaseFixture } from './helpers/bases.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { operator } from './helpers/people.ts';
import type { TestClient, TestResponse, TestServer } from './helpers/server.ts';
import { tag } from './helpers/shop.ts';

type Criterion = { metric: string; min: number };
type Programme = { id: string; name: string; region: string; year: number; criteria: Criterion[]; retiredAt: string | null; updatedAt: string | null; applications: { pending: number; approved: number; rejected: number } };

/** Everything a refused request must leave as it was. */
async function snapshot(server: TestServer) {
  const { db } = server.database;
  return JSON.stringify([
    await db.selectFrom('base_programmes').selectAll().orderBy('id').execute(),
    (await db.selectFrom('audit_log').select('id').execute()).length,
    await server.database.db.withTables<{ base_applications: { id: string; status: string } }>().selectFrom('base_applications').select(['id', 'status']).orderBy('id').execute(),
  ]);
}

/** 0037 on programmes stored before it: each gets the Beijing year it was added in; a later duplicate gets " (2)". */
async function migrationBackfill(db: Kysely<any>) {
  await db.schema.createTable('base_programmes').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('name', 'text', (c) => c.notNull()).addColumn('region', 'text', (c) => c.notNull().defaultTo('')).addColumn('criteria', 'text', (c) => c.notNull()).addColumn('created_at', 'text', (c) => c.notNull()).execute();
  const rows: [string, string, string][] = [['a', '上海市', '2025-12-31T17:00:00.000Z'], ['b', '上海市', '2026-03-01T02:00:00.000Z'], ['c', '上海市', '2025-06-01T02:00:00.000Z'], ['d', '闵行区', '2026-05-01T02:00:00.000Z']];
  await db.insertInto('base_programmes').values(rows.map(([id, region, at]) => ({ id, name: '示范基地', region, criteria: '[]', created_at: at }))).execute();
  await migrate0037(db);
  const after = await db.selectFrom('base_programmes').select(['id', 'name', 'region', 'year', 'updated_at', 'retired_at']).orderBy('id').execute();
  expect(after.map((r) => [r.id, r.name, r.region, Number(r.year), r.updated_at, r.retired_at])).toEqual([
    ['a', '示范基地', '上海市', 2026, null, null],
    ['b', '示范基地 (2)', '上海市', 2026, null, null],
    ['c', '示范基地', '上海市', 2025, null, null],
    ['d', '示范基地', '闵行区', 2026, null, null],
  ]);
  await expect(db.insertInto('base_programmes').values({ id: 'e', name: '示范基地', region: '上海市', year: 2026, criteria: '[]', created_at: '2026-06-01T00:00:00.000Z' }).execute()).rejects.toThrow();
}
class Rollback extends Error {}

describeEachDatabase(
  'bases: city programmes managed by operators',
  ({ server, dialect }) => {
    let op: TestClient;
    let base: BaseFixture;
    let commission: TestClient;
    let mine: Programme;
    const admin = '/api/admin/base-programmes';
    const body = (over: Record<string, unknown> = {}) => ({ name: `直播电商示范基地${tag()}`, region: '徐汇区', year: 2026, criteria: [{ metric: 'public_studios', min: 2 }, { metric: 'monthly_lives', min: 0 }], ...over });
    /** The request is refused with this status and code, and nothing stored changed. */
    async function refusedUnchanged(send: () => Promise<TestResponse>, status: number, code: string) {
      const before = await snapshot(server());
      const res = await send();
      expect(res.status, res.body).toBe(status);
      expect(res.errorCode).toBe(code);
      expect(await snapshot(server())).toBe(before);
      return res;
    }
    const check = async (programmeId: string) =>
      ((await base.owner.get(`/api/orgs/${base.orgId}/base/programme-check?month=2026-11`)).json().programmes as { id: string; name: string; year: number; met: boolean; criteria: (Criterion & { value: number; met: boolean })[] }[]).find((p) => p.id === programmeId);
    const list = async () => (await op.get(admin)).json().programmes as Programme[];

    it('migration 0037 gives stored programmes the year they were added in (Beijing) and renames duplicates', async () => {
      if (dialect === 'sqlite') {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibo-0037-'));
        const handle = openDatabase({ url: `sqlite:${path.join(dataDir, 'm.db')}`, dataDir });
        try {
          await migrationBackfill(handle.db as unknown as Kysely<any>);
        } finally {
          await handle.close();
          fs.rmSync(dataDir, { recursive: true, force: true });
        }
        return;
      }
      // PostgreSQL: in a schema of its own, inside a transaction that is rolled back (DDL included).
      const schema = `m0037_${Date.now()}`;
      await expect(
        server().database.db.transaction().execute(async (trx) => {
          await sql`create schema ${sql.id(schema)}`.execute(trx);
          await sql`set local search_path to ${sql.id(schema)}`.execute(trx);
          await migrationBackfill(trx as unknown as Kysely<any>);
          throw new Rollback('done');
        }),
      ).rejects.toBeInstanceOf(Rollback);
    });

    it('the demo operator sees the demo’s programmes, last year’s retired one too; bases see those in force', async () => {
      const demoOp = server().client();
      await demoOp.login(DEMO_ACCOUNTS.operator.login, DEMO_PASSWORD);
      const all = (await demoOp.get(admin)).json().programmes as Programme[];
      expect(all.map((p) => [p.name, p.region, p.year, p.retiredAt !== null])).toEqual([
        ['上海市直播电商示范基地（示例）', '上海市', 2026, false],
        ['闵行区直播电商基地扶持（示例）', '闵行区', 2026, false],
        ['上海市直播电商示范基地（示例）', '上海市', 2025, true],
      ]);
      // The demo base's application for the 闵行区 programme, and its application for last year's, rejected then.
      expect(all[1]!.applications).toEqual({ pending: 1, approved: 0, rejected: 0 });
      expect(all[2]!.applications).toEqual({ pending: 0, approved: 0, rejected: 1 });
      const demoBase = server().client();
      await demoBase.login(DEMO_ACCOUNTS.base.login, DEMO_PASSWORD);
      expect((await demoBase.get('/api/base-programmes')).json().programmes.map((p: Programme) => p.year)).toEqual([2026, 2026]);
    });

    it('sets up an operator, a base with one public studio and a commission reviewer', async () => {
      op = (await operator(server())).client;
      base = await baseWithStudio(server());
      commission = server().client();
      const user = await commission.register(`commission-${tag()}@example.com`);
      await server().database.db.updateTable('users').set({ platform_role: 'commission' }).where('id', '=', user.id).execute();
      server().services.accounts.forgetUser(user.id);
    });

    it('an operator adds a programme: identified by name, region and year; the year defaults to this Beijing year', async () => {
      const created = await op.post(admin, body({ name: '徐汇区直播电商基地（测试）' }));
      expect(created.status, created.body).toBe(201);
      mine = created.json().programme;
      expect(mine).toMatchObject({ name: '徐汇区直播电商基地（测试）', region: '徐汇区', year: 2026, retiredAt: null, applications: { pending: 0, approved: 0, rejected: 0 } });
      // The same name in another year, or in another region, is another programme.
      expect((await op.post(admin, body({ name: '徐汇区直播电商基地（测试）', year: 2027 }))).status).toBe(201);
      const otherRegion = await op.post(admin, body({ name: '徐汇区直播电商基地（测试）', region: '长宁区', year: undefined }));
      expect(otherRegion.json().programme).toMatchObject({ region: '长宁区', year: 2026 });
      const audit = await server().database.db.selectFrom('audit_log').select(['action', 'actor_id']).where('target_id', '=', mine.id).execute();
      expect(audit.map((a) => a.action)).toEqual(['base.programme.add']);
    });

    it('bad input is refused, each with its code, and nothing stored changes', async () => {
      const fieldCodes = async (payload: Record<string, unknown>, send = (b: Record<string, unknown>) => op.post(admin, b)) => {
        const res = await refusedUnchanged(() => send(payload), 400, 'VALIDATION_FAILED');
        return (res.json().error.fields as { path: string; code: string }[]).map((f) => `${f.path}:${f.code}`);
      };
      const one = (metric: string, min: unknown) => body({ criteria: [{ metric, min }] });
      expect(await fieldCodes(one('public_studios', -1))).toEqual(['criteria.0.min:TOO_SMALL']);
      expect(await fieldCodes(one('events_year', 2.5))).toEqual(['criteria.0.min:INVALID_TYPE']);
      expect(await fieldCodes(one('events_year', '6'))).toEqual(['criteria.0.min:INVALID_TYPE']);
      // Absurd: over the metric's ceiling (10,000 public studios; ¥100亿 of GMV in a month), or not a safe integer.
      expect(await fieldCodes(one('public_studios', 10_001))).toEqual(['criteria.0.min:TOO_BIG']);
      expect(await fieldCodes(one('monthly_gmv_fen', 1_000_000_000_001))).toEqual(['criteria.0.min:TOO_BIG']);
      expect((await fieldCodes(one('monthly_live_hours', 1e300))).every((f) => f.startsWith('criteria.0.min:'))).toBe(true);
      expect(await fieldCodes(one('viewers', 1))).toEqual(['criteria.0.metric:INVALID_VALUE']);
      expect(await fieldCodes(body({ criteria: [{ metric: 'events_year', min: 4 }, { metric: 'events_year', min: 6 }] }))).toEqual(['criteria.1.metric:CRITERION_REPEATED']);
      expect(await fieldCodes(body({ criteria: [] }))).toEqual(['criteria:TOO_SMALL']);
      expect(await fieldCodes(body({ name: '' }))).toEqual(['name:TOO_SMALL']);
      expect(await fieldCodes(body({ name: '   ' }))).toEqual(['name:TOO_SMALL']);
      // An empty name or list reads as a person would say it, not as zod's "数值过小：期望 string >=1 字符".
      const blank = (await op.post(admin, body({ name: '', criteria: [] }))).json().error.fields as { path: string; message: string }[];
      expect(blank.map((f) => `${f.path}:${f.message}`).sort()).toEqual(['criteria:请至少选择一项', 'name:不能为空']);
      expect(await fieldCodes(body({ year: 1999 }))).toEqual(['year:TOO_SMALL']);
      expect(await fieldCodes(body({ year: 2026.5 }))).toEqual(['year:INVALID_TYPE']);
      expect(await fieldCodes(body({ retiredAt: null }))).toEqual(['retiredAt:UNKNOWN_FIELD']);
      // The same bad input on an edit.
      expect(await fieldCodes(one('public_studios', -5), (b) => op.put(`${admin}/${mine.id}`, b))).toEqual(['criteria.0.min:TOO_SMALL']);
      expect(await fieldCodes(body({ name: '' }), (b) => op.put(`${admin}/${mine.id}`, b))).toEqual(['name:TOO_SMALL']);
      // A duplicate name in the same region and year: on adding, and on editing another programme into it.
      await refusedUnchanged(() => op.post(admin, body({ name: '徐汇区直播电商基地（测试）' })), 409, 'BASE_PROGRAMME_EXISTS');
      const other = (await op.post(admin, body())).json().programme as Programme;
      await refusedUnchanged(() => op.put(`${admin}/${other.id}`, body({ name: '徐汇区直播电商基地（测试）' })), 409, 'BASE_PROGRAMME_EXISTS');
      // English messages for the operator who reads English.
      expect((await op.patch('/api/me', { locale: 'en' })).status).toBe(200);
      expect((await op.post(admin, body({ name: '徐汇区直播电商基地（测试）' }))).json().error.message).toBe('A programme of this name already exists in this region and year');
      expect((await op.patch('/api/me', { locale: 'zh-CN' })).status).toBe(200);
      expect((await op.post(admin, body({ name: '徐汇区直播电商基地（测试）' }))).json().error.message).toBe('同一地区、同一年度已有同名项目');
    });

    it('two identical programmes sent at once: one is added, the other refused as a duplicate', async () => {
      const same = body();
      const results = await Promise.all([op.post(admin, same), op.post(admin, same)]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(results.find((r) => r.status === 409)!.errorCode).toBe('BASE_PROGRAMME_EXISTS');
    });

    it('a non-operator is refused (the commission’s read-only role too); an unknown programme is not found', async () => {
      const writes = (who: TestClient) => [() => who.post(admin, body()), () => who.put(`${admin}/${mine.id}`, body()), () => who.post(`${admin}/${mine.id}/retire`)];
      for (const send of writes(base.owner)) await refusedUnchanged(send, 403, 'FORBIDDEN');
      await refusedUnchanged(() => base.owner.get(admin), 403, 'FORBIDDEN');
      // The commission may change nothing anywhere: refused before the route runs, with its own code (a 403).
      for (const send of writes(commission)) await refusedUnchanged(send, 403, 'COMMISSION_READ_ONLY');
      await refusedUnchanged(() => commission.get(admin), 403, 'FORBIDDEN');
      expect((await commission.get('/api/base-programmes')).status).toBe(200);
      for (const send of writes(server().client())) await refusedUnchanged(send, 401, 'AUTH_REQUIRED');
      await refusedUnchanged(() => op.put(`${admin}/no-such-programme`, body()), 404, 'BASE_PROGRAMME_NOT_FOUND');
      await refusedUnchanged(() => op.post(`${admin}/no-such-programme/retire`), 404, 'BASE_PROGRAMME_NOT_FOUND');
    });

    it('an edited threshold changes the base’s programme check; the edit is audited', async () => {
      // One public studio against ≥ 2: not met.
      const before = await check(mine.id);
      expect(before!.criteria[0]).toEqual({ metric: 'public_studios', min: 2, value: 1, met: false });
      expect(before!.met).toBe(false);
      const edited = await op.put(`${admin}/${mine.id}`, { name: '徐汇区直播电商基地扶持（测试）', region: '徐汇区', year: 2026, criteria: [{ metric: 'public_studios', min: 1 }, { metric: 'monthly_lives', min: 0 }] });
      expect(edited.status, edited.body).toBe(200);
      expect(edited.json().programme).toMatchObject({ name: '徐汇区直播电商基地扶持（测试）', criteria: [{ metric: 'public_studios', min: 1 }, { metric: 'monthly_lives', min: 0 }], updatedAt: server().clock.now().toISOString() });
      const after = await check(mine.id);
      expect(after).toMatchObject({ name: '徐汇区直播电商基地扶持（测试）', year: 2026, met: true });
      expect(after!.criteria[0]).toEqual({ metric: 'public_studios', min: 1, value: 1, met: true });
      const audit = await server().database.db.selectFrom('audit_log').select(['action', 'detail']).where('target_id', '=', mine.id).where('action', '=', 'base.programme.edit').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.detail)).toMatchObject({ before: { name: '徐汇区直播电商基地（测试）', criteria: [{ metric: 'public_studios', min: 2 }, { metric: 'monthly_lives', min: 0 }] }, after: { name: '徐汇区直播电商基地扶持（测试）' } });
      // The year is kept when an edit leaves it out.
      const kept = await op.put(`${admin}/${mine.id}`, { name: '徐汇区直播电商基地扶持（测试）', region: '徐汇区', criteria: [{ metric: 'public_studios', min: 1 }] });
      expect(kept.json().programme).toMatchObject({ year: 2026, criteria: [{ metric: 'public_studios', min: 1 }] });
    });

    it('a base applies; the programme is retired: not checked, not applied for, not edited; its application stays readable and decidable', async () => {
      const applied = await base.owner.post(`/api/orgs/${base.orgId}/base/applications`, { programmeId: mine.id, note: '申报徐汇区扶持' });
      expect(applied.status, applied.body).toBe(201);
      const application = applied.json().application;
      expect(application).toMatchObject({ met: true, programme: { id: mine.id, year: 2026, retiredAt: null }, evidence: { criteria: [{ metric: 'public_studios', min: 1, value: 1, met: true }] } });
      // A later edit does not touch the evidence the application was made with.
      await op.put(`${admin}/${mine.id}`, { name: '徐汇区直播电商基地扶持（测试）', region: '徐汇区', criteria: [{ metric: 'public_studios', min: 3 }] });

      const retired = await op.post(`${admin}/${mine.id}/retire`);
      expect(retired.status, retired.body).toBe(200);
      expect(retired.json().programme).toMatchObject({ id: mine.id, retiredAt: server().clock.now().toISOString(), applications: { pending: 1, approved: 0, rejected: 0 } });
      expect((await list()).find((p) => p.id === mine.id)).toMatchObject({ retiredAt: expect.any(String), applications: { pending: 1 } });
      expect((await server().database.db.selectFrom('audit_log').select('actor_id').where('target_id', '=', mine.id).where('action', '=', 'base.programme.retire').execute()).length).toBe(1);
      // No longer checked nor listed to bases.
      expect(await check(mine.id)).toBeUndefined();
      expect((await base.owner.get('/api/base-programmes')).json().programmes.some((p: Programme) => p.id === mine.id)).toBe(false);
      // No new application, by this base or another; no edit; not retired twice.
      const second = await baseWithStudio(server());
      await refusedUnchanged(() => second.owner.post(`/api/orgs/${second.orgId}/base/applications`, { programmeId: mine.id }), 409, 'BASE_PROGRAMME_RETIRED');
      await refusedUnchanged(() => op.put(`${admin}/${mine.id}`, body()), 409, 'BASE_PROGRAMME_RETIRED');
      await refusedUnchanged(() => op.post(`${admin}/${mine.id}/retire`), 409, 'BASE_PROGRAMME_RETIRED');

      // The application and its evidence stay readable: the base, the operator, the commission (JSON and CSV).
      const readBack = (apps: { id: string }[]) => apps.find((a) => a.id === application.id);
      const ofBase = readBack((await base.owner.get(`/api/orgs/${base.orgId}/base/applications`)).json().applications);
      expect(ofBase).toMatchObject({ status: 'pending', programme: { id: mine.id, name: '徐汇区直播电商基地扶持（测试）', retiredAt: expect.any(String) }, evidence: { criteria: [{ metric: 'public_studios', min: 1, value: 1, met: true }] } });
      expect(readBack((await commission.get('/api/commission/base-applications')).json().applications)).toMatchObject({ programme: { id: mine.id, retiredAt: expect.any(String) } });
      // The CSV names the programme's year and the moment it was retired, beside its name.
      const retiredAt = (await list()).find((p) => p.id === mine.id)!.retiredAt!;
      expect((await commission.get('/api/commission/base-applications?format=csv')).body).toContain(`徐汇区直播电商基地扶持（测试）,${mine.year},${beijing(retiredAt)},`);
      expect(beijing('2026-12-08T01:48:54.537Z')).toBe('2026-12-08 09:48:54');
      // Made before the programme was retired, it is still decided on its evidence.
      const approved = await op.post(`/api/admin/base-applications/${application.id}/review`, { decision: 'approve' });
      expect(approved.status, approved.body).toBe(200);
      expect(approved.json().application).toMatchObject({ status: 'approved', programme: { retiredAt: expect.any(String) } });
      expect((await list()).find((p) => p.id === mine.id)!.applications).toEqual({ pending: 0, approved: 1, rejected: 0 });
      // The commission's registry of bases names the approved programme with its year.
      const registry = (await commission.get('/api/commission/registries/base')).json().rows as { id: string; programmes: string[] }[];
      expect(registry.find((r) => r.id === base.orgId)!.programmes).toContain(`徐汇区直播电商基地扶持（测试） (${mine.year})`);
    });
  },
  { demo: true },
);
