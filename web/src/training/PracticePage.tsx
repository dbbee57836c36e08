// /training/practices/:practiceId: the practice live (实训), a live session in practice mode. The trainee
// pushes the stream (from this page with the camera, over WHIP, or from OBS/ffmpeg), sees the room with its simulated audience, says lines that are checked against the
// 广告法 list, and ends it; a trainer watches, then scores it against the rubric.
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { post, type ApiError } from '../api';
import { BrowserPublisher } from '../live/BrowserPublisher';
import { FormError } from '../shared/Field';
import { ErrorNotice, Loading } from '../shared/Status';
import { usePolling } from '../shared/usePolling';
import { toApiError } from '../shared/useApi';
import { PracticeRoom } from './PracticeRoom';
import { clock, RUBRIC, type Practice } from './types';
import './training.css';

type LineAnswer = { text: string; hits: { word: string; severity: string }[] };

export function PracticePage() {
  const { practiceId = '' } = useParams();
  const { t } = useTranslation();
  const path = `/api/training/practices/${encodeURIComponent(practiceId)}`;
  const poll = usePolling<{ practice: Practice }>(path, (d) => (d && !d.practice.live ? null : 2000));
  const [line, setLine] = useState('');
  const [checked, setChecked] = useState<LineAnswer | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  if (poll.error && !poll.data) return <ErrorNotice error={poll.error} onRetry={poll.refresh} />;
  if (!poll.data) return <Loading />;
  const p = poll.data.practice;
  const sim = p.simulation;

  const say = async (e: FormEvent) => {
    e.preventDefault();
    if (!line.trim()) return;
    setError(null);
    try {
      setChecked(await post<LineAnswer>(`${path}/lines`, { text: line }));
      setLine('');
      poll.refresh();
    } catch (err) {
      setError(toApiError(err));
    }
  };
  const end = async () => {
    setError(null);
    try {
      poll.setData(await post<{ practice: Practice }>(`${path}/end`));
    } catch (err) {
      setError(toApiError(err));
    }
  };

  return (
    <div className="page training-page" data-testid="training-practice" data-live={p.live} data-score={p.score ?? ''}>
      <p>
        <Link to={p.isTrainee ? `/training/${encodeURIComponent(p.enrollmentId)}` : `/orgs/${encodeURIComponent(p.orgId)}/training`}>← {t('training.exam.back')}</Link>
      </p>
      <header className="page-header">
        <p className="eyebrow">{t('training.practice.title')} · {p.traineeName}</p>
        <h1>{p.title}</h1>
        <p className="training-notice" role="note">{t('training.practice.notice')}</p>
      </header>
      {p.live && p.isTrainee && p.session ? (
        <section className="card training-browser-push" data-testid="training-browser-push" aria-labelledby="training-browser-push-h">
          <h2 id="training-browser-push-h">{t('training.practice.browserPush')}</h2>
          <p className="muted">{t('training.practice.browserPushIntro')}</p>
          <BrowserPublisher
            endpoint={`${path}/whip`}
            ended={p.session.status === 'ended'}
            startHint={t('training.practice.browserStartHint')}
            stopHint={t('training.practice.browserStopHint')}
          />
        </section>
      ) : null}
      {p.session ? <PracticeRoom session={p.session} onTrouble={poll.refresh} /> : null}
      {sim ? (
        <section className="training-stage-grid">
          <div className="card training-sim-stats" data-testid="training-sim">
            <p className="training-live-dot">● {t('training.practice.elapsed', { time: clock(sim.elapsedSeconds) })}</p>
            <dl>
              <div><dt>{t('training.practice.viewers')}</dt><dd data-testid="training-sim-viewers">{sim.viewers}</dd></div>
              <div><dt>{t('training.practice.chats')}</dt><dd data-testid="training-sim-chats">{sim.chatCount}</dd></div>
              <div><dt>{t('training.practice.orders')}</dt><dd data-testid="training-sim-orders">{sim.orders}</dd></div>
            </dl>
            <h3>{t('training.practice.ordersTitle')}</h3>
            <ul className="training-sim-orders">
              {sim.recentOrders.map((o) => <li key={o.id}>{t('training.practice.ordered', { name: o.nickname, item: o.item, quantity: o.quantity })}</li>)}
            </ul>
          </div>
          {p.session ? null : (
            // A practice from before practice lives had a room: its chat is read from the poll.
            <div className="card training-chat" aria-live="polite">
              <h3>{t('training.practice.chatTitle')}</h3>
              <ul data-testid="training-sim-chat">
                {sim.chat.map((m) => <li key={m.id}><strong>{m.nickname}</strong>：{m.text}</li>)}
              </ul>
            </div>
          )}
        </section>
      ) : p.totals ? (
        <section className="card" data-testid="training-practice-totals">
          <h2>{t('training.practice.ended')}</h2>
          <p>{t('training.practice.totals', { minutes: Math.round(p.totals.seconds / 60), chats: t('training.practice.chatLines', { count: p.totals.chats }), orders: t('training.practice.simOrders', { count: p.totals.orders }) })}</p>
        </section>
      ) : null}
      <section className="card">
        <h2>{t('training.practice.script')}</h2>
        {p.live && p.isTrainee ? (
          <form onSubmit={(e) => void say(e)} className="training-say">
            <input value={line} onChange={(e) => setLine(e.target.value)} placeholder={t('training.practice.scriptPlaceholder')} maxLength={500} aria-label={t('training.practice.script')} data-testid="training-line-input" />
            <button type="submit" className="button" data-testid="training-line-say">{t('training.practice.say')}</button>
          </form>
        ) : null}
        {checked ? (
          <p className={checked.hits.length ? 'training-hit' : 'training-clean'} role="status" data-testid="training-line-check" data-hits={checked.hits.map((h) => h.word).join(',')}>
            {checked.hits.length ? t('training.practice.hits', { words: checked.hits.map((h) => h.word).join(t('common.listSeparator')) }) : t('training.practice.clean')}
          </p>
        ) : null}
        <ol className="training-script">
          {p.script.map((l, i) => (
            <li key={i} className={l.hits.length ? 'training-hit' : undefined}>
              {l.text}
              {l.hits.length ? <span className="training-tag">{l.hits.join(t('common.listSeparator'))}</span> : null}
            </li>
          ))}
        </ol>
        <FormError error={error} />
        {p.live && p.isTrainee ? (
          <button type="button" className="button button-ghost" onClick={() => void end()} data-testid="training-practice-end">
            {t('training.practice.end')}
          </button>
        ) : null}
      </section>
      {p.score !== null ? (
        <section className="card" data-testid="training-practice-score">
          <h2>{t('training.practice.scored', { score: p.score })}</h2>
          <ul>{RUBRIC.map((k) => <li key={k}>{t(`training.practice.rubric.${k}`)}：{p.rubric?.[k] ?? 0} / 20</li>)}</ul>
          {p.comment ? <p>{p.comment}</p> : null}
        </section>
      ) : null}
      {p.canScore ? <ScoreForm practice={p} onScored={(next) => poll.setData({ practice: next })} /> : null}
    </div>
  );
}

