import type { CompiledQuery } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { SessionsTable, UsersTable } from '../platform/db-types.ts';
import type { LoginId } from './schema.ts';

export type UserRow = UsersTable;

type SessionWithUser = {
  session_id: string;
  last_seen_at: string;
  id: string;
  display_name: string;
  platform_role: UsersTable['platform_role'];
  locale: UsersTable['locale'];
};

export function createAccountsStore(db: Db) {
  let findSessionQuery: CompiledQuery<SessionWithUser> | null = null;
  /** A session with the user it belongs to: what every authenticated request needs. */
  const sessionsWithUsers = () =>
    db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id as session_id', 'sessions.last_seen_at', 'users.id', 'users.display_name', 'users.platform_role', 'users.locale']);
  return {
    findUserByLogin(login: LoginId) {
      return db.selectFrom('users').selectAll().where(login.kind, '=', login.value).executeTakeFirst();
    },
    findUserById(id: string) {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async insertUser(row: UserRow) {
      await db.insertInto('users').values(row).execute();
    },
    async updateUser(id: string, patch: Partial<Omit<UserRow, 'id'>>) {
      await db.updateTable('users').set(patch).where('id', '=', id).execute();
    },
    /** Counts a failed login atomically, so parallel guesses cannot slip past the lock. */
    async recordFailedLogin(id: string, maxFailures: number, lockUntil: string, now: string) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('users')
          .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1), updated_at: now }))
          .where('id', '=', id)
          .returning(['failed_logins'])
          .executeTakeFirstOrThrow();
        if (row.failed_logins > maxFailures) {
          await trx.updateTable('users').set({ locked_until: lockUntil, failed_logins: 0 }).where('id', '=', id).execute();
          return { locked: true };
        }
        return { locked: false };
      });
    },
    async insertSession(row: SessionsTable) {
      await db.insertInto('sessions').values(row).execute();
    },
    /** Runs on every API request: compiled once, then executed with fresh parameters (session id, now). */
    findSessionWithUser(sessionId: string, now: string) {
      findSessionQuery ??= sessionsWithUsers()
        .where('sessions.id', '=', '?session')
        .where('sessions.expires_at', '>', '?now')
        .compile();
      const compiled = findSessionQuery as CompiledQuery<SessionWithUser>;
      return db.executeQuery<SessionWithUser>({ ...compiled, parameters: [sessionId, now] }).then((result) => result.rows[0]);
    },
    /** Many sessions at once (one round trip for the requests of one event-loop turn). */
    findSessionsWithUsers(sessionIds: readonly string[], now: string) {
      return sessionsWithUsers()
        .where('sessions.id', 'in', [...sessionIds])
        .where('sessions.expires_at', '>', now)
        .execute();
    },
    async touchSession(sessionId: string, now: string) {
      await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
    },
    async deleteSession(sessionId: string) {
      await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
    },
    async deleteOtherSessions(userId: string, keepSessionId: string) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepSessionId).execute();
    },
    async deleteExpiredSessions(now: string) {
      await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
    },
  };
}

export type AccountsStore = ReturnType<typeof createAccountsStore>;
