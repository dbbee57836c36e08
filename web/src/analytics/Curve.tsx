import { useTranslation } from 'react-i18next';
import { IconCart, IconGift, IconTicket } from '../shared/icons';
import { count, minuteLabel, yuan } from './format';
import type { CurvePoint, Marker, MarkerKind } from './types';

const W = 1000;
const H = 300;
const MINUTE_MS = 60_000;
/** A live's curve is drawn over at least half an hour: early on, the minutes fill it from the left. */
const MIN_SLOTS = 30;

function IconFlash() {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M13 2 4 14h6l-1 8 9-12h-6l1-8z" />
    </svg>
  );
}

export function MarkerIcon({ kind }: { kind: MarkerKind }) {
  if (kind === 'pin') return <IconCart />;
  if (kind === 'flash_sale') return <IconFlash />;
  if (kind === 'coupon') return <IconTicket />;
  return <IconGift />;
}

/** Where a moment falls on the curve, 0..1 (the curve has one point a minute). */
function positionOf(curve: CurvePoint[], at: string, slots: number): number {
  if (!curve.length) return 0.5;
  const start = Date.parse(`${curve[0]!.minute}:00.000Z`);
  const index = Math.floor((Date.parse(at) - start) / MINUTE_MS);
  return Math.min(1, Math.max(0, (index + 0.5) / slots));
}

/**
 * The per-minute curve, drawn here (no chart library): paid GMV as bars, viewers online as a line,
 * and the live's events (讲解, 秒杀, 优惠券, 福袋) as icons along the top with their labels as tooltips.
 * The SVG stretches to its box; the axis labels and markers are HTML placed by percentage over it.
 */
export function Curve({ curve, markers, ended = false, testId = 'curve' }: { curve: CurvePoint[]; markers: Marker[]; ended?: boolean; testId?: string }) {
  const { t } = useTranslation();
  // An ended live's curve spans exactly the live; a live one at least half an hour ahead.
  const n = Math.max(ended ? 1 : MIN_SLOTS, curve.length);
  const maxGmv = Math.max(1, ...curve.map((p) => p.gmvFen));
  const maxOnline = Math.max(1, ...curve.map((p) => p.online));
  const slot = W / n;
  const bar = Math.max(1, Math.min(slot, W / MIN_SLOTS) * 0.7);
  const line = curve.map((p, i) => `${(i * slot + slot / 2).toFixed(1)},${(H - (p.online / maxOnline) * (H - 8)).toFixed(1)}`).join(' ');
  // Three times along the axis: the start, the middle and the end of the drawn span.
  const start = curve.length ? Date.parse(`${curve[0]!.minute}:00.000Z`) : 0;
  const ticks = curve.length ? [...new Set([0, Math.floor((n - 1) / 2), n - 1])] : [];

  return (
    <figure className="an-curve" data-testid={testId} data-points={curve.length} data-markers={markers.length}>
      <figcaption className="an-curve-legend">
        <span className="an-key an-key-gmv">{t('analytics.curve.gmv')}</span>
        <span className="an-key an-key-online">{t('analytics.curve.online')}</span>
        <span className="an-curve-max">
          {t('analytics.curve.maxGmv', { value: yuan(Math.max(0, ...curve.map((p) => p.gmvFen))) })} · {t('analytics.curve.maxOnline', { value: count(Math.max(0, ...curve.map((p) => p.online))) })}
        </span>
      </figcaption>
      <div className="an-curve-plot">
        <div className="an-curve-markers" role="list" aria-label={t('analytics.curve.markers')}>
          {markers.map((m, i) => {
            const text = `${minuteLabel(m.at.slice(0, 16))} ${t(`analytics.markers.${m.kind}`)}${m.label ? `：${m.label}` : ''}`;
            return (
              <span
                key={`${m.at}-${i}`}
                role="listitem"
                tabIndex={0}
                className={`an-marker an-marker-${m.kind}`}
                style={{ left: `${(positionOf(curve, m.at, n) * 100).toFixed(2)}%` }}
                title={text}
                aria-label={text}
                data-testid="curve-marker"
                data-kind={m.kind}
              >
                <MarkerIcon kind={m.kind} />
                <span className="an-marker-tip" aria-hidden="true">
                  {text}
                </span>
              </span>
            );
          })}
        </div>
        <svg className="an-curve-svg" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={t('analytics.curve.title')}>
          <line x1="0" x2={W} y1={H - 0.5} y2={H - 0.5} className="an-axis" vectorEffect="non-scaling-stroke" />
          {[0.25, 0.5, 0.75].map((f) => (
            <line key={f} x1="0" x2={W} y1={H * f} y2={H * f} className="an-grid" vectorEffect="non-scaling-stroke" />
          ))}
          {markers.map((m, i) => {
            const x = positionOf(curve, m.at, n) * W;
            return <line key={`m-${i}`} x1={x} x2={x} y1={0} y2={H} className={`an-marker-line an-marker-line-${m.kind}`} vectorEffect="non-scaling-stroke" />;
          })}
          {curve.map((p, i) =>
            p.gmvFen > 0 ? (
              <rect key={p.minute} x={i * slot + (slot - bar) / 2} y={H - (p.gmvFen / maxGmv) * (H - 8)} width={bar} height={(p.gmvFen / maxGmv) * (H - 8)} className="an-bar">
                <title>{`${minuteLabel(p.minute)} ${yuan(p.gmvFen)} · ${t('analytics.curve.ordersN', { count: p.orders })}`}</title>
              </rect>
            ) : null,
          )}
          {curve.length > 1 ? <polyline points={line} className="an-line" fill="none" vectorEffect="non-scaling-stroke" /> : null}
        </svg>
        {curve.length === 0 ? <p className="an-curve-empty">{t('analytics.curve.empty')}</p> : null}
      </div>
      <div className="an-curve-ticks" aria-hidden="true">
        {ticks.map((i) => (
          <span key={i} style={{ left: `${(i === 0 ? 0 : i === n - 1 ? 100 : ((i + 0.5) / n) * 100).toFixed(2)}%` }}>
            {minuteLabel(new Date(start + i * MINUTE_MS).toISOString().slice(0, 16))}
          </span>
        ))}
      </div>
    </figure>
  );
}

/** The events as a list (the review and the printout show them in words too). */
export function MarkerList({ markers, className = '' }: { markers: Marker[]; className?: string }) {
  const { t } = useTranslation();
  if (!markers.length) return null;
  return (
    <ol className={`an-marker-list ${className}`} data-testid="marker-list">
      {markers.map((m, i) => (
        <li key={`${m.at}-${i}`} data-kind={m.kind}>
          <span className={`an-marker-dot an-marker-${m.kind}`}>
            <MarkerIcon kind={m.kind} />
          </span>
          <time dateTime={m.at}>{minuteLabel(m.at.slice(0, 16))}</time> {t(`analytics.markers.${m.kind}`)}
          {m.label ? `：${m.label}` : ''}
        </li>
      ))}
    </ol>
  );
}
