import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useFormat } from '../shared/format';
import { useApi } from '../shared/useApi';
import type { Campaign } from './types';
import './campaigns.css';

/** The home page's list of campaigns in warm-up, running or coming (nothing when there are none). */
export function CampaignsStrip() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const state = useApi<{ campaigns: Campaign[] }>('/api/campaigns');
  const list = state.data?.campaigns ?? [];
  if (!list.length) return null;
  return (
    <section className="cmp-strip" aria-label={t('campaigns.strip')} data-testid="home-campaigns">
      {list.map((c) => (
        <Link key={c.id} to={path`/campaigns/${c.id}`} className="cmp-strip-card" data-testid="home-campaign" data-campaign-id={c.id}>
          <span className="cmp-phase">{t(`campaigns.phase.${c.phase}`)}</span>
          <strong>{c.name}</strong>
          {/* The end is the moment it closes (00:00 the day after its last day): the strip names its last day. */}
          <small>{t('campaigns.dates', { from: fmt.date(c.startsAt), to: fmt.date(new Date(Date.parse(c.endsAt) - 1).toISOString()) })}</small>
        </Link>
      ))}
    </section>
  );
}
