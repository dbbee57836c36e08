import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/each-database.ts';
import type { TestClient, TestServer } from './helpers/server.ts';

type World = Awaited<ReturnType<typeof buildWorld>>;

/** Two brands and two MCNs, each with its own owner, plus an operator and a bystander. */
async function buildWorld(server: TestServer) {
  const operatorClient = server.client();
  const operator = await operatorClient.register('op@example.com');
  await server.database.db.updateTable('users').set({ platform_role: 'operator' }).where('id', '=', operator.id).execute();
  server.services.accounts.forgetUser(operator.id);

  async function orgWithOwner(login: string, kind: string, name: string) {
    const client = server.client();
    await client.register(login);
    const response = await client.post('/api/orgs', { kind, name });
    expect(response.status).toBe(201);
    return { client, orgId: response.json().org.id as string };
  }
  const brandA = await orgWithOwner('brand-a@example.com', 'brand', '品牌甲');
  const brandB = await orgWithOwner('brand-b@example.com', 'brand', '品牌乙');
  const mcnA = await orgWithOwner('mcn-a@example.com', 'mcn', '机构甲');
  const mcnB = await orgWithOwner('mcn-b@example.com', 'mcn', '机构乙');
  const bystander = server.client();
  await bystander.register('viewer@example.com');
  return { operator: operatorClient, brandA, brandB, mcnA, mcnB, bystander };
}

