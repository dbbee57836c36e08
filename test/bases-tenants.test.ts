// A base's tenant (入驻机构) linked to an organisation needs that organisation's confirmation (docs/BASES.md,
// "Tenants and events"): it starts pending; the organisation's owners and admins see the request in their own
// console and confirm or decline it once. Only confirmed tenants and self-declared ones (no organisation linked)
// count in the monthly report, the programmes' resident_firms and the public page. Refusals change nothing.
// On SQLite and PostgreSQL.
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
  const decide = (who: TestClient, orgId: string, id: string, action: 'confirm' | 'decline') => who.post(`/api/orgs/${orgId}/base-tenancies/${id}/${action}`);

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
    expect(page.tenants).toEqual([{ name: '快递驿站', kind: 'service' }]);
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
    expect(page.tenants).toEqual([{ name: '星火互娱', kind: 'mcn' }, { name: '快递驿站', kind: 'service' }]);
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
}, { env: { LOGIN_RATE_LIMIT_PER_MIN: '100000' } });
