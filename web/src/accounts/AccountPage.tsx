import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, patch, post } from '../api';
import { LOCALES } from '../i18n';
import { useSession } from '../session';
import type { Locale, User } from '../types';
import { FormError, FormSuccess, TextField, fieldMessage } from '../shared/Field';
import { label } from '../shared/labels';
import { toApiError } from '../shared/useApi';
import { ShopLinks } from '../shop/ShopLinks';

function ProfileSection({ user }: { user: User }) {
  const { t } = useTranslation();
  const { setUser } = useSession();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => setDisplayName(user.displayName), [user.displayName]);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const res = await patch<{ user: User }>('/api/me', { displayName: displayName.trim() });
      setUser(res.user);
      setSaved(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">{t('account.profile')}</h2>
      <dl className="facts">
        {user.phone ? (
          <>
            <dt>{t('fields.phone')}</dt>
            <dd data-testid="account-phone">{user.phone}</dd>
          </>
        ) : null}
        {user.email ? (
          <>
            <dt>{t('fields.email')}</dt>
            <dd data-testid="account-email">{user.email}</dd>
          </>
        ) : null}
        <dt>{t('account.platformRole')}</dt>
        <dd data-testid="account-role">{label(t, 'platformRole', user.platformRole)}</dd>
        <dt>{t('account.streamerStatus')}</dt>
        <dd data-testid="account-streamer-status">{label(t, 'status', user.streamerStatus)}</dd>
      </dl>
      <form onSubmit={onSubmit} noValidate data-testid="profile-form" className="inline-form">
        <FormError error={error} shownPaths={['displayName']} />
        <TextField
          name="displayName"
          label={t('fields.displayName')}
          value={displayName}
          onChange={(v) => {
            setDisplayName(v);
            setSaved(false);
          }}
          autoComplete="nickname"
          maxLength={40}
          required
          error={fieldMessage(error, 'displayName')}
        />
        <button type="submit" className="button" disabled={busy || displayName.trim() === user.displayName}>
          {t('common.save')}
        </button>
        {saved ? <FormSuccess>{t('account.saved')}</FormSuccess> : null}
      </form>
    </section>
  );
}

function LanguageSection({ user }: { user: User }) {
  const { t } = useTranslation();
  const { setLocale } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  const choose = async (locale: Locale) => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await setLocale(locale);
      setSaved(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="language-heading">
      <h2 id="language-heading">{t('account.language')}</h2>
      <p className="muted">{t('account.languageHint')}</p>
      <FormError error={error} shownPaths={[]} />
      <div className="choice-group" role="radiogroup" aria-labelledby="language-heading">
        {LOCALES.map((l) => (
          <label key={l} className={`choice${user.locale === l ? ' choice-active' : ''}`} lang={l}>
            <input type="radio" name="locale" value={l} checked={user.locale === l} disabled={busy} onChange={() => void choose(l)} />
            <span>{t(l === 'zh-CN' ? 'lang.zhCN' : 'lang.en')}</span>
          </label>
        ))}
      </div>
      {saved ? <FormSuccess>{t('account.languageSaved')}</FormSuccess> : null}
    </section>
  );
}

function PasswordSection({ user }: { user: User }) {
  const { t } = useTranslation();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    if (newPassword !== confirm) {
      setError(
        new ApiError({
          code: 'CLIENT_VALIDATION',
          status: 0,
          message: t('errors.checkFields'),
          fields: [{ path: 'newPasswordConfirm', code: 'PASSWORD_MISMATCH', message: t('register.passwordMismatch') }],
        }),
      );
      return;
    }
    setBusy(true);
    try {
      await post('/api/auth/password', { currentPassword, newPassword });
      setCurrent('');
      setNew('');
      setConfirm('');
      setSaved(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="password-heading">
      <h2 id="password-heading">{t('account.changePassword')}</h2>
      <form onSubmit={onSubmit} noValidate data-testid="password-form">
        <FormError error={error} shownPaths={['currentPassword', 'newPassword', 'newPasswordConfirm']} />
        <input type="text" name="username" autoComplete="username" hidden readOnly value={user.phone ?? user.email ?? ''} />
        <TextField
          name="currentPassword"
          type="password"
          label={t('fields.currentPassword')}
          value={currentPassword}
          onChange={setCurrent}
          autoComplete="current-password"
          required
          error={fieldMessage(error, 'currentPassword')}
        />
        <TextField
          name="newPassword"
          type="password"
          label={t('fields.newPassword')}
          value={newPassword}
          onChange={setNew}
          autoComplete="new-password"
          required
          error={fieldMessage(error, 'newPassword')}
        />
        <TextField
          name="newPasswordConfirm"
          type="password"
          label={t('fields.passwordConfirm')}
          value={confirm}
          onChange={setConfirm}
          autoComplete="new-password"
          required
          error={fieldMessage(error, 'newPasswordConfirm')}
        />
        <button type="submit" className="button" disabled={busy} data-testid="password-submit">
          {t('account.changePasswordSubmit')}
        </button>
        {saved ? <FormSuccess>{t('account.passwordChanged')}</FormSuccess> : null}
      </form>
    </section>
  );
}

export function AccountPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  if (!user) return null; // RequireAuth guarantees a user
  return (
    <div className="page page-narrow">
      <h1>{t('account.title')}</h1>
      <section className="card" aria-labelledby="shopping-heading" data-testid="account-shopping">
        <h2 id="shopping-heading">{t('shop.nav.mine')}</h2>
        <ShopLinks />
      </section>
      <ProfileSection user={user} />
      <LanguageSection user={user} />
      <PasswordSection user={user} />
    </div>
  );
}
