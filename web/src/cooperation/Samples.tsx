import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { coopLabel, CoopStatus, InlineForm, MiniField, ShipmentFields, StepButton } from './parts';
import type { Sample } from './types';
import './cooperation.css';

function Ship({ url, prefix, open, submitLabel, onDone, tone }: { url: string; prefix: string; open: string; submitLabel: string; onDone: () => void; tone?: 'primary' | 'ghost' }) {
  const { t } = useTranslation();
  const [carrier, setCarrier] = useState('');
  const [trackingNo, setTrackingNo] = useState('');
  return (
    <InlineForm
      open={open}
      tone={tone}
      label={open}
      testId={prefix}
      submitLabel={submitLabel}
      validate={() => (carrier.trim() && trackingNo.trim() ? null : t('coop.samples.shipmentRequired'))}
      onSubmit={() => post(url, { carrier: carrier.trim(), trackingNo: trackingNo.trim() })}
      onDone={onDone}
    >
      <ShipmentFields carrier={carrier} trackingNo={trackingNo} setCarrier={setCarrier} setTrackingNo={setTrackingNo} prefix={prefix} />
    </InlineForm>
  );
}

function BrandSteps({ orgId, s, onDone }: { orgId: string; s: Sample; onDone: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const base = path`/api/orgs/${orgId}/samples/${s.id}`;
  if (s.status === 'requested')
    return (
      <div className="button-row">
        <StepButton label={t('coop.samples.approve')} testId="sample-approve" tone="primary" run={() => post(`${base}/approve`)} onDone={onDone} />
        <InlineForm
          open={t('coop.samples.reject')}
          label={t('coop.samples.reject')}
          testId="sample-reject"
          submitLabel={t('coop.samples.rejectSubmit')}
          validate={() => (reason.trim() ? null : t('coop.applications.reasonRequired'))}
          onSubmit={() => post(`${base}/reject`, { reason: reason.trim() })}
          onDone={onDone}
        >
          <MiniField label={t('coop.applications.reason')} value={reason} onChange={setReason} testId="sample-reason" />
        </InlineForm>
      </div>
    );
  if (s.status === 'approved') return <Ship tone="primary" url={`${base}/ship`} prefix="sample-ship" open={t('coop.samples.ship')} submitLabel={t('coop.samples.shipSubmit')} onDone={onDone} />;
  if (s.status === 'returning') return <StepButton label={t('coop.samples.confirmReturn')} testId="sample-confirm-return" tone="primary" run={() => post(`${base}/confirm-return`)} onDone={onDone} />;
  return null;
}

function StreamerSteps({ s, onDone }: { s: Sample; onDone: () => void }) {
  const { t } = useTranslation();
  const base = path`/api/me/cooperation/samples/${s.id}`;
  if (s.status === 'shipped') return <StepButton label={t('coop.samples.receive')} testId="sample-receive" tone="primary" run={() => post(`${base}/receive`)} onDone={onDone} />;
  if (s.status === 'received')
    return (
      <div className="button-row">
        <Ship url={`${base}/return`} prefix="sample-return" open={t('coop.samples.sendBack')} submitLabel={t('coop.samples.sendBackSubmit')} onDone={onDone} />
        <StepButton label={t('coop.samples.keep')} testId="sample-keep" run={() => post(`${base}/keep`)} onDone={onDone} />
      </div>
    );
  return null;
}

/** 寄样: a brand's samples to send, an MCN's asked for its streamers, or a streamer's own (我的样品). */
export function SampleList({ endpoint, view, brandOrgId }: { endpoint: string; view: 'brand' | 'mcn' | 'streamer'; brandOrgId?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ samples: Sample[] }>(endpoint);
  const list = state.data?.samples ?? [];
  return (
    <div className="coop-panel" data-testid={`samples-${view}`}>
      <h2>{view === 'streamer' ? t('coop.samples.mine') : t('coop.samples.title')}</h2>
      {state.status === 'error' && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty testId="samples-empty">{t('coop.samples.none')}</Empty>
      ) : (
        <ul className="coop-list" data-testid="samples">
          {list.map((s) => (
            <li key={s.id} className="coop-item" data-testid="sample" data-sample-id={s.id} data-status={s.status}>
              <div className="coop-item-head">
                <div className="coop-item-main">
                  <h3>{s.productTitle ?? s.productId}</h3>
                  {view !== 'streamer' || s.viaMcnOrgId ? (
                    <p className="muted">
                      {[view !== 'streamer' ? t('coop.applications.streamerIs', { name: s.streamer.displayName ?? s.streamer.id }) : null, s.viaMcnOrgId ? t('coop.applications.viaMcn') : null].filter(Boolean).join(' · ')}
                    </p>
                  ) : null}
                </div>
                <CoopStatus status={s.status} testId="sample-status" />
              </div>
              <dl className="facts facts-inline">
                <dt>{t('coop.samples.requestedAt')}</dt>
                <dd>{fmt.timestamp(s.createdAt)}</dd>
                <dt>{t('coop.samples.deposit')}</dt>
                <dd data-testid="sample-deposit" data-fen={s.deposit.amountFen}>
                  {s.deposit.amountFen > 0 ? `${fmt.fen(s.deposit.amountFen)} · ${coopLabel(t, 'deposit', s.deposit.status)}` : t('coop.samples.noDeposit')}
                </dd>
                <dt>{t('coop.samples.address')}</dt>
                <dd className="wrap">
                  {s.address.name} · {s.address.phone} · {s.address.region} {s.address.detail}
                </dd>
                {s.shipment ? (
                  <>
                    <dt>{t('coop.samples.shipped')}</dt>
                    <dd data-testid="sample-shipment">
                      {s.shipment.carrier} <span className="mono">{s.shipment.trackingNo}</span>
                    </dd>
                  </>
                ) : null}
                {s.returnShipment ? (
                  <>
                    <dt>{t('coop.samples.returned')}</dt>
                    <dd>
                      {s.returnShipment.carrier} <span className="mono">{s.returnShipment.trackingNo}</span>
                    </dd>
                  </>
                ) : null}
              </dl>
              {s.message ? <p className="pre-wrap coop-message">{t('coop.applications.messageSaid', { message: s.message })}</p> : null}
              {s.reason ? <p className="notice notice-rejected pre-wrap">{t('coop.applications.rejectedBecause', { reason: s.reason })}</p> : null}
              {view === 'brand' && brandOrgId ? <BrandSteps orgId={brandOrgId} s={s} onDone={state.reload} /> : null}
              {view === 'streamer' ? <StreamerSteps s={s} onDone={state.reload} /> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
