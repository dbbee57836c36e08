// Swiping between live rooms, as on Douyin: swipe up (or ArrowDown, PageDown, the mouse wheel) for the
// next live, down for the previous one, in the order of `GET /api/live-sessions?status=live`. The
// next room's player is attached before the swipe (muted, playing off-screen) so that its picture is
// there the moment it slides in, and the room just left keeps its player so that swiping back is
// instant too; `?preload=0` turns both off to compare. The URL follows the room
// (`/watch/:id`, replaced, no reload). Past the last live the swiper stays put and says so.
//
// For scripts (bench/room-open.ts): the root element carries data-swipe-at (performance.now() when a
// swipe was decided), data-first-frame-at (performance.now() when the room it leads to presented its
// first video frame after that), data-first-frame-session and data-preloaded. docs/ROOM.md.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../api';
import type { LiveSessionSummary } from '../types';
import { IconBack } from './immersiveIcons';
import './immersive.css';

export type SlideRole = 'prev' | 'current' | 'next';

export type SlideProps = {
  id: string;
  role: SlideRole;
  /** Attach the player: the current room, the room being swiped to, and the preloaded next one. */
  playerOn: boolean;
  /** Set while this slide's first frame is awaited: report it with `onFirstFrame(id, seq)`. */
  measureSeq: number | null;
  onFirstFrame: (id: string, seq: number) => void;
};

const LIST_REFRESH_MS = 30_000;
const SLIDE_MS = 260;
const HINT_MS = 2200;
/** A drag further than this share of the screen, or a flick, moves to the neighbour. */
const COMMIT_SHARE = 0.18;
const FLICK_PX_PER_MS = 0.5;
const WHEEL_COMMIT = 50;
const WHEEL_IDLE_MS = 250;

/** The ids of the lives now on, in the list's order (scheduled time); refreshed now and then and after each move. */
function useLiveIds(currentId: string): string[] {
  const [ids, setIds] = useState<string[]>([]);
  useEffect(() => {
    const ac = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      get<{ sessions: LiveSessionSummary[] }>('/api/live-sessions?status=live&limit=200', ac.signal).then(
        (res) => setIds((res?.sessions ?? []).map((s) => s.id)),
        () => undefined, // keep what we had; the swiper then says there is nothing more
      );
      timer = setTimeout(load, LIST_REFRESH_MS);
    };
    load();
    return () => {
      ac.abort();
      clearTimeout(timer);
    };
  }, [currentId]);
  return ids;
}

/** The rooms above and below `current`; a room not in the list (scheduled, ended) leads to the first live. */
export function neighboursOf(ids: string[], current: string): { prev: string | null; next: string | null } {
  const i = ids.indexOf(current);
  if (i < 0) return { prev: null, next: ids.find((id) => id !== current) ?? null };
  return { prev: i > 0 ? ids[i - 1]! : null, next: i + 1 < ids.length ? ids[i + 1]! : null };
}

/** A touch that starts here belongs to what is under it (typing, a sheet, a chat list that scrolls). */
function ownsGesture(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('input, textarea, select, [contenteditable="true"], [role="dialog"], [role="alertdialog"], .sheet-backdrop, .won-backdrop, .room-popups, [data-no-swipe]')) return true;
  const list = target.closest('.chat-list');
  return !!list && list.scrollHeight > list.clientHeight + 2;
}

/** Something modal is open over the room, or the video is in landscape full screen. */
function roomBusy(): boolean {
  return !!document.fullscreenElement || !!document.querySelector('.sheet-backdrop, .won-backdrop, .imm-rotated');
}

type Motion = { kind: 'idle' } | { kind: 'drag'; dy: number } | { kind: 'slide'; to: 'next' | 'prev'; id: string } | { kind: 'back' };

