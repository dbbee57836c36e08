// /training/exams/:examId: the timed paper (the deadline is the server's), handed in once; then the result.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { post, type ApiError } from '../api';
import { FormError } from '../shared/Field';
import { ErrorNotice, Loading } from '../shared/Status';
import { useNow } from '../shared/usePolling';
import { toApiError, useApi } from '../shared/useApi';
import { clock, type ExamPaper } from './types';
import './training.css';

export function ExamPage() {
  const { examId = '' } = useParams();
  const { t } = useTranslation();
  const state = useApi<{ exam: ExamPaper }>(`/api/training/exams/${encodeURIComponent(examId)}`);
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [submitted, setSubmitted] = useState<ExamPaper | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const now = useNow(1000);
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  const exam = submitted ?? state.data.exam;
  const remaining = (Date.parse(exam.deadlineAt) - now) / 1000;
  const open = !exam.submittedAt && !exam.expired;

  const submit = async () => {
    if (!window.confirm(t('training.exam.confirm'))) return;
    setBusy(true);
    setError(null);
    try {
      setSubmitted((await post<{ exam: ExamPaper }>(`/api/training/exams/${encodeURIComponent(exam.id)}/submit`, { answers })).exam);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page training-page" data-testid="training-exam" data-state={exam.submittedAt ? 'submitted' : exam.expired ? 'expired' : 'open'}>
      <header className="page-header">
        <h1>{t('training.exam.title')}</h1>
        {open ? (
          <p className="training-timer" data-testid="training-exam-remaining">
            {t('training.exam.remaining', { time: clock(remaining) })}
          </p>
        ) : null}
        {exam.submittedAt ? (
          <p className={`training-result ${exam.passed ? 'is-pass' : 'is-fail'}`} data-testid="training-exam-result" data-score={exam.score ?? ''} data-passed={String(exam.passed)}>
            {t('training.exam.result', { score: exam.score })} · {exam.passed ? t('training.exam.passed') : t('training.exam.failed')}
          </p>
        ) : null}
        {exam.expired ? <p className="muted">{t('training.exam.expired')}</p> : null}
      </header>
      <section className="card">
        {exam.questions.map((q, i) => (
          <fieldset key={q.id} className="training-question" data-testid="training-exam-question" data-question-id={q.id}>
            <legend>{`${i + 1}. ${q.stem}`}</legend>
            {q.options.map((o, j) => {
              const mark = q.answer === undefined ? '' : j === q.answer ? ' is-correct' : j === q.given ? ' is-wrong' : '';
              return (
                <label key={j} className={`training-option${mark}`}>
                  <input type="radio" name={q.id} disabled={!open} checked={(q.given ?? answers[q.id]) === j} onChange={() => setAnswers((a) => ({ ...a, [q.id]: j }))} />
                  {o}
                </label>
              );
            })}
          </fieldset>
        ))}
        <FormError error={error} />
        {open ? (
          <button type="button" className="button" disabled={busy} onClick={() => void submit()} data-testid="training-exam-submit">
            {t('training.exam.submit')}
          </button>
        ) : (
          <Link to={`/training/${encodeURIComponent(exam.enrollmentId)}`} data-testid="training-exam-back">
            {t('training.exam.back')}
          </Link>
        )}
      </section>
    </div>
  );
}
