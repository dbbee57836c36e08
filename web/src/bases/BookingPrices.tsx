import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { useAction } from '../shared/useAction';
import { fenToYuanInput, yuanToFen } from '../shop/parts';
import type { Booking, PriceChange } from './types';
import { beijingDate, beijingTime } from './time';

type Uncharged = Booking & { studioName: string; bookerName: string | null; priceFen: number; priceChanges: PriceChange[] };
type ChangeRow = PriceChange & { title: string; startsAt: string; endsAt: string; studioName: string; bookerName: string | null };

const when = (b: { startsAt: string; endsAt: string }) => `${beijingDate(Date.parse(b.startsAt))} ${beijingTime(b.startsAt)}–${beijingTime(b.endsAt)}`;

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
  const id = useId();
  const [price, setPrice] = useState(fenToYuanInput(booking.priceFen));
  const [reason, setReason] = useState('');
  const [clientError, setClientError] = useState<ApiError | null>(null);
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const priceFen = yuanToFen(price);
    if (priceFen === null) {
      setClientError(new ApiError({ code: 'CLIENT_INVALID', status: 0, message: t('bases.prices.badPrice') }));
      return;
    }
    setClientError(null);
    await action.run(async () => {
      await post(path`/api/orgs/${orgId}/base/bookings/${booking.id}/price`, { priceFen, reason: reason.trim() });
      onChanged(priceFen);
    });
  };

  return (
    <form className="base-refund-form" data-testid="price-form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field base-refund-amount">
        <label htmlFor={`${id}-p`}>{t('bases.prices.newPriceYuan')}</label>
        <input id={`${id}-p`} data-testid="price-input" inputMode="decimal" autoComplete="off" maxLength={12} value={price} onChange={(e) => setPrice(e.target.value)} />
      </div>
      <div className="field base-refund-reason">
        <label htmlFor={`${id}-r`}>{t('bases.prices.reason')}</label>
        <input id={`${id}-r`} data-testid="price-reason" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <button type="submit" className="button" data-testid="price-submit" disabled={action.busy}>
        {action.busy ? t('common.submitting') : t('bases.prices.submit')}
      </button>
      <div className="base-refund-wide">
        <FormError error={clientError ?? action.error} />
      </div>
    </form>
  );
}
