// Lucky bags: start one, draw it, and read its audit (commit–reveal).
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { listFrom, pick, useApi } from '../shared/useApi';
import { clock, ConsoleCard, Fairness, useSecondsLeft } from '../room/parts';
import type { LuckyBag, RoomState } from '../room/types';
import { useAction } from '../shop/parts';
import { NumberInput, positiveInt } from './forms';

type AuditEntrant = { key: string; name: string; at: string | null; winner: boolean };

function auditRows(data: unknown, winnerIds: string[]): AuditEntrant[] {
  const entrants = listFrom<unknown>((data as Record<string, unknown> | null)?.entrants ?? [], 'entrants');
  const winners = new Set(winnerIds);
  return entrants.map((e, i) => {
    if (typeof e === 'string') return { key: `${e}-${i}`, name: e, at: null, winner: winners.has(e) };
    const id = String(pick(e, 'userId', 'user.id', 'id') ?? i);
    const name = String(pick(e, 'name', 'user.name', 'displayName', 'userName', 'userId', 'id') ?? id);
    const at = pick(e, 'at', 'joinedAt', 'createdAt');
    const flagged = (e as { winner?: unknown }).winner === true;
    return { key: `${id}-${i}`, name: name === id ? id : `${name}`, at: at === null ? null : String(at), winner: flagged || winners.has(id) };
  });
}

function winnerIdsOf(data: unknown, fallback: string[]): string[] {
  const raw = (data as Record<string, unknown> | null) ?? {};
  const list = Array.isArray(raw.winnerIds) ? raw.winnerIds : Array.isArray(raw.winners) ? raw.winners : null;
  if (!list) return fallback;
  return list.map((w) => (typeof w === 'string' ? w : String(pick(w, 'userId', 'user.id', 'id') ?? ''))).filter(Boolean);
}

