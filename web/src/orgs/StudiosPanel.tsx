import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { listFrom, useApi } from '../shared/useApi';

type Studio = {
  id: string;
  name: string;
  areaSqm?: number | null;
  equipment?: string[];
  scenes?: string[];
  hourlyRateFen?: number | null;
};


/** Live-streaming base → its studios (rooms). */
export function StudiosPanel({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const list = (v: unknown) => (Array.isArray(v) && v.length ? v.map(String).join(t('common.listSeparator')) : '—');
  const state = useApi<{ studios: Studio[] }>(path`/api/orgs/${orgId}/studios`);
  const rows = listFrom<Studio>(state.data, 'studios');

  if (state.status === 'error' && state.data === undefined) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  if (rows.length === 0) return <Empty testId="studios-empty">{t('orgs.studios.empty')}</Empty>;

  return (
    <div className="table-wrap" data-testid="studios">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('orgs.studios.name')}</th>
            <th scope="col" className="num">
              {t('orgs.studios.area')}
            </th>
            <th scope="col">{t('orgs.studios.scenes')}</th>
            <th scope="col">{t('orgs.studios.equipment')}</th>
            <th scope="col" className="num">
              {t('orgs.studios.hourlyRate')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="studio">
              <td>{r.name}</td>
              <td className="num">{typeof r.areaSqm === 'number' ? t('orgs.studios.areaValue', { area: r.areaSqm }) : '—'}</td>
              <td>{list(r.scenes)}</td>
              <td className="wrap">{list(r.equipment)}</td>
              <td className="num">{typeof r.hourlyRateFen === 'number' ? t('orgs.studios.perHour', { price: fmt.fen(r.hourlyRateFen) }) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
