// /orgs/:orgId/origin (desktop): the brand's sales of origin-certified products by county and producer, with CSV.
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import './origin.css';

type Line = { areaCode: string; county: string; province: string; producerId: string; producer: string; orders: number; units: number; salesFen: number; proceedsFen: number };

export function OriginReportPage() {
  const { orgId = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const report = useApi<{ producers: Line[] }>(path`/api/orgs/${orgId}/origin/report`);
  return (
    <div className="page origin-report" data-testid="origin-report">
      <header className="page-header">
        <h1>{t('origin.report.title')}</h1>
        <a className="button button-ghost button-small" href={path`/api/orgs/${orgId}/origin/report` + '?format=csv'} download>{t('origin.report.csv')}</a>
      </header>
      <ErrorNotice error={report.error} onRetry={report.reload} />
      {!report.data ? <Loading /> : !report.data.producers.length ? <Empty>{t('origin.report.none')}</Empty> : (
        <table className="card">
          <thead><tr><th>{t('origin.report.county')}</th><th>{t('origin.report.producer')}</th><th>{t('origin.report.orders')}</th><th>{t('origin.report.units')}</th><th>{t('origin.report.sales')}</th><th>{t('origin.report.proceeds')}</th></tr></thead>
          <tbody>
            {report.data.producers.map((l) => (
              <tr key={`${l.areaCode}/${l.producerId}`}><td>{l.province} {l.county}</td><td>{l.producer}</td><td>{l.orders}</td><td>{l.units}</td><td>{fmt.fen(l.salesFen)}</td><td>{fmt.fen(l.proceedsFen)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
