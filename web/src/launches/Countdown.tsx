import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Counts down to `at` every second; "on sale now" once it has passed. */
export function Countdown({ at, onStart }: { at: string; onStart?: () => void }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  const target = Date.parse(at);
  useEffect(() => {
    if (now >= target) return;
    const timer = setTimeout(() => {
      const next = Date.now();
      setNow(next);
      if (next >= target) onStart?.();
    }, 1000 - (now % 1000));
    return () => clearTimeout(timer);
  }, [now, target, onStart]);
  const left = Math.max(0, Math.floor((target - now) / 1000));
  if (!left) return <p className="launch-countdown launch-started" data-testid="launch-countdown" data-left="0">{t('launches.started')}</p>;
  const d = Math.floor(left / 86_400);
  const h = Math.floor((left % 86_400) / 3600);
  const m = String(Math.floor((left % 3600) / 60)).padStart(2, '0');
  const s = String(left % 60).padStart(2, '0');
  return (
    <p className="launch-countdown" data-testid="launch-countdown" data-left={left} role="timer">
      {d ? t('launches.countdown', { d, h, m, s }) : t('launches.countdownShort', { h, m, s })}
    </p>
  );
}
