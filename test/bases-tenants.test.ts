// A base's tenant (入驻机构) linked to an organisation needs that organisation's confirmation (docs/BASES.md,
// "Tenants and events"): it starts pending; the organisation's owners and admins see the request in their own
// console and confirm or decline it once. Only confirmed tenants and self-declared ones (no organisation linked)
// count in the monthly report, the programmes' resident_firms and the public page (marked confirmed or
// self-declared). The organisation may withdraw a confirmation: the link then counts nowhere, and only the base
// listing it anew asks again. The base's console finds the organisation to link by name. Refusals change nothing.
// On SQLite and PostgreSQL.
import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import { baseWithStudio, mcnWithStreamer, type BaseFixture, type McnFixture } from './helpers/bases.ts';
import { describeEachDatabase } from './helpers/each-database.ts';
import { joinOrg, operator, streamer } from './helpers/people.ts';
import type { TestClient, TestResponse, TestServer } from './helpers/server.ts';
import { tag } from './helpers/shop.ts';

function refused(res: TestResponse, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.errorCode).toBe(code);
}

async function pendingOrg(server: TestServer) {
  const owner = server.client();
  await owner.register(`pending-${tag()}@example.com`);
  return (await owner.post('/api/orgs', { kind: 'mcn', name: `待审机构${tag()}` })).json().org.id as string;
}

