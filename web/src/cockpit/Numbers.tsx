// The live numbers: online now and its peak, likes, orders and GMV of this live.
import { useTranslation } from 'react-i18next';
import { useFormat } from '../shared/format';
import type { RoomCounts } from '../room/types';
import type { LiveNumbers } from './types';

/**
 * Online, peak and likes come over the room's WebSocket when it is open (pushed every tick), else from
 * the polled numbers; orders and GMV always from the numbers.
 */
export function Numbers({ counts, numbers }: { counts: RoomCounts | null | undefined; numbers: LiveNumbers | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const online = counts?.online ?? numbers?.online ?? 0;
  const peak = Math.max(counts?.peak ?? 0, numbers?.peakOnline ?? 0, online);
  const likes = Math.max(counts?.likes ?? 0, numbers?.likes ?? 0);
  const tiles = [
    { key: 'online', label: t('cockpit.numbers.online'), value: fmt.number(online), raw: online },
    { key: 'peak', label: t('cockpit.numbers.peak'), value: fmt.number(peak), raw: peak },
    { key: 'likes', label: t('cockpit.numbers.likes'), value: fmt.number(likes), raw: likes },
    { key: 'orders', label: t('cockpit.numbers.orders'), value: numbers ? fmt.number(numbers.orders) : '—', raw: numbers?.orders ?? '' },
    { key: 'gmv', label: t('cockpit.numbers.gmv'), value: numbers ? fmt.fen(numbers.gmvFen) : '—', raw: numbers?.gmvFen ?? '' },
  ];
  return (
    <section className="cockpit-numbers" data-testid="cockpit-numbers" data-ready={numbers ? 'true' : 'false'} aria-label={t('cockpit.numbers.title')}>
      {tiles.map((tile) => (
        <div key={tile.key} className={`cockpit-number cockpit-number-${tile.key}`} data-testid={`number-${tile.key}`} data-value={tile.raw}>
          <span className="cockpit-number-label">{tile.label}</span>
          <strong className="cockpit-number-value">{tile.value}</strong>
        </div>
      ))}
    </section>
  );
}
