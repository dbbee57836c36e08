import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/each-database.ts';

describeEachDatabase('accounts', ({ server }) => {
  it('registers with a phone number, sets an HttpOnly SameSite=Lax session cookie, and knows the user', async () => {
    const client = server().client();
    const response = await client.post('/api/auth/register', { login: '+86 138-1234-5678', password: 'Secret123x', displayName: '小张' });
    expect(response.status).toBe(201);
    expect(response.json().user).toMatchObject({ phone: '13812345678', platformRole: 'viewer', streamerStatus: 'none' });
    const setCookie = String(response.raw.headers['set-cookie']);
    expect(setCookie).toMatch(/zhibo_session=[^;]+;.*HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const session = await client.get('/api/auth/session');
    expect(session.json().user.displayName).toBe('小张');
  });

  it('refuses an existing phone or email and leaves the stored account unchanged', async () => {
    const a = server().client();
    await a.register('zhang@example.com', 'Secret123x', '原用户');
    for (const login of ['ZHANG@example.com', 'zhang@example.com']) {
      const again = await server().client().post('/api/auth/register', { login, password: 'Other1234x', displayName: '冒名者' });
      expect(again.status).toBe(409);
      expect(again.errorCode).toBe('AUTH_LOGIN_TAKEN');
    }
    await server().client().register('13900001111');
    const phoneAgain = await server().client().post('/api/auth/register', { login: '8613900001111', password: 'Other1234x', displayName: '冒名者' });
    expect(phoneAgain.errorCode).toBe('AUTH_LOGIN_TAKEN');
    // The original password still works; the intruder's does not.
    await server().client().login('zhang@example.com', 'Secret123x');
    const intruder = await server().client().post('/api/auth/login', { login: 'zhang@example.com', password: 'Other1234x' });
    expect(intruder.errorCode).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('refuses weak passwords and malformed logins, naming the field, in zh-CN and en', async () => {
    for (const password of ['short1', 'onlyletters', '1234567890', 'password123']) {
      const response = await server().client().post('/api/auth/register', { login: '13700000001', password, displayName: 'x' });
      expect(response.status).toBe(400);
      expect(response.json().error.fields).toContainEqual(expect.objectContaining({ path: 'password', code: 'PASSWORD_WEAK' }));
    }
    for (const login of ['12345', '23800000000', '1380000000', 'not-an-email@', '@example.com']) {
      const response = await server().client({ locale: 'en-US,en;q=0.9' }).post('/api/auth/register', { login, password: 'Secret123x', displayName: 'x' });
      expect(response.errorCode).toBe('VALIDATION_FAILED');
      const field = response.json().error.fields.find((f: { path: string }) => f.path === 'login');
      expect(field.code).toBe('LOGIN_MALFORMED');
      expect(field.message).toMatch(/mobile number or an email/);
      expect(response.json().error.message).toMatch(/^The request is invalid: login: /);
    }
    const zh = await server().client().post('/api/auth/register', { login: '12345', password: 'Secret123x', displayName: 'x' });
    expect(zh.json().error.message).toContain('请输入中国大陆手机号或邮箱地址');
    const count = await server().database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('phone', '=', '13700000001').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('refuses a wrong password, locks the account at the sixth wrong one in a row, and unlocks after the lock time', async () => {
    await server().client().register('lock@example.com', 'Correct123x');
    const client = server().client();
    for (let attempt = 1; attempt <= 5; attempt++) {
      const wrong = await client.post('/api/auth/login', { login: 'lock@example.com', password: `Wrong${attempt}xx` });
      expect(wrong.status).toBe(401);
      expect(wrong.errorCode).toBe('AUTH_INVALID_CREDENTIALS');
    }
    const sixth = await client.post('/api/auth/login', { login: 'lock@example.com', password: 'Wrong6xx' });
    expect(sixth.status).toBe(423);
    expect(sixth.errorCode).toBe('AUTH_ACCOUNT_LOCKED');
    // Locked: even the right password is refused, with the time left.
    const whileLocked = await client.post('/api/auth/login', { login: 'lock@example.com', password: 'Correct123x' });
    expect(whileLocked.errorCode).toBe('AUTH_ACCOUNT_LOCKED');
    expect(whileLocked.json().error.message).toMatch(/15 分钟/);
    server().clock.advance(16 * 60_000);
    await client.login('lock@example.com', 'Correct123x');
  });

  it('gives the same answer for an unknown login as for a wrong password', async () => {
    const response = await server().client().post('/api/auth/login', { login: 'nobody@example.com', password: 'Whatever123' });
    expect(response.status).toBe(401);
    expect(response.errorCode).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('logs out, and a changed password ends the other sessions', async () => {
    const first = server().client();
    await first.register('change@example.com', 'Before123x');
    const second = server().client();
    await second.login('change@example.com', 'Before123x');

    const wrongCurrent = await first.post('/api/auth/password', { currentPassword: 'Nope12345', newPassword: 'After1234x' });
    expect(wrongCurrent.errorCode).toBe('AUTH_WRONG_PASSWORD');
    const weak = await first.post('/api/auth/password', { currentPassword: 'Before123x', newPassword: 'weak' });
    expect(weak.json().error.fields[0]).toMatchObject({ path: 'newPassword', code: 'PASSWORD_WEAK' });

    expect((await first.post('/api/auth/password', { currentPassword: 'Before123x', newPassword: 'After1234x' })).status).toBe(204);
    expect((await second.get('/api/me/orgs')).status).toBe(401);
    expect((await first.get('/api/me/orgs')).status).toBe(200);
    await server().client().login('change@example.com', 'After1234x');

    expect((await first.post('/api/auth/logout')).status).toBe(204);
    expect((await first.get('/api/me/orgs')).status).toBe(401);
  });

  it("answers in the user's language setting, else in the browser's", async () => {
    const client = server().client({ locale: 'en' });
    expect((await client.get('/api/me/orgs')).json().error.message).toBe('Please log in first');
    expect((await server().client().get('/api/me/orgs')).json().error.message).toBe('请先登录');
    await client.register('lang@example.com');
    // Registered without a locale: zh-CN by default, whatever the header says.
    expect((await client.post('/api/orgs', { kind: 'brand' })).json().error.message).toMatch(/^请求参数有误/);
    const updated = await client.patch('/api/me', { locale: 'en' });
    expect(updated.json().user.locale).toBe('en');
    const zhHeader = server().client({ locale: 'zh-CN' });
    await zhHeader.login('lang@example.com', 'Secret123x');
    expect((await zhHeader.post('/api/orgs', { kind: 'brand' })).json().error.message).toMatch(/^The request is invalid/);
  });
});
