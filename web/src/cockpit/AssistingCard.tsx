// On the streamer console (主播中控台): a user who is someone's 场控 finds the lives they assist here, since
// /assist has no place in the site's navigation of its own.
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useApi } from '../shared/useApi';

type Assisting = { streamer: { id: string; displayName: string } };

export function AssistingCard() {
  const { t } = useTranslation();
  const list = useApi<{ streamers: Assisting[] }>('/api/me/assisting');
  const streamers = list.data?.streamers ?? [];
  if (streamers.length === 0) return null;
  return (
    <section className="card" aria-labelledby="assisting-card-heading" data-testid="assisting-card">
      <h2 id="assisting-card-heading">{t('cockpit.assisting.title')}</h2>
      <p className="muted">{t('cockpit.assisting.cardIntro', { names: streamers.map((s) => s.streamer.displayName).join(t('common.listSeparator')) })}</p>
      <Link className="button button-small" to="/assist" data-testid="assisting-card-open">
        {t('cockpit.assisting.cardOpen')}
      </Link>
    </section>
  );
}