export function RoomSwiper({ routeId, renderSlide }: { routeId: string; renderSlide: (props: SlideProps) => ReactNode }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  // Preloading costs a second stream's data: not with Data Saver on, nor with ?preload=0.
  const saveData = !!(navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData;
  const preload = new URLSearchParams(location.search).get('preload') !== '0' && !saveData;
  // The room shown: the route's, or the one just swiped to while the URL catches up.
  const [pending, setPending] = useState<string | null>(null);
  const currentId = pending ?? routeId;
  const ids = useLiveIds(currentId);
  const { prev, next } = neighboursOf(ids, currentId);
  const [motion, setMotion] = useState<Motion>({ kind: 'idle' });
  const [target, setTarget] = useState<{ id: string; seq: number }>({ id: routeId, seq: 0 });
  const [hint, setHint] = useState<{ dir: 'next' | 'prev'; key: number } | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const viewportRef = useRef<HTMLDivElement>(null);
  const seqRef = useRef(0);
  // The room just left keeps its player for a while: swiping back to it is instant too.
  const [cameFrom, setCameFrom] = useState<string | null>(null);
  const live = useRef({ prev, next, motion, currentId });
  live.current = { prev, next, motion, currentId };

  // The URL has caught up with the swipe.
  useEffect(() => {
    if (pending && routeId === pending) setPending(null);
  }, [routeId, pending]);

  // Opened or changed from outside (a link, the back button): measure that room's first frame.
  useEffect(() => {
    if (routeId === live.current.currentId && target.id === routeId) return;
    if (pending) return;
    const seq = ++seqRef.current;
    const root = rootRef.current;
    if (root) {
      root.dataset.swipeAt = '';
      delete root.dataset.firstFrameAt;
    }
    setTarget({ id: routeId, seq });
    // Only a new route matters here; the rest is read as it is now.
  }, [routeId]);

  // Nothing scrolls behind the room while it is open.
  useLayoutEffect(() => {
    document.documentElement.classList.add('imm-open');
    return () => document.documentElement.classList.remove('imm-open');
  }, []);

  useEffect(() => {
    if (!hint) return;
    const id = setTimeout(() => setHint(null), HINT_MS);
    return () => clearTimeout(id);
  }, [hint]);

  const onFirstFrame = useCallback((id: string, seq: number) => {
    const root = rootRef.current;
    if (!root || seq !== seqRef.current || root.dataset.firstFrameAt) return;
    root.dataset.firstFrameAt = performance.now().toFixed(1);
    root.dataset.firstFrameSession = id;
  }, []);

  /** Move to the neighbour (or say there is none, and spring back). */
  const go = useCallback(
    (dir: 'next' | 'prev') => {
      const { motion: m } = live.current;
      if (m.kind === 'slide') return;
      const id = dir === 'next' ? live.current.next : live.current.prev;
      if (!id) {
        setHint({ dir, key: Date.now() });
        setMotion(m.kind === 'drag' && m.dy !== 0 ? { kind: 'back' } : { kind: 'idle' });
        return;
      }
      const seq = ++seqRef.current;
      const root = rootRef.current;
      if (root) {
        root.dataset.swipeAt = performance.now().toFixed(1);
        root.dataset.swipeTarget = id;
        root.dataset.preloaded = String(preload && (dir === 'next' || id === cameFrom));
        delete root.dataset.firstFrameAt;
        delete root.dataset.firstFrameSession;
      }
      setHint(null);
      setTarget({ id, seq });
      setMotion({ kind: 'slide', to: dir, id });
      // The address changes as the swipe is decided; the router catches up when the slide has settled.
      window.history.replaceState(window.history.state, '', `/watch/${encodeURIComponent(id)}${window.location.search}`);
    },
    [preload, cameFrom],
  );

  /** The slide animation ended: the neighbour is now the room, and the URL follows. */
  const settle = useCallback(() => {
    const m = live.current.motion;
    if (m.kind === 'back') {
      setMotion({ kind: 'idle' });
      return;
    }
    if (m.kind !== 'slide') return;
    const id = m.id;
    setMotion({ kind: 'idle' });
    setCameFrom(live.current.currentId);
    setPending(id);
    navigate(`/watch/${encodeURIComponent(id)}${location.search}`, { replace: true });
  }, [navigate, location.search]);

  // A transitionend can be missed (the tab was hidden, reduced motion): settle anyway.
  useEffect(() => {
    if (motion.kind !== 'slide' && motion.kind !== 'back') return;
    const id = setTimeout(settle, SLIDE_MS + 120);
    return () => clearTimeout(id);
  }, [motion, settle]);

  // Touch: follow the finger vertically; decide on release.
  useEffect(() => {
    const el = viewportRef.current;
    if (!el) return;
    let start: { x: number; y: number; at: number } | null = null;
    let dragging = false;
    const onStart = (e: TouchEvent) => {
      start = null;
      dragging = false;
      if (e.touches.length !== 1 || ownsGesture(e.target) || roomBusy() || live.current.motion.kind === 'slide') return;
      const p = e.touches[0]!;
      start = { x: p.clientX, y: p.clientY, at: performance.now() };
    };
    const onMove = (e: TouchEvent) => {
      if (!start) return;
      const p = e.touches[0]!;
      const dx = p.clientX - start.x;
      const dy = p.clientY - start.y;
      if (!dragging) {
        if (Math.abs(dy) < 8 || Math.abs(dy) < Math.abs(dx)) return;
        dragging = true;
      }
      e.preventDefault();
      // Finger up (dy < 0) pulls the next room in; with nothing there the screen resists.
      const open = dy < 0 ? live.current.next : live.current.prev;
      setMotion({ kind: 'drag', dy: open ? dy : dy / 4 });
    };
    const onEnd = (e: TouchEvent) => {
      if (!start || !dragging) {
        start = null;
        return;
      }
      const p = e.changedTouches[0]!;
      const dy = p.clientY - start.y;
      const speed = dy / Math.max(1, performance.now() - start.at);
      start = null;
      dragging = false;
      const h = el.clientHeight || window.innerHeight;
      if (dy < -h * COMMIT_SHARE || (dy < -30 && speed < -FLICK_PX_PER_MS)) go('next');
      else if (dy > h * COMMIT_SHARE || (dy > 30 && speed > FLICK_PX_PER_MS)) go('prev');
      else setMotion({ kind: 'back' });
    };
    el.addEventListener('touchstart', onStart, { passive: true });
    el.addEventListener('touchmove', onMove, { passive: false });
    el.addEventListener('touchend', onEnd);
    el.addEventListener('touchcancel', onEnd);
    return () => {
      el.removeEventListener('touchstart', onStart);
      el.removeEventListener('touchmove', onMove);
      el.removeEventListener('touchend', onEnd);
      el.removeEventListener('touchcancel', onEnd);
    };
  }, [go]);

  // The mouse wheel (and two-finger scrolling on a touchpad): one move per gesture.
  useEffect(() => {
    const el = viewportRef.current;
    if (!el) return;
    let sum = 0;
    let locked = false;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const onWheel = (e: WheelEvent) => {
      if (ownsGesture(e.target) || roomBusy() || Math.abs(e.deltaY) < Math.abs(e.deltaX)) return;
      clearTimeout(idle);
      idle = setTimeout(() => {
        sum = 0;
        locked = false;
      }, WHEEL_IDLE_MS);
      if (locked) return;
      sum += e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      if (Math.abs(sum) < WHEEL_COMMIT) return;
      locked = true;
      go(sum > 0 ? 'next' : 'prev');
      sum = 0;
    };
    el.addEventListener('wheel', onWheel, { passive: true });
    return () => {
      el.removeEventListener('wheel', onWheel);
      clearTimeout(idle);
    };
  }, [go]);

  // The keyboard: ArrowDown / PageDown for the next room, ArrowUp / PageUp for the previous one.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.defaultPrevented) return;
      const dir = e.key === 'ArrowDown' || e.key === 'PageDown' ? 'next' : e.key === 'ArrowUp' || e.key === 'PageUp' ? 'prev' : null;
      if (!dir || ownsGesture(e.target) || roomBusy()) return;
      e.preventDefault();
      go(dir);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  // While sliding, the room being slid to stays in place even if the list changed meanwhile.
  const shownPrev = motion.kind === 'slide' && motion.to === 'prev' ? motion.id : prev;
  const shownNext = motion.kind === 'slide' && motion.to === 'next' ? motion.id : next;
  const slides: { id: string; role: SlideRole }[] = [];
  if (shownPrev) slides.push({ id: shownPrev, role: 'prev' });
  slides.push({ id: currentId, role: 'current' });
  if (shownNext && shownNext !== shownPrev) slides.push({ id: shownNext, role: 'next' });

  const style: CSSProperties =
    motion.kind === 'drag'
      ? { transform: `translate3d(0, ${motion.dy}px, 0)` }
      : motion.kind === 'slide'
        ? { transform: `translate3d(0, ${motion.to === 'next' ? '-100%' : '100%'}, 0)`, transition: `transform ${SLIDE_MS}ms cubic-bezier(0.2, 0.7, 0.3, 1)` }
        : motion.kind === 'back'
          ? { transform: 'translate3d(0, 0, 0)', transition: `transform ${SLIDE_MS}ms ease-out` }
          : {};

  return (
    <div className="imm" ref={rootRef} data-testid="immersive-room" data-session-id={currentId} data-prev={prev ?? ''} data-next={next ?? ''} data-motion={motion.kind}>
      <div className="imm-column" ref={viewportRef}>
        <div className="imm-track" style={style} onTransitionEnd={(e) => e.target === e.currentTarget && settle()}>
          {slides.map((s) =>
            // Keyed by session: the next room's slide (and its playing video) becomes the current one as it is.
            <div key={s.id} className={`imm-slot imm-slot-${s.role}`}>
              {renderSlide({
                id: s.id,
                role: s.role,
                playerOn: s.role === 'current' || s.id === target.id || (preload && (s.role === 'next' || s.id === cameFrom)),
                measureSeq: target.id === s.id ? target.seq : null,
                onFirstFrame,
              })}
            </div>
          )}
        </div>
        {/* With a mouse: buttons for those without a wheel (hidden on touch screens). */}
        <div className="imm-arrows">
          <button type="button" className="imm-round" data-testid="swipe-prev" aria-label={t('immersive.prevRoom')} onClick={() => go('prev')}>
            <IconBack />
          </button>
          <button type="button" className="imm-round" data-testid="swipe-next" aria-label={t('immersive.nextRoom')} onClick={() => go('next')}>
            <IconBack />
          </button>
        </div>
        {hint ? (
          <p className="imm-hint" role="status" key={hint.key} data-testid="swipe-no-more" data-direction={hint.dir}>
            {hint.dir === 'next' ? t('immersive.noMoreNext') : t('immersive.noMorePrev')}
          </p>
        ) : null}
      </div>
    </div>
  );
}
