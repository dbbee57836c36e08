import { useState } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from './session';
import { currentLocale } from './i18n';
import { label } from './shared/labels';
import { Bell } from './notifications/Bell';

function LanguageSwitch() {
  const { t } = useTranslation();
  const { setLocale } = useSession();
  const next = currentLocale() === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <button
      type="button"
      className="lang-switch"
      data-testid="lang-switch"
      lang={next}
      aria-label={t('lang.switchAria')}
      title={t('lang.switchAria')}
      onClick={() => {
        // The UI switches at once; saving to the account is best effort.
        setLocale(next).catch(() => undefined);
      }}
    >
      {t('lang.switchTo')}
    </button>
  );
}

export function Layout() {
  const { t } = useTranslation();
  const { user, memberships, logout } = useSession();
  const navigate = useNavigate();
  const [loggingOut, setLoggingOut] = useState(false);

  const onLogout = async () => {
    setLoggingOut(true);
    try {
      await logout();
    } catch {
      // the session is re-read either way
    } finally {
      setLoggingOut(false);
      navigate('/');
    }
  };

  const navClass = ({ isActive }: { isActive: boolean }) => (isActive ? 'nav-link active' : 'nav-link');

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="site-header">
        <div className="header-top">
          <Link to="/" className="logo" data-testid="logo">
            <span className="logo-mark" aria-hidden="true">▶</span>
            <span className="logo-text">{t('app.name')}</span>
          </Link>
          <div className="header-actions">
            <LanguageSwitch />
            {user ? (
              <>
                <Bell />
                <NavLink to="/account" className="account-link" data-testid="nav-account" title={t('nav.account')}>
                  <span className="avatar" aria-hidden="true">
                    {Array.from(user.displayName || '?')[0]}
                  </span>
                  <span className="account-name">{user.displayName}</span>
                </NavLink>
                <button type="button" className="button button-ghost button-small" data-testid="logout-button" onClick={onLogout} disabled={loggingOut}>
                  {t('nav.logout')}
                </button>
              </>
            ) : (
              <>
                <NavLink to="/login" className="button button-ghost button-small" data-testid="nav-login">
                  {t('nav.login')}
                </NavLink>
                <NavLink to="/register" className="button button-small" data-testid="nav-register">
                  {t('nav.register')}
                </NavLink>
              </>
            )}
          </div>
        </div>
        <nav className="main-nav" aria-label={t('nav.main')}>
          <NavLink to="/" end className={navClass} data-testid="nav-home">
            {t('nav.home')}
          </NavLink>
          <NavLink to="/search" className={navClass} data-testid="nav-search">
            {t('discovery.nav.search')}
          </NavLink>
          <NavLink to="/launches" className={navClass} data-testid="nav-launches">
            {t('launches.nav')}
          </NavLink>
          {user ? (
            <NavLink to="/following" className={navClass} data-testid="nav-following">
              {t('discovery.nav.following')}
            </NavLink>
          ) : null}
          {user ? (
            <NavLink to="/orders" className={navClass} data-testid="nav-orders">
              {t('shop.nav.orders')}
            </NavLink>
          ) : null}
          {user ? (
            <NavLink to="/streamer" className={navClass} data-testid="nav-streamer">
              {t('nav.streamer')}
            </NavLink>
          ) : null}
          {user ? (
            <NavLink to="/analytics" className={navClass} data-testid="nav-analytics">
              {t('analytics.nav')}
            </NavLink>
          ) : null}
          {user ? (
            <NavLink to="/training" className={navClass} data-testid="nav-training">
              {t('training.nav')}
            </NavLink>
          ) : null}
          {user
            ? memberships.map((m) => (
                <NavLink key={m.org.id} to={`/orgs/${encodeURIComponent(m.org.id)}`} className={navClass} data-testid="nav-org" data-org-id={m.org.id}>
                  {t('nav.org', { kind: label(t, 'orgKind', m.org.kind), name: m.org.name })}
                </NavLink>
              ))
            : null}
          {user?.platformRole === 'operator' ? (
            <NavLink to="/admin" className={navClass} data-testid="nav-admin">
              {t('nav.admin')}
            </NavLink>
          ) : null}
          {user?.platformRole === 'commission' || user?.platformRole === 'operator' ? (
            <NavLink to="/commission" className={navClass} data-testid="nav-commission">
              {t('commission.nav')}
            </NavLink>
          ) : null}
          {user ? (
            <NavLink to="/account" className={navClass} data-testid="nav-account-link">
              {t('nav.account')}
            </NavLink>
          ) : null}
        </nav>
      </header>
      <main id="main" className="site-main">
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>{t('app.footer')}</p>
      </footer>
    </div>
  );
}
