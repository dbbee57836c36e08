// /launches: upcoming launches (首发), each with its level, countdown and reservations.
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatFen } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { Countdown } from './Countdown';
import type { Launch } from './types';
import './launches.css';

export function LaunchesPage() {
  const { t, i18n } = useTranslation();
  const state = useApi<{ launches: Launch[] }>('/api/launches');
  return (
    <div className="page launches-page" data-testid="launches-page">
      <header className="page-header">
        <h1>{t('launches.title')}</h1>
        <p className="muted">{t('launches.intro')}</p>
      </header>
      <ErrorNotice error={state.error} onRetry={state.reload} />
      {!state.data && state.status !== 'error' ? <Loading /> : null}
      {state.data && !state.data.launches.length ? <Empty testId="launches-empty">{t('launches.empty')}</Empty> : null}
      <ul className="launch-cards">
        {state.data?.launches.map((l) => (
          <li key={l.id} className="card launch-card" data-testid="launch-card">
            {l.coverUrl ? <img className="launch-cover" src={l.coverUrl} alt="" loading="lazy" /> : null}
            <span className={`launch-level launch-level-${l.level}`}>{t(`launches.levels.${l.level}`)}</span>
            <h2>{l.title}</h2>
            <p className="muted">{t('launches.brand', { name: l.brandName })}</p>
            <p>{t('launches.startsAt', { at: formatDateTime(l.launchAt, i18n.language) })}</p>
            <Countdown at={l.launchAt} />
            <p className="muted">
              {formatFen(l.firstRelease.priceFen, i18n.language)} · {t('launches.reservations', { count: l.reservations })}
            </p>
            <Link className="button" to={`/launches/${encodeURIComponent(l.id)}`} data-testid="launch-open">
              {t('launches.open')}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
