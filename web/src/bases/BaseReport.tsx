import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { beijingDate, beijingMonth, beijingTime } from './time';
import { ApplyProgramme, RetiredProgrammeApplications } from '../talent/ApplyProgramme';
import { BaseEventForm, BaseEventList } from './BaseEvents';
import type { BaseEvent } from './types';

type Summary = { lives: number; liveHours: number; gmvFen: number; paidOrders: number; viewers: number; bookings: number; bookingRevenueFen: number; bookingChargedFen: number; bookingToChargeFen: number; lateCancellations: number; cancelFeesFen: number; refundedFen: number; refundedBookings: number; netBookingRevenueFen: number; studios: number; publicStudios: number; occupancyBps: number; tenants: number; tenantsConfirmed?: number; tenantsSelfDeclared?: number; tenantsNotCounted?: number; events: number; eventsYear: number };
type Report = {
  month: string;
  summary: Summary;
  studios: { studioId: string; name: string; isPublic: boolean; bookings: number; bookedHours: number; openHours: number; occupancyBps: number; lives: number; gmvFen: number }[];
  lives: { id: string; title: string; streamerName: string; studioName: string | null; startedAt: string; hours: number; viewers: number; gmvFen: number }[];
  events: BaseEvent[];
};
type Check = { programmes: { id: string; name: string; region: string; year: number; met: boolean; criteria: { metric: string; min: number; value: number; met: boolean }[] }[] };
type Metric = 'public_studios' | 'resident_firms' | 'events_year' | 'monthly_gmv_fen' | 'monthly_lives' | 'monthly_live_hours';

/**
 * The base's monthly output (a Beijing calendar month), its CSV, the city programmes in force (name and year) checked
 * against it, and the base's applications for programmes retired since.
 */
