import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';
import { shopLabel, useAction } from '../shop/parts';
import { AFTER_SALE_STATUSES, type AfterSale } from '../shop/types';

function RejectForm({ onSubmit, busy, onCancel }: { onSubmit: (reason: string) => void; busy: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim()) onSubmit(reason.trim());
  };
  return (
    <form className="inline-form reject-form" data-testid="after-sale-reject-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor={id}>{t('shop.brandAfterSales.rejectReason')}</label>
        <input id={id} data-testid="after-sale-reject-reason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} required />
      </div>
      <div className="button-row">
        <button type="submit" className="button button-danger button-small" data-testid="after-sale-reject-submit" disabled={busy || !reason.trim()}>
          {t('shop.brandAfterSales.reject')}
        </button>
        <button type="button" className="button button-ghost button-small" onClick={onCancel}>
          {t('shop.common.cancel')}
        </button>
      </div>
    </form>
  );
}

function AfterSaleRow({ orgId, afterSale: a, canEdit, onChanged }: { orgId: string; afterSale: AfterSale; canEdit: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const action = useAction();
  const [rejecting, setRejecting] = useState(false);
  const act = (verb: 'approve' | 'reject' | 'receive', body: object = {}) =>
    void action.run(() => post(path`/api/orgs/${orgId}/after-sales/${a.id}/${verb}`, body)).then((r) => {
      if (r !== undefined) {
        setRejecting(false);
        onChanged();
      }
    });
  return (
    <article className="card brand-after-sale" data-testid="brand-after-sale" data-after-sale-id={a.id} data-status={a.status}>
      <header className="brand-order-head">
        <strong>{shopLabel(t, 'afterSaleKind', a.kind)}</strong>
        {a.kind === 'return_refund' ? (
          <span className={a.cause === 'quality' ? 'tag tag-warning' : 'tag tag-muted'} data-testid="after-sale-cause">
            {t(`shop.afterSale.causes.${a.cause === 'quality' ? 'quality' : 'no_reason'}`)}
          </span>
        ) : null}
        <span className="price">{fmt.fen(a.amountFen)}</span>
        <StatusBadge status={a.status}>
          <span data-testid="after-sale-status">{shopLabel(t, 'afterSaleStatus', a.status)}</span>
        </StatusBadge>
        <span className="muted">{fmt.timestamp(a.createdAt)}</span>
      </header>
      <dl className="facts">
        <dt>{t('shop.brandAfterSales.order')}</dt>
        <dd className="mono">{a.orderId}</dd>
        {a.itemId ? (
          <>
            <dt>{t('shop.afterSale.item')}</dt>
            <dd className="mono">{a.itemId}</dd>
          </>
        ) : null}
        <dt>{t('shop.afterSale.reason')}</dt>
        <dd>{a.reason || t('shop.afterSale.noReason')}</dd>
        {a.decisionReason ? (
          <>
            <dt>{t('shop.brandAfterSales.decision')}</dt>
            <dd>{a.decisionReason}</dd>
          </>
        ) : null}
        {a.returnTrackingNo ? (
          <>
            <dt>{t('shop.brandAfterSales.returnTracking')}</dt>
            <dd className="mono" data-testid="after-sale-return-tracking">
              {a.returnCarrier} {a.returnTrackingNo}
            </dd>
          </>
        ) : null}
      </dl>
      {canEdit ? (
        <div className="button-row">
          {a.status === 'requested' ? (
            <>
              <button type="button" className="button button-small" data-testid="after-sale-approve" disabled={action.busy} onClick={() => act('approve')}>
                {t('shop.brandAfterSales.approve')}
              </button>
              {!rejecting ? (
                <button type="button" className="button button-ghost button-small" data-testid="after-sale-reject" disabled={action.busy} onClick={() => setRejecting(true)}>
                  {t('shop.brandAfterSales.reject')}
                </button>
              ) : null}
            </>
          ) : null}
          {a.status === 'returned' ? (
            <button type="button" className="button button-small" data-testid="after-sale-receive" disabled={action.busy} onClick={() => act('receive')}>
              {t('shop.brandAfterSales.receive')}
            </button>
          ) : null}
        </div>
      ) : null}
      {rejecting ? <RejectForm busy={action.busy} onCancel={() => setRejecting(false)} onSubmit={(reason) => act('reject', { reason })} /> : null}
      <FormError error={action.error} />
    </article>
  );
}

/** 售后: requests to approve or reject, returns to confirm. */
export function AfterSalesPanel({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const statusId = useId();
  const [status, setStatus] = useState('');
  const base = path`/api/orgs/${orgId}/after-sales`;
  const state = useApi<{ afterSales: AfterSale[] }>(status ? `${base}?status=${encodeURIComponent(status)}` : base);
  const list = listFrom<AfterSale>(state.data, 'afterSales', 'after_sales', 'items');
  return (
    <div data-testid="brand-after-sales">
      <div className="panel-toolbar">
        <div className="field field-inline">
          <label htmlFor={statusId}>{t('shop.brandOrders.filter')}</label>
          <select id={statusId} data-testid="brand-after-sales-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('shop.orders.all')}</option>
            {AFTER_SALE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {shopLabel(t, 'afterSaleStatus', s)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button button-ghost button-small" data-testid="brand-after-sales-refresh" onClick={state.reload}>
          {t('shop.common.refresh')}
        </button>
      </div>
      {state.status === 'error' && state.data === undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : state.data === undefined ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty testId="brand-after-sales-empty">{t('shop.brandAfterSales.empty')}</Empty>
      ) : (
        <div className="brand-order-list">
          {list.map((a) => (
            <AfterSaleRow key={a.id} orgId={orgId} afterSale={a} canEdit={canEdit} onChanged={state.reload} />
          ))}
        </div>
      )}
    </div>
  );
}
