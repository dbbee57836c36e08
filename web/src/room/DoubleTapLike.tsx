// Double-tap the video to like, as on Douyin: a heart pops where the finger was.
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { IconHeart } from '../shared/icons';

const DOUBLE_TAP_MS = 320;
const DOUBLE_TAP_PX = 40;
const HEART_MS = 900;

/** Taps on these belong to them. */
const OWN_TAPS = 'button, a, input, textarea, select, label, [role="dialog"], [role="alertdialog"], .sheet-backdrop, .won-backdrop, .chat-list, .pinned-card, .flash-card, .room-popups, video[controls]';

type Burst = { key: number; x: number; y: number };

/** Listens for double taps (two clicks close in time and place) anywhere on `area` that is not a control. */
export function DoubleTapLike({ area, onLike }: { area: HTMLElement | null; onLike: () => void }) {
  const [bursts, setBursts] = useState<Burst[]>([]);
  const last = useRef<{ at: number; x: number; y: number } | null>(null);
  const counter = useRef(0);
  const onLikeRef = useRef(onLike);
  onLikeRef.current = onLike;

  useEffect(() => {
    if (!area) return;
    const onClick = (e: MouseEvent) => {
      if (e.target instanceof Element && e.target.closest(OWN_TAPS)) return;
      const now = performance.now();
      const prev = last.current;
      if (prev && now - prev.at < DOUBLE_TAP_MS && Math.hypot(e.clientX - prev.x, e.clientY - prev.y) < DOUBLE_TAP_PX) {
        last.current = null;
        onLikeRef.current();
        const box = area.getBoundingClientRect();
        const key = ++counter.current;
        setBursts((list) => [...list.slice(-5), { key, x: e.clientX - box.left, y: e.clientY - box.top }]);
        setTimeout(() => setBursts((list) => list.filter((b) => b.key !== key)), HEART_MS);
        return;
      }
      last.current = { at: now, x: e.clientX, y: e.clientY };
    };
    area.addEventListener('click', onClick);
    return () => area.removeEventListener('click', onClick);
  }, [area]);

  return (
    <span className="imm-bursts" aria-hidden="true">
      {bursts.map((b) => (
        <span key={b.key} className="imm-burst" style={{ left: b.x, top: b.y } as CSSProperties}>
          <IconHeart />
        </span>
      ))}
    </span>
  );
}
