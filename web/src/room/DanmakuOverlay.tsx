// The danmaku over the video, lower left: the room's chat, newest at the bottom, fading out upwards
// (as Douyin and Taobao Live show it), with "someone just bought" above it. The viewer can hide it.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IconCart } from '../shared/icons';
import type { Room } from './useRoom';
import type { Purchase } from './types';
import { ChatList } from './parts';
import { IconChat } from './immersiveIcons';

const DANMAKU_STORAGE = 'zhibo.danmaku';
const TICKER_MS = 3000;

function readDanmakuPref(): boolean {
  try {
    return localStorage.getItem(DANMAKU_STORAGE) !== 'off';
  } catch {
    return true;
  }
}

/** Show or hide the danmaku; remembered on this device. */
export function useDanmakuPref(): [boolean, () => void] {
  const [on, setOn] = useState(readDanmakuPref);
  const toggle = () =>
    setOn((v) => {
      try {
        localStorage.setItem(DANMAKU_STORAGE, v ? 'off' : 'on');
      } catch {
        // not remembered
      }
      return !v;
    });
  return [on, toggle];
}

export function DanmakuToggle({ on, onToggle }: { on: boolean; onToggle: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="imm-pill danmaku-toggle" data-testid="danmaku-toggle" aria-pressed={on} aria-label={on ? t('immersive.danmakuHide') : t('immersive.danmakuShow')} onClick={onToggle}>
      <IconChat /> {t('immersive.danmaku')}
    </button>
  );
}

function PurchaseTicker({ room }: { room: Room }) {
  const { t } = useTranslation();
  const [queue, setQueue] = useState<(Purchase & { key: number })[]>([]);
  const counter = useRef(0);
  useEffect(
    () =>
      room.subscribe((ev) => {
        if (ev.type !== 'purchase') return;
        const key = ++counter.current;
        setQueue((q) => [...q.slice(-9), { buyer: String(ev.buyer ?? ''), product: String(ev.product ?? ''), quantity: Number(ev.quantity) || 1, key }]);
      }),
    [room.subscribe],
  );
  const head = queue[0];
  const headKey = head?.key;
  // Hurry when many are waiting, so the ticker never lags far behind.
  const hurry = queue.length > 3;
  useEffect(() => {
    if (headKey === undefined) return;
    const id = setTimeout(() => setQueue((q) => q.slice(1)), hurry ? 1500 : TICKER_MS);
    return () => clearTimeout(id);
  }, [headKey, hurry]);
  if (!head) return null;
  return (
    <p className="purchase-ticker" key={head.key} data-testid="purchase-ticker" role="status">
      <IconCart /> {t('room.purchase', { buyer: head.buyer, product: head.product, quantity: head.quantity })}
    </p>
  );
}

export function DanmakuOverlay({ room, myId, on }: { room: Room; myId: string | null; on: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="imm-danmaku" data-testid="danmaku-layer" data-on={String(on)}>
      <PurchaseTicker room={room} />
      {on ? (
        <ChatList
          chat={room.chat}
          myId={myId}
          thinned={room.thinned}
          className="imm-chat"
          empty={room.connection === 'open' ? t('room.noChat') : room.connection === 'unavailable' ? t('room.unavailableChat') : t('room.connecting')}
        />
      ) : null}
    </div>
  );
}
