import { Navigate, useLocation } from 'react-router';
import type { ReactNode } from 'react';
import { useSession } from '../session';
import { ErrorNotice, Loading } from './Status';

/** Anonymous visitors are sent to /login?next=… ; the page renders once the session is known. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, user, error, refresh } = useSession();
  const location = useLocation();
  if (status === 'loading') return <Loading />;
  if (status === 'error') return <ErrorNotice error={error} onRetry={() => void refresh().catch(() => undefined)} />;
  if (!user) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <>{children}</>;
}

/** Only same-site paths are accepted as a post-login destination. */
export function safeNext(raw: string | null): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  return raw;
}
