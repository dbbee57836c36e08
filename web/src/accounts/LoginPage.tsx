import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api';
import { useSession } from '../session';
import { FormError, TextField, fieldMessage } from '../shared/Field';
import { safeNext } from '../shared/RequireAuth';
import { toApiError } from '../shared/useApi';

export function LoginPage() {
  const { t } = useTranslation();
  const { user, status, login } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [loginName, setLoginName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  if (status === 'ready' && user && !busy) return <Navigate to={next} replace />;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(loginName.trim(), password);
      navigate(next, { replace: true });
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const registerHref = next === '/' ? '/register' : `/register?next=${encodeURIComponent(next)}`;

  return (
    <div className="page page-auth">
      <form className="card auth-card" onSubmit={onSubmit} noValidate data-testid="login-form">
        <h1>{t('login.title')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
        <FormError error={error} shownPaths={['login', 'password']} />
        <TextField
          name="login"
          label={t('fields.login')}
          value={loginName}
          onChange={setLoginName}
          autoComplete="username"
          placeholder={t('fields.loginPlaceholder')}
          required
          error={fieldMessage(error, 'login')}
        />
        <TextField
          name="password"
          type="password"
          label={t('fields.password')}
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          required
          error={fieldMessage(error, 'password')}
        />
        <button type="submit" className="button button-block" disabled={busy} data-testid="login-submit">
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
        <p className="auth-switch">
          {t('login.noAccount')} <Link to={registerHref}>{t('login.toRegister')}</Link>
        </p>
      </form>
    </div>
  );
}
