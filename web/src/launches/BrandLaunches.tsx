// /orgs/:orgId/launches: a brand's launches (首发) on a desktop: the form to announce one, and each launch with its
// level, time, live, first-release stock left and reservations, linking to its public page (docs/LAUNCHES.md).
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { path } from '../api';
import { useFormat } from '../shared/format';
import { Empty, ErrorNotice, Loading } from '../shared/Status';
import { useApi } from '../shared/useApi';
import { useNow } from '../shared/usePolling';
import { LaunchForm } from './LaunchForm';
import type { Launch } from './types';
import './launches.css';

type Phase = 'upcoming' | 'onSale' | 'soldOut' | 'ended';

function phaseOf(l: Launch, now: number): Phase {
  if (now < Date.parse(l.launchAt)) return 'upcoming';
  if (l.firstRelease.remaining <= 0) return 'soldOut';
  if (now >= Date.parse(l.firstRelease.endsAt)) return 'ended';
  return 'onSale';
}

export function BrandLaunches() {
  const { orgId = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow(5_000);
  const state = useApi<{ launches: Launch[] }>(path`/api/orgs/${orgId}/launches`);
  return (
    <div className="page launch-console" data-testid="launch-console">
      <header className="page-header">
        <p className="eyebrow">
          <Link to={path`/orgs/${orgId}`}>{t('launches.console.back')}</Link>
        </p>
        <h1>{t('launches.console.title')}</h1>
        <p className="muted">{t('launches.console.intro')}</p>
      </header>
      <div className="launch-console-grid">
        <LaunchForm orgId={orgId} onCreated={state.reload} />
        <section aria-labelledby="launch-console-list">
          <h2 id="launch-console-list">{t('launches.console.list')}</h2>
          {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={state.reload} /> : null}
          {!state.data && state.status !== 'error' ? <Loading /> : null}
          {state.data && !state.data.launches.length ? <Empty testId="launch-console-empty">{t('launches.console.empty')}</Empty> : null}
          <ul className="launch-console-list">
            {state.data?.launches.map((l) => {
              const phase = phaseOf(l, now);
              const fr = l.firstRelease;
              return (
                <li key={l.id} className="card launch-console-row" data-testid="launch-row" data-launch-id={l.id} data-phase={phase}>
                  <div className="launch-console-row-head">
                    <span className={`launch-level launch-level-${l.level}`}>{t(`launches.levels.${l.level}`)}</span>
                    <span className={`tag launch-phase launch-phase-${phase}`} data-testid="launch-row-phase">
                      {t(`launches.console.phase.${phase}`)}
                    </span>
                  </div>
                  <h3>{l.title}</h3>
                  <p>
                    {t('launches.startsAt', { at: f.dateTime(l.launchAt) })} · {l.product.title}
                    {Object.keys(l.product.spec).length ? ` (${Object.values(l.product.spec).join(' ')})` : ''}
                  </p>
                  <p className="muted">{t('launches.live', { title: l.session.title })}</p>
                  <p data-testid="launch-row-stock">
                    {t('launches.console.stockLine', { price: f.fen(fr.priceFen), remaining: fr.remaining, stock: fr.stock, limit: fr.perUserLimit })} · {t('launches.reservations', { count: l.reservations })}
                  </p>
                  <Link className="button button-secondary button-small" to={path`/launches/${l.id}`} data-testid="launch-row-open">
                    {t('launches.console.open')}
                  </Link>
                </li>
              );
            })}
          </ul>
        </section>
      </div>
    </div>
  );
}
