import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import type { PublicSessionDetail } from '../types';
import { useSession } from '../session';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { label } from '../shared/labels';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { safeImageUrl } from '../shared/urls';
import { listFrom, pick, useApi } from '../shared/useApi';
import { usePolling } from '../shared/usePolling';
import { useRoom, type Room } from './useRoom';
import type { Chat, CouponDrop, LuckyBag, RoomProduct, RoomState } from './types';
import { FlashSaleConsoleCard, RoomShopCard } from './ShopConsole';
import { useRoomShop } from '../shop/useRoomShop';
import { ChatList, clock, ConnectionNotice, ConsoleCard, Fairness, roleLabel, RoomCountsBar, useSecondsLeft, yuan } from './parts';
import { useAction, yuanToFen } from '../shop/parts';

const SLOW_MODE_CHOICES = [0, 3, 5, 10, 30];
const MUTE_MINUTES = 10;
const LOG_POLL_MS = 15_000;


// ---------------------------------------------------------------------------
// Chat with moderation.

function ChatCard({ sessionId, room, onModerated }: { sessionId: string; room: Room; onModerated: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const myId = room.you?.id ?? null;

  const remove = (c: Chat) =>
    void action.run(() => post(path`/api/rooms/${sessionId}/chat/${c.id}/delete`, {}), t('control.chat.deleted')).then((r) => r !== undefined && onModerated());
  const mute = (c: Chat) =>
    void action
      .run(() => post(path`/api/rooms/${sessionId}/mutes`, { userId: c.user.id, minutes: MUTE_MINUTES, kind: 'mute' }), t('control.chat.muted', { name: c.user.name, minutes: MUTE_MINUTES }))
      .then((r) => r !== undefined && onModerated());
  const ban = (c: Chat) => {
    if (!window.confirm(t('control.chat.confirmBan', { name: c.user.name }))) return;
    void action.run(() => post(path`/api/rooms/${sessionId}/mutes`, { userId: c.user.id, kind: 'ban' }), t('control.chat.banned', { name: c.user.name })).then((r) => r !== undefined && onModerated());
  };

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value) return;
    setSending(true);
    try {
      await room.sendChat(value);
      setText('');
    } catch {
      // shown below from room.lastError
    } finally {
      setSending(false);
    }
  };

  return (
    <ConsoleCard title={t('control.chat.title')} testId="console-chat">
      <ChatList
        chat={room.chat}
        myId={myId}
        thinned={room.thinned}
        className="console-chat-box"
        empty={room.connection === 'open' ? t('room.noChat') : room.connection === 'unavailable' ? t('room.unavailableChat') : t('room.connecting')}
        actions={(c) => {
          const staff = !!roleLabel(t, c.user?.role) || c.user?.id === myId;
          return (
            <>
              <button type="button" className="link-button" data-testid="msg-delete" disabled={action.busy} onClick={() => remove(c)}>
                {t('control.chat.delete')}
              </button>
              {!staff ? (
                <>
                  <button type="button" className="link-button" data-testid="msg-mute" disabled={action.busy} onClick={() => mute(c)}>
                    {t('control.chat.mute', { minutes: MUTE_MINUTES })}
                  </button>
                  <button type="button" className="link-button link-danger" data-testid="msg-ban" disabled={action.busy} onClick={() => ban(c)}>
                    {t('control.chat.ban')}
                  </button>
                </>
              ) : null}
            </>
          );
        }}
      />
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
      <form className="composer-form console-composer" onSubmit={(e) => void send(e)}>
        <input
          className="composer-input"
          data-testid="console-chat-input"
          value={text}
          maxLength={100}
          autoComplete="off"
          aria-label={t('control.chat.say')}
          placeholder={t('control.chat.say')}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button button-small" data-testid="console-chat-send" disabled={sending || !text.trim() || room.connection !== 'open'}>
          {t('room.send')}
        </button>
      </form>
      {room.lastError ? (
        <p className="chat-error" role="alert" data-testid="chat-error" data-code={room.lastError.code}>
          {room.lastError.message}
        </p>
      ) : null}
    </ConsoleCard>
  );
}

// ---------------------------------------------------------------------------
// Products: pin / unpin.

