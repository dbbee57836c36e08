import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import type { Calendar } from './types';
import { beijingDate, beijingDayStart, beijingTime, DAY, dayLabel } from './time';

/**
 * A base's booking calendar, by day or by week (Beijing days): one row per studio, one column per day,
 * each cell listing the bookings and maintenance periods of that studio that day. `url` is the base's
 * own calendar (with bookers) or the public one (others' bookings only as "booked").
 */
export function BaseCalendar({ url }: { url: string }) {
  const { t, i18n } = useTranslation();
  const [days, setDays] = useState<1 | 7>(7);
  const [start, setStart] = useState(() => beijingDayStart(Date.now()));
  const state = useApi<Calendar>(`${url}?from=${encodeURIComponent(new Date(start).toISOString())}&days=${days}`);
  const columns = Array.from({ length: days }, (_, i) => start + i * DAY);

  return (
    <div className="base-calendar" data-testid="base-calendar">
      <div className="base-calendar-bar">
        <div className="segmented" role="group">
          <button type="button" className={`button button-small${days === 1 ? '' : ' button-ghost'}`} aria-pressed={days === 1} onClick={() => setDays(1)} data-testid="calendar-day">
            {t('bases.calendar.day')}
          </button>
          <button type="button" className={`button button-small${days === 7 ? '' : ' button-ghost'}`} aria-pressed={days === 7} onClick={() => setDays(7)} data-testid="calendar-week">
            {t('bases.calendar.week')}
          </button>
        </div>
        <button type="button" className="button button-small button-ghost" onClick={() => setStart(start - days * DAY)} data-testid="calendar-prev">
          {t('bases.calendar.prev')}
        </button>
        <button type="button" className="button button-small button-ghost" onClick={() => setStart(beijingDayStart(Date.now()))}>
          {t('bases.calendar.today')}
        </button>
        <button type="button" className="button button-small button-ghost" onClick={() => setStart(start + days * DAY)} data-testid="calendar-next">
          {t('bases.calendar.next')}
        </button>
        {state.data ? <span className="muted">{t('bases.calendar.hours', { opens: state.data.base.profile.opensAt, closes: state.data.base.profile.closesAt })} · {t('bases.timeNote')}</span> : null}
      </div>
      {state.status === 'error' && !state.data ? <ErrorNotice error={state.error} onRetry={state.reload} /> : null}
      {!state.data ? (
        state.status === 'error' ? null : <Loading />
      ) : (
        <div className="table-wrap">
          <table className="base-calendar-grid">
            <thead>
              <tr>
                <th scope="col">{t('bases.calendar.studio')}</th>
                {columns.map((c) => (
                  <th scope="col" key={c}>
                    {dayLabel(c, i18n.language)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {state.data.studios.map((s) => (
                <tr key={s.id} data-testid="calendar-studio">
                  <th scope="row">{s.name}</th>
                  {columns.map((c) => {
                    const day = beijingDate(c);
                    const bookings = state.data!.bookings.filter((b) => b.studioId === s.id && beijingDate(Date.parse(b.startsAt)) === day);
                    const maintenance = state.data!.maintenance.filter((m) => m.studioId === s.id && Date.parse(m.startsAt) < c + DAY && Date.parse(m.endsAt) > c);
                    return (
                      <td key={c} className="base-calendar-cell">
                        {maintenance.map((m) => (
                          <div key={m.id} className="base-slot base-slot-maintenance" data-testid="calendar-maintenance">
                            {beijingTime(m.startsAt)}–{beijingTime(m.endsAt)} {t('bases.calendar.maintenance', { reason: m.reason })}
                          </div>
                        ))}
                        {bookings.map((b) => (
                          <div key={b.id} className={`base-slot${b.mine ? ' base-slot-mine' : ''}`} data-testid="calendar-booking" title={b.title ?? ''}>
                            <span className="mono">
                              {beijingTime(b.startsAt)}–{beijingTime(b.endsAt)}
                            </span>{' '}
                            {b.bookerName ?? t('bases.calendar.booked')}
                            {b.lives && b.lives.length ? <span className="base-slot-lives"> · {t('bases.calendar.lives', { count: b.lives.length })}</span> : null}
                          </div>
                        ))}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
