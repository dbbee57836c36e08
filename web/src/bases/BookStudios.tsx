import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { path, post } from '../api';
import { MiniField } from '../cooperation/parts';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import { useAction } from '../shop/parts';
import { ScheduleLiveForm } from './ScheduleLiveForm';
import { BaseCalendar } from './BaseCalendar';
import { PhotoStrip, withCaptions } from './BasePhotos';
import { PriceChanges } from './BookingPrices';
import { MyStudioBookings } from './MyStudioBookings';
import type { BaseSummary, Booking, Calendar } from './types';
import { beijingDate, beijingTime, fromBeijing } from './time';
import './bases.css';

/**
 * 预订直播间, in a brand's or an MCN's console: pick a base, read its calendar, book a studio (for one of
 * the MCN's signed streamers), and manage the organisation's bookings: cancel under the base's rule, or
 * schedule a live straight from a booking. In the streamer's console (orgKind 'self', no orgId) the streamer
 * books for themself and the list is theirs (MyStudioBookings.tsx).
 */
export function BookStudios({ orgId, orgKind, canEdit }: { orgId?: string; orgKind: 'brand' | 'mcn' | 'self'; canEdit: boolean }) {
  const { t } = useTranslation();
  const list = useApi<{ bases: BaseSummary[] }>('/api/bases');
  const bases = listFrom<BaseSummary>(list.data, 'bases');
  // `?base=` picks the base first: a base's public page sends its 预约直播间 here with it (docs/BASES.md, "The public page").
  const [params] = useSearchParams();
  const [picked, setPicked] = useState(() => params.get('base') ?? '');
  const [reloadKey, setReloadKey] = useState(0);
  const baseId = bases.some((b) => b.id === picked) ? picked : bases[0]?.id || '';
  const id = useId();

  if (list.status === 'error' && !list.data) return <ErrorNotice error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Loading />;
  if (!bases.length) return <Empty testId="bases-empty">{t('bases.book.noBases')}</Empty>;
  const base = bases.find((b) => b.id === baseId)!;

  return (
    <div className="bases-book" data-testid="book-studios">
      {/* A streamer's own page: their bookings first, then booking another studio. */}
      {orgId ? null : <MyStudioBookings version={reloadKey} bases={bases} onChange={() => setReloadKey((k) => k + 1)} />}
      <div className="field">
        <label htmlFor={`${id}-base`}>{t('bases.book.base')}</label>
        <select id={`${id}-base`} data-testid="book-base" value={baseId} onChange={(e) => setPicked(e.target.value)}>
          {bases.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </select>
        <p className="field-hint">
          {[base.profile.theme, base.profile.address].filter(Boolean).join(' · ')} · {t('bases.book.rule', { hours: base.profile.freeCancelHours, pct: base.profile.cancelFeeBps / 100 })} · {t('bases.book.chargeNote')}
        </p>
      </div>
      <PhotoStrip photos={withCaptions(base.profile.photos, base.profile.photoCaptions)} alt={base.name} testId="book-base-photos" />
      <BaseCalendar key={`${baseId}-${reloadKey}`} url={path`/api/bases/${baseId}/calendar`} />
      {canEdit ? <BookingForm baseId={baseId} orgId={orgId} orgKind={orgKind} onDone={() => setReloadKey((k) => k + 1)} /> : null}
      {orgId ? <OurBookings key={reloadKey} orgId={orgId} orgKind={orgKind} canEdit={canEdit} onChange={() => setReloadKey((k) => k + 1)} /> : null}
    </div>
  );
}

function BookingForm({ baseId, orgId, orgKind, onDone }: { baseId: string; orgId?: string; orgKind: 'brand' | 'mcn' | 'self'; onDone: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const cal = useApi<Calendar>(path`/api/bases/${baseId}/calendar` + '?days=1');
  const streamers = useApi<{ streamers: { userId: string; displayName: string }[] }>(orgKind === 'mcn' && orgId ? path`/api/orgs/${orgId}/streamers` : null);
  const [studioId, setStudioId] = useState('');
  const [date, setDate] = useState(() => beijingDate(Date.now() + 86_400_000));
  const [start, setStart] = useState('19:00');
  const [end, setEnd] = useState('22:00');
  const [title, setTitle] = useState('');
  const [streamerId, setStreamerId] = useState('');
  const action = useAction();
  const studios = cal.data?.studios ?? [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const startsAt = fromBeijing(date, start);
    const endsAt = fromBeijing(date, end);
    if (!startsAt || !endsAt) return action.fail(t('bases.book.badTime'));
    const res = await action.run(() => post(path`/api/bases/${baseId}/studios/${studioId || studios[0]?.id || ''}/bookings`, { startsAt, endsAt, title: title.trim(), ...(orgId ? { orgId } : {}), ...(streamerId ? { streamerId } : {}) }), t('bases.book.done'));
    if (res !== undefined) onDone();
  };

  return (
    <form className="coop-form" data-testid="booking-form" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('bases.book.formTitle')}</h3>
      <p className="field-hint">{t('bases.timeNote')}</p>
      <div className="coop-form-grid">
        <div className="field">
          <label htmlFor={`${id}-studio`}>{t('bases.book.studio')}</label>
          <select id={`${id}-studio`} data-testid="booking-studio" value={studioId} onChange={(e) => setStudioId(e.target.value)}>
            {studios.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} · {t('bases.studios.perHour', { price: fmt.fen(s.hourlyRateFen) })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-date`}>{t('bases.book.date')}</label>
          <input id={`${id}-date`} type="date" data-testid="booking-date" value={date} onChange={(e) => setDate(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-start`}>{t('bases.book.start')}</label>
          <input id={`${id}-start`} type="time" step={900} data-testid="booking-start" value={start} onChange={(e) => setStart(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-end`}>{t('bases.book.end')}</label>
          <input id={`${id}-end`} type="time" step={900} data-testid="booking-end" value={end} onChange={(e) => setEnd(e.target.value)} />
        </div>
        {orgKind === 'mcn' ? (
          <div className="field">
            <label htmlFor={`${id}-streamer`}>{t('bases.book.streamer')}</label>
            <select id={`${id}-streamer`} data-testid="booking-streamer" value={streamerId} onChange={(e) => setStreamerId(e.target.value)}>
              <option value="">{t('bases.book.noStreamer')}</option>
              {(streamers.data?.streamers ?? []).map((s) => (
                <option key={s.userId} value={s.userId}>
                  {s.displayName}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <MiniField label={t('bases.book.title')} value={title} onChange={setTitle} testId="booking-title" maxLength={60} />
      </div>
      {(() => {
        const studio = studios.find((s) => s.id === studioId) ?? studios[0];
        return studio?.photos?.length ? <PhotoStrip photos={withCaptions(studio.photos, studio.photoCaptions)} alt={studio.name} testId="booking-studio-photos" /> : null;
      })()}
      <button type="submit" className="button" data-testid="booking-submit" disabled={action.busy || !studios.length}>
        {action.busy ? t('common.submitting') : t('bases.book.submit')}
      </button>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
    </form>
  );
}

function OurBookings({ orgId, orgKind, canEdit, onChange }: { orgId: string; orgKind: 'brand' | 'mcn' | 'self'; canEdit: boolean; onChange: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ bookings: Booking[] }>('/api/me/studio-bookings');
  // The organisation's bookings from a week ago on, soonest first.
  const since = Date.now() - 7 * 86_400_000;
  const rows = listFrom<Booking>(state.data, 'bookings')
    .filter((b) => b.bookerOrgId === orgId && Date.parse(b.endsAt) > since)
    .sort((a, b) => (a.startsAt < b.startsAt ? -1 : 1));
  const action = useAction();
  const [liveFor, setLiveFor] = useState<string | null>(null);

  const cancel = async (b: Booking) => {
    if ((await action.run(() => post(path`/api/studio-bookings/${b.id}/cancel`), t('bases.book.cancelDone'))) !== undefined) onChange();
  };

  return (
    <section className="bases-mine">
      <h3>{t('bases.book.mine')}</h3>
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
      {!state.data ? (
        <Loading />
      ) : !rows.length ? (
        <Empty testId="bookings-empty">{t('bases.book.none')}</Empty>
      ) : (
        <div className="table-wrap">
          <table data-testid="our-bookings">
            <thead>
              <tr>
                <th scope="col">{t('bases.book.when')}</th>
                <th scope="col">{t('bases.book.studio')}</th>
                <th scope="col">{t('bases.book.streamer')}</th>
                <th scope="col" className="num">{t('bases.book.price')}</th>
                <th scope="col">{t('bases.book.status')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr key={b.id} data-testid="our-booking" data-booking-id={b.id}>
                  <td className="mono">
                    {beijingDate(Date.parse(b.startsAt))} {beijingTime(b.startsAt)}–{beijingTime(b.endsAt)}
                  </td>
                  <td>
                    {b.studioName} <span className="muted">{b.baseName}</span>
                    {b.title ? <div className="muted">{b.title}</div> : null}
                    {b.lives?.length ? <div data-testid="booking-lives">{t('bases.book.livesIn')}{b.lives.map((l) => `${l.title}（${t(`bases.status.${l.status as 'scheduled'}`)}）`).join('、')}</div> : null}
                  </td>
                  <td>{b.streamerName ?? '—'}</td>
                  <td className="num">
                    {fmt.fen(b.priceFen ?? 0)}
                    <PriceChanges changes={b.priceChanges ?? []} />
                    {b.refundedFen ? <div className="muted" data-testid="booking-refunded">{t('bases.book.refunded', { amount: fmt.fen(b.refundedFen) })}</div> : null}
                  </td>
                  <td>
                    <StatusBadge status={b.status === 'booked' ? 'scheduled' : 'rejected'}>{b.status === 'cancelled' ? t('bases.book.cancelled', { fee: fmt.fen(b.cancelFeeFen ?? 0) }) : t('bases.status.booked')}</StatusBadge>
                  </td>
                  <td>
                    {canEdit && b.status === 'booked' && Date.parse(b.startsAt) > Date.now() ? (
                      <div className="button-row">
                        {/* A brand schedules from any of its bookings and picks the streamer; an MCN for the streamer it booked for. */}
                        {b.streamerId || orgKind === 'brand' ? (
                          <button type="button" className="button button-small" data-testid="booking-schedule-open" onClick={() => setLiveFor(liveFor === b.id ? null : b.id)}>
                            {t('bases.book.scheduleLive')}
                          </button>
                        ) : null}
                        <button type="button" className="button button-small button-ghost" data-testid="booking-cancel" disabled={action.busy} onClick={() => void cancel(b)}>
                          {t('bases.book.cancel')}
                        </button>
                      </div>
                    ) : null}
                    {liveFor === b.id ? (
                      <ScheduleLiveForm bookingId={b.id} testId="booking" action={action} pickStreamer={orgKind === 'brand'} onScheduled={() => { setLiveFor(null); onChange(); }} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
