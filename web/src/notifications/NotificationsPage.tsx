// /notifications: the notification centre, newest first; open one to mark it read, or mark all read.
import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { post } from '../api';
import { formatDateTime } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import type { ApiError } from '../api';
import { NOTIFICATIONS_CHANGED } from './Bell';
import './notifications.css';

type Item = { id: string; kind: string; title: string; body: string; link: string; sentAt: string; read: boolean };

export function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const state = useApi<{ items: Item[]; unread: number }>('/api/notifications');
  const [error, setError] = useState<ApiError | null>(null);
  const act = async (path: string) => {
    setError(null);
    try {
      await post(path);
      window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
      state.reload();
    } catch (e) {
      setError(toApiError(e));
    }
  };
  return (
    <div className="page notifications-page" data-testid="notifications-page">
      <header className="page-header">
        <h1>{t('notifications.title')}</h1>
        <p className="muted">{t('notifications.intro')}</p>
        {state.data?.unread ? (
          <p className="notifications-summary">
            <span data-testid="notifications-unread">{t('notifications.unread', { count: state.data.unread })}</span>{' '}
            <button type="button" className="button button-small button-ghost" data-testid="notifications-read-all" onClick={() => void act('/api/notifications/read-all')}>
              {t('notifications.markAllRead')}
            </button>
          </p>
        ) : null}
      </header>
      <ErrorNotice error={error ?? state.error} onRetry={state.reload} />
      {!state.data && state.status !== 'error' ? <Loading /> : null}
      {state.data && !state.data.items.length ? <Empty testId="notifications-empty">{t('notifications.empty')}</Empty> : null}
      <ul className="notifications-list">
        {state.data?.items.map((n) => (
          <li key={n.id} className={n.read ? 'card notification' : 'card notification notification-unread'} data-testid="notification" data-kind={n.kind} data-read={n.read}>
            <div className="notification-head">
              {!n.read ? <span className="notification-dot">{t('notifications.new')}</span> : null}
              <strong className="notification-title">{n.title}</strong>
              <time className="muted" dateTime={n.sentAt}>
                {formatDateTime(n.sentAt, i18n.language)}
              </time>
            </div>
            {n.body ? <p className="notification-body">{n.body}</p> : null}
            <div className="notification-actions">
              {n.link ? (
                <Link className="button button-small" to={n.link} data-testid="notification-open" onClick={() => (!n.read ? void act(`/api/notifications/${encodeURIComponent(n.id)}/read`) : undefined)}>
                  {t('notifications.open')}
                </Link>
              ) : null}
              {!n.read ? (
                <button type="button" className="button button-small button-ghost" data-testid="notification-read" onClick={() => void act(`/api/notifications/${encodeURIComponent(n.id)}/read`)}>
                  {t('notifications.markRead')}
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
