// /training/:enrollmentId/lessons/:lessonId: a video, text or quiz lesson. While the page is open and
// visible it sends a heartbeat every `heartbeatSeconds`; the server counts the study time between beats.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { post, type ApiError } from '../api';
import { FormError } from '../shared/Field';
import { ErrorNotice, Loading } from '../shared/Status';
import { toApiError, useApi } from '../shared/useApi';
import { safeHttpUrl } from '../shared/urls';
import { hours, type LessonSummary } from './types';
import './training.css';

type LessonAnswer = {
  lesson: LessonSummary & { body: string; videoUrl: string | null; quiz: { stem: string; options: string[] }[] | null };
  heartbeatSeconds: number;
  studySeconds: number;
};
type Beat = { credited: number; lessonSeconds: number; completed: boolean; studySeconds: number };

export function LessonPage() {
  const { enrollmentId = '', lessonId = '' } = useParams();
  const { t } = useTranslation();
  const base = `/api/training/enrollments/${encodeURIComponent(enrollmentId)}/lessons/${encodeURIComponent(lessonId)}`;
  const state = useApi<LessonAnswer>(base);
  const [beat, setBeat] = useState<Beat | null>(null);
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  const interval = state.data?.heartbeatSeconds;

  useEffect(() => {
    if (!interval) return;
    let stopped = false;
    const send = () => {
      if (stopped || document.visibilityState !== 'visible') return;
      post<Beat>(`${base}/heartbeat`).then((b) => !stopped && setBeat(b), () => undefined);
    };
    send();
    const timer = window.setInterval(send, interval * 1000);
    const onVisibility = () => {
      setVisible(document.visibilityState === 'visible');
      send();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [base, interval]);

  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  const { lesson } = state.data;
  const seconds = beat?.lessonSeconds ?? lesson.seconds;
  const completed = beat?.completed ?? lesson.completed;
  const video = safeHttpUrl(lesson.videoUrl) ?? (lesson.videoUrl?.startsWith('/') ? lesson.videoUrl : null);

  return (
    <div className="page training-page" data-testid="training-lesson-page" data-kind={lesson.kind}>
      <p>
        <Link to={`/training/${encodeURIComponent(enrollmentId)}`}>← {t('training.lesson.back')}</Link>
      </p>
      <header className="page-header">
        <p className="eyebrow">{t(`training.kind.${lesson.kind}`)}</p>
        <h1>{lesson.title}</h1>
        <p className="training-timer" data-testid="training-lesson-timer" data-seconds={seconds} data-completed={completed} aria-live="polite">
          {t('training.lesson.timer', { seconds, hours: hours(beat?.studySeconds ?? state.data.studySeconds) })}
          {completed ? ` · ✓ ${t('training.completed')}` : lesson.minSeconds ? ` · ${t('training.lesson.needs', { minutes: Math.ceil(lesson.minSeconds / 60) })}` : ''}
        </p>
        {!visible ? <p className="muted">{t('training.lesson.paused')}</p> : null}
      </header>
      {lesson.kind === 'video' ? (
        <section className="card">
          <h2>{t('training.lesson.video')}</h2>
          {video ? <video className="training-video" src={video} controls playsInline /> : <div className="training-video training-video-empty">{t('training.lesson.noVideo')}</div>}
        </section>
      ) : null}
      {lesson.kind !== 'quiz' ? (
        <section className="card training-notes">
          <h2>{t('training.lesson.notes')}</h2>
          <p>{lesson.body}</p>
        </section>
      ) : (
        <Quiz base={base} items={lesson.quiz ?? []} done={completed} />
      )}
    </div>
  );
}

function Quiz({ base, items, done }: { base: string; items: { stem: string; options: string[] }[]; done: boolean }) {
  const { t } = useTranslation();
  const [answers, setAnswers] = useState<(number | null)[]>(() => items.map(() => null));
  const [result, setResult] = useState<{ correct: number; total: number; passed: boolean } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async () => {
    setError(null);
    try {
      setResult(await post(`${base}/quiz`, { answers: answers.map((a) => a ?? 0) }));
    } catch (e) {
      setError(toApiError(e));
    }
  };
  return (
    <section className="card" data-testid="training-quiz">
      {items.map((q, i) => (
        <fieldset key={i} className="training-question">
          <legend>{`${i + 1}. ${q.stem}`}</legend>
          {q.options.map((o, j) => (
            <label key={j} className="training-option">
              <input type="radio" name={`q${i}`} checked={answers[i] === j} onChange={() => setAnswers((a) => a.map((v, k) => (k === i ? j : v)))} data-testid={`quiz-${i}-${j}`} />
              {o}
            </label>
          ))}
        </fieldset>
      ))}
      <FormError error={error} />
      <button type="button" className="button" disabled={answers.some((a) => a === null)} onClick={() => void submit()} data-testid="training-quiz-submit">
        {t('training.lesson.submitQuiz')}
      </button>
      {result ? (
        <p role="status" data-testid="training-quiz-result" data-passed={result.passed}>
          {t('training.lesson.quizResult', { correct: result.correct, total: result.total })} · {result.passed ? t('training.lesson.quizPassed') : t('training.lesson.quizFailed')}
        </p>
      ) : done ? (
        <p className="muted">✓ {t('training.completed')}</p>
      ) : null}
    </section>
  );
}
