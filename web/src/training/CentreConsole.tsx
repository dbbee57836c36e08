// /orgs/:orgId/training: a training centre's console — courses and bank, trainees by stage with their
// hours and scores, practice lives to score, and enrolling a trainee.
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { post, type ApiError } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import { useFormat } from '../shared/format';
import { HoursBar } from './TrainingHome';
import { jobLabel, type EnrollmentSummary } from './types';
import './training.css';

type Overview = {
  courses: { id: string; title: string; category: 'policy' | 'norms' | 'skills'; summary: string; lessons: number }[];
  questionCount: number;
  trainees: (EnrollmentSummary & { displayName: string })[];
  practices: { id: string; traineeName: string; title: string; startedAt: string; endedAt: string | null; score: number | null }[];
};

const JOBS = { selector: [5, 4, 3, 2, 1], seller: [5, 4, 3, 2, 1], creator: [5, 4, 3, 2, 1], admin: [5, 4, 3] } as const;

export function CentreConsole() {
  const { orgId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const state = useApi<Overview>(`/api/orgs/${encodeURIComponent(orgId)}/training`);
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  const o = state.data;
  return (
    <div className="page training-page" data-testid="training-centre">
      <header className="page-header">
        <p>
          <Link to={`/orgs/${encodeURIComponent(orgId)}`}>←</Link>
        </p>
        <h1>{t('training.centre.title')}</h1>
      </header>
      <section className="card">
        <h2>{t('training.centre.trainees', { count: o.trainees.length })}</h2>
        <div className="table-wrap">
          <table className="table" data-testid="training-trainees">
            <thead>
              <tr>
                <th>{t('training.centre.trainee')}</th>
                <th>{t('training.centre.track')}</th>
                <th>{t('training.centre.progress')}</th>
                <th>{t('training.centre.stageCol')}</th>
                <th>{t('training.centre.scores')}</th>
              </tr>
            </thead>
            <tbody>
              {o.trainees.map((e) => (
                <tr key={e.id} data-testid="training-trainee" data-stage={e.stage}>
                  <td>{e.displayName}</td>
                  <td>{t('training.track', { job: jobLabel(e.jobName, i18n.language), level: t(`training.levels.${e.level as 1 | 2 | 3 | 4 | 5}`) })}</td>
                  <td>
                    <HoursBar seconds={e.studySeconds} required={e.requiredHours} />
                    <span className="muted">{t('training.lessonsDone', { done: e.lessonsCompleted, total: e.lessonsTotal })}</span>
                  </td>
                  <td>
                    <span className={`training-stage training-stage-${e.stage}`}>{t(`training.stage.${e.stage}`)}</span>
                    {e.certificate ? <div className="muted">{e.certificate.number}</div> : null}
                  </td>
                  <td>{`${e.bestTheory ?? '—'} / ${e.bestSkill ?? '—'}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card">
        <h2>{t('training.centre.practicesTitle')}</h2>
        <ul className="training-history" data-testid="training-centre-practices">
          {o.practices.map((p) => (
            <li key={p.id} data-testid="training-centre-practice" data-scored={p.score !== null}>
              <strong>{p.traineeName}</strong> · {p.title} · <span className="muted">{fmt.dateTime(p.startedAt)}</span>{' '}
              {p.score !== null ? t('training.score', { count: p.score }) : p.endedAt ? t('training.waitingScore') : t('training.running')}{' '}
              <Link to={`/training/practices/${encodeURIComponent(p.id)}`} data-testid="training-centre-practice-open">
                {p.endedAt && p.score === null ? t('training.centre.toScore') : t('training.centre.view')}
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <h2>{t('training.centre.courses', { count: o.courses.length })}</h2>
        <p className="muted">{t('training.centre.bank', { count: o.questionCount })}</p>
        <ul className="training-history">
          {o.courses.map((c) => (
            <li key={c.id}>
              <span className="training-tag">{t(`training.category.${c.category}`)}</span> {c.title} <span className="muted">· {c.lessons}</span>
            </li>
          ))}
        </ul>
      </section>
      <EnrollForm orgId={orgId} onDone={state.reload} />
    </div>
  );
}

function EnrollForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const [job, setJob] = useState<keyof typeof JOBS>('seller');
  const [level, setLevel] = useState(5);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    try {
      await post(`/api/orgs/${encodeURIComponent(orgId)}/training/enrollments`, { login, job, level });
      setDone(true);
      setLogin('');
      onDone();
    } catch (err) {
      setError(toApiError(err));
    }
  };
  return (
    <form className="card training-enroll" onSubmit={(e) => void submit(e)} data-testid="training-enroll-form">
      <h2>{t('training.centre.enrollTitle')}</h2>
      <label className="field">
        <span>{t('training.centre.login')}</span>
        <input value={login} onChange={(e) => setLogin(e.target.value)} required maxLength={254} data-testid="training-enroll-login" />
      </label>
      <label className="field">
        <span>{t('training.centre.job')}</span>
        <select value={job} onChange={(e) => setJob(e.target.value as keyof typeof JOBS)}>
          {Object.keys(JOBS).map((j) => <option key={j} value={j}>{t(`training.centre.jobs.${j as keyof typeof JOBS}`)}</option>)}
        </select>
      </label>
      <label className="field">
        <span>{t('training.centre.levelLabel')}</span>
        <select value={level} onChange={(e) => setLevel(Number(e.target.value))}>
          {JOBS[job].map((l) => <option key={l} value={l}>{t(`training.levels.${l}`)}</option>)}
        </select>
      </label>
      <FormError error={error} />
      {done ? <FormSuccess>{t('training.centre.enrolled')}</FormSuccess> : null}
      <button type="submit" className="button" data-testid="training-enroll-submit">{t('training.centre.enroll')}</button>
    </form>
  );
}
