import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, get, patch, post, setCsrfToken } from './api';
import { applyLocale, currentLocale } from './i18n';
import type { Locale, Membership, SessionResponse, User } from './types';

export type RegisterInput = { login: string; password: string; displayName: string; locale?: Locale };

type SessionContextValue = {
  /** `loading` until the first `GET /api/auth/session` answers. */
  status: 'loading' | 'ready' | 'error';
  user: User | null;
  csrfToken: string | null;
  error: ApiError | null;
  memberships: Membership[];
  membershipsStatus: 'idle' | 'loading' | 'ready' | 'error';
  refresh: () => Promise<User | null>;
  refreshMemberships: () => Promise<void>;
  login: (login: string, password: string) => Promise<User | null>;
  register: (input: RegisterInput) => Promise<User | null>;
  logout: () => Promise<void>;
  /** Switch language; saved with `PATCH /api/me` when logged in. */
  setLocale: (locale: Locale) => Promise<void>;
  setUser: (user: User) => void;
};

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionContextValue['status']>('loading');
  const [user, setUserState] = useState<User | null>(null);
  const [csrfToken, setToken] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [memberships, setMemberships] = useState<Membership[]>([]);
  const [membershipsStatus, setMembershipsStatus] = useState<SessionContextValue['membershipsStatus']>('idle');
  const userRef = useRef<User | null>(null);

  const setUser = useCallback((u: User | null) => {
    userRef.current = u;
    setUserState(u);
  }, []);

  const refresh = useCallback(async (): Promise<User | null> => {
    try {
      const s = await get<SessionResponse>('/api/auth/session');
      setCsrfToken(s.csrfToken);
      setToken(s.csrfToken);
      setUser(s.user);
      setError(null);
      setStatus('ready');
      // A logged-in user's saved language wins over this device's choice.
      if (s.user && s.user.locale !== currentLocale()) await applyLocale(s.user.locale);
      return s.user;
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError({ code: 'CLIENT_UNKNOWN', status: 0, message: String(e) }));
      setStatus((prev) => (prev === 'ready' ? 'ready' : 'error'));
      throw e;
    }
  }, [setUser]);

  // Read the session once at start (a ref, so StrictMode's double effect doesn't ask twice
  // and end up holding a token for a `_csrf` secret the browser no longer has).
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    refresh().catch(() => undefined);
  }, [refresh]);

  const refreshMemberships = useCallback(async () => {
    if (!userRef.current) {
      setMemberships([]);
      setMembershipsStatus('idle');
      return;
    }
    setMembershipsStatus('loading');
    try {
      const res = await get<{ memberships: Membership[] }>('/api/me/orgs');
      setMemberships(Array.isArray(res.memberships) ? res.memberships : []);
      setMembershipsStatus('ready');
    } catch {
      setMemberships([]);
      setMembershipsStatus('error');
    }
  }, []);

  const userId = user?.id ?? null;
  useEffect(() => {
    void refreshMemberships();
  }, [userId, refreshMemberships]);

  const login = useCallback(
    async (loginName: string, password: string) => {
      await post<{ user: User }>('/api/auth/login', { login: loginName, password });
      setCsrfToken(null); // the session changed: get a fresh token
      return refresh();
    },
    [refresh],
  );

  const register = useCallback(
    async (input: RegisterInput) => {
      await post<{ user: User }>('/api/auth/register', input);
      setCsrfToken(null);
      return refresh();
    },
    [refresh],
  );

  const logout = useCallback(async () => {
    try {
      await post('/api/auth/logout');
    } finally {
      setCsrfToken(null);
      setUser(null);
      setMemberships([]);
      await refresh().catch(() => null);
    }
  }, [refresh, setUser]);

  const setLocale = useCallback(
    async (locale: Locale) => {
      await applyLocale(locale);
      const u = userRef.current;
      if (u && u.locale !== locale) {
        const res = await patch<{ user: User }>('/api/me', { locale });
        setUser(res.user);
      }
    },
    [setUser],
  );

  const value = useMemo<SessionContextValue>(
    () => ({
      status,
      user,
      csrfToken,
      error,
      memberships,
      membershipsStatus,
      refresh,
      refreshMemberships,
      login,
      register,
      logout,
      setLocale,
      setUser: (u: User) => setUser(u),
    }),
    [status, user, csrfToken, error, memberships, membershipsStatus, refresh, refreshMemberships, login, register, logout, setLocale, setUser],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession must be used inside <SessionProvider>');
  return ctx;
}
