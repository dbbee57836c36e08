// The streamer's cockpit (中控台) for a live: the live picture, the live numbers, the chat with one-tap
// moderation, the 小黄车 with one-tap pinning and presets launched in one tap; below, the full tools.
// Assistants (场控) see the same page with only what their rights allow (docs/COCKPIT.md).
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { AuctionConsoleCard } from '../auctions/AuctionConsole';
import type { PublicSessionDetail } from '../types';
import { useSession } from '../session';
import { useFormat } from '../shared/format';
import { label } from '../shared/labels';
import { ErrorNotice, StatusBadge } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { ConnectionNotice } from '../room/parts';
import { FlashSaleConsoleCard, RoomShopCard } from '../room/ShopConsole';
import { useRoom } from '../room/useRoom';
import { useRoomShop } from '../shop/useRoomShop';
import { AssistantsPanel } from './AssistantsPanel';
import { CartPanel } from './CartPanel';
import { ChatPanel } from './ChatPanel';
import { CouponCard } from './CouponCard';
import { LuckyBagCard } from './LuckyBagCard';
import { ModerationLog } from './ModerationLog';
import { Numbers } from './Numbers';
import { PresetsPanel } from './PresetsPanel';
import { Preview } from './Preview';
import { AnnouncementCard, SettingsCard } from './RoomSettingsCards';
import { useCockpit } from './useCockpit';
import './cockpit.css';

export function CockpitPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { id = '' } = useParams();
  const { user } = useSession();
  const detail = useApi<PublicSessionDetail>(id ? path`/api/live-sessions/${id}` : null);
  const room = useRoom(id || null, user?.id ?? null);
  const cockpit = useCockpit(id, room);
  const [logNonce, setLogNonce] = useState(0);
  const shop = useRoomShop(id, room);
  const state = room.state;
  const session = detail.data?.session;
  const reloadDetail = detail.reload;
  const { can } = cockpit;

  // Keep the header's status (and the preview's stream) in step with the room's `status` events.
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
  const role = cockpit.refused ? null : (cockpit.me.data?.role ?? null);
  const notStaff = (room.you && room.you.role === 'viewer') || cockpit.refused;
  const isStreamer = role === 'streamer';

  return (
    <div className="page page-console cockpit" data-testid="console-page" data-connection={room.connection} data-role={role ?? ''} data-rights={cockpit.rights.join(' ')}>
      <header className="cockpit-bar">
        <div className="cockpit-bar-title">
          <Link className="cockpit-back" to={isStreamer ? path`/streamer/sessions/${id}` : role === 'operator' ? '/admin' : '/assist'} aria-label={t('control.backToSession')}>
            ←
          </Link>
          <div>
            <p className="eyebrow">
              {t('control.title')}
              {role === 'assistant' ? <span className="tag cockpit-role" data-testid="cockpit-role">{t('cockpit.assistantBadge')}</span> : null}
            </p>
            <h1 data-testid="console-title">{session?.title ?? '…'}</h1>
          </div>
        </div>
        <div className="cockpit-bar-side">
          {status ? <StatusBadge status={status}>{label(t, 'status', status)}</StatusBadge> : null}
          {session?.startedAt && status === 'live' ? <span className="muted cockpit-since">{t('session.liveSince', { time: fmt.dateTime(session.startedAt) })}</span> : null}
          <Link className="button button-ghost button-small" to={path`/watch/${id}`} data-testid="watch-link">
            {t('session.viewerPage')}
          </Link>
          {role && !notStaff ? (
            <Link className="button button-ghost button-small" to={path`/analytics/sessions/${id}/screen`} target="_blank" rel="noopener" data-testid="analytics-screen-link">
              {t('analytics.screen.open')}
            </Link>
          ) : null}
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

      <div className="cockpit-stage">
        <div className="cockpit-area-live">
          <Preview status={status} playback={detail.data?.playback ?? null} onTrouble={reloadDetail} />
          <Numbers counts={state?.counts} numbers={cockpit.numbers} />
        </div>
        <div className="cockpit-area-chat">
          <ChatPanel sessionId={id} room={room} canModerate={can('moderate')} onModerated={() => setLogNonce((n) => n + 1)} />
        </div>
        <div className="cockpit-area-act">
          {can('flash_sales') || can('coupons') || can('lucky_bags') || can('presets') ? (
            <PresetsPanel
              sessionId={id}
              shop={shop}
              can={can}
              onLaunched={() => {
                shop.reload();
                cockpit.refreshNumbers();
              }}
            />
          ) : null}
          <CartPanel sessionId={id} state={state} canPin={can('products')} />
        </div>
      </div>

      <h2 className="cockpit-section-title">{t('cockpit.moreTools')}</h2>
      <div className="cockpit-tools">
        {can('products') ? <RoomShopCard sessionId={id} brandOrgId={session?.brand?.id ?? null} shop={shop} /> : null}
        {can('flash_sales') ? <FlashSaleConsoleCard sessionId={id} shop={shop} /> : null}
        {can('flash_sales') ? <AuctionConsoleCard sessionId={id} brandOrgId={session?.brand?.id ?? null} /> : null}
        {can('coupons') ? <CouponCard sessionId={id} state={state} /> : null}
        {can('lucky_bags') ? <LuckyBagCard sessionId={id} state={state} /> : null}
        {can('moderate') ? <AnnouncementCard sessionId={id} state={state} /> : null}
        {can('moderate') ? <SettingsCard sessionId={id} state={state} /> : null}
        {role ? <ModerationLog sessionId={id} nonce={logNonce} /> : null}
        {isStreamer ? <AssistantsPanel /> : null}
      </div>
    </div>
  );
}