function ScoreForm({ practice, onScored }: { practice: Practice; onScored: (p: Practice) => void }) {
  const { t } = useTranslation();
  const [rubric, setRubric] = useState<Record<string, number>>(() => Object.fromEntries(RUBRIC.map((k) => [k, 12])));
  const [comment, setComment] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      onScored((await post<{ practice: Practice }>(`/api/orgs/${encodeURIComponent(practice.orgId)}/training/practices/${encodeURIComponent(practice.id)}/score`, { rubric, comment })).practice);
    } catch (err) {
      setError(toApiError(err));
    }
  };
  return (
    <form className="card training-rubric" onSubmit={(e) => void submit(e)} data-testid="training-score-form">
      <h2>{t('training.practice.rubricTitle')}</h2>
      {RUBRIC.map((k) => (
        <label key={k} className="training-rubric-row">
          <span>{t(`training.practice.rubric.${k}`)}</span>
          <input type="number" min={0} max={20} value={rubric[k]} onChange={(e) => setRubric((r) => ({ ...r, [k]: Number(e.target.value) }))} data-testid={`training-rubric-${k}`} />
          <span className="muted">/ 20</span>
        </label>
      ))}
      <label className="field">
        <span>{t('training.practice.comment')}</span>
        <textarea value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} data-testid="training-score-comment" />
      </label>
      <FormError error={error} />
      <button type="submit" className="button" data-testid="training-score-submit">{t('training.practice.submitScore')}</button>
    </form>
  );
}
