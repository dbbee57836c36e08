// Pieces shared by the viewer's room and the streamer's console.
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useFormat } from '../shared/format';
import { useNow } from '../shared/usePolling';
import type { Room } from './useRoom';
import type { Chat, LuckyBag, RoomCounts } from './types';

/** Money is integer fen, shown as ¥x.xx. */
export function yuan(fen: number | null | undefined): string {
  const n = typeof fen === 'number' && Number.isFinite(fen) ? fen : 0;
  const sign = n < 0 ? '-' : '';
  return `${sign}¥${(Math.abs(n) / 100).toFixed(2)}`;
}

/** Whole seconds until `target` (0 once passed); null when `target` is not a date. */
export function useSecondsLeft(target: string | null | undefined): number | null {
  const now = useNow(1000);
  if (!target) return null;
  const at = Date.parse(target);
  if (!Number.isFinite(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** 75 → "01:15", 3725 → "1:02:05". */
export function clock(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/** A role from the server as a label (主播 / 助理 / 官方); '' for ordinary viewers. */
export function roleLabel(t: TFunction, role: string | undefined): string {
  if (role === 'streamer' || role === 'assistant' || role === 'operator') return t(`room.roles.${role}`);
  return '';
}

export function RoomCountsBar({ counts }: { counts: RoomCounts | null | undefined }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const c = counts ?? { online: 0, peak: 0, uv: 0, likes: 0 };
  return (
    <p className="room-counts" data-testid="room-counts" data-online={c.online} data-peak={c.peak} data-uv={c.uv} data-likes={c.likes}>
      <span>
        <span className="room-count-label">{t('room.counts.online')}</span> <strong>{fmt.number(c.online)}</strong>
      </span>
      <span>
        <span className="room-count-label">{t('room.counts.peak')}</span> <strong>{fmt.number(c.peak)}</strong>
      </span>
      <span>
        <span className="room-count-label">{t('room.counts.uv')}</span> <strong>{fmt.number(c.uv)}</strong>
      </span>
    </p>
  );
}

/** The socket's state in words; nothing while connected. Never an endless spinner: see RoomConnection. */
export function ConnectionNotice({ room }: { room: Room }) {
  const { t } = useTranslation();
  if (room.connection === 'open') return null;
  if (room.connection === 'unavailable') {
    return (
      <div className="room-connection room-connection-down" role="status" data-testid="room-connection" data-state="unavailable">
        <span>{t('room.unavailable')}</span>
        <button type="button" className="button button-ghost button-small" data-testid="room-retry" onClick={room.reconnect}>
          {t('common.retry')}
        </button>
      </div>
    );
  }
  return (
    <div className="room-connection" role="status" data-testid="room-connection" data-state={room.connection}>
      <span className="spinner spinner-small" aria-hidden="true" />
      <span>{room.connection === 'connecting' ? t('room.connecting') : t('room.reconnecting')}</span>
    </div>
  );
}

type ChatListProps = {
  chat: Chat[];
  myId?: string | null;
  thinned?: number;
  /** Extra buttons per message (the console's moderation). */
  actions?: (c: Chat) => ReactNode;
  empty: ReactNode;
  className?: string;
};

/** Messages, oldest first; follows the newest unless the reader scrolled up. */
export function ChatList({ chat, myId, thinned = 0, actions, empty, className }: ChatListProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const listRef = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  const [unread, setUnread] = useState(false);
  const lastId = chat.length ? chat[chat.length - 1].id : null;

  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    if (stick.current) {
      el.scrollTop = el.scrollHeight;
      setUnread(false);
    } else if (lastId) setUnread(true);
  }, [lastId]);

  const onScroll = () => {
    const el = listRef.current;
    if (!el) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (stick.current) setUnread(false);
  };

  const toBottom = () => {
    const el = listRef.current;
    if (!el) return;
    stick.current = true;
    el.scrollTop = el.scrollHeight;
    setUnread(false);
  };

  return (
    <div className={`chat-box${className ? ` ${className}` : ''}`}>
      <ol className="chat-list" data-testid="chat-list" ref={listRef} onScroll={onScroll} aria-live="off" aria-label={t('room.chatLabel')}>
        {chat.length === 0 ? <li className="chat-empty">{empty}</li> : null}
        {chat.map((c) => {
          const role = roleLabel(t, c.user?.role);
          const mine = !!myId && c.user?.id === myId;
          return (
            <li
              key={c.id}
              className={`chat-message${role ? ' chat-staff' : ''}${mine ? ' chat-mine' : ''}${c.priority ? ' chat-priority' : ''}`}
              data-testid="chat-message"
              data-message-id={c.id}
              data-user-id={c.user?.id}
            >
              <span className="chat-line">
                {role ? <span className={`chat-role chat-role-${c.user.role}`}>{role}</span> : null}
                <span className="chat-name">{c.user?.name || t('room.someone')}</span>
                <span className="chat-text">{c.text}</span>
              </span>
              {actions ? (
                <span className="chat-actions">
                  <time className="chat-time" dateTime={c.at}>
                    {fmt.moment(c.at)}
                  </time>
                  {actions(c)}
                </span>
              ) : null}
            </li>
          );
        })}
      </ol>
      {thinned > 0 ? (
        <p className="chat-thinned" data-testid="chat-thinned">
          {t('room.thinned', { count: thinned })}
        </p>
      ) : null}
      {unread ? (
        <button type="button" className="chat-unread" data-testid="chat-unread" onClick={toBottom}>
          {t('room.newMessages')}
        </button>
      ) : null}
    </div>
  );
}

async function sha256Hex(text: string): Promise<string | null> {
  try {
    if (!globalThis.crypto?.subtle) return null;
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  } catch {
    return null;
  }
}

/**
 * True when SHA-256(seed) is the commitment. The protocol does not name the hash, so a
 * mismatch says nothing (null: not shown); only a match is reported.
 */
export function useSeedMatches(bag: LuckyBag | null | undefined): boolean | null {
  const [ok, setOk] = useState<boolean | null>(null);
  const seed = bag?.seed;
  const commitment = bag?.commitment;
  useEffect(() => {
    setOk(null);
    if (!seed || !commitment) return;
    let live = true;
    void sha256Hex(seed).then((h) => {
      if (live && h) setOk(h === commitment.trim().toLowerCase() ? true : null);
    });
    return () => {
      live = false;
    };
  }, [seed, commitment]);
  return ok;
}

/** The commitment hash, the revealed seed, and how commit–reveal makes the draw checkable. */
export function Fairness({ bag }: { bag: LuckyBag }) {
  const { t } = useTranslation();
  const matches = useSeedMatches(bag);
  return (
    <div className="fairness">
      <p className="fairness-line">
        <span className="fairness-label">{t('room.luckyBag.commitment')}</span>
        <code className="hash" data-testid="luckybag-commitment" title={bag.commitment}>
          {bag.commitment}
        </code>
      </p>
      {bag.seed ? (
        <p className="fairness-line">
          <span className="fairness-label">{t('room.luckyBag.seed')}</span>
          <code className="hash" data-testid="luckybag-seed" title={bag.seed}>
            {bag.seed}
          </code>
          {matches ? (
            <span className="fairness-ok" data-testid="luckybag-verified">
              {t('room.luckyBag.verified')}
            </span>
          ) : null}
        </p>
      ) : null}
      <details className="fairness-help" data-testid="luckybag-fairness">
        <summary>{t('room.luckyBag.fairnessTitle')}</summary>
        <p>{t('room.luckyBag.fairnessBody')}</p>
      </details>
    </div>
  );
}

/** One card of the streamer's console, titled. */
export function ConsoleCard({ title, testId, children, aside }: { title: string; testId?: string; children: ReactNode; aside?: ReactNode }) {
  const id = useId();
  return (
    <section className="card console-card" aria-labelledby={id} data-testid={testId}>
      <div className="card-head">
        <h2 id={id}>{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}
