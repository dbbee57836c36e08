import crypto from 'node:crypto';
import DataLoader from 'dataloader';
import type { Clock } from '../platform/clock.ts';
import { addMinutes } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import { AppError, type Locale } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { PlatformRole } from '../platform/db-types.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts';
import { toLoginId, type LoginId } from './schema.ts';
import type { AccountsStore, UserRow } from './store.ts';

export type AuthUser = {
  id: string;
  displayName: string;
  platformRole: PlatformRole;
  locale: Locale;
  sessionId: string;
};

export type AccountsDeps = {
  store: AccountsStore;
  clock: Clock;
  config: Pick<Config, 'LOGIN_MAX_FAILURES' | 'LOGIN_LOCK_MINUTES' | 'SESSION_TTL_DAYS'> & { SESSION_CACHE_MS?: number };
};

export type SessionMeta = { userAgent?: string; ip?: string };

function sessionIdOf(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function createAccountsService({ store, clock, config }: AccountsDeps) {
  // Every API request resolves its session: a node keeps the answer for SESSION_CACHE_MS (wall clock).
  // Logging out, changing the password or the profile forget it here at once; on other nodes it
  // lasts at most that long.
  const cacheMs = config.SESSION_CACHE_MS ?? 0;
  const sessionCache = new Map<string, { user: AuthUser; until: number }>();
  // Sessions not in that cache are looked up together: the requests that arrive in one turn of the
  // event loop (a flash sale's first second brings thousands of buyers at once) share one query.
  const sessionLoader = new DataLoader<string, Awaited<ReturnType<AccountsStore['findSessionWithUser']>> | undefined>(
    async (ids) => {
      const now = clock.now().toISOString();
      if (ids.length === 1) return [await store.findSessionWithUser(ids[0]!, now)];
      const rows = await store.findSessionsWithUsers(ids, now);
      const byId = new Map(rows.map((row) => [row.session_id, row]));
      return ids.map((id) => byId.get(id));
    },
    { cache: false, maxBatchSize: 500, batchScheduleFn: (run) => setImmediate(run) },
  );
  function forgetUser(userId: string, exceptSessionId?: string) {
    for (const [id, entry] of sessionCache) if (entry.user.id === userId && id !== exceptSessionId) sessionCache.delete(id);
  }
  async function startSession(userId: string, meta: SessionMeta) {
    const token = crypto.randomBytes(32).toString('base64url');
    const now = clock.now();
    const expires = new Date(now.getTime() + config.SESSION_TTL_DAYS * 86_400_000);
    await store.insertSession({
      id: sessionIdOf(token),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: expires.toISOString(),
      last_seen_at: now.toISOString(),
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      ip: meta.ip ?? null,
    });
    return { token, expires };
  }

  return {
    async register(input: { login: LoginId; password: string; displayName: string; locale?: Locale }, meta: SessionMeta) {
      if (await store.findUserByLogin(input.login)) throw new AppError('AUTH_LOGIN_TAKEN');
      const now = clock.now().toISOString();
      const row: UserRow = {
        id: newId(),
        phone: input.login.kind === 'phone' ? input.login.value : null,
        email: input.login.kind === 'email' ? input.login.value : null,
        password_hash: await hashPassword(input.password),
        display_name: input.displayName,
        platform_role: 'viewer',
        locale: input.locale ?? 'zh-CN',
        failed_logins: 0,
        locked_until: null,
        created_at: now,
        updated_at: now,
      };
      try {
        await store.insertUser(row);
      } catch (error) {
        // A concurrent registration of the same login loses on the unique index.
        if (await store.findUserByLogin(input.login)) throw new AppError('AUTH_LOGIN_TAKEN');
        throw error;
      }
      return { user: row, session: await startSession(row.id, meta) };
    },

    async login(rawLogin: string, password: string, meta: SessionMeta) {
      const login = toLoginId(rawLogin);
      const user = login ? await store.findUserByLogin(login) : undefined;
      if (!user) {
        await verifyPassword(password, DUMMY_HASH);
        throw new AppError('AUTH_INVALID_CREDENTIALS');
      }
      const now = clock.now();
      if (user.locked_until && user.locked_until > now.toISOString()) {
        throw new AppError('AUTH_ACCOUNT_LOCKED', { minutes: minutesUntil(user.locked_until, now) });
      }
      if (!(await verifyPassword(password, user.password_hash))) {
        const lockUntil = addMinutes(now, config.LOGIN_LOCK_MINUTES).toISOString();
        const { locked } = await store.recordFailedLogin(user.id, config.LOGIN_MAX_FAILURES, lockUntil, now.toISOString());
        if (locked) throw new AppError('AUTH_ACCOUNT_LOCKED', { minutes: config.LOGIN_LOCK_MINUTES });
        throw new AppError('AUTH_INVALID_CREDENTIALS');
      }
      if (user.failed_logins > 0 || user.locked_until) {
        await store.updateUser(user.id, { failed_logins: 0, locked_until: null });
      }
      return { user, session: await startSession(user.id, meta) };
    },

    async logout(sessionId: string) {
      sessionCache.delete(sessionId);
      await store.deleteSession(sessionId);
    },

    /** Drops this node's cached sessions of a user whose role or profile changed. */
    forgetUser,

    async changePassword(user: AuthUser, currentPassword: string, newPassword: string) {
      const row = await store.findUserById(user.id);
      if (!row || !(await verifyPassword(currentPassword, row.password_hash))) throw new AppError('AUTH_WRONG_PASSWORD');
      await store.updateUser(user.id, { password_hash: await hashPassword(newPassword), updated_at: clock.now().toISOString() });
      forgetUser(user.id, user.sessionId);
      await store.deleteOtherSessions(user.id, user.sessionId);
    },

    async updateProfile(userId: string, patch: { displayName?: string; locale?: Locale }) {
      forgetUser(userId);
      await store.updateUser(userId, {
        ...(patch.displayName !== undefined && { display_name: patch.displayName }),
        ...(patch.locale !== undefined && { locale: patch.locale }),
        updated_at: clock.now().toISOString(),
      });
      return store.findUserById(userId);
    },

    /** The user behind a session cookie, or null. Refreshes last_seen at most once a minute. */
    async resolveSession(token: string | undefined): Promise<AuthUser | null> {
      if (!token || token.length > 100) return null;
      const sessionId = sessionIdOf(token);
      const cached = cacheMs ? sessionCache.get(sessionId) : undefined;
      if (cached && cached.until > Date.now()) return cached.user;
      const now = clock.now();
      const found = await sessionLoader.load(sessionId);
      if (!found) {
        sessionCache.delete(sessionId);
        return null;
      }
      if (now.getTime() - Date.parse(found.last_seen_at) > 60_000) await store.touchSession(found.session_id, now.toISOString());
      const user: AuthUser = {
        id: found.id,
        displayName: found.display_name,
        platformRole: found.platform_role,
        locale: found.locale,
        sessionId: found.session_id,
      };
      if (cacheMs) {
        if (sessionCache.size >= 100_000) sessionCache.delete(sessionCache.keys().next().value!);
        sessionCache.set(sessionId, { user, until: Date.now() + cacheMs });
      }
      return user;
    },

    findUserById: store.findUserById,
    findUserByLogin: store.findUserByLogin,
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;

function minutesUntil(iso: string, now: Date): number {
  return Math.max(1, Math.ceil((Date.parse(iso) - now.getTime()) / 60_000));
}
