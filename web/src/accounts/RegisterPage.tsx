import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { currentLocale } from '../i18n';
import { useSession } from '../session';
import { FormError, TextField, fieldMessage } from '../shared/Field';
import { safeNext } from '../shared/RequireAuth';
import { toApiError } from '../shared/useApi';

export function RegisterPage() {
  const { t } = useTranslation();
  const { user, status, register } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [loginName, setLoginName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  if (status === 'ready' && user && !busy) return <Navigate to={next} replace />;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (password !== confirm) {
      setError(
        new ApiError({
          code: 'CLIENT_VALIDATION',
          status: 0,
          message: t('errors.checkFields'),
          fields: [{ path: 'passwordConfirm', code: 'PASSWORD_MISMATCH', message: t('register.passwordMismatch') }],
        }),
      );
      return;
    }
    setBusy(true);
    try {
      await register({ login: loginName.trim(), displayName: displayName.trim(), password, locale: currentLocale() });
      navigate(next, { replace: true });
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const loginHref = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;

  return (
    <div className="page page-auth">
      <form className="card auth-card" onSubmit={onSubmit} noValidate data-testid="register-form">
        <h1>{t('register.title')}</h1>
        <p className="muted">{t('register.subtitle')}</p>
        <FormError error={error} shownPaths={['login', 'phone', 'email', 'displayName', 'password', 'passwordConfirm', 'locale']} />
        <TextField
          name="login"
          label={t('fields.login')}
          value={loginName}
          onChange={setLoginName}
          autoComplete="username"
          placeholder={t('fields.loginPlaceholder')}
          hint={t('register.loginHint')}
          required
          error={fieldMessage(error, 'login', 'phone', 'email')}
        />
        <TextField
          name="displayName"
          label={t('fields.displayName')}
          value={displayName}
          onChange={setDisplayName}
          autoComplete="nickname"
          required
          maxLength={40}
          error={fieldMessage(error, 'displayName')}
        />
        <TextField
          name="password"
          type="password"
          label={t('fields.password')}
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          required
          error={fieldMessage(error, 'password')}
        />
        <TextField
          name="passwordConfirm"
          type="password"
          label={t('fields.passwordConfirm')}
          value={confirm}
          onChange={setConfirm}
          autoComplete="new-password"
          required
          error={fieldMessage(error, 'passwordConfirm')}
        />
        <button type="submit" className="button button-block" disabled={busy} data-testid="register-submit">
          {busy ? t('register.submitting') : t('register.submit')}
        </button>
        <p className="auth-switch">
          {t('register.haveAccount')} <Link to={loginHref}>{t('register.toLogin')}</Link>
        </p>
      </form>
    </div>
  );
}
