// The bell in the header: the unread count, polled, and refreshed at once when a page says it changed.
import { useEffect } from 'react';
import { NavLink } from 'react-router';
import { useTranslation } from 'react-i18next';
import { usePolling } from '../shared/usePolling';
import './notifications.css';

/** Pages that read or mark notifications dispatch this so the bell updates without waiting for its poll. */
export const NOTIFICATIONS_CHANGED = 'zhibo:notifications-changed';

export function Bell() {
  const { t } = useTranslation();
  const poll = usePolling<{ unread: number }>('/api/notifications/unread', 20_000);
  const { refresh } = poll;
  useEffect(() => {
    const onChange = () => refresh();
    window.addEventListener(NOTIFICATIONS_CHANGED, onChange);
    return () => window.removeEventListener(NOTIFICATIONS_CHANGED, onChange);
  }, [refresh]);
  const unread = poll.data?.unread ?? 0;
  return (
    <NavLink to="/notifications" className="bell-link" data-testid="nav-bell" aria-label={unread ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell')} title={t('notifications.bell')}>
      <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.73 21a2 2 0 0 1-3.46 0" />
      </svg>
      {unread ? (
        <span className="bell-count" data-testid="bell-count">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </NavLink>
  );
}