function LuckyBagAudit({ sessionId, bag }: { sessionId: string; bag: LuckyBag }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const url = path`/api/rooms/${sessionId}/lucky-bags/${bag.id}`;
  const audit = useApi<Record<string, unknown>>(url);
  if (audit.status === 'error' && !audit.data) return <ErrorNotice error={audit.error} onRetry={audit.reload} />;
  if (!audit.data) return <Loading />;
  const data = audit.data;
  const winnerIds = winnerIdsOf(data, bag.winnerIds ?? []);
  const rows = auditRows(data, winnerIds);
  const seed = pick(data, 'seed') ?? bag.seed ?? null;
  const commitment = pick(data, 'commitment') ?? bag.commitment;
  return (
    <div className="luckybag-audit" data-testid="luckybag-audit">
      <dl className="facts">
        <dt>{t('room.luckyBag.commitment')}</dt>
        <dd>
          <code className="hash" data-testid="audit-commitment">
            {String(commitment)}
          </code>
        </dd>
        <dt>{t('room.luckyBag.seed')}</dt>
        <dd>
          <code className="hash" data-testid="audit-seed">
            {seed === null ? '—' : String(seed)}
          </code>
        </dd>
        <dt>{t('control.luckyBag.entrants')}</dt>
        <dd data-testid="audit-entrant-count">{fmt.number(rows.length)}</dd>
        <dt>{t('control.luckyBag.winnersCol')}</dt>
        <dd data-testid="audit-winner-count">{fmt.number(winnerIds.length)}</dd>
      </dl>
      {rows.length === 0 ? (
        <Empty>{t('control.luckyBag.noEntrants')}</Empty>
      ) : (
        <div className="table-wrap">
          <table data-testid="audit-table">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>{t('control.luckyBag.entrant')}</th>
                <th>{t('control.luckyBag.joinedAt')}</th>
                <th>{t('control.luckyBag.result')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.key} data-testid="audit-entrant" data-winner={String(r.winner)}>
                  <td className="num">{i + 1}</td>
                  <td>{r.name}</td>
                  <td>{r.at ? fmt.moment(r.at) : ''}</td>
                  <td>{r.winner ? <span className="tag">{t('control.luckyBag.winner')}</span> : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="field-hint">
        <a href={url} target="_blank" rel="noreferrer" data-testid="audit-link">
          {t('control.luckyBag.rawAudit')}
        </a>
      </p>
    </div>
  );
}

export function CurrentBag({ sessionId, bag }: { sessionId: string; bag: LuckyBag }) {
  const { t } = useTranslation();
  const action = useAction();
  const left = useSecondsLeft(bag.drawAt);
  const [showAudit, setShowAudit] = useState(false);
  const drawn = bag.status === 'drawn';
  const winnerIds = Array.isArray(bag.winnerIds) ? bag.winnerIds : [];
  useEffect(() => setShowAudit(false), [bag.id]);

  return (
    <div className="console-current-box" data-testid="console-luckybag" data-bag-id={bag.id} data-status={bag.status}>
      <p>
        <strong>{bag.prize}</strong> · {t('room.luckyBag.winners', { count: bag.winners })} ·{' '}
        {bag.condition.kind === 'keyword' ? t('control.luckyBag.byKeyword', { keyword: bag.condition.keyword }) : t('control.luckyBag.byFollow')}
      </p>
      {!drawn ? (
        <>
          <p className="muted">{left !== null ? (left > 0 ? t('room.luckyBag.drawIn', { time: clock(left) }) : t('room.luckyBag.drawing')) : ''}</p>
          <button type="button" className="button button-small" data-testid="luckybag-draw" disabled={action.busy} onClick={() => void action.run(() => post(path`/api/rooms/${sessionId}/lucky-bags/${bag.id}/draw`))}>
            {action.busy ? t('common.submitting') : t('control.luckyBag.drawNow')}
          </button>
        </>
      ) : (
        <p className="popup-ok" data-testid="console-luckybag-result" data-winners={winnerIds.length}>
          {t('room.luckyBag.drawnCount', { count: winnerIds.length })}
        </p>
      )}
      <Fairness bag={bag} />
      <FormError error={action.error} />
      {drawn ? (
        <div className="button-row">
          <button type="button" className="button button-ghost button-small" data-testid="luckybag-audit-toggle" aria-expanded={showAudit} onClick={() => setShowAudit((v) => !v)}>
            {showAudit ? t('control.luckyBag.hideAudit') : t('control.luckyBag.showAudit')}
          </button>
        </div>
      ) : null}
      {showAudit ? <LuckyBagAudit key={`${bag.id}:${bag.status}`} sessionId={sessionId} bag={bag} /> : null}
    </div>
  );
}

export function LuckyBagCard({ sessionId, state }: { sessionId: string; state: RoomState | null }) {
  const { t } = useTranslation();
  const action = useAction();
  const prizeId = useId();
  const keywordId = useId();
  const [prize, setPrize] = useState('');
  const [winners, setWinners] = useState('1');
  const [kind, setKind] = useState<'keyword' | 'follow'>('keyword');
  const [keyword, setKeyword] = useState('');
  const [drawIn, setDrawIn] = useState('60');
  const bag = state?.luckyBag ?? null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const winnersN = positiveInt(winners);
    const drawInSeconds = positiveInt(drawIn);
    if (!prize.trim()) return action.fail(t('control.luckyBag.needPrize'));
    if (winnersN === null) return action.fail(t('control.luckyBag.badWinners'));
    if (kind === 'keyword' && !keyword.trim()) return action.fail(t('control.luckyBag.needKeyword'));
    if (drawInSeconds === null) return action.fail(t('control.luckyBag.badSeconds'));
    const condition = kind === 'keyword' ? { kind, keyword: keyword.trim() } : { kind };
    void action.run(() => post(path`/api/rooms/${sessionId}/lucky-bags`, { prize: prize.trim(), winners: winnersN, condition, drawInSeconds }), t('control.luckyBag.started')).then((r) => {
      if (r !== undefined) setPrize('');
    });
  };

  return (
    <ConsoleCard title={t('control.luckyBag.title')} testId="console-luckybag-card">
      {bag ? <CurrentBag sessionId={sessionId} bag={bag} /> : null}
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={prizeId}>{t('control.luckyBag.prize')}</label>
          <input id={prizeId} data-testid="luckybag-prize-input" value={prize} maxLength={60} placeholder={t('control.luckyBag.prizePlaceholder')} onChange={(e) => setPrize(e.target.value)} required />
        </div>
        <div className="console-form-row">
          <NumberInput label={t('control.luckyBag.winnersLabel')} value={winners} onChange={setWinners} testId="luckybag-winners" />
          <NumberInput label={t('control.luckyBag.drawInLabel')} value={drawIn} onChange={setDrawIn} testId="luckybag-seconds" />
        </div>
        <fieldset className="console-fieldset">
          <legend>{t('control.luckyBag.condition')}</legend>
          <div className="choice-group">
            <label className={`choice${kind === 'keyword' ? ' choice-active' : ''}`}>
              <input type="radio" name="bag-condition" value="keyword" data-testid="luckybag-kind-keyword" checked={kind === 'keyword'} onChange={() => setKind('keyword')} />
              {t('control.luckyBag.keyword')}
            </label>
            <label className={`choice${kind === 'follow' ? ' choice-active' : ''}`}>
              <input type="radio" name="bag-condition" value="follow" data-testid="luckybag-kind-follow" checked={kind === 'follow'} onChange={() => setKind('follow')} />
              {t('control.luckyBag.follow')}
            </label>
          </div>
          {kind === 'keyword' ? (
            <div className="field console-keyword">
              <label htmlFor={keywordId}>{t('control.luckyBag.keywordLabel')}</label>
              <input id={keywordId} data-testid="luckybag-keyword" value={keyword} maxLength={20} placeholder={t('control.luckyBag.keywordPlaceholder')} onChange={(e) => setKeyword(e.target.value)} />
            </div>
          ) : null}
        </fieldset>
        <button type="submit" className="button button-small" data-testid="luckybag-start" disabled={action.busy}>
          {action.busy ? t('common.submitting') : t('control.luckyBag.start')}
        </button>
      </form>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </ConsoleCard>
  );
}
