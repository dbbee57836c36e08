import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api';
import { count, duration } from './format';
import type { Figures } from './types';

/**
 * One figure. `data-figure` names it as the JSON does (gmv.paidFen, viewers.online…) and `data-value`
 * holds the raw integer (fen, a count, or a ratio in basis points) so tests can compare exactly.
 */
export function Stat({ figure, value, label, children, className = '', sub }: { figure: string; value: number; label: string; children: ReactNode; className?: string; sub?: ReactNode }) {
  return (
    <div className={`an-stat ${className}${typeof children === 'string' && children.length > 9 ? ' an-stat-long' : ''}`} data-figure={figure} data-value={String(value)}>
      <span className="an-stat-label">{label}</span>
      <span className="an-stat-value">{children}</span>
      {sub ? <span className="an-stat-sub">{sub}</span> : null}
    </div>
  );
}

/** A ratio (0..1 with four decimals) as an integer for data-value: basis points. */
export const basisPoints = (ratio: number) => Math.round(ratio * 10_000);

/** The server's (localized) message for a refused or failed read, with its code for tests. */
export function AnalyticsError({ error, children }: { error: ApiError; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="an-error card" role="alert" data-testid="analytics-error" data-code={error.code}>
      <h2>{error.status === 403 ? t('errors.noAccessTitle') : t('analytics.errorTitle')}</h2>
      <p>{error.message}</p>
      {children}
    </div>
  );
}

/** The room's counts, the same tiles on the big screen and in the review. */
export function RoomStats({ f }: { f: Figures }) {
  const { t } = useTranslation();
  return (
    <>
      <Stat figure="viewers.peak" value={f.viewers.peak} label={t('analytics.figures.peak')}>
        {count(f.viewers.peak)}
      </Stat>
      <Stat figure="viewers.unique" value={f.viewers.unique} label={t('analytics.figures.unique')}>
        {count(f.viewers.unique)}
      </Stat>
      <Stat figure="avgWatchSeconds" value={f.avgWatchSeconds} label={t('analytics.figures.avgWatch')}>
        {duration(f.avgWatchSeconds)}
      </Stat>
      <Stat figure="newFollowers" value={f.newFollowers} label={t('analytics.figures.newFollowers')}>
        {count(f.newFollowers)}
      </Stat>
      <Stat figure="likes" value={f.likes} label={t('analytics.figures.likes')}>
        {count(f.likes)}
      </Stat>
      <Stat figure="comments" value={f.comments} label={t('analytics.figures.comments')}>
        {count(f.comments)}
      </Stat>
    </>
  );
}
