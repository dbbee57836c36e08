import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/each-database.ts';

const countUsers = async (server: { database: { db: import('../server/platform/db.ts').Db } }) =>
  Number((await server.database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describeEachDatabase('CSRF and request bodies', ({ server }) => {
  it('refuses a state change without a CSRF token, or with a forged one, and stores nothing', async () => {
    const before = await countUsers(server());
    const client = server().client();
    const missing = await client.post('/api/auth/register', { login: 'csrf@example.com', password: 'Secret123x', displayName: 'x' }, { 'x-csrf-token': '' });
    expect(missing.status).toBe(403);
    expect(missing.errorCode).toBe('CSRF_TOKEN_INVALID');
    await client.refreshCsrf();
    const forged = await client.post('/api/auth/register', { login: 'csrf@example.com', password: 'Secret123x', displayName: 'x' }, { 'x-csrf-token': 'forged-token' });
    expect(forged.errorCode).toBe('CSRF_TOKEN_INVALID');
    expect(await countUsers(server())).toBe(before);
  });

  it("refuses a logged-in user's state change with another site's token", async () => {
    const victim = server().client();
    await victim.register('victim@example.com');
    const attacker = server().client();
    const attackerToken = (await attacker.refreshCsrf()).json().csrfToken as string;
    const response = await victim.patch('/api/me', { displayName: '被篡改' }, { 'x-csrf-token': attackerToken });
    expect(response.errorCode).toBe('CSRF_TOKEN_INVALID');
    expect((await victim.get('/api/auth/session')).json().user.displayName).toBe('测试用户');
  });

  it('refuses a state change from another origin even with a valid token', async () => {
    const client = server().client({ origin: 'https://evil.example' });
    const response = await client.post('/api/auth/register', { login: 'origin@example.com', password: 'Secret123x', displayName: 'x' });
    expect(response.status).toBe(403);
    expect(response.errorCode).toBe('CSRF_ORIGIN_MISMATCH');
    const referer = await server().client().post('/api/auth/register', { login: 'origin@example.com', password: 'Secret123x', displayName: 'x' }, { referer: 'https://evil.example/page' });
    expect(referer.errorCode).toBe('CSRF_ORIGIN_MISMATCH');
    const sameOrigin = await server().client({ origin: 'http://localhost:80' }).post('/api/auth/register', { login: 'origin@example.com', password: 'Secret123x', displayName: 'x' }, { host: 'localhost:80' });
    expect(sameOrigin.status).toBe(201);
  });

  it('refuses a body that is not JSON', async () => {
    const client = server().client({ locale: 'en' });
    const response = await client.post('/api/auth/login', '{"login": "a", ', { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'BODY_INVALID_JSON', message: 'The request body is not valid JSON' });
    const form = await client.post('/api/auth/login', 'login=a&password=b', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.errorCode).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a body over the size limit', async () => {
    const before = await countUsers(server());
    const huge = JSON.stringify({ login: 'big@example.com', password: 'Secret123x', displayName: 'x'.repeat(2 * 1024 * 1024) });
    const response = await server().client().post('/api/auth/register', huge, { 'content-type': 'application/json' });
    expect(response.status).toBe(413);
    expect(response.errorCode).toBe('BODY_TOO_LARGE');
    expect(response.json().error.message).toContain('1048576');
    expect(await countUsers(server())).toBe(before);
  });

  it('refuses unknown fields, naming them, and stores nothing', async () => {
    const client = server().client();
    await client.register('fields@example.com');
    const response = await client.patch('/api/me', { displayName: '新名字', platformRole: 'operator' });
    expect(response.status).toBe(400);
    expect(response.json().error.fields).toEqual([expect.objectContaining({ path: 'platformRole', code: 'UNKNOWN_FIELD' })]);
    const user = (await client.get('/api/auth/session')).json().user;
    expect(user).toMatchObject({ displayName: '测试用户', platformRole: 'viewer' });
  });

  it('answers unknown API paths with a JSON 404 and carries a request id', async () => {
    const response = await server().client().get('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.errorCode).toBe('NOT_FOUND');
    expect(response.raw.headers['x-request-id']).toBe(response.json().requestId);
  });

  it('sends security headers', async () => {
    const response = await server().client().get('/healthz');
    expect(response.raw.headers['x-content-type-options']).toBe('nosniff');
    expect(response.raw.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.raw.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('reports readiness from the database', async () => {
    const response = await server().client().get('/readyz');
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });
});
