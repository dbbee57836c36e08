// The room's moderation log, polled.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { listFrom, pick } from '../shared/useApi';
import { usePolling } from '../shared/usePolling';
import { ConsoleCard } from '../room/parts';

const LOG_POLL_MS = 15_000;

type LogRow = { key: string; at: string | null; actor: string; action: string; target: string; detail: string };

function logRows(data: unknown): LogRow[] {
  return listFrom<unknown>(data, 'entries', 'log', 'items', 'actions').map((e, i) => ({
    key: String(pick(e, 'id') ?? i),
    at: (pick(e, 'at', 'createdAt', 'created_at', 'time') as string | null) ?? null,
    actor: String(pick(e, 'actor.name', 'actor.displayName', 'actorName', 'actor_name', 'by.name', 'actor.id', 'actorId', 'actor') ?? ''),
    action: String(pick(e, 'action', 'kind', 'type') ?? ''),
    target: String(pick(e, 'target.name', 'target.displayName', 'targetName', 'target_name', 'user.name', 'userName', 'target.id', 'targetId', 'userId', 'target') ?? ''),
    detail: detailText(e),
  }));
}

/** The reason or text when there is one, else the detail's plain values ("minutes: 10 · words: …"). */
function detailText(e: unknown): string {
  const direct = pick(e, 'reason', 'detail.reason', 'text', 'detail.text', 'messageText');
  if (direct !== null) return String(direct);
  let detail = (e as { detail?: unknown } | null)?.detail;
  if (typeof detail === 'string') {
    try {
      detail = JSON.parse(detail);
    } catch {
      return detail as string;
    }
  }
  if (!detail || typeof detail !== 'object') return '';
  return Object.entries(detail as Record<string, unknown>)
    .filter(([k, v]) => v !== null && v !== undefined && v !== '' && !/Id$/.test(k) && k !== 'commitment')
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join('、') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

export function ModerationLog({ sessionId, nonce }: { sessionId: string; nonce: number }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const log = usePolling<unknown>(path`/api/rooms/${sessionId}/moderation-log`, LOG_POLL_MS);
  const refresh = log.refresh;
  useEffect(() => {
    if (nonce > 0) refresh();
  }, [nonce, refresh]);
  const rows = logRows(log.data);
  const lookup = t as unknown as (k: string, o: { defaultValue: string }) => string;
  return (
    <ConsoleCard
      title={t('control.log.title')}
      testId="moderation-log"
      aside={
        <button type="button" className="button button-ghost button-small" data-testid="moderation-log-refresh" onClick={refresh}>
          {t('control.log.refresh')}
        </button>
      }
    >
      {log.error && log.data === undefined ? (
        <ErrorNotice error={log.error} onRetry={refresh} />
      ) : log.data === undefined ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty testId="moderation-log-empty">{t('control.log.empty')}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('control.log.time')}</th>
                <th>{t('control.log.actor')}</th>
                <th>{t('control.log.action')}</th>
                <th>{t('control.log.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} data-testid="moderation-log-entry" data-action={r.action}>
                  <td>{r.at ? fmt.moment(r.at) : ''}</td>
                  <td>{r.actor}</td>
                  <td>{r.action ? lookup(`control.log.actions.${r.action}`, { defaultValue: lookup(`shop.logActions.${r.action}`, { defaultValue: r.action }) }) : ''}</td>
                  <td className="wrap log-detail">
                    {r.target ? <strong>{r.target}</strong> : null}
                    {r.target && r.detail ? ' · ' : null}
                    {r.detail}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.error && log.data !== undefined ? <p className="field-hint">{log.error.message}</p> : null}
    </ConsoleCard>
  );
}
