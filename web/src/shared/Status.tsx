import { Link, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import type { ApiError } from '../api';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="state state-loading" role="status" aria-live="polite" data-testid="loading">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function Empty({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p className="state state-empty" data-testid={testId ?? 'empty'}>
      {children}
    </p>
  );
}

export function NoAccess({ detail }: { detail?: string }) {
  const { t } = useTranslation();
  return (
    <div className="state state-forbidden card" role="alert" data-testid="no-access">
      <h2>{t('errors.noAccessTitle')}</h2>
      <p>{t('errors.noAccessBody')}</p>
      {detail ? <p className="muted">{detail}</p> : null}
      <Link className="button button-secondary" to="/">
        {t('common.backHome')}
      </Link>
    </div>
  );
}

/** Explicit error state: 403 → no access, 401 → log in again, else the server's message + retry. */
export function ErrorNotice({ error, onRetry }: { error: ApiError | null | undefined; onRetry?: () => void }) {
  const { t } = useTranslation();
  const location = useLocation();
  if (!error) return null;
  if (error.status === 403) return <NoAccess detail={error.message} />;
  if (error.status === 401) {
    const next = encodeURIComponent(location.pathname + location.search);
    return (
      <div className="state state-error card" role="alert" data-testid="error">
        <p>{error.message}</p>
        <Link className="button" to={`/login?next=${next}`}>
          {t('errors.loginAgain')}
        </Link>
      </div>
    );
  }
  return (
    <div className="state state-error card" role="alert" data-testid="error">
      <p>{error.message}</p>
      {onRetry ? (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function StatusBadge({ status, children }: { status: string; children: ReactNode }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {children}
    </span>
  );
}
