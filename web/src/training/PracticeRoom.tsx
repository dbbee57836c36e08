// The practice live's room (实训), inside the practice page: the push address for OBS/ffmpeg (the trainee
// only), the player once the stream is live, and the room as the server fills it: simulated viewers,
// simulated chat, simulated order ticker lines, and the trainee's own checked lines.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LivePlayer } from '../live/LivePlayer';
import { useRoom } from '../room/useRoom';
import { useSession } from '../session';
import type { PracticeSession } from './types';

type Audience = { viewers: number; chats: number; orders: number };
type Ticker = { key: number; buyer: string; product: string; quantity: number };

export function PracticeRoom({ session, onTrouble }: { session: PracticeSession; onTrouble: () => void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const room = useRoom(session.status === 'ended' ? null : session.id, user?.id ?? null);
  const [audience, setAudience] = useState<Audience | null>(null);
  const [orders, setOrders] = useState<Ticker[]>([]);
  useEffect(
    () =>
      room.subscribe((event) => {
        const ev = event as unknown as { type: string } & Record<string, unknown>;
        if (ev.type === 'practice.audience') setAudience({ viewers: Number(ev.viewers), chats: Number(ev.chats), orders: Number(ev.orders) });
        if (ev.type === 'purchase') setOrders((list) => [{ key: Date.now() + Math.random(), buyer: String(ev.buyer), product: String(ev.product), quantity: Number(ev.quantity) }, ...list].slice(0, 5));
      }),
    [room.subscribe],
  );
  const chat = room.chat.slice(-12);

  return (
    <section className="card training-room" data-testid="training-practice-room" data-session={session.id} data-status={session.status}>
      <h2>{t('training.practice.roomTitle')}</h2>
      {session.push ? (
        <dl className="training-push" data-testid="training-push">
          <div><dt>{t('training.practice.pushServer')}</dt><dd><code data-testid="training-push-server">{session.push.server}</code></dd></div>
          <div><dt>{t('training.practice.pushKey')}</dt><dd><code data-testid="training-push-key">{session.push.streamKey}</code></dd></div>
        </dl>
      ) : null}
      {session.status === 'live' && (session.playback.flv || session.playback.hls) ? (
        <LivePlayer flv={session.playback.flv} hls={session.playback.hls} className="training-player" onTrouble={onTrouble} testId="training-player" />
      ) : (
        <p className="muted" data-testid="training-player-waiting">{session.status === 'ended' ? t('training.practice.streamEnded') : t('training.practice.waitingStream')}</p>
      )}
      {session.status !== 'ended' ? (
        <>
          <p className="training-room-stats">
            <span data-testid="training-room-viewers">{t('training.practice.roomViewers', { n: audience?.viewers ?? 0 })}</span>
            <Link to={`/live/${encodeURIComponent(session.id)}`} data-testid="training-room-link">{t('training.practice.openRoom')}</Link>
          </p>
          <ul className="training-room-orders" data-testid="training-room-orders">
            {orders.map((o) => <li key={o.key}>{t('training.practice.ordered', { name: o.buyer, item: o.product, quantity: o.quantity })}</li>)}
          </ul>
          <ul className="training-room-chat" data-testid="training-room-chat" aria-live="polite">
            {chat.map((m) => (
              <li key={m.id} className={m.user.role === 'streamer' ? 'is-trainee' : undefined}>
                <strong>{m.user.name}</strong>：{m.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