export function BaseReport({ orgId, canEdit = false }: { orgId: string; canEdit?: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const [month, setMonth] = useState(() => beijingMonth(Date.now()));
  const state = useApi<{ report: Report }>(path`/api/orgs/${orgId}/base/report` + `?month=${month}`);
  const check = useApi<Check>(path`/api/orgs/${orgId}/base/programme-check` + `?month=${month}`);
  const r = state.data?.report;
  const pct = (bps: number) => `${(bps / 100).toFixed(2)}%`;
  const value = (metric: string, v: number) => (metric === 'monthly_gmv_fen' ? fmt.fen(v) : String(v));

  return (
    <div className="base-report" data-testid="base-report">
      <div className="base-report-bar">
        <div className="field">
          <label htmlFor={`${id}-m`}>{t('bases.report.month')}</label>
          <input id={`${id}-m`} type="month" data-testid="report-month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
        </div>
        <a className="button button-secondary" data-testid="report-csv" href={path`/api/orgs/${orgId}/base/report` + `?month=${month}&format=csv`} download>
          {t('bases.report.csv')}
        </a>
        <span className="muted">{t('bases.timeNote')}</span>
      </div>
      {state.status === 'error' && !state.data ? <ErrorNotice error={state.error} onRetry={state.reload} /> : null}
      {!r ? (
        state.status === 'error' ? null : <Loading />
      ) : (
        <>
          <dl className="base-kpis" data-testid="report-summary">
            {(
              [
                ['lives', String(r.summary.lives)],
                ['liveHours', String(r.summary.liveHours)],
                ['gmv', fmt.fen(r.summary.gmvFen)],
                ['viewers', String(r.summary.viewers)],
                ['bookings', String(r.summary.bookings)],
                ['bookingRevenue', fmt.fen(r.summary.bookingRevenueFen)],
                ['bookingCharged', fmt.fen(r.summary.bookingChargedFen)],
                ['bookingToCharge', fmt.fen(r.summary.bookingToChargeFen)],
                ['cancelFees', fmt.fen(r.summary.cancelFeesFen)],
                ['refunded', fmt.fen(r.summary.refundedFen)],
                ['netBookingRevenue', fmt.fen(r.summary.netBookingRevenueFen)],
                ['occupancy', pct(r.summary.occupancyBps)],
                ['tenants', String(r.summary.tenants)],
                ['events', String(r.summary.events)],
                ['eventsYear', String(r.summary.eventsYear)],
              ] as const
            ).map(([key, v]) => (
              <div className="base-kpi" key={key} data-testid={`kpi-${key}`}>
                <dt>{t(`bases.report.${key}`)}</dt>
                <dd>{v}</dd>
                {/* Resident firms: confirmed by their organisation or self-declared; pending and declined links not counted. */}
                {key === 'tenants' && r.summary.tenantsConfirmed !== undefined ? (
                  <dd className="muted" data-testid="kpi-tenants-breakdown">
                    {t('bases.report.tenantsBreakdown', { confirmed: r.summary.tenantsConfirmed, selfDeclared: r.summary.tenantsSelfDeclared ?? 0, notCounted: r.summary.tenantsNotCounted ?? 0 })}
                  </dd>
                ) : null}
              </div>
            ))}
          </dl>
          <h3>{t('bases.report.studiosTitle')}</h3>
          <div className="table-wrap">
            <table data-testid="report-studios">
              <thead>
                <tr>
                  <th scope="col">{t('bases.studios.name')}</th>
                  <th scope="col" className="num">{t('bases.report.bookings')}</th>
                  <th scope="col" className="num">{t('bases.report.bookedHours')}</th>
                  <th scope="col" className="num">{t('bases.report.occupancy')}</th>
                  <th scope="col" className="num">{t('bases.report.lives')}</th>
                  <th scope="col" className="num">{t('bases.report.gmv')}</th>
                </tr>
              </thead>
              <tbody>
                {r.studios.map((s) => (
                  <tr key={s.studioId}>
                    <td>{s.name}</td>
                    <td className="num">{s.bookings}</td>
                    <td className="num">{s.bookedHours}</td>
                    <td className="num">{pct(s.occupancyBps)}</td>
                    <td className="num">{s.lives}</td>
                    <td className="num">{fmt.fen(s.gmvFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>{t('bases.report.livesTitle')}</h3>
          {!r.lives.length ? (
            <Empty testId="report-no-lives">{t('bases.report.noLives')}</Empty>
          ) : (
            <div className="table-wrap">
              <table data-testid="report-lives">
                <thead>
                  <tr>
                    <th scope="col">{t('bases.report.liveTitle')}</th>
                    <th scope="col">{t('bases.report.streamer')}</th>
                    <th scope="col">{t('bases.book.studio')}</th>
                    <th scope="col">{t('bases.report.startedAt')}</th>
                    <th scope="col" className="num">{t('bases.report.hoursCol')}</th>
                    <th scope="col" className="num">{t('bases.report.viewers')}</th>
                    <th scope="col" className="num">{t('bases.report.gmv')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.lives.map((l) => (
                    <tr key={l.id} data-testid="report-live">
                      <td>{l.title}</td>
                      <td>{l.streamerName}</td>
                      <td>{l.studioName}</td>
                      <td className="mono">
                        {beijingDate(Date.parse(l.startedAt))} {beijingTime(l.startedAt)}
                      </td>
                      <td className="num">{l.hours}</td>
                      <td className="num">{l.viewers}</td>
                      <td className="num">{fmt.fen(l.gmvFen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3>{t('bases.report.programmesTitle')}</h3>
          {!check.data ? (
            <Loading />
          ) : !check.data.programmes.length ? (
            <Empty testId="report-no-programmes">{t('bases.report.noProgrammes')}</Empty>
          ) : (
            check.data.programmes.map((p) => (
              <div className="base-programme" key={p.id} data-testid="report-programme">
                <strong data-testid="report-programme-name">
                  {p.name} · {t('talent.programmeYear', { year: p.year })}
                </strong>{' '}
                <span className={p.met ? 'base-met' : 'base-unmet'}>{p.met ? t('bases.report.programmeMet') : t('bases.report.programmeNotMet')}</span>
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('bases.report.criterion')}</th>
                        <th scope="col" className="num">{t('bases.report.min')}</th>
                        <th scope="col" className="num">{t('bases.report.value')}</th>
                        <th scope="col" />
                      </tr>
                    </thead>
                    <tbody>
                      {p.criteria.map((c) => (
                        <tr key={c.metric}>
                          <td>{t(`bases.report.metrics.${c.metric as Metric}`)}</td>
                          <td className="num">≥ {value(c.metric, c.min)}</td>
                          <td className="num">{value(c.metric, c.value)}</td>
                          <td className={c.met ? 'base-met' : 'base-unmet'}>{c.met ? '✓' : '✗'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <ApplyProgramme orgId={orgId} programmeId={p.id} month={month} canEdit={canEdit} />
              </div>
            ))
          )}
          <RetiredProgrammeApplications orgId={orgId} />
          <BaseEventList orgId={orgId} events={r.events} canEdit={canEdit} onChanged={() => { state.reload(); check.reload(); }} />
          {canEdit ? <BaseEventForm orgId={orgId} onAdded={() => { state.reload(); check.reload(); }} /> : null}
        </>
      )}
    </div>
  );
}
