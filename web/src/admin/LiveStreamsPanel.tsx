import { Fragment, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { type ApiError, path, post } from '../api';
import type { AdminLiveStream, AdminLiveStreams } from '../types';
import { FieldErrorText, FormError, FormSuccess, fieldMessage } from '../shared/Field';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { toApiError } from '../shared/useApi';
import { usePolling } from '../shared/usePolling';
import { formatBitrate, rejectionText } from '../live/streamText';

const POLL_MS = 5000;

function CutOffForm({ stream, onDone, onCancel }: { stream: AdminLiveStream; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [missing, setMissing] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = reason.trim();
    if (trimmed.length < 2) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    setError(null);
    try {
      await post(path`/api/admin/live-sessions/${stream.id}/cut-off`, { reason: trimmed });
      onDone();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const reasonError = missing ? t('liveOps.reasonRequired') : fieldMessage(error, 'reason');
  return (
    <form className="cut-off-form" onSubmit={submit} noValidate data-testid="cut-off-form">
      <p className="notice notice-warning">{t('liveOps.cutOffWarning', { title: stream.title, name: stream.streamer?.displayName ?? '' })}</p>
      <FormError error={error} shownPaths={['reason']} />
      <div className={`field${reasonError ? ' field-invalid' : ''}`}>
        <label htmlFor={reasonId}>
          {t('liveOps.reason')}
          <span className="required" aria-hidden="true">
            *
          </span>
        </label>
        <textarea
          id={reasonId}
          name="reason"
          rows={2}
          maxLength={500}
          required
          value={reason}
          data-testid="cut-off-reason"
          placeholder={t('liveOps.reasonPlaceholder')}
          aria-invalid={reasonError ? true : undefined}
          onChange={(e) => {
            setReason(e.target.value);
            if (missing && e.target.value.trim().length >= 2) setMissing(false);
          }}
        />
        <FieldErrorText name="reason" message={reasonError} />
      </div>
      <div className="button-row">
        <button type="submit" className="button button-danger" data-testid="cut-off-confirm" disabled={busy}>
          {busy ? t('common.submitting') : t('liveOps.cutOffConfirm')}
        </button>
        <button type="button" className="button button-ghost" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

export function LiveStreamsPanel() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const poll = usePolling<AdminLiveStreams>('/api/admin/live-streams', POLL_MS);
  const [cutting, setCutting] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  if (!poll.data) {
    if (poll.error) return <ErrorNotice error={poll.error} onRetry={poll.refresh} />;
    return <Loading />;
  }
  const streams = Array.isArray(poll.data.streams) ? poll.data.streams : [];
  const rejections = Array.isArray(poll.data.rejections) ? poll.data.rejections : [];
  const columns = 10;

  return (
    <div className="live-ops">
      {done ? <FormSuccess>{done}</FormSuccess> : null}
      {poll.error ? (
        <p className="notice notice-warning" role="status">
          {poll.error.message}
        </p>
      ) : null}
      <h2 className="section-title">
        <span className="live-dot" aria-hidden="true" />
        {t('liveOps.streams')}
        <span className="count">{streams.length}</span>
      </h2>
      <div data-testid="live-streams" data-count={streams.length}>
        {streams.length === 0 ? (
          <Empty testId="live-streams-empty">{t('liveOps.noStreams')}</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('liveOps.streamer')}</th>
                  <th scope="col">{t('liveOps.titleCol')}</th>
                  <th scope="col">{t('liveOps.node')}</th>
                  <th scope="col" className="num">
                    {t('liveOps.viewers')}
                  </th>
                  <th scope="col" className="num">
                    {t('liveOps.bitrate')}
                  </th>
                  <th scope="col" className="num">
                    {t('liveOps.fps')}
                  </th>
                  <th scope="col" className="num">
                    {t('liveOps.keyframe')}
                  </th>
                  <th scope="col" className="num">
                    {t('liveOps.reconnects')}
                  </th>
                  <th scope="col">{t('liveOps.since')}</th>
                  <th scope="col" className="actions">
                    {t('common.actions')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {streams.map((s) => {
                  const h = s.health;
                  const kf = h?.keyframeIntervalS ?? null;
                  return (
                    <Fragment key={s.id}>
                      <tr data-testid="live-stream-row" data-session-id={s.id} data-publishing={String(s.publishing)}>
                        <td>{s.streamer?.displayName ?? '—'}</td>
                        <td className="wrap">
                          <Link to={path`/watch/${s.id}`} data-testid="live-stream-watch">
                            {s.title}
                          </Link>
                          {!s.publishing ? <span className="tag tag-warning">{t('liveOps.notPublishing')}</span> : null}
                        </td>
                        <td className="mono">{s.ingestNode ?? '—'}</td>
                        <td className="num">{fmt.number(s.viewers)}</td>
                        <td className="num">{h ? formatBitrate(h.bitrateKbps, fmt.locale) : '—'}</td>
                        <td className="num">{h ? fmt.number(h.fps, 1) : '—'}</td>
                        <td className={`num${kf !== null && kf > 2 ? ' text-warning' : ''}`}>{kf !== null ? t('health.seconds', { value: fmt.number(kf, 1) }) : '—'}</td>
                        <td className="num">{fmt.number(s.reconnects)}</td>
                        <td>{s.startedAt ? <time dateTime={s.startedAt}>{fmt.moment(s.startedAt)}</time> : '—'}</td>
                        <td className="actions">
                          <button
                            type="button"
                            className="button button-danger button-small"
                            data-testid="cut-off"
                            aria-expanded={cutting === s.id}
                            onClick={() => {
                              setDone(null);
                              setCutting(cutting === s.id ? null : s.id);
                            }}
                          >
                            {t('liveOps.cutOff')}
                          </button>
                        </td>
                      </tr>
                      {cutting === s.id ? (
                        <tr className="row-form">
                          <td colSpan={columns}>
                            <CutOffForm
                              stream={s}
                              onCancel={() => setCutting(null)}
                              onDone={() => {
                                setCutting(null);
                                setDone(t('liveOps.cutOffDone', { title: s.title }));
                                poll.refresh();
                              }}
                            />
                          </td>
                        </tr>
                      ) : null}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>

      <h2 className="section-title">
        {t('liveOps.rejections')}
        <span className="count">{rejections.length}</span>
      </h2>
      <p className="muted">{t('liveOps.rejectionsHint')}</p>
      <div data-testid="rejections" data-count={rejections.length}>
        {rejections.length === 0 ? (
          <Empty testId="rejections-empty">{t('liveOps.noRejections')}</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('liveOps.time')}</th>
                  <th scope="col">{t('liveOps.session')}</th>
                  <th scope="col">{t('liveOps.ip')}</th>
                  <th scope="col">{t('liveOps.reasonCol')}</th>
                </tr>
              </thead>
              <tbody>
                {rejections.map((r, i) => {
                  const ip = typeof r.detail?.ip === 'string' ? r.detail.ip : '—';
                  const target = r.sessionId ?? (typeof r.detail?.path === 'string' && r.detail.path ? r.detail.path : null);
                  return (
                    <tr key={`${r.at}-${i}`} data-testid="rejection-row" data-reason={r.reason ?? ''}>
                      <td>
                        <time dateTime={r.at}>{fmt.moment(r.at)}</time>
                      </td>
                      <td className="mono" title={target ?? undefined}>
                        {target ? (r.sessionId ? target.slice(0, 8) : target) : '—'}
                        {!r.sessionId && target ? <span className="tag tag-muted">{t('liveOps.unknownSession')}</span> : null}
                      </td>
                      <td className="mono">{ip}</td>
                      <td className="wrap">{rejectionText(t, r.reason)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
