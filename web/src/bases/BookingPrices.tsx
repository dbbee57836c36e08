import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { fenToYuanInput } from '../shop/parts';
import { AmountReasonForm } from './AmountReasonForm';
import type { Booking, PriceChange } from './types';
import { beijingDate, beijingSpan as when, beijingTime } from './time';

type Uncharged = Booking & { studioName: string; bookerName: string | null; priceFen: number; priceChanges: PriceChange[] };
type ChangeRow = PriceChange & { title: string; startsAt: string; endsAt: string; studioName: string; bookerName: string | null };

/** A booking's price changes, for the base and for the booker: old → new, why, who and when (Beijing time). */
export function PriceChanges({ changes }: { changes: PriceChange[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (!changes.length) return null;
  return (
    <ul className="base-price-changes" data-testid="price-changes">
      {changes.map((c) => (
        <li key={c.id} data-testid="price-change" data-old-fen={c.oldPriceFen} data-new-fen={c.newPriceFen}>
          {t('bases.prices.changed', { from: fmt.fen(c.oldPriceFen), to: fmt.fen(c.newPriceFen) })} <span className="wrap">{c.reason}</span>{' '}
          <span className="muted">
            {c.changedByName ?? ''} {beijingDate(Date.parse(c.createdAt))} {beijingTime(c.createdAt)}
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * 改价 (docs/BASES.md, "Price changes"): the base's bookings not charged yet, soonest first, each with a form for a
 * new price (yuan) and the reason, and the base's latest price changes. Owners and admins only (the console shows
 * it beside the studio income); a booking charged already is adjusted by a refund instead.
 */
export function BookingPrices({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ bookings: Uncharged[]; changes: ChangeRow[] }>(path`/api/orgs/${orgId}/base/booking-prices`);
  const [openFor, setOpenFor] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  const { bookings, changes } = state.data;
  return (
    <section className="base-prices" data-testid="base-prices" aria-labelledby="base-prices-title">
      <h4 id="base-prices-title">{t('bases.prices.title')}</h4>
      <p className="muted">{t('bases.prices.note')}</p>
      {done ? <FormSuccess>{done}</FormSuccess> : null}
      {!bookings.length ? (
        <Empty testId="uncharged-empty">{t('bases.prices.none')}</Empty>
      ) : (
        <div className="table-wrap">
          <table data-testid="uncharged-bookings">
            <thead>
              <tr>
                <th scope="col">{t('bases.refunds.when')}</th>
                <th scope="col">{t('bases.refunds.studio')}</th>
                <th scope="col">{t('bases.refunds.booker')}</th>
                <th scope="col" className="num">{t('bases.prices.price')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {bookings.map((b) => (
                <UnchargedRow
                  key={b.id}
                  orgId={orgId}
                  b={b}
                  open={openFor === b.id}
                  onToggle={() => setOpenFor(openFor === b.id ? null : b.id)}
                  onChanged={(priceFen) => {
                    setOpenFor(null);
                    setDone(t('bases.prices.done', { amount: fmt.fen(priceFen), title: b.title || b.studioName }));
                    state.reload();
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h4>{t('bases.prices.history')}</h4>
      {!changes.length ? (
        <Empty testId="price-changes-empty">{t('bases.prices.historyNone')}</Empty>
      ) : (
        <div className="table-wrap">
          <table data-testid="price-change-history">
            <thead>
              <tr>
                <th scope="col">{t('bases.refunds.time')}</th>
                <th scope="col">{t('bases.refunds.booking')}</th>
                <th scope="col" className="num">{t('bases.prices.oldPrice')}</th>
                <th scope="col" className="num">{t('bases.prices.newPrice')}</th>
                <th scope="col">{t('bases.prices.reason')}</th>
                <th scope="col">{t('bases.refunds.by')}</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c) => (
                <tr key={c.id} data-testid="price-change-row" data-booking-id={c.bookingId}>
                  <td className="mono">
                    {beijingDate(Date.parse(c.createdAt))} {beijingTime(c.createdAt)}
                  </td>
                  <td>
                    {c.studioName} <span className="mono muted">{when(c)}</span>
                    <div className="muted">{[c.bookerName, c.title].filter(Boolean).join(' · ')}</div>
                  </td>
                  <td className="num">{fmt.fen(c.oldPriceFen)}</td>
                  <td className="num">{fmt.fen(c.newPriceFen)}</td>
                  <td className="wrap">{c.reason}</td>
                  <td>{c.changedByName ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function UnchargedRow({ orgId, b, open, onToggle, onChanged }: { orgId: string; b: Uncharged; open: boolean; onToggle: () => void; onChanged: (priceFen: number) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <>
      <tr data-testid="uncharged-booking" data-booking-id={b.id} data-price-fen={b.priceFen}>
        <td className="mono">{when(b)}</td>
        <td>
          {b.studioName}
          {b.title ? <div className="muted">{b.title}</div> : null}
        </td>
        <td>{b.bookerName ?? '—'}</td>
        <td className="num">
          {fmt.fen(b.priceFen)}
          <PriceChanges changes={b.priceChanges} />
        </td>
        <td>
          <button type="button" className="button button-small button-ghost" data-testid="price-open" aria-expanded={open} onClick={onToggle}>
            {t('bases.prices.change')}
          </button>
        </td>
      </tr>
      {open ? (
        <tr data-testid="price-form-row">
          <td colSpan={5}>
            <PriceForm orgId={orgId} booking={b} onChanged={onChanged} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function PriceForm({ orgId, booking, onChanged }: { orgId: string; booking: Uncharged; onChanged: (priceFen: number) => void }) {
  const { t } = useTranslation();
  return (
    <AmountReasonForm
      initial={fenToYuanInput(booking.priceFen)}
      accepts={() => true}
      text={{ amount: t('bases.prices.newPriceYuan'), reason: t('bases.prices.reason'), submit: t('bases.prices.submit'), invalid: t('bases.prices.badPrice') }}
      ids={{ form: 'price-form', amount: 'price-input', reason: 'price-reason', submit: 'price-submit' }}
      onSubmit={async (priceFen, reason) => {
        await post(path`/api/orgs/${orgId}/base/bookings/${booking.id}/price`, { priceFen, reason });
        onChanged(priceFen);
      }}
    />
  );
}
