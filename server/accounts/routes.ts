import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../platform/config.ts';
import { SESSION_COOKIE } from '../platform/access.ts';
import type { ReviewStatus } from '../platform/db-types.ts';
import { parseInput } from '../platform/validate.ts';
import { ChangePasswordBody, LoginBody, RegisterBody, UpdateMeBody } from './schema.ts';
import type { AccountsService } from './service.ts';
import type { UserRow } from './store.ts';

export type AccountsRoutesDeps = {
  accounts: AccountsService;
  streamerStatusOf: (userId: string) => Promise<ReviewStatus | null>;
  config: Pick<Config, 'COOKIE_SECURE' | 'LOGIN_RATE_LIMIT_PER_MIN'>;
};

export function accountsRoutes(app: FastifyInstance, deps: AccountsRoutesDeps) {
  const { accounts, config } = deps;

  async function publicUser(row: UserRow) {
    return {
      id: row.id,
      displayName: row.display_name,
      phone: row.phone,
      email: row.email,
      platformRole: row.platform_role,
      locale: row.locale,
      streamerStatus: (await deps.streamerStatusOf(row.id)) ?? 'none',
    };
  }

  function setSessionCookie(reply: FastifyReply, token: string, expires: Date) {
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.COOKIE_SECURE, expires });
  }

  const meta = (request: FastifyRequest) => ({ userAgent: request.headers['user-agent'], ip: request.ip });
  // Per client address: slows password guessing across accounts; the per-account lock handles one account.
  const authRateLimit = { max: config.LOGIN_RATE_LIMIT_PER_MIN, timeWindow: '1 minute' };

  app.get('/api/auth/session', { schema: { tags: ['accounts'], summary: 'Current session and CSRF token' }, config: { access: { kind: 'public' } } }, async (request, reply) => {
    const row = request.user ? await accounts.findUserById(request.user.id) : undefined;
    return { user: row ? await publicUser(row) : null, csrfToken: reply.generateCsrf() };
  });

  app.post('/api/auth/register', { schema: { tags: ['accounts'], summary: 'Register', body: RegisterBody }, config: { access: { kind: 'public' }, rateLimit: authRateLimit } }, async (request, reply) => {
    const body = parseInput(RegisterBody, request.body, request.locale);
    const { user, session } = await accounts.register(body, meta(request));
    setSessionCookie(reply, session.token, session.expires);
    reply.code(201);
    return { user: await publicUser(user) };
  });

  app.post('/api/auth/login', { schema: { tags: ['accounts'], summary: 'Log in', body: LoginBody }, config: { access: { kind: 'public' }, rateLimit: authRateLimit } }, async (request, reply) => {
    const body = parseInput(LoginBody, request.body, request.locale);
    const { user, session } = await accounts.login(body.login, body.password, meta(request));
    setSessionCookie(reply, session.token, session.expires);
    return { user: await publicUser(user) };
  });

  app.post('/api/auth/logout', { schema: { tags: ['accounts'], summary: 'Log out' }, config: { access: { kind: 'user' } } }, async (request, reply) => {
    await accounts.logout(request.user!.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.code(204);
  });

  app.post('/api/auth/password', { schema: { tags: ['accounts'], summary: 'Change password', body: ChangePasswordBody }, config: { access: { kind: 'user' }, rateLimit: authRateLimit } }, async (request, reply) => {
    const body = parseInput(ChangePasswordBody, request.body, request.locale);
    await accounts.changePassword(request.user!, body.currentPassword, body.newPassword);
    reply.code(204);
  });

  app.patch('/api/me', { schema: { tags: ['accounts'], summary: 'Update my account', body: UpdateMeBody }, config: { access: { kind: 'user' } } }, async (request) => {
    const body = parseInput(UpdateMeBody, request.body, request.locale);
    const row = await accounts.updateProfile(request.user!.id, body);
    return { user: row ? await publicUser(row) : null };
  });
}
