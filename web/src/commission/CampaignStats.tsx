import { useTranslation } from 'react-i18next';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';

type Stat = {
  id: string;
  name: string;
  phase: 'upcoming' | 'warmup' | 'running' | 'ended';
  warmupAt: string | null;
  startsAt: string;
  endsAt: string;
  brands: number;
  sessions: number;
  livesHeld: number;
  launches: number;
  presales: number;
  auctions: number;
  gmvFen: number;
  orders: number;
  subsidyFen: number;
};

/** The portal's 活动统计: every campaign's lives, launches, pre-sales, auctions, GMV and the platform's subsidy (server/campaigns/statistics.ts). */
export function CampaignStats() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ campaigns: Stat[] }>('/api/commission/campaigns');
  if (state.status === 'error' && !state.data) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  const rows = state.data.campaigns;
  return (
    <div data-testid="commission-campaigns">
      <a className="button button-ghost button-small" href="/api/commission/campaigns?format=csv" download data-testid="commission-csv">
        {t('commission.exportCsv')}
      </a>
      {rows.length === 0 ? (
        <Empty>{t('commission.campaignsEmpty')}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('commission.campaign.name')}</th>
                <th scope="col">{t('commission.campaign.dates')}</th>
                <th scope="col" className="num">{t('commission.campaign.brands')}</th>
                <th scope="col" className="num">{t('commission.campaign.lives')}</th>
                <th scope="col" className="num">{t('commission.campaign.launches')}</th>
                <th scope="col" className="num">{t('commission.campaign.presales')}</th>
                <th scope="col" className="num">{t('commission.campaign.auctions')}</th>
                <th scope="col" className="num">{t('commission.campaign.gmv')}</th>
                <th scope="col" className="num">{t('commission.campaign.orders')}</th>
                <th scope="col" className="num">{t('commission.campaign.subsidy')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id} data-testid="commission-campaign">
                  <td>
                    <a href={`/campaigns/${c.id}`}>{c.name}</a> <span className="muted">{t(`commission.campaign.phase.${c.phase}`)}</span>
                  </td>
                  <td className="wrap">
                    <time dateTime={c.startsAt}>{fmt.timestamp(c.startsAt)}</time> –<br />
                    <time dateTime={c.endsAt}>{fmt.timestamp(c.endsAt)}</time>
                  </td>
                  <td className="num">{c.brands}</td>
                  <td className="num">
                    {c.livesHeld} / {c.sessions}
                  </td>
                  <td className="num">{c.launches}</td>
                  <td className="num">{c.presales}</td>
                  <td className="num">{c.auctions}</td>
                  <td className="num">{fmt.fen(c.gmvFen)}</td>
                  <td className="num">{c.orders}</td>
                  <td className="num">{fmt.fen(c.subsidyFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">{t('commission.campaign.note')}</p>
    </div>
  );
}
