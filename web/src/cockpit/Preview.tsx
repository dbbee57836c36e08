// The streamer's own live picture: HTTP-FLV (about half a second behind), muted, so the streamer
// sees what viewers see without hearing themselves (sound would echo into the microphone).
import { useTranslation } from 'react-i18next';
import { LivePlayer } from '../live/LivePlayer';
import type { Playback } from '../types';

export function Preview({ status, playback, onTrouble }: { status: 'scheduled' | 'live' | 'ended' | undefined; playback: Playback | null; onTrouble: () => void }) {
  const { t } = useTranslation();
  const live = status === 'live' && playback && (playback.flv || playback.hls);
  return (
    <section className="cockpit-preview" data-testid="cockpit-preview" data-status={status ?? ''} aria-label={t('cockpit.preview.title')}>
      {live ? (
        // HTTP-FLV through mpegts.js wherever there is MSE; the browser's own HLS on an iPhone (an assistant's phone).
        <LivePlayer flv={playback.flv} hls={playback.hls} onTrouble={onTrouble} className="cockpit-player" />
      ) : (
        <div className="cockpit-preview-idle" data-testid="cockpit-preview-idle">
          <p>{status === 'ended' ? t('cockpit.preview.ended') : t('cockpit.preview.notLive')}</p>
          {status !== 'ended' ? <p className="muted">{t('cockpit.preview.hint')}</p> : null}
        </div>
      )}
    </section>
  );
}
