// /training/:enrollmentId: the courses and their lessons, the assessment (exam and practice lives), and the certificate.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { post } from '../api';
import { useFormat } from '../shared/format';
import { FormError } from '../shared/Field';
import { ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import type { ApiError } from '../api';
import { Qr } from './Qr';
import { HoursBar } from './TrainingHome';
import { jobLabel, verifyPath, type CertificateView, type EnrollmentDetail, type ExamPaper, type Practice } from './types';
import './training.css';

export function EnrollmentPage() {
  const { enrollmentId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const state = useApi<EnrollmentDetail>(`/api/training/enrollments/${encodeURIComponent(enrollmentId)}`);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  const { enrollment: e, courses, exams, practices } = state.data;

  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      navigate(await work());
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  };
  const startExam = () => act(async () => `/training/exams/${(await post<{ exam: ExamPaper }>(`/api/training/enrollments/${encodeURIComponent(e.id)}/exams`)).exam.id}`);
  const startPractice = () => act(async () => `/training/practices/${(await post<{ practice: Practice }>(`/api/training/enrollments/${encodeURIComponent(e.id)}/practices`, { title: t('training.practiceTitleDefault') })).practice.id}`);

  return (
    <div className="page training-page" data-testid="training-enrollment-page" data-stage={e.stage}>
      <header className="page-header">
        <p className="eyebrow">{e.orgName}</p>
        <h1>{t('training.track', { job: jobLabel(e.jobName, i18n.language), level: t(`training.levels.${e.level as 1 | 2 | 3 | 4 | 5}`) })}</h1>
        <span className={`training-stage training-stage-${e.stage}`}>{t(`training.stage.${e.stage}`)}</span>
        <HoursBar seconds={e.studySeconds} required={e.requiredHours} />
        <p className="muted">{t('training.hoursHint')}</p>
      </header>
      {e.certificate ? <CertificateCard certificate={e.certificate} /> : null}
      <section className="card">
        <h2>{t('training.courses')}</h2>
        {courses.map((c) => (
          <article key={c.id} className="training-course" data-testid="training-course" data-completed={c.completed}>
            <h3>
              <span className="training-tag">{t(`training.category.${c.category}`)}</span> {c.title}
            </h3>
            <p className="muted">{c.summary}</p>
            <ol className="training-lessons">
              {c.lessons.map((l) => (
                <li key={l.id} data-testid="training-lesson" data-completed={l.completed} data-kind={l.kind}>
                  <span className="training-tag">{t(`training.kind.${l.kind}`)}</span>
                  <Link to={`/training/${encodeURIComponent(e.id)}/lessons/${encodeURIComponent(l.id)}`}>{l.title}</Link>
                  <span className="muted">{l.completed ? `✓ ${t('training.completed')}` : l.kind !== 'quiz' ? t('training.studied', { minutes: Math.floor(l.seconds / 60) }) : ''}</span>
                </li>
              ))}
            </ol>
          </article>
        ))}
      </section>
      <section className="card" data-testid="training-assessment">
        <h2>{t('training.assessment')}</h2>
        <FormError error={error} />
        <div className="training-assess-grid">
          <div>
            <h3>{t('training.theory')}</h3>
            <p>{e.bestTheory === null ? t('training.none') : t('training.best', { score: e.bestTheory })} · {t('training.pass')}</p>
            {e.stage !== 'certified' ? (
              <button type="button" className="button" disabled={busy || !e.eligibleForExam} onClick={() => void startExam()} data-testid="training-start-exam">
                {t('training.startExam')}
              </button>
            ) : null}
            {!e.eligibleForExam && e.stage !== 'certified' ? <p className="muted">{t('training.notEligible')}</p> : null}
            <ul className="training-history">
              {exams.map((x) => (
                <li key={x.id}>
                  <Link to={`/training/exams/${encodeURIComponent(x.id)}`}>{x.score === null ? t('training.running') : t('training.score', { count: x.score })}</Link>
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h3>{t('training.skill')}</h3>
            <p>{e.bestSkill === null ? t('training.none') : t('training.best', { score: e.bestSkill })} · {t('training.pass')}</p>
            {e.stage !== 'certified' ? (
              <button type="button" className="button button-ghost" disabled={busy} onClick={() => void startPractice()} data-testid="training-start-practice">
                {t('training.startPractice')}
              </button>
            ) : null}
            <ul className="training-history">
              {practices.map((p) => (
                <li key={p.id}>
                  <Link to={`/training/practices/${encodeURIComponent(p.id)}`}>{p.title}</Link>{' '}
                  <span className="muted">{p.score !== null ? t('training.score', { count: p.score }) : p.endedAt ? t('training.waitingScore') : t('training.running')}</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      </section>
    </div>
  );
}

function CertificateCard({ certificate: c }: { certificate: CertificateView }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const url = `${window.location.origin}${verifyPath(c)}`;
  return (
    <section className="card training-certificate" data-testid="training-certificate" data-number={c.number}>
      <div>
        <p className="eyebrow">{t('training.certificate')}</p>
        <h2>{c.holderName}</h2>
        <p>{t('training.track', { job: jobLabel(c.jobName, i18n.language), level: t(`training.levels.${c.level as 1 | 2 | 3 | 4 | 5}`) })}</p>
        <p>
          {t('training.certificateNumber')}: <strong data-testid="training-certificate-number">{c.number}</strong>
        </p>
        <p className="muted">{c.orgName} · {fmt.date(c.issuedAt)}</p>
        <Link to={verifyPath(c)}>{t('training.verifyLink')}</Link>
      </div>
      <figure>
        <Qr text={url} label={t('training.scanToVerify')} testId="training-certificate-qr" />
        <figcaption className="muted">{t('training.scanToVerify')}</figcaption>
      </figure>
    </section>
  );
}