describeEachDatabase('authorization', ({ server }) => {
  let world: World;
  const setup = async () => (world ??= await buildWorld(server()));

  it('answers 401 on every protected route without a session', async () => {
    const anonymous = server().client();
    for (const url of ['/api/me/orgs', '/api/streamer/profile', '/api/admin/orgs', '/api/admin/audit-log', '/api/orgs/x/products']) {
      const response = await anonymous.get(url);
      expect(response.status, url).toBe(401);
      expect(response.errorCode).toBe('AUTH_REQUIRED');
    }
    expect((await anonymous.post('/api/orgs', { kind: 'brand', name: '无名' })).status).toBe(401);
  });

  it("keeps each brand out of the other brand's data", async () => {
    const { brandA, brandB } = await setup();
    expect((await brandA.client.get(`/api/orgs/${brandA.orgId}/products`)).status).toBe(200);
    for (const url of [`/api/orgs/${brandB.orgId}`, `/api/orgs/${brandB.orgId}/products`, `/api/orgs/${brandB.orgId}/members`]) {
      const response = await brandA.client.get(url);
      expect(response.status, url).toBe(403);
      expect(response.errorCode).toBe('FORBIDDEN');
    }
    const addToOther = await brandA.client.post(`/api/orgs/${brandB.orgId}/members`, { login: 'viewer@example.com', role: 'staff' });
    expect(addToOther.status).toBe(403);
    const members = await brandB.client.get(`/api/orgs/${brandB.orgId}/members`);
    expect(members.json().members).toHaveLength(1);
  });

  it("keeps each MCN out of the other MCN's streamers, and brands out of MCN routes", async () => {
    const { mcnA, mcnB, brandA } = await setup();
    expect((await mcnA.client.get(`/api/orgs/${mcnA.orgId}/streamers`)).status).toBe(200);
    expect((await mcnA.client.get(`/api/orgs/${mcnB.orgId}/streamers`)).status).toBe(403);
    expect((await brandA.client.get(`/api/orgs/${mcnA.orgId}/streamers`)).status).toBe(403);
    // A streamer signed to the MCN is a member, but does not read the others' real names.
    const signed = server().client();
    const signedUser = await signed.register(`signed-${Date.now()}@example.com`);
    await server().database.db.insertInto('org_members').values({ org_id: mcnA.orgId, user_id: signedUser.id, role: 'streamer', created_at: server().clock.now().toISOString() }).execute();
    expect((await signed.get(`/api/orgs/${mcnA.orgId}/streamers`)).errorCode).toBe('FORBIDDEN');
    // A member calling a route meant for another kind of organisation.
    expect((await mcnA.client.get(`/api/orgs/${mcnA.orgId}/products`)).errorCode).toBe('ORG_WRONG_KIND');
  });

  it('lets only owners and admins manage members, and never removes the last owner', async () => {
    const { brandA } = await setup();
    const staff = server().client();
    const staffUser = await staff.register('staff@example.com');
    expect((await brandA.client.post(`/api/orgs/${brandA.orgId}/members`, { login: 'staff@example.com', role: 'staff' })).status).toBe(201);
    expect((await brandA.client.post(`/api/orgs/${brandA.orgId}/members`, { login: 'staff@example.com', role: 'staff' })).errorCode).toBe('ORG_MEMBER_EXISTS');
    expect((await brandA.client.post(`/api/orgs/${brandA.orgId}/members`, { login: 'ghost@example.com', role: 'staff' })).errorCode).toBe('USER_NOT_FOUND');
    // Staff can read the organisation but not change its members.
    expect((await staff.get(`/api/orgs/${brandA.orgId}/products`)).status).toBe(200);
    const staffAdds = await staff.post(`/api/orgs/${brandA.orgId}/members`, { login: 'viewer@example.com', role: 'admin' });
    expect(staffAdds.status).toBe(403);
    const owner = (await brandA.client.get(`/api/orgs/${brandA.orgId}/members`)).json().members.find((m: { role: string }) => m.role === 'owner');
    expect((await brandA.client.delete(`/api/orgs/${brandA.orgId}/members/${owner.user.id}`)).errorCode).toBe('ORG_LAST_OWNER');
    expect((await brandA.client.delete(`/api/orgs/${brandA.orgId}/members/${staffUser.id}`)).status).toBe(204);
    expect((await staff.get(`/api/orgs/${brandA.orgId}/products`)).status).toBe(403);
  });

  it("keeps buyers' and visitors' personal data to a brand's desk: not to its streamers or store staff", async () => {
    const { brandA } = await setup();
    const member = async (role: 'staff' | 'streamer' | 'store_staff') => {
      const client = server().client();
      const login = `${role}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
      const user = await client.register(login);
      await server().database.db.insertInto('org_members').values({ org_id: brandA.orgId, user_id: user.id, role, created_at: server().clock.now().toISOString() }).execute();
      return client;
    };
    const desk = [`/api/orgs/${brandA.orgId}/orders`, `/api/orgs/${brandA.orgId}/after-sales`, `/api/orgs/${brandA.orgId}/b2b/leads`, `/api/orgs/${brandA.orgId}/b2b/rfqs`, `/api/orgs/${brandA.orgId}/exhibitions`];
    const staff = await member('staff');
    for (const url of desk) expect((await staff.get(url)).status, url).toBe(200);
    for (const role of ['streamer', 'store_staff'] as const) {
      const client = await member(role);
      for (const url of desk) expect((await client.get(url)).errorCode, `${role} ${url}`).toBe('FORBIDDEN');
      // What is not personal stays readable to every member: the catalogue.
      expect((await client.get(`/api/orgs/${brandA.orgId}/products`)).status).toBe(200);
    }
  });

  it('keeps operator routes for operators, and lets operators review organisations', async () => {
    const { operator, brandA, bystander, mcnB } = await setup();
    for (const client of [brandA.client, bystander] as TestClient[]) {
      expect((await client.get('/api/admin/orgs?status=pending')).status).toBe(403);
      expect((await client.post(`/api/admin/orgs/${mcnB.orgId}/review`, { decision: 'approve' })).status).toBe(403);
    }
    const pending = await operator.get('/api/admin/orgs?status=pending');
    expect(pending.json().orgs.map((o: { id: string }) => o.id)).toContain(mcnB.orgId);
    const approved = await operator.post(`/api/admin/orgs/${mcnB.orgId}/review`, { decision: 'approve', reason: '材料齐全' });
    expect(approved.json().org.status).toBe('approved');
    expect((await operator.post(`/api/admin/orgs/${mcnB.orgId}/review`, { decision: 'reject' })).errorCode).toBe('REVIEW_ALREADY_DECIDED');
    // Operators can read any organisation, but cannot manage its members.
    expect((await operator.get(`/api/orgs/${mcnB.orgId}/streamers`)).status).toBe(200);
    expect((await operator.post(`/api/orgs/${mcnB.orgId}/members`, { login: 'viewer@example.com', role: 'staff' })).status).toBe(403);
    const log = await operator.get('/api/admin/audit-log');
    expect(log.json().entries[0]).toMatchObject({ action: 'org.approve', targetId: mcnB.orgId, detail: { reason: '材料齐全' } });
  });

  it('lists each user only their own organisations', async () => {
    const { brandA, mcnA } = await setup();
    const mine = (await brandA.client.get('/api/me/orgs')).json().memberships;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ role: 'owner', org: { id: brandA.orgId, kind: 'brand', status: 'pending' } });
    expect((await mcnA.client.get('/api/me/orgs')).json().memberships[0].org.id).toBe(mcnA.orgId);
  });
});

it('every /api route declares an access rule (the server refuses to start otherwise)', async () => {
  const { default: Fastify } = await import('fastify');
  const { installAccess } = await import('../server/platform/access.ts');
  const app = Fastify();
  installAccess(app, { resolveSession: async () => null, findMembership: async () => null, findOrgKind: async () => null });
  app.get('/api/guarded', { config: { access: { kind: 'public' } } }, async () => 'ok');
  expect(() => app.get('/api/unguarded', async () => 'x')).toThrow(/declares no access rule/);
  await app.close();
});