function ProductRow({ product, pinned, busy, onPin }: { product: RoomProduct; pinned: boolean; busy: boolean; onPin: () => void }) {
  const { t } = useTranslation();
  const img = safeImageUrl(product.image);
  return (
    <li className={`console-product${pinned ? ' is-pinned' : ''}`} data-testid="console-product" data-product-id={product.id}>
      <span className="cart-link-no">{product.link}</span>
      {img ? <img className="room-product-img" src={img} alt="" loading="lazy" referrerPolicy="no-referrer" /> : <span className="room-product-img room-product-img-empty" aria-hidden="true" />}
      <div className="cart-body">
        <p className="cart-title">{product.title}</p>
        <p className="room-price">
          {typeof product.livePriceFen === 'number' ? (
            <>
              <span className="price">{yuan(product.livePriceFen)}</span> <s className="muted price-was">{yuan(product.priceFen)}</s>
            </>
          ) : (
            <span className="price">{yuan(product.priceFen)}</span>
          )}
        </p>
      </div>
      {pinned ? (
        <span className="pinned-badge">{t('room.explaining')}</span>
      ) : (
        <button type="button" className="button button-secondary button-small" data-testid="pin-product" disabled={busy} onClick={onPin}>
          {t('control.products.pin')}
        </button>
      )}
    </li>
  );
}

function ProductsCard({ sessionId, state }: { sessionId: string; state: RoomState | null }) {
  const { t } = useTranslation();
  const action = useAction();
  const products = state?.products ?? [];
  const pinned = state?.pinned ?? null;
  const pin = (productId: string | null) => void action.run(() => post(path`/api/rooms/${sessionId}/pin`, { productId }));
  return (
    <ConsoleCard title={t('control.products.title')} testId="console-products">
      {pinned ? (
        <div className="console-pinned" data-testid="console-pinned" data-product-id={pinned.id}>
          <span>
            <span className="pinned-badge">{t('room.explaining')}</span> {pinned.title}
          </span>
          <button type="button" className="button button-ghost button-small" data-testid="unpin" disabled={action.busy} onClick={() => pin(null)}>
            {t('control.products.unpin')}
          </button>
        </div>
      ) : (
        <p className="muted">{t('control.products.nonePinned')}</p>
      )}
      {!state ? null : products.length === 0 ? (
        <Empty testId="console-products-empty">{t('control.products.empty')}</Empty>
      ) : (
        <ol className="console-product-list">
          {products.map((p) => (
            <ProductRow key={p.id} product={p} pinned={p.id === pinned?.id} busy={action.busy} onPin={() => pin(p.id)} />
          ))}
        </ol>
      )}
      <FormError error={action.error} />
    </ConsoleCard>
  );
}

// ---------------------------------------------------------------------------
// Announcement and settings.

function AnnouncementCard({ sessionId, state }: { sessionId: string; state: RoomState | null }) {
  const { t } = useTranslation();
  const action = useAction();
  const current = state?.announcement ?? null;
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const inputId = useId();
  useEffect(() => {
    if (!touched) setText(current ?? '');
  }, [current, touched]);

  const save = (value: string | null) =>
    void action.run(() => post(path`/api/rooms/${sessionId}/announcement`, { text: value }), value ? t('control.announcement.saved') : t('control.announcement.cleared')).then((r) => {
      if (r !== undefined) setTouched(false);
    });

  return (
    <ConsoleCard title={t('control.announcement.title')} testId="console-announcement">
      <p className="muted console-current" data-testid="console-announcement-current">
        {current ? current : t('control.announcement.none')}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save(text.trim() || null);
        }}
      >
        <div className="field">
          <label htmlFor={inputId}>{t('control.announcement.label')}</label>
          <input
            id={inputId}
            data-testid="announcement-input"
            value={text}
            maxLength={200}
            placeholder={t('control.announcement.placeholder')}
            onChange={(e) => {
              setTouched(true);
              setText(e.target.value);
            }}
          />
        </div>
        <div className="button-row">
          <button type="submit" className="button button-small" data-testid="announcement-submit" disabled={action.busy}>
            {t('control.announcement.submit')}
          </button>
          {current ? (
            <button type="button" className="button button-ghost button-small" data-testid="announcement-clear" disabled={action.busy} onClick={() => save(null)}>
              {t('control.announcement.clear')}
            </button>
          ) : null}
        </div>
      </form>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </ConsoleCard>
  );
}