describeEachDatabase('bases: tenants confirmed by their organisation', ({ server }) => {
  let base: BaseFixture;
  let mcn: McnFixture;
  let other: McnFixture;
  let mcnStaff: TestClient;
  let tenantId: string;
  const lease = { leaseStart: '2026-01-01', leaseEnd: '2027-12-31', areaSqm: 200, monthlyRentFen: 2_000_000 };
  const addTenant = (body: Record<string, unknown>) => base.owner.post(`/api/orgs/${base.orgId}/base/tenants`, { kind: 'mcn', ...lease, ...body });
  const tenants = async () => (await server().database.db.selectFrom('base_tenants').selectAll().where('base_org_id', '=', base.orgId).orderBy('id').execute());
  const summary = async () => (await base.owner.get(`/api/orgs/${base.orgId}/base/report?month=2026-11`)).json().report.summary;
  const decide = (who: TestClient, orgId: string, id: string, action: 'confirm' | 'decline' | 'withdraw') => who.post(`/api/orgs/${orgId}/base-tenancies/${id}/${action}`);
  const publicNames = async () => ((await server().client().get(`/api/public/bases/${base.orgId}`)).json().base.tenants as { name: string; confirmation: string }[]).map((t) => `${t.name}:${t.confirmation}`);

  it('a link to an approved organisation starts pending; a bad link is refused and stores nothing', async () => {
    base = await baseWithStudio(server());
    mcn = await mcnWithStreamer(server());
    other = await mcnWithStreamer(server());
    const s = await streamer(server(), { approved: false });
    await joinOrg(server(), mcn.orgId, s.id, 'staff');
    mcnStaff = s.client;

    const free = await addTenant({ name: '快递驿站', kind: 'service' });
    expect(free.status, free.body).toBe(201);
    expect(free.json().tenant).toMatchObject({ orgId: null, confirmation: 'self_declared', counted: true, decidedAt: null });
    const linked = await addTenant({ name: '星火互娱', orgId: mcn.orgId });
    expect(linked.status, linked.body).toBe(201);
    expect(linked.json().tenant).toMatchObject({ orgId: mcn.orgId, confirmation: 'pending', counted: false, decidedAt: null });
    tenantId = linked.json().tenant.id;

    const before = await tenants();
    refused(await addTenant({ name: '查无此机构', orgId: 'no-such-org' }), 422, 'TENANT_ORG_INVALID');
    refused(await addTenant({ name: '基地自己', orgId: base.orgId }), 422, 'TENANT_ORG_INVALID');
    refused(await addTenant({ name: '未审机构', orgId: await pendingOrg(server()) }), 422, 'TENANT_ORG_INVALID');
    expect(await tenants()).toEqual(before);

    // Pending: listed to the base with its state, not counted anywhere.
    const list = (await base.owner.get(`/api/orgs/${base.orgId}/base/tenants`)).json().tenants as { name: string; confirmation: string }[];
    expect(list.map((t) => [t.name, t.confirmation])).toEqual([['星火互娱', 'pending'], ['快递驿站', 'self_declared']]);
    expect(await summary()).toMatchObject({ tenants: 1, tenantsConfirmed: 0, tenantsSelfDeclared: 1, tenantsNotCounted: 1, tenantsByKind: { platform: 0, mcn: 0, service: 1 } });
    const page = (await server().client().get(`/api/public/bases/${base.orgId}`)).json().base;
    expect(page.tenants).toEqual([{ name: '快递驿站', kind: 'service', confirmation: 'self_declared' }]);
  });

  it('the organisation’s owner sees the request in its own console; its staff, strangers and operators may not answer it', async () => {
    const list = await mcn.owner.get(`/api/orgs/${mcn.orgId}/base-tenancies`);
    expect(list.status, list.body).toBe(200);
    expect(list.json().tenancies).toEqual([expect.objectContaining({ id: tenantId, baseId: base.orgId, baseName: expect.stringMatching(/^虹桥基地/), name: '星火互娱', kind: 'mcn', confirmation: 'pending', leaseStart: '2026-01-01', leaseEnd: '2027-12-31' })]);
    expect((await other.owner.get(`/api/orgs/${other.orgId}/base-tenancies`)).json().tenancies).toEqual([]);

    const before = await tenants();
    refused(await mcnStaff.get(`/api/orgs/${mcn.orgId}/base-tenancies`), 403, 'FORBIDDEN');
    refused(await decide(mcnStaff, mcn.orgId, tenantId, 'confirm'), 403, 'FORBIDDEN');
    refused(await decide(mcn.streamer.client, mcn.orgId, tenantId, 'confirm'), 403, 'FORBIDDEN');
    // Another organisation's owner: not through the victim's id, nor through its own organisation.
    refused(await decide(other.owner, mcn.orgId, tenantId, 'confirm'), 403, 'FORBIDDEN');
    refused(await decide(other.owner, other.orgId, tenantId, 'confirm'), 404, 'TENANT_NOT_FOUND');
    refused(await decide(other.owner, other.orgId, tenantId, 'decline'), 404, 'TENANT_NOT_FOUND');
    // The base cannot confirm its own listing.
    refused(await decide(base.owner, base.orgId, tenantId, 'confirm'), 404, 'TENANT_NOT_FOUND');
    refused(await decide(base.owner, mcn.orgId, tenantId, 'confirm'), 403, 'FORBIDDEN');
    const op = await operator(server());
    refused(await decide(op.client, mcn.orgId, tenantId, 'confirm'), 403, 'FORBIDDEN');
    const stranger = server().client();
    await stranger.register(`x-${tag()}@example.com`);
    refused(await decide(stranger, mcn.orgId, tenantId, 'confirm'), 403, 'FORBIDDEN');
    refused(await decide(server().client(), mcn.orgId, tenantId, 'confirm'), 401, 'AUTH_REQUIRED');
    refused(await decide(mcn.owner, mcn.orgId, 'no-such-tenant', 'confirm'), 404, 'TENANT_NOT_FOUND');
    expect(await tenants()).toEqual(before);
  });

  it('confirmed once: then counted in the report, the programme check and the public page; a second answer is refused', async () => {
    const res = await decide(mcn.owner, mcn.orgId, tenantId, 'confirm');
    expect(res.status, res.body).toBe(200);
    expect(res.json().tenancy).toMatchObject({ id: tenantId, confirmation: 'confirmed', counted: true, decidedAt: server().clock.now().toISOString() });
    const after = await tenants();
    refused(await decide(mcn.owner, mcn.orgId, tenantId, 'confirm'), 409, 'TENANT_ALREADY_DECIDED');
    refused(await decide(mcn.owner, mcn.orgId, tenantId, 'decline'), 409, 'TENANT_ALREADY_DECIDED');
    expect(await tenants()).toEqual(after);
    expect(after.find((t) => t.id === tenantId)).toMatchObject({ org_status: 'confirmed', org_decided_by: mcn.ownerId });

    expect(await summary()).toMatchObject({ tenants: 2, tenantsConfirmed: 1, tenantsSelfDeclared: 1, tenantsNotCounted: 0, tenantsByKind: { platform: 0, mcn: 1, service: 1 } });
    const op = await operator(server());
    const created = await op.client.post('/api/admin/base-programmes', { name: `入驻确认${tag()}`, criteria: [{ metric: 'resident_firms', min: 2 }] });
    expect(created.status, created.body).toBe(201);
    const check = (await base.owner.get(`/api/orgs/${base.orgId}/base/programme-check?month=2026-11`)).json();
    expect(check.programmes.find((p: { id: string }) => p.id === created.json().programme.id).criteria).toEqual([{ metric: 'resident_firms', min: 2, value: 2, met: true }]);
    expect(check.summary).toMatchObject({ tenantsConfirmed: 1, tenantsSelfDeclared: 1 });
    const page = (await server().client().get(`/api/public/bases/${base.orgId}`)).json().base;
    expect(page.tenants).toEqual([{ name: '星火互娱', kind: 'mcn', confirmation: 'confirmed' }, { name: '快递驿站', kind: 'service', confirmation: 'self_declared' }]);
    const csv = (await base.owner.get(`/api/orgs/${base.orgId}/base/report?month=2026-11&format=csv`)).body;
    expect(csv).toContain('其中机构已确认,1');
    expect(csv).toContain('其中自报（未关联机构，未经确认）,1');
    expect(csv).toContain('星火互娱,MCN,2026-01-01,2027-12-31,200,机构已确认');
    expect(csv).toContain('快递驿站,服务机构,2026-01-01,2027-12-31,200,自报（未确认）');
  });

  it('declined: listed to the base as declined, never counted; two answers at once store one', async () => {
    const declined = (await addTenant({ name: '另一家 MCN', orgId: other.orgId })).json().tenant.id as string;
    const res = await decide(other.owner, other.orgId, declined, 'decline');
    expect(res.status, res.body).toBe(200);
    expect(res.json().tenancy).toMatchObject({ confirmation: 'declined', counted: false });
    refused(await decide(other.owner, other.orgId, declined, 'confirm'), 409, 'TENANT_ALREADY_DECIDED');
    expect(await summary()).toMatchObject({ tenants: 2, tenantsNotCounted: 1 });
    const list = (await base.owner.get(`/api/orgs/${base.orgId}/base/tenants`)).json().tenants as { id: string; confirmation: string }[];
    expect(list.find((t) => t.id === declined)?.confirmation).toBe('declined');
    expect((await server().client().get(`/api/public/bases/${base.orgId}`)).json().base.tenants.map((t: { name: string }) => t.name)).not.toContain('另一家 MCN');

    const raced = (await addTenant({ name: '星火互娱二号场地', orgId: mcn.orgId })).json().tenant.id as string;
    const answers = await Promise.all([decide(mcn.owner, mcn.orgId, raced, 'confirm'), decide(mcn.owner, mcn.orgId, raced, 'decline'), decide(mcn.owner, mcn.orgId, raced, 'confirm')]);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.errorCode === 'TENANT_ALREADY_DECIDED')).toHaveLength(2);
    const winner = answers.find((a) => a.status === 200)!.json().tenancy.confirmation;
    expect((await tenants()).find((t) => t.id === raced)?.org_status).toBe(winner);
  });

  it('withdrawn: a confirmation taken back counts nowhere; only a confirmed link is withdrawn, by its organisation only', async () => {
    const before = await tenants();
    const self = before.find((t) => t.name === '快递驿站')!.id;
    const declined = before.find((t) => t.name === '另一家 MCN')!.id;
    const pending = (await addTenant({ name: '星火互娱三号场地', orgId: mcn.orgId })).json().tenant.id as string;
    const stored = await tenants();
    // Not confirmed: pending, declined (by its own organisation), or a self-declared tenant (nobody's to withdraw).
    refused(await decide(mcn.owner, mcn.orgId, pending, 'withdraw'), 409, 'TENANT_NOT_CONFIRMED');
    refused(await decide(other.owner, other.orgId, declined, 'withdraw'), 409, 'TENANT_NOT_CONFIRMED');
    refused(await decide(mcn.owner, mcn.orgId, self, 'withdraw'), 404, 'TENANT_NOT_FOUND');
    // Someone else's: as for confirm and decline.
    refused(await decide(other.owner, other.orgId, tenantId, 'withdraw'), 404, 'TENANT_NOT_FOUND');
    refused(await decide(other.owner, mcn.orgId, tenantId, 'withdraw'), 403, 'FORBIDDEN');
    refused(await decide(mcnStaff, mcn.orgId, tenantId, 'withdraw'), 403, 'FORBIDDEN');
    refused(await decide(base.owner, base.orgId, tenantId, 'withdraw'), 404, 'TENANT_NOT_FOUND');
    refused(await decide(base.owner, mcn.orgId, tenantId, 'withdraw'), 403, 'FORBIDDEN');
    refused(await decide((await operator(server())).client, mcn.orgId, tenantId, 'withdraw'), 403, 'FORBIDDEN');
    refused(await decide(server().client(), mcn.orgId, tenantId, 'withdraw'), 401, 'AUTH_REQUIRED');
    refused(await decide(mcn.owner, mcn.orgId, 'no-such-tenant', 'withdraw'), 404, 'TENANT_NOT_FOUND');
    expect(await tenants()).toEqual(stored);

    const counted = (await summary()).tenants as number;
    expect(await publicNames()).toContain('星火互娱:confirmed');
    server().clock.advance(60_000);
    const res = await decide(mcn.owner, mcn.orgId, tenantId, 'withdraw');
    expect(res.status, res.body).toBe(200);
    expect(res.json().tenancy).toMatchObject({ id: tenantId, confirmation: 'withdrawn', counted: false, decidedAt: server().clock.now().toISOString() });
    expect((await tenants()).find((t) => t.id === tenantId)).toMatchObject({ org_status: 'withdrawn', org_decided_by: mcn.ownerId, org_decided_at: server().clock.now().toISOString() });
    expect(await summary()).toMatchObject({ tenants: counted - 1 });
    expect(await publicNames()).not.toContain('星火互娱:confirmed');
    expect((await publicNames()).filter((n) => n.startsWith('星火互娱:'))).toEqual([]);
    const list = (await base.owner.get(`/api/orgs/${base.orgId}/base/tenants`)).json().tenants as { id: string; confirmation: string; counted: boolean }[];
    expect(list.find((t) => t.id === tenantId)).toMatchObject({ confirmation: 'withdrawn', counted: false });
    expect((await base.owner.get(`/api/orgs/${base.orgId}/base/report?month=2026-11&format=csv`)).body).toContain('星火互娱,MCN,2026-01-01,2027-12-31,200,机构已撤回确认（未计入）');
    // The organisation's own list: pending requests first, the withdrawn one among the answered.
    const mine = (await mcn.owner.get(`/api/orgs/${mcn.orgId}/base-tenancies`)).json().tenancies as { id: string; confirmation: string }[];
    expect(mine[0]).toMatchObject({ id: pending, confirmation: 'pending' });
    expect(mine.find((t) => t.id === tenantId)?.confirmation).toBe('withdrawn');

    // Final: neither withdrawn again nor answered again.
    const after = await tenants();
    const again = await decide(mcn.owner, mcn.orgId, tenantId, 'withdraw');
    refused(again, 409, 'TENANT_NOT_CONFIRMED');
    expect(again.json().error.message).toContain('withdrawn');
    refused(await decide(mcn.owner, mcn.orgId, tenantId, 'confirm'), 409, 'TENANT_ALREADY_DECIDED');
    expect(await tenants()).toEqual(after);

    // The base asks again only by listing the organisation anew: a new row, pending, counted once confirmed.
    expect((await base.owner.delete(`/api/orgs/${base.orgId}/base/tenants/${tenantId}`)).status).toBe(204);
    const anew = await addTenant({ name: '星火互娱', orgId: mcn.orgId });
    expect(anew.json().tenant).toMatchObject({ confirmation: 'pending', counted: false });
    expect((await decide(mcn.owner, mcn.orgId, anew.json().tenant.id, 'confirm')).status).toBe(200);
    expect(await summary()).toMatchObject({ tenants: counted });
    expect(await publicNames()).toContain('星火互娱:confirmed');

    // Two withdrawals at once: one is stored, the other refused.
    const both = await Promise.all([decide(mcn.owner, mcn.orgId, anew.json().tenant.id, 'withdraw'), decide(mcn.owner, mcn.orgId, anew.json().tenant.id, 'withdraw')]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.status === 409)?.errorCode).toBe('TENANT_NOT_CONFIRMED');
  });

  it('the console’s organisation search: approved organisations by name, at most 20, for the base’s owners and admins only', async () => {
    const db = server().database.db;
    const token = `Qz${tag()}`;
    const at = server().clock.now().toISOString();
    const org = (name: string, kind: 'brand' | 'mcn' | 'base' | 'training', status: 'approved' | 'pending' | 'rejected' = 'approved') => ({ id: crypto.randomUUID(), kind, name, description: '', licence_name: null, licence_no: null, status, review_reason: null, reviewed_at: null, created_at: at });
    const many = Array.from({ length: 24 }, (_, i) => org(`品牌${String(i).padStart(2, '0')}·${token}`, (['brand', 'mcn', 'training', 'base'] as const)[i % 4]));
    const first = org(`${token.toUpperCase()} 百分之百_直播`, 'mcn');
    await db.insertInto('organisations').values([...many, first, org(`待审${token}`, 'brand', 'pending'), org(`驳回${token}`, 'brand', 'rejected')]).execute();
    const search = (q: string | undefined, who = base.owner, orgId = base.orgId) => who.get(`/api/orgs/${orgId}/base/tenant-candidates${q === undefined ? '' : `?q=${encodeURIComponent(q)}`}`);

    const res = await search(token.toLowerCase());
    expect(res.status, res.body).toBe(200);
    const found = res.json().organisations as { id: string; name: string; kind: string }[];
    expect(found).toHaveLength(20);
    // A name starting with the query first (Latin letters in any case), then by name; only approved ones; id, name, kind only.
    expect(found[0]).toEqual({ id: first.id, name: first.name, kind: 'mcn' });
    expect(found.slice(1).map((o) => o.name)).toEqual(many.map((o) => o.name).slice(0, 19));
    expect(found.some((o) => o.name.startsWith('待审') || o.name.startsWith('驳回'))).toBe(false);
    expect(new Set(found.map((o) => o.kind))).toEqual(new Set(['brand', 'mcn', 'training', 'base']));
    // % and _ are plain characters; the base itself is never offered.
    expect(((await search(`${token.toUpperCase()} 百分之百_`)).json().organisations as { id: string }[]).map((o) => o.id)).toEqual([first.id]);
    expect((await search('%')).json().organisations).toEqual([]);
    expect((await search('_')).json().organisations.map((o: { id: string }) => o.id)).toEqual([first.id]);
    const baseName = (await db.selectFrom('organisations').select('name').where('id', '=', base.orgId).executeTakeFirstOrThrow()).name;
    expect((await search(baseName)).json().organisations).toEqual([]);
    // Picking one links it: the tenant added with its id starts pending.
    const picked = await addTenant({ name: first.name, orgId: first.id });
    expect(picked.json().tenant).toMatchObject({ orgId: first.id, confirmation: 'pending' });

    // A bad query: empty, blank, missing, over 50 characters, another parameter.
    refused(await search(''), 400, 'SEARCH_QUERY_EMPTY');
    refused(await search('   '), 400, 'SEARCH_QUERY_EMPTY');
    refused(await search(undefined), 400, 'SEARCH_QUERY_EMPTY');
    refused(await search('搜'.repeat(51)), 400, 'SEARCH_QUERY_TOO_LONG');
    expect((await search('搜'.repeat(50))).status).toBe(200);
    refused(await base.owner.get(`/api/orgs/${base.orgId}/base/tenant-candidates?q=a&kind=mcn`), 400, 'VALIDATION_FAILED');

    // The base's owners and admins only: not its staff, another kind of organisation, an operator, a stranger, no one.
    const staff = await streamer(server(), { approved: false });
    await joinOrg(server(), base.orgId, staff.id, 'staff');
    refused(await search(token, staff.client), 403, 'FORBIDDEN');
    refused(await search(token, mcn.owner, mcn.orgId), 400, 'ORG_WRONG_KIND');
    refused(await search(token, (await operator(server())).client), 403, 'FORBIDDEN');
    refused(await search(token, other.owner), 403, 'FORBIDDEN');
    refused(await search(token, server().client()), 401, 'AUTH_REQUIRED');
  });
}, { env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } });
