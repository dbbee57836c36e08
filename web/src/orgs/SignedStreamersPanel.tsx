import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useFormat } from '../shared/format';
import { label } from '../shared/labels';
import { Empty, ErrorNotice, Loading, StatusBadge } from '../shared/Status';
import { listFrom, pick, useApi } from '../shared/useApi';

/** MCN → the streamers it has signed, with their real-name review status. */
export function SignedStreamersPanel({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<unknown>(path`/api/orgs/${orgId}/streamers`);
  const rows = listFrom<Record<string, unknown>>(state.data, 'streamers', 'items');

  if (state.status === 'error' && state.data === undefined) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  if (rows.length === 0) return <Empty testId="streamers-empty">{t('orgs.streamers.empty')}</Empty>;

  return (
    <div className="table-wrap" data-testid="signed-streamers">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('orgs.streamers.name')}</th>
            <th scope="col">{t('orgs.streamers.realName')}</th>
            <th scope="col">{t('orgs.streamers.reviewStatus')}</th>
            <th scope="col">{t('orgs.streamers.signedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const status = pick(r, 'verification', 'reviewStatus', 'streamerStatus', 'profileStatus', 'profile.status', 'user.streamerStatus', 'streamer.streamerStatus', 'status');
            const signedAt = pick(r, 'signedAt', 'joinedAt', 'createdAt');
            return (
              <tr key={String(pick(r, 'user.id', 'streamer.id', 'userId', 'id') ?? i)} data-testid="signed-streamer">
                <td>{pick(r, 'user.displayName', 'streamer.displayName', 'displayName') ?? '—'}</td>
                <td>{pick(r, 'realName', 'profile.realName') ?? '—'}</td>
                <td>{status ? <StatusBadge status={String(status)}>{label(t, 'status', String(status))}</StatusBadge> : '—'}</td>
                <td>{signedAt ? fmt.timestamp(String(signedAt)) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
