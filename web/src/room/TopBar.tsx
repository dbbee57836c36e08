// The immersive room's top bar, over the video: leave, the streamer's chip (with the follow button
// the room adds), and the online count. Neighbour slides and ended lives show it without a room.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { LiveSession } from '../types';
import { useFormat } from '../shared/format';
import type { RoomCounts } from './types';
import { IconBack } from './immersiveIcons';

/** Compact numbers, for useCompact and the likes line's {{count, number}}. */
const COMPACT = { notation: 'compact', maximumFractionDigits: 1 } as const;

/** 12345 → "1.2万" / "12K": the chip has room for a few characters only. */
export function useCompact() {
  const { i18n } = useTranslation();
  const format = new Intl.NumberFormat(i18n.language, COMPACT);
  return (n: number) => format.format(n);
}

type TopBarProps = {
  session: LiveSession;
  /** The room's counts (live): online, peak, unique viewers and likes. */
  counts?: RoomCounts | null;
  /** Without a room (neighbours, ended lives): the session detail's viewer count, if any. */
  viewers?: number | null;
  /** The follow button, from the room. */
  follow?: ReactNode;
};

export function ImmersiveTopBar({ session, counts, viewers, follow }: TopBarProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const compact = useCompact();
  const name = session.streamer?.displayName || '?';
  const online = counts ? counts.online : viewers;
  return (
    <div className="imm-top">
      <Link className="imm-round imm-back" to="/" aria-label={t('immersive.back')} data-testid="room-back">
        <IconBack />
      </Link>
      <div className="imm-chip" data-testid="watch-streamer">
        <span className="imm-avatar" aria-hidden="true">
          {Array.from(name)[0]}
        </span>
        <span className="imm-chip-text">
          <span className="imm-chip-name">{name}</span>
          <span className="imm-chip-sub" data-testid="watch-title" title={session.title}>
            {counts && counts.likes > 0 ? t('immersive.likes', { count: counts.likes, formatParams: { count: COMPACT } }) : session.title}
          </span>
        </span>
        {follow}
      </div>
      {typeof online === 'number' && session.status === 'live' ? (
        <span
          className="imm-online"
          aria-label={t('immersive.onlineLabel')}
          title={t('watch.viewers', { formatted: fmt.number(online) })}
          data-testid={counts ? 'room-counts' : 'watch-viewers'}
          data-count={online}
          data-online={counts?.online}
          data-peak={counts?.peak}
          data-uv={counts?.uv}
          data-likes={counts?.likes}
        >
          {t('immersive.online', { formatted: compact(online) })}
        </span>
      ) : null}
    </div>
  );
}
