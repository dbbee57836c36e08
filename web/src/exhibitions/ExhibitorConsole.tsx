// /orgs/:orgId/exhibitions (desktop): the exhibitor's booths and the inquiries left at them.
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import './exhibitions.css';

type Console = {
  booths: { id: string; exhibitionId: string; exhibition: string; boothNo: string; name: string; sessionIds: string[] }[];
  inquiries: { id: string; boothId: string; name: string; contact: string; company: string; message: string; createdAt: string }[];
};

export function ExhibitorConsole() {
  const { orgId = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<Console>(path`/api/orgs/${orgId}/exhibitions`);
  if (state.status === 'error') return <div className="page"><ErrorNotice error={state.error} onRetry={state.reload} /></div>;
  if (!state.data) return <Loading />;
  const booth = (id: string) => state.data!.booths.find((b) => b.id === id);
  return (
    <div className="page exhibition-console" data-testid="exhibitor-console">
      <header className="page-header"><h1>{t('exhibitions.console.title')}</h1></header>
      <section className="card">
        <h2>{t('exhibitions.console.booths')}</h2>
        <ul>{state.data.booths.map((b) => <li key={b.id}>{b.exhibition} · {t('exhibitions.booth', { no: b.boothNo })} · {b.name}</li>)}</ul>
      </section>
      <section className="card">
        <h2>{t('exhibitions.console.inquiries')}</h2>
        {!state.data.inquiries.length ? <Empty>{t('exhibitions.console.none')}</Empty> : (
          <table>
            <tbody>
              {state.data.inquiries.map((i) => (
                <tr key={i.id} data-testid="exhibition-inquiry">
                  <td>{fmt.dateTime(i.createdAt)}</td><td>{booth(i.boothId)?.boothNo}</td><td>{i.name}</td><td>{i.contact}</td><td>{i.company}</td><td>{i.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
