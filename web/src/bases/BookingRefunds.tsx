import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { apiWithHeaders, path } from '../api';
import { FormSuccess } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty } from '../shared/Status';
import { IdempotencyKeys } from '../shop/shopApi';
import { AmountReasonForm } from './AmountReasonForm';
import { beijingDate, beijingSpan as when, beijingTime } from './time';

/** A charged booking as GET /api/orgs/:orgId/base/income lists it (`charged`, latest end first). */
export type ChargedBooking = {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: 'booked' | 'cancelled';
  studioName: string;
  bookerName: string | null;
  chargedFen: number;
  refundedFen: number;
  refundableFen: number;
};
/** A refund as the income lists it (`refunds`, newest first). */
export type RefundRow = { id: string; bookingId: string; seq: number; amountFen: number; reason: string; accountId: string; refundedByName: string; createdAt: string; title: string; studioName: string; startsAt: string; endsAt: string };


/**
 * Refunds of charged bookings (docs/BASES.md, "Refunds"): the base's latest charged bookings, each with what it was
 * charged and refunded, a 退款 form (amount in yuan, reason) sent with an Idempotency-Key kept for retries of the same
 * refund, and the base's refunds.
 */
export function BookingRefunds({ orgId, charged, refunds, onDone }: { orgId: string; charged: ChargedBooking[]; refunds: RefundRow[]; onDone: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [openFor, setOpenFor] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const cols = 6;
  return (
    <section className="base-refunds" data-testid="base-refunds" aria-labelledby="base-refunds-title">
      <h4 id="base-refunds-title">{t('bases.refunds.title')}</h4>
      <p className="muted">{t('bases.refunds.note')}</p>
      {done ? <FormSuccess>{done}</FormSuccess> : null}
      {!charged.length ? (
        <Empty testId="charged-empty">{t('bases.refunds.none')}</Empty>
      ) : (
        <div className="table-wrap">
          <table data-testid="charged-bookings">
            <thead>
              <tr>
                <th scope="col">{t('bases.refunds.when')}</th>
                <th scope="col">{t('bases.refunds.studio')}</th>
                <th scope="col">{t('bases.refunds.booker')}</th>
                <th scope="col" className="num">{t('bases.refunds.charged')}</th>
                <th scope="col" className="num">{t('bases.refunds.refunded')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {charged.map((b) => (
                <ChargedRow key={b.id} b={b} cols={cols} open={openFor === b.id} onToggle={() => setOpenFor(openFor === b.id ? null : b.id)}>
                  <RefundForm
                    orgId={orgId}
                    booking={b}
                    onRefunded={(amountFen) => {
                      setOpenFor(null);
                      setDone(t('bases.refunds.done', { amount: fmt.fen(amountFen), title: b.title || b.studioName }));
                      onDone();
                    }}
                  />
                </ChargedRow>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h4>{t('bases.refunds.history')}</h4>
      {!refunds.length ? (
        <Empty testId="refunds-empty">{t('bases.refunds.historyNone')}</Empty>
      ) : (
        <div className="table-wrap">
          <table data-testid="refunds">
            <thead>
              <tr>
                <th scope="col">{t('bases.refunds.time')}</th>
                <th scope="col">{t('bases.refunds.booking')}</th>
                <th scope="col" className="num">{t('bases.refunds.amountCol')}</th>
                <th scope="col">{t('bases.refunds.reason')}</th>
                <th scope="col">{t('bases.refunds.by')}</th>
              </tr>
            </thead>
            <tbody>
              {refunds.map((r) => (
                <tr key={r.id} data-testid="refund" data-booking-id={r.bookingId} data-fen={r.amountFen}>
                  <td className="mono">
                    {beijingDate(Date.parse(r.createdAt))} {beijingTime(r.createdAt)}
                  </td>
                  <td>
                    {r.studioName} <span className="mono muted">{when(r)}</span>
                    {r.title ? <div className="muted">{r.title}</div> : null}
                  </td>
                  <td className="num">{fmt.fen(r.amountFen)}</td>
                  <td className="wrap" data-testid="refund-reason">{r.reason}</td>
                  <td>{r.refundedByName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ChargedRow({ b, cols, open, onToggle, children }: { b: ChargedBooking; cols: number; open: boolean; onToggle: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <>
      <tr data-testid="charged-booking" data-booking-id={b.id} data-charged-fen={b.chargedFen} data-refunded-fen={b.refundedFen}>
        <td className="mono">{when(b)}</td>
        <td>
          {b.studioName}
          {b.title ? <div className="muted">{b.title}</div> : null}
        </td>
        <td>{b.bookerName ?? '—'}</td>
        <td className="num">
          {fmt.fen(b.chargedFen)} <span className="muted">{b.status === 'cancelled' ? t('bases.refunds.cancelFee') : t('bases.refunds.studioFee')}</span>
        </td>
        <td className="num">{fmt.fen(b.refundedFen)}</td>
        <td>
          <button type="button" className="button button-small button-ghost" data-testid="refund-open" aria-expanded={open} disabled={b.refundableFen <= 0} onClick={onToggle}>
            {t('bases.refunds.refund')}
          </button>
        </td>
      </tr>
      {open ? (
        <tr data-testid="refund-form-row">
          <td colSpan={cols}>{children}</td>
        </tr>
      ) : null}
    </>
  );
}

function RefundForm({ orgId, booking, onRefunded }: { orgId: string; booking: ChargedBooking; onRefunded: (amountFen: number) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  // One key per refund asked for: a retry of the same amount and reason sends the same key, so it refunds once.
  const keys = useRef(new IdempotencyKeys());
  return (
    <AmountReasonForm
      initial={(booking.refundableFen / 100).toFixed(2)}
      accepts={(fen) => fen > 0}
      text={{ amount: t('bases.refunds.amount'), reason: t('bases.refunds.reason'), submit: t('bases.refunds.submit'), invalid: t('bases.refunds.badAmount') }}
      ids={{ form: 'refund-form', amount: 'refund-amount', reason: 'refund-reason-input', submit: 'refund-submit' }}
      note={t('bases.refunds.refundable', { amount: fmt.fen(booking.refundableFen) })}
      shownPaths={['amountFen', 'reason', 'idempotency-key']}
      onSubmit={async (amountFen, reason) => {
        const body = { amountFen, reason };
        await apiWithHeaders('POST', path`/api/orgs/${orgId}/base/bookings/${booking.id}/refunds`, body, { 'Idempotency-Key': keys.current.keyFor({ bookingId: booking.id, ...body }) });
        keys.current.reset();
        onRefunded(amountFen);
      }}
    />
  );
}
