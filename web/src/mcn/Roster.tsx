import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { path } from '../api';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { label } from '../shared/labels';
import { useApi } from '../shared/useApi';
import type { LiveSessionSummary } from '../types';
import { bpsText, localDay } from '../cooperation/parts';
import { ContractStateBadge } from './ContractFacts';
import { ScheduleLiveForm } from './ScheduleForm';
import type { Roster, RosterEntry } from './types';
import '../cooperation/cooperation.css';

/** Eight weeks of GMV as a row of bars (their heights relative to the best week), with the figures for screen readers. */
function Trend({ e }: { e: RosterEntry }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const max = Math.max(1, ...e.trend.weeks.map((w) => w.gmvFen));
  const change = e.trend.changeBps;
  return (
    <div className="roster-trend">
      <span className="trend-bars" aria-hidden="true">
        {e.trend.weeks.map((w) => (
          <span key={w.from} className="trend-bar" style={{ height: `${Math.max(2, Math.round((w.gmvFen / max) * 28))}px` }} title={`${localDay(w.from, fmt.locale)}: ${fmt.fen(w.gmvFen)}`} />
        ))}
      </span>
      <span className="sr-only">{e.trend.weeks.map((w) => `${localDay(w.from, fmt.locale)} ${fmt.fen(w.gmvFen)}`).join('; ')}</span>
      <span className={change === null ? 'muted' : change >= 0 ? 'text-good' : 'text-warning'} data-testid="roster-change">
        {change === null ? t('mcn.roster.noChange') : `${change >= 0 ? '+' : ''}${bpsText(change)}`}
      </span>
    </div>
  );
}

/** 主播: the streamers signed to this MCN, their contract, sessions, GMV, commission, followers and trend. */
/** `canSchedule`: the MCN's owners and admins (an operator reads the roster, and may not schedule for it). */
export function McnRoster({ orgId, canSchedule = false }: { orgId: string; canSchedule?: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<Roster>(path`/api/orgs/${orgId}/roster`);
  const data = state.data;
  return (
    <div className="coop-panel" data-testid="mcn-roster">
      <h2>{t('mcn.roster.title')}</h2>
      {state.status === 'error' && !data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !data ? (
        <Loading />
      ) : (
        <>
          <dl className="ledger-metrics roster-totals" data-testid="roster-totals">
            <div className="metric">
              <dt>{t('mcn.roster.streamers')}</dt>
              <dd className="metric-value">{fmt.number(data.totals.streamers)}</dd>
            </div>
            <div className="metric" data-fen={data.totals.gmvFen}>
              <dt>{t('mcn.roster.gmv')}</dt>
              <dd className="metric-value">{fmt.fen(data.totals.gmvFen)}</dd>
            </div>
            <div className="metric" data-testid="roster-mcn-share" data-fen={data.totals.mcnShareFen}>
              <dt>{t('mcn.roster.mcnShare')}</dt>
              <dd className="metric-value">{fmt.fen(data.totals.mcnShareFen)}</dd>
            </div>
          </dl>
          {data.streamers.length === 0 ? (
            <Empty testId="roster-empty">{t('mcn.roster.none')}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="roster-table">
                <thead>
                  <tr>
                    <th scope="col">{t('mcn.roster.streamer')}</th>
                    <th scope="col">{t('mcn.contract.split')}</th>
                    <th scope="col" className="num">{t('mcn.roster.sessions')}</th>
                    <th scope="col" className="num">{t('mcn.roster.orders')}</th>
                    <th scope="col" className="num">{t('mcn.roster.gmv')}</th>
                    <th scope="col" className="num">{t('mcn.roster.commission')}</th>
                    <th scope="col" className="num">{t('mcn.roster.mcnShare')}</th>
                    <th scope="col" className="num">{t('mcn.roster.followers')}</th>
                    <th scope="col">{t('mcn.roster.trend')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.streamers.map((e) => (
                    <tr key={e.streamer.id} data-testid="roster-row" data-streamer-id={e.streamer.id}>
                      <td>
                        <strong>{e.streamer.displayName}</strong>
                        <br />
                        <ContractStateBadge state={e.contract.state} />
                      </td>
                      <td>{bpsText(e.contract.splitBps)}</td>
                      <td className="num">
                        {fmt.number(e.sessions.total)}
                        <span className="muted"> ({t('mcn.roster.scheduled', { n: e.sessions.scheduled })})</span>
                      </td>
                      <td className="num">{fmt.number(e.orders)}</td>
                      <td className="num" data-fen={e.gmvFen}>
                        {fmt.fen(e.gmvFen)}
                      </td>
                      <td className="num">{e.earnings.commissionFen === null ? <span className="muted" title={t('mcn.roster.hiddenHint')}>{t('mcn.roster.hidden')}</span> : fmt.fen(e.earnings.commissionFen)}</td>
                      <td className="num" data-fen={e.earnings.mcnShareFen}>
                        {fmt.fen(e.earnings.mcnShareFen)}
                      </td>
                      <td className="num">{fmt.number(e.followers)}</td>
                      <td>
                        <Trend e={e} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <McnCalendar orgId={orgId} streamers={canSchedule ? (data?.streamers.map((e) => e.streamer) ?? []) : []} onScheduled={state.reload} />
    </div>
  );
}

/** 排期: the lives of the MCN's streamers in the next 30 days, soonest first. */
export function McnCalendar({ orgId, streamers, onScheduled }: { orgId: string; streamers?: RosterEntry['streamer'][]; onScheduled?: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ from: string; to: string; sessions: LiveSessionSummary[] }>(path`/api/orgs/${orgId}/calendar`);
  const sessions = state.data?.sessions ?? [];
  return (
    <section className="mcn-calendar" aria-labelledby="mcn-calendar-heading" data-testid="mcn-calendar">
      <h2 id="mcn-calendar-heading">{t('mcn.calendar.title')}</h2>
      {streamers && streamers.length > 0 ? (
        <ScheduleLiveForm
          orgId={orgId}
          streamers={streamers}
          onDone={() => {
            state.reload();
            onScheduled?.();
          }}
        />
      ) : null}
      {state.status === 'error' && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : sessions.length === 0 ? (
        <Empty testId="calendar-empty">{t('mcn.calendar.none')}</Empty>
      ) : (
        <ol className="calendar-list">
          {sessions.map((s) => (
            <li key={s.id} className="calendar-item" data-testid="calendar-session" data-session-id={s.id}>
              <time dateTime={s.scheduledAt} className="calendar-time">
                {fmt.dateTime(s.scheduledAt)}
              </time>
              <span className="calendar-title">
                <Link to={path`/watch/${s.id}`}>{s.title}</Link>
              </span>
              <span className="muted">
                {s.streamer.displayName}
                {s.brand ? ` · ${s.brand.name}` : ''}
              </span>
              <StatusBadge status={s.status}>{label(t, 'status', s.status)}</StatusBadge>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