function SettingsCard({ sessionId, state }: { sessionId: string; state: RoomState | null }) {
  const { t } = useTranslation();
  const action = useAction();
  const slowId = useId();
  const followersId = useId();
  const settings = state?.settings;
  const [draft, setDraft] = useState<{ slowModeSeconds?: number; followersOnly?: boolean }>({});
  const slow = draft.slowModeSeconds ?? settings?.slowModeSeconds ?? 0;
  const followersOnly = draft.followersOnly ?? settings?.followersOnly ?? false;
  // Once the room reflects a change, forget the draft.
  useEffect(() => setDraft({}), [settings?.slowModeSeconds, settings?.followersOnly]);

  const save = (patch: { slowModeSeconds?: number; followersOnly?: boolean }) => {
    setDraft((d) => ({ ...d, ...patch }));
    void action.run(() => post(path`/api/rooms/${sessionId}/settings`, patch), t('control.settings.saved')).then((r) => {
      if (r === undefined) setDraft({});
    });
  };
  const choices = SLOW_MODE_CHOICES.includes(slow) ? SLOW_MODE_CHOICES : [...SLOW_MODE_CHOICES, slow].sort((a, b) => a - b);

  return (
    <ConsoleCard title={t('control.settings.title')} testId="console-settings">
      <div className="field">
        <label htmlFor={slowId}>{t('control.settings.slowMode')}</label>
        <select id={slowId} data-testid="slow-mode-select" value={slow} disabled={!settings || action.busy} onChange={(e) => save({ slowModeSeconds: Number(e.target.value) })}>
          {choices.map((s) => (
            <option key={s} value={s}>
              {s === 0 ? t('control.settings.slowOff') : t('control.settings.slowSeconds', { seconds: s })}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-checkbox">
        <input id={followersId} type="checkbox" data-testid="followers-only" checked={followersOnly} disabled={!settings || action.busy} onChange={(e) => save({ followersOnly: e.target.checked })} />
        <label htmlFor={followersId}>{t('control.settings.followersOnly')}</label>
      </div>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </ConsoleCard>
  );
}

// ---------------------------------------------------------------------------
// Coupon drops.

function NumberInput({ label: text, value, onChange, testId, min = 1, step, inputMode = 'numeric' }: { label: string; value: string; onChange: (v: string) => void; testId: string; min?: number; step?: string; inputMode?: 'numeric' | 'decimal' }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{text}</label>
      <input id={id} data-testid={testId} type="number" inputMode={inputMode} min={min} step={step} value={value} onChange={(e) => onChange(e.target.value)} required />
    </div>
  );
}

function positiveInt(v: string): number | null {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : null;
}

function CurrentCoupon({ coupon }: { coupon: CouponDrop }) {
  const { t } = useTranslation();
  const left = useSecondsLeft(coupon.endsAt);
  return (
    <div className="console-current-box" data-testid="console-coupon" data-coupon-id={coupon.id}>
      <p>
        <strong>{coupon.title}</strong> · {t('control.coupon.amountOff', { amount: yuan(coupon.amountOffFen) })}
      </p>
      <p className="muted">
        <span data-testid="console-coupon-remaining">{t('room.coupon.remaining', { remaining: coupon.remaining, total: coupon.total })}</span>
        {left !== null ? ` · ${left > 0 ? t('room.coupon.endsIn', { time: clock(left) }) : t('room.coupon.over')}` : ''}
      </p>
    </div>
  );
}

function CouponCard({ sessionId, state }: { sessionId: string; state: RoomState | null }) {
  const { t } = useTranslation();
  const action = useAction();
  const titleId = useId();
  const [title, setTitle] = useState('');
  const [amount, setAmount] = useState('5');
  const [total, setTotal] = useState('100');
  const [seconds, setSeconds] = useState('60');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const amountOffFen = yuanToFen(amount);
    const totalN = positiveInt(total);
    const secondsN = positiveInt(seconds);
    if (!title.trim()) return action.fail(t('control.coupon.needTitle'));
    if (amountOffFen === null || amountOffFen <= 0) return action.fail(t('control.coupon.badAmount'));
    if (totalN === null) return action.fail(t('control.coupon.badTotal'));
    if (secondsN === null) return action.fail(t('control.coupon.badSeconds'));
    void action.run(() => post(path`/api/rooms/${sessionId}/coupon-drops`, { title: title.trim(), amountOffFen, total: totalN, seconds: secondsN }), t('control.coupon.started')).then((r) => {
      if (r !== undefined) setTitle('');
    });
  };

  return (
    <ConsoleCard title={t('control.coupon.title')} testId="console-coupon-card">
      {state?.coupon ? <CurrentCoupon coupon={state.coupon} /> : null}
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={titleId}>{t('control.coupon.name')}</label>
          <input id={titleId} data-testid="coupon-title" value={title} maxLength={40} placeholder={t('control.coupon.namePlaceholder')} onChange={(e) => setTitle(e.target.value)} required />
        </div>
        <div className="console-form-row">
          <NumberInput label={t('control.coupon.amount')} value={amount} onChange={setAmount} testId="coupon-amount-input" min={0.01} step="0.01" inputMode="decimal" />
          <NumberInput label={t('control.coupon.total')} value={total} onChange={setTotal} testId="coupon-total" />
          <NumberInput label={t('control.coupon.seconds')} value={seconds} onChange={setSeconds} testId="coupon-seconds" />
        </div>
        <button type="submit" className="button button-small" data-testid="coupon-start" disabled={action.busy}>
          {action.busy ? t('common.submitting') : t('control.coupon.start')}
        </button>
      </form>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </ConsoleCard>
  );
}

// ---------------------------------------------------------------------------
// Lucky bags: start, draw, audit.

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

function CurrentBag({ sessionId, bag }: { sessionId: string; bag: LuckyBag }) {
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

function LuckyBagCard({ sessionId, state }: { sessionId: string; state: RoomState | null }) {
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

// ---------------------------------------------------------------------------
// Moderation log.

type LogRow = { key: string; at: string | null; actor: string; action: string; target: string; detail: string };

function logRows(data: unknown): LogRow[] {
  return listFrom<unknown>(data, 'entries', 'log', 'items', 'actions').map((e, i) => ({
    key: String(pick(e, 'id') ?? i),
    at: (pick(e, 'at', 'createdAt', 'created_at', 'time') as string | null) ?? null,
    actor: String(pick(e, 'actor.name', 'actor.displayName', 'actorName', 'actor_name', 'by.name', 'actor.id', 'actorId', 'actor') ?? ''),
    action: String(pick(e, 'action', 'kind', 'type') ?? ''),
    target: String(pick(e, 'target.name', 'target.displayName', 'targetName', 'target_name', 'user.name', 'userName', 'target.id', 'targetId', 'userId', 'target') ?? ''),
    detail: detailText(e),
  }));
}

/** The reason or text when there is one, else the detail's plain values ("minutes: 10 · words: …"). */
function detailText(e: unknown): string {
  const direct = pick(e, 'reason', 'detail.reason', 'text', 'detail.text', 'messageText');
  if (direct !== null) return String(direct);
  let detail = (e as { detail?: unknown } | null)?.detail;
  if (typeof detail === 'string') {
    try {
      detail = JSON.parse(detail);
    } catch {
      return detail as string;
    }
  }
  if (!detail || typeof detail !== 'object') return '';
  return Object.entries(detail as Record<string, unknown>)
    .filter(([k, v]) => v !== null && v !== undefined && v !== '' && !/Id$/.test(k) && k !== 'commitment')
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join('、') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

function ModerationLog({ sessionId, nonce }: { sessionId: string; nonce: number }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const log = usePolling<unknown>(path`/api/rooms/${sessionId}/moderation-log`, LOG_POLL_MS);
  const refresh = log.refresh;
  useEffect(() => {
    if (nonce > 0) refresh();
  }, [nonce, refresh]);
  const rows = logRows(log.data);
  const lookup = t as unknown as (k: string, o: { defaultValue: string }) => string;
  return (
    <ConsoleCard
      title={t('control.log.title')}
      testId="moderation-log"
      aside={
        <button type="button" className="button button-ghost button-small" data-testid="moderation-log-refresh" onClick={refresh}>
          {t('control.log.refresh')}
        </button>
      }
    >
      {log.error && log.data === undefined ? (
        <ErrorNotice error={log.error} onRetry={refresh} />
      ) : log.data === undefined ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty testId="moderation-log-empty">{t('control.log.empty')}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('control.log.time')}</th>
                <th>{t('control.log.actor')}</th>
                <th>{t('control.log.action')}</th>
                <th>{t('control.log.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} data-testid="moderation-log-entry" data-action={r.action}>
                  <td>{r.at ? fmt.moment(r.at) : ''}</td>
                  <td>{r.actor}</td>
                  <td>{r.action ? lookup(`control.log.actions.${r.action}`, { defaultValue: lookup(`shop.logActions.${r.action}`, { defaultValue: r.action }) }) : ''}</td>
                  <td className="wrap log-detail">
                    {r.target ? <strong>{r.target}</strong> : null}
                    {r.target && r.detail ? ' · ' : null}
                    {r.detail}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.error && log.data !== undefined ? <p className="field-hint">{log.error.message}</p> : null}
    </ConsoleCard>
  );
}

// ---------------------------------------------------------------------------
// The page.

export function ConsolePage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { id = '' } = useParams();
  const { user } = useSession();
  const detail = useApi<PublicSessionDetail>(id ? path`/api/live-sessions/${id}` : null);
  const room = useRoom(id || null, user?.id ?? null);
  const [logNonce, setLogNonce] = useState(0);
  const shop = useRoomShop(id, room);
  const state = room.state;
  const session = detail.data?.session;
  const reloadDetail = detail.reload;

  // Keep the header's status in step with the room's `status` events.
  useEffect(() => room.subscribe((ev) => (ev.type === 'status' ? reloadDetail() : undefined)), [room.subscribe, reloadDetail]);

  if (detail.status === 'error' && !detail.data) {
    if (detail.error.status === 404 || detail.error.status === 400) {
      return (
        <div className="page" data-testid="console-page">
          <div className="card state-notfound" role="alert" data-testid="session-not-found">
            <h1>{t('session.notFoundTitle')}</h1>
            <p className="muted">{t('session.notFoundBody')}</p>
            <Link className="button" to="/streamer">
              {t('session.backToConsole')}
            </Link>
          </div>
        </div>
      );
    }
    return <ErrorNotice error={detail.error} onRetry={detail.reload} />;
  }

  const status = state?.status ?? session?.status;
  const notStaff = room.you && room.you.role === 'viewer';

  return (
    <div className="page page-console" data-testid="console-page" data-connection={room.connection}>
      <p className="breadcrumb">
        <Link to={path`/streamer/sessions/${id}`}>← {t('control.backToSession')}</Link>
      </p>
      <header className="session-header">
        <div>
          <p className="eyebrow">{t('control.title')}</p>
          <h1 data-testid="console-title">{session?.title ?? '…'}</h1>
          {status ? (
            <p className="status-line">
              <StatusBadge status={status}>{label(t, 'status', status)}</StatusBadge>
              {session?.startedAt && status === 'live' ? <span className="muted">{t('session.liveSince', { time: fmt.dateTime(session.startedAt) })}</span> : null}
            </p>
          ) : null}
        </div>
        <div className="console-counts">
          <RoomCountsBar counts={state?.counts} />
          <p className="muted console-likes" data-testid="console-likes">
            {t('control.likes', { formatted: fmt.number(state?.counts.likes ?? 0) })}
          </p>
          <Link className="button button-ghost button-small" to={path`/watch/${id}`} data-testid="watch-link">
            {t('session.viewerPage')}
          </Link>
        </div>
      </header>
      <ConnectionNotice room={room} />
      {notStaff ? (
        <p className="notice notice-warning" role="status" data-testid="console-not-staff">
          {t('control.notStaff')}
        </p>
      ) : null}
      {room.source === 'http' && room.connection !== 'open' ? (
        <p className="notice" role="status" data-testid="console-http-fallback">
          {t('control.httpFallback')}
        </p>
      ) : null}

      <div className="console-grid">
        <div className="console-col console-col-chat">
          <ChatCard sessionId={id} room={room} onModerated={() => setLogNonce((n) => n + 1)} />
          <ModerationLog sessionId={id} nonce={logNonce} />
        </div>
        <div className="console-col">
          <RoomShopCard sessionId={id} brandOrgId={session?.brand?.id ?? null} shop={shop} />
          <ProductsCard sessionId={id} state={state} />
          <AnnouncementCard sessionId={id} state={state} />
          <SettingsCard sessionId={id} state={state} />
        </div>
        <div className="console-col">
          <FlashSaleConsoleCard sessionId={id} shop={shop} />
          <CouponCard sessionId={id} state={state} />
          <LuckyBagCard sessionId={id} state={state} />
        </div>
      </div>
    </div>
  );
}

