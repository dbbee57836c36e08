import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionHealth, StreamEvent } from '../types';
import { useFormat } from '../shared/format';
import { Empty } from '../shared/Status';
import { eventText, eventTone, formatBitrate } from '../live/streamText';

const KEYFRAME_WARN_S = 2;

function Metric({ label, value, sub, tone, testId }: { label: string; value: ReactNode; sub?: ReactNode; tone?: 'good' | 'warn' | 'bad'; testId?: string }) {
  return (
    <div className={`metric${tone ? ` metric-${tone}` : ''}`} data-testid={testId} data-tone={tone ?? ''}>
      <dt>{label}</dt>
      <dd>
        <span className="metric-value">{value}</span>
        {sub ? <span className="metric-sub">{sub}</span> : null}
      </dd>
    </div>
  );
}

/** Publishing yes/no, bitrate, fps, keyframe interval, resolution, codecs, reconnects, viewers. */
export function StreamHealthPanel({ health, updatedAt }: { health: SessionHealth; updatedAt?: number }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const s = health.stream && health.publishing ? health.stream : null;
  const kf = s?.keyframeIntervalS ?? null;
  const kfWarn = kf !== null && kf > KEYFRAME_WARN_S;
  const codecWarn = !!s && ((s.videoCodec !== null && s.videoCodec !== 'H.264') || (s.audioCodec !== null && s.audioCodec !== 'AAC'));
  return (
    <div className="health-panel" data-testid="stream-health" data-publishing={String(health.publishing)} data-updated-at={updatedAt ?? ''}>
      <dl className="health-grid">
        <Metric
          label={t('health.publishing')}
          value={
            <>
              <span className={`dot ${health.publishing ? 'dot-on' : 'dot-off'}`} aria-hidden="true" />
              {health.publishing ? t('health.publishingYes') : t('health.publishingNo')}
            </>
          }
          tone={health.publishing ? 'good' : undefined}
          testId="health-publishing"
        />
        <Metric
          label={t('health.bitrate')}
          value={s ? formatBitrate(s.bitrateKbps, fmt.locale) : '—'}
          sub={s ? t('health.bitrateSplit', { video: formatBitrate(s.videoKbps, fmt.locale), audio: formatBitrate(s.audioKbps, fmt.locale) }) : undefined}
          testId="health-bitrate"
        />
        <Metric label={t('health.fps')} value={s ? fmt.number(s.fps, 1) : '—'} testId="health-fps" />
        <Metric
          label={t('health.keyframe')}
          value={kf !== null ? t('health.seconds', { value: fmt.number(kf, 1) }) : '—'}
          sub={kfWarn ? t('health.keyframeTooLong') : undefined}
          tone={kfWarn ? 'warn' : undefined}
          testId="health-keyframe"
        />
        <Metric label={t('health.resolution')} value={s?.width && s.height ? `${s.width}×${s.height}` : '—'} testId="health-resolution" />
        <Metric
          label={t('health.codecs')}
          value={s ? `${s.videoCodec ?? '—'} / ${s.audioCodec ?? '—'}` : '—'}
          tone={codecWarn ? 'bad' : undefined}
          testId="health-codecs"
        />
        <Metric label={t('health.reconnects')} value={fmt.number(health.reconnects)} tone={health.reconnects > 0 ? 'warn' : undefined} testId="health-reconnects" />
        <Metric label={t('health.viewers')} value={fmt.number(health.viewers)} testId="health-viewers" />
        <Metric label={t('health.peakViewers')} value={fmt.number(health.peakViewers)} testId="health-peak" />
      </dl>
      {kfWarn ? (
        <p className="notice notice-warning" data-testid="health-keyframe-warning">
          {t('health.keyframeWarning', { value: fmt.number(kf, 1) })}
        </p>
      ) : null}
      {codecWarn ? (
        <p className="notice notice-error" data-testid="health-codec-warning">
          {t('health.codecWarning')}
        </p>
      ) : null}
    </div>
  );
}

/** The session's stream events, newest first, one sentence each. */
export function StreamEventList({ events }: { events: StreamEvent[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const sorted = [...events].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <div data-testid="stream-events" data-count={sorted.length}>
      {sorted.length === 0 ? (
        <Empty testId="stream-events-empty">{t('session.noEvents')}</Empty>
      ) : (
        <ol className="event-list">
          {sorted.map((e, i) => (
            <li key={`${e.at}-${e.kind}-${i}`} className={`event event-${eventTone(e.kind)}`} data-testid="stream-event" data-kind={e.kind} data-reason={e.reason ?? ''}>
              <time dateTime={e.at}>{fmt.moment(e.at)}</time>
              <span className="event-text">{eventText(t, e)}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
