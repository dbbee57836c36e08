// The immersive room's bottom bar, over the video: the 小黄车, the chat input, share, and likes with
// floating hearts; the chat rules, errors and the room's notices just above it.
import { useRef, useState, type CSSProperties, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session';
import { IconCart, IconClose, IconHeart } from '../shared/icons';
import type { Room } from './useRoom';
import type { RoomState } from './types';
import { noticeText } from './popups';
import { IconShare } from './immersiveIcons';


type Heart = { key: number; dx: number; hue: number };
const HEARTS_MAX = 16;

export function LikeButton({ room, likes }: { room: Room; likes: number }) {
  const { t, i18n } = useTranslation();
  const [hearts, setHearts] = useState<Heart[]>([]);
  const counter = useRef(0);
  const compact = new Intl.NumberFormat(i18n.language, { notation: 'compact', maximumFractionDigits: 1 }).format(likes);

  const tap = () => {
    room.like(1);
    const key = ++counter.current;
    setHearts((list) => [...list.slice(-(HEARTS_MAX - 1)), { key, dx: Math.round(Math.random() * 40 - 20), hue: Math.round(Math.random() * 40) }]);
    setTimeout(() => setHearts((list) => list.filter((h) => h.key !== key)), 1400);
  };

  return (
    <div className="like-wrap">
      <button type="button" className="room-icon-button like-button" data-testid="like-button" aria-label={t('room.like')} onClick={tap}>
        <IconHeart />
        <span className="like-count" data-testid="like-count" data-count={likes}>
          {compact}
        </span>
      </button>
      <span className="hearts" aria-hidden="true">
        {hearts.map((h) => (
          <span key={h.key} className="heart" style={{ '--dx': `${h.dx}px`, '--hue': `${h.hue}deg` } as CSSProperties}>
            <IconHeart />
          </span>
        ))}
      </span>
    </div>
  );
}

type BottomBarProps = {
  room: Room;
  state: RoomState | null;
  loginHref: string;
  cartCount: number;
  onCart: (() => void) | null;
  onShare: () => void;
  boxRef: (el: HTMLDivElement | null) => void;
};

export function BottomBar({ room, state, loginHref, cartCount, onCart, onShare, boxRef }: BottomBarProps) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const open = room.connection === 'open';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value || busy) return;
    setBusy(true);
    try {
      await room.sendChat(value);
      setText('');
    } catch {
      // room.lastError has the server's message; the text stays for another try
    } finally {
      setBusy(false);
    }
  };

  const settings = state?.settings;
  return (
    <div className="imm-bottom composer" ref={boxRef}>
      {user && settings && (settings.slowModeSeconds > 0 || settings.followersOnly) ? (
        <p className="composer-rules" data-testid="chat-rules">
          {settings.slowModeSeconds > 0 ? <span>{t('room.slowMode', { seconds: settings.slowModeSeconds })}</span> : null}
          {settings.followersOnly ? <span>{t('room.followersOnly')}</span> : null}
        </p>
      ) : null}
      {room.lastError ? (
        <p className="chat-error" role="alert" data-testid="chat-error" data-code={room.lastError.code}>
          <span>{room.lastError.message}</span>
          <button type="button" className="icon-close icon-close-small" aria-label={t('room.close')} onClick={room.clearError}>
            <IconClose />
          </button>
        </p>
      ) : null}
      {room.notice && room.notice.code !== 'LUCKYBAG_WON' ? (
        <p className="room-notice" role="status" data-testid="room-notice" data-code={room.notice.code}>
          <span>{noticeText(t, room.notice)}</span>
          <button type="button" className="icon-close icon-close-small" aria-label={t('room.close')} onClick={room.dismissNotice}>
            <IconClose />
          </button>
        </p>
      ) : null}
      <div className="composer-row">
        {onCart ? (
          <button type="button" className="room-icon-button cart-button" data-testid="cart-button" aria-label={t('room.cart')} onClick={onCart}>
            <IconCart />
            <span className="cart-count" data-testid="cart-count">
              {cartCount}
            </span>
          </button>
        ) : null}
        {user ? (
          <form className="composer-form" onSubmit={(e) => void submit(e)}>
            <input
              className="composer-input"
              data-testid="chat-input"
              value={text}
              maxLength={100}
              enterKeyHint="send"
              autoComplete="off"
              aria-label={t('room.chatPlaceholder')}
              placeholder={open ? t('immersive.chatPlaceholder') : t('room.unavailableShort')}
              onChange={(e) => setText(e.target.value)}
            />
            {text.trim() ? (
              <button type="submit" className="button button-small composer-send" data-testid="chat-send" disabled={busy || !open}>
                {t('room.send')}
              </button>
            ) : null}
          </form>
        ) : (
          <Link className="composer-login" to={loginHref} data-testid="chat-login">
            {t('room.loginToChat')}
          </Link>
        )}
        <button type="button" className="room-icon-button imm-share-button" data-testid="share-button" aria-label={t('immersive.share')} onClick={onShare}>
          <IconShare />
        </button>
        <LikeButton room={room} likes={state?.counts.likes ?? 0} />
      </div>
    </div>
  );
}
