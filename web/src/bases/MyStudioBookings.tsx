import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { useSession } from '../session';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import { useAction } from '../shop/parts';
import { ScheduleLiveForm } from './ScheduleLiveForm';
import type { BaseSummary, Booking } from './types';
import { beijingDate, beijingTime } from './time';

const HOUR = 3_600_000;

/**
 * 我的直播间预约, in the streamer's console (docs/BASES.md, "A streamer's bookings"): the bookings they made
 * for themself and those a brand or their MCN made for them (GET /api/me/studio-bookings), with the price,
 * whether it has been charged or refunded, and the lives scheduled in each. They cancel the ones they booked
 * (the base's rule: free until N hours before, then a fee, shown on the button) and schedule a live from any
 * booking in which they stream. A brand's booking in which the brand scheduled a live for them is listed too,
 * marked 品牌安排 and read-only (`arranged`).
 */
/** `version` changes after a booking or cancel (onChange): the list reloads, keeping the message of what was done. */
export function MyStudioBookings({ bases, version, onChange }: { bases: BaseSummary[]; version: number; onChange: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const me = user?.id ?? '';
  const state = useApi<{ bookings: Booking[] }>('/api/me/studio-bookings');
  const { reload } = state;
  useEffect(() => {
    if (version) reload();
  }, [version, reload]);
  const since = Date.now() - 30 * 86_400_000;
  const rows = listFrom<Booking>(state.data, 'bookings')
    .filter((b) => (b.streamerId === me || b.arranged || (b.bookedBy === me && !b.bookerOrgId)) && Date.parse(b.endsAt) > since)
    // Those still to come first, soonest first; then those held or cancelled, latest first.
    .sort((a, b) => {
      const aDone = Date.parse(a.endsAt) <= Date.now();
      const bDone = Date.parse(b.endsAt) <= Date.now();
      if (aDone !== bDone) return aDone ? 1 : -1;
      return (a.startsAt < b.startsAt ? -1 : 1) * (aDone ? -1 : 1);
    });
  const action = useAction();
  const [liveFor, setLiveFor] = useState<string | null>(null);
  const now = Date.now();

  /** What cancelling now costs under the base's rule (the server decides; this is what the button says). */
  const feeNow = (b: Booking) => {
    const profile = bases.find((x) => x.id === b.baseId)?.profile;
    if (!profile) return null;
    return Date.parse(b.startsAt) - now >= profile.freeCancelHours * HOUR ? 0 : Math.round(((b.priceFen ?? 0) * profile.cancelFeeBps) / 10_000);
  };
  const cancel = async (b: Booking) => {
    const fee = feeNow(b);
    if (fee && !window.confirm(t('bases.mine.confirmFee', { fee: fmt.fen(fee) }))) return;
    if ((await action.run(() => post(path`/api/studio-bookings/${b.id}/cancel`), t('bases.book.cancelDone'))) !== undefined) onChange();
  };
  /** 已收费 / 结束后收取 / 免费取消 / 违约金已收取, and what was refunded. */
  const money = (b: Booking) => {
    if (b.status === 'cancelled') return b.cancelFeeFen ? t('bases.mine.feeCharged', { fee: fmt.fen(b.cancelFeeFen) }) : t('bases.mine.cancelledFree');
    if (b.chargedAt) return t('bases.mine.charged', { at: beijingDate(Date.parse(b.chargedAt)) });
    return b.bookerOrgId ? t('bases.mine.paidByOrg', { name: b.bookerName ?? '' }) : t('bases.mine.toCharge');
  };

  return (
    <section className="bases-mine" data-testid="my-studio-bookings">
      <h3>{t('bases.mine.title')}</h3>
      <p className="field-hint">{t('bases.mine.intro')}</p>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
      {state.status === 'error' && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : !rows.length ? (
        <Empty testId="my-bookings-empty">{t('bases.mine.none')}</Empty>
      ) : (
        <div className="table-wrap">
          <table data-testid="my-bookings">
            <thead>
              <tr>
                <th scope="col">{t('bases.book.when')}</th>
                <th scope="col">{t('bases.book.studio')}</th>
                <th scope="col">{t('bases.mine.bookedBy')}</th>
                <th scope="col" className="num">{t('bases.book.price')}</th>
                <th scope="col">{t('bases.book.status')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => {
                const upcoming = b.status === 'booked' && Date.parse(b.startsAt) > now;
                const fee = feeNow(b);
                return (
                  <tr key={b.id} data-testid="my-booking" data-booking-id={b.id}>
                    <td className="mono">
                      {beijingDate(Date.parse(b.startsAt))} {beijingTime(b.startsAt)}–{beijingTime(b.endsAt)}
                      {b.arranged ? (
                        <div>
                          <span className="tag base-arranged" data-testid="my-booking-arranged">{t('bases.mine.arranged')}</span>
                        </div>
                      ) : null}
                    </td>
                    <td>
                      {b.studioName} <span className="muted">{b.baseName}</span>
                      {b.title ? <div className="muted">{b.title}</div> : null}
                      {b.lives?.length ? (
                        <div data-testid="my-booking-lives">
                          {t('bases.book.livesIn')}
                          {b.lives.map((l, i) => (
                            <span key={l.id}>
                              {i ? t('common.listSeparator') : null}
                              {!l.streamerId || l.streamerId === me ? <Link to={path`/streamer/sessions/${l.id}`}>{l.title}</Link> : l.title}（{t(`bases.status.${l.status as 'scheduled'}`)}）
                            </span>
                          ))}
                        </div>
                      ) : null}
                    </td>
                    <td>{b.bookerOrgId ? b.bookerName : t('bases.mine.self')}</td>
                    <td className="num">
                      {fmt.fen(b.priceFen ?? 0)}
                      <div className="muted" data-testid="my-booking-money">{money(b)}</div>
                      {b.refundedFen ? <div className="muted" data-testid="booking-refunded">{t('bases.book.refunded', { amount: fmt.fen(b.refundedFen) })}</div> : null}
                    </td>
                    <td>
                      <StatusBadge status={b.status === 'booked' ? 'scheduled' : 'rejected'}>{b.status === 'cancelled' ? t('bases.status.cancelled') : t('bases.status.booked')}</StatusBadge>
                    </td>
                    <td>
                      {b.status === 'booked' && Date.parse(b.endsAt) > now ? (
                        <div className="button-row">
                          {b.streamerId === me ? (
                            <button type="button" className="button button-small" data-testid="my-booking-schedule" onClick={() => setLiveFor(liveFor === b.id ? null : b.id)}>
                              {t('bases.book.scheduleLive')}
                            </button>
                          ) : null}
                          {upcoming && b.bookedBy === me && !b.bookerOrgId ? (
                            <button type="button" className="button button-small button-ghost" data-testid="my-booking-cancel" disabled={action.busy} onClick={() => void cancel(b)}>
                              {fee === null ? t('bases.book.cancel') : fee === 0 ? t('bases.mine.cancelFree') : t('bases.mine.cancelFee', { fee: fmt.fen(fee) })}
                            </button>
                          ) : null}
                        </div>
                      ) : null}
                      {liveFor === b.id ? (
                        <ScheduleLiveForm bookingId={b.id} testId="my-booking" action={action} onScheduled={() => { setLiveFor(null); onChange(); }} />
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
