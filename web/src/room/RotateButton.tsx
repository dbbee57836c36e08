// A landscape stream on a phone held upright is letterboxed; this button turns it into full-screen
// landscape: the Fullscreen API plus screen.orientation.lock('landscape') where the browser has them
// (Android Chrome), else the player is rotated a quarter turn with CSS (iOS Safari, desktop emulation); in a
// landscape screen without element full screen that CSS box just covers the screen (sideways.css).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IconRotate } from './immersiveIcons';

type Rotation = 'off' | 'fullscreen' | 'css';

type LockableOrientation = ScreenOrientation & { lock?: (o: string) => Promise<void>; unlock?: () => void };

export function RotateButton({ target }: { target: HTMLElement | null }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Rotation>('off');

  const exit = useCallback(() => {
    const orientation = screen.orientation as LockableOrientation | undefined;
    try {
      orientation?.unlock?.();
    } catch {
      // nothing was locked
    }
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    target?.classList.remove('imm-rotated');
    setMode('off');
  }, [target]);

  const enter = async () => {
    if (!target) return;
    let fullscreen = false;
    try {
      if (target.requestFullscreen) {
        await target.requestFullscreen({ navigationUI: 'hide' });
        fullscreen = true;
      }
    } catch {
      // refused (iOS has no element full screen): fall back below
    }
    let locked = false;
    try {
      const orientation = screen.orientation as LockableOrientation | undefined;
      if (fullscreen && orientation?.lock) {
        await orientation.lock('landscape');
        locked = true;
      }
    } catch {
      // a desktop, or a browser that does not lock
    }
    // Still upright: turn the picture ourselves (outside full screen, whose styles forbid transforms). Held
    // sideways without element full screen (iOS): the same box covers the screen unturned (sideways.css).
    if (!locked && (window.innerHeight > window.innerWidth || !fullscreen)) {
      if (fullscreen) await document.exitFullscreen().catch(() => undefined);
      target.classList.add('imm-rotated');
      setMode('css');
      return;
    }
    setMode(fullscreen ? 'fullscreen' : 'off');
  };

  // Leaving full screen by the system's gesture or Esc ends the landscape view too.
  useEffect(() => {
    if (mode !== 'fullscreen') return;
    const onChange = () => {
      if (!document.fullscreenElement) exit();
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, [mode, exit]);

  useEffect(() => () => target?.classList.remove('imm-rotated'), [target]);

  // Held sideways already, the button only fills the screen: it says 全屏观看 rather than 横屏观看.
  const [sideways, setSideways] = useState(() => window.matchMedia('(orientation: landscape)').matches);
  useEffect(() => {
    const query = window.matchMedia('(orientation: landscape)');
    const onChange = () => setSideways(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);

  const on = mode !== 'off';
  return (
    <button
      type="button"
      className="imm-pill imm-rotate"
      data-testid="rotate-button"
      data-rotated={mode}
      aria-pressed={on}
      onClick={() => (on ? exit() : void enter())}
    >
      <IconRotate /> {on ? t(sideways ? 'immersive.fullscreenExit' : 'immersive.rotateExit') : t(sideways ? 'immersive.fullscreen' : 'immersive.rotate')}
    </button>
  );
}
