// /training: the trainee's enrolments, each with its hours against the standard and its stage.
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useApi } from '../shared/useApi';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { hours, jobLabel, type EnrollmentSummary } from './types';
import './training.css';

export function TrainingHome() {
  const { t, i18n } = useTranslation();
  const state = useApi<{ enrollments: (EnrollmentSummary & { orgName: string })[] }>('/api/training/me');
  return (
    <div className="page training-page" data-testid="training-home">
      <header className="page-header">
        <h1>{t('training.title')}</h1>
        <p className="muted">{t('training.intro')}</p>
      </header>
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={state.reload} /> : null}
      {!state.data ? <Loading /> : null}
      {state.data && !state.data.enrollments.length ? <Empty testId="training-empty">{t('training.empty')}</Empty> : null}
      <ul className="training-cards">
        {state.data?.enrollments.map((e) => (
          <li key={e.id} className="card training-card" data-testid="training-enrollment" data-stage={e.stage}>
            <p className="eyebrow">{e.orgName}</p>
            <h2>{t('training.track', { job: jobLabel(e.jobName, i18n.language), level: t(`training.levels.${e.level as 1 | 2 | 3 | 4 | 5}`) })}</h2>
            <span className={`training-stage training-stage-${e.stage}`}>{t(`training.stage.${e.stage}`)}</span>
            <HoursBar seconds={e.studySeconds} required={e.requiredHours} />
            <p className="muted">{t('training.lessonsDone', { done: e.lessonsCompleted, total: e.lessonsTotal })}</p>
            <Link className="button" to={`/training/${encodeURIComponent(e.id)}`} data-testid="training-open">
              {t('training.open')}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function HoursBar({ seconds, required }: { seconds: number; required: number }) {
  const { t } = useTranslation();
  const ratio = Math.min(1, seconds / (required * 3600));
  return (
    <div className="training-hours" data-testid="training-hours" data-seconds={seconds}>
      <span>{t('training.hours', { done: hours(seconds), required })}</span>
      <span className="training-bar" role="progressbar" aria-valuemin={0} aria-valuemax={required} aria-valuenow={Number(hours(seconds))}>
        <span style={{ width: `${ratio * 100}%` }} />
      </span>
    </div>
  );
}
